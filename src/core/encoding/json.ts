// Strict I-JSON reader (RFC 8259 restricted by RFC 7493; docs/format.md "Bytes").
//
// Everything it reads is attacker-controlled. It rejects what JSON.parse lets
// through and two verifiers could disagree on: duplicate member names (JSON.parse
// keeps the last), escaped lone surrogates, invalid UTF-8 and nesting deeper than
// 64. Errors carry the JSON path and the line/column, and it never throws on input.

import { decodeUtf8 } from './utf8.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Why a text is not I-JSON. `lone_surrogate` is separate: MakerChecker gives it its own verdict. */
export type JsonErrorKind = 'utf8' | 'syntax' | 'duplicate_key' | 'lone_surrogate' | 'depth' | 'number';

export interface JsonError {
  kind: JsonErrorKind;
  message: string;
  /** JSONPath-like location, e.g. `$.envelope.signatures[0].sig`. */
  path: string;
  /** 1-based line and column within the parsed text (columns count UTF-16 units). */
  line: number;
  column: number;
}

export type JsonResult = { ok: true; value: JsonValue } | { ok: false; error: JsonError };

export const MAX_DEPTH = 64;

class Fail {
  readonly segments: (string | number)[] = [];
  constructor(
    readonly kind: JsonErrorKind,
    readonly message: string,
    readonly pos: number,
  ) {}
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function formatPath(segments: (string | number)[]): string {
  let p = '$';
  for (const s of segments) p += typeof s === 'number' ? `[${s}]` : IDENT.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
  return p;
}

function lineColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: pos - start + 1 };
}

/** Byte offset of the first invalid UTF-8 sequence, for the error message. */
function firstBadUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let n: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      n = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

function lineOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++)
    if (bytes[i] === 10) {
      line++;
      start = i + 1;
    }
  return { line, column: offset - start + 1 };
}

/** Parses UTF-8 bytes as I-JSON. A byte-order mark is rejected (docs/format.md "Bytes"). */
export function parseJsonBytes(bytes: Uint8Array): JsonResult {
  let text: string;
  try {
    text = decodeUtf8(bytes);
  } catch {
    const at = Math.max(0, firstBadUtf8(bytes));
    const lc = lineOfByte(bytes, at);
    return {
      ok: false,
      error: { kind: 'utf8', message: `invalid UTF-8 at byte ${at}`, path: '$', line: lc.line, column: lc.column },
    };
  }
  return parseJsonText(text);
}

/** Parses an already-decoded string as I-JSON. */
export function parseJsonText(text: string): JsonResult {
  const p = new Parser(text);
  try {
    p.ws();
    const value = p.value(0);
    p.ws();
    if (p.pos !== text.length) throw new Fail('syntax', `unexpected ${p.describe()} after the JSON value`, p.pos);
    return { ok: true, value };
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    const lc = lineColumn(text, e.pos);
    return {
      ok: false,
      error: { kind: e.kind, message: e.message, path: formatPath(e.segments.reverse()), ...lc },
    };
  }
}

class Parser {
  pos = 0;
  constructor(readonly s: string) {}

  describe(): string {
    if (this.pos >= this.s.length) return 'end of input';
    const c = this.s.codePointAt(this.pos)!;
    return c >= 0x20 && c < 0x7f ? `'${String.fromCodePoint(c)}'` : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }

  ws(): void {
    const s = this.s;
    let i = this.pos;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.pos = i;
  }

  value(depth: number): JsonValue {
    const c = this.s.charCodeAt(this.pos);
    switch (c) {
      case 123: // {
        return this.object(depth + 1);
      case 91: // [
        return this.array(depth + 1);
      case 34: // "
        return this.string();
      case 116:
        return this.literal('true', true);
      case 102:
        return this.literal('false', false);
      case 110:
        return this.literal('null', null);
      default:
        if (c === 45 || (c >= 48 && c <= 57)) return this.number();
        throw new Fail('syntax', `unexpected ${this.describe()}`, this.pos);
    }
  }

  literal<T extends JsonValue>(word: string, v: T): T {
    if (!this.s.startsWith(word, this.pos)) throw new Fail('syntax', `unexpected ${this.describe()}`, this.pos);
    this.pos += word.length;
    return v;
  }

