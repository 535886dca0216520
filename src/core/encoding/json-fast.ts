// Fast path for strict I-JSON elements that are already right (issue 10).
//
// json.ts is the exact reader: it names the line, column and path of every problem.
// It is also a JavaScript parser, and on a large export it is most of the time spent.
// Most elements are valid, so this module first tries the platform's JSON.parse and
// proves afterwards that the strict reader would have returned the very same value:
//
//   bad UTF-8        the fatal decoder throws (as json.ts's does; a BOM is kept, so
//                    JSON.parse refuses it as json.ts does)
//   lone surrogate   JSON.parse accepts an escaped one; any `\uD8..\uDF` escape sends
//                    the element to the exact reader (a paired one too: rare, and safe)
//   duplicate name   JSON.parse keeps the last; the caller counts the ':' outside strings
//                    while framing the element (json-stream.ts), which is the number of
//                    members; a tree with fewer own keys lost one to a duplicate
//   number range     JSON.parse gives Infinity where json.ts refuses; the walk checks
//   number text      json.ts refuses a fraction or exponent that reads as an integer
//                    ("0.99999999999999999", "1e-400"); the scan (json-scan.ts) gives no
//                    member count for an element with any such number text
//   depth            the scan bounds it before either reader runs (json-stream.ts over a
//                    MakerChecker document, countMembers over one whole element)
//   syntax           JSON.parse throws on exactly RFC 8259's non-grammar
//
// Anything in doubt returns undefined, and the caller uses the exact reader: the fast
// path may only ever say "valid, and here is the value json.ts would give".
// The input is attacker-controlled.

import { parseJsonBytes, type JsonResult, type JsonValue } from './json.ts';
import { countMembers } from './json-scan.ts';

const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** Own keys of every object in the tree, or -1 if a number is not finite. */
function countKeys(v: JsonValue): number {
  if (typeof v !== 'object') return typeof v === 'number' && !Number.isFinite(v) ? -1 : 0;
  if (v === null) return 0;
  let n = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const c = countKeys(v[i]!);
      if (c < 0) return -1;
      n += c;
    }
    return n;
  }
  for (const k in v) {
    n++;
    const c = countKeys(v[k]!);
    if (c < 0) return -1;
    n += c;
  }
  return n;
}

/**
 * The value of `bytes` (one JSON element holding exactly `members` object members, counted
 * as ':' outside strings) when it is certainly valid I-JSON, else undefined.
 */
export function readJsonFast(bytes: Uint8Array, members: number): JsonValue | undefined {
  if (members < 0) return undefined; // not counted (json-scan.ts membersOf)
  let text: string;
  try {
    text = fatalDecoder.decode(bytes);
  } catch {
    return undefined;
  }
  if (text.indexOf('\\u') >= 0 && SURROGATE_ESCAPE.test(text)) return undefined;
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
  return countKeys(value) === members ? value : undefined;
}

/**
 * parseJsonBytes(bytes), through the fast path when it can prove the same value: the
 * members and the depth bound come from the one structural scan (json-scan.ts). For a
 * whole element (a Countersign line, a statement payload); an error is always json.ts's.
 */
export function readJsonBytes(bytes: Uint8Array): JsonResult {
  const members = countMembers(bytes);
  const fast = members >= 0 ? readJsonFast(bytes, members) : undefined;
  return fast !== undefined ? { ok: true, value: fast } : parseJsonBytes(bytes);
}
