// Going live with a new provider: an administrator creates its organization and invites its provider admin, who
// adds a confidential site and a service; a coordinator finds the service by its town only; the provider admin
// retires it and it leaves search at once. Each project (JavaScript off and on) creates its own organization.
const {
  test,
  expect,
  open,
  expectAccessible,
  signIn,
  addServices,
  invite,
  acceptInvitation,
  turnOnTwoFactor,
  unique,
  DEMO_TOTP,
} = require('./support');

test.use({ viewport: { width: 360, height: 740 } });

const CATEGORY = 'Interpretation (hour)';

/** A coordinator's search for interpretation in Norwich's planning region, JavaScript as the project runs. */
async function searchInterpretation(page, js) {
  await open(page, js, '/search?category=interpretation&stale=1');
  await expect(page.getByLabel('Service', { exact: true })).toHaveValue('interpretation');
}

test('an administrator creates an organization whose provider admin lists a confidential service, then retires it', async ({ page, js, browser }) => {
  const run = unique(js);
  const organization = `Spec Interpreters ${run}`;
  await signIn(page, js, 'admin@demo.continuum.test', { secret: DEMO_TOTP });
  await open(page, js, '/admin/organizations');
  await page.getByLabel('Name', { exact: true }).fill(organization);
  await page.getByRole('button', { name: 'Add organization' }).click();
  await expect(page.getByTestId('form-notice')).toContainText('Added');
  await page.getByRole('link', { name: organization }).click();
  await expect(page.getByRole('heading', { name: organization })).toBeVisible();
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expectAccessible(page, js);
  await page.getByLabel('Website').fill('https://interpreters.example.org');
  await page.getByRole('button', { name: 'Save organization' }).click();
  await expect(page.getByTestId('form-notice')).toHaveText('Saved.');
  await expect(page.getByLabel('Website')).toHaveValue('https://interpreters.example.org');

  const email = `provider-${run}@example.test`;
  const path = await invite(page, email, 'provider_admin');
  const { context, page: provider } = await acceptInvitation(browser, js, path, 'Pia Provider', 'interpreters on call 2026');
  await signIn(provider, js, email, { password: 'interpreters on call 2026' });
  await turnOnTwoFactor(provider);

  const service = `Spec interpreting ${run}`;
  await addServices(provider, js, `Spec office ${run}`, CATEGORY, [[service, 10, 6]]);
  await expect(provider).toHaveURL(/\/my-capacity\/service\/\d+/);
  await expectAccessible(provider, js);

  // The coordinator finds it under its town; the confidential street address never reaches them.
  const coordinator = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 360, height: 740 } });
  const theirs = await coordinator.newPage();
  await signIn(theirs, js, 'coordinator@demo.continuum.test', { secret: DEMO_TOTP });
  await searchInterpretation(theirs, js);
  const hit = theirs.getByTestId('results').getByRole('listitem').filter({ hasText: service });
  await expect(hit).toHaveCount(1);
  await expect(hit).toContainText('Norwich');
  expect(await theirs.content()).not.toContain('12 Spec Lane');

  // The provider admin renames it, then retires it: it leaves the coordinator's search at once.
  await provider.getByLabel('Service name', { exact: true }).fill(`${service} (renamed)`);
  await provider.getByRole('button', { name: 'Save name and kind' }).click();
  await expect(provider.getByTestId('form-notice')).toHaveText('Saved.');
  await expect(provider.getByRole('heading', { name: `${service} (renamed)` })).toBeVisible();
  await provider.getByRole('button', { name: 'Retire this service' }).click();
  await expect(provider.getByTestId('form-notice')).toContainText('Service retired');
  await searchInterpretation(theirs, js);
  await expect(theirs.getByTestId('result-count')).toBeVisible();
  await expect(theirs.getByTestId('results').getByRole('listitem').filter({ hasText: service })).toHaveCount(0);
  await coordinator.close();
  await context.close();
});

test('an administrator retires an organization with its sites, after confirming', async ({ page, js }) => {
  const organization = `Spec closing ${unique(js)}`;
  await signIn(page, js, 'admin@demo.continuum.test', { secret: DEMO_TOTP });
  await open(page, js, '/admin/organizations');
  await page.getByLabel('Name', { exact: true }).fill(organization);
  await page.getByRole('button', { name: 'Add organization' }).click();
  await page.getByRole('link', { name: organization }).click();
  await expect(page.getByRole('heading', { name: organization })).toBeVisible();
  await page.getByLabel(/Retire this organization/).check();
  await page.getByRole('button', { name: 'Retire organization' }).click();
  await expect(page.getByTestId('form-notice')).toContainText('Organization retired');
  const row = page.getByRole('row').filter({ hasText: organization });
  await expect(row).toContainText('Retired');
});
