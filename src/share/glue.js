// The share module's browser glue (see src/share/mod.rs): deflate-raw through the browser's own
// CompressionStream (no compression code in the wasm), base64url, the clipboard, file download
// and upload. Every input is a stranger's: sizes are capped before and while decompressing.

function b64url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function pack(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return b64url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

// Inflates a base64url deflate-raw text; rejects with a sentence for the visitor when the
// text is damaged or unpacks to more than maxBytes (the stream is cancelled there: no zip bomb).
export async function unpack(b64, maxBytes) {
  if (!/^[A-Za-z0-9_-]*$/.test(b64)) throw new Error('the link is damaged (it is not base64url)');
  let bin;
  try {
    bin = atob(b64.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    throw new Error('the link is damaged (it is not base64url)');
  }
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  const reader = new Blob([bytes]).stream()
    .pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    let step;
    try {
      step = await reader.read();
    } catch {
      throw new Error('the link is damaged (it does not unpack)');
    }
    if (step.done) break;
    total += step.value.length;
    if (total > maxBytes) {
      reader.cancel().catch(() => {});
      throw new Error(`the link unpacks to more than ${Math.round(maxBytes / 1024)} KB`);
    }
    chunks.push(step.value);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { all.set(c, at); at += c.length; }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(all);
  } catch {
    throw new Error('the link is damaged (not UTF-8 text)');
  }
}

// Resolves true when the text is on the clipboard, false when the browser refused.
export async function copy_text(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function download(name, text, type) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

// Asks for a file (must run in a click handler); resolves with its text, rejects with a
// sentence when it is larger than maxBytes; resolves null when nothing was chosen.
export function pick_file(maxBytes) {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.json,application/json';
    input.addEventListener('change', () => {
      const file = input.files && input.files[0];
      if (!file) return resolve(null);
      if (file.size > maxBytes) {
        return reject(new Error(`${file.name} is ${Math.round(file.size / 1024)} KB, more than ${Math.round(maxBytes / 1024)} KB`));
      }
      file.text().then(resolve, () => reject(new Error(`${file.name} could not be read`)));
    });
    input.addEventListener('cancel', () => resolve(null));
    input.click();
  });
}

// Fetches a file next to the page (same origin only, size-capped) as text.
export async function fetch_text(path, maxBytes) {
  const url = new URL(path, location.href);
  if (url.origin !== location.origin) throw new Error(`${path}: only files next to the page can be played`);
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${response.statusText}`);
  const reader = response.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const step = await reader.read();
    if (step.done) break;
    total += step.value.length;
    if (total > maxBytes) {
      reader.cancel().catch(() => {});
      throw new Error(`${path} is more than ${Math.round(maxBytes / 1024)} KB`);
    }
    chunks.push(step.value);
  }
  return new TextDecoder().decode(await new Blob(chunks).arrayBuffer());
}

// Reopens the page with another fragment ('' = the visitor's own work): a reload, so the
// app starts from what the address says.
export function reopen(hash) {
  history.replaceState(null, '', location.pathname + location.search + (hash ? '#' + hash : ''));
  location.reload();
}

// A link pasted into the address bar of an open playground changes only the fragment: reload,
// so it opens as its own workspace like any other link.
export function reload_on_hash_change() {
  addEventListener('hashchange', () => location.reload());
}

// Opens the page with another query ('' = the visitor's own work, no fragment).
export function open_page(query) {
  location.href = location.pathname + query;
}
