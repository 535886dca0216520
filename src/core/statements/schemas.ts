// zod schemas for every statement of docs/format.md "Countersign statements and envelopes", and the envelope, entry and
// exchange files. All objects are strict (unknown fields are an error in v1) and
// every number is a safe integer that is not -0 (docs/format.md "Bytes", "Numbers").

import { PRINCIPAL_ID_PATTERN, PRINCIPAL_ID_TEXT } from '../encoding/constants.ts';
import { z } from 'zod';
import { parseTime } from './time.ts';

const isSafeInt = (n: number) => Number.isSafeInteger(n) && !Object.is(n, -0);

export const Int = z.number().refine(isSafeInt, 'must be an integer with |n| ≤ 2^53−1 (not -0)');
export const PositiveInt = Int.refine((n) => n >= 1, 'must be ≥ 1');
export const NonNegativeInt = Int.refine((n) => n >= 0, 'must be ≥ 0');
export const Time = z.string().refine((s) => parseTime(s) !== null, 'must be an RFC 3339 UTC time ending in Z with 0–9 fraction digits');
export const PrincipalId = z.string().regex(PRINCIPAL_ID_PATTERN, `must match ${PRINCIPAL_ID_TEXT}`);
const DIGEST_STR = /^sha256:[0-9a-f]{64}$/;
export const DigestStr = z.string().regex(DIGEST_STR, 'must be sha256: and 64 lowercase hex digits');
const HEX64 = /^[0-9a-f]{64}$/;
export const Hex64 = z.string().regex(HEX64, 'must be 64 lowercase hex digits');
// Only the length here: the strict decoder (encoding/base64.ts) checks every
// character and the padding bits once, where the bytes are needed, and its error
// becomes the FORMAT.schema message. A regex over every payload cost more than the decode.
export const Base64 = z.string().refine((s) => s.length % 4 === 0, 'must be standard base64 with padding');
/** base64 of exactly 32 bytes (44 chars, one '='). */
const BASE64_KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;
export const Base64Key = z.string().regex(BASE64_KEY, 'must be base64 of 32 bytes');
/** base64 of exactly 64 bytes (88 chars, '=='). */
const BASE64_SIG = /^[A-Za-z0-9+/]{85}[AQgw]==$/;
export const Base64Sig = z.string().regex(BASE64_SIG, 'must be base64 of 64 bytes');
const NonEmpty = z.string().min(1, 'must not be empty');

/** Any JSON whose numbers are all safe integers (args, result). */
function integerJson(v: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (typeof v === 'number') return isSafeInt(v);
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (Array.isArray(v)) return v.every((x) => integerJson(x, depth + 1));
  if (typeof v === 'object') return Object.values(v as object).every((x) => integerJson(x, depth + 1));
  return false;
}
export const AnyJson = z.custom<unknown>((v) => v !== undefined && integerJson(v), {
  message: 'numbers must be integers with |n| ≤ 2^53−1 (carry decimals as strings)',
});

// §2.1 Principals and keys
export const KeySchema = z.strictObject({ pub: Base64Key, from: Time, until: Time.optional() });
export const PrincipalSchema = z.strictObject({
  id: PrincipalId,
  name: NonEmpty,
  kind: z.enum(['human', 'agent', 'service']),
  roles: z.array(NonEmpty),
  keys: z.array(KeySchema),
});
const uniqueIds = (ps: { id: string }[]) => new Set(ps.map((p) => p.id)).size === ps.length;
export const Principals = z.array(PrincipalSchema).refine(uniqueIds, 'principal ids must be unique');

// §2.2 policy
export const GateSchema = z.strictObject({
  approvals_required: PositiveInt,
  approver_roles: z.array(NonEmpty).min(1),
  forbid_requester: z.boolean(),
  ttl_s: PositiveInt,
  reject_vetoes: z.boolean(),
});
export const SkillSchema = z.strictObject({
  skill: NonEmpty,
  version: NonEmpty,
  risk_tier: z.enum(['low', 'medium', 'high', 'critical']),
  gate: GateSchema.optional(),
});
export const GrantSchema = z.strictObject({ role: NonEmpty, skill: NonEmpty, versions: z.array(NonEmpty) });
const PolicyBody = {
  version: PositiveInt,
  skills: z.array(SkillSchema).refine((s) => new Set(s.map((x) => `${x.skill}@${x.version}`)).size === s.length, 'skill versions must be unique'),
  grants: z.array(GrantSchema),
};

const common = { log: NonEmpty, at: Time };

