// Hydration that never fails: every page, as each role sees it, loaded 20 times with JavaScript on while the
// CPU is slowed fourfold (a busy phone), must hydrate every time with no error thrown and none logged.
const { test, expect, settled, signIn, DEMO_TOTP } = require('./support');

const LOADS = 20;
const CPU_SLOWDOWN = 4;

// Each role's pages that hydrate (pages without wasm have nothing to hydrate); `{service}` is the first
// service on the provider's "My capacity".
const ROLES = [
  ['anyone', null, null, ['/', '/disclosure']],
  ['a provider', 'staff@demo.continuum.test', null, ['/my-capacity', '/my-capacity/service/{service}']],
  ['a provider admin', 'provider@demo.continuum.test', DEMO_TOTP, ['/my-capacity/new']],
  [
    'a coordinator',
    'coordinator@demo.continuum.test',
    DEMO_TOTP,
    ['/search', '/search?family=housing&available=1', '/gaps', '/map', '/needs', '/needs/new', '/notifications'],
  ],
  ['a funder', 'funder@demo.continuum.test', null, ['/oversight', '/oversight?scheme=county']],
  ['an administrator', 'admin@demo.continuum.test', DEMO_TOTP, ['/admin/users', '/admin/organizations', '/admin/import', '/admin/audit']],
];

test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, 'hydration happens only with JavaScript');

for (const [who, email, secret, paths] of ROLES) {
  for (const template of paths) {
    test(`${template} as ${who} hydrates ${LOADS} times in a row on a slow CPU without an error`, async ({ page }) => {
      test.setTimeout(120_000);
      if (email) await signIn(page, true, email, { secret });
      let path = template;
      if (path.includes('{service}')) {
        const card = await page.locator('article.card').first().getAttribute('id');
        path = path.replace('{service}', card.replace('service-', ''));
      }
      const problems = [];
      page.on('pageerror', (e) => problems.push(`thrown: ${e.message}`));
      page.on('console', (m) => m.type() === 'error' && problems.push(`logged: ${m.text()}`));
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
      for (let load = 1; load <= LOADS; load += 1) {
        const response = await page.goto(path);
        expect(response.status(), `load ${load}`).toBe(200);
        await settled(page, true);
      }
      expect(problems).toEqual([]);
    });
  }
}
