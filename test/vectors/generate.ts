// Our own Countersign conformance vectors, in the style of C2SP's CCTV and age's testkit:
// each case is a small bundle that breaks exactly ONE thing, made by a function named after
// what it breaks (breakers/*.ts), plus valid logs written by the reference gate. Everything
// is derived from fixed seeds and times, so two runs give the same bytes.
//
// `npm run vectors` writes them to test/vectors/countersign/ (write-vectors.ts);
// own-vectors.test.ts checks each against the real verifier and against those files.
import { breakChainPrev, breakChainSeq } from './breakers/chain.ts';
import { breakCkptRoot, breakCkptSignature, breakCkptSize, breakCkptUnanchored, breakTrustMismatch } from './breakers/ckpt.ts';
import { breakFormatJson, breakFormatLine, breakFormatNoncanonical, breakFormatSchema } from './breakers/format.ts';
import { breakGovGenesis, breakGovQuorum, breakGovVersion } from './breakers/gov.ts';
import {
  breakPolicyDecision,
  breakPolicyDuplicateRequest,
  breakPolicyLateApproval,
  breakPolicyNotEligible,
  breakPolicyNotRunnable,
  breakPolicyQuorum,
  breakPolicyRefusal,
  breakPolicySelfApproval,
  breakPolicyUnknownRequest,
  breakTimeOrder,
  leaveReqPending,
} from './breakers/policy.ts';
import { breakSigInvalid, breakSigKeyNotValid, breakSigPayloadType, breakSigUnknownKey, breakSigWrongSigner } from './breakers/sig.ts';
import { breakStmtMismatch, breakStmtWrongLog } from './breakers/stmt.ts';
import {
  validAllowed,
  validDemo,
  validExecutionAfterExpiry,
  validExpired,
  validGovernanceUpdates,
  validKeyRotation,
  validRefusals,
  validVetoed,
} from './breakers/valid.ts';
import { breakCkptExtension, breakWitnessFork, breakWitnessQuorum, breakWitnessSignature, breakWitnessTruncated, validWitnessed } from './breakers/witness.ts';
import { breakOriginSpace, breakSeqDecimal, breakTerminalEscape } from './breakers/hostile.ts';
import type { VectorCase } from './breakers/fixture.ts';

export type { VectorCase };

/** Each breaks one thing; the name says what. */
export const BREAKERS = [
  breakChainPrev,
  breakChainSeq,
  breakSigInvalid,
  breakSigUnknownKey,
  breakSigKeyNotValid,
  breakSigWrongSigner,
  breakSigPayloadType,
  breakStmtWrongLog,
  breakStmtMismatch,
  breakFormatJson,
  breakFormatLine,
  breakFormatSchema,
  breakFormatNoncanonical,
  breakCkptSignature,
  breakCkptRoot,
  breakCkptSize,
  breakCkptUnanchored,
  breakTrustMismatch,
  breakGovGenesis,
  breakGovQuorum,
  breakGovVersion,
  breakPolicyDecision,
  breakPolicyUnknownRequest,
  breakPolicyDuplicateRequest,
  breakPolicySelfApproval,
  breakPolicyNotEligible,
  breakPolicyLateApproval,
  breakPolicyQuorum,
  breakPolicyNotRunnable,
  breakPolicyRefusal,
  breakTimeOrder,
  leaveReqPending,
  breakCkptExtension,
  breakWitnessSignature,
  breakWitnessQuorum,
  breakWitnessFork,
  breakWitnessTruncated,
  breakOriginSpace,
  breakSeqDecimal,
] as const;

/** Valid logs: they raise no error (the waiting demo warns REQ.pending). */
export const VALID = [
  validDemo,
  validRefusals,
  validGovernanceUpdates,
  validKeyRotation,
  validAllowed,
  validVetoed,
  validExpired,
  validExecutionAfterExpiry,
  validWitnessed,
  breakTerminalEscape,
] as const;

export function generateCases(): VectorCase[] {
  const cases = [...BREAKERS, ...VALID].flatMap((make) => make());
  const names = new Set<string>();
  for (const c of cases) {
    if (names.has(c.name)) throw new Error(`two vector cases named ${c.name}`);
    names.add(c.name);
  }
  return cases;
}
