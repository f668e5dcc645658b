// Benchmark (not a test; run by hand, numbers go to BENCHMARKS.md): the MongoDB example scaled
// to 1,000 replicas on a 10-node cluster at 60x, watched in headless Chromium. Reports the
// simulated clock's pace, frame times (p50/p95/max, from requestAnimationFrame) and long tasks
// (PerformanceObserver 'longtask') while the rollout runs.
//   DIST_DIR=dist node tests/e2e/bench-view.mjs [SECONDS]   (a release build: trunk build --release)
import { serveDist, openBrowser } from './harness.mjs';

const seconds = Number(process.argv[2] ?? 20);
const site = await serveDist();
const { context, page, problems } = await openBrowser();
await page.setViewportSize({ width: 1280, height: 800 });
await page.addInitScript(() => {
  window.__long = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); })
    .observe({ type: 'longtask', buffered: true });
});
await page.goto(site.url);
await page.waitForSelector('textarea.editor');
await page.selectOption('select.profile', 'kind-like');
await page.selectOption('select.node-count', '10');
await page.selectOption('select.speed', '60');
await page.click('button.apply');
await page.waitForSelector('.sts');
await page.fill('.replicas-input', '1000');
await page.press('.replicas-input', 'Enter');
const t0 = Number(await page.locator('input.scrubber').inputValue());
await page.evaluate(() => { window.__long = []; });
const frames = await page.evaluate((ms) => new Promise((done) => {
  const deltas = [];
  let last = performance.now();
  const end = last + ms;
  const tick = (now) => {
    deltas.push(now - last);
    last = now;
    if (now < end) requestAnimationFrame(tick); else done(deltas);
  };
  requestAnimationFrame(tick);
}), seconds * 1000);
const t1 = Number(await page.locator('input.scrubber').inputValue());
const long = await page.evaluate(() => window.__long);
const pods = await page.locator('.sts .pod[data-pod]').count();
const ready = await page.locator('.sts .pod[data-state=ready]').count();
const sorted = [...frames].sort((a, b) => a - b);
const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1);
console.log(JSON.stringify({
  wall_s: seconds, simulated_s: (t1 - t0) / 1000, pace: `${((t1 - t0) / 1000 / seconds).toFixed(1)}x`,
  frames: frames.length, p50_ms: q(0.5), p95_ms: q(0.95), max_ms: q(1),
  long_tasks: long.length, longest_ms: long.length ? Math.max(...long).toFixed(0) : 0,
  pod_tiles: pods, ready, compact: await page.locator('.slots.compact').count() > 0, problems,
}, null, 1));
await context.close();
site.server.close();
