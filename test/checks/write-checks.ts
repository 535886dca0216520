// `npm run checks`: writes docs/checks.md from the checks registry.
import { writeFileSync } from 'node:fs';
import { CHECKS_DOC, renderChecksDoc } from './checks-doc.ts';

writeFileSync(CHECKS_DOC, renderChecksDoc());
console.log(`wrote ${CHECKS_DOC}`);
