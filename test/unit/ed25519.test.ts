import { createHash } from 'node:crypto';
import { Point } from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkPublicKey,
  createNobleBackend,
  createSignatureBackend,
  createWebCryptoBackend,
  fingerprintOf,
  generateSecretKey,
  getPublicKey,
  keyIdOf,
  passesStrictPrechecks,
  sign,
  verifyStrict,
  type SigJob,
  type SignatureBackend,
} from '../../src/core/crypto/ed25519.ts';
import { decodeHex, encodeHex } from '../../src/core/encoding/hex.ts';
import { createNodeEd25519 } from '../../src/cli/node-ed25519.ts';

const nodeWorkers = createNodeEd25519();

// RFC 8032 §7.1, test vectors for Ed25519: TEST 1, TEST 2, TEST 3, TEST 1024, TEST SHA(abc).
const RFC8032 = [
  {
    name: 'TEST 1',
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    pub: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    msg: '',
    sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2',
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    pub: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    msg: '72',
    sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'TEST 3',
    secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    pub: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    msg: 'af82',
    sig: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
  {
    name: 'TEST 1024',
    secret: 'f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5',
    pub: '278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e',
    msg:
      '08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8' +
      '79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc' +
      '1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e' +
      '06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7' +
      'aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed185ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2' +
      'd17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270' +
      '88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07' +
      '07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128bab27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a' +
      'ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb75' +
      '1fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8c' +
      'a61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34dff7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d' +
      '78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e48' +
      '8acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e6' +
      'aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5fb93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50' +
      'd334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380db' +
      '2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0',
    sig: '0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03',
  },
  {
    name: 'TEST SHA(abc)',
    secret: '833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42',
    pub: 'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf',
    msg: 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    sig: 'dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704',
  },
];

// "Taming the many EdDSAs" (Chalkias, Garillot, Nikolaenko, SSR 2020), the 12 vectors of
// novifinancial/ed25519-speccheck cases.json, in order 0..11. `paper` is the paper's table:
// what a cofactored and a cofactorless verifier that checks nothing else would say.
// `expect` is our verdict under FORMAT.md §1: small-order A, non-canonical A or R and S >= L are
// rejected before the cofactorless equation; so only the two mixed-order-A cases 2 and 3 pass.
const SPECCHECK = [
  {
    id: 0,
    what: 'S = 0, small A, small R',
    paper: 'cofactored+cofactorless',
    expect: false,
    why: 'A has small order',
    msg: '8c93255d71dcab10e8f379c26200f3c7bd5f09d9bc3068d3ef4edeb4853022b6',
    pub: 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
    sig: 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a0000000000000000000000000000000000000000000000000000000000000000',
  },
  {
    id: 1,
    what: '0 < S < L, small A, mixed R',
    paper: 'cofactored+cofactorless',
    expect: false,
    why: 'A has small order',
    msg: '9bd9f44f4dcc75bd531b56b2cd280b0bb38fc1cd6d1230e14861d861de092e79',
    pub: 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
    sig: 'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43a5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04',
  },
  {
    id: 2,
    what: '0 < S < L, mixed A, small R',
    paper: 'cofactored+cofactorless',
    expect: true,
    why: 'cofactorless equation holds',
    msg: 'aebf3f2601a0c8c5d39cc7d8911642f740b78168218da8471772b35f9d35b9ab',
    pub: 'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43',
    sig: 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa8c4bd45aecaca5b24fb97bc10ac27ac8751a7dfe1baff8b953ec9f5833ca260e',
  },
  {
    id: 3,
    what: '0 < S < L, mixed A, mixed R',
    paper: 'cofactored+cofactorless',
    expect: true,
    why: 'cofactorless equation holds',
    msg: '9bd9f44f4dcc75bd531b56b2cd280b0bb38fc1cd6d1230e14861d861de092e79',
    pub: 'cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d',
    sig: '9046a64750444938de19f227bb80485e92b83fdb4b6506c160484c016cc1852f87909e14428a7a1d62e9f22f3d3ad7802db02eb2e688b6c52fcd6648a98bd009',
  },
  {
    id: 4,
    what: '0 < S < L, mixed A, mixed R',
    paper: 'cofactored only',
    expect: false,
    why: 'cofactorless equation fails',
    msg: 'e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec4011eaccd55b53f56c',
    pub: 'cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d',
    sig: '160a1cb0dc9c0258cd0a7d23e94d8fa878bcb1925f2c64246b2dee1796bed5125ec6bc982a269b723e0668e540911a9a6a58921d6925e434ab10aa7940551a09',
  },
  {
    id: 5,
    what: '0 < S < L, mixed A, large R (pre-reduced scalar)',
    paper: 'cofactored only',
    expect: false,
    why: 'cofactorless equation fails',
    msg: 'e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec4011eaccd55b53f56c',
    pub: 'cdb267ce40c5cd45306fa5d2f29731459387dbf9eb933b7bd5aed9a765b88d4d',
    sig: '21122a84e0b5fca4052f5b1235c80a537878b38f3142356b2c2384ebad4668b7e40bc836dac0f71076f9abe3a53f9c03c1ceeeddb658d0030494ace586687405',
  },
  {
    id: 6,
    what: 'S > L, large A, large R',
    paper: 'cofactored+cofactorless (if S unchecked)',
    expect: false,
    why: 'S >= L',
    msg: '85e241a07d148b41e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec40',
    pub: '442aad9f089ad9e14647b1ef9099a1ff4798d78589e66f28eca69c11f582a623',
    sig: 'e96f66be976d82e60150baecff9906684aebb1ef181f67a7189ac78ea23b6c0e547f7690a0e2ddcd04d87dbc3490dc19b3b3052f7ff0538cb68afb369ba3a514',
  },
  {
    id: 7,
    what: 'S >> L, large A, large R',
    paper: 'cofactored+cofactorless (if S unchecked)',
    expect: false,
    why: 'S >= L',
    msg: '85e241a07d148b41e47d62c63f830dc7a6851a0b1f33ae4bb2f507fb6cffec40',
    pub: '442aad9f089ad9e14647b1ef9099a1ff4798d78589e66f28eca69c11f582a623',
    sig: '8ce5b96c8f26d0ab6c47958c9e68b937104cd36e13c33566acd2fe8d38aa19427e71f98a473474f2f13f06f97c20d58cc3f54b8bd0d272f42b695dd7e89a8c22',
  },
  {
    id: 8,
    what: '0 < S < L, mixed A, small non-canonical R',
    paper: 'cofactorless only if R is re-encoded',
    expect: false,
    why: 'R not canonical',
    msg: '9bedc267423725d473888631ebf45988bad3db83851ee85c85e241a07d148b41',
    pub: 'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43',
    sig: 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff03be9678ac102edcd92b0210bb34d7428d12ffc5df5f37e359941266a4e35f0f',
  },
  {
    id: 9,
    what: '0 < S < L, mixed A, small non-canonical R',
    paper: 'cofactored only if R is re-encoded',
    expect: false,
    why: 'R not canonical',
    msg: '9bedc267423725d473888631ebf45988bad3db83851ee85c85e241a07d148b41',
    pub: 'f7badec5b8abeaf699583992219b7b223f1df3fbbea919844e3f7c554a43dd43',
    sig: 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffca8c5b64cd208982aa38d4936621a4775aa233aa0505711d8fdcfdaa943d4908',
  },
  {
    id: 10,
    what: '0 < S < L, small non-canonical A, mixed R',
    paper: 'cofactored only if A is re-encoded',
    expect: false,
    why: 'A not canonical (and small)',
    msg: 'e96b7021eb39c1a163b6da4e3093dcd3f21387da4cc4572be588fafae23c155b',
    pub: 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    sig: 'a9d55260f765261eb9b84e106f665e00b867287a761990d7135963ee0a7d59dca5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04',
  },
  {
    id: 11,
    what: '0 < S < L, small non-canonical A, mixed R',
    paper: 'cofactored+cofactorless if A is hashed as received',
    expect: false,
    why: 'A not canonical (and small)',
    msg: '39a591f5321bbe07fd5a23dc2f39d025d74526615746727ceefd6e82ae65c06f',
    pub: 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    sig: 'a9d55260f765261eb9b84e106f665e00b867287a761990d7135963ee0a7d59dca5bb704786be79fc476f91d3f3f89b03984d8068dcf1bb7dfc6637b45450ac04',
  },
];

const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const P = 2n ** 255n - 19n;
const le = (b: Uint8Array): bigint => b.reduceRight((n, x) => (n << 8n) | BigInt(x), 0n);
const toLE32 = (n: bigint): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 255n));
const job = (pub: string, msg: string, sig: string): SigJob => ({
  publicKey: decodeHex(pub),
  message: decodeHex(msg),
  signature: decodeHex(sig),
});

