// The start page: everyone sees Connecticut's nine planning regions and can filter them.
const { test, expect, open, expectAccessible } = require('./support');

test('the start page lists the nine planning regions with their towns', async ({ page, js }) => {
  await open(page, js, '/');
  const list = page.getByTestId('region-list');
  await expect(list.getByRole('listitem')).toHaveCount(9);
  await expect(list.getByText('Capitol Planning Region')).toBeVisible();
  await expect(list.getByText('38 towns')).toBeVisible();
  await expectAccessible(page, js);
});

test('the region filter narrows the list, live with JavaScript and by submitting without', async ({ page, js }) => {
  await open(page, js, '/');
  const filter = page.getByLabel('Filter regions by name');
  await filter.fill('valley');
  if (js) {
    // Hydrated: the list narrows as you type, no submit and no navigation.
    await expect(page.getByTestId('region-count')).toHaveText('2 regions');
    expect(new URL(page.url()).search).toBe('');
  } else {
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/\?q=valley/);
  }
  const list = page.getByTestId('region-list');
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(list.getByText('Naugatuck Valley Planning Region')).toBeVisible();
  await expectAccessible(page, js);
});

test('the page fits a 360 px phone without sideways scrolling', async ({ page, js }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await open(page, js, '/');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
