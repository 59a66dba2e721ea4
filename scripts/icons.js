// Renders the home-screen icon (PNG, an opaque square, as home screens want it) from style/favicon.svg with
// Debian's Chromium: style/icon-180.png (the apple-touch-icon). Run once after changing the SVG:
//   NODE_PATH=end2end/node_modules node scripts/icons.js
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('@playwright/test');

(async () => {
  const style = path.join(__dirname, '..', 'style');
  // Home screens round the corners themselves: the square is filled to its edges.
  const svg = fs.readFileSync(path.join(style, 'favicon.svg'), 'utf8').replace(' rx="6"', '');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  for (const size of [180]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<style>*{margin:0}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`);
    await page.screenshot({ path: path.join(style, `icon-${size}.png`), omitBackground: false });
    await page.close();
  }
  await browser.close();
})();