let web: SignatureBackend;
const noble = createNobleBackend();

beforeAll(async () => {
  const b = await createWebCryptoBackend();
  // Node >= 20 has WebCrypto Ed25519; the agreement tests below are the point of this file.
  expect(b, 'this Node should offer WebCrypto Ed25519').not.toBeNull();
  web = b!;
});

/** Runs every job on verifyStrict and both backends; asserts they agree and returns the verdicts. */
async function verdicts(jobs: SigJob[]): Promise<boolean[]> {
  const strict = jobs.map((j) => verifyStrict(j.signature, j.message, j.publicKey));
  const [n, w, o] = await Promise.all([noble.verifyBatch(jobs), web.verifyBatch(jobs), nodeWorkers.verifyBatch(jobs)]);
  expect(n).toEqual(strict);
  expect(w).toEqual(strict);
  expect(o, 'the CLI pool workers (node:crypto after the strict pre-checks)').toEqual(strict);
  return strict;
}

describe('RFC 8032 §7.1 vectors', () => {
  for (const v of RFC8032) {
    it(`${v.name}: public key, deterministic signature, verification on both backends`, async () => {
      const secret = decodeHex(v.secret);
      expect(encodeHex(getPublicKey(secret))).toBe(v.pub);
      expect(encodeHex(sign(decodeHex(v.msg), secret))).toBe(v.sig);
      expect(checkPublicKey(decodeHex(v.pub))).toEqual({ ok: true });
      expect(await verdicts([job(v.pub, v.msg, v.sig)])).toEqual([true]);
    });
  }

  it('TEST 1024 has a 1023-byte message and TEST SHA(abc) signs SHA-512("abc")', () => {
    expect(decodeHex(RFC8032[3]!.msg).length).toBe(1023);
    expect(RFC8032[4]!.msg).toBe(createHash('sha512').update('abc').digest('hex'));
  });
});

