// Shared steps: open a page the way the current project would see it, and scan it with axe.
const { test: base, expect } = require('@playwright/test');
const AxeBuilder = require('@axe-core/playwright').default;

const test = base.extend({
  // True when this project runs with JavaScript (hydrated pages).
  js: async ({ javaScriptEnabled }, use) => use(javaScriptEnabled !== false),
  // Every page error, console error and failed request is recorded and, when a test fails, attached to
  // its report, so a failure says what the browser saw instead of only "not hydrated".
  browserLog: [
    async ({ page }, use, testInfo) => {
      const log = [];
      const at = () => `${(performance.now() / 1000).toFixed(1)} s`;
      page.on('pageerror', (e) => log.push(`${at()} page error: ${e.message}`));
      page.on('console', (m) => m.type() === 'error' && log.push(`${at()} console: ${m.text()}`));
      page.on('requestfailed', (r) => log.push(`${at()} request failed: ${r.url()} ${r.failure()?.errorText}`));
      page.on('response', (r) => {
        if (r.status() >= 500) log.push(`${at()} ${r.status()}: ${r.url()}`);
        const csp = r.headers()['content-security-policy'] || '';
        if (r.request().resourceType() === 'document' && !csp.includes('nonce-')) {
          log.push(`${at()} a document without the page CSP: ${r.status()} ${r.url()} ${JSON.stringify(r.headers())}`);
          r.text().then((t) => log.push(`   body: ${t.slice(0, 400)} … ${t.length} chars`)).catch(() => {});
        }
      });
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await use(log);
      // An uncaught error in a page is a failure of the test that met it, even when its steps passed.
      if (testInfo.status === testInfo.expectedStatus) expect(errors, 'errors thrown in the page').toEqual([]);
      if (testInfo.status !== testInfo.expectedStatus && log.length > 0) {
        console.log(`browser log of "${testInfo.title}":\n  ${log.join('\n  ')}`);
        await testInfo.attach('browser-log', { body: log.join('\n'), contentType: 'text/plain' });
      }
    },
    { auto: true },
  ],
});

// Pages nothing on them reacts to: they ship no script and no wasm, with JavaScript on as well.
const WITHOUT_WASM = [
  /^\/sign-in$/, /^\/welcome\/[^/]+$/, /^\/account$/, /^\/public$/, /^\/holds$/, /^\/admin\/taxonomy$/,
  /^\/my-capacity\/bulk$/, /^\/my-capacity\/site\/[^/]+$/,
];

/** True when the page at `path` (query aside) ships no wasm. */
function shipsNoWasm(path) {
  return WITHOUT_WASM.some((page) => page.test(new URL(path, 'http://x').pathname));
}

/** With JavaScript on, waits until the wasm has hydrated the current page (or, on a page without wasm, that
 * none is named); with it off, checks that nothing hydrated. */
async function settled(page, js) {
  const body = page.locator('body');
  if (js && !shipsNoWasm(page.url())) {
    await expect(body).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
  } else {
    if (js) await expect(page.locator('link[rel=modulepreload]')).toHaveCount(0);
    await expect(body).not.toHaveAttribute('data-hydrated', 'true');
  }
}

/** Opens `path` and, with JavaScript on, waits until the wasm has hydrated the page. */
async function open(page, js, path) {
  const response = await page.goto(path);
  expect(response.status()).toBeLessThan(400);
  await settled(page, js);
  return response;
}

/**
 * Fails on serious or critical accessibility violations. axe runs as JavaScript in the page, so for the
 * JavaScript-off project it scans the same server-rendered page in a scratch context whose hydration
 * scripts are blocked.
 */