export const GenesisSchema = z.strictObject({
  type: z.literal('genesis'),
  ...common,
  roster: z.strictObject({ version: PositiveInt, principals: Principals }),
  policy: z.strictObject(PolicyBody),
  governance: z.strictObject({ role: NonEmpty, approvals_required: PositiveInt }),
  gate: PrincipalId,
});
export const RosterSchema = z.strictObject({ type: z.literal('roster'), ...common, version: PositiveInt, principals: Principals });
export const PolicySchema = z.strictObject({ type: z.literal('policy'), ...common, ...PolicyBody });
export const RequestSchema = z.strictObject({
  type: z.literal('request'),
  ...common,
  id: NonEmpty,
  requester: PrincipalId,
  skill: NonEmpty,
  skill_version: NonEmpty,
  args: AnyJson,
  reason: z.string().optional(),
  expires_at: Time,
});
export const ParkedGateSchema = GateSchema.extend({ expires_at: Time });
export const DecisionSchema = z
  .strictObject({
    type: z.literal('decision'),
    ...common,
    request: DigestStr,
    outcome: z.enum(['allowed', 'parked', 'denied']),
    policy_version: PositiveInt,
    reason: z.string(),
    gate: ParkedGateSchema.optional(),
  })
  .refine((d) => (d.outcome === 'parked') === (d.gate !== undefined), {
    message: 'a parked decision carries a gate, and only a parked one',
    path: ['gate'],
  });
export const ApprovalSchema = z.strictObject({
  type: z.literal('approval'),
  ...common,
  request: DigestStr,
  request_id: NonEmpty,
  skill: NonEmpty,
  approver: PrincipalId,
  vote: z.enum(['approve', 'reject']),
  comment: z.string().optional(),
});

// §2 DSSE envelope
export const EnvelopeSignatureSchema = z.strictObject({ keyid: Hex64, sig: Base64Sig });
const PAYLOAD_TYPE = /^application\/vnd\.countersign\.[a-z]+\+json$/;
export const EnvelopeSchema = z.strictObject({
  payloadType: z.string().regex(PAYLOAD_TYPE, 'must be application/vnd.countersign.<type>+json'),
  payload: Base64,
  signatures: z
    .array(EnvelopeSignatureSchema)
    .min(1, 'an envelope carries at least one signature')
    .refine((s) => new Set(s.map((x) => x.keyid)).size === s.length, 'two signatures with the same key id'),
});

export const RefusalSchema = z.strictObject({
  type: z.literal('refusal'),
  ...common,
  request: DigestStr,
  attempt: EnvelopeSchema,
  code: z.enum(['requester_forbidden', 'not_eligible', 'late', 'duplicate', 'unknown_approver']),
});
export const ExecutionSchema = z.strictObject({
  type: z.literal('execution'),
  ...common,
  request: DigestStr,
  approvals: z.array(DigestStr),
  outcome: z.enum(['succeeded', 'failed']),
  result: AnyJson.optional(),
});
export const ClosureSchema = z.strictObject({
  type: z.literal('closure'),
  ...common,
  request: DigestStr,
  reason: z.enum(['expired', 'rejected', 'withdrawn']),
});
export const EnrollmentSchema = z.strictObject({
  type: z.literal('enrollment'),
  ...common,
  principal: PrincipalId,
  name: NonEmpty,
  pub: Base64Key,
});

export const STATEMENT_SCHEMAS = {
  genesis: GenesisSchema,
  roster: RosterSchema,
  policy: PolicySchema,
  request: RequestSchema,
  decision: DecisionSchema,
  approval: ApprovalSchema,
  refusal: RefusalSchema,
  execution: ExecutionSchema,
  closure: ClosureSchema,
  enrollment: EnrollmentSchema,
} as const;

export type StatementType = keyof typeof STATEMENT_SCHEMAS;
export const STATEMENT_TYPES = Object.keys(STATEMENT_SCHEMAS) as StatementType[];

export type Principal = z.infer<typeof PrincipalSchema>;
export type Gate = z.infer<typeof GateSchema>;
export type Skill = z.infer<typeof SkillSchema>;
export type Grant = z.infer<typeof GrantSchema>;
export type Genesis = z.infer<typeof GenesisSchema>;
export type Roster = z.infer<typeof RosterSchema>;
export type Policy = z.infer<typeof PolicySchema>;
export type Request = z.infer<typeof RequestSchema>;
export type Decision = z.infer<typeof DecisionSchema>;
export type Approval = z.infer<typeof ApprovalSchema>;
export type Refusal = z.infer<typeof RefusalSchema>;
export type Execution = z.infer<typeof ExecutionSchema>;
export type Closure = z.infer<typeof ClosureSchema>;
export type Enrollment = z.infer<typeof EnrollmentSchema>;
export type Envelope = z.infer<typeof EnvelopeSchema>;
export type Statement = Genesis | Roster | Policy | Request | Decision | Approval | Refusal | Execution | Closure | Enrollment;

