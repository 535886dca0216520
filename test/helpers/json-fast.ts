// For the fast-path property tests (json-fast.ts against json.ts): mutations of JSON texts,
// one random break at a time, as an attacker or a broken writer would make, and the framing
// of an element by the MakerChecker document scanner (json-stream.ts).
import fc from 'fast-check';
import { BundleScanner, type ScanItem } from '../../src/core/verifier/json-stream.ts';

const enc = new TextEncoder();

/** The element as json-stream.ts frames it inside a bundle: its bytes and member count. */
export function frame(element: Uint8Array): { bytes: Uint8Array; members: number } | null {
  const items: ScanItem[] = [];
  const s = new BundleScanner((i) => items.push(i));
  s.write(enc.encode('{"events":['));
  s.write(element);
  s.write(enc.encode(']}'));
  s.end();
  const ev = items.find((i) => i.kind === 'event');
  if (!ev || ev.kind !== 'event' || !ev.bytes || items.some((i) => i.kind === 'problem')) return null;
  return { bytes: ev.bytes.slice(), members: ev.members };
}

/** Breaks one thing in a JSON text, as an attacker or a broken writer would. */
export const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom(
      '"a":1,',
      '"seq":"9",',
      '\\ud800',
      '\\udc00',
      '\\ud83d\\ude00',
      '1e400',
      '0.99999999999999999',
      '1e-400',
      '-1e-400',
      '2.5',
      '1.0',
      '1E3',
      '-0',
      '\ufeff',
      ' ',
      '"__proto__":{},',
      '\\u0000',
      '\u00e9',
      '\\"',
      ':',
    ),
  }),
  fc.record({ kind: fc.constant('dupkey' as const), at: fc.nat() }),
);
export type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

export function mutate(text: string, m: Mutation): Uint8Array {
  const bytes = enc.encode(text);
  const at = bytes.length ? m.at % bytes.length : 0;
  switch (m.kind) {
    case 'flip': {
      const out = bytes.slice();
      if (out.length) out[at] = m.byte;
      return out;
    }
    case 'delete':
      return new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + 1)]);
    case 'insert':
      return new Uint8Array([...bytes.subarray(0, at), ...enc.encode(m.text), ...bytes.subarray(at)]);
    case 'dupkey': {
      // repeat the member that starts at a '"' followed later by ':' (a likely key)
      const keys = [...text.matchAll(/"([a-zA-Z_]+)":/g)];
      if (!keys.length) return bytes;
      const k = keys[m.at % keys.length]!;
      const i = k.index!;
      return enc.encode(text.slice(0, i) + `"${k[1]}": null, ` + text.slice(i));
    }
  }
}

/** Any JSON value, as `{"v": value}` at an indent, then each mutation in turn: both fast-path suites' input. */
export const mutatedDocument = fc
  .tuple(fc.jsonValue({ maxDepth: 5 }), fc.constantFrom(0, 1, 2), fc.array(mutation, { maxLength: 3 }))
  .map(([value, indent, ms]) => {
    let text = JSON.stringify({ v: value }, null, indent);
    let bytes: Uint8Array = enc.encode(text);
    for (const m of ms) {
      bytes = mutate(text, m);
      text = new TextDecoder().decode(bytes);
    }
    return { value, text, bytes, mutated: ms.length > 0 };
  });
