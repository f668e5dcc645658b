// The manifest editor as a person uses it: the code editor (CodeMirror), its inline diagnostics,
// keys, the file tabs, the textarea it falls back to, and the first paint before the wasm.
import { test, before, after, beforeEach } from 'node:test';
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
// Every test starts from the example with no saved edits (once the page has loaded, so that no
// download is cut short).
beforeEach(async () => {
  const { page } = browser;
  await page.goto(site.url);
  await waitForApp(page);
  await page.evaluate(() => localStorage.clear());
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.emulateMedia({ colorScheme: 'dark' });
});

const consoleText = async (page) =>
  (await page.locator('.console-output div').allTextContents()).join('\n');

test('a typo gets an underline, a gutter marker on its line and its message on hover', async () => {
  const { page, problems } = browser;
  await page.goto(site.url);
  await waitForApp(page);
  await page.click('.tab:has-text("mongo-sts.yaml")');
  await typeAtLine(page, 'replicas: 3', 'three');

  const range = page.locator('.cm-lintRange-error');
  await range.first().waitFor();
  assert.equal(await range.count(), 1);
  assert.equal(await range.textContent(), 'three', 'the offending value is underlined');
  // The gutter marker sits on line 7, the line of `replicas`.
  const marker = page.locator('.cm-gutter-lint .cm-gutterElement:has(.cm-lint-marker-error)');
  const line7 = page.locator('.cm-lineNumbers .cm-gutterElement', { hasText: /^7$/ });
  const [m, l] = [await marker.boundingBox(), await line7.boundingBox()];
  assert.ok(Math.abs(m.y - l.y) < 2, `marker at y=${m.y}, line 7 at y=${l.y}`);
  // The same problem in the list, at file:line:column.
  assert.match(await page.locator('.diagnostics.live li').first().textContent(),
    /^mongo-sts\.yaml:7:13: error: spec\.replicas: invalid type: string "three"/);

  await range.hover();
  const tip = page.locator('.cm-tooltip-lint');
  await tip.waitFor();
  assert.match(await tip.textContent(), /spec\.replicas: invalid type: string "three"/);
  await screenshot(page, 'editor-lint-hover');

  // Undo brings the 3 back and the problem goes.
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelectorAll('.cm-lintRange-error').length === 0);
  assert.match(await editorText(page), /replicas: 3\n/);
  assert.deepEqual(problems, []);
});

test('Ctrl+Enter applies the open file and Ctrl+S keeps the browser from saving the page', async () => {
  const { page, problems } = browser;
  await page.goto(site.url);
  await waitForApp(page);
  await page.click('.tab:has-text("mongo-service.yaml")');
  const before = await editorText(page);
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(() => document.querySelectorAll('.console-output div').length >= 2);
  assert.equal(await consoleText(page), '$ kubectl apply -f mongo-service.yaml\nservice/mongo created');
  assert.equal(await editorText(page), before, 'no line inserted');

  const defaultPrevented = page.evaluate(() => new Promise((resolve) => {
    window.addEventListener('keydown', (e) => {
      if (e.key === 's') setTimeout(() => resolve(e.defaultPrevented));
    });
  }));
  await page.keyboard.press('Control+s');
  assert.equal(await defaultPrevented, true, 'no save dialog');
  assert.match(await page.textContent('.saved-note'), /Saved locally/);
  assert.deepEqual(problems, []);
});

