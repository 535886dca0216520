import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatCheckpointBody, formatGovernanceLine, parseCheckpoint, parseGovernanceLine, signCheckpoint } from '../../src/core/log/checkpoint.ts';
import { asSecretKey } from '../../src/core/encoding/bytes.ts';
import { decodeHex } from '../../src/core/encoding/hex.ts';
import { sha256 } from '../../src/core/crypto/hash.ts';
import { whenShared, sharedPath } from '../helpers/shared.ts';

// FORMAT.md §7.1 / docs/format.md §7.1: the governance extension line.
const secretKey = asSecretKey(decodeHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'));
const root = sha256(new TextEncoder().encode('root'));
const ORIGIN = 'acme.example/agents-prod';

function withBodyLines(extra: string[]): string {
  const note = signCheckpoint({ origin: ORIGIN, size: 7, root, secretKey });
  const [body, sigs] = note.split('\n\n') as [string, string];
  return [body, ...extra].join('\n') + '\n\n' + sigs;
}

describe('§7.1 governance extension line', () => {
  it('is written by signCheckpoint and read back by parseCheckpoint', () => {
    const note = signCheckpoint({ origin: ORIGIN, size: 7, root, secretKey, governance: { roster: 3, policy: 12 } });
    expect(note.split('\n')[3]).toBe('countersign/governance roster 3 policy 12');
    const p = parseCheckpoint(note);
    if (!p.ok) throw new Error(p.message);
    expect(p.checkpoint.governance).toEqual({ roster: 3, policy: 12 });
    expect(p.checkpoint.extensions).toEqual(['countersign/governance roster 3 policy 12']);
    expect(p.checkpoint.extensionProblem).toBeNull();
    expect(p.checkpoint.body).toBe(formatCheckpointBody(ORIGIN, 7, root, { roster: 3, policy: 12 }));
  });

  it('a checkpoint without extension lines has governance null and no problem', () => {
    const p = parseCheckpoint(signCheckpoint({ origin: ORIGIN, size: 7, root, secretKey }));
    if (!p.ok) throw new Error(p.message);
    expect(p.checkpoint).toMatchObject({ governance: null, extensions: [], extensionProblem: null });
  });

  it.each([
    ['countersign/governance roster 01 policy 1', /leading zeros/],
    ['countersign/governance roster 1 policy 1 ', /not "countersign/],
    ['countersign/governance  roster 1 policy 1', /not "countersign/],
    ['countersign/governance roster 1 policy -1', /decimal/],
    ['countersign/governance roster １ policy 1', /decimal/],
    ['countersign/governance policy 1 roster 1', /not "countersign/],
    ['countersign/governance roster 99999999999999999 policy 1', /decimal|2\^53/],
    ['example.org/other-extension 42', /not "countersign/],
  ])('%j is a malformed extension (the note still parses; a verifier reports CKPT.extension)', (line, re) => {
    const p = parseCheckpoint(withBodyLines([line]));
    if (!p.ok) throw new Error(p.message);
    expect(p.checkpoint.governance).toBeNull();
    expect(p.checkpoint.extensionProblem).toMatch(re);
    expect(p.checkpoint.extensionProblem).toMatch(/line 4/);
  });

  it('two extension lines, even two well-formed governance lines, are a problem', () => {
    const line = 'countersign/governance roster 1 policy 1';
    const p = parseCheckpoint(withBodyLines([line, line]));
    if (!p.ok) throw new Error(p.message);
    expect(p.checkpoint.governance).toBeNull();
    expect(p.checkpoint.extensionProblem).toMatch(/2 extension lines/);
  });

  it('parseGovernanceLine / formatGovernanceLine round trip and check their arguments', () => {
    expect(parseGovernanceLine(formatGovernanceLine({ roster: 0, policy: 9007199254740991 }))).toEqual({
      ok: true,
      versions: { roster: 0, policy: 9007199254740991 },
    });
    expect(() => formatGovernanceLine({ roster: 1.5, policy: 1 })).toThrow(RangeError);
    expect(() => formatGovernanceLine({ roster: '1' as unknown as number, policy: 1 })).toThrow(TypeError);
  });

  whenShared(() =>
    it('reads the line on the independent implementation’s v1.1 checkpoints', () => {
      const packet = JSON.parse(readFileSync(sharedPath('vectors/countersign-v1.1/cs-valid-disclosure.json'), 'utf8'));
      const p = parseCheckpoint(packet.checkpoint);
      if (!p.ok) throw new Error(p.message);
      expect(p.checkpoint.governance).toEqual({ roster: 2, policy: 2 });
      expect(p.checkpoint.signatures).toHaveLength(2);
    }),
  );
});
