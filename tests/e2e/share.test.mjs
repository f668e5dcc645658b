// Sharing and embedding as a person uses them: share a link and open it in a fresh browser,
// keep the visitor's own work, refuse hostile links, embed the playground at 700x500, the
// example embed page from a sub-path, presets with their guide, offline after the first load.
// Served from a sub-path (/docs/play/): anything the page asks for outside it is a 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { serveDist, openBrowser, closeBrowsers, screenshot, waitForApp, editorText, typeAtLine, consoleText, typeLine as type, answer, b64url, linkOf } from './harness.mjs';

let site;
before(async () => { site = await serveDist('/docs/play/'); });
after(async () => {
  await closeBrowsers();
  site?.server.close();
});

const states = (page) => page.locator('.sts .pod[data-pod]').evaluateAll((pods) =>
  pods.map((p) => `${p.dataset.pod}:${p.dataset.state}`));
const readyPods = (page) => page.locator('.sts .pod[data-state=ready]').count();

/** Types `text` and a new line at the very start of the open file. */
async function prepend(page, text) {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

const bundle = (files, extra = {}) => ({
  format: 'statefulset-playground/workspace', version: 1, kubernetes: 'v1.35',
  cluster: { profile: 'bare', nodes: 3 }, clock: { at_ms: 0, speed: 1 }, files, session: '', ...extra,
});

test('a shared link rebuilds the same files and cluster history in a fresh browser', async () => {
  const a = await openBrowser();
  const { page } = a;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(site.url);
  await waitForApp(page);
  // Edit: 4 replicas instead of 3, apply, let it roll out at 10x, delete a pod.
  await page.click('.tab:has-text("mongo-sts.yaml")');
  await typeAtLine(page, 'replicas: 3', '4');
  await page.selectOption('select.speed', '10');
  await page.click('button.apply');
  await page.waitForFunction(() => document.querySelectorAll('.sts .pod[data-state=ready]').length === 4, null, { timeout: 60000 });
  await type(page, 'kubectl delete pod mongo-1');
  await page.waitForFunction(() => /pod "mongo-1" deleted/.test(document.querySelector('.console-output').textContent), null, { timeout: 30000 });
  // kubectl delete waits for the pod to be gone (10 simulated seconds here): share once it has
  // returned, so the link's session holds the command as typed, not interrupted.
  await page.waitForFunction(() => !document.querySelector('.console-input-row').classList.contains('running'), null, { timeout: 30000 });
  await page.waitForTimeout(300);
  await page.click('button.play'); // pause
  const time = await page.textContent('.timebar .time');
  await page.click('button.share');
  await page.locator('input.share-link').waitFor();
  const link = await page.locator('input.share-link').inputValue();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/docs\/play\/#v1:[A-Za-z0-9_-]+$/);
  assert.ok(link.length < 8 * 1024, `${link.length} bytes`);
  assert.match(await page.textContent('.share-status'), /copied|copy/i);
  await screenshot(page, 'share-dialog-1280x800');
  await page.click('.share-dialog button.close');
  const mine = await answer(page, 'kubectl get pods -o wide');
  const pvcs = await answer(page, 'kubectl get pvc');
  const pods = await states(page);

  const b = await openBrowser();
  await b.page.setViewportSize({ width: 1280, height: 800 });
  await b.page.goto(link);
  await waitForApp(b.page);
  await b.page.waitForSelector('.share-banner');
  assert.equal(await b.page.textContent('.timebar .time'), time, 'the same instant');
  assert.deepEqual(await b.page.locator('.file-bar .tab').allTextContents(),
    ['pv-demo.yaml', 'mongo-service.yaml', 'mongo-sts.yaml']);
  assert.match(await editorText(b.page), /replicas: 4\n/, 'the selected tab, edited');
  assert.deepEqual(await states(b.page), pods);
  assert.match(await consoleText(b.page), /\$ kubectl delete pod mongo-1\npod "mongo-1" deleted/);
  assert.equal(await answer(b.page, 'kubectl get pods -o wide'), mine);
  assert.equal(await answer(b.page, 'kubectl get pvc'), pvcs);
  await screenshot(b.page, 'shared-link-opened-1280x800');
  assert.deepEqual(a.problems, []);
  assert.deepEqual(b.problems, []);
  await a.context.close();
  await b.context.close();
});

test('a reload keeps edits, and a shared link never overwrites the visitor\'s saved work', async () => {
  const v = await openBrowser();
  const { page } = v;
  await page.goto(site.url);
  await waitForApp(page);
  await page.click('.tab:has-text("mongo-service.yaml")');
  await prepend(page, '# my own notes');
  await page.waitForTimeout(300);
  await page.reload();
  await waitForApp(page);
  await page.click('.tab:has-text("mongo-service.yaml")');
  assert.match(await editorText(page), /^# my own notes\n/, 'a reload keeps the edit');

  // A link to a workspace with one file of its own: its own space, the visitor's work kept.
  const other = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: other\nspec:\n  clusterIP: None\n';
  await page.goto(site.url + linkOf(bundle([{ name: 'other.yaml', text: other }])));
  await waitForApp(page);
  await page.waitForSelector('.share-banner');
  assert.deepEqual(await page.locator('.file-bar .tab').allTextContents(), ['other.yaml']);
  await prepend(page, '# edited in the shared workspace');
  await page.waitForTimeout(300);
  await page.reload();
  await waitForApp(page);
  assert.match(await editorText(page), /^# edited in the shared workspace\n/, 'the shared workspace keeps its own edits');
  await screenshot(page, 'shared-workspace-banner');
  await page.click('button.back-to-my-work');
  await page.waitForSelector('.file-bar .tab:has-text("mongo-service.yaml")');
  await waitForApp(page);
  assert.equal(await page.locator('.share-banner').count(), 0);
  await page.click('.tab:has-text("mongo-service.yaml")');
  assert.match(await editorText(page), /^# my own notes\n/, 'own work intact');
  assert.deepEqual(await page.locator('.file-bar .tab').allTextContents(),
    ['pv-demo.yaml', 'mongo-service.yaml', 'mongo-sts.yaml']);
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('hostile links are refused with a message, run no script, and keep saved work', async () => {
  const v = await openBrowser();
  const { page } = v;
  await page.goto(site.url);
  await waitForApp(page);
  await prepend(page, '# kept');
  await page.waitForTimeout(300);
  const bomb = b64url(deflateRawSync(Buffer.alloc(20 * 1024 * 1024, ' ')));
  const script = bundle([{ name: '<img src=x onerror="window.pwned=1">', text: '<script>window.pwned=1</script>' }]);
  const cases = [
    ['#v1:' + bomb, /unpacks to more than 1024 KB/],
    ['#v1:' + 'A'.repeat(40 * 1024), /more than the 32 KB/],
    ['#v1:%%%not-base64', /damaged/],
    ['#v1:' + b64url(Buffer.from('not deflate at all')), /damaged/],
    ['#v1:' + b64url(deflateRawSync('{"format": 1')), /not JSON/],
    [linkOf(script), /bad file name/],
    ['#<img src=x onerror="window.pwned=1">', /not a playground workspace/],
    ['#v9:abc', /newer playground/],
  ];
  for (const [fragment, message] of cases) {
    await page.goto('about:blank');
    await page.goto(site.url + fragment);
    await page.waitForSelector('.share-notice', { timeout: 15000 });
    await waitForApp(page);
    const notice = await page.textContent('.share-notice');
    assert.match(notice, message, fragment.slice(0, 40));
    assert.match(notice, /Your own work is shown/);
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    assert.equal(await page.locator('.share-notice img, .share-notice script').count(), 0, 'never HTML');
    assert.match(await editorText(page), /^# kept\n/, 'saved work intact');
    if (fragment === cases[0][0]) await screenshot(page, 'hostile-link-refused');
  }
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

for (const theme of ['dark', 'light']) {
  test(`embed mode at 700x500 (${theme}) shows the view and plays a scripted session with captions`, async () => {
    const v = await openBrowser();
    const { page } = v;
    await page.setViewportSize({ width: 700, height: 500 });
    // The opposite system theme: the embed's option wins.
    await page.emulateMedia({ colorScheme: theme === 'dark' ? 'light' : 'dark' });
    await page.goto(`${site.url}index.html?embed=1&panes=view,console&theme=${theme}&speed=10&autoplay=1&readonly=1&session=presets/web.session`);
    await page.waitForSelector('.caption');
    await page.waitForFunction(() => document.querySelectorAll('.sts .pod[data-state=ready]').length === 3, null, { timeout: 60000 });
    await page.waitForFunction(() => /web-2 +1\/1/.test(document.querySelector('.console-output').textContent), null, { timeout: 30000 });
    // The transcript is the one kubesim run --check keeps (examples/presets/web.session.out).
    const text = await consoleText(page);
    assert.match(text, /\$ kubectl apply -f web\.yaml\nservice\/nginx created\nstatefulset\.apps\/web created\n\$ kubectl rollout status statefulset\/web\n/);
    assert.match(await page.textContent('.caption'), /Scaling up adds web-2/);
    // In sight without scrolling: the time bar, the caption and the first pod.
    assert.equal(await page.evaluate(() => document.scrollingElement.scrollTop), 0);
    for (const sel of ['.timebar', '.caption', '.sts .pod']) {
      const box = await page.locator(sel).first().boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= 500, `${sel} in sight: ${JSON.stringify(box)}`);
    }
    assert.ok(await page.evaluate(() => document.documentElement.scrollHeight <= 500), 'no page scroll');
    assert.equal(await page.locator('.editor-host').isVisible(), false, 'no editor pane');
    assert.equal(await page.locator('input.console-input').isVisible(), false, 'read-only');
    assert.equal(await page.evaluate(() => document.documentElement.className), `embed no-editor no-timeline theme-${theme} readonly`);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, theme === 'dark' ? 'rgb(15, 20, 25)' : 'rgb(246, 248, 250)', 'the chosen theme');
    // The way out to the full page, with the same session.
    assert.equal(await page.getAttribute('a.open-full', 'href'),
      `${site.url}index.html?session=presets/web.session`);
    await screenshot(page, `embed-700x500-${theme}`);
    assert.deepEqual(v.problems, []);
    await v.context.close();
  });
}

test('a read-only embed with the editor shows it read-only', async () => {
  const v = await openBrowser();
  const { page } = v;
  await page.setViewportSize({ width: 700, height: 500 });
  await page.goto(`${site.url}?embed=1&panes=editor,view&readonly=1&autoplay=0`);
  await page.waitForSelector('.cm-editor'); // no console pane: no console input to wait for
  assert.equal(await page.getAttribute('.cm-content', 'contenteditable'), 'false');
  const before = await editorText(page);
  await page.locator('.cm-content').click();
  await page.keyboard.type('xyz');
  assert.equal(await editorText(page), before);
  const view = await page.locator('.cluster-pane').boundingBox();
  assert.ok(view.y < 60, `the view first: ${JSON.stringify(view)}`);
  await screenshot(page, 'embed-700x500-editor-readonly');
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('the example embed page works from a sub-path', async () => {
  const v = await openBrowser();
  const { page } = v;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(site.url + 'embed/');
  const scripted = page.frameLocator('#scripted');
  await scripted.locator('.caption').waitFor({ timeout: 30000 });
  await scripted.locator('.sts .pod[data-state=ready]').nth(1).waitFor({ timeout: 60000 });
  const inline = page.frameLocator('#inline');
  await inline.locator('.cm-editor').waitFor({ timeout: 30000 });
  await inline.locator('button.play').click(); // autoplay=0: the reader starts it
  await inline.locator('.caption').waitFor();
  assert.match(await inline.locator('.caption').textContent(), /Apply the MongoDB example/);
  await inline.locator('.sts .pod[data-pod]').first().waitFor({ timeout: 30000 });
  await screenshot(page, 'example-embed-page');
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('a preset plays its session with a guide beside the view, in the visitor\'s language', async () => {
  const v = await openBrowser();
  const { page } = v;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(site.url);
  await waitForApp(page);
  await page.selectOption('select.presets', 'kafka');
  await waitForApp(page);
  await page.waitForSelector('.guide li.now');
  assert.match(await page.textContent('.share-banner'), /watching a preset/);
  assert.ok(await page.locator('.guide li').count() >= 3, 'every step listed');
  await page.selectOption('select.speed', '30');
  await page.waitForFunction(() => /kafka-0\.kafka\.default\.svc\.cluster\.local/.test(document.querySelector('.console-output').textContent), null, { timeout: 60000 });
  assert.deepEqual(await page.locator('.file-bar .tab').allTextContents(), ['kafka.yaml']);
  await screenshot(page, 'preset-kafka-1280x800');
  await page.goto(site.url + '?session=presets/web.session&lang=zh-CN');
  await waitForApp(page);
  await page.waitForSelector('.share-banner');
  assert.match(await page.textContent('.share-banner'), /预设示例/);
  assert.equal(await page.textContent('button.share'), '分享');
  await screenshot(page, 'preset-web-zh');
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('the node-failure preset shows the at-most-one guarantee as it plays', async () => {
  const v = await openBrowser();
  const { page } = v;
  await page.setViewportSize({ width: 700, height: 500 });
  await page.goto(`${site.url}?embed=1&speed=60&session=presets/node-failure.session`);
  await page.waitForFunction(() => /web-1 +0\/1 +Unknown/.test((document.querySelector('.console-output')?.textContent ?? '')), null, { timeout: 60000 });
  assert.match(await page.textContent('.caption'), /Still not replaced|toleration/);
  await screenshot(page, 'preset-node-failure-700x500');
  await page.waitForFunction(() => /force deleted[\s\S]*web-1 +0\/1 +Pending[\s\S]*web-1 +1\/1 +Running +0 +\d+s +[\d.]+ +node-2/.test((document.querySelector('.console-output')?.textContent ?? '')), null, { timeout: 60000 });
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('export: manifests, kind config and a replay script, each its own download', async () => {
  const v = await openBrowser();
  const { page } = v;
  await page.goto(site.url);
  await waitForApp(page);
  await page.click('button.apply');
  await page.waitForFunction(() => /statefulset\.apps\/mongo created/.test(document.querySelector('.console-output').textContent));
  await page.click('button.share');
  const saved = async (button) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    const chunks = [];
    for await (const c of await download.createReadStream()) chunks.push(c);
    return [download.suggestedFilename(), Buffer.concat(chunks).toString()];
  };
  const [m, manifests] = await saved('button.export-manifests');
  assert.equal(m, 'manifests.yaml');
  assert.match(manifests, /^# file: pv-demo\.yaml\n[\s\S]*---\n# file: mongo-sts\.yaml\napiVersion: apps\/v1\n/);
  const [k, kind] = await saved('button.export-kind-config');
  assert.equal(k, 'kind-config.yaml');
  assert.equal(kind, 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n- role: worker\n- role: worker\n');
  const [sh, script] = await saved('button.export-kind');
  assert.equal(sh, 'replay-on-kind.sh');
  assert.match(script, /kubectl apply -f mongo-sts\.yaml/);
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('after the first load the page keeps working offline', async () => {
  const v = await openBrowser({ serviceWorkers: 'allow' });
  const { page, context } = v;
  await page.goto(site.url);
  await waitForApp(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload(); // the worker now controls the page and caches what it loads
  await waitForApp(page);
  // Cache writes finish after the responses: wait until the page's files are all there.
  await page.waitForFunction(async () => {
    const keys = (await (await caches.open('sts-playground')).keys()).map((r) => r.url);
    return ['.wasm', '.js', '.css', '/'].every((end) => keys.some((k) => k.endsWith(end)));
  }, null, { timeout: 60000, polling: 250 });
  await context.setOffline(true);
  await page.reload();
  await waitForApp(page);
  await page.click('button.apply');
  await page.waitForFunction(() => /statefulset\.apps\/mongo created/.test(document.querySelector('.console-output').textContent));
  await context.setOffline(false);
  assert.deepEqual(v.problems.filter((p) => !p.includes('ERR_INTERNET_DISCONNECTED')), []);
  await context.close();
});
