import { describe, expect, it } from 'vitest';
import { scanJson, scanText, segmentText, summarizeIssues } from '../../src/core/wallet/text-safety.ts';

const kinds = (s: string) => scanText(s).map((i) => `${i.kind}@${i.index}`);

describe('text safety', () => {
  it('passes ordinary text in many scripts', () => {
    for (const s of [
      'Grant read access to svc-reporting',
      'Überweisung an Müller',
      'Привет мир',
      'Καλημέρα',
      'ゆっくり',
      'line one\nline two\ttab',
      '',
      'v2.3.1-rc1',
    ])
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

// Issue 8, item 10: look-alikes the first scanner missed, found with Unicode's own data
// (UTS #39 confusables.txt, Script_Extensions, the bidi classes of the RTL scripts).
describe('look-alike gaps (issue 8)', () => {
  it('flags a whole Cherokee word among Latin text', () => {
    const s = 'approve \u13AA\u13DE\u13AC\u13A1\u13A2 for prod'; // Cherokee letters drawn like A L E R T
    const i = scanText(s);
    expect(i.map((x) => x.index)).toEqual([8, 9, 10, 11, 12]);
    expect(i[0]!.explanation).toMatch(/reads as "ALERT"/);
  });

  it.each([
    ['ɑdmin', 0, 'a'],
    ['admın', 3, 'i'],
    ['ꜱudo', 0, 's'],
    ['ɪam.grant', 0, 'i'],
  ])('flags the Latin look-alike in %s', (s, at, like) => {
    const i = scanText(s);
    expect(i.map((x) => x.index)).toEqual([at]);
    expect(i[0]).toMatchObject({ kind: 'confusable' });
    expect(i[0]!.explanation).toContain(`"${like}"`);
  });

  it('flags small capitals inside an ASCII word', () => {
    expect(kinds('ᴀdmin')).toEqual(['confusable@0']);
    expect(kinds('roᴏt')).toEqual(['confusable@2']);
    expect(kinds('ʀoot')).toEqual(['confusable@0']);
  });

  it('flags combining overlays (U+0336, U+0338) that strike a letter through', () => {
    expect(kinds('de\u0336lete')).toEqual(['confusable@2']);
    expect(kinds('a\u0338b')).toEqual(['confusable@1']);
    expect(kinds('Cafe\u0301')).toEqual([]); // an accent that composes is ordinary text
  });

  it('flags Hebrew or Arabic letters that reorder the numbers around them', () => {
    expect(kinds('10 א 20')).toEqual(['bidi@3']);
    expect(kinds('pay 100 ب 5')).toEqual(['bidi@8']);
    expect(scanText('10 א 20')[0]!.explanation).toMatch(/right-to-left/);
    expect(scanText('שלום עולם')).toEqual([]); // Hebrew alone is ordinary text
    expect(scanText('مرحبا بالعالم')).toEqual([]);
  });

  it('still passes ordinary text', () => {
    for (const s of ['Straße', 'smørbrød', 'Ærø', 'naïve café', 'Łódź', 'İstanbul', 'ǅemal']) expect(scanText(s), s).toEqual([]);
  });
});
