// Benchmark (not a test; run by hand, numbers go to BENCHMARKS.md): the editor's diagnostics on
// a 5,000-line file in headless Chromium, on the release build. The same two inputs as
// crates/kubesim/benches/diagnostics.rs (the seed's PVs, Service and StatefulSet repeated under
// distinct names; one StatefulSet with a 2,480-entry env list), saved as the only file, the page
// reloaded, then keystrokes typed into the file one by one, each after the previous check ran.
// Reads the page's User Timing measure `playground-diagnostics` (src/editor/mod.rs): the time of
// the diagnostics themselves, not of drawing them.
//   DIST_DIR=dist node tests/e2e/bench-diagnostics.mjs        (a release build: trunk build --release)
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serveDist, openBrowser, waitForApp } from './harness.mjs';

const EXAMPLES = join(resolve(import.meta.dirname, '..', '..'), 'examples', 'mongodb');
const read = (name) => readFileSync(join(EXAMPLES, name), 'utf8');
// examples.rs serves the seed's StatefulSet as apps/v1 (the seed's apps/v1beta1 corrected)
const [pvs, svc, sts] = [read('pv-demo.yaml'), read('mongo-service.yaml'),
  read('mongo-sts.yaml').replace('apps/v1beta1', 'apps/v1')];

function manyDocuments() {
  let text = '';
  for (let i = 0; text.split('\n').length - 1 < 5000; i++) {
    const docs = [
      pvs.replaceAll('name: pv0', `name: pv${i}-`),
      svc.replaceAll('name: mongo', `name: mongo${i}`),
      sts.replaceAll('name: mongo\n', `name: mongo${i}\n`).replaceAll('serviceName: "mongo"', `serviceName: "mongo${i}"`),
    ];
    for (const doc of docs) text += `---\n${doc}`;
  }
  return text;
}
function oneDocument() {
  let env = '';
  for (let i = 0; i < 2480; i++) env += `            - name: VAR_${i}\n              value: "${i}"\n`;
  return sts.replace('          env:\n', `          env:\n${env}`);
}

const site = await serveDist();
const { context, page, problems } = await openBrowser();
await page.setViewportSize({ width: 1280, height: 800 });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [label, text] of [['many documents', manyDocuments()], ['one StatefulSet', oneDocument()]]) {
  await page.goto(site.url);
  await waitForApp(page);
  await page.evaluate((t) => {
    localStorage.clear();
    localStorage.setItem('sts-playground/files', 'big.yaml');
    localStorage.setItem('sts-playground/file/big.yaml', t);
  }, text);
  await page.reload();
  await waitForApp(page);
  const measures = () => page.evaluate(() =>
    performance.getEntriesByName('playground-diagnostics').map((e) => e.duration));
  await page.waitForFunction(() => performance.getEntriesByName('playground-diagnostics').length > 0);
  const first = (await measures()).at(-1);
  // keystrokes at the end of the first object's name: a letter typed, then erased
  await page.locator('.cm-line', { hasText: /^ {2}name: / }).first().click();
  await page.keyboard.press('End');
  const keys = [];
  for (let i = 0; i < 10; i++) {
    const before = (await measures()).length;
    await page.keyboard.press(i % 2 ? 'Backspace' : 'x');
    await page.waitForFunction((n) => performance.getEntriesByName('playground-diagnostics').length > n, before);
    keys.push((await measures()).at(-1));
  }
  const lines = text.split('\n').length - 1;
  console.log(`chromium ${label.padEnd(16)} ${lines} lines  first check ${first.toFixed(1)} ms  ` +
    `keystroke median ${median(keys).toFixed(1)} ms  max ${Math.max(...keys).toFixed(1)} ms`);
}
if (problems.length) console.log('problems:', problems);
await context.close();
site.server.close();