  object(depth: number): { [key: string]: JsonValue } {
    if (depth > MAX_DEPTH) throw new Fail('depth', `nesting deeper than ${MAX_DEPTH}`, this.pos);
    this.pos++;
    const out: { [key: string]: JsonValue } = {};
    const seen = new Set<string>();
    this.ws();
    if (this.s.charCodeAt(this.pos) === 125) {
      this.pos++;
      return out;
    }
    for (;;) {
      if (this.s.charCodeAt(this.pos) !== 34) throw new Fail('syntax', `expected a member name, found ${this.describe()}`, this.pos);
      const keyPos = this.pos;
      const key = this.string();
      if (seen.has(key)) {
        const f = new Fail('duplicate_key', `duplicate member name ${JSON.stringify(key)}`, keyPos);
        f.segments.push(key);
        throw f;
      }
      seen.add(key);
      this.ws();
      if (this.s.charCodeAt(this.pos) !== 58) throw new Fail('syntax', `expected ':', found ${this.describe()}`, this.pos);
      this.pos++;
      this.ws();
      let v: JsonValue;
      try {
        v = this.value(depth);
      } catch (e) {
        if (e instanceof Fail) e.segments.push(key);
        throw e;
      }
      // A "__proto__" member must stay data, never become the prototype.
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
      this.ws();
      const c = this.s.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        this.ws();
        continue;
      }
      if (c === 125) {
        this.pos++;
        return out;
      }
      throw new Fail('syntax', `expected ',' or '}', found ${this.describe()}`, this.pos);
    }
  }

  array(depth: number): JsonValue[] {
    if (depth > MAX_DEPTH) throw new Fail('depth', `nesting deeper than ${MAX_DEPTH}`, this.pos);
    this.pos++;
    const out: JsonValue[] = [];
    this.ws();
    if (this.s.charCodeAt(this.pos) === 93) {
      this.pos++;
      return out;
    }
    for (;;) {
      try {
        out.push(this.value(depth));
      } catch (e) {
        if (e instanceof Fail) e.segments.push(out.length);
        throw e;
      }
      this.ws();
      const c = this.s.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        this.ws();
        continue;
      }
      if (c === 93) {
        this.pos++;
        return out;
      }
      throw new Fail('syntax', `expected ',' or ']', found ${this.describe()}`, this.pos);
    }
  }

  string(): string {
    const s = this.s;
    const start = ++this.pos;
    // Fast path: no escapes.
    let i = start;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.pos = i + 1;
        return s.slice(start, i);
      }
      if (c === 92) break;
      if (c < 0x20 || Number.isNaN(c)) {
        if (Number.isNaN(c)) throw new Fail('syntax', 'unterminated string', start - 1);
        throw new Fail('syntax', `unescaped control character U+${c.toString(16).padStart(4, '0')} in string`, i);
      }
      i++;
    }
    let out = s.slice(start, i);
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.pos = i + 1;
        return out;
      }
      if (Number.isNaN(c)) throw new Fail('syntax', 'unterminated string', start - 1);
      if (c < 0x20) throw new Fail('syntax', `unescaped control character U+${c.toString(16).padStart(4, '0')} in string`, i);
      if (c !== 92) {
        out += s[i];
        i++;
        continue;
      }
      const e = s.charCodeAt(i + 1);
      i += 2;
      switch (e) {
        case 34:
          out += '"';
          break;
        case 92:
          out += '\\';
          break;
        case 47:
          out += '/';
          break;
        case 98:
          out += '\b';
          break;
        case 102:
          out += '\f';
          break;
        case 110:
          out += '\n';
          break;
        case 114:
          out += '\r';
          break;
        case 116:
          out += '\t';
          break;
        case 117: {
          const u = this.hex4(i);
          i += 4;
          if (u >= 0xd800 && u <= 0xdbff) {
            // A high surrogate must be followed by an escaped low surrogate.
            if (s.charCodeAt(i) === 92 && s.charCodeAt(i + 1) === 117) {
              const lo = this.hex4(i + 2);
              if (lo >= 0xdc00 && lo <= 0xdfff) {
                out += String.fromCharCode(u, lo);
                i += 6;
                break;
              }
            }
            throw new Fail('lone_surrogate', `lone surrogate \\u${u.toString(16)} (ill-formed string)`, i - 6);
          }
          if (u >= 0xdc00 && u <= 0xdfff) throw new Fail('lone_surrogate', `lone surrogate \\u${u.toString(16)} (ill-formed string)`, i - 6);
          out += String.fromCharCode(u);
          break;
        }
        default:
          throw new Fail('syntax', 'invalid escape sequence in string', i - 2);
      }
    }
  }

  hex4(at: number): number {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const c = this.s.charCodeAt(at + k);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else throw new Fail('syntax', 'invalid \\u escape', at - 2);
      v = (v << 4) | d;
    }
    return v;
  }

  number(): number {
    const s = this.s;
    const start = this.pos;
    let i = start;
    if (s.charCodeAt(i) === 45) i++;
    const d0 = s.charCodeAt(i);
    if (d0 === 48) i++;
    else if (d0 >= 49 && d0 <= 57) while (isDigit(s.charCodeAt(i))) i++;
    else throw new Fail('syntax', 'invalid number', start);
    if (s.charCodeAt(i) === 46) {
      i++;
      if (!isDigit(s.charCodeAt(i))) throw new Fail('syntax', 'invalid number: digit expected after "."', i);
      while (isDigit(s.charCodeAt(i))) i++;
    }
    const e = s.charCodeAt(i);
    if (e === 101 || e === 69) {
      i++;
      const sign = s.charCodeAt(i);
      if (sign === 43 || sign === 45) i++;
      if (!isDigit(s.charCodeAt(i))) throw new Fail('syntax', 'invalid number: digit expected in exponent', i);
      while (isDigit(s.charCodeAt(i))) i++;
    }
    const text = s.slice(start, i);
    const n = Number(text);
    // RFC 7493 §2.2: numbers beyond IEEE 754 double range are not I-JSON.
    if (!Number.isFinite(n)) throw new Fail('number', 'number out of range', start);
    // Attacker-controlled: a fraction that rounds to a whole number
    // ("0.99999999999999999" reads as 1) would pass every integer check downstream
    // while its text says something else. A number that reads as an integer must
    // be one as written ("1.0" and "1e3" are; docs/format.md §1).
    if (Number.isInteger(n) && !isIntegerText(text))
      throw new Fail('number', `number ${text.length > 32 ? text.slice(0, 32) + '…' : text} is not an integer but reads as ${n}`, start);
    this.pos = i;
    return n;
  }
}

/** True if a JSON number's text denotes an integer exactly (RFC 8259 §6 grammar assumed). */
function isIntegerText(text: string): boolean {
  const m = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return false;
  const digits = (m[1]! + (m[2] ?? '')).replace(/0+$/, '');
  if (!/[1-9]/.test(digits)) return true; // zero, however written
  const trailingZeros = m[1]!.length + (m[2]?.length ?? 0) - digits.length;
  // value = digits * 10^(exp - fractionLength + trailingZeros)
  return Number(m[3] ?? 0) - (m[2]?.length ?? 0) + trailingZeros >= 0;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
