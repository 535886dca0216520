// JSON Canonicalization Scheme, RFC 8785.
//
// JCS is defined in terms of ECMAScript's own serialisation, so the platform does
// the delicate parts: JSON.stringify on a string is RFC 8785 §3.2.2.2 (escape only
// '"', '\\' and U+0000..U+001F, with the short forms and lowercase \u00xx), and
// on a finite number it is Number::toString (§3.2.2.3). Members are sorted by
// UTF-16 code units (§3.2.3), which is what Array.prototype.sort compares.

import type { JsonValue } from './json.ts';
import { encodeUtf8 } from './utf8.ts';

// Member names repeat from entry to entry ("stepKey", "actor"…): their quoted form is
// cached, for short names only and up to a fixed count, so memory stays bounded.
const keyTexts = new Map<string, string>();
function keyText(k: string): string {
  let t = keyTexts.get(k);
  if (t === undefined) {
    t = JSON.stringify(k) + ':';
    if (k.length <= 64 && keyTexts.size < 4096) keyTexts.set(k, t);
  }
  return t;
}

export function canonicalize(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError('JCS: non-finite number');
      return JSON.stringify(value); // -0 serialises as "0" (RFC 8785 §3.2.2.3)
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        if (value.length === 0) return '[]';
        let out = '[' + canonicalize(value[0]);
        for (let i = 1; i < value.length; i++) out += ',' + canonicalize(value[i]);
        return out + ']';
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj);
      // Most writers emit members in a fixed order, often already sorted: sort only if not.
      for (let i = 1; i < keys.length; i++)
        if (keys[i - 1]! > keys[i]!) {
          keys.sort();
          break;
        }
      let out = '{';
      let first = true;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const v = obj[k];
        if (v === undefined) continue; // as JSON.stringify: absent optional fields
        out += (first ? '' : ',') + keyText(k) + canonicalize(v);
        first = false;
      }
      return out + '}';
    }
    default:
      throw new TypeError(`JCS: cannot canonicalize a ${typeof value}`);
  }
}

/** C(x) of docs/format.md "Bytes": the UTF-8 bytes of the JCS text. */
export function canonicalBytes(value: JsonValue | object): Uint8Array {
  return encodeUtf8(canonicalize(value));
}
