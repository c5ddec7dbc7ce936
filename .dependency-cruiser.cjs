/** The architecture of DESIGN.md and STYLE.md, checked on every test run (test/architecture.unit.spec.ts). */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'libs/domain imports nothing from NestJS, NATS, a store client, or the I/O libraries',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { path: ['node_modules/@nestjs', 'node_modules/@nats-io', 'node_modules/@kurrent', '^libs/(eventstore|runtime|platform|testing)/', '^apps/'] },
    },
    {
      name: 'contracts-stand-alone',
      comment: 'libs/contracts is the shared language: it imports no other lib and no framework',
      severity: 'error',
      from: { path: '^libs/contracts/' },
      to: { path: ['^libs/(?!contracts/)', '^apps/', 'node_modules/@nestjs', 'node_modules/@nats-io'] },
    },
    {
      name: 'apps-do-not-import-each-other',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'dashboard-page-is-a-browser-bundle',
      comment: 'the page (apps/gateway/web) imports Preact and the pure view modules it shares with the gateway: nothing of Node, NestJS or NATS',
      severity: 'error',
      from: { path: '^apps/gateway/web/' },
      to: { pathNot: ['^apps/gateway/web/', '^apps/gateway/src/dashboard/(view-types|pool-layout)\\.ts$', 'node_modules/preact/'] },
    },
    {
      name: 'dashboard-shared-modules-are-pure',
      comment: 'view-types and pool-layout are bundled into the page and run in the gateway: they import nothing',
      severity: 'error',
      from: { path: '^apps/gateway/src/dashboard/(view-types|pool-layout)\\.ts$' },
      to: { path: '.' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.spec\\.ts$)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      conditionNames: ['types', 'import', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
      mainFields: ['types', 'module', 'main'],
    },
  },
};
