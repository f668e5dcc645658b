// Benchmark (not a test; run by hand, numbers go to BENCHMARKS.md): the MongoDB example (its
// claims ReadWriteOnce) scaled to 1,000 replicas on a 10-node cluster at 60x, watched in headless Chromium. Reports the
// simulated clock's pace, frame times (p50/p95/max, from requestAnimationFrame), long tasks
// (PerformanceObserver 'longtask') while the rollout runs, the engine's share (the page's
// `sim-engine` user-timing measures around each tick's stepping) and, with --trace, where the
// main thread's time went (a Chromium trace over the same window, summed by event name:
// TimerFire = the tick's script, UpdateLayoutTree = style, Layout, Paint, GC ...).
//   DIST_DIR=dist node tests/e2e/bench-view.mjs [SECONDS] [--trace]   (a release build)
import { serveDist, openBrowser, typeAtLine } from './harness.mjs';

const args = process.argv.slice(2);
const seconds = Number(args.find((a) => !a.startsWith('--')) ?? 20);
const trace = args.includes('--trace');
const site = await serveDist();
const { context, page, problems } = await openBrowser();
await page.setViewportSize({ width: 1280, height: 800 });
await page.addInitScript(() => {
  window.__long = [];
  window.__engine = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'sim-engine') window.__engine.push(e.duration);
  }).observe({ type: 'measure' });
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); })
    .observe({ type: 'longtask', buffered: true });
});
await page.goto(site.url);
await page.waitForSelector('.cm-editor');
// kind's local-path provisioner refuses ReadWriteMany claims (as on kind): the seed's template
// asks ReadWriteOnce here, so every member gets a provisioned volume.
await page.click('.tab:has-text("mongo-sts.yaml")');
await page.click('.cm-content');
await page.keyboard.press('Control+End'); // the claim template is below the editor's fold
await typeAtLine(page, 'accessModes: ["ReadWriteMany"]', 'ReadWriteOnce"]', 'ReadWriteMany"]'.length);
await page.selectOption('select.profile', 'kind-like');
await page.selectOption('select.node-count', '10');
await page.selectOption('select.speed', '60');
await page.click('button.apply');
await page.waitForSelector('.sts');
await page.fill('.replicas-input', '1000');
await page.press('.replicas-input', 'Enter');
const t0 = Number(await page.locator('input.scrubber').inputValue());
await page.evaluate(() => { window.__long = []; window.__engine = []; });
let cdp;
const events = [];
if (trace) {
  cdp = await context.newCDPSession(page);
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,blink.user_timing,v8', transferMode: 'ReportEvents',
  });
}
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
let breakdown;
if (trace) {
  const finished = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
  await cdp.send('Tracing.end');
  await finished;
  // The renderer's main thread: the thread that ran the timers.
  const fire = events.find((e) => e.name === 'TimerFire' || e.name === 'FireAnimationFrame');
  const main = events.filter((e) => e.ph === 'X' && fire && e.pid === fire.pid && e.tid === fire.tid);
  const sums = {};
  for (const e of main) sums[e.name] = (sums[e.name] ?? 0) + (e.dur ?? 0) / 1000;
  const names = ['RunTask', 'TimerFire', 'FunctionCall', 'RunMicrotasks', 'FireAnimationFrame',
    'EventDispatch', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize',
    'HitTest', 'MajorGC', 'MinorGC', 'V8.GC_SCAVENGER', 'V8.GC_MARK_COMPACTOR'];
  breakdown = Object.fromEntries(names.filter((n) => sums[n]).map((n) => [n, `${sums[n].toFixed(0)} ms`]));
}
const t1 = Number(await page.locator('input.scrubber').inputValue());
const long = await page.evaluate(() => window.__long);
const engine = await page.evaluate(() => window.__engine);
const pods = await page.locator('.sts .pod[data-pod]').count();
const ready = await page.locator('.sts .pod[data-state=ready]').count();
const sorted = [...frames].sort((a, b) => a - b);
const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
console.log(JSON.stringify({
  wall_s: seconds, simulated_s: (t1 - t0) / 1000, pace: `${((t1 - t0) / 1000 / seconds).toFixed(1)}x`,
  frames: frames.length, p50_ms: q(0.5), p95_ms: q(0.95), max_ms: q(1),
  long_tasks: long.length, longest_ms: long.length ? Math.max(...long).toFixed(0) : 0,
  engine_ticks: engine.length, engine_ms_total: sum(engine).toFixed(0),
  engine_ms_max: engine.length ? Math.max(...engine).toFixed(1) : 0,
  main_thread: breakdown,
  pod_tiles: pods, ready, compact: await page.locator('.slots.compact').count() > 0, problems,
}, null, 1));
await context.close();
site.server.close();
