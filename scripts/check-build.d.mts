/** Every file under `dir` that looks like a secret (a key, a passphrase, a demo file), with why. */
export function findSecrets(dir: string): { file: string; why: string }[];
