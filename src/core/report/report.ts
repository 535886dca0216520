// report/v1 as the report layer's readers (the CLI, the page) import it. The types and the
// builder live with the verifiers that fill them (verifier/report-v1.ts), so nothing below
// the report layer imports from here.
export * from '../verifier/report-v1.ts';
