// ESLint (flat config): typescript-eslint's recommended rules everywhere, React's hook rules
// in the page. `npm run lint` runs with --max-warnings 0 and reports unused
// `eslint-disable` comments, so every disable comment that remains is needed and says why.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'test/vectors/countersign/', 'test/vectors/makerchecker/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_`-prefixed names are deliberately unused (a callback's position, a destructured rest).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['src/app/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/exhaustive-deps': 'error',
      // Relaxed: three of the React Compiler's rules. This app does not use the compiler, and
      // these flag idiomatic code that is correct without it: a setState at the start of an
      // effect that loads data (set-state-in-effect), a Date.now() for a countdown shown
      // while rendering (purity), and TanStack Virtual, which the compiler cannot memoise
      // (incompatible-library). rules-of-hooks, exhaustive-deps and the rest stay errors.
      'react-hooks/set-state-in-effect': 'off',
      'react-hooks/purity': 'off',
      'react-hooks/incompatible-library': 'off',
    },
  },
  { files: ['workers/**/*.ts'], languageOptions: { globals: globals.worker } },
  { files: ['src/shared/**/*.ts'], languageOptions: { globals: globals['shared-node-browser'] } },
  {
    files: ['src/cli/**/*.ts', 'scripts/**/*.mjs', 'bin/**/*.js', 'test/**/*.{ts,mjs}', '*.{js,ts}'],
    languageOptions: { globals: globals.node },
  },
  // A global declared for the type checker is a `declare var` (that is how it lands on globalThis).
  { files: ['**/*.d.ts'], rules: { 'no-var': 'off' } },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: globals.node } },
  { files: ['src/app/sw.js'], languageOptions: { globals: { ...globals.serviceworker } } },
);
