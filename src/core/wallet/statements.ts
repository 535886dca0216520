// The two statements a wallet signs (docs/format.md "Countersign statements and envelopes") and the exchange files that carry them
// (docs/format.md "Exchange files"). Builders validate against the schemas, so the signer worker never signs
// something a verifier would reject as malformed.

import { parseJsonText } from '../encoding/json.ts';
import { ApprovalSchema, EnrollmentSchema, describeZodError, type Approval, type Enrollment, type Envelope } from '../statements/schemas.ts';

export function buildApproval(args: {
  log: string;
  at: string;
  requestDigest: string;
  requestId: string;
  skill: string;
  approver: string;
  vote: 'approve' | 'reject';
  comment?: string | undefined;
}): Approval {
  const comment = args.comment?.trim();
  const st = {
    type: 'approval' as const,
    log: args.log,
    at: args.at,
    request: args.requestDigest,
    request_id: args.requestId,
    skill: args.skill,
    approver: args.approver,
    vote: args.vote,
    ...(comment ? { comment } : {}),
  };
  const r = ApprovalSchema.safeParse(st);
  if (!r.success) throw new RangeError(describeZodError(r.error, 'approval'));
  return r.data;
}

export function buildEnrollment(args: { log: string; at: string; principal: string; name: string; pub: string }): Enrollment {
  const st = { type: 'enrollment' as const, log: args.log, at: args.at, principal: args.principal, name: args.name, pub: args.pub };
  const r = EnrollmentSchema.safeParse(st);
  if (!r.success) throw new RangeError(describeZodError(r.error, 'enrollment'));
  return r.data;
}

/** The approval/v1 exchange file text (docs/format.md "Exchange files"): one JSON value, UTF-8, trailing newline. */
export function approvalFileText(envelope: Envelope): string {
  return JSON.stringify({ countersign: 'approval/v1', envelope }) + '\n';
}

export function enrollmentFileText(envelope: Envelope): string {
  return JSON.stringify({ countersign: 'enrollment/v1', envelope }) + '\n';
}

export type ExchangeKind = 'request-packet/v1' | 'log-profile/v1' | 'approval/v1' | 'enrollment/v1' | 'key/v1' | 'bundle/v1';

/**
 * Reads an exchange file's text with the strict I-JSON reader and says which kind it is.
 * The value is not yet checked beyond its `countersign` tag.
 */
export function readExchangeText(text: string): { ok: true; kind: ExchangeKind; value: unknown } | { ok: false; message: string } {
  if (typeof text !== 'string') return { ok: false, message: 'not text' };
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.length === 0) return { ok: false, message: 'the file is empty' };
  // A bundle (JSON Lines) is not an exchange file; say so instead of a JSON error.
  const firstLine = trimmed.split('\n', 1)[0]!;
  if (firstLine.includes('"bundle/v1"') && trimmed.includes('\n')) return { ok: true, kind: 'bundle/v1', value: null };
  const parsed = parseJsonText(trimmed);
  if (!parsed.ok) return { ok: false, message: `not valid JSON (${parsed.error.message} at ${parsed.error.path})` };
  const v = parsed.value;
  const tag = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as { countersign?: unknown }).countersign : undefined;
  const kinds: ExchangeKind[] = ['request-packet/v1', 'log-profile/v1', 'approval/v1', 'enrollment/v1', 'key/v1'];
  if (typeof tag === 'string' && (kinds as string[]).includes(tag)) return { ok: true, kind: tag as ExchangeKind, value: v };
  return { ok: false, message: typeof tag === 'string' ? `unknown file kind "${tag}"` : 'not a Countersign file (no "countersign" field)' };
}
