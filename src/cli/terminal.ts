// One function for every string from a bundle, packet or file that reaches a terminal.
// Attacker-controlled text (a signed request id, an origin, a finding message quoting
// a field) could otherwise move the cursor, erase lines and print a fake "Verdict: PASS"
// (ECMA-48 CSI via ESC [ or the C1 byte U+009B), or reorder what the reader sees (bidi
// controls, UAX #9). Each such code point is shown as \u{…}; everything else is kept.

/** C0 but tab and newline, DEL, C1, and the Unicode format characters that reorder or hide text. */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\u206a-\u206f\u3164\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]|[\ud800-\udfff]/gu;

/** Escapes `s` for a terminal. Newlines are escaped too unless `keepNewlines`. */
export function escapeTerminal(s: string, keepNewlines = false): string {
  const out = s.replace(UNSAFE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
  return keepNewlines ? out : out.replace(/\n/g, '\\n');
}

/** For --json output: the same code points as JSON \u escapes, so the JSON value is unchanged. */
export function escapeJsonForTerminal(json: string): string {
  return json.replace(UNSAFE, (c) => {
    const u = c.codePointAt(0)!;
    if (u > 0xffff) {
      const hi = 0xd800 + ((u - 0x10000) >> 10);
      const lo = 0xdc00 + ((u - 0x10000) & 0x3ff);
      return `\\u${hi.toString(16).padStart(4, '0')}\\u${lo.toString(16).padStart(4, '0')}`;
    }
    return `\\u${u.toString(16).padStart(4, '0')}`;
  });
}
