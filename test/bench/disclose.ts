// Disclosure benchmark and round trip (docs/format.md §7.4), run by `node scripts/bench-disclose.mjs`
// (BENCH_ENTRIES, default 100,000; BENCH_DIR reused): on a generated bundle it measures
//   - a full verify (one streaming pass with every signature and the replay),
//   - making the packet of one request in the middle (one streaming pass, no signatures),
//     its size, and verifying it,
//   - the round trip: a packet per request (all made from one pass), each verified: all pass.
import { existsSync, readFileSync, writeFileSync, createReadStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { installNodeSha256 } from '../../src/cli/native-sha256.ts';
import { createSignatureBackend } from '../../src/core/crypto/ed25519.ts';
import { encodeUtf8 } from '../../src/core/encoding/utf8.ts';
import { verifyBundle } from '../../src/core/verifier/verify-bundle.ts';
import { formatDisclosure, makeDisclosure } from '../../src/core/disclosure/make-disclosure.ts';
import { generateCountersignBundle } from './generate-countersign.ts';

installNodeSha256();
const N = Number(process.env.BENCH_ENTRIES ?? 100_000);
const dir = process.env.BENCH_DIR ?? '/tmp/countersign-disclose-bench';
mkdirSync(dir, { recursive: true });
const path = join(dir, `cs-${N}.jsonl`);
if (!existsSync(path + '.meta.json')) {
  console.error(`generating ${path}…`);
  writeFileSync(path + '.meta.json', JSON.stringify(await generateCountersignBundle(path, N)));
}
const meta = JSON.parse(readFileSync(path + '.meta.json', 'utf8'));
const trust = [{ kind: 'genesis' as const, hex: meta.genesis as string }];
const backend = await createSignatureBackend('auto');
const stream = () => createReadStream(path, { highWaterMark: 1 << 20 });
const rss = () => Math.round(process.memoryUsage().rss / 2 ** 20);

let t = performance.now();
const full = await verifyBundle(stream(), { trust, backend });
const verifyMs = performance.now() - t;
if (!full.ok || full.report.verdict !== 'pass') throw new Error('the bench bundle does not pass');
console.error(`verify: ${(verifyMs / 1000).toFixed(1)} s, RSS ${rss()} MB`);

const mid = `req-${Math.floor(meta.entries / 5 / 2) | 1}`;
t = performance.now();
const one = await makeDisclosure(stream(), { requests: [mid] });
const discloseMs = performance.now() - t;
if (!one.ok) throw new Error(one.message);
t = performance.now();
const oneR = await verifyBundle([encodeUtf8(one.text)], { trust, backend });
const oneVerifyMs = performance.now() - t;
if (!oneR.ok || oneR.report.verdict !== 'pass') throw new Error(`packet of ${mid} does not pass`);
console.error(
  `disclose ${mid}: ${Math.round(discloseMs)} ms, ${one.text.length} bytes, ${one.summary.entries.length} entries; verify ${Math.round(oneVerifyMs)} ms`,
);

// Round trip: every request, one packet each, all made from one streaming pass.
// Every request id of the log (the report lists only the first 10,000), read from the bundle.
const ids: string[] = [];
for await (const line of createInterface({ input: stream(), crlfDelay: Infinity })) {
  if (!line.startsWith('{"entry"')) continue;
  const st = JSON.parse(Buffer.from(JSON.parse(line).entry.envelope.payload, 'base64').toString('utf8'));
  if (st.type === 'request') ids.push(st.id);
}
if (process.env.BENCH_ROUNDTRIP === '0') ids.length = 0;
t = performance.now();
const all = ids.length
  ? await makeDisclosure(stream(), { requests: ids })
  : {
      ok: true as const,
      perRequest: () => {
        throw new Error('no ids');
      },
    };
const allMs = performance.now() - t;
if (!all.ok) throw new Error(all.message);
let pass = 0;
let maxBytes = 0;
t = performance.now();
for (const id of ids) {
  const text = formatDisclosure(all.perRequest(id));
  maxBytes = Math.max(maxBytes, text.length);
  const r = await verifyBundle([encodeUtf8(text)], { trust, backend });
  if (r.ok && r.report.verdict === 'pass') pass++;
  else throw new Error(`packet of ${id}: ${r.ok ? JSON.stringify(r.report.findings.slice(0, 3)) : r.message}`);
}
const rtMs = performance.now() - t;
console.error(
  `round trip: ${pass}/${ids.length} pass; one pass for all ${Math.round(allMs)} ms; verifying ${Math.round(rtMs)} ms; largest packet ${maxBytes} bytes; RSS ${rss()} MB`,
);
console.log(
  [
    `| disclosure (${meta.entries.toLocaleString('en-US')} entries) | time | notes |`,
    '| --- | ---: | --- |',
    `| full verify (one streaming pass, signatures + replay) | ${(verifyMs / 1000).toFixed(1)} s | baseline |`,
    `| \`disclose\` one request (one streaming pass, no signatures) | ${(discloseMs / 1000).toFixed(1)} s | ${((discloseMs / verifyMs) * 100).toFixed(0)} % of the verify pass; packet ${one.text.length.toLocaleString('en-US')} bytes, ${one.summary.entries.length} entries |`,
    `| verify that packet | ${Math.round(oneVerifyMs)} ms | pass |`,
    `| round trip: every request (${ids.length.toLocaleString('en-US')}) disclosed and verified | ${((allMs + rtMs) / 1000).toFixed(1)} s | ${pass} pass; largest packet ${maxBytes.toLocaleString('en-US')} bytes |`,
  ].join('\n'),
);
