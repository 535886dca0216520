// Constants and patterns that several layers share (the key file, the statement schemas,
// the log writer, the verifier, the wallet, the CLI): one copy each, in the lowest layer,
// so nothing has to import upward to read them.

/** A principal id (docs/format.md "Bytes"). */
export const PRINCIPAL_ID_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,63}$/;
/** The same pattern as text, for messages. */
export const PRINCIPAL_ID_TEXT = '^[a-z0-9][a-z0-9._@-]{0,63}$';

export function isPrincipalId(value: unknown): value is string {
  return typeof value === 'string' && PRINCIPAL_ID_PATTERN.test(value);
}

/** `prev` of entry 0 of a log, and of the first record of a wallet history: 64 zeros. */
export const ZERO_PREV = '0'.repeat(64);

/**
 * Shortest passphrase accepted when a new key file is made, in the wallet and the CLI alike.
 * Ten (the wallet's rule, the stricter of the two it replaced; docs/format.md choice 32):
 * the file is offline-attackable once copied, and scrypt only slows guessing. Existing key
 * files with shorter passphrases still open: the rule is for making keys, not reading them.
 */
export const PASSPHRASE_MIN_LENGTH = 10;