describe('"Taming the many EdDSAs" edge cases (FORMAT.md §1)', () => {
  it('has the 12 vectors of the paper', () => expect(SPECCHECK.map((c) => c.id)).toEqual([...Array(12).keys()]));

  for (const c of SPECCHECK) {
    it(`case ${c.id} (${c.what}; paper: ${c.paper}) -> ${c.expect ? 'accept' : 'reject'}: ${c.why}`, async () => {
      expect(await verdicts([job(c.pub, c.msg, c.sig)])).toEqual([c.expect]);
    });
  }

  it('both backends agree on all 12 in one batch', async () => {
    const got = await verdicts(SPECCHECK.map((c) => job(c.pub, c.msg, c.sig)));
    expect(got).toEqual(SPECCHECK.map((c) => c.expect));
  });

  it('the structural facts behind the expected verdicts hold', () => {
    const small = 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa';
    expect(checkPublicKey(decodeHex(small))).toEqual({ ok: false, reason: 'public key has small order' });
    expect(checkPublicKey(decodeHex(SPECCHECK[10]!.pub))).toEqual({ ok: false, reason: 'public key is not canonically encoded' });
    for (const c of SPECCHECK.slice(6, 8)) expect(le(decodeHex(c.sig.slice(64))) >= L).toBe(true);
    // Mixed-order keys are accepted as keys: the equation alone decides.
    expect(checkPublicKey(decodeHex(SPECCHECK[2]!.pub))).toEqual({ ok: true });
    expect(checkPublicKey(decodeHex(SPECCHECK[3]!.pub))).toEqual({ ok: true });
  });
});

