// A funder reads unmet need, capacity and freshness, changes filters and downloads the numbers behind a
// chart; the public reads the statewide picture without signing in.
const fs = require('node:fs');
const { test, expect, open, expectAccessible, signIn } = require('./support');

test('a funder changes filters, sees the charts and downloads a CSV that matches the table', async ({ page, js }) => {
  await signIn(page, js, 'funder@demo.continuum.test');
  await expect(page).toHaveURL(/\/oversight/);
  await page.getByRole('combobox', { name: 'Services' }).selectOption('housing');
  await page.getByLabel('Split needs not placed by').selectOption('victim');
  await page.getByRole('button', { name: 'Update' }).click();
  await expect(page).toHaveURL(/family=housing/);
  await expect(page).toHaveURL(/split=victim/);
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.locator('figure.chart svg')).toHaveCount(4);
  await expectAccessible(page, js);

  const table = page.getByTestId('data-table').first();
  const firstRow = (await table.locator('tbody tr').first().locator('th, td').allTextContents()).map((s) => s.trim());
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Download “Needs by week: met and unmet” as CSV/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^continuum-needs-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}_statewide_all-victims_housing\.csv$/);
  const csv = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
  const csvRow = csv[1].split(',').map((s) => s.replace(/"/g, ''));
  expect(csvRow).toEqual(firstRow);
});

test('a funder reads the dashboard by county and downloads it under the county\'s name', async ({ page, js }) => {
  await signIn(page, js, 'funder@demo.continuum.test');
  await page.getByRole('navigation', { name: 'Group towns by' }).getByRole('link', { name: 'Counties' }).click();
  await expect(page).toHaveURL(/scheme=county/);
  const region = page.getByRole('combobox', { name: 'County' });
  await region.selectOption({ label: 'Fairfield County' });
  await page.getByLabel('Split needs not placed by').selectOption('region');
  await page.getByRole('button', { name: 'Update' }).click();
  await expect(page).toHaveURL(/scheme=county&region=\d+/);
  await expect(page.getByRole('combobox', { name: 'County' })).toHaveValue(/\d+/);
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const notPlaced = page.getByTestId('data-table').filter({ hasText: 'Needs not placed, by week' });
  await expect(notPlaced.locator('tbody tr').filter({ hasText: 'Tolland County' })).toHaveCount(1);
  await expect(notPlaced.locator('tbody tr').filter({ hasText: 'Planning Region' })).toHaveCount(0);
  await expect(page.getByTestId('compliance-by-region').getByRole('columnheader', { name: 'County' })).toHaveCount(1);
  await expectAccessible(page, js);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Download “Needs by week: met and unmet” as CSV/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/_county-\d+_all-victims_all-services\.csv$/);
});

test('the public statewide page needs no sign-in and names no organization', async ({ page, js }) => {
  await open(page, js, '/public');
  await expect(page.getByTestId('last-updated')).toContainText('Last updated');
  await expect(page.getByTestId('data-table')).toHaveCount(3);
  await expect(page.locator('body')).not.toContainText('(demo)');
  await expectAccessible(page, js);
});
