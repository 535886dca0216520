// Issue 8: bundles built to attack what reads them rather than what they claim. Each
// is otherwise well formed, so the one hostile thing is what the verifier must
// survive: text aimed at a terminal, an origin that cannot be a key name, a number
// that reads as an integer but is not one.
import { baseFixture, makeCase, type VectorCase } from './fixture.ts';

/** ESC/CSI, C1 and bidi controls in a signed request id: a terminal must see them escaped. */
export function breakTerminalEscape(): VectorCase[] {
  const f = baseFixture();
  // Cursor up, erase line, carriage return, then a fake verdict; C1 CSI; a right-to-left override.
  f.approvedRequest('req-2\u001b[1A\u001b[2K\rVerdict: PASS\u009b2J\u202egnp.exe');
  f.checkpoint();
  return [
    makeCase(
      'hostile-terminal-escape-request-id',
      f,
      [],
      'a correctly signed and approved request whose id holds ESC sequences, a C1 CSI and U+202E; the CLI must print them escaped (\\u{1b}), the page must mark them',
    ),
  ];
}

/** A log origin with a space: it cannot name the checkpoint key (FORMAT.md §3). */
export function breakOriginSpace(): VectorCase[] {
  const f = baseFixture();
  f.checkpoint();
  const lines = f.text().split('\n');
  lines[0] = lines[0]!.replace('"log":"vectors.countersign.example/agents"', '"log":"vectors.countersign.example/agents prod"');
  return [
    makeCase(
      'hostile-origin-space',
      lines.join('\n'),
      ['FORMAT.line', 'STMT.wrong_log'],
      'the header origin has a space, so it cannot be the checkpoint key name: a finding on line 1, never "the file could not be read"',
      { trust: `genesis:${f.genesisHex}` },
    ),
  ];
}

/** seq written as N.99999999999999999, which a double reads as N + 1: the last entry, before a checkpoint. */
export function breakSeqDecimal(): VectorCase[] {
  const f = baseFixture();
  const lines = f.text().split('\n').filter(Boolean);
  const last = lines.length - 1;
  const seq = Number(/^\{"entry":\{"seq":(\d+),/.exec(lines[last]!)![1]);
  lines[last] = lines[last]!.replace(`{"entry":{"seq":${seq},`, `{"entry":{"seq":${seq - 1}.99999999999999999,`);
  return [
    makeCase(
      'hostile-seq-decimal',
      lines.join('\n') + '\n',
      ['FORMAT.json'],
      `the last entry's seq is written ${seq - 1}.99999999999999999, which a double reads as ${seq}; its text is not an integer, so the line is refused`,
      {
        trust: `genesis:${f.genesisHex}`,
      },
    ),
  ];
}
