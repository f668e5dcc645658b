// The cluster view as a person uses it: watch the seed roll out in order, scale it by clicking
// (the click types kubectl into the console), break a pod, scrub back in time, inspect objects.
// Screenshots go to test-results/ and are looked at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, openBrowser, screenshot, waitForApp, axeViolations } from './harness.mjs';

let site, browser;
before(async () => {
  site = await serveDist();
  browser = await openBrowser();
});
after(async () => {
  await browser?.context.close();
  site?.server.close();
});

const states = (page) => page.locator('.sts .pod[data-pod]').evaluateAll((pods) =>
  pods.map((p) => `${p.dataset.pod}:${p.dataset.state}`));
const consoleText = async (page) =>
  (await page.locator('.console-output div').allTextContents()).join('\n');
const slots = (page) => page.locator('.sts .slots').innerText();

/** Polls `read` until `done`, checking `invariant` on every sample; returns the samples. */
async function watch(page, read, done, invariant, timeout = 60000) {
  const seen = [];
  const end = Date.now() + timeout;
  for (;;) {
    const s = await read();
    seen.push(s);
    invariant?.(s);
    if (done(s)) return seen;
    assert.ok(Date.now() < end, `timed out; last: ${JSON.stringify(s)}`);
    await page.waitForTimeout(50);
  }
}