export const EntrySchema = z.strictObject({ seq: NonNegativeInt, prev: Hex64, envelope: EnvelopeSchema });
export type Entry = z.infer<typeof EntrySchema>;

// --- the same rules, hand-checked, for the per-line hot path (issue 10) -----------------------
// zod's safeParse was about 5 µs of an entry and 3.5 µs of its statement, out of the 44 µs a
// line costs besides its signature. Each check below is true exactly when its zod schema
// accepts the value (whose data is then the value itself); on false the caller asks the zod
// schema, which stays the reference and says what is wrong. Property tests hold each pair to
// the same verdict on every vector and on mutated values (test/unit/countersign-fast-path.test.ts).

type Check = (v: unknown) => boolean;
const isStr: Check = (v) => typeof v === 'string';
const isNonEmpty: Check = (v) => typeof v === 'string' && v.length > 0;
const isTime: Check = (v) => typeof v === 'string' && parseTime(v) !== null;
const isPrincipalId: Check = (v) => typeof v === 'string' && PRINCIPAL_ID_PATTERN.test(v);
const isDigestStr: Check = (v) => typeof v === 'string' && DIGEST_STR.test(v);
const isPositiveInt: Check = (v) => typeof v === 'number' && isSafeInt(v) && v >= 1;
const isBool: Check = (v) => typeof v === 'boolean';
const isAnyJson: Check = (v) => v !== undefined && integerJson(v);
const isOneOf =
  (...xs: string[]): Check =>
  (v) =>
    typeof v === 'string' && xs.includes(v);
const isArrayOf =
  (c: Check, min = 0): Check =>
  (v) =>
    Array.isArray(v) && v.length >= min && v.every(c);

/** zod's strictObject: a plain object with every required member, optional ones allowed, nothing else. */
function isStrict(required: Record<string, Check>, optional: Record<string, Check> = {}): Check {
  // Maps, not the records: a member named "constructor" or "__proto__" must find nothing.
  const checks = new Map<string, Check>([...Object.entries(required), ...Object.entries(optional)]);
  const need = Object.keys(required).length;
  const req = new Set(Object.keys(required));
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    let n = 0;
    for (const k in v) {
      const c = checks.get(k);
      if (c === undefined || !c((v as Record<string, unknown>)[k])) return false;
      if (req.has(k)) n++;
    }
    return n === need;
  };
}

const isEnvelopeSignature = isStrict({ keyid: (v) => typeof v === 'string' && HEX64.test(v), sig: (v) => typeof v === 'string' && BASE64_SIG.test(v) });
const isEnvelopeShape = isStrict({
  payloadType: (v) => typeof v === 'string' && PAYLOAD_TYPE.test(v),
  payload: (v) => typeof v === 'string' && v.length % 4 === 0,
  signatures: isArrayOf(isEnvelopeSignature, 1),
});
/** EnvelopeSchema, with its "no two signatures with the same key id" rule. */
const isEnvelope: Check = (v) => {
  if (!isEnvelopeShape(v)) return false;
  const ids = (v as { signatures: { keyid: string }[] }).signatures.map((s) => s.keyid);
  return new Set(ids).size === ids.length;
};

/** EntrySchema's rules by hand (see above): true exactly when EntrySchema accepts the value. */
export const isEntry = isStrict({
  seq: (v) => typeof v === 'number' && isSafeInt(v) && v >= 0,
  prev: (v) => typeof v === 'string' && HEX64.test(v),
  envelope: isEnvelope,
}) as (v: unknown) => v is Entry;

const commonChecks = { log: isNonEmpty, at: isTime };
const isParkedGate = isStrict({
  approvals_required: isPositiveInt,
  approver_roles: isArrayOf(isNonEmpty, 1),
  forbid_requester: isBool,
  ttl_s: isPositiveInt,
  reject_vetoes: isBool,
  expires_at: isTime,
});
const isDecisionShape = isStrict(
  {
    type: (v) => v === 'decision',
    ...commonChecks,
    request: isDigestStr,
    outcome: isOneOf('allowed', 'parked', 'denied'),
    policy_version: isPositiveInt,
    reason: isStr,
  },
  { gate: isParkedGate },
);
/**
 * The statements of a request's life, hand-checked (see above); genesis, roster and policy
 * statements are rare and keep zod alone.
 */