test('files: add, rename, type, apply by name, delete with undo, reorder; a reload keeps it all', async () => {
  const { page, problems } = browser;
  await page.goto(site.url);
  await waitForApp(page);

  // A new file opens with its name ready to type over.
  await page.click('button.file-add');
  const rename = page.locator('input.tab-rename');
  await rename.waitFor();
  assert.equal(await rename.inputValue(), 'untitled.yaml');
  await page.waitForFunction(() => document.activeElement?.classList.contains('tab-rename'));
  await page.keyboard.type('my file.yaml');
  await page.keyboard.press('Enter');
  assert.match(await page.textContent('.file-error'), /' ' is not allowed in a file name/);
  await rename.fill('web-svc.yaml');
  await page.keyboard.press('Enter');
  assert.deepEqual(await page.locator('.tab').allTextContents(),
    ['pv-demo.yaml', 'mongo-service.yaml', 'mongo-sts.yaml', 'web-svc.yaml']);
  assert.equal(await page.getAttribute('.tab.active', 'aria-selected'), 'true');

  // Type a Service into it, as a person would (auto-indent keeps the nesting).
  await page.locator('.cm-content').click();
  await page.keyboard.type('apiVersion: v1\nkind: Service\nmetadata:\nname: web\n');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.type('spec:\nports:\n- port: 80\n');
  assert.equal(await editorText(page),
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n      ');
  const input = page.locator('input.console-input');
  await input.click();
  await page.keyboard.type('kubectl apply -f web-svc.yaml');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /service\/web created/.test(document.querySelector('.console-output').textContent));

  // Rename with F2 on the tab: the console finds the new name, not the old.
  await page.locator('.tab.active').focus();
  await page.keyboard.press('F2');
  await rename.fill('web.yaml');
  await page.keyboard.press('Enter');
  await input.click();
  await page.keyboard.type('kubectl apply -f web-svc.yaml');
  await page.keyboard.press('Enter');
  await page.keyboard.type('kubectl apply -f web.yaml');
  await page.keyboard.press('Enter');
  const out = await consoleText(page);
  assert.match(out, /\$ kubectl apply -f web-svc\.yaml\nerror: the path "web-svc\.yaml" does not exist\n\$ kubectl apply -f web\.yaml\nservice\/web unchanged$/);

  // Move it first with Alt+← from its tab (keyboard), then delete it and undo.
  await page.locator('.tab.active').focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('Alt+ArrowLeft');
  assert.deepEqual(await page.locator('.tab').allTextContents(),
    ['web.yaml', 'pv-demo.yaml', 'mongo-service.yaml', 'mongo-sts.yaml']);
  await page.keyboard.press('Delete');
  assert.equal(await page.locator('.tab').count(), 3);
  assert.match(await page.textContent('.file-notice'), /Deleted web\.yaml/);
  await page.click('button.undo-delete');
  assert.deepEqual(await page.locator('.tab').allTextContents(),
    ['web.yaml', 'pv-demo.yaml', 'mongo-service.yaml', 'mongo-sts.yaml']);
  assert.match(await editorText(page), /name: web\n/, 'undo loses nothing');

  // Edit an example file too; a reload keeps the order, the names and every text.
  await page.click('.tab:has-text("mongo-sts.yaml")');
  await typeAtLine(page, 'replicas: 3', '5');
  await screenshot(page, 'editor-files');
  await page.reload();
  await waitForApp(page);
  assert.deepEqual(await page.locator('.tab').allTextContents(),
    ['web.yaml', 'pv-demo.yaml', 'mongo-service.yaml', 'mongo-sts.yaml']);
  assert.match(await editorText(page), /kind: Service\nmetadata:\n  name: web\n/);
  await page.click('.tab:has-text("mongo-sts.yaml")');
  assert.match(await editorText(page), /replicas: 5\n/);

  // Delete from the toolbar, then Reset example brings the three files back.
  await page.click('.tab:has-text("web.yaml")');
  await page.click('button.file-delete');
  assert.equal(await page.locator('.tab').count(), 3);
  await page.click('button.reset');
  assert.deepEqual(await page.locator('.tab').allTextContents(),
    ['pv-demo.yaml', 'mongo-service.yaml', 'mongo-sts.yaml']);
  assert.deepEqual(problems, []);
});

