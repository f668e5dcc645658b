// Benchmark (not a test): how soon the page is readable and usable after navigation, in headless
// Chromium with the CPU slowed 4x (CDP Emulation.setCPUThrottlingRate), served from dist/ on
// localhost with a cold cache (a fresh browser profile per run). Prints one row per run and the
// median; BENCHMARKS.md records the numbers.
//   node scripts/bench-first-paint.mjs [RUNS=7]
// Marks, in ms since navigation start:
//   paint     first contentful paint (the frame and the example's text, before the wasm)
//   usable    the app mounted: the editor holds the example and Apply is enabled
//   editor    CodeMirror drew the example (line numbers, highlighting)
import { serveDist, openBrowser } from '../tests/e2e/harness.mjs';

const runs = Number(process.argv[2] ?? 7);
const site = await serveDist();
const rows = [];
for (let i = 0; i < runs; i++) {
  const { context, page, problems } = await openBrowser();
  await page.addInitScript(() => {
    const marks = (window.__marks = {});
    const check = () => {
      const now = performance.now();
      const text = document.querySelector('textarea.editor')?.value ?? '';
      if (marks.text === undefined && text.includes('name: pv001')) marks.text = now;
      if (marks.usable === undefined && text.includes('name: pv001') && document.querySelector('.console-input')
        && document.querySelector('button.apply:not([disabled])')) marks.usable = now;
      if (marks.editor === undefined && document.querySelector('.cm-editor .cm-line')) marks.editor = now;
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(site.url);
  await page.waitForFunction(() => window.__marks.usable !== undefined && window.__marks.editor !== undefined,
    null, { timeout: 60000 });
  const m = await page.evaluate(() => ({
    paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    ...window.__marks,
  }));
  rows.push(m);
  console.log(`run ${i + 1}: paint ${m.paint.toFixed(0)} ms, text ${m.text.toFixed(0)} ms, usable ${m.usable.toFixed(0)} ms, editor ${m.editor.toFixed(0)} ms${problems.length ? ` (${problems.join('; ')})` : ''}`);
  await context.close();
}
const median = (k) => {
  const v = rows.map((r) => r[k]).sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)].toFixed(0);
};
console.log(`median of ${runs}: paint ${median('paint')} ms, usable ${median('usable')} ms, editor ${median('editor')} ms`);
site.server.close();
