// Disclosure packets and tlog-proofs (docs/format.md §7.3–§7.4) that break one thing each,
// made from one gate-written log: a roster update (adds erin, unused), a policy update, a
// request approved by alice and bob and executed, an ungated request. The valid packet is
// what `countersign disclose` writes; each breaker changes exactly one thing in it.
import { encodeBase64, decodeBase64 } from '../../../src/core/encoding/base64.ts';
import type { Digest } from '../../../src/core/encoding/bytes.ts';
import { canonicalBytes } from '../../../src/core/encoding/jcs.ts';
import { encodeUtf8 } from '../../../src/core/encoding/utf8.ts';
import { parseCheckpoint, signCheckpoint } from '../../../src/core/log/checkpoint.ts';
import { leafHash } from '../../../src/core/log/merkle.ts';
import { makeInclusionProof } from '../../../src/core/log/proofs.ts';
import { makeDisclosure, makeTlogProof, formatDisclosure, type DisclosurePacketOut } from '../../../src/core/disclosure/make-disclosure.ts';
import type { FindingCode } from '../../../src/core/report/findings.ts';
import { ORIGIN, cast, genesisParts, key, principal } from './fixture.ts';
import { GateDriver } from './valid.ts';

export interface DisclosureVector {
  name: string;
  file: string;
  expect: 'pass' | 'warn' | 'fail';
  codes: FindingCode[];
  trust: string;
  note: string;
  bytes: Uint8Array;
}

interface Base {
  bundle: string;
  trust: string;
  packet: DisclosurePacketOut;
  leafHashes: Digest[];
  typeAt: (seq: number) => string;
}

function gateLog(): GateDriver {
  const d = new GateDriver();
  const roster = d.f.sign(
    { type: 'roster', log: ORIGIN, at: d.f.tick(), version: 2, principals: [...cast(), principal('erin', 'Erin Sato', 'human', ['security-lead'])] },
    ['gov-1', 'gov-2'],
  );
  GateDriver.expect(d.gate.submitUpdate(roster, d.f.tick()), 'recorded');
  const p = genesisParts().policy;
  const policy = d.f.sign({ type: 'policy', log: ORIGIN, at: d.f.tick(), version: 2, skills: p.skills, grants: p.grants }, ['gov-1', 'gov-2']);
  GateDriver.expect(d.gate.submitUpdate(policy, d.f.tick()), 'recorded');
  const req = d.request('req-1');
  d.approve(req, 'alice', 'recorded');
  d.approve(req, 'bob', 'executed');
  d.request('req-2', { skill: 'logs.read', skill_version: '1' }, 'allowed');
  return d;
}

async function base(): Promise<Base> {
  const d = gateLog();
  const bundle = d.gate.bundleText();
  const made = await makeDisclosure([encodeUtf8(bundle)], { requests: ['req-1'] });
  if (!made.ok) throw new Error(made.message);
  const entries = bundle
    .split('\n')
    .filter((l) => l.startsWith('{"entry"'))
    .map((l) => JSON.parse(l).entry);
  const types = entries.map((e) => JSON.parse(new TextDecoder().decode(decodeBase64(e.envelope.payload))).type as string);
  return {
    bundle,
    trust: `genesis:${d.genesisHex}`,
    packet: made.packet,
    leafHashes: entries.map((e) => leafHash(canonicalBytes(e))),
    typeAt: (seq) => types[seq]!,
  };
}

const verdictOf = (codes: FindingCode[]): DisclosureVector['expect'] =>
  codes.some((c) => !['DISCLOSE.unproven', 'REQ.pending', 'TIME.order', 'CKPT.unanchored', 'TRUST.unpinned'].includes(c))
    ? 'fail'
    : codes.length
      ? 'warn'
      : 'pass';

function packetCase(name: string, b: Base, edit: (p: DisclosurePacketOut) => void, codes: FindingCode[], note: string): DisclosureVector {
  const p = structuredClone(b.packet);
  edit(p);
  return { name, file: `${name}.json`, expect: verdictOf(codes), codes, trust: b.trust, note, bytes: encodeUtf8(formatDisclosure(p)) };
}

const indexOfType = (b: Base, p: DisclosurePacketOut, type: string) => p.entries.findIndex((e) => b.typeAt((e.entry as { seq: number }).seq) === type);

export async function validDisclosure(b: Base): Promise<DisclosureVector[]> {
  return [
    packetCase(
      'valid-disclosure',
      b,
      () => {},
      [],
      'req-1 with genesis, roster 2, policy 2, its decision, two approvals and execution, proven to the last checkpoint (with the §7.1 line)',
    ),
  ];
}

/** One bit of one hash of one inclusion proof flipped. */
export function breakProofInclusionHash(b: Base): DisclosureVector[] {
  return [
    packetCase(
      'proof-inclusion-hash-changed',
      b,
      (p) => {
        const e = p.entries[indexOfType(b, p, 'approval')]!;
        const h = decodeBase64(e.proof[1]!);
        h[0]! ^= 0x01;
        e.proof[1] = encodeBase64(h);
      },
      ['PROOF.inclusion'],
      "the first approval's inclusion proof has one bit of its second hash flipped",
    ),
  ];
}

