// Accounts as an administrator and a new colleague would use them: sign in with a second factor, invite,
// accept the invitation, and disable an account (which ends its session at once).
const { test, expect, open, expectAccessible, signIn, invite, acceptInvitation, turnOnTwoFactor, unique, DEMO_TOTP } =
  require('./support');

test('an administrator signs in with an authenticator code and invites, then disables, a colleague', async ({ page, js, browser }) => {
  await signIn(page, js, 'admin@demo.continuum.test', { secret: DEMO_TOTP });
  await expect(page).toHaveURL(/\/admin\/users/);
  await expect(page.getByRole('heading', { name: 'People' })).toBeVisible();
  await expectAccessible(page, js);

  const email = `funder-${unique(js)}@example.test`;
  const path = await invite(page, email, 'funder');

  // The colleague opens the link in their own browser and chooses a password.
  const colleague = await browser.newContext({ javaScriptEnabled: js });
  const theirs = await colleague.newPage();
  await open(theirs, js, path);
  await theirs.getByLabel('Your name').fill('Fran Funder');
  await theirs.getByLabel('New password').fill('password');
  await theirs.getByRole('button', { name: 'Set password' }).click();
  await expect(theirs.getByTestId('form-error')).toContainText('too common');
  // The form keeps nothing typed across the round trip: fill it in again.
  await theirs.getByLabel('Your name').fill('Fran Funder');
  await theirs.getByLabel('New password').fill('grants and oversight 2026');
  await theirs.getByRole('button', { name: 'Set password' }).click();
  await expect(theirs.getByTestId('form-notice')).toContainText('Sign in now');
  await signIn(theirs, js, email, { password: 'grants and oversight 2026' });
  await open(theirs, js, '/account');
  await expect(theirs.getByRole('main').getByText('Fran Funder')).toBeVisible();

  // The link works once only.
  const again = await colleague.newPage();
  await open(again, js, path);
  await again.getByLabel('New password').fill('another long passphrase');
  await again.getByRole('button', { name: 'Set password' }).click();
  await expect(again.getByTestId('form-error')).toContainText('invalid, expired or already used');

  // The administrator disables the account: the colleague's open session ends on their next request.
  await open(page, js, '/admin/users');
  await page.getByRole('button', { name: `Disable ${email}` }).click();
  await expect(page.getByTestId('form-notice')).toContainText('Account disabled');
  await theirs.goto('/account');
  await expect(theirs).toHaveURL(/\/sign-in/);
  await colleague.close();
});

test('a wrong password is refused with a clear message and no session', async ({ page, js }) => {
  await open(page, js, '/sign-in');
  await page.getByLabel('Email').fill('funder@demo.continuum.test');
  await page.getByLabel('Password').fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('form-error')).toContainText('email or password is not right');
  await expectAccessible(page, js);
  await page.goto('/admin/users');
  await expect(page).toHaveURL(/\/sign-in\?next=/);
});

test('a new coordinator sets up two-factor authentication and is shown recovery codes once', async ({ page, js, browser }) => {
  await signIn(page, js, 'admin@demo.continuum.test', { secret: DEMO_TOTP });
  await open(page, js, '/admin/users');
  const email = `coordinator-${unique(js)}@example.test`;
  const path = await invite(page, email, 'coordinator');

  const { context: colleague, page: theirs } =
    await acceptInvitation(browser, js, path, 'Cora Coordinator', 'night shift hotline 2026');
  await signIn(theirs, js, email, { password: 'night shift hotline 2026' });

  // A password alone leads only to the account page, which offers this session's own key.
  await expect(theirs).toHaveURL(/\/account/);
  await open(theirs, js, '/search');
  await turnOnTwoFactor(theirs);
  await expect(theirs.getByTestId('recovery-codes').getByRole('listitem')).toHaveCount(10);
  await expectAccessible(theirs, js);
  await open(theirs, js, '/search');
  await expect(theirs).toHaveURL(/\/search/);
  await colleague.close();
});
