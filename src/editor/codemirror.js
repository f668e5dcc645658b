// The JavaScript half of the editor boundary (the Rust half is codemirror.rs beside it).
//
// Bundled at build time by scripts/build-editor.mjs (a Trunk pre_build hook) into dist/editor.js,
// an ordinary script that sets `window.playgroundEditor` and then fires `playground-editor-ready`
// on window. The page never needs it: without it the editor pane is a plain textarea.
//
// This file knows CodeMirror and nothing about Kubernetes: positions come from Rust already as
// UTF-16 offsets (CodeMirror's unit), completion and hover ask Rust through callbacks.
import { Annotation, EditorState, Prec } from '@codemirror/state';
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  highlightSpecialChars, drawSelection, hoverTooltip,
} from '@codemirror/view';
import {
  indentOnInput, syntaxHighlighting, bracketMatching, foldGutter, foldKeymap, indentUnit,
  indentService,
} from '@codemirror/language';
import { yaml } from '@codemirror/lang-yaml';
import { classHighlighter } from '@lezer/highlight';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { search, searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { setDiagnostics, lintGutter, lintKeymap } from '@codemirror/lint';
import {
  autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap,
} from '@codemirror/autocomplete';

// YAML's indentation as people type it: one level deeper after `key:` (or `key: |`), inside a
// list item after `- `, else the previous line's.
const yamlIndent = indentService.of((context, pos) => {
  const here = context.lineAt(pos, -1);
  let previous = here.from < pos ? here.text.slice(0, pos - here.from) : '';
  for (let n = context.state.doc.lineAt(here.from).number - 1; !previous.trim() && n >= 1; n--) {
    previous = context.state.doc.line(n).text;
  }
  if (!previous.trim()) return 0;
  const indent = previous.length - previous.trimStart().length;
  const content = previous.replace(/\s+#.*$/, '').trimEnd();
  const deeper = /:(\s+[|>][-+]?)?$/.test(content) || /^\s*-( |$)/.test(content);
  return indent + (deeper ? context.unit : 0);
});

// callbacks: { change(text), complete(pos) -> [{label, detail, info, apply, from}],
//              hover(pos) -> {path, type, description, from, to} | undefined,
//              ready() -> undefined once complete/hover can answer, else a Promise settled
//              when they can (the schema is fetched on first use), fix(index), apply() }
function extensions(callbacks, label) {
  // Calls `answer` now if the schema is there, else once it has arrived (null if it cannot).
  const whenReady = (answer, aborted = () => false) => {
    const wait = callbacks.ready?.();
    if (!wait) return answer();
    return wait.then(() => (aborted() ? null : answer()), () => null);
  };
  const completionSource = (context) => {
    // Ask only after a word character or when explicitly requested (Ctrl+Space).
    const word = context.matchBefore(/[\w.-]*/);
    if (!context.explicit && (!word || word.from === word.to)) return null;
    return whenReady(() => complete(context), () => context.aborted);
  };
  const complete = (context) => {
    const items = callbacks.complete(context.pos) ?? [];
    if (items.length === 0) return null;
    return {
      from: items[0].from,
      options: items.map((c) => ({
        label: c.label, detail: c.detail, info: c.info || undefined, apply: c.apply, type: 'property',
      })),
      validFor: /^[\w.-]*$/,
    };
  };
  const hover = hoverTooltip((view, pos) => whenReady(() => hoverAt(pos)));
  const hoverAt = (pos) => {
    const h = callbacks.hover(pos);
    if (!h) return null;
    return {
      pos: h.from, end: h.to, above: true,
      create() {
        const dom = document.createElement('div');
        dom.className = 'cm-schema-hover';
        const head = dom.appendChild(document.createElement('div'));
        head.className = 'cm-schema-path';
        head.textContent = `${h.path}: ${h.type}`;
        if (h.description) {
          const body = dom.appendChild(document.createElement('div'));
          body.className = 'cm-schema-description';
          body.textContent = h.description;
        }
        return { dom };
      },
    };
  };
  return [
    lineNumbers(), foldGutter(), lintGutter(), highlightActiveLineGutter(),
    highlightSpecialChars(), history(), drawSelection(), indentOnInput(), bracketMatching(),
    closeBrackets(), highlightActiveLine(), highlightSelectionMatches(), search({ top: true }),
    syntaxHighlighting(classHighlighter), yaml(), yamlIndent, indentUnit.of('  '), EditorState.tabSize.of(2),
    autocompletion({ override: [completionSource], icons: false }), hover,
    Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => { callbacks.apply(); return true; } }])),
    keymap.of([
      ...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap,
      ...completionKeymap, ...lintKeymap, indentWithTab,
    ]),
    EditorView.updateListener.of((update) => {
      if (update.docChanged && !update.transactions.some((t) => t.annotation(fromRust))) {
        callbacks.change(update.state.doc.toString());
      }
    }),
    // The accessible name in the page's language: the one the page gave the textarea it replaces.
    EditorView.contentAttributes.of({ 'aria-label': label, spellcheck: 'false', tabindex: '0' }),
    // A read-only embed (src/share: the page's root has class `readonly` before the app mounts).
    ...(readOnlyPage() ? [EditorState.readOnly.of(true), EditorView.editable.of(false)] : []),
  ];
}

