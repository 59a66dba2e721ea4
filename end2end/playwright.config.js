// Browser tests drive Debian's Chromium (never a downloaded browser). Every spec runs twice: with
// JavaScript disabled (pure server rendering) and enabled (hydrated).
const { defineConfig } = require('@playwright/test');

const port = process.env.E2E_PORT || '3100';
const root = `${__dirname}/..`;

module.exports = defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  // No retries: a test that fails once is a bug report (see issue 10: hydration waits were server-side hangs).
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'js-off', use: { javaScriptEnabled: false } },
    { name: 'js-on', use: { javaScriptEnabled: true } },
  ],
  webServer: {
    command: `rm -rf ${root}/target/e2e && mkdir -p ${root}/target/e2e && ${root}/target/debug/continuum serve`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      DATABASE_URL: `sqlite:${root}/target/e2e/continuum.db`,
      CONTINUUM_BIND: `127.0.0.1:${port}`,
      CONTINUUM_SITE_ROOT: `${root}/target/site`,
      CONTINUUM_DEMO_DATA: 'true',
      CONTINUUM_LOG: 'warn',
      // Plain-http localhost only: real deployments keep Secure, __Host- cookies.
      CONTINUUM_SECURE_COOKIES: 'false',
    },
  },
});
