import { describe, expect, it } from 'vitest';
import { scanJson, scanText, segmentText, summarizeIssues } from '../../src/core/wallet/text-safety.ts';

const kinds = (s: string) => scanText(s).map((i) => `${i.kind}@${i.index}`);

describe('text safety', () => {
  it('passes ordinary text in many scripts', () => {
    for (const s of ['Grant read access to svc-reporting', 'Überweisung an Müller', 'Привет мир', 'Καλημέρα', 'ゆっくり', 'line one\nline two\ttab', '', 'v2.3.1-rc1'])
      expect(scanText(s), s).toEqual([]);
  });

  it('flags every bidi control (Trojan Source)', () => {
    for (const cp of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c]) {
      const issues = scanText(`abc${String.fromCodePoint(cp)}def`);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ kind: 'bidi', index: 3, codePoint: cp });
      expect(issues[0]!.label).toMatch(/^U\+[0-9A-F]{4} /);
    }
    expect(scanText('user\u202Egnp.exe')[0]!.label).toBe('U+202E RIGHT-TO-LEFT OVERRIDE');
  });

  it('flags invisible and format characters, tags and variation selectors', () => {
    expect(kinds('pay\u200Bpal')).toEqual(['invisible@3']);
    expect(kinds('a\u200Cb\u200Dc\u2060d\uFEFFe\u00ADf')).toEqual(['invisible@1', 'invisible@3', 'invisible@5', 'invisible@7', 'invisible@9']);
    expect(kinds('x\u{E0041}y')).toEqual(['invisible@1']);
    expect(scanText('x\u{E0041}y')[0]!.length).toBe(2);
    expect(kinds('ok\uFE0F')).toEqual(['invisible@2']);
    expect(kinds('\u3164name')).toEqual(['invisible@0']);
  });

  it('flags control characters but not tab and line feed', () => {
    expect(kinds('a\rb\u0000c\u0085d\u2028')).toEqual(['control@1', 'control@3', 'control@5', 'control@7']);
  });

  it('flags Cyrillic and Greek letters inside Latin words', () => {
    const i = scanText('pаypal.com'); // Cyrillic а
    expect(i).toHaveLength(1);
    expect(i[0]).toMatchObject({ kind: 'confusable', index: 1, codePoint: 0x430 });
    expect(i[0]!.explanation).toMatch(/looks like the Latin "a"/);
    expect(kinds('micrοsoft')).toEqual(['confusable@4']); // Greek omicron
    expect(kinds('ЕXAMPLE')).toEqual(['confusable@0']); // Cyrillic Е
  });

  it('flags a whole word of Latin lookalikes among Latin text, but not real Cyrillic words', () => {
    const i = scanText('send to раураl now'); // Cyrillic р а у р а + Latin l? no: "раураl" mixes Latin l
    expect(i.length).toBeGreaterThan(0);
    const whole = scanText('login at сосо for admin'); // сосо all Cyrillic lookalikes
    expect(whole.map((x) => x.index)).toEqual([9, 10, 11, 12]);
    expect(whole[0]!.explanation).toMatch(/reads as "coco"/);
    expect(scanText('Привет')).toEqual([]);
    expect(scanText('сосо')).toEqual([]); // no Latin around: a Russian word
  });

  it('flags styled Latin (fullwidth, mathematical) and odd spaces', () => {
    expect(kinds('ａdmin')).toEqual(['confusable@0']);
    expect(scanText('𝐚dmin')[0]).toMatchObject({ kind: 'confusable', length: 2 });
    expect(kinds('a\u00A0b')).toEqual(['confusable@1']);
    expect(kinds('１0')).toEqual(['confusable@0']);
  });

  it('segments text into plain runs and markers that cover it exactly', () => {
    const s = 'a\u202Eb\u200Bcа';
    const seg = segmentText(s);
    expect(seg.map((x) => x.text).join('')).toBe(s);
    expect(seg.filter((x) => x.issue).map((x) => x.issue!.kind)).toEqual(['bidi', 'invisible', 'confusable']);
  });

  it('scans JSON keys and values with paths', () => {
    const found = scanJson({ ok: 'fine', list: ['x', 'y\u202E'], nested: { ['k\u200B']: 'v' } });
    expect(found.map((f) => `${f.path}${f.key ? ' (key)' : ''}`)).toEqual(['$.list[1]', '$.nested["k\u200b"] (key)']);
  });

  it('summarizes', () => {
    expect(summarizeIssues(scanText('a\u202Eb\u202Cc\u200Bdа'))).toBe('2 direction controls, 1 invisible character, 1 lookalike character');
    expect(summarizeIssues(scanText('pаy'))).toBe('1 lookalike character');
  });
});
