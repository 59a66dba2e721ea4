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

/** Opens `path` and returns what the browser fetched for it: the URLs, those that came over the wire (not from
 * its cache) and their bytes. */
async function fetched(page, js, path) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map();
  const seen = { bytes: 0, urls: [], network: [] };
  cdp.on('Network.requestWillBeSent', (e) => {
    urls.set(e.requestId, e.request.url);
    seen.urls.push(e.request.url);
  });
  cdp.on('Network.loadingFinished', (e) => {
    if (e.encodedDataLength === 0) return;
    seen.bytes += e.encodedDataLength;
    seen.network.push(urls.get(e.requestId));
  });
  await open(page, js, path);
  await cdp.detach();
  return seen;
}

test('pages nothing reacts to fetch no script or wasm, and a second view fetches only its HTML', async ({ page, js }) => {
  test.skip(!js, 'what a browser fetches for scripts matters only when it runs them');
  for (const path of ['/sign-in', '/public']) {
    const { urls } = await fetched(page, js, path);
    expect(urls.filter((u) => /\.(js|wasm)$/.test(u)), path).toEqual([]);
    expect(urls.some((u) => /\/pkg\/continuum\.[0-9a-f]{16}\.css$/.test(u)), path).toBe(true);
  }
  const first = await fetched(page, js, '/');
  expect(first.urls.some((u) => /\/pkg\/continuum\.[0-9a-f]{16}_bg\.wasm$/.test(u))).toBe(true);
  // Assets are named by their content and kept for a year: the second view asks the server for the page alone.
  const again = await fetched(page, js, '/');
  expect(again.network.filter((u) => u.includes('/pkg/'))).toEqual([]);
  expect(again.bytes).toBeLessThan(20_000);
});