test('without the editor bundle the textarea edits, checks and applies', async () => {
  const { page, problems } = browser;
  await page.route('**/editor-*.js', (route) => route.abort());
  try {
    await page.goto(site.url);
    await page.waitForSelector('.console-input');
    await page.waitForTimeout(300);
    assert.equal(await page.locator('.cm-editor').count(), 0);
    await page.click('.tab:has-text("mongo-sts.yaml")');
    const editor = page.locator('textarea.editor');
    assert.equal(await editor.isVisible(), true);
    const text = await editor.inputValue();
    const at = text.indexOf('replicas: 3') + 'replicas: '.length;
    await editor.focus();
    await editor.evaluate((el, at) => el.setSelectionRange(at, at + 1), at);
    await page.keyboard.type('three');
    await page.locator('.diagnostics.live li').first().waitFor();
    assert.match(await page.locator('.diagnostics.live li').first().textContent(),
      /^mongo-sts\.yaml:7:13: error: spec\.replicas: invalid type: string "three"/);
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('.apply-errors');
    assert.equal(await page.locator('.console-output div').count(), 0, 'nothing applied');
    // Fixed again, Ctrl+Enter types the apply for this file.
    await editor.evaluate((el, at) => el.setSelectionRange(at, at + 5), at);
    await page.keyboard.type('3');
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(() => document.querySelectorAll('.console-output div').length >= 2);
    assert.equal(await consoleText(page), '$ kubectl apply -f mongo-sts.yaml\nstatefulset.apps/mongo created');
    await screenshot(page, 'editor-textarea-fallback');
  } finally {
    await page.unroute('**/editor-*.js');
  }
  // The aborted bundle is reported as a failed request and a console error: that is expected.
  const unexpected = problems.splice(0).filter((p) =>
    !/request failed: .*\/editor-[0-9a-f]+\.js$/.test(p) && p !== 'console error: Failed to load resource: net::ERR_FAILED');
  assert.deepEqual(unexpected, []);
});

test('first paint: before the wasm the example is readable, selectable and editable, and an Apply pressed then runs', async () => {
  const { page, problems } = browser;
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  await page.route('**/*_bg.wasm', async (route) => { await gate; await route.continue(); });
  try {
    await page.goto(site.url, { waitUntil: 'domcontentloaded' });
    const editor = page.locator('textarea.editor');
    assert.match(await editor.inputValue(), /kind: PersistentVolume\nmetadata:\n  name: pv001/);
    assert.deepEqual(await page.locator('.tab').allTextContents(),
      ['pv-demo.yaml', 'mongo-service.yaml', 'mongo-sts.yaml']);
    assert.match(await page.textContent('header'), /simulating Kubernetes v1\.35/);
    await editor.selectText();
    assert.ok(await editor.evaluate((el) => el.selectionEnd - el.selectionStart > 100), 'selectable');
    assert.equal(await page.locator('.console-input').count(), 0, 'the app has not mounted yet');
    await screenshot(page, 'first-paint');
    // It edits, and Apply waits for the cluster: nothing typed or pressed is lost.
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('# typed before the wasm\n');
    await page.click('button.apply');
    assert.match(await page.textContent('.loading-note'), /Applying as soon as the simulated cluster has loaded/);
  } finally {
    release();
  }
  await waitForApp(page);
  assert.equal(await page.locator('header').count(), 1, 'the app replaced the first paint');
  assert.equal(await page.isEnabled('button.apply'), true);
  assert.match(await editorText(page), /storage: 100Mi\n# typed before the wasm\n$/);
  await page.waitForFunction(() => /statefulset\.apps\/mongo created/.test(document.querySelector('.console-output').textContent));
  assert.match(await consoleText(page), /^\$ kubectl apply -f pv-demo\.yaml\npersistentvolume\/pv001 created\n/);
  await page.unroute('**/*_bg.wasm');
  assert.deepEqual(problems, []);
});

test('completion offers field names with their type, and hover explains a key', async () => {
  const { page } = browser;
  // once the schema is there (fetched after the first paint), completion answers at once
  const schema = page.waitForResponse((r) => r.url().endsWith('/k8s-v1.35.schema'));
  await page.goto(site.url);
  await waitForApp(page);
  await schema;
  await page.click('button.file-add');
  await page.keyboard.press('Enter');
  await page.locator('.cm-content').click();
  await page.keyboard.type('apiVersion: apps/v1\nkind: StatefulSet\nspec:\nserviceN'); // indented by the editor
  const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'serviceName' });
  await option.waitFor({ timeout: 3000 });
  assert.match(await option.textContent(), /string/);
  await page.keyboard.press('Enter');
  assert.match(await editorText(page), /\n  serviceName: ?$/);
  await page.locator('.cm-line', { hasText: 'kind: StatefulSet' }).locator('text=kind').hover();
  const hover = page.locator('.cm-schema-hover');
  await hover.waitFor({ timeout: 3000 });
  assert.match(await hover.textContent(), /kind: string/);
});

