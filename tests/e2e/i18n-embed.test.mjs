// The page in Simplified Chinese (from the embed's lang= option and from the browser's
// language), the timeline as its own embed pane, the share fallback past the link's size cap
// (download the JSON bundle, upload it in a fresh browser) and the Embed dialog's snippet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { serveDist, openBrowser, closeBrowsers, screenshot, waitForApp, editorText, consoleText, answer, linkOf } from './harness.mjs';

let site;
before(async () => { site = await serveDist('/docs/play/'); });
after(async () => {
  await closeBrowsers();
  site?.server.close();
});

const WEB = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'presets', 'web.yaml'), 'utf8');

test('lang=zh: the view, editor and console speak Chinese; kubectl output is unchanged', async () => {
  const v = await openBrowser({ locale: 'zh-CN' });
  const { page } = v;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${site.url}?lang=zh`);
  await waitForApp(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh');
  // The page's own words: editor, time bar, view, console.
  assert.equal((await page.textContent('button.apply')).trim(), '应用');
  assert.equal((await page.textContent('button.reset')).trim(), '重置示例');
  assert.match(await page.textContent('button.play'), /播放|暂停/);
  assert.equal(await page.getAttribute('.cluster-pane', 'aria-label'), '集群');
  assert.match(await page.getAttribute('input.console-input', 'placeholder'), /Tab 补全/);
  assert.equal(await page.textContent('#tl-h'), '生命周期时间线');
  assert.equal(await page.textContent('#nodes-h'), '节点');
  assert.match(await page.textContent('.cluster .empty'), /还没有 StatefulSet/);
  // kubectl's words stay Kubernetes' own.
  assert.match(await answer(page, 'kubectl get pods'), /^\n?\$ kubectl get pods\nNo resources found in default namespace\.$/);
  await page.click('button.apply');
  await page.waitForFunction(() => /statefulset\.apps\/mongo created/.test(document.querySelector('.console-output').textContent));
  // The engine's why-sentences, from the structured phrases, in Chinese.
  await page.waitForSelector('.sts ul.why li');
  await page.waitForFunction(() => /[\u4e00-\u9fff]/.test(document.querySelector('.sts ul.why').textContent));
  const describe = await answer(page, 'kubectl describe sts mongo');
  assert.match(describe, /\$ kubectl describe sts mongo\nName: +mongo\nNamespace: +default\n/);
  assert.doesNotMatch(describe, /[\u4e00-\u9fff]/, 'no Chinese in kubectl output');
  // An editor hint's prose in Chinese, next to the parser's own English.
  await page.click('.tab:has-text("mongo-sts.yaml")');
  await page.locator('.cm-line', { hasText: 'serviceName:' }).first().click();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft'); // inside the quotes: serviceName: "mongox"
  await page.keyboard.type('x');
  await page.waitForFunction(() => /在这些文件中找不到对应的 Service/.test(document.querySelector('ul.diagnostics.live')?.textContent ?? ''), null, { timeout: 10000 });
  await screenshot(page, 'zh-1280x800');
  await page.setViewportSize({ width: 700, height: 500 });
  await screenshot(page, 'zh-700x500');
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('the browser language picks Chinese without lang=, and an embed says its captions around Chinese words', async () => {
  const v = await openBrowser({ locale: 'zh-CN' });
  const { page } = v;
  await page.setViewportSize({ width: 700, height: 500 });
  assert.equal(await page.evaluate(() => navigator.language), 'zh-CN');
  await page.goto(`${site.url}?embed=1&panes=view,console&speed=10&session=presets/web.session`);
  await page.waitForSelector('.caption');
  assert.match(await page.textContent('button.play'), /播放|暂停/);
  await page.waitForFunction(() => document.querySelectorAll('.sts .pod[data-state=ready]').length >= 2, null, { timeout: 60000 });
  assert.match(await page.textContent('.sts dl.counts'), /副本数/);
  // The transcript is still kubectl's.
  assert.match(await consoleText(page), /\$ kubectl apply -f web\.yaml\nservice\/nginx created\nstatefulset\.apps\/web created\n/);
  await screenshot(page, 'zh-embed-700x500');
  // English browsers get English.
  const e = await openBrowser({ locale: 'en-US' });
  await e.page.goto(site.url);
  await waitForApp(e.page);
  assert.equal((await e.page.textContent('button.apply')).trim(), 'Apply');
  assert.deepEqual([...v.problems, ...e.problems], []);
  await v.context.close();
  await e.context.close();
});

test('the timeline pane alone in a 700x500 embed, and on top of the view beside it', async () => {
  const v = await openBrowser();
  const { page } = v;
  await page.setViewportSize({ width: 700, height: 500 });
  await page.goto(`${site.url}?embed=1&panes=timeline&speed=10&session=presets/web.session`);
  await page.waitForFunction(() => document.querySelectorAll('.timeline .tl-row').length >= 2, null, { timeout: 60000 });
  assert.match(await page.getAttribute('html', 'class'), /\bno-view\b/);
  assert.doesNotMatch(await page.getAttribute('html', 'class'), /no-timeline/);
  for (const sel of ['.timebar', '.timeline', '.timeline .tl-row']) {
    const box = await page.locator(sel).first().boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 500, `${sel} in sight: ${JSON.stringify(box)}`);
  }
  for (const sel of ['.sets', '.nodes-pane', '.network', '.editor-host', '.console']) {
    assert.equal(await page.locator(sel).first().isVisible(), false, `${sel} hidden`);
  }
  assert.ok(await page.evaluate(() => document.documentElement.scrollHeight <= 500), 'no page scroll');
  await screenshot(page, 'embed-timeline-700x500');
  // Beside the view: the timeline first, the pods below it.
  await page.goto(`${site.url}?embed=1&panes=view,timeline&speed=10&session=presets/web.session`);
  await page.waitForSelector('.sts .pod[data-pod]', { timeout: 60000 });
  await page.waitForSelector('.timeline .tl-row');
  const tl = await page.locator('.timeline').boundingBox();
  const sets = await page.locator('.sets').boundingBox();
  assert.ok(tl.y < sets.y, `timeline above the sets: ${tl.y} < ${sets.y}`);
  await screenshot(page, 'embed-view-timeline-700x500');
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('past the link size cap: download the bundle, upload it in a fresh browser, same files and history', async () => {
  // A workspace whose compressed link is over 8 KB: a file of incompressible text.
  const noise = randomBytes(9000).toString('base64').match(/.{1,76}/g).map((l) => `# ${l}`).join('\n') + '\n';
  const json = {
    format: 'statefulset-playground/workspace', version: 1, kubernetes: 'v1.35',
    cluster: { profile: 'kind-like', nodes: 3 }, clock: { at_ms: 30000, speed: 1 },
    files: [{ name: 'web.yaml', text: WEB }, { name: 'notes.yaml', text: noise }],
    session: '$ kubectl apply -f web.yaml\n$ sleep 30\n',
  };
  const a = await openBrowser();
  await a.page.setViewportSize({ width: 1280, height: 800 });
  await a.page.goto(site.url + linkOf(json));
  await waitForApp(a.page);
  await a.page.waitForSelector('.sts .pod[data-state=ready]');
  const podsBefore = await a.page.locator('.sts .pod[data-pod]').evaluateAll((ps) => ps.map((p) => `${p.dataset.pod}:${p.dataset.state}`));
  await a.page.click('button.share');
  await a.page.waitForFunction(() => /too long/.test(document.querySelector('.share-status')?.textContent ?? ''));
  assert.equal(await a.page.locator('input.share-link').count(), 0, 'no link offered');
  assert.match(await a.page.getAttribute('button.download-workspace', 'class'), /primary/);
  const [download] = await Promise.all([a.page.waitForEvent('download'), a.page.click('button.download-workspace')]);
  assert.equal(download.suggestedFilename(), 'playground-workspace.json');
  const file = join(await import('node:os').then((o) => o.tmpdir()), `ws-${process.pid}.json`);
  await download.saveAs(file);
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  assert.deepEqual(saved.files.map((f) => f.name), ['web.yaml', 'notes.yaml']);
  assert.match(saved.session, /kubectl apply -f web\.yaml/);
  await screenshot(a.page, 'share-too-long');
  // A fresh browser: upload the file from the Share dialog.
  const b = await openBrowser();
  await b.page.setViewportSize({ width: 1280, height: 800 });
  await b.page.goto(site.url);
  await waitForApp(b.page);
  await b.page.click('button.share');
  const [chooser] = await Promise.all([b.page.waitForEvent('filechooser'), b.page.click('button.upload-workspace')]);
  await chooser.setFiles(file);
  await b.page.waitForSelector('.share-banner', { timeout: 30000 });
  await waitForApp(b.page);
  assert.deepEqual(await b.page.locator('.file-bar .tab').allTextContents(), ['web.yaml', 'notes.yaml']);
  await b.page.click('.tab:has-text("notes.yaml")');
  assert.equal(await editorText(b.page), noise);
  await b.page.waitForSelector('.sts .pod[data-state=ready]');
  const podsAfter = await b.page.locator('.sts .pod[data-pod]').evaluateAll((ps) => ps.map((p) => `${p.dataset.pod}:${p.dataset.state}`));
  assert.deepEqual(podsAfter, podsBefore, 'the same cluster at the same instant');
  assert.match(await consoleText(b.page), /\$ kubectl apply -f web\.yaml\nservice\/nginx created\nstatefulset\.apps\/web created/);
  assert.deepEqual([...a.problems, ...b.problems], []);
  await a.context.close();
  await b.context.close();
});

