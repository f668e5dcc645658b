//! STAND-IN, to be deleted when the `schema` branch is merged: the engine's schema completion
//! and hover (`kubesim::schema`) and cross-object hints with quick fixes (`kubesim::hints`),
//! with the exact signatures that branch provides, returning nothing. To swap: in
//! `editor/mod.rs` use `kubesim::hints::{self, Fix}` and `kubesim::schema`, in `codemirror.rs`
//! `kubesim::schema::{Completion, Hover}`; drop `mod schema_stub;` and this file; drop `todo`
//! from the two tests in tests/e2e/editor.test.mjs that name the schema branch (both pass
//! against it: checked on a trial merge of `schema` at 773ce61).

pub mod schema {
    /// A completion at the cursor (offsets are byte offsets into the text).
    #[derive(Clone, Debug, PartialEq)]
    pub struct Completion {
        pub label: String,
        /// The field's type.
        pub detail: String,
        /// The first sentence of its description.
        pub info: String,
        /// The text that replaces `from..cursor`.
        pub apply: String,
        /// Byte offset where the replaced word starts.
        pub from: usize,
    }

    /// What a key means: its path, type and description, over `from..to` (bytes).
    #[derive(Clone, Debug, PartialEq)]
    pub struct Hover {
        pub path: String,
        pub type_name: String,
        pub description: String,
        pub from: usize,
        pub to: usize,
    }

    pub fn complete(_text: &str, _offset: usize) -> Vec<Completion> {
        Vec::new()
    }

    pub fn hover(_text: &str, _offset: usize) -> Option<Hover> {
        None
    }
}

pub mod hints {
    use kubesim::manifest::Diagnostic;

    /// A one-click fix: its label and the whole file's new text.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Fix {
        pub label: String,
        pub text: String,
    }

    /// Cross-object hints and removed apiVersions over the whole file set: (file, diagnostic,
    /// optional fix).
    pub fn diagnostics(_files: &[(&str, &str)]) -> Vec<(String, Diagnostic, Option<Fix>)> {
        Vec::new()
    }
}
