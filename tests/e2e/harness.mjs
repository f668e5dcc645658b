// Shared harness for the end-to-end tests: serves dist/ on loopback, drives Debian's Chromium
// through playwright-core, and fails a test on any request that leaves localhost or on any
// console error or uncaught page error.
import { createServer } from 'node:http';
import { readFile, mkdtemp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, extname, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { deflateRawSync } from 'node:zlib';
import { createRequire } from 'node:module';

const ROOT = resolve(import.meta.dirname, '..', '..');
export const DIST = process.env.DIST_DIR ? resolve(process.env.DIST_DIR) : join(ROOT, 'dist');
export const SHOTS = join(ROOT, 'test-results');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml',
};

// Serves dist/ under `base` (a sub-path such as '/docs/play/' checks that the page uses
// relative URLs only: anything outside it is a 404).
export async function serveDist(base = '/') {
  const server = createServer(async (req, res) => {
    const full = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!full.startsWith(base)) { res.writeHead(404).end('outside the sub-path'); return; }
    const path = normalize('/' + full.slice(base.length));
    const file = join(DIST, path.endsWith('/') ? path + 'index.html' : path);
    if (!file.startsWith(DIST)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${server.address().port}${base}` };
}

// The offline service worker (public/sw.js) is blocked unless a test asks for it: requests a
// service worker makes are not seen by page.route, which several tests use to hold or drop a file.
// Every browser a test file opened, so a failed test (which never reaches its own close) does
// not keep the file's process alive: the file's `after` hook calls closeBrowsers().
const opened = new Set();

export async function closeBrowsers() {
  await Promise.all([...opened].map((c) => c.close().catch(() => {})));
  opened.clear();
}

export async function openBrowser({ serviceWorkers = 'block', locale } = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'sts-playground-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    serviceWorkers,
    ...(locale ? { locale } : {}),
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  opened.add(context);
  context.on('close', () => opened.delete(context));
  const problems = [];
  await context.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
    problems.push(`request outside localhost: ${route.request().url()}`);
    return route.abort();
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  // A request the browser aborts because the page navigated or reloaded meanwhile (the
  // schema's prefetch, say) is not a failure of the page; every other failure is.
  page.on('requestfailed', (req) => {
    if (req.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${req.url()}`);
  });
  return { context, page, problems };
}

export async function screenshot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
  return path;
}

// The app has mounted (the console is the app's, not the first paint's) and the code editor
// has taken over the textarea.
export async function waitForApp(page) {
  await page.waitForSelector('.console-input');
  await page.waitForSelector('.cm-editor');
}

// The open file's whole text (the textarea the code editor replaced keeps it, hidden, even
// where CodeMirror draws only the lines in view).
export async function editorText(page) {
  return page.locator('textarea.editor').inputValue();
}

// Clicks the editor line containing `lineText`, goes to its end, deletes `erase` characters and
// types `replacement`, as a person changing the end of a line would.
export async function typeAtLine(page, lineText, replacement, erase = 1) {
  await page.locator('.cm-line', { hasText: lineText }).first().click();
  await page.keyboard.press('End');
  for (let i = 0; i < erase; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type(replacement);
}

// The console's lines as text.
export const consoleText = async (page) =>
  (await page.locator('.console-output div').allTextContents()).join('\n');

// Types `line` into the console and presses Enter.
export async function typeLine(page, line) {
  await page.locator('input.console-input').click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

// The console's answer to `line`, typed now.
export async function answer(page, line) {
  const before = (await consoleText(page)).length;
  await typeLine(page, line);
  await page.waitForFunction((n) => [...document.querySelectorAll('.console-output div')]
    .map((d) => d.textContent).join('\n').length > n + 3, before);
  await page.waitForTimeout(200);
  return (await consoleText(page)).slice(before);
}

// base64url without padding, as the page's #v1: links carry their packed bundle.
export const b64url = (buf) => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
// A #v1: link fragment for a workspace bundle (JSON), packed as the page packs it.
export const linkOf = (json) => '#v1:' + b64url(deflateRawSync(JSON.stringify(json)));

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's violations on the page, as `rule (help): targets` lines (empty when none). */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
