// The finding codes and sink live in statements/findings.ts (every layer raises codes);
// this re-export keeps the report layer's readers (CLI, page) on one import path.
export * from '../statements/findings.ts';
