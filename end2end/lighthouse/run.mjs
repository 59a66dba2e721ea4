// Lighthouse, mobile with its default (simulated) throttling, on each role's main pages of a running Continuum
// with demo data, signed in as that role; writes the table between the markers in BENCHMARKS.md.
//
//   node run.mjs BASE_URL BENCHMARKS_FILE      (scripts/lighthouse.sh starts the server and calls this)
import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const require = createRequire(import.meta.url);
const { totp } = require('../tests/totp.js');
const { DEMO_PASSWORD, DEMO_TOTP } = require('../tests/demo.js');

const [base, benchmarks] = process.argv.slice(2);
// Who opens which page: each role's main page, and the pages anyone opens.
const PAGES = [
  ['/', null],
  ['/sign-in', null],
  ['/my-capacity', 'staff@demo.continuum.test'],
  ['/search', 'coordinator@demo.continuum.test'],
  ['/gaps', 'coordinator@demo.continuum.test'],
  ['/oversight', 'funder@demo.continuum.test'],
];
const WITH_CODE = new Set(['coordinator@demo.continuum.test']);
// The bar for every page.
const BAR = { performance: 95, lcp: 1500, tbt: 100, cls: 0.01, accessibility: 100, bestPractices: 100 };
const BEGIN = '<!-- lighthouse:begin -->';
const END = '<!-- lighthouse:end -->';

/** Signs in over HTTP as a browser's form would and returns the session cookie. */
async function signIn(email) {
  const form = new URLSearchParams({ email, password: DEMO_PASSWORD });
  if (WITH_CODE.has(email)) form.set('code', totp(DEMO_TOTP));
  const response = await fetch(`${base}/api/sign_in`, {
    method: 'POST',
    body: form,
    headers: { accept: 'application/json' },
    redirect: 'manual',
  });
  const cookie = response.headers.getSetCookie().find((c) => c.includes('session='));
  if (!cookie) throw new Error(`signing in as ${email} failed: ${response.status} ${await response.text()}`);
  return cookie.split(';')[0];
}

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
const rows = [];
const sessions = new Map();
try {
  for (const [path, email] of PAGES) {
    if (email && !sessions.has(email)) sessions.set(email, await signIn(email));
    const extraHeaders = email ? { Cookie: sessions.get(email) } : undefined;
    const { lhr } = await lighthouse(`${base}${path}`, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices'],
      extraHeaders,
    });
    const score = (c) => Math.round(lhr.categories[c].score * 100);
    const row = {
      page: path,
      as: email ? email.split('@')[0] : 'anyone',
      performance: score('performance'),
      lcp: Math.round(lhr.audits['largest-contentful-paint'].numericValue),
      tbt: Math.round(lhr.audits['total-blocking-time'].numericValue),
      cls: lhr.audits['cumulative-layout-shift'].numericValue,
      accessibility: score('accessibility'),
      bestPractices: score('best-practices'),
      bytes: lhr.audits['total-byte-weight'].numericValue,
      failed: Object.values(lhr.audits)
        .filter((a) => a.score !== null && a.score < 1 && ['binary', 'numeric'].includes(a.scoreDisplayMode))
        .filter((a) => lhr.categories.accessibility.auditRefs.concat(lhr.categories['best-practices'].auditRefs).some((r) => r.id === a.id && r.weight > 0))
        .map((a) => a.id),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
} finally {
  await chrome.kill();
}

const meets = (r) =>
  r.performance >= BAR.performance && r.lcp <= BAR.lcp && r.tbt <= BAR.tbt && r.cls <= BAR.cls &&
  r.accessibility >= BAR.accessibility && r.bestPractices >= BAR.bestPractices;
const table = [
  `Lighthouse ${lighthouse.version ?? '12'} mobile, default throttling, Debian's Chromium; ${new Date().toISOString().slice(0, 10)}.`,
  `Bar: performance ≥ ${BAR.performance}, LCP ≤ ${BAR.lcp} ms, TBT ≤ ${BAR.tbt} ms, CLS ≤ ${BAR.cls}, accessibility and best practices ${BAR.accessibility}.`,
  '',
  '| page | signed in as | performance | LCP ms | TBT ms | CLS | accessibility | best practices | bytes | meets the bar | audits short of full marks |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) =>
    `| \`${r.page}\` | ${r.as} | ${r.performance} | ${r.lcp} | ${r.tbt} | ${r.cls.toFixed(3)} | ${r.accessibility} | ${r.bestPractices} | ${r.bytes} | ${meets(r) ? 'yes' : 'no'} | ${r.failed.join(', ') || '—'} |`),
].join('\n');
const text = fs.readFileSync(benchmarks, 'utf8');
const at = text.indexOf(BEGIN);
const end = text.indexOf(END);
const section = `${BEGIN}\n${table}\n${END}`;
fs.writeFileSync(
  benchmarks,
  at >= 0 && end > at ? text.slice(0, at) + section + text.slice(end + END.length) : `${text.trimEnd()}\n\n## Lighthouse\n\n${section}\n`,
);
console.log(table);
if (!rows.every(meets)) process.exitCode = 1;
