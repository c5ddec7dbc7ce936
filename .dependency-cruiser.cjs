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
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
      mainFields: ['types', 'module', 'main'],
    },
  },
};
