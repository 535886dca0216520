// DSSE v1 pre-authentication encoding (secure-systems-lab/dsse protocol.md; docs/format.md "Countersign statements and envelopes").
// Signing PAE(type, body) rather than the body alone binds the payload type into the
// signature, so a payload cannot be replayed under another type.
import { concatBytes } from '../encoding/bytes.ts';
import { encodeUtf8 } from '../encoding/utf8.ts';

/** `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, LEN = decimal byte length. */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  if (typeof payloadType !== 'string') throw new TypeError('payloadType must be a string');
  if (!(payload instanceof Uint8Array)) throw new TypeError('payload must be a Uint8Array');
  const type = encodeUtf8(payloadType); // UTF8(PAYLOAD_TYPE): its LEN counts bytes, not characters
  const head = encodeUtf8(`DSSEv1 ${type.length} `);
  const mid = encodeUtf8(` ${payload.length} `);
  return concatBytes(head, type, mid, payload);
}

/** The payloadType of a statement of type `type` (docs/format.md "Countersign statements and envelopes"). */
export function payloadTypeFor(type: string): string {
  if (typeof type !== 'string') throw new TypeError('statement type must be a string');
  if (type.length === 0) throw new RangeError('statement type must not be empty');
  return `application/vnd.countersign.${type}+json`;
}
