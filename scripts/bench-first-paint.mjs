// Benchmark (not a test): how soon the page is readable and usable after navigation, in headless
// Chromium with the CPU slowed 4x (CDP Emulation.setCPUThrottlingRate), served from dist/ on
// localhost with a cold cache (a fresh browser profile per run). Prints one row per run and the
// median; BENCHMARKS.md records the numbers.
//   [DIST_DIR=dist] node scripts/bench-first-paint.mjs [RUNS=7] [--no-editor]
// --no-editor aborts the editor bundle's request (the page then keeps its textarea).
// Marks, in ms since navigation start:
//   paint     first contentful paint (the frame and the example's text, before the wasm)
//   usable    the editor holds the example and Apply is enabled (index.html's first paint
//             already: its textarea edits, and an Apply pressed there runs when the app mounts)
//   mounted   the app mounted (the console is there: the cluster is ready)
//   editor    CodeMirror drew the example (line numbers, highlighting)
import { serveDist, openBrowser } from '../tests/e2e/harness.mjs';

const runs = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 7);
const noEditor = process.argv.includes('--no-editor');
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
      if (marks.usable === undefined && text.includes('name: pv001')
        && document.querySelector('button.apply:not([disabled])')) marks.usable = now;
      if (marks.mounted === undefined && text.includes('name: pv001') && document.querySelector('.console-input')) marks.mounted = now;
      if (marks.editor === undefined && document.querySelector('.cm-editor .cm-line')) marks.editor = now;
    };
    // Values set as properties make no mutation: poll too.
    new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
    const timer = setInterval(() => { check(); if (marks.mounted !== undefined && marks.editor !== undefined) clearInterval(timer); }, 10);
  });
  if (noEditor) await page.route('**/editor-*.js', (route) => route.abort());
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(site.url);
  await page.waitForFunction((noEditor) => window.__marks.mounted !== undefined
    && (noEditor || window.__marks.editor !== undefined), noEditor, { timeout: 60000 });
  const m = await page.evaluate(() => ({
    paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    ...window.__marks,
  }));
  rows.push(m);
  const ms = (v) => (v === undefined ? '-' : `${v.toFixed(0)} ms`);
  console.log(`run ${i + 1}: paint ${ms(m.paint)}, text ${ms(m.text)}, usable ${ms(m.usable)}, mounted ${ms(m.mounted)}, editor ${ms(m.editor)}`);
  await context.close();
}
const median = (k) => {
  const v = rows.map((r) => r[k]).filter((x) => x !== undefined).sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)].toFixed(0) : '-';
};
console.log(`median of ${runs}: paint ${median('paint')} ms, usable ${median('usable')} ms, mounted ${median('mounted')} ms, editor ${median('editor')} ms`);
site.server.close();
