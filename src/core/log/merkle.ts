// RFC 6962 §2.1 Merkle Tree Hash (docs/format.md "The log and its checkpoints"), computed as leaves stream past.
// Only the roots of the perfect subtrees on the right edge are kept: one per set bit of
// the size, so memory is O(log n) however long the log is.
import { assertBytes, concatBytes, type Digest } from '../encoding/bytes.ts';
import { sha256 } from '../crypto/hash.ts';
import { canonicalize } from '../encoding/jcs.ts';
import { isCanonicalJson } from '../encoding/jcs-bytes.ts';
import type { JsonValue } from '../encoding/json.ts';
import { prefixedUtf8View, utf8Equals } from '../encoding/utf8.ts';

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** MTH of the empty tree: SHA-256 of the empty string (RFC 6962 §2.1). */
export const EMPTY_ROOT: Digest = sha256(new Uint8Array(0));

/** SHA-256(0x00 || leaf). The prefix keeps a leaf from passing for an inner node. */
export function leafHash(leaf: Uint8Array): Digest {
  assertBytes(leaf, undefined, 'leaf');
  return sha256(concatBytes(LEAF_PREFIX, leaf));
}

/** `{"entry":` (docs/format.md "Bundles": an entry line is {"entry": …}). */
const ENTRY_OPEN = [0x7b, 0x22, 0x65, 0x6e, 0x74, 0x72, 0x79, 0x22, 0x3a];

/**
 * An entry's leaf hash, SHA-256(0x00 || JCS(entry)) (docs/format.md "The log and its
 * checkpoints"). `line`: the bundle line the caller read (so valid JSON) and `entry` came from.
 * A writer that writes lines in JCS (the independent implementation behind ../shared's vectors
 * does; ours writes members in the order it builds them) leaves the entry's canonical bytes
 * inside {"entry": …}; when they are (shown from the bytes by jcs-bytes.ts, or compared with the
 * JCS text, never assumed), those are hashed and no JCS text or UTF-8 copy is made.
 */
export function entryLeafHash(entry: JsonValue | object, line?: Uint8Array): Digest {
  if (line && line.length > ENTRY_OPEN.length + 1 && line[line.length - 1] === 0x7d && ENTRY_OPEN.every((b, i) => line[i] === b)) {
    const inner = line.subarray(ENTRY_OPEN.length, line.length - 1);
    // Shown from the bytes (the line was read, so it is valid JSON: jcs-bytes.ts), or else compared.
    if (isCanonicalJson(inner)) return leafHash(inner);
    const text = canonicalize(entry);
    if (utf8Equals(text, inner)) return leafHash(inner);
    return sha256(prefixedUtf8View(LEAF_PREFIX[0]!, text)); // hashed at once, as the view requires
  }
  return sha256(prefixedUtf8View(LEAF_PREFIX[0]!, canonicalize(entry)));
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Digest {
  assertBytes(left, 32, 'left');
  assertBytes(right, 32, 'right');
  return sha256(concatBytes(NODE_PREFIX, left, right));
}

export class MerkleAccumulator {
  // stack[0] is the largest perfect subtree (leftmost); sizes follow the bits of `size`.
  #stack: Digest[] = [];
  #size = 0;

  appendLeafHash(h: Digest): void {
    assertBytes(h, 32, 'leaf hash');
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new RangeError('tree size exceeds 2^53 - 1');
    let node: Digest = h;
    // Each trailing 1 bit of the old size is a perfect subtree of the new leaf's height: merge.
    for (let n = this.#size; n % 2 === 1; n = Math.floor(n / 2)) node = nodeHash(this.#stack.pop()!, node);
    this.#stack.push(node);
    this.#size++;
  }

  get size(): number {
    return this.#size;
  }

  /**
   * MTH of all leaves so far. For a size that is not a power of two, RFC 6962 splits at the
   * largest power of two below it, recursively: that is folding the stack right to left.
   * Does not change the accumulator.
   */
  root(): Digest {
    const s = this.#stack;
    if (s.length === 0) return EMPTY_ROOT;
    let acc = s[s.length - 1]!;
    for (let i = s.length - 2; i >= 0; i--) acc = nodeHash(s[i]!, acc);
    return acc;
  }
}