/** A true proof, but of the next leaf: the approval is not shown at its own position. */
export function breakProofInclusionIndex(b: Base): DisclosureVector[] {
  return [
    packetCase(
      'proof-inclusion-wrong-index',
      b,
      (p) => {
        const e = p.entries[indexOfType(b, p, 'approval')]!;
        const seq = (e.entry as { seq: number }).seq;
        const size = parseCheckpoint(p.checkpoint).ok ? (parseCheckpoint(p.checkpoint) as { checkpoint: { size: number } }).checkpoint.size : 0;
        e.proof = makeInclusionProof(b.leafHashes, seq + 1, size).map((h) => encodeBase64(h));
      },
      ['PROOF.inclusion'],
      'the first approval carries the (valid) inclusion proof of the entry after it',
    ),
  ];
}

/** Roster version 2 left out although the checkpoint states roster 2. */
export function breakDiscloseGovernance(b: Base): DisclosureVector[] {
  return [
    packetCase(
      'disclose-governance-missing-roster',
      b,
      (p) => p.entries.splice(indexOfType(b, p, 'roster'), 1),
      ['DISCLOSE.governance'],
      'the roster version 2 entry is left out; the checkpoint states roster 2 policy 2',
    ),
  ];
}

/** The execution cites two approvals; one is left out. */
export function breakDiscloseCited(b: Base): DisclosureVector[] {
  return [
    packetCase(
      'disclose-cited-missing-approval',
      b,
      (p) => p.entries.splice(indexOfType(b, p, 'approval'), 1),
      ['DISCLOSE.cited'],
      "alice's approval, cited by the execution, is left out",
    ),
  ];
}

/** The same tree head signed by the gate without the §7.1 line. */
export function leaveDiscloseUnproven(b: Base): DisclosureVector[] {
  return [
    packetCase(
      'disclose-unproven-no-extension',
      b,
      (p) => {
        const cp = parseCheckpoint(p.checkpoint);
        if (!cp.ok) throw new Error(cp.message);
        p.checkpoint = signCheckpoint({ origin: ORIGIN, size: cp.checkpoint.size, root: cp.checkpoint.root, secretKey: key('gate') });
      },
      ['DISCLOSE.unproven'],
      'the checkpoint (same size and root, gate-signed) has no countersign/governance line',
    ),
  ];
}

/** Single-entry C2SP tlog-proofs: the genesis (pinned by its digest), and one with a hash changed. */
export async function tlogProofs(b: Base): Promise<DisclosureVector[]> {
  const made = await makeTlogProof([encodeUtf8(b.bundle)], { seq: 0 });
  if (!made.ok) throw new Error(made.message);
  const lines = made.text.split('\n');
  const h = decodeBase64(lines[3]!);
  h[31]! ^= 0x80;
  const broken = [...lines.slice(0, 3), encodeBase64(h), ...lines.slice(4)].join('\n');
  return [
    {
      name: 'tlog-proof-genesis',
      file: 'tlog-proof-genesis.tlog-proof',
      expect: 'pass',
      codes: [],
      trust: b.trust,
      note: 'the genesis as a C2SP tlog-proof@v1, pinned by its digest',
      bytes: encodeUtf8(made.text),
    },
    {
      name: 'tlog-proof-hash-changed',
      file: 'tlog-proof-hash-changed.tlog-proof',
      expect: 'fail',
      codes: ['PROOF.inclusion'],
      trust: b.trust,
      note: 'the genesis tlog-proof with one bit of its first proof hash flipped',
      bytes: encodeUtf8(broken),
    },
  ];
}

export async function generateDisclosureCases(): Promise<DisclosureVector[]> {
  const b = await base();
  return [
    ...(await validDisclosure(b)),
    ...breakProofInclusionHash(b),
    ...breakProofInclusionIndex(b),
    ...breakDiscloseGovernance(b),
    ...breakDiscloseCited(b),
    ...leaveDiscloseUnproven(b),
    ...(await tlogProofs(b)),
  ];
}

export const DISCLOSURE_VECTOR_DIR = 'test/vectors/disclosure';

export function disclosureIndex(cases: DisclosureVector[]): string {
  return (
    JSON.stringify(
      {
        note:
          'Countersign v1.1 disclosure packets and tlog-proofs (docs/format.md §7.3-§7.4), generated by test/vectors/breakers/disclosure.ts (npm run vectors). ' +
          'Verify each file with the given trust anchors: the verdict must equal `expect`, every code in `codes` must appear, and no other error code may.',
        cases: cases.map((c) => ({ file: c.file, expect: c.expect, codes: c.codes, trust: c.trust, note: c.note })),
      },
      null,
      1,
    ) + '\n'
  );
}