describe('more edge cases, same verdict on both backends', () => {
  const t1 = RFC8032[0]!;

  it('rejects S + L (malleated S) and S = L', async () => {
    const sig = decodeHex(t1.sig);
    const s = le(sig.subarray(32));
    const plusL = Uint8Array.from(sig);
    plusL.set(toLE32(s + L), 32);
    const eqL = Uint8Array.from(sig);
    eqL.set(toLE32(L), 32);
    const maxS = Uint8Array.from(sig);
    maxS.set(new Uint8Array(32).fill(0xff), 32);
    const jobs = [plusL, eqL, maxS].map((signature) => ({ signature, message: new Uint8Array(0), publicKey: decodeHex(t1.pub) }));
    expect(await verdicts(jobs)).toEqual([false, false, false]);
  });

  it('rejects a non-canonical encoding (y + p) of a large-order public key', async () => {
    let found = 0;
    for (let y = 2n; y < 19n; y++) {
      let point;
      try {
        point = Point.fromBytes(toLE32(y), false);
      } catch {
        continue;
      }
      if (point.isSmallOrder()) continue;
      found++;
      const nonCanonical = toLE32(y + P);
      expect(checkPublicKey(nonCanonical)).toEqual({ ok: false, reason: 'public key is not canonically encoded' });
      expect(await verdicts([{ publicKey: nonCanonical, message: new Uint8Array(0), signature: decodeHex(t1.sig) }])).toEqual([false]);
    }
    expect(found).toBeGreaterThan(0);
  });

  it('rejects identity, order-2 and order-4 public keys, off-curve keys and R, and wrong lengths', async () => {
    const msg = new Uint8Array(0);
    const sig = decodeHex(t1.sig);
    const identity = toLE32(1n);
    const order2 = toLE32(P - 1n);
    const order4 = new Uint8Array(32); // y = 0: x^2 = -1, a point of order 4
    expect(checkPublicKey(identity)).toEqual({ ok: false, reason: 'public key has small order' });
    expect(checkPublicKey(order4)).toEqual({ ok: false, reason: 'public key has small order' });
    let offCurve = 2n;
    while (
      (() => {
        try {
          Point.fromBytes(toLE32(offCurve), false);
          return true;
        } catch {
          return false;
        }
      })()
    )
      offCurve++;
    expect(checkPublicKey(toLE32(offCurve))).toEqual({ ok: false, reason: 'public key is not a point on the curve' });
    expect(checkPublicKey(new Uint8Array(31))).toEqual({ ok: false, reason: 'public key must be 32 bytes, got 31' });
    const offCurveR = Uint8Array.from(sig);
    offCurveR.set(toLE32(offCurve), 0);
    const jobs: SigJob[] = [
      { publicKey: identity, message: msg, signature: sig },
      { publicKey: order2, message: msg, signature: sig },
      { publicKey: order4, message: msg, signature: sig },
      { publicKey: toLE32(offCurve), message: msg, signature: sig },
      { publicKey: decodeHex(t1.pub), message: msg, signature: offCurveR },
      { publicKey: decodeHex(t1.pub), message: msg, signature: sig.subarray(0, 63) },
      { publicKey: decodeHex(t1.pub), message: msg, signature: new Uint8Array(65) },
      { publicKey: decodeHex(t1.pub).subarray(0, 31), message: msg, signature: sig },
      { publicKey: decodeHex(t1.pub), message: msg, signature: new Uint8Array(64) },
    ];
    expect(await verdicts(jobs)).toEqual(jobs.map(() => false));
  });

  it('is cofactorless: with a mixed-order key, a signature passes iff [k]T = 0', async () => {
    // A' = [a]B + T with T of order 8; S = r + k*a. Then [S]B - [k]A' = R - [k]T, which equals R
    // exactly when 8 | k. A cofactored verifier would accept every one of these.
    const T = Point.fromBytes(decodeHex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa'), false);
    const a = 0x1234567890abcdefn * 0xfedcba987654321n;
    const A = Point.BASE.multiply(a).add(T);
    const pub = A.toBytes();
    expect(checkPublicKey(pub)).toEqual({ ok: true });
    const jobs: SigJob[] = [];
    const expected: boolean[] = [];
    for (let i = 0; i < 24; i++) {
      const r = 1000003n * BigInt(i + 1);
      const R = Point.BASE.multiply(r).toBytes();
      const message = Uint8Array.of(i);
      const k = le(sha512(Uint8Array.from([...R, ...pub, ...message]))) % L;
      const S = (r + k * a) % L;
      jobs.push({ publicKey: pub, message, signature: Uint8Array.from([...R, ...toLE32(S)]) });
      expected.push(k % 8n === 0n);
    }
    expect(expected).toContain(false);
    expect(await verdicts(jobs)).toEqual(expected);
  });

  it('flipping any bit of the signature or the message makes verification fail (both backends)', async () => {
    const secret = decodeHex(RFC8032[2]!.secret);
    const pub = getPublicKey(secret);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), fc.boolean(), async (message, bit, inSig) => {
        const signature = sign(message, secret);
        expect(await verdicts([{ publicKey: pub, message, signature }])).toEqual([true]);
        const target = inSig ? Uint8Array.from(signature) : Uint8Array.from(message);
        const b = bit % (target.length * 8);
        target[b >> 3]! ^= 1 << (b & 7);
        const tampered = inSig ? { publicKey: pub, message, signature: target } : { publicKey: pub, message: target, signature };
        expect(await verdicts([tampered])).toEqual([false]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('keys, ids and fingerprints', () => {
  it('keyIdOf is the hex SHA-256 of the raw key (FORMAT.md §1)', () => {
    const pub = decodeHex(RFC8032[0]!.pub);
    expect(keyIdOf(pub)).toBe(createHash('sha256').update(pub).digest('hex'));
  });

  it('fingerprintOf groups the first 32 hex digits by four (FORMAT.md §2.1)', () => {
    expect(fingerprintOf('5f6cd0212c8958bf42ee32d410c9de9dee4920b3dcfb0ca5698eb9188c47c926')).toBe('5f6c d021 2c89 58bf 42ee 32d4 10c9 de9d');
  });

  it('generateSecretKey gives fresh 32-byte seeds that sign and verify', () => {
    const a = generateSecretKey();
    const b = generateSecretKey();
    expect(a.length).toBe(32);
    expect(encodeHex(a)).not.toBe(encodeHex(b));
    const msg = new TextEncoder().encode('hello');
    expect(verifyStrict(sign(msg, a), msg, getPublicKey(a))).toBe(true);
    expect(verifyStrict(sign(msg, a), msg, getPublicKey(b))).toBe(false);
  });

  it("createSignatureBackend('auto') picks WebCrypto here, 'noble' forces pure JS", async () => {
    expect((await createSignatureBackend()).name).toBe('webcrypto');
    expect((await createSignatureBackend('webcrypto')).name).toBe('webcrypto');
    expect((await createSignatureBackend('noble')).name).toBe('noble');
  });
});

describe('argument checks', () => {
  const u = new Uint8Array(32);
  it('throws TypeError for non-bytes, RangeError for wrong key lengths', async () => {
    expect(() => verifyStrict('x' as never, u, u)).toThrow(TypeError);
    expect(() => verifyStrict(new Uint8Array(64), [] as never, u)).toThrow(TypeError);
    expect(() => verifyStrict(new Uint8Array(64), u, null as never)).toThrow(TypeError);
    expect(() => checkPublicKey('00' as never)).toThrow(TypeError);
    expect(() => getPublicKey(new Uint8Array(31))).toThrow(RangeError);
    expect(() => sign(u, new Uint8Array(33))).toThrow(RangeError);
    expect(() => sign('m' as never, u)).toThrow(TypeError);
    expect(() => keyIdOf(new Uint8Array(31))).toThrow(RangeError);
    expect(() => fingerprintOf(1 as never)).toThrow(TypeError);
    expect(() => fingerprintOf('5F6C'.repeat(16))).toThrow(RangeError);
    expect(() => fingerprintOf('ab')).toThrow(RangeError);
    await expect(noble.verifyBatch([{ publicKey: u, message: 'm' as never, signature: u }])).rejects.toThrow(TypeError);
    await expect(web.verifyBatch([{ publicKey: u, message: u, signature: {} as never }])).rejects.toThrow(TypeError);
    await expect(web.verifyBatch('x' as never)).rejects.toThrow(TypeError);
    await expect(createSignatureBackend('openssl' as never)).rejects.toThrow(RangeError);
  });

  it('never throws on bad bytes of the right type', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 8 }), (sig, pub, msg) => {
        expect(verifyStrict(sig, msg, pub)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the strict pre-checks on bytes equal the rules as numbers (RFC 8032 §5.1.7, §5.1.3)', () => {
  const P = 2n ** 255n - 19n;
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  const le = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
  const num = (b: Uint8Array) => b.reduceRight((n, x) => (n << 8n) | BigInt(x), 0n);
  const pub = getPublicKey(new Uint8Array(32).fill(3));
  /** The reference: S < L; R's y < p; not (x = 0, i.e. y = 1 or p - 1, with the sign bit). */
  const expected = (r: Uint8Array, s: Uint8Array) => {
    const y = num(r) & (2n ** 255n - 1n);
    const sign = (r[31]! & 0x80) !== 0;
    return num(s) < L && y < P && !(sign && (y === 1n || y === P - 1n));
  };
  const edges = [0n, 1n, 2n, P - 2n, P - 1n, P, P + 1n, 2n ** 255n - 1n, L - 1n, L, L + 1n, 2n ** 253n, 2n ** 256n - 1n];
  const withSign = (b: Uint8Array) => Uint8Array.from(b, (x, i) => (i === 31 ? x | 0x80 : x));

  it('at every edge', () => {
    for (const rn of edges.filter((n) => n < 2n ** 256n))
      for (const r of [le(rn & (2n ** 255n - 1n)), withSign(le(rn & (2n ** 255n - 1n))), le(rn)])
        for (const sn of edges) {
          const s = le(sn);
          expect(passesStrictPrechecks(new Uint8Array([...r, ...s]), pub), `R=${rn} S=${sn}`).toBe(expected(r, s));
        }
  });

  it('on random bytes near the limits (property)', () => {
    const near = fc.oneof(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.constantFrom(...edges).chain((n) => fc.bigInt({ min: -300n, max: 300n }).map((d) => le((((n + d) % 2n ** 256n) + 2n ** 256n) % 2n ** 256n))),
    );
    fc.assert(
      fc.property(near, near, fc.boolean(), (r, s, sign) => {
        const rr = sign ? withSign(r) : r;
        expect(passesStrictPrechecks(new Uint8Array([...rr, ...s]), pub)).toBe(expected(rr, s));
      }),
      { numRuns: 5000 },
    );
  });
});
