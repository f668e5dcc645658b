// Trunk build hooks (see Trunk.toml), offline, from node_modules only:
//   node scripts/build-page.mjs editor       (pre_build)  bundles src/editor/codemirror.js and
//        CodeMirror into $TRUNK_STAGING_DIR/editor.js with esbuild;
//   node scripts/build-page.mjs first-paint  (post_build) names the bundle by its content hash
//        and fills index.html's static frame (shown before the wasm arrives) with the example's
//        files, read from crates/kubesim/src/examples.rs and examples/mongodb/;
//   node scripts/build-page.mjs prune        (post_build) removes the files the copied
//        directories bring that the page never fetches (scripts/size counts every file).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFile, writeFile, rename, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const STAGING = process.env.TRUNK_STAGING_DIR ?? join(ROOT, 'dist');

async function editor() {
  await build({
    entryPoints: [join(ROOT, 'src/editor/codemirror.js')],
    outfile: join(STAGING, 'editor.js'),
    bundle: true, minify: true, format: 'iife', target: 'es2020', legalComments: 'eof',
    logLevel: 'warning',
  });
}

const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// The example's files in tab order, as the engine's examples.rs lists them.
export async function exampleFiles() {
  const src = await readFile(join(ROOT, 'crates/kubesim/src/examples.rs'), 'utf8');
  const paths = Object.fromEntries([...src.matchAll(/const (\w+): &str = include_str!\("([^"]+)"\)/g)]
    .map(([, name, path]) => [name, join(ROOT, 'crates/kubesim/src', path)]));
  const list = src.match(/pub const MONGODB[^=]*=\s*&\[([\s\S]*?)\];/)[1];
  const files = [];
  for (const [, name, constant] of list.matchAll(/\("([^"]+)",\s*(\w+)\)/g)) {
    files.push({ name, text: await readFile(paths[constant], 'utf8') });
  }
  if (files.length === 0) throw new Error('no example files found in examples.rs');
  return files;
}

async function firstPaint() {
  const html = join(STAGING, 'index.html');
  let page = await readFile(html, 'utf8');
  const bundle = await readFile(join(STAGING, 'editor.js'));
  const hashed = `editor-${createHash('sha256').update(bundle).digest('hex').slice(0, 16)}.js`;
  await rename(join(STAGING, 'editor.js'), join(STAGING, hashed));
  const lib = await readFile(join(ROOT, 'crates/kubesim/src/lib.rs'), 'utf8');
  const version = lib.match(/KUBERNETES_VERSION: &str = "([^"]+)"/)[1];
  const files = await exampleFiles();
  const tabs = files.map((f, i) =>
    `<button class="tab${i ? '' : ' active'}" role="tab" aria-selected="${!i}" disabled>${escape(f.name)}</button>`).join('');
  // A textarea drops one leading newline: keep the text's own.
  const text = (files[0].text.startsWith('\n') ? '\n' : '') + escape(files[0].text);
  const fills = {
    'editor.js': hashed,
    '<!--first-paint:version-->': escape(version),
    '<!--first-paint:tabs-->': tabs,
    '<!--first-paint:text-->': text,
  };
  for (const [mark, value] of Object.entries(fills)) {
    if (!page.includes(mark)) throw new Error(`index.html has no ${mark}`);
    page = page.replace(mark, () => value);
  }
  await writeFile(html, page);
}

// Copied with their directories but never fetched: English is compiled into the wasm
// (src/i18n), and a preset's `.session.out` is the transcript `kubesim run --check` compares
// (the page plays the `.session`).
async function prune() {
  await rm(join(STAGING, 'lang/en.txt'));
  const presets = join(STAGING, 'presets');
  for (const name of await readdir(presets)) {
    if (name.endsWith('.out')) await rm(join(presets, name));
  }
}

const stage = process.argv[2];
if (stage === 'editor') await editor();
else if (stage === 'first-paint') await firstPaint();
else if (stage === 'prune') await prune();
else if (stage !== undefined) throw new Error(`unknown stage ${stage}: editor, first-paint or prune`);
