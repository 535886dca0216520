// What the reference gate takes and returns (docs/format.md "Countersign statements and envelopes"), and the error it throws when an
// entry would make the verifier fail the log. Split out of reference-gate.ts.
import type { JsonValue } from '../encoding/json.ts';
import type { SecretKey } from '../encoding/bytes.ts';
import type { Finding } from '../statements/findings.ts';
import type { Grant, Principal, Request, Skill } from '../statements/schemas.ts';

export type { RefusalCode } from '../governance/reasons.ts';

/** What the gate did with an approval (docs/format.md "Countersign statements and envelopes" "approval", "refusal"). */
export interface ApprovalResult {
  outcome: 'recorded' | 'refused' | 'executed' | 'closed' | 'rejected-input';
  /** The refusal code, or for rejected input the finding code that explains it. */
  code?: string;
  message: string;
  /** Entries appended (checkpoint lines are not counted). */
  appended: number;
}

export interface SubmitResult {
  outcome: 'allowed' | 'parked' | 'denied' | 'rejected-input';
  code?: string;
  message: string;
  appended: number;
  requestId?: string;
  /** The request's digest (docs/format.md "Countersign statements and envelopes"), which approvals name. */
  digest?: string;
  /** A parked request's gate expiry. */
  expiresAt?: string;
}

export interface UpdateResult {
  outcome: 'recorded' | 'rejected-input';
  code?: string;
  message: string;
  appended: number;
}

/** What a gated action's run reports; the default runner says `succeeded`. */
export type GateRunner = (request: Request) => { outcome: 'succeeded' | 'failed'; result?: JsonValue };

export interface GateOptions {
  /** Checkpoint after every call that appended entries (default true), so the bundle ends anchored. */
  autoCheckpoint?: boolean;
  run?: GateRunner;
}

export interface GenesisParts {
  roster: { version: number; principals: Principal[] };
  policy: { version: number; skills: Skill[]; grants: Grant[] };
  governance: { role: string; approvals_required: number };
  /** Principal id of the gate service. */
  gate: string;
}

export interface CreateGateArgs extends GateOptions {
  origin: string;
  genesis: GenesisParts;
  /** Secret keys of the governance quorum that signs the genesis. Not kept. */
  governanceKeys: SecretKey[];
  gateKey: SecretKey;
  at: string;
}

export type RequestStatus = 'undecided' | 'allowed' | 'parked' | 'denied' | 'executed' | 'closed';

export interface RequestState {
  id: string;
  digest: string;
  requester: string;
  skill: string;
  skillVersion: string;
  status: RequestStatus;
  expiresAt: string | null;
  approvalsRequired: number | null;
  /** Distinct approvers whose approve vote counts. */
  approvedBy: string[];
}

/** Thrown when an entry would make the verifier fail the log (docs/format.md "Bundles"). */
export class LogRefusedError extends Error {
  readonly findings: Finding[];
  readonly code: string;
  constructor(what: string, findings: Finding[]) {
    const errors = findings.filter((f) => f.severity === 'error');
    super(`${what} would fail verification: ${errors.map((f) => `${f.code}: ${f.message}`).join('; ')}`);
    this.name = 'LogRefusedError';
    this.findings = findings;
    this.code = errors[0]?.code ?? 'unknown';
  }
}
