// A coordinator at 2 a.m.: filter by profile and region, share the URL, read the gaps, hold a bed, record a
// need and its outcome, and watch numbers change live.
const { test, expect, open, expectAccessible, signIn, addServices, unique, DEMO_TOTP } = require('./support');

const COORDINATOR = 'coordinator@demo.continuum.test';

test('filters for adult labor trafficking in two regions live in a shareable URL', async ({ page, js, browser }) => {
  await signIn(page, js, COORDINATOR, { secret: DEMO_TOTP });
  await open(page, js, '/search');
  await page.getByLabel('Capitol').check();
  await page.getByLabel('Naugatuck Valley').check();
  await page.getByLabel('Age group').selectOption('adult');
  await page.getByLabel('Trafficking type').selectOption('labor');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/region=\d+.*region=\d+.*age=adult.*type=labor/);
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const count = await page.getByTestId('result-count').textContent();
  await expectAccessible(page, js);

  // A colleague opens the shared link and sees the same answer.
  const other = await browser.newContext({ javaScriptEnabled: js });
  const theirs = await other.newPage();
  await signIn(theirs, js, COORDINATOR, { secret: DEMO_TOTP });
  await open(theirs, js, page.url().replace(/^https?:\/\/[^/]+/, ''));
  await expect(theirs.getByTestId('result-count')).toHaveText(count);
  await expect(theirs.getByLabel('Age group')).toHaveValue('adult');
  await other.close();
});

test('the gap matrix names the worst gaps and a zero cell opens its search', async ({ page, js }) => {
  await signIn(page, js, COORDINATOR, { secret: DEMO_TOTP });
  await open(page, js, '/gaps?family=legal');
  await expect(page.getByTestId('gap-matrix')).toBeVisible();
  await expect(page.getByTestId('gap-summary').getByRole('listitem')).toHaveCount(5);
  await expectAccessible(page, js);
  const zero = page.getByTestId('gap-matrix').locator('td.zero a').first();
  await zero.click();
  await expect(page).toHaveURL(/\/search\?scheme=planning&family=legal&age=\w+&type=\w+&region=\d+/);
  await expect(page.getByTestId('result-count')).toBeVisible();
});

test('the gap matrix and the map group towns by county too, and a county cell opens its search', async ({ page, js }) => {
  await signIn(page, js, COORDINATOR, { secret: DEMO_TOTP });
  await open(page, js, '/gaps?family=housing');
  await page.getByRole('link', { name: 'Counties' }).click();
  await expect(page.getByRole('link', { name: 'Counties' })).toHaveAttribute('aria-current', 'page');
  const matrix = page.getByTestId('gap-matrix');
  await expect(matrix.getByRole('rowheader')).toHaveCount(8);
  await expect(matrix.getByRole('rowheader', { name: 'Tolland' })).toBeVisible();
  await expectAccessible(page, js);
  await matrix.getByRole('row').filter({ hasText: 'Tolland' }).getByRole('link').first().click();
  await expect(page).toHaveURL(/\/search\?scheme=county&family=housing&/);
  await expect(page.getByRole('group', { name: 'Counties' }).getByLabel('Tolland')).toBeChecked();
  await expect(page.getByTestId('result-count')).toBeVisible();

  await open(page, js, '/map?family=housing&victim=adult_labor&scheme=county');
  await expect(page.getByTestId('map').locator('path')).toHaveCount(8);
  await expect(page.getByTestId('map-table').getByRole('row')).toHaveCount(9);
});

test('the map shades every region and says the same in a table', async ({ page, js }) => {
  await signIn(page, js, COORDINATOR, { secret: DEMO_TOTP });
  await open(page, js, '/map?family=housing&victim=minor_sex');
  await expect(page.getByTestId('map').locator('path')).toHaveCount(9);
  await expect(page.getByTestId('map-table').getByRole('row')).toHaveCount(10);
  await expectAccessible(page, js);
});