test('the Embed dialog: options change the snippet, and the snippet shows the chosen panes', async () => {
  const v = await openBrowser();
  const { page } = v;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(site.url);
  await waitForApp(page);
  await page.click('button.embed-button');
  const snippet = () => page.inputValue('textarea.embed-snippet');
  await page.waitForFunction(() => document.querySelector('textarea.embed-snippet')?.value.startsWith('<iframe'));
  assert.match(await snippet(), /\?embed=1&amp;panes=view,console&amp;theme=dark&amp;/);
  assert.match(await snippet(), /autoplay=0/);
  const box = (name) => page.locator('.embed-dialog fieldset label', { hasText: name }).locator('input');
  await box('console').uncheck();
  await box('timeline').check();
  await box('Light theme').check();
  await box('Read-only').check();
  // each option redraws the snippet: wait for the last one's mark, not only the first ones'
  await page.waitForFunction(() => {
    const v = document.querySelector('textarea.embed-snippet').value;
    return /panes=view,timeline&amp;theme=light/.test(v) && /readonly=1/.test(v);
  });
  const s = await snippet();
  assert.match(s, /readonly=1/);
  assert.doesNotMatch(s, /panes=[^&]*console/);
  await screenshot(page, 'embed-dialog');
  // The snippet, pasted into a documentation page, loads the playground with those panes.
  const doc = await openBrowser();
  await doc.page.setViewportSize({ width: 900, height: 700 });
  await doc.page.setContent(`<!doctype html><h1>Docs</h1>${s}`);
  const frame = doc.page.frameLocator('iframe');
  await frame.locator('.timeline').waitFor({ timeout: 30000 });
  assert.equal(await frame.locator('.console').isVisible(), false, 'no console pane');
  assert.equal(await frame.locator('.editor-host').isVisible(), false, 'no editor pane');
  assert.equal(await frame.locator('html').getAttribute('class'), 'embed no-editor no-console theme-light readonly');
  await screenshot(doc.page, 'embed-snippet-loaded');
  assert.deepEqual([...v.problems, ...doc.problems], []);
  await v.context.close();
  await doc.context.close();
});