const HAND_CHECKED: Partial<Record<StatementType, Check>> = {
  request: isStrict(
    {
      type: (v) => v === 'request',
      ...commonChecks,
      id: isNonEmpty,
      requester: isPrincipalId,
      skill: isNonEmpty,
      skill_version: isNonEmpty,
      args: isAnyJson,
      expires_at: isTime,
    },
    { reason: isStr },
  ),
  decision: (v) => isDecisionShape(v) && ((v as { outcome: string }).outcome === 'parked') === ((v as { gate?: unknown }).gate !== undefined),
  approval: isStrict(
    {
      type: (v) => v === 'approval',
      ...commonChecks,
      request: isDigestStr,
      request_id: isNonEmpty,
      skill: isNonEmpty,
      approver: isPrincipalId,
      vote: isOneOf('approve', 'reject'),
    },
    { comment: isStr },
  ),
  refusal: isStrict({
    type: (v) => v === 'refusal',
    ...commonChecks,
    request: isDigestStr,
    attempt: isEnvelope,
    code: isOneOf('requester_forbidden', 'not_eligible', 'late', 'duplicate', 'unknown_approver'),
  }),
  execution: isStrict(
    { type: (v) => v === 'execution', ...commonChecks, request: isDigestStr, approvals: isArrayOf(isDigestStr), outcome: isOneOf('succeeded', 'failed') },
    { result: isAnyJson },
  ),
  closure: isStrict({ type: (v) => v === 'closure', ...commonChecks, request: isDigestStr, reason: isOneOf('expired', 'rejected', 'withdrawn') }),
  enrollment: isStrict({
    type: (v) => v === 'enrollment',
    ...commonChecks,
    principal: isPrincipalId,
    name: isNonEmpty,
    pub: (v) => typeof v === 'string' && BASE64_KEY.test(v),
  }),
};
/** Which statement types have a hand-checked twin, and its verdict (for tests: parseStatement uses it). */
export const HAND_CHECKED_TYPES = Object.keys(HAND_CHECKED) as StatementType[];
export function passesHandCheck(type: StatementType, value: unknown): boolean {
  return HAND_CHECKED[type]?.(value) === true;
}

// §4 bundle header; §5 exchange files
export const BundleHeaderSchema = z.strictObject({ countersign: z.literal('bundle/v1'), log: NonEmpty });
export const RequestPacketSchema = z.strictObject({
  countersign: z.literal('request-packet/v1'),
  log: NonEmpty,
  request: EnvelopeSchema,
  decision: EnvelopeSchema,
  requester: PrincipalSchema,
  approvals: z.array(EnvelopeSchema),
});
export const ApprovalFileSchema = z.strictObject({ countersign: z.literal('approval/v1'), envelope: EnvelopeSchema });
export const EnrollmentFileSchema = z.strictObject({ countersign: z.literal('enrollment/v1'), envelope: EnvelopeSchema });
export const LogProfileSchema = z.strictObject({
  countersign: z.literal('log-profile/v1'),
  genesis: EntrySchema,
  updates: z.array(EntrySchema),
  checkpoint: z.string(),
});
/**
 * §7.4 disclosure packet. `entry` is checked per entry by the verifier (EntrySchema), so a
 * bad entry is one finding at its index, not a rejected file. RFC 6962 proofs of trees up to
 * 2^53 leaves have at most 53 hashes.
 */
export const DisclosureSchema = z.strictObject({
  countersign: z.literal('disclosure/v1'),
  log: NonEmpty,
  checkpoint: z.string(),
  entries: z.array(z.strictObject({ entry: z.unknown(), proof: z.array(Base64Key).max(53) })),
});
export type Disclosure = z.infer<typeof DisclosureSchema>;
export type RequestPacket = z.infer<typeof RequestPacketSchema>;
export type LogProfile = z.infer<typeof LogProfileSchema>;

/** One readable line from a zod error: the first issue, with its path. */
export function describeZodError(error: z.ZodError, prefix = ''): string {
  const issue = error.issues[0];
  if (!issue) return 'schema error';
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const more = error.issues.length > 1 ? ` (+${error.issues.length - 1} more)` : '';
  return `${prefix}${path || '(root)'}: ${issue.message}${more}`;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Validates a decoded payload as the statement its `type` names. */
/** An entry checked against EntrySchema (the hand check first: the same verdict, faster), with zod's message when it fails. */
export function parseEntry(value: unknown): Parsed<Entry> {
  if (isEntry(value)) return { ok: true, value };
  const r = EntrySchema.safeParse(value);
  return r.success ? { ok: true, value: r.data } : { ok: false, message: describeZodError(r.error, 'entry') };
}

export function parseStatement(value: unknown): Parsed<Statement> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'statement: must be a JSON object' };
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !(type in STATEMENT_SCHEMAS)) return { ok: false, message: `statement.type: must be one of ${STATEMENT_TYPES.join(', ')}` };
  if (HAND_CHECKED[type as StatementType]?.(value)) return { ok: true, value: value as Statement };
  const r = STATEMENT_SCHEMAS[type as StatementType].safeParse(value);
  return r.success ? { ok: true, value: r.data as Statement } : { ok: false, message: describeZodError(r.error, 'statement') };
}