function readOnlyPage() { return document.documentElement.classList.contains('readonly'); }

// Text that Rust put in (a tab switch, Reset, a quick fix) is not echoed back as a change.
const fromRust = Annotation.define();

class Editor {
  constructor(parent, callbacks) {
    this.callbacks = callbacks;
    this.extensions = extensions(callbacks, parent.querySelector('textarea')?.getAttribute('aria-label') || 'Manifest editor');
    this.states = new Map(); // file name -> EditorState (each file keeps its own undo history)
    this.current = null;
    this.view = new EditorView({ parent, state: EditorState.create({ extensions: this.extensions }) });
  }

  // Shows file `name`; `text` is the text Rust holds for it. The file's undo history is kept
  // across tab switches; if its text changed meanwhile (Reset), that replacement is undoable.
  open(name, text) {
    if (this.current !== null) this.states.set(this.current, this.view.state);
    this.current = name;
    const saved = this.states.get(name);
    this.view.setState(saved ?? EditorState.create({ doc: text, extensions: this.extensions }));
    if (saved) this.setText(text);
  }

  // Replaces the open file's text as one undoable change (Ctrl+Z brings the old text back).
  setText(text) {
    const doc = this.view.state.doc;
    if (doc.length === text.length && doc.toString() === text) return;
    this.view.dispatch({ changes: { from: 0, to: doc.length, insert: text }, annotations: fromRust.of(true) });
  }

  getText() { return this.view.state.doc.toString(); }

  rename(from, to) {
    if (this.current === from) this.current = to;
    const state = this.states.get(from);
    this.states.delete(from);
    if (state) this.states.set(to, state);
  }

  // Drops a file's state (deleted or reset): a file later made under the same name starts afresh.
  forget(name) {
    this.states.delete(name);
    if (this.current === name) this.current = null;
  }

  // diagnostics: [{from, to, severity: 'error'|'warning', message, fix?: label}] in UTF-16
  // offsets of the open file; a fix runs callbacks.fix(index of the diagnostic).
  setDiagnostics(diagnostics) {
    const length = this.view.state.doc.length;
    const list = diagnostics.map((d, index) => ({
      from: Math.min(d.from, length), to: Math.min(d.to, length), severity: d.severity,
      message: d.message, source: d.source || undefined,
      actions: d.fix ? [{ name: d.fix, apply: () => this.callbacks.fix(index) }] : undefined,
    }));
    this.view.dispatch(setDiagnostics(this.view.state, list));
  }

  // Puts the caret at a UTF-16 offset, scrolls it into view and focuses the editor.
  reveal(pos) {
    const at = Math.min(pos, this.view.state.doc.length);
    this.view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
    this.view.focus();
  }

  focus() { this.view.focus(); }

  destroy() { this.view.destroy(); }
}

window.playgroundEditor = {
  create: (parent, callbacks) => new Editor(parent, callbacks),
};
window.dispatchEvent(new Event('playground-editor-ready'));
