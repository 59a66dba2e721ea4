// Going live with a new provider: an administrator creates its organization and invites its provider admin, who
// adds a confidential site and a service; a coordinator finds the service by its town only; the provider admin
// retires it and it leaves search and the gap matrix at once. Each project (JavaScript off and on) creates its own
// organization, in a region of its own, so the two never count each other's beds. An administrator also imports
// a one-sheet directory through the upload page: checked first, then written, then again as a no-op.
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

/**
 * The free specialist units the gap matrix shows for adult sex trafficking in `region` (a planning region's
 * short name), as a coordinator sees it.
 */
async function specialistGap(page, js, region) {
  await open(page, js, '/gaps?family=specialist');
  const cell = page.getByTestId('gap-matrix').getByLabel(new RegExp(`^${region} Planning Region, Adult, sex trafficking: `));
  const label = await cell.getAttribute('aria-label');
  return label.endsWith(': None') ? 0 : Number(label.split(': ').pop());
}

/** A coordinator's search for interpretation, JavaScript as the project runs. */
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

  // A count far above any demo region's, so the gap matrix shows whether it is counted.
  const [town, region, free] = js ? ['Torrington', 'Northwest Hills', 4000] : ['Norwich', 'Southeastern Connecticut', 3000];
  const service = `Spec interpreting ${run}`;
  await addServices(provider, js, `Spec office ${run}`, CATEGORY, [[service, free, free]], town);
  await expect(provider).toHaveURL(/\/my-capacity\/service\/\d+/);
  await expectAccessible(provider, js);

  // The coordinator finds it under its town; the confidential street address never reaches them.
  const coordinator = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 360, height: 740 } });
  const theirs = await coordinator.newPage();
  await signIn(theirs, js, 'coordinator@demo.continuum.test', { secret: DEMO_TOTP });
  await searchInterpretation(theirs, js);
  const hit = theirs.getByTestId('results').getByRole('listitem').filter({ hasText: service });
  await expect(hit).toHaveCount(1);
  await expect(hit).toContainText(town);
  expect(await theirs.content()).not.toContain('12 Spec Lane');
  expect(await specialistGap(theirs, js, region)).toBeGreaterThanOrEqual(free);

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
  expect(await specialistGap(theirs, js, region)).toBeLessThan(free);
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

test('an administrator checks a one-sheet directory, imports it, and importing it again changes nothing', async ({ page, js }) => {
  const run = unique(js);
  const sheet = Buffer.from(
    'organization_id,organization,site_id,site,town,postal_code,confidential,service_id,service,category,total,available\n' +
      `e2e-${run},Sheet Network ${run},e2e-${run}-a,Sheet House ${run},Storrs,06268,yes,e2e-${run}-a-1,Sheet beds ${run},safe_house,4,1\n`,
  );
  const upload = async () => {
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'directory.csv', mimeType: 'text/csv', buffer: sheet });
    await page.getByRole('button', { name: 'Check and import' }).click();
    await expect(page).toHaveURL(/\/admin\/import\?report=\d+/);
    // A large import shows its progress first: without JavaScript, look again as its page offers.
    while (!js && (await page.getByTestId('import-running').count()) > 0) {
      await page.getByRole('link', { name: 'Check again' }).click();
    }
  };
  const services = () => page.getByTestId('import-plan').getByRole('row').filter({ hasText: 'services' });
  await signIn(page, js, 'admin@demo.continuum.test', { secret: DEMO_TOTP });
  await open(page, js, '/admin/import');
  await expect(page.getByLabel(/Dry run/)).toBeChecked();
  await upload();
  await expect(page.getByTestId('import-report')).toContainText('Dry run: nothing was written');
  await expect(services()).toHaveText(/services\s*1\s*0\s*0\s*0/);
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expectAccessible(page, js);

  await page.getByLabel(/Dry run/).uncheck();
  await upload();
  await expect(page.getByTestId('import-report')).toContainText('Imported');
  await expect(services()).toHaveText(/services\s*1\s*0\s*0\s*0/);
  await page.getByLabel(/Dry run/).uncheck();
  await upload();
  await expect(services()).toHaveText(/services\s*0\s*0\s*1\s*0/, { message: 'the same file again: unchanged' });
});
