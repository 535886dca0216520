import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decryptKeyFile } from '../../core/crypto/key-file.ts';
import { verifyStrict, sign, keyIdOf } from '../../core/crypto/ed25519.ts';
import { pae, payloadTypeFor } from '../../core/crypto/dsse.ts';
import { decodeBase64, encodeBase64 } from '../../core/encoding/base64.ts';
import { canonicalBytes } from '../../core/encoding/jcs.ts';
import { openEnvelope } from '../../core/statements/envelope.ts';
import { RequestPacketSchema, describeZodError, type Approval, type Decision, type Request } from '../../core/statements/schemas.ts';
import { compareInstants, formatInstant, instantOf } from '../../core/statements/time.ts';
import { readJsonFile, readPassphrase, UsageError } from '../io.ts';

export const SIGN_HELP = `Usage: countersign sign --key KEYFILE --packet REQUEST.json --vote approve|reject
                       [--comment TEXT] [--out FILE] [--passphrase-file FILE]

Signs a parked request (request-packet/v1) as the approver whose key/v1 file is given,
and writes an approval/v1 file (stdout without --out): the headless twin of the wallet.
It refuses to sign a request that has expired, whose request or decision signature does
not verify, or whose requester is you where the gate forbids it.
The passphrase comes from --passphrase-file or COUNTERSIGN_PASSPHRASE.`;

export async function runSign(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      key: { type: 'string' },
      packet: { type: 'string' },
      vote: { type: 'string' },
      comment: { type: 'string' },
      out: { type: 'string' },
      at: { type: 'string' },
      'passphrase-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(SIGN_HELP);
    return 0;
  }
  if (!values.key || !values.packet) throw new UsageError('sign needs --key KEYFILE and --packet REQUEST.json');
  if (values.vote !== 'approve' && values.vote !== 'reject') throw new UsageError('sign needs --vote approve or --vote reject');
  const at = values.at ?? formatInstant({ sec: Math.floor(Date.now() / 1000), nanos: 0 });

  // Attacker-controlled: the packet came from elsewhere; check it before anything is signed.
  const parsed = RequestPacketSchema.safeParse(readJsonFile(values.packet, 'request packet'));
  if (!parsed.success) throw new UsageError(`${values.packet}: not a request-packet/v1: ${describeZodError(parsed.error, 'packet')}`);
  const packet = parsed.data;
  const req = openEnvelope(packet.request, 'packet.request');
  const dec = openEnvelope(packet.decision, 'packet.decision');
  const problems = [...req.problems, ...dec.problems].map((p) => `${p.code}: ${p.message}`);
  const request = req.opened?.statement as Request | null | undefined;
  const decision = dec.opened?.statement as Decision | null | undefined;
  if (!request || request.type !== 'request') problems.push('packet.request is not a request statement');
  if (!decision || decision.type !== 'decision') problems.push('packet.decision is not a decision statement');
  if (problems.length || !request || !decision || !req.opened) return refuse(problems);
  if (request.requester !== packet.requester.id) problems.push('packet.requester is not the request\'s requester');
  const requesterKeys = new Set<string>(packet.requester.keys.map((k) => keyIdOf(decodeBase64(k.pub))));
  const signedByRequester = req.opened.signatures.some((s) => {
    if (!requesterKeys.has(s.keyId)) return false;
    const k = packet.requester.keys.find((x) => keyIdOf(decodeBase64(x.pub)) === s.keyId)!;
    return verifyStrict(s.signature, req.opened!.signedMessage, decodeBase64(k.pub));
  });
  if (!signedByRequester) problems.push('the request is not signed by a key of its requester');
  if (decision.outcome !== 'parked' || !decision.gate) problems.push(`the decision is ${decision.outcome}, not parked`);
  if (decision.request !== req.opened.digest) problems.push('the decision is for another request');
  if (request.log !== packet.log || decision.log !== packet.log) problems.push('the statements name another log than the packet');
  if (decision.gate && compareInstants(instantOf(at), instantOf(decision.gate.expires_at)) > 0)
    problems.push(`the request expired at ${decision.gate.expires_at}`);

  const key = await decryptKeyFile(readFileSync(values.key, 'utf8'), readPassphrase(values['passphrase-file']));
  if (!key.ok) throw new UsageError(`${values.key}: ${key.message}`);
  if (decision.gate?.forbid_requester && key.principal === request.requester)
    problems.push(`you (${key.principal}) are the requester, and this gate forbids the requester from approving`);
  if (problems.length) {
    key.secretKey.fill(0);
    return refuse(problems);
  }
  const statement: Approval = {
    type: 'approval',
    log: packet.log,
    at,
    request: req.opened.digest,
    request_id: request.id,
    skill: request.skill,
    approver: key.principal,
    vote: values.vote,
    ...(values.comment ? { comment: values.comment } : {}),
  };
  const payload = canonicalBytes(statement);
  const signature = sign(pae(payloadTypeFor('approval'), payload), key.secretKey);
  key.secretKey.fill(0);
  const file = {
    countersign: 'approval/v1',
    envelope: {
      payloadType: payloadTypeFor('approval'),
      payload: encodeBase64(payload),
      signatures: [{ keyid: keyIdOf(key.publicKey), sig: encodeBase64(signature) }],
    },
  };
  const text = JSON.stringify(file, null, 2) + '\n';
  if (values.out) {
    writeFileSync(values.out, text);
    console.error(`wrote ${values.out}: ${values.vote} of ${request.id} (${request.skill}) by ${key.principal}`);
  } else process.stdout.write(text);
  return 0;
}

function refuse(problems: string[]): number {
  console.error('countersign: refusing to sign:');
  for (const p of problems) console.error(`  - ${p}`);
  return 1;
}