test('a coordinator holds a bed, sees it in their holds and releases it', async ({ page, js, browser }) => {
  // This test's own safe house, with more free beds than any demo service, so it is among the first results.
  const beds = `Spec safe house ${unique(js)}`;
  const provider = await browser.newContext({ javaScriptEnabled: false });
  const theirs = await provider.newPage();
  await signIn(theirs, false, 'provider@demo.continuum.test');
  const refuge = `Spec refuge ${unique(js)}`;
  await addServices(theirs, false, refuge, 'Trafficking-specialized safe house (bed)', [[beds, 80, 60]]);
  await provider.close();
  await signIn(page, js, COORDINATOR, { secret: DEMO_TOTP });
  await open(page, js, '/search?family=housing&available=1');
  // Found by name: a hold re-sorts the results (the other project's safe house may then come first).
  const result = page.getByTestId('results').locator('article').filter({ hasText: beds });
  await expect(result).toHaveCount(1);
  await expect(result).toContainText('Norwich');
  await expect(result).not.toContainText('12 Spec Lane');
  await result.getByRole('button', { name: 'Hold' }).click();
  await expect(page).toHaveURL(/\/holds\?notice=held/);
  const mine = page.getByTestId('holds').getByRole('listitem').filter({ hasText: beds });
  await expect(mine).toHaveCount(1);
  await mine.getByRole('button', { name: 'Release' }).click();
  await expect(page.getByTestId('form-notice')).toContainText('Hold released');
  await expect(page.getByTestId('holds').getByRole('listitem').filter({ hasText: beds })).toHaveCount(0);
});

test('a coordinator records a need and closes it as not placed for lack of capacity', async ({ page, js }) => {
  await signIn(page, js, COORDINATOR, { secret: DEMO_TOTP });
  await open(page, js, '/search?age=adult&type=labor&family=housing');
  await page.getByRole('link', { name: 'Record a need for this profile' }).click();
  await expect(page.getByLabel('Age group')).toHaveValue('adult');
  await expect(page.getByLabel('Trafficking type')).toHaveValue('labor');
  // Towns grouped by county: the profile chosen so far stays.
  await page.getByRole('navigation', { name: 'Group towns by' }).getByRole('link', { name: 'Counties' }).click();
  await expect(page.getByLabel('Trafficking type')).toHaveValue('labor');
  const town = page.getByLabel('Town where help is needed');
  await expect(town.locator('optgroup[label="New London County"] option', { hasText: 'Norwich' })).toHaveCount(1);
  await town.selectOption({ label: 'Norwich' });
  await expectAccessible(page, js);
  await page.getByRole('button', { name: 'Record need' }).click();
  await expect(page.getByTestId('form-notice')).toContainText('Need recorded');
  const need = page.getByTestId('needs').locator('li.card').first();
  await need.getByLabel('Outcome').selectOption('not_placed');
  await need.getByLabel('No capacity').check();
  await need.getByRole('button', { name: /Close need/ }).click();
  await expect(page.getByTestId('form-notice')).toContainText('Need closed');
});

test('an open gap matrix updates within a second when a provider changes a count', async ({ page, js, browser }) => {
  test.skip(!js, 'live updates need JavaScript; without it the page is current when loaded');
  // The provider's own shelter, added before the matrix opens, so only the confirmation below is news.
  const shelter = `Spec live shelter ${unique(js)}`;
  const provider = await browser.newContext({ javaScriptEnabled: false });
  const theirs = await provider.newPage();
  await signIn(theirs, false, 'provider@demo.continuum.test');
  await addServices(theirs, false, `Spec live site ${unique(js)}`, 'Emergency shelter bed (bed)', [[shelter, 3, 1]]);
  await open(theirs, false, '/my-capacity');

  await signIn(page, js, COORDINATOR, { secret: DEMO_TOTP });
  await open(page, js, '/gaps?family=housing');
  await page.waitForTimeout(500); // the event stream connects
  const card = theirs.locator('article.card', { has: theirs.getByRole('heading', { name: shelter, exact: true }) });
  await card.getByRole('button', { name: 'Still accurate' }).click();
  await expect(page.getByTestId('live-status')).toContainText('Updated live', { timeout: 1000 });
  await provider.close();
});