// The schema is a separate file the page fetches on first use (src/schema.rs), not part of the
// wasm: completion and `kubectl explain` asked for before it has arrived wait for it.
test('the schema arrives after the page: completion and kubectl explain wait for it, then answer', async () => {
  const { page } = browser;
  let release;
  const held = new Promise((ok) => { release = ok; });
  let requests = 0;
  await page.route('**/k8s-v1.35.schema', async (route) => {
    requests += 1;
    await held;
    await route.continue();
  });
  await page.goto(site.url);
  await waitForApp(page);
  await page.fill('.console-input', 'kubectl explain sts.spec.replicas');
  await page.press('.console-input', 'Enter');
  await page.click('button.file-add');
  await page.keyboard.press('Enter');
  await page.locator('.cm-content').click();
  await page.keyboard.type('apiVersion: apps/v1\nkind: StatefulSet\nspec:\nserviceN');
  await page.waitForTimeout(500);
  // asked for, not yet there: the command is echoed, with no output and no error yet
  assert.equal(requests, 1);
  assert.match(await consoleText(page), /\$ kubectl explain sts\.spec\.replicas$/);
  assert.equal(await page.locator('.cm-tooltip-autocomplete').count(), 0);
  release();
  const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'serviceName' });
  await option.waitFor({ timeout: 5000 });
  await page.waitForFunction(() => /FIELD: replicas <integer>/.test(document.querySelector('.console-output').textContent));
  const out = (await consoleText(page)).split('$ kubectl explain sts.spec.replicas\n')[1];
  assert.match(out, /^GROUP:      apps\nKIND:       StatefulSet\nVERSION:    v1\n\nFIELD: replicas <integer>\n/);
  // later uses do not fetch it again
  await page.fill('.console-input', 'kubectl explain pvc.spec.accessModes');
  await page.press('.console-input', 'Enter');
  await page.waitForFunction(() => /FIELD: accessModes <\[\]string>/.test(document.querySelector('.console-output').textContent));
  assert.equal(requests, 1);
  await page.unroute('**/k8s-v1.35.schema');
});

// Needs kubesim::hints (branch `schema`): the removed apiVersion's error with a one-click fix.
test('the seed\'s apps/v1beta1 gets kubectl\'s error and a one-click fix to apps/v1', async () => {
  const { page } = browser;
  await page.goto(site.url);
  await waitForApp(page);
  await page.click('.tab:has-text("mongo-sts.yaml")');
  await typeAtLine(page, 'apiVersion: apps/v1', 'beta1', 0);
  const fix = page.locator('.diagnostics.live li button.fix');
  await fix.waitFor({ timeout: 3000 });
  await fix.click();
  assert.match(await editorText(page), /^apiVersion: apps\/v1\n/);
  assert.equal(await page.locator('.cm-lintRange-error').count(), 0);
});

test('screenshots: 1280x800 and 700x500, dark and light', async () => {
  const { page, problems } = browser;
  for (const scheme of ['dark', 'light']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [width, height] of [[1280, 800], [700, 500]]) {
      await page.setViewportSize({ width, height });
      await page.goto(site.url);
      await waitForApp(page);
      await page.click('.tab:has-text("mongo-sts.yaml")');
      await typeAtLine(page, 'replicas: 3', 'three');
      await page.locator('.cm-lintRange-error').first().waitFor();
      await page.locator('.cm-lintRange-error').hover();
      await page.locator('.cm-tooltip-lint').waitFor();
      await screenshot(page, `editor-${scheme}-${width}x${height}`);
      await page.evaluate(() => localStorage.clear());
    }
  }
  assert.deepEqual(problems, []);
});

