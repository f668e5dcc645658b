// The playground as a person uses it: load the built page, read the example, apply it, break it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, openBrowser, screenshot, waitForApp, editorText, typeAtLine } from './harness.mjs';

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
  await waitForApp(page);
  assert.match(await page.textContent('header'), /simulating Kubernetes v1\.35/);
  assert.deepEqual(await page.locator('.tab').allTextContents(),
    ['pv-demo.yaml', 'mongo-service.yaml', 'mongo-sts.yaml']);
  assert.match(await editorText(page), /name: pv001/);
  assert.ok(await page.locator('.cm-line', { hasText: 'name: pv001' }).first().isVisible(), 'shown in the code editor');
  await screenshot(page, 'loaded');

  await page.click('button.apply');
  const consoleText = async () => (await page.locator('.console-output div').allTextContents()).join('\n');
  assert.equal(await consoleText(), [
    '$ kubectl apply -f pv-demo.yaml',
    'persistentvolume/pv001 created', 'persistentvolume/pv002 created',
    'persistentvolume/pv003 created', 'persistentvolume/pv004 created',
    'persistentvolume/pv005 created',
    '$ kubectl apply -f mongo-service.yaml', 'service/mongo created',
    '$ kubectl apply -f mongo-sts.yaml', 'statefulset.apps/mongo created',
  ].join('\n'));
  // OrderedReady, watched as it happens: never a Ready pod after a pod that is not Ready.
  await page.selectOption('select.speed', '5');
  const seen = [];
  for (let i = 0; i < 200; i++) {
    const states = await page.locator('.sts .pod[data-pod]').evaluateAll((pods) =>
      pods.map((p) => p.dataset.state));
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
  assert.deepEqual(await page.locator('.pod-dns').allTextContents(), [
    'mongo-0.mongo.default.svc.cluster.local', 'mongo-1.mongo.default.svc.cluster.local',
    'mongo-2.mongo.default.svc.cluster.local',
  ]);
  assert.deepEqual(await page.locator('.slot .chain').evaluateAll((chains) => chains.map((c) =>
    `${c.querySelector('.pvc-chip .chip-name').textContent} → ${c.querySelector('.pv-chip .chip-name').textContent}`)), [
    'mongo-data-mongo-0 → pv001', 'mongo-data-mongo-1 → pv002', 'mongo-data-mongo-2 → pv003',
  ]);
  assert.equal(await page.textContent('.sts .ready-count'), 'READY 3/3');
  await screenshot(page, 'rolled-out-mongodb');

  // The seed's scale-up, typed into the console as a person would, watched with -w.
  const input = page.locator('input.console-input');
  await input.click();
  await page.keyboard.type('kubectl get pvc');
  await page.keyboard.press('Enter');
  const pvcTable = (await consoleText()).split('$ kubectl get pvc\n')[1];
  assert.match(pvcTable, /^NAME {17}STATUS {3}VOLUME {3}CAPACITY {3}ACCESS MODES {3}STORAGECLASS {3}VOLUMEATTRIBUTESCLASS {3}AGE\n/);
  assert.match(pvcTable, /\nmongo-data-mongo-0 {3}Bound {4}pv001 {4}100Mi {6}RWX {27}<unset> {17}\d+s\n/);

  await page.keyboard.type('kubectl scale --replicas=5 sts mongo');
  await page.keyboard.press('Enter');
  await page.keyboard.type('kubectl get pods -w');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('.sts .pod[data-state=ready]').length === 5, null, { timeout: 30000 });
  // The watch keeps running until Ctrl+C, and the rows show mongo-4 going Running.
  assert.match(await consoleText(), /\nmongo-4 {3}2\/2 {5}Running {13}0 {10}\d+s/);
  await page.keyboard.press('Control+C');
  assert.match(await consoleText(), /\$ \^C$/);
  // Tab completes names from the cluster; Up recalls the history.
  await page.keyboard.type('kubectl describe sts mo');
  await page.keyboard.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl describe sts mongo ');
  await page.keyboard.press('Enter');
  assert.match(await consoleText(), /\nName:\s+mongo\n/);
  await page.keyboard.press('ArrowUp');
  assert.equal(await input.inputValue(), 'kubectl describe sts mongo ', 'the line as it was entered');
  await screenshot(page, 'scaled-to-five-with-console');
  assert.deepEqual(problems, []);
});

