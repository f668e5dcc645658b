// Benchmark (not a test; run by hand, numbers go to BENCHMARKS.md): the MongoDB example (its
// claims ReadWriteOnce) scaled to 1,000 replicas on a 10-node cluster at 60x, watched in headless Chromium. Reports the
// simulated clock's pace, frame times (p50/p95/max, from requestAnimationFrame), long tasks
// (PerformanceObserver 'longtask') while the rollout runs, the engine's share (the page's
// `sim-engine` user-timing measures around each tick's stepping) and, with --trace, where the
// main thread's time went (a Chromium trace over the same window, summed by event name:
// TimerFire = the tick's script, UpdateLayoutTree = style, Layout, Paint, GC ...).
// With --shots it ends with screenshots of the 1,000-pod view (1280x800 and 700x500, light and dark).
//   DIST_DIR=dist node tests/e2e/bench-view.mjs [SECONDS] [--trace] [--shots]   (a release build)
import { serveDist, openBrowser, typeAtLine, screenshot } from './harness.mjs';

const args = process.argv.slice(2);
const seconds = Number(args.find((a) => !a.startsWith('--')) ?? 20);
const trace = args.includes('--trace');
const shots = args.includes('--shots');
const site = await serveDist();
const { context, page, problems } = await openBrowser();
await page.setViewportSize({ width: 1280, height: 800 });
await page.addInitScript(() => {
  window.__long = [];
  window.__engine = [];
  window.__measures = {};
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name === 'sim-engine') window.__engine.push(e.duration);
      (window.__measures[e.name] ??= []).push(e.duration);
      window.__spans.push([e.name, e.startTime, e.duration]);
    }
  }).observe({ type: 'measure' });
  window.__spans = [];
  window.__longAt = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) { window.__long.push(e.duration); window.__longAt.push([e.startTime, e.duration]); }
  })
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
await page.evaluate(() => {
  window.__long = []; window.__engine = []; window.__measures = {}; window.__spans = []; window.__longAt = [];
});
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
// What each long task held: the page's measures that started inside it.
const longDetail = await page.evaluate(() => window.__longAt.map(([at, d]) => {
  const inside = window.__spans.filter(([, s]) => s >= at && s < at + d)
    .map(([n, , ms]) => `${n} ${ms.toFixed(1)}`);
  return `${d.toFixed(0)} ms: ${inside.join(', ') || 'no page measure'}`;
}));
// The page's own work per tick besides the engine (src/lib.rs `measured`): total and worst.
const measures = await page.evaluate(() => window.__measures);
// Compact, the pods are one canvas (src/view/grid.rs): its summary counts them.
const grid = await page.locator('canvas.grid-canvas').count() > 0;
const gridSummary = grid ? await page.textContent('.grid-summary') : '';
const pods = grid ? Number(await page.getAttribute('canvas.grid-canvas', 'data-pods'))
  : await page.locator('.sts .pod[data-pod]').count();
const ready = grid ? Number(/● (\d+) Ready/.exec(gridSummary)?.[1] ?? 0)
  : await page.locator('.sts .pod[data-state=ready]').count();
const sorted = [...frames].sort((a, b) => a - b);
const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
console.log(JSON.stringify({
  wall_s: seconds, simulated_s: (t1 - t0) / 1000, pace: `${((t1 - t0) / 1000 / seconds).toFixed(1)}x`,
  frames: frames.length, p50_ms: q(0.5), p95_ms: q(0.95), max_ms: q(1),
  long_tasks: long.length, longest_ms: long.length ? Math.max(...long).toFixed(0) : 0,
  long_task_detail: longDetail,
  engine_ticks: engine.length, engine_ms_total: sum(engine).toFixed(0),
  engine_ms_max: engine.length ? Math.max(...engine).toFixed(1) : 0,
  per_tick: Object.fromEntries(Object.entries(measures).filter(([n]) => n !== 'sim-engine').map(([n, xs]) =>
    [n, `${xs.length}x, total ${sum(xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(1)} ms`])),
  main_thread: breakdown,
  pods, ready, canvas_grid: grid, summary: gridSummary, problems,
}, null, 1));
if (shots) {
  await page.click('button.play'); // pause: the same instant in every shot
  for (const [w, h] of [[1280, 800], [700, 500]]) {
    await page.setViewportSize({ width: w, height: h });
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(300);
      await screenshot(page, `bench-view-1000-${scheme}-${w}x${h}`);
    }
  }
}
await context.close();
site.server.close();