async function expectAccessible(page, js) {
  let target = page;
  let scratch = null;
  if (!js) {
    scratch = await page.context().browser().newContext({ javaScriptEnabled: true });
    await scratch.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
    target = await scratch.newPage();
    await target.goto(page.url());
  }
  const results = await new AxeBuilder({ page: target }).analyze();
  if (scratch) await scratch.close();
  const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

const fs = require('node:fs');
const path = require('node:path');
const { totp } = require('./totp');
const { DEMO_PASSWORD, DEMO_TOTP } = require('./demo');

/** Signs in through the form, as a person would. */
async function signInWithForm(page, js, email, password, secret) {
  await open(page, js, '/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  if (secret) await page.getByLabel('Authentication code').fill(totp(secret));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
  await settled(page, js);
}

// Demo accounts whose role needs a second factor, and where each starts.
const WITH_CODE = {
  'admin@demo.continuum.test': '/admin/users',
  'coordinator@demo.continuum.test': '/search',
  'provider@demo.continuum.test': '/my-capacity',
};
// Sessions of those accounts, shared by every test of a run (the server's data folder is new each run).
const SESSIONS = path.join(__dirname, '..', '..', 'target', 'e2e', 'sessions');

/** Runs `fn` while holding a lock shared by all workers. */
async function withLock(name, fn) {
  fs.mkdirSync(SESSIONS, { recursive: true });
  const lock = path.join(SESSIONS, `${name}.lock`);
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmdirSync(lock);
  }
}

/**
 * Signs in as `email`. An authenticator code signs in once only, so the demo accounts that need one sign in
 * through the form once per run (whichever test comes first) and every later test reuses that session's
 * cookie, then opens the role's start page as the form would have.
 */
async function signIn(page, js, email, { password = DEMO_PASSWORD, secret = null } = {}) {
  const home = WITH_CODE[email];
  if (!home) return signInWithForm(page, js, email, password, secret);
  const saved = path.join(SESSIONS, `${email}.json`);
  const reused = await withLock(email, async () => {
    if (fs.existsSync(saved)) return JSON.parse(fs.readFileSync(saved, 'utf8'));
    await signInWithForm(page, js, email, password, secret || DEMO_TOTP);
    fs.writeFileSync(saved, JSON.stringify(await page.context().cookies()));
    return null;
  });
  if (reused) {
    await page.context().addCookies(reused);
    await open(page, js, home);
  }
}
/**
 * On `page`, signed in as a provider admin: adds a site (in `town`, with a confidential address) and services
 * to it through the "Add a site or service" forms, as a person would; a spec creates the rows it changes.
 * `services` are `[name, total, free]`; the category is given by its label.
 */
async function addServices(page, js, site, category, services, town = 'Norwich') {
  await open(page, js, '/my-capacity/new');
  await page.getByLabel('Organization', { exact: true }).selectOption({ index: 1 });
  await page.getByLabel('Name', { exact: true }).fill(site);
  await page.getByLabel('Town', { exact: true }).selectOption({ label: town });
  await page.getByLabel('Street address', { exact: true }).fill('12 Spec Lane');
  await page.getByLabel(/Confidential address/).check();
  await page.getByLabel('Intake phone', { exact: true }).fill('860-555-0199');
  await page.getByRole('button', { name: 'Add site' }).click();
  await expect(page.getByTestId('form-notice')).toContainText('Site added');
  for (const [name, total, free] of services) {
    await open(page, js, '/my-capacity/new');
    await page.getByLabel('Site', { exact: true }).selectOption({ label: `${site} · ${town}` });
    await page.getByLabel('Kind of service', { exact: true }).selectOption({ label: category });
    await page.getByLabel('Service name', { exact: true }).fill(name);
    await page.getByLabel(/^Total/).fill(String(total));
    await page.getByLabel('Free now', { exact: true }).fill(String(free));
    await page.getByRole('button', { name: 'Add service' }).click();
    await expect(page.getByTestId('form-notice')).toContainText('Service added');
  }
}

/** Creates an invitation on an open page with the invitation form and returns the link's path. */
async function invite(page, email, role) {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  // The administrator's session is shared by this run's tests: pick this invitation among theirs.
  const link = page.getByTestId('invite-link').filter({ hasText: email });
  await expect(link).toContainText(email);
  return (await link.textContent()).match(/\/welcome\/\S+/)[0];
}

/** In its own browser context, a new colleague opens the invitation at `path` and chooses a password. */
async function acceptInvitation(browser, js, path, name, password) {
  const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await open(page, js, path);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('New password').fill(password);
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByTestId('form-notice')).toContainText('Sign in now');
  return { context, page };
}

/** On an account page reached with a password alone, turns on two-factor authentication. */
async function turnOnTwoFactor(page) {
  await expect(page).toHaveURL(/\/account/);
  const secret = (await page.getByTestId('totp-secret').textContent()).trim();
  await page.getByLabel('Code from your app').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await expect(page.getByTestId('form-notice')).toContainText('Two-factor authentication is on');
}

/** A run-unique suffix, so the two projects never collide on shared demo data. */
function unique(js) {
  return `${js ? 'on' : 'off'}-${Date.now()}`;
}

module.exports = {
  test,
  expect,
  open,
  settled,
  shipsNoWasm,
  expectAccessible,
  signIn,
  addServices,
  invite,
  acceptInvitation,
  turnOnTwoFactor,
  unique,
  DEMO_PASSWORD,
  DEMO_TOTP,
  totp,
};
