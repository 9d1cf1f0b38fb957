// node check-html.mjs PAGE.html MIN_SVGS [SCREENSHOT.png]
//
// Opens a local HTML file in headless Chromium (Debian's /usr/bin/chromium,
// or $CHROMIUM) through playwright-core and fails, with exit 1 and one
// line on stderr, unless:
//   - the page loads with no console error and no uncaught exception,
//   - it asks for nothing but itself (no network, no other file),
//   - it has at least MIN_SVGS <svg> elements, each visible with a
//     non-zero bounding box.
// With SCREENSHOT.png, it also writes a full-page screenshot there.
// Exit 2: usage error.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [file, minArg, screenshot] = process.argv.slice(2);
if (!file || !/^[0-9]+$/.test(minArg ?? '') || process.argv.length > 5) {
  console.error('usage: node check-html.mjs PAGE.html MIN_SVGS [SCREENSHOT.png]');
  process.exit(2);
}
const minSvgs = Number(minArg);
const pageUrl = pathToFileURL(resolve(file)).href;
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

let context;
const profile = mkdtempSync(join(tmpdir(), 'ksim-check-html-'));

async function fail(reason) {
  console.error(`check-html: ${file}: ${reason}`);
  await finish(1);
}

async function finish(code) {
  try {
    if (context) await context.close();
  } catch {
    // closing a browser that already died
  }
  rmSync(profile, { recursive: true, force: true });
  process.exit(code);
}

// Never hang a test run.
setTimeout(() => fail('timed out after 60 s'), 60_000).unref();

if (!existsSync(file)) await fail('no such file');
if (!existsSync(executablePath)) await fail(`no Chromium at ${executablePath}`);

try {
  // Flags for a closed network: no background connections, no first-run,
  // sync or component updates.  Playwright adds --no-sandbox (chromiumSandbox
  // is false by default), which running as root needs.
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());

  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url === pageUrl) return route.continue();
    problems.push(`the page asks for ${url}`);
    return route.abort();
  });

  const response = await page.goto(pageUrl, { waitUntil: 'load' });
  if (response && !response.ok()) await fail(`loading it gave status ${response.status()}`);
  if (problems.length > 0) await fail(problems[0]);

  const svgs = page.locator('svg');
  const n = await svgs.count();
  if (n < minSvgs) await fail(`${n} svg elements, expected at least ${minSvgs}`);
  for (let i = 0; i < n; i++) {
    const svg = svgs.nth(i);
    const what = await svg.evaluate(
      (e) =>
        `svg #${[...document.querySelectorAll('svg')].indexOf(e) + 1}` +
        (e.getAttribute('class') ? ` (${e.getAttribute('class')})` : ''),
    );
    if (!(await svg.isVisible())) await fail(`${what} is not visible`);
    const box = await svg.boundingBox();
    if (!box || box.width <= 0 || box.height <= 0) await fail(`${what} has an empty bounding box`);
    const hidden = await svg.evaluate((e) => {
      const style = getComputedStyle(e);
      return style.visibility !== 'visible' || Number(style.opacity) === 0 || e.childElementCount === 0;
    });
    if (hidden) await fail(`${what} is hidden or empty`);
  }

  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  if (problems.length > 0) await fail(problems[0]);
  console.log(`check-html: ${file}: ${n} svg elements, all visible, no console errors`);
  await finish(0);
} catch (err) {
  await fail(String(err?.message ?? err).split('\n')[0]);
}
