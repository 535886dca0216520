import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { decryptKeyFile } from '../../core/crypto/key-file.ts';
import { keyIdOf } from '../../core/crypto/ed25519.ts';
import { signStatement } from '../../core/statements/sign-statement.ts';
import { formatInstant, instantOf, parseTime } from '../../core/statements/time.ts';
import { checkLogProfileText } from '../../core/wallet/profile.ts';
import { checkRequestPacket } from '../../core/wallet/packet.ts';
import { approvalFileText, buildApproval } from '../../core/wallet/statements.ts';
import { CAPS, parseTrustArg, readCappedText, readJsonFile, readPassphrase, UsageError } from '../io.ts';
import { writeFileAtomic } from '../write-file.ts';
import { escapeTerminal } from '../terminal.ts';

export const SIGN_HELP = `Usage: countersign sign --key KEYFILE --packet REQUEST.json --vote approve|reject
                       [--comment TEXT] [--out FILE] [--profile LOG-PROFILE.json]
                       [--trust genesis:HEX] [--passphrase-file FILE]

Signs a parked request (request-packet/v1) as the approver whose key/v1 file is given,
and writes an approval/v1 file (stdout without --out): the headless twin of the wallet,
running the same checks before anything is signed.

  --profile FILE   the log-profile/v1 that says which gate, roster and policy to trust
                   (default: log-profile.json beside the packet)
  --trust HEX      also require the profile's genesis to be this one (genesis:HEX)

It refuses (exit 1) a request whose signatures do not verify under the trusted profile,
that has expired, that you requested where the gate forbids it, that you are not eligible
for, or that you already signed. The passphrase comes from --passphrase-file or
COUNTERSIGN_PASSPHRASE, never from an argument.`;

export async function runSign(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      key: { type: 'string' },
      packet: { type: 'string' },
      vote: { type: 'string' },
      comment: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string' },
      trust: { type: 'string' },
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
  if (values.at !== undefined && !parseTime(values.at)) throw new UsageError('--at takes an RFC 3339 UTC time such as 2026-03-18T10:04:05Z');
  const at = values.at ?? formatInstant({ sec: Math.floor(Date.now() / 1000), nanos: 0 });
  const profilePath = values.profile ?? join(dirname(values.packet), 'log-profile.json');
  if (!existsSync(profilePath))
    throw new UsageError(`no log profile at ${profilePath}: give --profile LOG-PROFILE.json, so the gate and roster to trust are known`);
  const profile = checkLogProfileText(readCappedText(profilePath, 'log profile', CAPS.profile));
  if (!profile.ok)
    throw new UsageError(
      `${profilePath}: ${escapeTerminal(profile.message)}${profile.details.length ? '; ' + profile.details.map((d) => escapeTerminal(d)).join('; ') : ''}`,
    );
  if (values.trust) {
    const anchor = parseTrustArg(values.trust);
    if (anchor.kind !== 'genesis' || anchor.hex !== profile.profile.genesisDigest)
      throw new UsageError(`${profilePath}: its genesis ${profile.profile.genesisDigest} is not the pinned ${values.trust}`);
  }
  const packet = readJsonFile(values.packet, 'request packet');
  const keyText = readCappedText(values.key, 'key file', CAPS.key);
  const key = await decryptKeyFile(keyText, readPassphrase(values['passphrase-file']));
  if (!key.ok) throw new UsageError(`${values.key}: ${escapeTerminal(key.message)}`);
  try {
    // Attacker-controlled: the packet. The same checks as the wallet's review screen.
    const check = checkRequestPacket(packet, {
      profiles: [profile.profile],
      identity: { principal: key.principal, keyId: keyIdOf(key.publicKey) },
      now: instantOf(at).sec * 1000,
      prior: [],
    });
    if (!check.canSign || !check.review) {
      console.error('countersign: refusing to sign:');
      for (const r of check.refusals) console.error(`  - ${escapeTerminal(r.message)}`);
      return 1;
    }
    const review = check.review;
    const statement = buildApproval({
      log: review.origin,
      at,
      requestDigest: review.requestDigest,
      requestId: review.request.id,
      skill: review.request.skill,
      approver: key.principal,
      vote: values.vote,
      comment: values.comment,
    });
    const text = approvalFileText(signStatement(statement, [key.secretKey]));
    if (values.out) {
      writeFileAtomic(values.out, text, 0o644);
      console.error(
        `wrote ${values.out}: ${values.vote} of ${escapeTerminal(review.request.id)} (${escapeTerminal(review.request.skill)}, request ${review.digestFingerprint}) by ${key.principal}`,
      );
    } else process.stdout.write(text);
    return 0;
  } finally {
    key.secretKey.fill(0);
  }
}