// `kubectl edit` typed in the console opens the live object in a tab of its own, as kubectl
// opens $EDITOR; saving or cancelling prints what kubectl prints when its editor closes
// (kubectl pkg/cmd/util/editor/editoptions.go).
async function applyAndEdit(page, target = 'sts/mongo') {
  await page.goto(site.url);
  await waitForApp(page);
  await page.click('button.apply');
  await page.waitForFunction(() => /statefulset\.apps\/mongo created/.test(document.querySelector('.console-output').textContent));
  await page.locator('input.console-input').click();
  await page.keyboard.type(`kubectl edit ${target}`);
  await page.keyboard.press('Enter');
  await page.locator('.tab.live-edit-tab.active').waitFor();
  // the editor has the focus, as kubectl's editor would
  await page.waitForFunction(() => document.activeElement?.classList.contains('cm-content'));
}
const specReplicas = (page) => page.locator('.cm-line', { hasText: /^\s{2}replicas: -?\d+$/ }).first();
async function setReplicas(page, value) {
  await specReplicas(page).click();
  await page.keyboard.press('End');
  // Shift+Home selects back to the indentation, as in most code editors
  await page.keyboard.press('Shift+Home');
  await page.keyboard.type(`replicas: ${value}`);
}
// the console's lines, one per line
const waitForConsole = (page, pattern) => page.waitForFunction(
  (source) => new RegExp(source).test(
    [...document.querySelectorAll('.console-output div')].map((d) => d.textContent).join('\n')),
  pattern.source);

