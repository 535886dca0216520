// JSON Canonicalization Scheme, RFC 8785.
//
// JCS is defined in terms of ECMAScript's own serialisation, so the platform does
// the delicate parts: JSON.stringify on a string is RFC 8785 §3.2.2.2 (escape only
// '"', '\\' and U+0000..U+001F, with the short forms and lowercase \u00xx), and
// on a finite number it is Number::toString (§3.2.2.3). Members are sorted by
// UTF-16 code units (§3.2.3), which is what Array.prototype.sort compares.

import type { JsonValue } from './json.ts';
import { encodeUtf8 } from './utf8.ts';

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
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalize(value[i]);
        return out + ']';
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const v = obj[k];
        if (v === undefined) continue; // as JSON.stringify: absent optional fields
        out += (first ? '' : ',') + JSON.stringify(k) + ':' + canonicalize(v);
        first = false;
      }
      return out + '}';
    }
    default:
      throw new TypeError(`JCS: cannot canonicalize a ${typeof value}`);
  }
}

/** C(x) of FORMAT.md §1: the UTF-8 bytes of the JCS text. */
export function canonicalBytes(value: JsonValue | object): Uint8Array {
  return encodeUtf8(canonicalize(value));
}
