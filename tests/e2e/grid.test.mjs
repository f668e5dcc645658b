// The compact pod grid (src/view/grid.rs): above 40 pods a set's pods are one canvas. A person
// reads it by its summary, by hovering a tile, or by keyboard: the arrow keys move a focus ring
// and a live line names the pod; Enter or a click opens it in the inspector. At 5 pods the
// normal tiles are back. Screenshots (1280x800 and 700x500, light and dark) go to test-results/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, openBrowser, screenshot, waitForApp, axeViolations } from './harness.mjs';

let site, browser;
before(async () => {
  site = await serveDist();
  browser = await openBrowser();
});
after(async () => {
  await browser?.context.close();
  site?.server.close();
});

const CELL = 25; // grid.rs's cell, CSS pixels
const summary = (page) => page.textContent('.grid-summary');
const focusLine = (page) => page.textContent('.grid-focus');
const scale = async (page, n) => {
  await page.fill('.replicas-input', String(n));
  await page.press('.replicas-input', 'Enter');
};

test('above 40 pods the set is one canvas read by summary, hover and keyboard; at 5 the tiles return', async () => {
  const { page, problems } = browser;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(site.url);
  await waitForApp(page);
  await page.selectOption('select.speed', '60');
  await page.click('button.apply');
  await page.waitForFunction(() => document.querySelectorAll('.sts .pod[data-state=ready]').length === 3, null, { timeout: 60000 });

  // The seed has five volumes: mongo-0..4 become Ready, mongo-5 waits Pending for a claim,
  // and OrderedReady creates nothing above it.
  await scale(page, 60);
  await page.waitForSelector('canvas.grid-canvas[data-pods="60"]');
  assert.equal(await page.locator('.sts .pod[data-pod]').count(), 0, 'no DOM tile per pod');
  await page.waitForFunction(() => /● 5 Ready/.test(document.querySelector('.grid-summary')?.textContent ?? ''), null, { timeout: 60000 });
  assert.match(await summary(page), /^60 pods: … 1 Pending · ● 5 Ready · ○ 54 not created$/);
  // The canvas's name says how to use it, and the summary describes it.
  const canvas = page.locator('canvas.grid-canvas');
  assert.match(await canvas.getAttribute('aria-label'), /Pods of mongo.*Arrow keys/);
  assert.equal(await page.textContent(`#${await canvas.getAttribute('aria-describedby')}`), await summary(page));
  // Something is drawn where mongo-0's tile is (its fill, at the device's pixel ratio).
  const drawn = await canvas.evaluate((c, cell) => {
    const r = window.devicePixelRatio;
    return [...c.getContext('2d').getImageData(4 * r, 4 * r, 1, 1).data].at(3) > 0 && c.width >= c.clientWidth * r - 1;
  }, CELL);
  assert.ok(drawn, 'mongo-0 drawn at the device pixel ratio');

  // Keyboard: Home, arrows, End, each announced in the live line.
  await canvas.focus();
  await page.keyboard.press('Home');
  assert.match(await focusLine(page), /^mongo-0: Ready, 2\/2 Running, node node-\d, IP 10\.244\.\d+\.\d+, revision [0-9a-z]+ \(update\)$/);
  await page.keyboard.press('ArrowRight');
  assert.match(await focusLine(page), /^mongo-1: Ready, /);
  const cols = await canvas.evaluate((c, cell) => Math.floor(c.clientWidth / cell), CELL);
  await page.keyboard.press('ArrowDown');
  assert.equal(await focusLine(page), `mongo-${1 + cols}: not created`);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.match(await focusLine(page), /^mongo-5: Pending, 0\/2 Pending, not scheduled, revision [0-9a-z]+ \(update\)$/);
  await page.keyboard.press('End');
  assert.equal(await focusLine(page), 'mongo-59: not created');
  await screenshot(page, 'grid-60-focus-1280');

  // Enter opens the focused pod in the inspector, as a click on its tile does.
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.inspector');
  assert.match(await page.textContent('.inspector-body'), /^Name:\s+mongo-1\n/);
  await page.click('.inspector .close');
  await canvas.click({ position: { x: 2 * CELL + 12, y: 12 } });
  await page.waitForSelector('.inspector');
  assert.match(await page.textContent('.inspector-body'), /^Name:\s+mongo-2\n/);
  await page.click('.inspector .close');

  // Hover shows the same words beside the tile.
  await canvas.hover({ position: { x: 3 * CELL + 12, y: 12 } });
  assert.match(await page.textContent('.grid-tip'), /^mongo-3: Ready, 2\/2 Running, node node-\d, IP 10\.244\./);
  await page.mouse.move(5, 5);
  assert.equal(await page.locator('.grid-tip').count(), 0);

  assert.deepEqual(await axeViolations(page), []);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(600);
  assert.deepEqual(await axeViolations(page), []);

  // 1,000 pods: still one canvas, positions by ordinal (the 1,000th tile is on the last row).
  await page.emulateMedia({ colorScheme: 'light' });
  await scale(page, 1000);
  await page.waitForSelector('canvas.grid-canvas[data-pods="1000"]');
  assert.match(await summary(page), /^1000 pods: … 1 Pending · ● 5 Ready · ○ 994 not created$/);
  const rows = Math.ceil(1000 / cols);
  assert.equal(await canvas.evaluate((c) => c.clientHeight), rows * CELL);
  await canvas.hover({ position: { x: ((999 % cols) * CELL) + 12, y: (rows - 1) * CELL + 12 } });
  assert.equal(await page.textContent('.grid-tip'), 'mongo-999: not created');
  await page.mouse.move(5, 5);
  await screenshot(page, 'grid-1000-1280');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(page, 'grid-1000-dark-1280');
  await page.setViewportSize({ width: 700, height: 500 });
  await page.waitForFunction((n) => {
    const c = document.querySelector('canvas.grid-canvas');
    return c && c.clientHeight === Math.ceil(1000 / Math.floor(c.clientWidth / n)) * n;
  }, CELL);
  await screenshot(page, 'grid-1000-dark-700x500');
  await page.emulateMedia({ colorScheme: 'light' });
  await screenshot(page, 'grid-1000-700x500');
  assert.deepEqual(await axeViolations(page), []);

  // Back to 5: the normal tiles, one per pod.
  await page.setViewportSize({ width: 1280, height: 800 });
  await scale(page, 5);
  await page.waitForFunction(() => document.querySelectorAll('.sts .pod[data-state=ready]').length === 5, null, { timeout: 60000 });
  assert.equal(await page.locator('canvas.grid-canvas').count(), 0);
  await screenshot(page, 'grid-5-tiles-1280');
  await page.setViewportSize({ width: 700, height: 500 });
  await screenshot(page, 'grid-5-tiles-700x500');
  assert.deepEqual(problems, []);
});