test('the seed rolls out in order, scales by click, keeps its claims, halts on an unready pod, and scrubs back exactly', async () => {
  const { page, problems } = browser;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(site.url);
  await waitForApp(page);
  await page.selectOption('select.speed', '10');
  await page.click('button.apply');

  // mongo-0, mongo-1, mongo-2 strictly in order: no pod exists above a pod that is not Ready.
  const ordered = (s) => {
    const first = s.findIndex((x) => !x.endsWith(':ready'));
    if (first >= 0) {
      assert.ok(s.slice(first + 1).every((x) => x.endsWith(':absent')), `out of order: ${s}`);
    }
  };
  const seen = await watch(page, () => states(page), (s) => s.every((x) => x.endsWith(':ready')), ordered);
  assert.deepEqual(seen.at(-1), ['mongo-0:ready', 'mongo-1:ready', 'mongo-2:ready']);
  assert.ok(seen.some((s) => s[0] === 'mongo-0:ready' && s[2] === 'mongo-2:absent'), 'saw the staircase');
  assert.equal(await page.textContent('.sts .ready-count'), 'READY 3/3');
  // Each pod's claim is drawn linked to its volume; the two spare volumes wait in the pool.
  for (const [i, pv] of ['pv001', 'pv002', 'pv003'].entries()) {
    const slot = page.locator(`.slot[data-slot=mongo-${i}]`);
    assert.equal(await slot.locator('.pvc-chip.bound').count(), 1);
    assert.match(await slot.locator(`.pv-chip[data-pv=${pv}]`).innerText(), /Bound · 100Mi · RWX · Retain/);
    assert.equal(await slot.locator('.link-line.bound').count(), 2);
  }
  assert.deepEqual(await page.locator('.pv-pool .pv-chip').evaluateAll((c) => c.map((e) => e.dataset.pv)), ['pv004', 'pv005']);
  // DNS: each Ready pod's name answers; the timeline draws the staircase.
  const records = await page.locator('.svc[data-svc=mongo] .record').allTextContents();
  assert.ok(records.some((r) => /^mongo-1\.mongo\.default\.svc\.cluster\.local A 10\.244\.\d+\.\d+$/.test(r)), records.join('\n'));
  const starts = await page.locator('.tl-row').evaluateAll((rows) => rows.map((r) => {
    const segs = [...r.querySelectorAll('.seg')];
    return { first: segs[0].getBoundingClientRect().left, ready: r.querySelector('.seg.ready').getBoundingClientRect().left };
  }));
  assert.equal(starts.length, 3);
  for (let i = 1; i < 3; i++) assert.ok(starts[i].first >= starts[i - 1].ready, `timeline staircase: ${JSON.stringify(starts)}`);
  await screenshot(page, 'view-rolled-out-1280');

  // Remember this instant, to come back to it.
  await page.click('button.play'); // pause
  const t0 = await page.locator('input.scrubber').inputValue();
  const slotsAtT0 = await slots(page);
  const clockAtT0 = await page.textContent('.timebar .time');
  await page.click('button.play'); // play
  // An instant is the state after everything at it: act only once the clock has moved on.
  await page.waitForFunction((t0) => Number(document.querySelector('input.scrubber').value) > Number(t0), t0);

  // Scale to 5 with the replicas field, typed slowly while the set is changing (ticks redraw
  // the header several times per keystroke): the edit in progress is never wiped, and the
  // console shows the kubectl command it typed.
  await page.click('.replicas-input');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('5', { delay: 450 });
  await page.waitForTimeout(700);
  assert.equal(await page.inputValue('.replicas-input'), '5', 'the typed value survives redraws');
  await page.press('.replicas-input', 'Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('.console-output div')]
    .some((d) => d.textContent === '$ kubectl scale statefulset mongo --replicas=5'));
  assert.match(await consoleText(page), /\$ kubectl scale statefulset mongo --replicas=5\nstatefulset\.apps\/mongo scaled/);
  const up = await watch(page, () => states(page), (s) => s.length === 5 && s.every((x) => x.endsWith(':ready')), ordered);
  assert.ok(up.some((s) => s[3] === 'mongo-3:ready' && s[4] === 'mongo-4:absent') ||
    up.some((s) => s[3] !== 'mongo-3:absent' && s[4] === 'mongo-4:absent'), 'mongo-3 came before mongo-4');
  for (const [i, pv] of [[3, 'pv004'], [4, 'pv005']]) {
    assert.equal(await page.locator(`.slot[data-slot=mongo-${i}] .pv-chip.bound[data-pv=${pv}]`).count(), 1, `${pv} bound under mongo-${i}`);
  }
  assert.equal(await page.locator('.pv-pool .pv-chip').count(), 0);
  await screenshot(page, 'view-scaled-to-5');

  // Scale back to 3 with the minus button, twice: mongo-4 goes first, and its claim stays bound.
  await page.click('.scale-down');
  await page.waitForFunction(() => document.querySelector('.replicas-input')?.value === '4');
  await page.click('.scale-down');
  assert.match(await consoleText(page), /\$ kubectl scale statefulset mongo --replicas=4\n.*\n\$ kubectl scale statefulset mongo --replicas=3/);
  const down = await watch(page, () => states(page), (s) => s.length === 3, (s) => {
    if (!s.includes('mongo-4:terminating') && s.length === 5) return;
    // While mongo-4 is still there, mongo-3 is never gone before it.
    if (s.some((x) => x.startsWith('mongo-4'))) assert.ok(s.some((x) => x.startsWith('mongo-3')), `mongo-3 left first: ${s}`);
  });
  assert.ok(down.some((s) => s.includes('mongo-4:terminating')), 'saw mongo-4 terminating');
  await page.waitForSelector('.slot.retained[data-slot=mongo-4] .pv-chip.bound[data-pv=pv005]');
  assert.match(await page.locator('.slot.retained[data-slot=mongo-4]').innerText(), /mongo-data-mongo-4[\s\S]*Bound[\s\S]*pv005/);
  assert.equal(await page.locator('.slot.retained[data-slot=mongo-4] .link-line.bound').count(), 2, 'the pv005 link stays');
  await screenshot(page, 'view-scaled-back-to-3');

  // Break mongo-1 (readiness fails), then scale up: OrderedReady halts and the why says so.
  await page.click('.pod[data-pod=mongo-1] .unready-pod');
  assert.match(await consoleText(page), /\$ kubectl annotate pod mongo-1 playground\.dev\/unready=true --overwrite\npod\/mongo-1 annotated/);
  await page.waitForSelector('.pod[data-pod=mongo-1][data-state=running]');
  await page.fill('.replicas-input', '4');
  await page.press('.replicas-input', 'Enter');
  await page.waitForFunction(() => /mongo-3 is not created yet: mongo-1 is Running but not Ready/.test(document.querySelector('.why')?.textContent ?? ''));
  await page.waitForTimeout(1500);
  assert.deepEqual(await states(page), ['mongo-0:ready', 'mongo-1:running', 'mongo-2:ready', 'mongo-3:absent']);
  assert.match(await page.locator('.why').innerText(), /playground\.dev\/unready=true/);
  assert.match(await page.locator('.svc[data-svc=mongo] .record.nx').innerText(), /mongo-1\.mongo\.default\.svc\.cluster\.local NXDOMAIN not Ready/);
  await screenshot(page, 'view-halted-by-unready-mongo-1');

  // Scrub back to the remembered instant: the picture is that instant's, exactly.
  await page.locator('input.scrubber').evaluate((el, v) => {
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, t0);
  await page.waitForSelector('.past-banner');
  assert.equal(await page.textContent('.timebar .time'), clockAtT0);
  assert.equal(await slots(page), slotsAtT0);
  assert.deepEqual(await states(page), ['mongo-0:ready', 'mongo-1:ready', 'mongo-2:ready']);
  assert.match(await page.textContent('.past-banner'), /forks a new future/);
  await screenshot(page, 'view-scrubbed-back');

  // Acting in the past forks a new future: mongo-1 was healthy then, so a scale-up proceeds.
  await page.click('.scale-up');
  await page.waitForSelector('.past-banner', { state: 'detached' });
  assert.match(await consoleText(page), /# forked a new future at t = \d+:\d\d:\d\d: what came after it is gone\n\$ kubectl scale statefulset mongo --replicas=4/);
  await page.click('button.play');
  await page.waitForFunction(() => document.querySelectorAll('.sts .pod[data-state=ready]').length === 4, null, { timeout: 60000 });
  assert.deepEqual(problems, []);
});

test('the inspector shows kubectl describe, YAML and events; the resolver answers; both themes and a small iframe stay clear', async () => {
  const { page, problems } = browser;
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(site.url);
  await waitForApp(page);
  await page.selectOption('select.speed', '30');
  await page.click('button.apply');
  // Typing slowly into the replicas field while the set rolls out (every tick changes the
  // header's counts): what is typed stays until it is committed.
  await page.waitForSelector('.replicas-input');
  await page.click('.replicas-input');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('12', { delay: 400 });
  await page.waitForTimeout(600);
  assert.equal(await page.inputValue('.replicas-input'), '12', 'an edit in progress survives the redraws');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('3', { delay: 300 });
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('.sts .pod[data-state=ready]').length === 3, null, { timeout: 60000 });
  assert.doesNotMatch(await consoleText(page), /--replicas=12/);

  // No axe-core violations after applying the example, in both themes.
  await page.click('button.play'); // a still page for the check
  // ... once the pods' ready transitions have played out (axe reads colours mid-fade otherwise)
  await page.waitForFunction(() => document.getAnimations()
    .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity), null, { timeout: 5000 });
  assert.deepEqual(await axeViolations(page), []);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(600); // colour transitions
  assert.deepEqual(await axeViolations(page), []);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.click('button.play');

  await page.click('.pod[data-pod=mongo-0] .pod-name');
  await page.waitForSelector('.inspector');
  assert.match(await page.textContent('.inspector-body'), /^Name:\s+mongo-0\nNamespace:\s+default\n/);
  await page.click('.inspector-tab:has-text("YAML")');
  assert.match(await page.textContent('.inspector-body'), /^apiVersion: v1\nkind: Pod\n/);
  await page.click('.inspector-tab:has-text("events")');
  assert.match(await page.textContent('.inspector-body'), /^LAST SEEN[\s\S]*Scheduled[\s\S]*pod\/mongo-0/);
  // A file written through mongo-0's mount lands on pv001, and its chip says so (issue 18).
  await page.fill('input.console-input', "kubectl exec mongo-0 -c mongo -- sh -c 'echo hi > /data/db/note.txt'");
  await page.press('input.console-input', 'Enter');
  await page.waitForFunction(() => /1 file: note\.txt/.test(document.querySelector('.pv-chip[data-pv=pv001] .chip-files')?.textContent ?? ''));
  assert.equal(await page.locator('.pv-chip[data-pv=pv002] .chip-files').count(), 0);
  await page.click('.pv-chip[data-pv=pv001]');
  await page.click('.inspector-tab:has-text("describe")');
  assert.match(await page.textContent('.inspector-body'), /^Name:\s+pv001\n/);
  await screenshot(page, 'view-inspector-pv001');
  await page.click('.inspector .close');

  await page.fill('.resolver-name', 'mongo-2.mongo');
  assert.match(await page.textContent('.resolver-answer'), /NOERROR[\s\S]*mongo-2\.mongo\.default\.svc\.cluster\.local A 10\.244\./);
  await page.fill('.resolver-name', 'mongo-9.mongo');
  assert.match(await page.textContent('.resolver-answer'), /NXDOMAIN/);

  await page.click('.node[data-node=node-2] .cordon');
  assert.match(await consoleText(page), /\$ kubectl cordon node-2\nnode\/node-2 cordoned/);
  await page.waitForSelector('.node.cordoned[data-node=node-2]');
  assert.match(await page.textContent('.node[data-node=node-2] .node-status'), /^Ready,SchedulingDisabled$/);

  // Faults by click, each typed as its console command and shown in words, not colour alone.
  await page.click('.node[data-node=node-3] .node-power');
  assert.match(await consoleText(page), /\$ sim node down node-3\n/);
  await page.waitForSelector('.node.down[data-node=node-3] .badge.down');
  assert.match(await page.textContent('.node[data-node=node-3] .node-status'), /^NotReady$/);
  assert.match(await page.textContent('.node[data-node=node-3] .node-power'), /bring up/);
  await page.click('.slot[data-slot=mongo-2] .pv-fault');
  assert.match(await consoleText(page), /\$ sim pv fail pv003\n/);
  await page.waitForSelector('.slot[data-slot=mongo-2] .pv-chip.failed[data-pv=pv003]');
  assert.match(await page.innerText('.slot[data-slot=mongo-2] .pv-chip[data-pv=pv003]'), /Failed/);
  assert.match(await page.textContent('.slot[data-slot=mongo-2] .pv-fault'), /repair disk/);
  await screenshot(page, 'view-node-down-pv-failed-1280');
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await screenshot(page, 'view-node-down-pv-failed-dark-1280');
  await page.click('.slot[data-slot=mongo-2] .pv-fault');
  assert.match(await consoleText(page), /\$ sim pv repair pv003\n/);
  await page.click('.node[data-node=node-3] .node-power');
  assert.match(await consoleText(page), /\$ sim node up node-3\n/);
  await page.waitForSelector('.node[data-node=node-3]:not(.down)');

  await screenshot(page, 'view-dark-1280');
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });

  // Inside a 700x500 documentation iframe.
  await page.setContent(`<iframe src="${site.url}" width="700" height="500" title="StatefulSet playground"></iframe>`);
  const frame = page.frameLocator('iframe');
  // The narrow layout puts the picture first, with its own Apply for a first-time visitor.
  await frame.locator('button.apply-here').click();
  await frame.locator('.pod[data-pod=mongo-0][data-state=creating]').waitFor();
  await page.setViewportSize({ width: 720, height: 520 });
  await screenshot(page, 'view-iframe-700x500');
  assert.deepEqual(problems, []);
});
