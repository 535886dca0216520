// Opening a DSSE envelope (docs/format.md "Countersign statements and envelopes"): decode the payload, rebuild the PAE
// that the signatures cover, read the payload as I-JSON, require it to be the
// JCS of itself, and check the statement against its schema. Every step that
// fails names its code; the signatures themselves are checked by the caller,
// which knows which keys are in force.

import { decodeBase64 } from '../encoding/base64.ts';
import { utf8Equals } from '../encoding/utf8.ts';
import { canonicalize } from '../encoding/jcs.ts';
import { isCanonicalJson } from '../encoding/jcs-bytes.ts';
import { readJsonBytes } from '../encoding/json-fast.ts';
import { sha256, toDigestString } from '../crypto/hash.ts';
import { pae, payloadTypeFor } from '../crypto/dsse.ts';
import type { FindingCode } from './findings.ts';
import { EnvelopeSchema, describeZodError, parseStatement, type Envelope, type Statement } from './schemas.ts';
import type { DigestString } from '../encoding/bytes.ts';

export interface EnvelopeProblem {
  code: FindingCode;
  message: string;
}

export interface OpenedSignature {
  keyId: string;
  signature: Uint8Array;
  /** Already checked under the key the feed holds for keyId (a pool worker did: verifier/countersign-lines.ts). */
  verified?: boolean;
}

export interface OpenedEnvelope {
  envelope: Envelope;
  /** The bytes every signature covers: PAE(payloadType, payload). */
  signedMessage: Uint8Array;
  signatures: OpenedSignature[];
  /** `sha256:` digest of the payload bytes: the statement's digest (docs/format.md "Countersign statements and envelopes"). */
  digest: DigestString;
  /** The statement, when the payload is I-JSON, canonical and schema-valid. */
  statement: Statement | null;
  problems: EnvelopeProblem[];
}

/**
 * Opens an envelope (attacker-controlled). Returns null only when the value is
 * not an envelope at all (schema), with the reason in `problems`.
 */
export function openEnvelope(value: unknown, where = 'envelope'): { opened: OpenedEnvelope | null; problems: EnvelopeProblem[] } {
  const env = EnvelopeSchema.safeParse(value);
  if (!env.success) return { opened: null, problems: [{ code: 'FORMAT.schema', message: describeZodError(env.error, where) }] };
  return openValidEnvelope(env.data, where);
}

/** As openEnvelope, for an envelope that has already passed EnvelopeSchema (e.g. inside EntrySchema). */
export function openValidEnvelope(envelope: Envelope, where = 'envelope'): { opened: OpenedEnvelope | null; problems: EnvelopeProblem[] } {
  const problems: EnvelopeProblem[] = [];
  let payload: Uint8Array;
  let signatures: OpenedSignature[];
  try {
    // The schema checked the alphabet; the strict decoder also rejects non-zero padding bits.
    payload = decodeBase64(envelope.payload);
    signatures = envelope.signatures.map((s) => ({ keyId: s.keyid, signature: decodeBase64(s.sig) }));
  } catch (e) {
    problems.push({ code: 'FORMAT.schema', message: `${where}: ${(e as Error).message} (RFC 4648 §3.5)` });
    return { opened: null, problems };
  }
  const opened: OpenedEnvelope = {
    envelope,
    signedMessage: pae(envelope.payloadType, payload),
    signatures,
    digest: toDigestString(sha256(payload)),
    statement: null,
    problems,
  };
  // The payload is attacker-controlled JSON in its own right (docs/format.md "Countersign statements and envelopes", last bullet).
  const parsed = readJsonBytes(payload); // json.ts's verdict, through the fast path when it proves the same value
  if (!parsed.ok) {
    const e = parsed.error;
    problems.push({ code: 'FORMAT.json', message: `${where}.payload: ${e.message} at ${e.path} (payload line ${e.line}, column ${e.column})` });
    return { opened, problems };
  }
  // From the bytes when they show it (the payload was just read, so it is valid JSON), else compared.
  if (!isCanonicalJson(payload) && !utf8Equals(canonicalize(parsed.value), payload))
    problems.push({ code: 'FORMAT.noncanonical', message: `${where}.payload: bytes are not the JCS (RFC 8785) of the statement` });
  const st = parseStatement(parsed.value);
  if (!st.ok) {
    problems.push({ code: 'FORMAT.schema', message: `${where}.payload: ${st.message}` });
    return { opened, problems };
  }
  if (envelope.payloadType !== payloadTypeFor(st.value.type))
    problems.push({
      code: 'SIG.payload_type',
      message: `${where}.payloadType: "${envelope.payloadType}" does not match statement type "${st.value.type}"`,
    });
  opened.statement = st.value;
  return { opened, problems };
}
