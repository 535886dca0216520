// RFC 6962 §2.1.1 inclusion proofs and §2.1.2 consistency proofs (make and check), over the
// leaves of docs/format.md §3 (docs/format.md "The log and its checkpoints", §7.3). The checks are the verification
// algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2, which accept exactly the proofs RFC 6962
// defines. Leaf and node hashing is merkle.ts's; nothing here hashes on its own.
//
// Making a proof never needs the whole log in memory. Every node a proof names is the MTH
// of a range of leaves that is either a perfect, aligned subtree [s, s + 2^h) or a suffix
// [s, n) of the tree of size n. `ProofCollector` is told up front which proofs it must make,
// works out those ranges, and keeps only their hashes while leaf hashes stream past: the
// perfect ones as the streaming fold creates them, the suffixes from the fold's right edge
// when the stream reaches size n. Memory is O(proofs · log n), time one node hash per leaf.
import { assertBytes, equalBytes, type Digest } from '../encoding/bytes.ts';
import { nodeHash } from './merkle.ts';

/** A leaf range [start, end) of a tree whose MTH a proof carries. */
export type ProofRange = { start: number; end: number };

function checkSize(n: unknown, name: string): asserts n is number {
  if (typeof n !== 'number') throw new TypeError(`${name} must be a number`);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be an integer in [0, 2^53 - 1], got ${n}`);
}

/** RFC 6962 §2.1: k is the largest power of two smaller than n (n > 1). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The ranges of RFC 6962 §2.1.1 PATH(m, D[n]), in proof order (from the leaf up).
 * PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) for m < k, PATH(m - k, D[k:n]) : MTH(D[0:k]) otherwise.
 */
export function inclusionProofRanges(index: number, size: number): ProofRange[] {
  checkSize(index, 'index');
  checkSize(size, 'size');
  if (index >= size) throw new RangeError(`index ${index} is not below tree size ${size}`);
  const out: ProofRange[] = [];
  const path = (m: number, start: number, n: number): void => {
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      path(m, start, k);
      out.push({ start: start + k, end: start + n });
    } else {
      path(m - k, start + k, n - k);
      out.push({ start, end: start + k });
    }
  };
  path(index, 0, size);
  return out;
}

/**
 * The ranges of RFC 6962 §2.1.2 PROOF(m, D[n]) = SUBPROOF(m, D[n], true), in proof order.
 * Empty for m = 0 and m = n (nothing to prove; RFC 9162 §2.1.4.1 gives no proof for either).
 */
export function consistencyProofRanges(oldSize: number, newSize: number): ProofRange[] {
  checkSize(oldSize, 'oldSize');
  checkSize(newSize, 'newSize');
  if (oldSize > newSize) throw new RangeError(`old size ${oldSize} exceeds new size ${newSize}`);
  const out: ProofRange[] = [];
  if (oldSize === 0 || oldSize === newSize) return out;
  const sub = (m: number, start: number, n: number, whole: boolean): void => {
    if (m === n) {
      if (!whole) out.push({ start, end: start + n });
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      sub(m, start, k, whole);
      out.push({ start: start + k, end: start + n });
    } else {
      sub(m - k, start + k, n - k, false);
      out.push({ start, end: start + k });
    }
  };
  sub(oldSize, 0, newSize, true);
  return out;
}

const key = (r: ProofRange): string => `${r.start}-${r.end}`;

/** A complete subtree on the Merkle frontier: its hash and height (2^height leaves). */
interface FrontierNode {
  hash: Digest;
  height: number;
}

/**
 * Appends leaf hash `h` as leaf number `end` (the count after it) to the frontier `stack`,
 * telling `note` of every complete subtree it forms: one merge per trailing 1 bit of the old
 * count (RFC 6962 §2.1), as merkle.ts's MerkleAccumulator does.
 */
function pushFrontier(stack: FrontierNode[], h: Digest, end: number, note: (end: number, node: FrontierNode) => void): void {
  let node: FrontierNode = { hash: h, height: 0 };
  note(end, node);
  for (let n = end - 1; n % 2 === 1; n = Math.floor(n / 2)) {
    const left = stack.pop()!;
    node = { hash: nodeHash(left.hash, node.hash), height: node.height + 1 };
    note(end, node);
  }
  stack.push(node);
}

/**
 * Makes inclusion and consistency proofs in the tree of size `size` from one streaming pass
 * over the leaf hashes (docs/format.md §3: leafhash(n) = SHA-256(0x00 || C(entry n))).
 *
 *   const c = new ProofCollector(n, { inclusion: [3, 17], consistency: [10] });
 *   for (const h of leafHashes) c.appendLeafHash(h);   // leaves past n are ignored
 *   c.inclusionProof(3); c.consistencyProof(10); c.root();
 */
export class ProofCollector {
  readonly size: number;
  #count = 0;
  // The streaming fold, like MerkleAccumulator's, with each subtree's height kept so a
  // finished node's range is known: [count - 2^h, count).
  #stack: FrontierNode[] = [];
  readonly #noteBound = (end: number, node: FrontierNode): void => this.#note(end, node);
  #wanted = new Set<string>();
  #found = new Map<string, Digest>();
  #suffixes: ProofRange[] = [];
  #inclusion = new Map<number, ProofRange[]>();
  #consistency = new Map<number, ProofRange[]>();
  #root: Digest | null = null;

  constructor(size: number, wants: { inclusion?: readonly number[]; consistency?: readonly number[] } = {}) {
    checkSize(size, 'size');
    if (wants === null || typeof wants !== 'object') throw new TypeError('wants must be an object');
    this.size = size;
    const { inclusion = [], consistency = [] } = wants;
    if (!Array.isArray(inclusion) || !Array.isArray(consistency)) throw new TypeError('inclusion and consistency must be arrays of sizes');
    for (const i of inclusion) if (!this.#inclusion.has(i)) this.#inclusion.set(i, inclusionProofRanges(i, size));
    for (const m of consistency) if (!this.#consistency.has(m)) this.#consistency.set(m, consistencyProofRanges(m, size));
    for (const list of [...this.#inclusion.values(), ...this.#consistency.values()])
      for (const r of list) {
        const k = key(r);
        if (this.#wanted.has(k)) continue;
        this.#wanted.add(k);
        const len = r.end - r.start;
        // Perfect and aligned: the fold creates it. Otherwise it is a suffix [s, size).
        if (!isPowerOfTwo(len) || r.start % len !== 0) this.#suffixes.push(r);
      }
    if (size === 0) this.#finish();
  }

  /** Leaves seen so far (at most `size`: later ones are not part of this tree). */
  get count(): number {
    return this.#count;
  }

  /** True once `size` leaves have been seen and every proof can be read. */
  get done(): boolean {
    return this.#root !== null;
  }

  appendLeafHash(h: Digest): void {
    assertBytes(h, 32, 'leaf hash');
    if (this.#count >= this.size) return;
    pushFrontier(this.#stack, h, ++this.#count, this.#noteBound);
    if (this.#count === this.size) this.#finish();
  }

  #note(end: number, node: FrontierNode): void {
    if (this.#wanted.size === 0) return;
    const k = `${end - 2 ** node.height}-${end}`;
    if (this.#wanted.has(k)) this.#found.set(k, node.hash);
  }

  // At size n the stack holds the perfect subtrees of n's binary decomposition; a suffix
  // [s, n) starts on one of their boundaries and is their right-to-left fold from there.
  #finish(): void {
    const s = this.#stack;
    const starts: number[] = [];
    let pos = 0;
    for (const e of s) {
      starts.push(pos);
      pos += 2 ** e.height;
    }
    for (const r of this.#suffixes) {
      const from = starts.indexOf(r.start);
      if (from < 0 || r.end !== this.size) throw new Error(`internal: range ${key(r)} is neither perfect nor a suffix of ${this.size}`);
      let acc = s[s.length - 1]!.hash;
      for (let i = s.length - 2; i >= from; i--) acc = nodeHash(s[i]!.hash, acc);
      this.#found.set(key(r), acc);
    }
    let root: Digest | null = null;
    if (s.length > 0) {
      root = s[s.length - 1]!.hash;
      for (let i = s.length - 2; i >= 0; i--) root = nodeHash(s[i]!.hash, root);
    }
    // The empty tree's root is not needed by any proof; callers use merkle.ts's EMPTY_ROOT.
    this.#root = root ?? (new Uint8Array(32) as Digest);
  }

  #read(list: ProofRange[] | undefined, what: string): Digest[] {
    if (list === undefined) throw new RangeError(`${what} was not requested from this collector`);
    if (!this.done) throw new Error(`${what}: only ${this.#count} of ${this.size} leaves seen`);
    return list.map((r) => this.#found.get(key(r))!);
  }

  /** RFC 6962 §2.1.1 PATH(index, D[size]). */
  inclusionProof(index: number): Digest[] {
    return this.#read(this.#inclusion.get(index), `inclusion proof for index ${index}`);
  }

  /** RFC 6962 §2.1.2 PROOF(oldSize, D[size]). */
  consistencyProof(oldSize: number): Digest[] {
    return this.#read(this.#consistency.get(oldSize), `consistency proof from size ${oldSize}`);
  }

  /** MTH of the tree of `size` leaves (not for size 0: use EMPTY_ROOT). */
  root(): Digest {
    if (this.size === 0) throw new RangeError('the empty tree has no proofs; its root is EMPTY_ROOT');
    if (!this.done) throw new Error(`root: only ${this.#count} of ${this.size} leaves seen`);
    return this.#root!;
  }
}

/** Inclusion proof from leaf hashes held in memory (tests, small logs). */
export function makeInclusionProof(leafHashes: readonly Digest[], index: number, size = leafHashes.length): Digest[] {
  if (!Array.isArray(leafHashes)) throw new TypeError('leafHashes must be an array');
  checkSize(size, 'size');
  if (size > leafHashes.length) throw new RangeError(`size ${size} exceeds the ${leafHashes.length} leaf hashes given`);
  const c = new ProofCollector(size, { inclusion: [index] });
  for (let i = 0; i < size; i++) c.appendLeafHash(leafHashes[i]!);
  return c.inclusionProof(index);
}

/** Consistency proof from leaf hashes held in memory (tests, small logs). */
export function makeConsistencyProof(leafHashes: readonly Digest[], oldSize: number, newSize = leafHashes.length): Digest[] {
  if (!Array.isArray(leafHashes)) throw new TypeError('leafHashes must be an array');
  checkSize(newSize, 'newSize');
  if (newSize > leafHashes.length) throw new RangeError(`new size ${newSize} exceeds the ${leafHashes.length} leaf hashes given`);
  const c = new ProofCollector(newSize, { consistency: [oldSize] });
  for (let i = 0; i < newSize; i++) c.appendLeafHash(leafHashes[i]!);
  return c.consistencyProof(oldSize);
}

function checkProofArray(proof: unknown): asserts proof is readonly Uint8Array[] {
  if (!Array.isArray(proof)) throw new TypeError('proof must be an array of 32-byte hashes');
  for (const [i, p] of proof.entries()) assertBytes(p, 32, `proof[${i}]`);
}

/**
 * RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or null if the proof has the
 * wrong length for (index, size). Attacker-controlled: proof, index and size come from a file.
 */
export function rootFromInclusionProof(args: { leafHash: Digest; index: number; size: number; proof: readonly Uint8Array[] }): Digest | null {
  if (args === null || typeof args !== 'object') throw new TypeError('rootFromInclusionProof needs an arguments object');
  const { leafHash, index, size, proof } = args;
  assertBytes(leafHash, 32, 'leafHash');
  checkSize(index, 'index');
  checkSize(size, 'size');
  checkProofArray(proof);
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r: Digest = leafHash;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** RFC 9162 §2.1.3.2: true iff `proof` proves leaf `index` in the tree of `size` with `root`. */
export function verifyInclusionProof(args: { leafHash: Digest; index: number; size: number; proof: readonly Uint8Array[]; root: Digest }): boolean {
  if (args === null || typeof args !== 'object') throw new TypeError('verifyInclusionProof needs an arguments object');
  assertBytes(args.root, 32, 'root');
  const r = rootFromInclusionProof(args);
  return r !== null && equalBytes(r, args.root);
}

/**
 * RFC 9162 §2.1.4.2: true iff `proof` shows the tree (oldSize, oldRoot) is a prefix of
 * (newSize, newRoot). Equal sizes need an empty proof and equal roots; old size 0 needs an
 * empty proof (every tree extends the empty one). Attacker-controlled: all of it.
 */
export function verifyConsistencyProof(args: { oldSize: number; newSize: number; oldRoot: Digest; newRoot: Digest; proof: readonly Uint8Array[] }): boolean {
  if (args === null || typeof args !== 'object') throw new TypeError('verifyConsistencyProof needs an arguments object');
  const { oldSize, newSize, oldRoot, newRoot, proof } = args;
  checkSize(oldSize, 'oldSize');
  checkSize(newSize, 'newSize');
  assertBytes(oldRoot, 32, 'oldRoot');
  assertBytes(newRoot, 32, 'newRoot');
  checkProofArray(proof);
  if (oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && equalBytes(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  // Step 2: for a power-of-two old size the old root is itself the first node of the path.
  const path: readonly Uint8Array[] = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]! as Digest;
  let sr = path[0]! as Digest;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(fr, oldRoot) && equalBytes(sr, newRoot);
}

/** Exact for every safe integer (bit operators would truncate above 2^31). */
function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

/**
 * Inclusion proofs from one streaming pass when neither the leaves to prove nor the tree
 * size are known up front (a disclosure learns both while reading: a leaf is chosen when
 * its entry is parsed, the tree size is that of the last checkpoint line).
 *
 *   p.addLeaf(index)  before appending leaf `index` (index >= count): remember its proof
 *   p.appendLeafHash(h)
 *   p.snapshot()      at a candidate tree size (a checkpoint line): fixes the right edge
 *   p.inclusionProof(index)   proof of a remembered leaf in the tree of the last snapshot
 *
 * Why this suffices: the left siblings on leaf i's path are the perfect subtrees of the
 * binary decomposition of [0, i), which the streaming fold holds just before leaf i; the
 * right siblings are either perfect, aligned subtrees [(⌊i/2^h⌋+1)·2^h, +2^h) the fold
 * creates later, or suffixes [s, n) of the final tree, folded from the stack at size n.
 */
export class InclusionProver {
  #count = 0;
  #stack: FrontierNode[] = [];
  readonly #noteBound = (end: number, node: FrontierNode): void => this.#note(end, node);
  /** Per remembered leaf: its left siblings, keyed by range. */
  #left = new Map<number, Map<string, Digest>>();
  #wanted = new Set<string>();
  #found = new Map<string, Digest>();
  #snapshot: { size: number; suffixes: Map<number, Digest>; root: Digest } | null = null;

  get count(): number {
    return this.#count;
  }

  /** The tree size of the last snapshot, or null. */
  get size(): number | null {
    return this.#snapshot?.size ?? null;
  }

  /** Remembers the proof for leaf `index`; call before that leaf is appended. */
  addLeaf(index: number): void {
    checkSize(index, 'index');
    if (index < this.#count) throw new RangeError(`leaf ${index} already went past (${this.#count} leaves seen)`);
    if (this.#left.has(index)) return;
    const left = new Map<string, Digest>();
    if (index === this.#count) {
      let pos = 0;
      for (const e of this.#stack) {
        const len = 2 ** e.height;
        left.set(`${pos}-${pos + len}`, e.hash);
        pos += len;
      }
    }
    // (index > count: its left siblings are still being built; they are wanted like the right ones.)
    this.#left.set(index, left);
    for (let h = 0, base = index; h < 53 && 2 ** h <= Number.MAX_SAFE_INTEGER / 2; h++, base = Math.floor(base / 2)) {
      const len = 2 ** h;
      const sib = base % 2 === 0 ? (base + 1) * len : (base - 1) * len;
      if (sib + len > Number.MAX_SAFE_INTEGER) break;
      if (sib >= this.#count || index > this.#count) this.#wanted.add(`${sib}-${sib + len}`);
    }
  }

  appendLeafHash(h: Digest): void {
    assertBytes(h, 32, 'leaf hash');
    if (this.#count >= Number.MAX_SAFE_INTEGER) throw new RangeError('tree size exceeds 2^53 - 1');
    pushFrontier(this.#stack, h, ++this.#count, this.#noteBound);
  }

  #note(end: number, node: FrontierNode): void {
    if (this.#wanted.size === 0) return;
    const k = `${end - 2 ** node.height}-${end}`;
    if (this.#wanted.has(k)) this.#found.set(k, node.hash);
  }

  /** Fixes the tree at the current count (a checkpoint's size) as the one proofs are for. */
  snapshot(): void {
    const s = this.#stack;
    const suffixes = new Map<number, Digest>();
    if (s.length === 0) {
      this.#snapshot = null;
      return;
    }
    const starts: number[] = [];
    let pos = 0;
    for (const e of s) {
      starts.push(pos);
      pos += 2 ** e.height;
    }
    let acc = s[s.length - 1]!.hash;
    suffixes.set(starts[s.length - 1]!, acc);
    for (let i = s.length - 2; i >= 0; i--) {
      acc = nodeHash(s[i]!.hash, acc);
      suffixes.set(starts[i]!, acc);
    }
    this.#snapshot = { size: this.#count, suffixes, root: acc };
  }

  /** Root of the snapshot tree, or null before any snapshot. */
  root(): Digest | null {
    return this.#snapshot?.root ?? null;
  }

  /** RFC 6962 PATH(index, D[size of the last snapshot]) for a remembered leaf. */
  inclusionProof(index: number): Digest[] {
    const snap = this.#snapshot;
    if (!snap) throw new Error('no snapshot: call snapshot() at the tree size to prove against');
    const left = this.#left.get(index);
    if (!left) throw new RangeError(`leaf ${index} was not remembered with addLeaf`);
    if (index >= snap.size) throw new RangeError(`leaf ${index} is not in the snapshot tree of size ${snap.size}`);
    return inclusionProofRanges(index, snap.size).map((r) => {
      const k = key(r);
      const h = (r.end === snap.size ? snap.suffixes.get(r.start) : undefined) ?? left.get(k) ?? this.#found.get(k);
      if (!h) throw new Error(`internal: no hash kept for range ${k} of the proof for leaf ${index}`);
      return h;
    });
  }
}
