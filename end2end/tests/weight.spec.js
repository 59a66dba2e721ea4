// What a phone downloads: pages nothing reacts to fetch no script or wasm; the pages people work on fetch
// their few interactive parts (islands) and stay within a mobile budget; a second view fetches the HTML alone.
const { test, expect, open, signIn, DEMO_TOTP } = require('./support');

// The budgets of the performance issue: everything a first view transfers (HTML, CSS, JS, wasm, compressed),
// and everything a repeat view transfers.
const FIRST_VIEW = 150_000;
const REPEAT_VIEW = 20_000;

test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, 'what a browser fetches for scripts matters only when it runs them');

/** Opens `path` (with an empty cache when `cold`) and returns what the browser fetched for it: the URLs,
 * those that came over the wire (not from its cache) and their bytes. */
async function fetched(page, path, { cold = false } = {}) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  if (cold) await cdp.send('Network.clearBrowserCache');
  const urls = new Map();
  const seen = { bytes: 0, urls: [], network: [] };
  cdp.on('Network.requestWillBeSent', (e) => {
    urls.set(e.requestId, e.request.url);
    seen.urls.push(e.request.url);
  });
  cdp.on('Network.loadingFinished', (e) => {
    // A request of the page before (its event stream, ended by the navigation) is not this page's.
    if (e.encodedDataLength === 0 || !urls.has(e.requestId)) return;
    seen.bytes += e.encodedDataLength;
    seen.network.push(urls.get(e.requestId));
  });
  await open(page, true, path);
  await cdp.detach();
  return seen;
}

test('pages nothing reacts to fetch no script or wasm, and a second view fetches only its HTML', async ({ page }) => {
  for (const path of ['/sign-in', '/public']) {
    const { urls } = await fetched(page, path);
    expect(urls.filter((u) => /\.(js|wasm)$/.test(u)), path).toEqual([]);
    expect(urls.some((u) => /\/pkg\/continuum\.[0-9a-f]{16}\.css$/.test(u)), path).toBe(true);
  }
  const first = await fetched(page, '/', { cold: true });
  expect(first.urls.some((u) => /\/pkg\/continuum\.[0-9a-f]{16}_bg\.wasm$/.test(u))).toBe(true);
  expect(first.bytes).toBeLessThan(FIRST_VIEW);
  // Assets are named by their content and kept for a year: the second view asks the server for the page alone.
  const again = await fetched(page, '/');
  expect(again.network.filter((u) => u.includes('/pkg/'))).toEqual([]);
  expect(again.bytes).toBeLessThan(REPEAT_VIEW);
  console.log(`/: first view ${first.bytes} B, repeat view ${again.bytes} B (the README's table)`);
});

for (const [who, email, secret, path] of [
  ['a provider', 'staff@demo.continuum.test', null, '/my-capacity'],
  ['a coordinator', 'coordinator@demo.continuum.test', DEMO_TOTP, '/search'],
]) {
  test(`${who}'s ${path} transfers at most 150 KB on a first view and 20 KB on a second`, async ({ page }) => {
    await signIn(page, true, email, { secret });
    const first = await fetched(page, path, { cold: true });
    expect(first.network.some((u) => /_bg\.wasm$/.test(u)), 'the islands hydrate').toBe(true);
    expect(first.bytes).toBeLessThan(FIRST_VIEW);
    const again = await fetched(page, path);
    expect(again.network.filter((u) => u.includes('/pkg/'))).toEqual([]);
    expect(again.bytes).toBeLessThan(REPEAT_VIEW);
    console.log(`${path}: first view ${first.bytes} B, repeat view ${again.bytes} B (the README's table)`);
  });
}

test("a funder's dashboard has no interactive part, so it is marked hydrated and fetches no script or wasm", async ({ page }) => {
  await signIn(page, true, 'funder@demo.continuum.test');
  const { urls } = await fetched(page, '/oversight');
  expect(urls.filter((u) => /\.(js|wasm)$/.test(u))).toEqual([]);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
});
