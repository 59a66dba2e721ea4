// A provider on a phone keeps capacity current: a provider admin adds a site and its services, then staff update
// them in a tap or three, confirm "still accurate", resolve a conflict with a colleague, and describe a service.
// Each project (JavaScript off and on) works only on the rows it created, so the two never collide.
const { test, expect, open, expectAccessible, signIn, addServices } = require('./support');

const STAFF = 'staff@demo.continuum.test';
const ADMIN = 'provider@demo.continuum.test';

// Once per worker: the serial tests of one project share it, and a repeated run never meets its own old rows.
const RUN = Date.now().toString(36);

/** This project's name for one of the services it creates. */
function named(js, letter) {
  return `Spec beds ${letter} (JavaScript ${js ? 'on' : 'off'}, ${RUN})`;
}

/** The card of one of this project's services on "My capacity". */
function card(page, js, letter) {
  return page.locator('article.card', { has: page.getByRole('heading', { name: named(js, letter), exact: true }) });
}

const SERVICES = [
  ['A', 4, 2],
  ['B', 3, 1],
  ['C', 5, 2],
  ['D', 4, 1],
  ['E', 4, 0],
];

test.use({ viewport: { width: 360, height: 740 } });
// Later tests use the services the first one creates: run them in order within each project.
test.describe.configure({ mode: 'serial' });

test('a provider admin adds a confidential site and its services, and staff see them at once', async ({ page, js }) => {
  await signIn(page, js, ADMIN);
  await page.getByRole('link', { name: 'Add a site or service' }).click();
  await expect(page.getByRole('heading', { name: 'Add a site or service' })).toBeVisible();
  await expectAccessible(page, js);
  // A specialist family: the coordinator spec holds housing, so it never touches these.
  const services = SERVICES.map(([letter, total, free]) => [named(js, letter), total, free]);
  const site = `Spec house (JavaScript ${js ? 'on' : 'off'}, ${RUN})`;
  await addServices(page, js, site, 'Labor-trafficking specialist (case slot)', services);

  await page.context().clearCookies();
  await signIn(page, js, STAFF);
  for (const [letter, total, free] of SERVICES) {
    await expect(card(page, js, letter).getByTestId('counts')).toContainText(`${free} of ${total}`);
  }
});

test('a provider updates a bed count in at most three interactions and the badge turns fresh', async ({ page, js }) => {
  await signIn(page, js, STAFF);
  await expect(page).toHaveURL(/\/my-capacity/);
  await expectAccessible(page, js);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  const service = card(page, js, 'A');
  const id = await service.getAttribute('id');
  const before = Number(await service.getByLabel('Free now').inputValue());
  const total = Number(await service.getByLabel('Total').inputValue());
  const more = before < total;
  // Interaction 1: the stepper. Without JavaScript it saves at once; with it, interaction 2 saves.
  await service.getByRole('button', { name: more ? /One more free/ : /One fewer free/ }).click();
  if (js) await service.getByRole('button', { name: 'Save' }).click();
  const updated = page.locator(`#${id}`);
  await expect(updated.getByTestId('card-message')).toHaveText('Saved.');
  await expect(updated.getByLabel('Free now')).toHaveValue(String(more ? before + 1 : before - 1));
  await expect(updated.getByTestId('freshness')).toHaveText('Fresh · updated just now');
});

test('"still accurate" confirms without changing the numbers', async ({ page, js }) => {
  await signIn(page, js, STAFF);
  const service = card(page, js, 'B');
  const id = await service.getAttribute('id');
  const counts = await service.getByTestId('counts').textContent();
  await service.getByRole('button', { name: 'Still accurate' }).click();
  const confirmed = page.locator(`#${id}`);
  await expect(confirmed.getByTestId('freshness')).toHaveText('Fresh · updated just now');
  await expect(confirmed.getByTestId('counts')).toHaveText(counts);
});

test('a conflict with a colleague is shown, never silently overwritten, and can be resolved', async ({ page, js, browser }) => {
  await signIn(page, js, STAFF);
  const service = card(page, js, 'C');
  const id = await service.getAttribute('id');

  // A colleague changes the same service in another browser.
  const other = await browser.newContext({ javaScriptEnabled: false });
  const theirs = await other.newPage();
  await signIn(theirs, false, ADMIN);
  const theirCard = theirs.locator(`#${id}`);
  const original = await theirCard.getByLabel('Free now').inputValue();
  const total = Math.max(Number(await theirCard.getByLabel('Total').inputValue()), 3) + 2;
  await theirCard.getByLabel('Total').fill(String(total));
  await theirCard.getByLabel('Free now').fill('1');
  await theirCard.getByRole('button', { name: 'Save' }).click();
  await expect(theirs.locator(`#${id}`).getByTestId('card-message')).toHaveText('Saved.');
  await other.close();

  // My page still shows the old version: my save is refused with their values, and mine stay in the form.
  const mine = original === '2' ? '3' : '2';
  await service.getByLabel('Free now').fill(mine);
  await service.getByRole('button', { name: 'Save' }).click();
  const mineCard = page.locator(`#${id}`);
  await expect(mineCard.getByTestId('card-message')).toContainText('Someone changed this');
  await expect(mineCard.getByTestId('counts')).toContainText(`1 of ${total}`);
  await expect(mineCard.getByLabel('Free now')).toHaveValue(mine);
  await expect(mineCard.getByLabel('Total')).toHaveValue(String(total));
  // Re-apply mine on top: their total stays, my free count applies.
  await mineCard.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator(`#${id}`).getByTestId('card-message')).toHaveText('Saved.');
  await expect(page.locator(`#${id}`).getByTestId('counts')).toContainText(`${mine} of ${total}`);
});

