/**
 * Module boundaries, checked by `npm run lint` (dependency-cruiser over src/). The arrows allowed between modules are
 * written down once, here (and drawn in the README's Layout section); anything else fails.
 *
 * - Shared infrastructure (common, config, crypto, database, errors, events, ids, logging, net, telemetry) knows no
 *   feature.
 * - auth is the base every feature may use (the signed-in user, access decorators, the shop directory).
 * - A module's internals never leave it: entities, stores and queries (its SQL), the webhook engine's delivery/.
 */
const SHARED = '(common|config|crypto|database|errors|events|ids|logging|net|telemetry)';

/** Feature module -> the modules it may use (besides shared infrastructure and auth). */
const ARROWS = {
  // auth registers the request guards in the order they must run (who you are, what you may do, CSRF) and marks
  // sign-in with the sign-in limit; security and throttling read the signed-in user and API keys back.
  auth: ['security', 'throttling'],
  customers: [],
  products: [],
  orders: ['products', 'customers', 'throttling', 'metrics'],
  // payments: the buyer's order page finds the shop by its storefront slug (products' StorefrontService).
  payments: ['orders', 'products', 'throttling', 'metrics'],
  analytics: ['customers', 'products'],
  webhooks: ['metrics'],
  'partner-webhooks': ['webhooks'],
  // Cross-cutting HTTP concerns that read the signed-in user or an API key.
  security: [],
  throttling: ['metrics'],
  health: ['metrics'],
  // The seller's Integrations page: static files, it talks to the API over HTTP like any client.
  'seller-app': [],
  metrics: [],
};

const INTERNALS = '(entities/|delivery/|[^/]+\\.store\\.ts$|[^/]+\\.query\\.ts$)';

module.exports = {
  forbidden: [
    {
      name: 'no-foreign-internals',
      comment:
        "A module's entities, stores, queries and engine are its own: other modules use its services and events.",
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: `^src/[^/]+/${INTERNALS}`, pathNot: `^src/$1/` },
    },
    {
      name: 'shared-knows-no-feature',
      comment: 'Shared infrastructure must not depend on a feature module.',
      severity: 'error',
      from: { path: `^src/${SHARED}/` },
      to: { path: '^src/', pathNot: `^src/${SHARED}/` },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  allowed: [
    {
      from: {},
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'core', 'type-only'] },
    },
    { from: { path: '^src/[^/]+\\.ts$' }, to: { path: '^src/' } },
    { from: { path: '^src/' }, to: { path: '^(migrations|package\\.json)' } },
    // Migrations are listed in one file and re-seal secrets with the crypto module's key.
    { from: { path: '^migrations/' }, to: { path: '^(migrations/|src/crypto/)' } },
    { from: { path: '^src/([^/]+)/' }, to: { path: '^src/$1/' } },
    { from: { path: '^src/' }, to: { path: `^src/${SHARED}/` } },
    { from: { path: '^src/(?!' + SHARED.slice(1, -1) + '/)' }, to: { path: '^src/auth/' } },
    ...Object.entries(ARROWS)
      .filter(([, to]) => to.length)
      .map(([from, to]) => ({ from: { path: `^src/${from}/` }, to: { path: `^src/(${to.join('|')})/` } })),
  ],
  allowedSeverity: 'error',
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
    exclude: { path: '\\.spec\\.ts$' },
  },
};