test('kubectl edit: the live object opens in a marked tab; a change saved with Ctrl+Enter is edited', async () => {
  const { page, problems } = browser;
  await applyAndEdit(page);
  const text = await editorText(page);
  assert.ok(text.startsWith("# Please edit the object below. Lines beginning with a '#' will be ignored,\n"), text);
  assert.match(text, /\napiVersion: apps\/v1\nkind: StatefulSet\n/);
  assert.match(text, /\n {2}replicas: 3\n/);
  assert.match(await page.textContent('.live-edit-tab'), /edit statefulsets\.apps\/mongo/);
  assert.match(await page.textContent('.live-edit-bar'), /Live object: statefulsets\.apps\/mongo.*not a file/);
  assert.match(await consoleText(page), /\$ kubectl edit sts\/mongo\n# edit it in the editor, then Save \(Ctrl\+S\) or Cancel/);
  // no file operations on it, and Apply gives way to Save / Cancel
  assert.equal(await page.isDisabled('button.file-rename'), true);
  assert.equal(await page.isVisible('button.apply'), false);

  await setReplicas(page, 5);
  assert.match(await page.textContent('.live-edit-tab'), /\(modified\)/);
  // Ctrl+Enter saves it (as Ctrl+S does), never `kubectl apply -f` of a file
  await page.keyboard.press('Control+Enter');
  await waitForConsole(page, /statefulset\.apps\/mongo edited/);
  await page.locator('.live-edit-tab').waitFor({ state: 'detached' });
  assert.doesNotMatch(await consoleText(page), /apply -f edit/);
  // back to the files, the console has the focus again, the cluster has the change
  assert.equal(await page.textContent('.tab.active'), 'pv-demo.yaml');
  await page.waitForFunction(() => document.activeElement?.classList.contains('console-input'));
  await page.keyboard.type('kubectl get sts mongo -o jsonpath={.spec.replicas}');
  await page.keyboard.press('Enter');
  await waitForConsole(page, /jsonpath=\{\.spec\.replicas\}\n5/);
  // the live object was never a file
  const keys = await page.evaluate(() => Object.keys(localStorage).join('\n'));
  assert.doesNotMatch(keys, /edit/);
  assert.deepEqual(problems, []);
});

test('kubectl edit: Cancel, or saving unchanged, makes no change', async () => {
  const { page, problems } = browser;
  await applyAndEdit(page);
  await page.click('button.live-cancel');
  await waitForConsole(page, /Edit cancelled, no changes made\./);
  assert.equal(await page.locator('.live-edit-tab').count(), 0);

  await page.locator('input.console-input').click();
  await page.keyboard.type('kubectl edit statefulset mongo');
  await page.keyboard.press('Enter');
  await page.locator('.live-edit-tab.active').waitFor();
  // a comment is not a change
  await page.locator('.cm-line', { hasText: /^kind: StatefulSet$/ }).click();
  await page.keyboard.press('End');
  await page.keyboard.type('\n# just looking');
  await page.click('button.live-save');
  await page.locator('.live-edit-tab').waitFor({ state: 'detached' });
  const out = await consoleText(page);
  assert.equal(out.match(/Edit cancelled, no changes made\./g).length, 2, out);
  // an unknown object opens nothing
  await page.locator('input.console-input').click();
  await page.keyboard.type('kubectl edit sts/web');
  await page.keyboard.press('Enter');
  await waitForConsole(page, /Error from server \(NotFound\): statefulsets\.apps "web" not found/);
  assert.equal(await page.locator('.live-edit-tab').count(), 0);
  assert.deepEqual(problems, []);
});

test('kubectl edit: an invalid change is refused, reopened with the reasons on top, then fixed', async () => {
  const { page, problems } = browser;
  await applyAndEdit(page);
  await setReplicas(page, -1);
  await page.click('button.live-save');
  await waitForConsole(page, /error: statefulsets\.apps "mongo" is invalid/);
  // reopened: kubectl's header, then the server's reasons, then the edited object
  await page.locator('.live-edit-refused').waitFor();
  const text = await editorText(page);
  assert.match(text, /^# Please edit the object below[^]*# statefulsets\.apps "mongo" was not valid:\n# \* spec\.replicas: Invalid value: [^\n]*must be greater than or equal to 0\n#\napiVersion: apps\/v1\n/);
  assert.match(text, /\n {2}replicas: -1\n/, 'the change is kept');
  // switching to a file and back loses nothing
  await page.click('.tab:has-text("mongo-sts.yaml")');
  assert.match(await editorText(page), /serviceName/);
  assert.equal(await page.locator('.live-edit-bar').count(), 0);
  await page.click('.live-edit-tab');
  assert.equal(await editorText(page), text);

  await setReplicas(page, 4);
  await page.keyboard.press('Control+s');
  await waitForConsole(page, /statefulset\.apps\/mongo edited/);
  await page.locator('.live-edit-tab').waitFor({ state: 'detached' });
  await page.keyboard.type('kubectl get sts mongo -o jsonpath={.spec.replicas}');
  await page.keyboard.press('Enter');
  await waitForConsole(page, /jsonpath=\{\.spec\.replicas\}\n4/);
  assert.deepEqual(problems, []);
});

test('screenshots of kubectl edit: 1280x800 and 700x500, dark and light', async () => {
  const { page, problems } = browser;
  for (const scheme of ['dark', 'light']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [width, height] of [[1280, 800], [700, 500]]) {
      await page.setViewportSize({ width, height });
      await applyAndEdit(page);
      await setReplicas(page, -1);
      await page.click('button.live-save');
      await page.locator('.live-edit-refused').waitFor();
      await page.locator('.cm-content').click();
      await page.keyboard.press('Control+Home');
      await screenshot(page, `edit-${scheme}-${width}x${height}`);
      await page.click('button.live-cancel');
      await page.locator('.live-edit-tab').waitFor({ state: 'detached' });
      await page.evaluate(() => localStorage.clear());
    }
  }
  assert.deepEqual(problems, []);
});