test('invalid numbers get a message next to the field and change nothing', async ({ page, js }) => {
  await signIn(page, js, STAFF);
  const service = card(page, js, 'D');
  const id = await service.getAttribute('id');
  const counts = await service.getByTestId('counts').textContent();
  const total = await service.getByLabel('Total').inputValue();
  await service.getByLabel('Free now').fill(String(Number(total) + 5));
  await service.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator(`#${id}`).locator('.field-error')).toContainText('cannot be more than the total');
  await page.goto('/my-capacity');
  await expect(page.locator(`#${id}`).getByTestId('counts')).toHaveText(counts);
});

test('a provider edits who a service is for', async ({ page, js }) => {
  await signIn(page, js, STAFF);
  const service = card(page, js, 'B');
  const id = (await service.getAttribute('id')).replace('service-', '');
  await expect(service.getByRole('link', { name: /Describe this service/ })).toHaveAttribute('href', `/my-capacity/service/${id}`);
  await open(page, js, `/my-capacity/service/${id}`);
  await expect(page.getByRole('heading', { name: 'Describe a service' })).toBeVisible();
  await expectAccessible(page, js);
  const pets = page.getByLabel('Pets accepted');
  const was = await pets.isChecked();
  await pets.setChecked(!was);
  await page.getByRole('button', { name: 'Save description' }).click();
  await expect(page.getByTestId('form-notice')).toHaveText('Saved.');
  await expect(page.getByLabel('Pets accepted')).toBeChecked({ checked: !was });
  await expect(page.getByTestId('history')).toBeVisible();
});

test('a provider confirms one hold as arrived and releases another', async ({ page, js, browser }) => {
  await signIn(page, js, ADMIN);
  const service = card(page, js, 'E');
  const id = (await service.getAttribute('id')).replace('service-', '');
  // Make two beds free and fresh, so coordinators can hold them.
  const total = Number(await service.getByLabel('Total').inputValue());
  await service.getByLabel('Total').fill(String(Math.max(total, 4)));
  await service.getByLabel('Free now').fill('2');
  await service.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator(`#service-${id}`).getByTestId('card-message')).toHaveText('Saved.');

  // A coordinator holds both, one at a time, through the same endpoint the search page posts to.
  const coordinator = await browser.newContext({ javaScriptEnabled: false });
  const theirs = await coordinator.newPage();
  await signIn(theirs, false, 'coordinator@demo.continuum.test', { secret: require('./support').DEMO_TOTP });
  for (let i = 0; i < 2; i++) {
    const response = await theirs.request.post('/api/place_hold', { form: { service_id: id, units: '1' } });
    expect(response.ok()).toBeTruthy();
  }
  await coordinator.close();

  await open(page, js, '/my-capacity');
  await expect(page.getByTestId('holds').getByRole('listitem').first()).toContainText('left');
  const mine = () => page.getByTestId('holds').getByRole('listitem').filter({ hasText: named(js, 'E') });
  await expect(mine()).toHaveCount(2);
  await mine().first().getByRole('button', { name: 'Survivor arrived' }).click();
  await expect(page.getByTestId('form-notice')).toContainText('arrived');
  await mine().first().getByRole('button', { name: 'Release' }).click();
  await expect(page.getByTestId('form-notice')).toContainText('released');
});

test('a provider admin retires a service and it leaves "My capacity" at once', async ({ page, js }) => {
  await signIn(page, js, ADMIN);
  const service = card(page, js, 'D');
  const id = (await service.getAttribute('id')).replace('service-', '');
  await open(page, js, `/my-capacity/service/${id}`);
  await expectAccessible(page, js);
  await page.getByRole('button', { name: 'Retire this service' }).click();
  await expect(page).toHaveURL(/\/my-capacity\?notice=service_retired/);
  await expect(page.getByTestId('form-notice')).toContainText('Service retired');
  await expect(card(page, js, 'D')).toHaveCount(0);
  await expect(card(page, js, 'A')).toHaveCount(1);
});