test('an error typed into the editor is shown at its line and column and nothing is applied', async () => {
  const { page, problems } = browser;
  await page.goto(site.url);
  await waitForApp(page);
  await page.click('.tab:has-text("mongo-sts.yaml")');
  // Type as a person would: change the 3 after "replicas: " into "three".
  await typeAtLine(page, 'replicas: 3', 'three');
  const live = page.locator('.diagnostics.live li');
  await live.first().waitFor();
  assert.match(await live.first().textContent(),
    /^mongo-sts\.yaml:7:13: error: spec\.replicas: invalid type: string "three"/);

  await page.click('button.apply');
  await page.waitForSelector('.apply-errors');
  assert.equal(await page.locator('.console-output div').count(), 0);
  assert.equal(await page.locator('.sts').count(), 0, 'nothing reached the cluster');
  await screenshot(page, 'error-at-line-and-column');

  // A reload keeps the edit (it is saved locally), and Reset brings the example back.
  await page.reload();
  await waitForApp(page);
  await page.click('.tab:has-text("mongo-sts.yaml")');
  assert.match(await editorText(page), /replicas: three/);
  await page.click('button.reset');
  assert.match(await editorText(page), /replicas: 3\n/);
  assert.deepEqual(problems, []);
});

test('on a kind-like cluster the local-path provisioner refuses the seed\'s ReadWriteMany claims, as on kind', async () => {
  // rancher/local-path-provisioner provisioner.go: "NodePath only supports ReadWriteOnce and
  // ReadWriteOncePod (1.22+) access modes"; the claim stays Pending and says why.
  const { page, problems } = browser;
  await page.goto(site.url);
  await waitForApp(page);
  await page.selectOption('select.profile', 'kind-like');
  await page.selectOption('select.speed', '10');
  await page.click('button.apply');
  await page.waitForFunction(() => [...document.querySelectorAll('.claim-why')]
    .some((p) => p.textContent.includes('NodePath only supports ReadWriteOnce')), null, { timeout: 30000 });
  assert.equal(await page.locator('.sts .pod[data-state=ready]').count(), 0);
  // The static NFS volumes stay Available: the claims asked the default StorageClass.
  const pv001 = await page.locator('.pv-pool .pv-chip[data-pv=pv001]').textContent();
  assert.match(pv001, /Available/);
  await screenshot(page, 'kind-like-provisioning');
  assert.deepEqual(problems, []);
});

test('sim cluster typed in the console starts a fresh cluster and the header shows its shape', async () => {
  const { page, problems } = browser;
  await page.goto(site.url);
  await waitForApp(page);
  await page.click('button.apply');
  await page.waitForSelector('.sts');
  await page.fill('.console-input', 'sim cluster --profile kind-like --nodes 5');
  await page.press('.console-input', 'Enter');
  await page.waitForFunction(() => document.querySelector('.console-output').textContent
    .includes('cluster created: profile kind-like, 5 nodes'));
  // As the header's own New cluster: the menus follow, the set and its timeline are gone.
  assert.equal(await page.locator('select.profile').inputValue(), 'kind-like');
  assert.equal(await page.locator('select.node-count').inputValue(), '5');
  await page.waitForFunction(() => document.querySelectorAll('.node[data-node]').length === 5);
  assert.equal(await page.locator('.sts').count(), 0);
  await page.waitForFunction(() => document.querySelector('.timeline .tl-window').classList.contains('hidden'));
  assert.deepEqual(problems, []);
});
