//! The one boundary between Rust and the code editor (CodeMirror 6, `codemirror.js` beside this
//! file, bundled into `dist/editor.js` by `scripts/build-page.mjs`).
//!
//! The bundle is optional: it sets `window.playgroundEditor` when (and if) it loads, possibly
//! after the wasm. [`available`] says whether it is there; until it is, the pane edits in a
//! textarea. Everything crossing the boundary is typed here: texts, diagnostics (1-based line
//! and column, as `kubesim::manifest::Diagnostic` gives them), completion and hover in byte
//! offsets. CodeMirror counts UTF-16 code units; the conversions are the pure functions at the
//! end of this file, unit-tested natively.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use kubesim::schema::{Completion, Hover};

#[wasm_bindgen]
extern "C" {
    /// An editor instance made by `playgroundEditor.create` (see `codemirror.js`).
    type JsEditor;

    #[wasm_bindgen(js_namespace = playgroundEditor, js_name = create)]
    fn js_create(parent: &web_sys::HtmlElement, callbacks: &Object) -> JsEditor;
    #[wasm_bindgen(method)]
    fn open(this: &JsEditor, name: &str, text: &str);
    #[wasm_bindgen(method, js_name = setText)]
    fn set_text(this: &JsEditor, text: &str);
    #[wasm_bindgen(method)]
    fn rename(this: &JsEditor, from: &str, to: &str);
    #[wasm_bindgen(method)]
    fn forget(this: &JsEditor, name: &str);
    #[wasm_bindgen(method, js_name = setDiagnostics)]
    fn set_diagnostics(this: &JsEditor, diagnostics: &Array);
    #[wasm_bindgen(method)]
    fn reveal(this: &JsEditor, pos: u32);
    #[wasm_bindgen(method)]
    fn focus(this: &JsEditor);
    #[wasm_bindgen(method)]
    fn destroy(this: &JsEditor);
}

/// The event the bundle fires on `window` once `playgroundEditor` is set.
pub const READY_EVENT: &str = "playground-editor-ready";

/// Has the editor bundle loaded?
pub fn available() -> bool {
    web_sys::window()
        .and_then(|w| Reflect::get(&w, &"playgroundEditor".into()).ok())
        .is_some_and(|v| v.is_object())
}

/// A diagnostic as the editor shows it: underlined from its line and column to the end of the
/// token there, with a gutter marker, the message on hover, and an optional one-click fix.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub line: usize,
    pub column: usize,
    pub error: bool,
    pub message: String,
    /// The label of a fix; choosing it calls `Handlers::fix` with this mark's index.
    pub fix: Option<String>,
}

/// What the editor asks of the page. Offsets are byte offsets into `text`.
pub struct Handlers {
    /// The user changed the open file's text (not called for text set from Rust).
    pub change: Box<dyn Fn(String)>,
    pub complete: fn(&str, usize) -> Vec<Completion>,
    pub hover: fn(&str, usize) -> Option<Hover>,
    /// `None` when `complete` and `hover` can answer, else a promise settled when they can (the
    /// schema is fetched on first use); the editor waits for it before asking them.
    pub ready: fn() -> Option<js_sys::Promise>,
    /// The fix of mark `index` (of the last `set_marks`) was chosen.
    pub fix: Box<dyn Fn(usize)>,
    /// Ctrl/Cmd+Enter.
    pub apply: Box<dyn Fn()>,
}

/// A live CodeMirror editor. Dropping it destroys the editor.
pub struct CodeMirror {
    js: JsEditor,
    /// The open file's text as the editor holds it, for offset conversions.
    text: Rc<RefCell<String>>,
    _callbacks: Vec<JsValue>,
}

impl CodeMirror {
    /// Creates the editor in `parent`. Only call when [`available`].
    pub fn create(parent: &web_sys::HtmlElement, handlers: Handlers) -> CodeMirror {
        let text = Rc::new(RefCell::new(String::new()));
        let Handlers {
            change,
            complete,
            hover,
            ready,
            fix,
            apply,
        } = handlers;
        let t = text.clone();
        let change = Closure::<dyn Fn(String)>::new(move |new: String| {
            t.borrow_mut().clone_from(&new);
            change(new);
        });
        let t = text.clone();
        let complete = Closure::<dyn Fn(u32) -> Array>::new(move |pos: u32| {
            let text = t.borrow();
            let at = byte_offset(&text, pos);
            complete(&text, at)
                .into_iter()
                .map(|c| {
                    object(&[
                        ("label", c.label.into()),
                        ("detail", c.detail.into()),
                        ("info", c.info.into()),
                        ("apply", c.apply.into()),
                        ("from", utf16_offset(&text, c.from).into()),
                    ])
                })
                .collect()
        });
        let t = text.clone();
        let hover = Closure::<dyn Fn(u32) -> JsValue>::new(move |pos: u32| {
            let text = t.borrow();
            match hover(&text, byte_offset(&text, pos)) {
                Some(h) => object(&[
                    ("path", h.path.into()),
                    ("type", h.type_name.into()),
                    ("description", h.description.into()),
                    ("from", utf16_offset(&text, h.from).into()),
                    ("to", utf16_offset(&text, h.to).into()),
                ])
                .into(),
                None => JsValue::UNDEFINED,
            }
        });
        let ready = Closure::<dyn Fn() -> JsValue>::new(move || {
            ready().map_or(JsValue::UNDEFINED, JsValue::from)
        });
        let fix = Closure::<dyn Fn(u32)>::new(move |i: u32| fix(i as usize));
        let apply = Closure::<dyn Fn()>::new(apply);
        let callbacks: Vec<(&str, JsValue)> = vec![
            ("change", change.into_js_value()),
            ("complete", complete.into_js_value()),
            ("hover", hover.into_js_value()),
            ("ready", ready.into_js_value()),
            ("fix", fix.into_js_value()),
            ("apply", apply.into_js_value()),
        ];
        let js = js_create(parent, &object(&callbacks));
        CodeMirror {
            js,
            text,
            _callbacks: callbacks.into_iter().map(|(_, f)| f).collect(),
        }
    }

