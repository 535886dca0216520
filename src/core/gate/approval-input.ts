// Approval input as the gate accepts it: an approval/v1 file (docs/format.md "Exchange files") as object, JSON
// text or bytes, or a bare envelope (attacker-controlled), and the file the gate hands back.
import { parseJsonBytes, parseJsonText } from '../encoding/json.ts';
import { ApprovalFileSchema, describeZodError, type Envelope } from '../statements/schemas.ts';

export type ApprovalInput = { ok: true; envelope: unknown } | { ok: false; code: string; message: string };

/** approval/v1 file (docs/format.md "Exchange files") as object, text or bytes, or a bare envelope. */
export function readApprovalInput(input: unknown): ApprovalInput {
  let value: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const p = typeof input === 'string' ? parseJsonText(input) : parseJsonBytes(input);
    if (!p.ok) return { ok: false, code: 'FORMAT.json', message: `approval file: ${p.error.message} at ${p.error.path}` };
    value = p.value;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, code: 'FORMAT.schema', message: 'an approval must be an approval/v1 file or an envelope object' };
  if (!('countersign' in value)) return { ok: true, envelope: value };
  const f = ApprovalFileSchema.safeParse(value);
  if (!f.success) return { ok: false, code: 'FORMAT.schema', message: describeZodError(f.error, 'approval file') };
  return { ok: true, envelope: f.data.envelope };
}

/** The approval/v1 file (docs/format.md "Exchange files") for an approval envelope. */
export function buildApprovalFile(envelope: Envelope): { countersign: 'approval/v1'; envelope: Envelope } {
  if (envelope === null || typeof envelope !== 'object') throw new TypeError('envelope must be an object');
  return { countersign: 'approval/v1', envelope };
}
