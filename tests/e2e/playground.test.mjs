// The playground as a person uses it: load the built page, read the example, apply it, break it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, openBrowser, screenshot } from './harness.mjs';

let site, browser;
before(async () => {
  site = await serveDist();
  browser = await openBrowser();
});
after(async () => {
  await browser?.context.close();
  site?.server.close();
});

test('the MongoDB example applies and rolls out in order, with storage and DNS', async () => {
  const { page, problems } = browser;
  await page.goto(site.url);
  await page.waitForSelector('textarea.editor');
  assert.match(await page.textContent('header'), /simulating Kubernetes v1\.35/);
  assert.deepEqual(await page.locator('.tab').allTextContents(),
    ['pv-demo.yaml', 'mongo-service.yaml', 'mongo-sts.yaml']);
  assert.match(await page.inputValue('textarea.editor'), /name: pv001/);
  await screenshot(page, 'loaded');

  await page.click('button.apply');
  assert.deepEqual(await page.locator('.apply-output li').allTextContents(), [
    'persistentvolume/pv001 created', 'persistentvolume/pv002 created',
    'persistentvolume/pv003 created', 'persistentvolume/pv004 created',
    'persistentvolume/pv005 created', 'service/mongo created', 'statefulset.apps/mongo created',
  ]);
  // OrderedReady, watched as it happens: never a Ready pod after a pod that is not Ready.
  await page.selectOption('select.speed', '5');
  const seen = [];
  for (let i = 0; i < 200; i++) {
    const states = await page.locator('.sts .pod').evaluateAll((pods) =>
      pods.map((p) => p.className.replace('pod ', '')));
    seen.push(states.join(','));
    const firstNotReady = states.findIndex((s) => s !== 'ready');
    if (firstNotReady >= 0) {
      assert.ok(states.slice(firstNotReady + 1).every((s) => s === 'absent'),
        `ordinals after a not-Ready pod must not exist yet: ${states}`);
    }
    if (states.every((s) => s === 'ready')) break;
    await page.waitForTimeout(100);
  }
  assert.equal(seen.at(-1), 'ready,ready,ready', `rollout finished: ${seen.at(-1)}`);
  assert.ok(seen.some((s) => s.startsWith('ready,') && s.includes('absent')), 'saw the ordered rollout');
  assert.deepEqual(await page.locator('.pod .dns').allTextContents(), [
    'mongo-0.mongo.default.svc.cluster.local', 'mongo-1.mongo.default.svc.cluster.local',
    'mongo-2.mongo.default.svc.cluster.local',
  ]);
  assert.deepEqual(await page.locator('.pod .claim').allTextContents(), [
    'mongo-data-mongo-0 → pv001 (100Mi)', 'mongo-data-mongo-1 → pv002 (100Mi)',
    'mongo-data-mongo-2 → pv003 (100Mi)',
  ]);
  assert.equal(await page.textContent('.sts .ready-count'), '3/3 ready');
  await screenshot(page, 'rolled-out-mongodb');
  assert.deepEqual(problems, []);
});

test('an error typed into the editor is shown at its line and column and nothing is applied', async () => {
  const { page, problems } = browser;
  await page.goto(site.url);
  await page.click('.tab:has-text("mongo-sts.yaml")');
  const editor = page.locator('textarea.editor');
  // Type as a person would: put the caret after "replicas: " and change the 3 into "three".
  const text = await editor.inputValue();
  const at = text.indexOf('replicas: 3') + 'replicas: '.length;
  await editor.focus();
  await editor.evaluate((el, at) => el.setSelectionRange(at, at + 1), at);
  await page.keyboard.type('three');
  const live = page.locator('.diagnostics.live li');
  await live.first().waitFor();
  assert.match(await live.first().textContent(),
    /^mongo-sts\.yaml:7:13: error: spec\.replicas: invalid type: string "three"/);

  await page.click('button.apply');
  await page.waitForSelector('.apply-errors');
  assert.equal(await page.locator('.apply-output li').count(), 0);
  assert.equal(await page.locator('.sts').count(), 0, 'nothing reached the cluster');
  await screenshot(page, 'error-at-line-and-column');

  // A reload keeps the edit (it is saved locally), and Reset brings the example back.
  await page.reload();
  await page.click('.tab:has-text("mongo-sts.yaml")');
  assert.match(await editor.inputValue(), /replicas: three/);
  await page.click('button.reset');
  assert.match(await editor.inputValue(), /replicas: 3\n/);
  assert.deepEqual(problems, []);
});
