// FORMAT.*: a line or a payload that is not what FORMAT.md §1, §2 and §4 allow. Broken
// entries are placed last (before the checkpoint) and name nothing later entries need,
// since an entry that cannot be read cannot be replayed.
import { canonicalBytes } from '../../../src/core/encoding/jcs.ts';
import { encodeUtf8 } from '../../../src/core/encoding/utf8.ts';
import { payloadTypeFor } from '../../../src/core/crypto/dsse.ts';
import { signPayload } from '../../../src/core/statements/sign-statement.ts';
import { baseFixture, key, makeCase, type Fixture, type VectorCase } from './fixture.ts';

/** Appends a request whose payload is `payload` (signed correctly by its requester), then a checkpoint. */
function withRequestPayload(f: Fixture, payload: string | Uint8Array): Fixture {
  const bytes = typeof payload === 'string' ? encodeUtf8(payload) : payload;
  f.w.appendEnvelope(signPayload(payloadTypeFor('request'), bytes, [key('agent-a')]));
  f.checkpoint();
  return f;
}

/** A duplicate member name: in a line, and in a signed payload. */
export function breakFormatJson(): VectorCase[] {
  const line = baseFixture();
  line.checkpoint();
  const last = line.w.lastCheckpoint!;
  line.w.appendLine(`{"checkpoint":${JSON.stringify(last)},"checkpoint":${JSON.stringify(last)}}`);

  const f = baseFixture();
  const st = f.requestStatement('req-2');
  const text = new TextDecoder().decode(canonicalBytes(st));
  // {"args":...,"at":"..."} → {"args":...,"at":"...","at":"..."}: the same text twice is still two members.
  const dup = text.replace(/("at":"[^"]+")/, '$1,$1');
  return [
    makeCase('format-json-duplicate-key-line', line, ['FORMAT.json'], 'a last line {"checkpoint":…,"checkpoint":…} with a duplicate member name'),
    makeCase(
      'format-json-duplicate-key-payload',
      withRequestPayload(f, dup),
      ['FORMAT.json'],
      'a request payload with "at" twice, correctly signed and chained',
    ),
  ];
}

/** A blank line, an unknown line kind, a header with an extra field, a checkpoint of another origin. */
export function breakFormatLine(): VectorCase[] {
  const blank = baseFixture();
  blank.w.appendLine('');
  blank.allowedRequest('req-2');
  blank.checkpoint();

  const kind = baseFixture();
  kind.w.appendLine(JSON.stringify({ witness: 'cosigned elsewhere' }));
  kind.checkpoint();

  const both = baseFixture();
  both.checkpoint();
  both.w.appendLine(JSON.stringify({ entry: both.w.entries[0], checkpoint: both.w.lastCheckpoint }));

  const header = baseFixture();
  header.checkpoint();
  const lines = header.text().split('\n');
  lines[0] = JSON.stringify({ countersign: 'bundle/v1', log: header.w.origin, generator: 'vectors' });

  const foreign = baseFixture();
  foreign.checkpoint();
  const note = foreign.w.lastCheckpoint!;
  foreign.w.appendLine(JSON.stringify({ checkpoint: note.replaceAll(foreign.w.origin, 'other.example/agents') }));
  return [
    makeCase('format-line-blank', blank, ['FORMAT.line'], 'a blank line between entries'),
    makeCase('format-line-unknown-kind', kind, ['FORMAT.line'], 'a line {"witness":…}, neither entry nor checkpoint'),
    makeCase('format-line-two-kinds', both, ['FORMAT.line'], 'a line with both "entry" and "checkpoint"'),
    makeCase('format-line-header-field', lines.join('\n'), ['FORMAT.line'], 'a header with an extra "generator" field', {
      trust: `genesis:${header.genesisHex}`,
    }),
    makeCase('format-line-foreign-checkpoint', foreign, ['FORMAT.line'], 'a checkpoint whose origin line (and key name) is another log'),
  ];
}

/** An entry with an extra field, a statement with an unknown field, a fraction in args. */
export function breakFormatSchema(): VectorCase[] {
  const entry = baseFixture();
  const next = entry.w.nextEntry(entry.sign(entry.requestStatement('req-2'), ['agent-a']));
  entry.w.appendEntry({ ...next, note: 'extra' });
  entry.checkpoint();

  const field = baseFixture();
  const extra = { ...field.requestStatement('req-2'), priority: 'high' };
  const fraction = baseFixture();
  const frac = fraction.requestStatement('req-2', { args: { ratio: 0.5 } });
  return [
    makeCase('format-schema-entry-field', entry, ['FORMAT.schema'], 'an entry {"seq","prev","envelope","note"}: unknown field'),
    makeCase(
      'format-schema-statement-field',
      withRequestPayload(field, canonicalBytes(extra)),
      ['FORMAT.schema'],
      'a request with an unknown field "priority", canonical and signed',
    ),
    makeCase(
      'format-schema-fraction',
      withRequestPayload(fraction, canonicalBytes(frac)),
      ['FORMAT.schema'],
      'a request whose args hold 0.5 (FORMAT.md §1: integers only)',
    ),
  ];
}

/** A request payload that is pretty-printed JSON: valid, signed, not JCS. */
export function breakFormatNoncanonical(): VectorCase[] {
  const f = baseFixture();
  const st = f.requestStatement('req-2');
  const sorted = JSON.parse(new TextDecoder().decode(canonicalBytes(st)));
  return [
    makeCase(
      'format-noncanonical',
      withRequestPayload(f, JSON.stringify(sorted, null, 1)),
      ['FORMAT.noncanonical'],
      'a request payload pretty-printed (sorted keys, whitespace), correctly signed and chained',
    ),
  ];
}