    /// Shows file `name` holding `text` (each file keeps its own undo history).
    pub fn open(&self, name: &str, text: &str) {
        text.clone_into(&mut self.text.borrow_mut());
        self.js.open(name, text);
    }

    /// Replaces the open file's text as one undoable change.
    pub fn set_text(&self, text: &str) {
        text.clone_into(&mut self.text.borrow_mut());
        self.js.set_text(text);
    }

    pub fn rename(&self, from: &str, to: &str) {
        self.js.rename(from, to);
    }

    /// Drops a file's editor state (deleted, or reset).
    pub fn forget(&self, name: &str) {
        self.js.forget(name);
    }

    /// Shows the open file's diagnostics.
    pub fn set_marks(&self, marks: &[Mark]) {
        let text = self.text.borrow();
        let list: Array = marks
            .iter()
            .map(|m| {
                let (from, to) = span(&text, m.line, m.column);
                let mut fields = vec![
                    ("from", JsValue::from(from)),
                    ("to", to.into()),
                    ("severity", if m.error { "error" } else { "warning" }.into()),
                    ("message", m.message.as_str().into()),
                ];
                if let Some(fix) = &m.fix {
                    fields.push(("fix", fix.as_str().into()));
                }
                object(&fields)
            })
            .collect();
        self.js.set_diagnostics(&list);
    }

    /// Puts the caret at a 1-based line and column and focuses the editor.
    pub fn reveal(&self, line: usize, column: usize) {
        let pos = span(&self.text.borrow(), line, column).0;
        self.js.reveal(pos);
    }

    pub fn focus(&self) {
        self.js.focus();
    }
}

impl Drop for CodeMirror {
    fn drop(&mut self) {
        self.js.destroy();
    }
}

fn object(fields: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o
}

/// The byte offset of UTF-16 offset `pos` in `text` (clamped to the text, and to a character
/// boundary).
pub fn byte_offset(text: &str, pos: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        if units >= pos {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

/// The UTF-16 offset of byte offset `at` in `text` (clamped).
pub fn utf16_offset(text: &str, at: usize) -> u32 {
    text.char_indices()
        .take_while(|(i, _)| *i < at)
        .map(|(_, c)| c.len_utf16() as u32)
        .sum()
}

/// The UTF-16 range a diagnostic at 1-based `line` and `column` (in characters) underlines:
/// from there to the end of the token (a YAML key, value or indicator run), or to the end of
/// the line when it points at blanks; empty on an empty line. Out-of-range positions clamp to
/// the end of the line or text.
pub fn span(text: &str, line: usize, column: usize) -> (u32, u32) {
    let mut start = 0usize;
    let mut lines = text.split_inclusive('\n');
    let mut this = "";
    for _ in 0..line.max(1) {
        match lines.next() {
            Some(l) => {
                start += this.len();
                this = l;
            }
            None => {
                let end = utf16_offset(text, text.len());
                return (end, end);
            }
        }
    }
    let content = this.trim_end_matches(['\n', '\r']);
    let from = content
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(content.len(), |(i, _)| i);
    let rest = &content[from..];
    let token_end = if rest.starts_with(char::is_whitespace) || rest.is_empty() {
        rest.len()
    } else {
        rest.find(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}')
            .map(|i| rest[..i].strip_suffix(':').map_or(i, |k| k.len()))
            .unwrap_or(rest.trim_end_matches(':').len())
    };
    let token_end = if token_end == 0 {
        rest.len()
    } else {
        token_end
    };
    (
        utf16_offset(text, start + from),
        utf16_offset(text, start + from + token_end),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_convert_between_bytes_and_utf16() {
        let text = "a: é\nb: 😀x";
        // 'é' is 2 bytes / 1 unit, '😀' 4 bytes / 2 units.
        assert_eq!(utf16_offset(text, text.find('x').unwrap()), 10);
        assert_eq!(byte_offset(text, 10), text.find('x').unwrap());
        assert_eq!(byte_offset(text, 9), text.find('😀').unwrap() + 4);
        assert_eq!(byte_offset(text, 100), text.len());
        assert_eq!(utf16_offset(text, 100), 11);
        for (i, _) in text.char_indices() {
            assert_eq!(byte_offset(text, utf16_offset(text, i)), i);
        }
    }

    #[test]
    fn a_diagnostic_underlines_its_token() {
        let text = "spec:\n  replicas: three\n  serviceName: \"mongo\"\n\n  ports: [80, 90]\n";
        let under = |line, column| {
            let (a, b) = span(text, line, column);
            &text[a as usize..b as usize]
        };
        assert_eq!(under(2, 13), "three");
        assert_eq!(under(2, 3), "replicas", "a key without its colon");
        assert_eq!(under(3, 16), "\"mongo\"");
        assert_eq!(under(5, 11), "80");
        assert_eq!(
            under(2, 1),
            "  replicas: three",
            "blanks: to the end of the line"
        );
        assert_eq!(under(4, 1), "", "an empty line");
        assert_eq!(under(1, 40), "", "past the end of the line");
        assert_eq!(span(text, 40, 1), (text.len() as u32, text.len() as u32));
        // Columns count characters; the range is in UTF-16 units.
        let text = "name: é😀 x\n";
        assert_eq!(span(text, 1, 7), (6, 9));
    }
}
