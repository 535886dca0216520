#!/usr/bin/env node
// A naive MakerChecker AAPR v1 verifier, written from the published rules only
// (MAKERCHECKER.md "Bytes" and "Checks"), the way MakerChecker's own `proof-verifier`
// works: read the whole file into one string, JSON.parse it at once, then per event
// build the camelCase object, canonicalise it (RFC 8785 JCS), SHA-256 it with
// node:crypto, and check the chain, count, digest, head and the manifest's Ed25519
// signature (node:crypto). It stops at the first failure, as MakerChecker does.
//
// It is the yardstick of `npm run bench` (ours must be >= 3x faster in the same run),
// and deliberately shares no code with src/: it is what a peer would write.
//
//   node test/bench/naive-makerchecker.mjs FILE   -> one JSON line {ok, reason?, events, ms}
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** RFC 8785: sorted keys (UTF-16 order, which Array#sort gives), ES number and string forms. */
function canonicalize(v) {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(canonicalize).join(',') + ']';
  return (
    '{' +
    Object.keys(v)
      .sort()
      .filter((k) => v[k] !== undefined)
      .map((k) => JSON.stringify(k) + ':' + canonicalize(v[k]))
      .join(',') +
    '}'
  );
}
const sha256hex = (s) => createHash('sha256').update(s, 'utf8').digest('hex');
const ILL = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function verifyNaive(text) {
  const doc = JSON.parse(text);
  const m = doc.manifest;
  const events = doc.events;
  if (!m || !Array.isArray(events)) return { ok: false, reason: 'schema' };
  const signed = {
    bundleKind: m.bundleKind,
    schemaVersion: m.schemaVersion,
    instanceId: m.instanceId,
    exportedAt: m.exportedAt,
    runId: m.runId,
    count: m.count,
    firstSeq: m.firstSeq,
    lastSeq: m.lastSeq,
    headHash: m.headHash,
    eventHashesDigest: m.eventHashesDigest,
  };
  const key = createPublicKey(m.publicKeyPem);
  if (!verify(null, Buffer.from(canonicalize(signed), 'utf8'), key, Buffer.from(m.signature, 'base64'))) return { ok: false, reason: 'signature' };
  if (events.length !== m.count) return { ok: false, reason: 'count' };
  if (sha256hex(events.map((e) => e.hash).join('\n')) !== m.eventHashesDigest) return { ok: false, reason: 'digest' };
  let prev = m.bundleKind === 'full' ? sha256hex('makerchecker-genesis:' + m.instanceId) : null;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (m.bundleKind === 'run' && e.run_id !== m.runId) return { ok: false, reason: 'run' };
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(e.occurred_at)) return { ok: false, reason: 'schema' };
    const input = {
      id: e.id,
      occurredAt: e.occurred_at,
      actor: e.actor,
      eventType: e.event_type,
      entityType: e.entity_type,
      entityId: e.entity_id,
      runId: e.run_id,
      payload: e.payload,
      prevHash: e.prev_hash,
    };
    const c = canonicalize(input);
    if (ILL.test(c)) return { ok: false, reason: 'ill_formed_string' };
    if (sha256hex(c) !== e.hash) return { ok: false, reason: 'hash' };
    if (prev !== null && e.prev_hash !== prev) return { ok: false, reason: 'link' };
    if (i === 0 && m.bundleKind === 'full' && e.event_type !== 'audit.genesis') return { ok: false, reason: 'link' };
    prev = e.hash;
  }
  const last = events.at(-1);
  if ((last?.hash ?? null) !== m.headHash || (events[0]?.seq ?? null) !== m.firstSeq || (last?.seq ?? null) !== m.lastSeq) return { ok: false, reason: 'head' };
  return { ok: true, events: events.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const t0 = performance.now();
  const r = verifyNaive(readFileSync(process.argv[2], 'utf8'));
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ...r, ms: Math.round(ms), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
}
