// Import boundaries, checked by dependency-cruiser (`npm run boundaries`, part of npm test).
// The tsconfigs fence what globals each runtime may use; this file fences who imports whom.
// docs/architecture.md draws the same picture.

/** src/core's layers, lowest first: each may import only the layers before it. gate and
 *  wallet share a rank (neither imports the other). */
const CORE_LAYERS = [['encoding'], ['crypto'], ['statements'], ['log'], ['governance'], ['verifier'], ['gate', 'wallet'], ['report']];

/** Upward imports exempt from the layer rule: none (the last ones went with the governance engine, issue 9). */
const TEMPORARY_ALLOW = [];

const rx = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const either = (xs) => `(${xs.join('|')})`;

function layerRules() {
  const rules = [];
  CORE_LAYERS.forEach((rank, i) => {
    const above = CORE_LAYERS.slice(i + 1).flat();
    const peers = rank.length > 1 ? rank : [];
    for (const layer of rank) {
      const upward = [...above, ...peers.filter((p) => p !== layer)];
      if (upward.length === 0) continue;
      const allowedHere = TEMPORARY_ALLOW.filter(([from]) => from.startsWith(`src/core/${layer}/`));
      rules.push({
        name: `core-layer-${layer}`,
        comment: `src/core/${layer} imports only the layers below it (${CORE_LAYERS.slice(0, i).flat().join(', ') || 'none'}).`,
        severity: 'error',
        from: { path: `^src/core/${layer}/`, pathNot: allowedHere.map(([f]) => `^${rx(f)}$`) },
        to: { path: `^src/core/${either(upward)}/` },
      });
      for (const [from] of new Set(allowedHere.map(([f]) => f)).entries()) {
        const targets = TEMPORARY_ALLOW.filter(([f]) => f === from).map(([, t]) => `^${rx(t)}$`);
        rules.push({
          name: `core-layer-${layer}`,
          comment: `src/core/${layer} imports only the layers below it (temporary allow-list applies to ${from}).`,
          severity: 'error',
          from: { path: `^${rx(from)}$` },
          to: { path: `^src/core/${either(upward)}/`, pathNot: targets },
        });
      }
    }
  });
  return rules;
}

module.exports = {
  forbidden: [
    ...layerRules(),
    {
      name: 'core-stays-in-core',
      comment: 'src/core is pure TypeScript for every runtime: it imports only itself and npm packages, never Node built-ins.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { pathNot: ['^src/core/', '^node_modules/', '^package\\.json$'] },
    },
    {
      name: 'core-no-node',
      comment: 'src/core runs in browsers and workers too: no Node built-ins.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-only-core',
      comment: 'src/shared (used by the page and the workers) imports core and npm packages only, never app, cli, workers or tests.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: ['^src/(app|cli)/', '^workers/', '^test/'] },
    },
    {
      name: 'workers-not-app',
      comment: 'The workers never import the page (src/app), the CLI or the tests; what both sides need lives in src/shared.',
      severity: 'error',
      from: { path: '^workers/' },
      to: { path: ['^src/(app|cli)/', '^test/'] },
    },
    {
      name: 'app-not-cli',
      comment: 'The page imports neither the CLI nor the workers (it starts workers by URL) nor the tests.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: ['^src/cli/', '^workers/', '^test/'] },
    },
    {
      name: 'cli-not-page',
      comment: 'The CLI imports core only: never the page, the workers, the shared page/worker layer or the tests.',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: ['^src/(app|shared)/', '^workers/', '^test/'] },
    },
    {
      name: 'no-node-in-browser',
      comment: 'Code that runs in the browser (app, shared, workers) uses no Node built-ins.',
      severity: 'error',
      from: { path: ['^src/(app|shared)/', '^workers/'] },
      // `buffer` is the npm package of that name here (qr.ts installs it for bc-ur), not Node's.
      to: { dependencyTypes: ['core'], pathNot: ['^buffer$'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves (but virtual:pwa-register, which vite-plugin-pwa provides at build time).',
      severity: 'error',
      from: { path: ['^src/', '^workers/'] },
      to: { couldNotResolve: true, pathNot: ['^virtual:'] },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    exclude: { path: ['^node_modules/', '^dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
