// The layer rule, checked by `npm run lint` (dependency-cruiser). Top may import below, never the
// reverse: web → auth/flows (auth/second-factors, maintenance, oidc beside them) → auth/methods and the
// rest of auth → directory (mail, audit, security-log beside it) → db, lib. cli uses anything
// below web; server.ts, gatehouse.ts and services.ts are the composition root, above everything.
// Type-only imports count everywhere: a type is a dependency on the module that owns it.

// Test code may import anything: unit tests beside the code, and the test-only helpers in src/
// that the build leaves out of dist/ (tsconfig.build.json's exclude).
const TEST_CODE = '[.]test[.]tsx?$|/(testing|test-support)/';

const ROOT = '^src/(server|gatehouse|services)[.]ts$';
const WEB = '^src/web/';
const FLOWS = '^src/(auth/flows|auth/second-factors|maintenance|oidc)/';
const CLI = '^src/cli/';
const AUTH = '^src/auth/';
const BESIDE_DIRECTORY = '^src/(mail|audit|security-log)/';
const DIRECTORY = '^src/directory/';
// config.ts and logger.ts sit at the bottom with db and lib, importing only from among them.
const BOTTOM = '^src/(db/|lib/|config[.]ts$|logger[.]ts$)';

const fromSrc = (path) => ({ path, pathNot: TEST_CODE });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle has no bottom: no module in it can be understood, tested or moved without the others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'composition-root-on-top',
      comment: 'server.ts, gatehouse.ts and services.ts wire everything together; a module that imports them depends on all of it.',
      severity: 'error',
      from: { path: '^src/', pathNot: `${ROOT}|${TEST_CODE}` },
      to: { path: ROOT },
    },
    {
      name: 'web-on-top',
      comment: 'Only the composition root builds on web: HTTP, pages and cookies stay out of everything below it.',
      severity: 'error',
      from: { path: '^src/', pathNot: `${WEB}|${ROOT}|${TEST_CODE}` },
      to: { path: WEB },
    },
    {
      name: 'cli-beside-web',
      comment: 'The gatehouse command is an entry point like web: nothing below it uses its parsing or its output.',
      severity: 'error',
      from: { path: '^src/', pathNot: `${CLI}|${ROOT}|${TEST_CODE}` },
      to: { path: CLI },
    },
    {
      name: 'flows-below-web-and-cli',
      comment: 'Flows (sign-in, reset, second factors, maintenance) are what web and cli drive; methods, directory and below know nothing of them.',
      severity: 'error',
      from: { path: '^src/', pathNot: `${FLOWS}|${WEB}|${CLI}|${ROOT}|${TEST_CODE}` },
      to: { path: FLOWS },
    },
    {
      name: 'auth-above-directory',
      comment: 'Directory, mail, audit, security-log, db and lib hold no sign-in logic: auth uses them, never the reverse.',
      severity: 'error',
      from: fromSrc(`${DIRECTORY}|${BESIDE_DIRECTORY}|${BOTTOM}`),
      to: { path: AUTH, pathNot: FLOWS },
    },
    {
      name: 'mail-audit-security-log-on-db-and-lib',
      comment: 'mail, audit and security-log are used by flows and directory, and use only db and lib, so any of them can record or send from anywhere.',
      severity: 'error',
      from: fromSrc(BESIDE_DIRECTORY),
      to: { path: '^src/', pathNot: `^src/$1/|${BOTTOM}` },
    },
    {
      name: 'db-and-lib-at-the-bottom',
      comment: 'db and lib (with config.ts and logger.ts) are what everything stands on; they import only one another.',
      severity: 'error',
      from: fromSrc(BOTTOM),
      to: { path: '^src/', pathNot: BOTTOM },
    },
    {
      name: 'src-not-to-tooling',
      comment: 'src/ is the service (dist/ is built from it alone); test/, bench/, e2e/ and scripts/ are tools around it.',
      severity: 'error',
      from: fromSrc('^src/'),
      to: { path: '^(test|bench|e2e|scripts)/' },
    },
    {
      name: 'not-to-dev-dep',
      comment: 'An `npm install --omit=dev` install builds and runs src/, bin/ and scripts/ without devDependencies (type-only imports are erased).',
      severity: 'error',
      from: { path: '^(src|bin|scripts)/', pathNot: TEST_CODE },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: 'node_modules/@types/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
