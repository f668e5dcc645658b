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

test('the MongoDB example loads, applies and lists its seven objects', async () => {
  const { page, problems } = browser;
  await page.goto(site.url);
  await page.waitForSelector('textarea.editor');
  assert.match(await page.textContent('header'), /simulating Kubernetes v1\.35/);
  assert.deepEqual(await page.locator('.tab').allTextContents(),
    ['pv-demo.yaml', 'mongo-service.yaml', 'mongo-sts.yaml']);
  assert.match(await page.inputValue('textarea.editor'), /name: pv001/);

  await page.click('button.apply');
  await page.waitForSelector('table.objects');
  assert.deepEqual(await page.locator('table.objects td.ref').allTextContents(), [
    'persistentvolume/pv001', 'persistentvolume/pv002', 'persistentvolume/pv003',
    'persistentvolume/pv004', 'persistentvolume/pv005', 'service/mongo', 'statefulset.apps/mongo',
  ]);
  assert.equal(await page.textContent('.applied p'), '7 objects understood');
  await screenshot(page, 'applied-mongodb-example');
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
  assert.equal(await page.locator('table.objects').count(), 0);
  await screenshot(page, 'error-at-line-and-column');

  // A reload keeps the edit (it is saved locally), and Reset brings the example back.
  await page.reload();
  await page.click('.tab:has-text("mongo-sts.yaml")');
  assert.match(await editor.inputValue(), /replicas: three/);
  await page.click('button.reset');
  assert.match(await editor.inputValue(), /replicas: 3\n/);
  assert.deepEqual(problems, []);
});
