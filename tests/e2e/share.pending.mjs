// Sharing and embedding as a person uses them: share a link and open it in a fresh browser,
// keep the visitor's own work, refuse hostile links, embed the playground at 700x500.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { serveDist, openBrowser, screenshot } from './harness.mjs';

let site;
before(async () => { site = await serveDist('/docs/play/'); });
after(() => site?.server.close());

const consoleText = async (page) =>
  (await page.locator('.console-output div').allTextContents()).join('\n');

async function type(page, line) {
  await page.locator('input.console-input').click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/// The console's answer to `line`, typed now.
async function answer(page, line) {
  const before = (await consoleText(page)).length;
  await type(page, line);
  return (await consoleText(page)).slice(before);
}

const b64url = (buf) => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

test('a shared link rebuilds the same files and cluster history in a fresh browser', async () => {
  const a = await openBrowser();
  const { page } = a;
  await page.goto(site.url);
  await page.waitForSelector('textarea.editor');
  // Edit: 4 replicas instead of 3, then apply and let it roll out at 10x.
  await page.click('.tab:has-text("mongo-sts.yaml")');
  const editor = page.locator('textarea.editor');
  await editor.fill((await editor.inputValue()).replace('replicas: 3', 'replicas: 4'));
  await page.selectOption('select.speed', '10');
  await page.click('button.apply');
  await page.waitForFunction(() => document.querySelectorAll('.sts .pod.ready').length === 4, null, { timeout: 30000 });
  await type(page, 'kubectl delete pod mongo-1');
  await page.waitForTimeout(1500);
  await page.click('button.play'); // pause
  const time = await page.textContent('.time');
  await page.click('button.share');
  const link = await page.locator('input.share-link').inputValue();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/docs\/play\/#v1:[A-Za-z0-9_-]+$/);
  assert.ok(link.length < 8 * 1024);
  assert.match(await page.textContent('.share-status'), /copied|copy/i);
  await screenshot(page, 'share-dialog');
  const mine = await answer(page, 'kubectl get pods -o wide');
  const pvcs = await answer(page, 'kubectl get pvc');
  const pods = await page.locator('.sts .pod').evaluateAll((p) => p.map((x) => x.className));

  const b = await openBrowser();
  await b.page.goto(link);
  await b.page.waitForSelector('.share-banner');
  assert.equal(await b.page.textContent('.time'), time, 'the same instant');
  assert.deepEqual(await b.page.locator('.tab').allTextContents(),
    ['pv-demo.yaml', 'mongo-service.yaml', 'mongo-sts.yaml']);
  assert.match(await b.page.inputValue('textarea.editor'), /replicas: 4\n/, 'the selected tab, edited');
  assert.deepEqual(await b.page.locator('.sts .pod').evaluateAll((p) => p.map((x) => x.className)), pods);
  assert.match(await consoleText(b.page), /\$ kubectl delete pod mongo-1\npod "mongo-1" deleted/);
  assert.equal(await answer(b.page, 'kubectl get pods -o wide'), mine);
  assert.equal(await answer(b.page, 'kubectl get pvc'), pvcs);
  await screenshot(b.page, 'shared-link-opened');
  assert.deepEqual(a.problems, []);
  assert.deepEqual(b.problems, []);
  await a.context.close();
  await b.context.close();
});

test('a shared link never overwrites the visitor\'s saved work, which stays one click away', async () => {
  const v = await openBrowser();
  const { page } = v;
  await page.goto(site.url);
  await page.click('.tab:has-text("mongo-service.yaml")');
  const editor = page.locator('textarea.editor');
  await editor.fill('# my own notes\n' + await editor.inputValue());
  // A link to a workspace with one file of its own.
  const bundle = {
    format: 'statefulset-playground/workspace', version: 1, kubernetes: 'v1.35',
    cluster: { profile: 'bare', nodes: 3 }, clock: { at_ms: 0, speed: 1 },
    files: [{ name: 'other.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: other\nspec:\n  clusterIP: None\n' }],
    session: '',
  };
  await page.goto(site.url + '#v1:' + b64url(deflateRawSync(JSON.stringify(bundle))));
  await page.waitForSelector('.share-banner');
  assert.deepEqual(await page.locator('.tab').allTextContents(), ['other.yaml']);
  await editor.fill((await editor.inputValue()) + '# edited in the shared workspace\n');
  await page.click('button.back-to-my-work');
  await page.waitForSelector('.tab:has-text("mongo-service.yaml")');
  assert.equal(await page.locator('.share-banner').count(), 0);
  await page.click('.tab:has-text("mongo-service.yaml")');
  assert.match(await editor.inputValue(), /^# my own notes\n/);
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('hostile links are refused with a message, run no script, and keep saved work', async () => {
  const v = await openBrowser();
  const { page } = v;
  await page.goto(site.url);
  const editor = page.locator('textarea.editor');
  await editor.fill('# kept\n' + await editor.inputValue());
  const bomb = b64url(deflateRawSync(Buffer.alloc(20 * 1024 * 1024, ' ')));
  const script = JSON.stringify({
    format: 'statefulset-playground/workspace', version: 1, kubernetes: 'v1.35',
    cluster: { profile: 'bare', nodes: 3 }, clock: { at_ms: 0, speed: 1 },
    files: [{ name: '<img src=x onerror="window.pwned=1">', text: '<script>window.pwned=1</script>' }],
    session: '',
  });
  const cases = [
    ['#v1:' + bomb, /unpacks to more than 1024 KB/],
    ['#v1:' + 'A'.repeat(40 * 1024), /more than the 32 KB/],
    ['#v1:%%%not-base64', /damaged/],
    ['#v1:' + b64url(Buffer.from('not deflate at all')), /damaged/],
    ['#v1:' + b64url(deflateRawSync('{"format": 1')), /not JSON/],
    ['#v1:' + b64url(deflateRawSync(script)), /bad file name/],
    ['#<img src=x onerror="window.pwned=1">', /not a playground workspace/],
    ['#v9:abc', /newer playground/],
  ];
  for (const [fragment, message] of cases) {
    await page.goto('about:blank');
    await page.goto(site.url + fragment);
    await page.waitForSelector('.share-notice', { timeout: 10000 });
    assert.match(await page.textContent('.share-notice'), message, fragment.slice(0, 40));
    assert.match(await page.textContent('.share-notice'), /Your own work is shown/);
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    assert.match(await editor.inputValue(), /^# kept\n/, 'saved work intact');
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
    await page.goto(`${site.url}index.html?embed=1&panes=view,console&theme=${theme}&speed=10&autoplay=1&readonly=1&session=presets/web.session`);
    await page.waitForSelector('.caption');
    assert.match(await page.textContent('.caption'), /Ordered creation|stable network identity|PersistentVolumeClaim/);
    await page.waitForFunction(() => document.querySelectorAll('.sts .pod.ready').length === 3, null, { timeout: 30000 });
    await page.waitForFunction(() => /web-2 +1\/1/.test(document.querySelector('.console-output').textContent), null, { timeout: 10000 });
    // The transcript is the one kubesim run --check keeps (examples/presets/web.session.out).
    const text = await consoleText(page);
    assert.match(text, /\$ kubectl apply -f web\.yaml\nservice\/nginx created\nstatefulset\.apps\/web created\n\$ kubectl rollout status statefulset\/web\n/);
    assert.match(await page.textContent('.caption'), /Scaling up adds web-2/);
    const view = await page.locator('.cluster-pane').boundingBox();
    assert.ok(view.y + 120 < 500 && view.y >= 0, `the cluster view is in sight: ${JSON.stringify(view)}`);
    const pod = await page.locator('.sts .pod').first().boundingBox();
    assert.ok(pod.y + pod.height <= 500, 'a pod is in sight without scrolling');
    assert.equal(await page.locator('textarea.editor').isVisible(), false, 'no editor pane');
    assert.equal(await page.locator('input.console-input').isVisible(), false, 'read-only');
    assert.equal(await page.evaluate(() => document.documentElement.className), `embed no-editor theme-${theme} readonly`);
    await screenshot(page, `embed-700x500-${theme}`);
    assert.deepEqual(v.problems, []);
    await v.context.close();
  });
}

test('the example embed page works from a sub-path', async () => {
  const v = await openBrowser();
  const { page } = v;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(site.url + 'embed/');
  const scripted = page.frameLocator('#scripted');
  await scripted.locator('.caption').waitFor({ timeout: 15000 });
  await scripted.locator('.sts .pod.ready').nth(1).waitFor({ timeout: 30000 });
  const inline = page.frameLocator('#inline');
  await inline.locator('textarea.editor').waitFor();
  await inline.locator('button.play').click(); // autoplay=0: the reader starts it
  assert.match(await inline.locator('.caption').textContent(), /Apply the MongoDB example/);
  await screenshot(page, 'example-embed-page');
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('a preset plays its session with captions beside the view, in the visitor\'s language', async () => {
  const v = await openBrowser();
  const { page } = v;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(site.url);
  await page.selectOption('select.presets', 'kafka');
  await page.waitForSelector('.caption');
  assert.match(await page.textContent('.share-banner'), /watching a preset/);
  await page.selectOption('select.speed', '30');
  await page.waitForFunction(() => /kafka-0\.kafka\.default\.svc\.cluster\.local/.test(document.querySelector('.console-output').textContent), null, { timeout: 30000 });
  assert.deepEqual(await page.locator('.tab').allTextContents(), ['kafka.yaml']);
  await screenshot(page, 'preset-kafka-1280x800');
  await page.goto(site.url + '?session=presets/web.session&lang=zh-CN');
  await page.waitForSelector('.share-banner');
  assert.match(await page.textContent('.share-banner'), /预设示例/);
  assert.equal(await page.textContent('button.share'), '分享');
  await screenshot(page, 'preset-web-zh');
  assert.deepEqual(v.problems, []);
  await v.context.close();
});

test('after the first load the page keeps working offline', async () => {
  const v = await openBrowser();
  const { page, context } = v;
  await page.goto(site.url);
  await page.waitForSelector('textarea.editor');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload(); // the worker now controls the page and caches what it loads
  await page.waitForSelector('textarea.editor');
  // Cache writes finish after the responses: wait until the page's files are all there.
  await page.waitForFunction(async () => {
    const keys = (await (await caches.open('sts-playground')).keys()).map((r) => r.url);
    return ['.wasm', '.js', '.css', '/'].every((end) => keys.some((k) => k.endsWith(end)));
  }, null, { timeout: 60000, polling: 250 });
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('textarea.editor');
  await page.click('button.apply');
  assert.match(await consoleText(page), /statefulset\.apps\/mongo created/);
  await context.setOffline(false);
  assert.deepEqual(v.problems.filter((p) => !p.includes('ERR_INTERNET_DISCONNECTED')), []);
  await context.close();
});
