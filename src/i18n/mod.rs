//! The page's own words, one file per language (`lang/*.txt`, `key = text` lines): labels,
//! buttons, headings, aria-labels, tooltips, notes, legends, captions, and the translations
//! of the engine's phrases (`kubesim::phrase`: why-sentences, the editor's hints, the view's
//! notes; their English is the engine's `phrase/en.txt`). kubectl's output and the API
//! server's messages are never here: they stay as Kubernetes prints them.
//!
//! English is compiled in. Another language is fetched from `lang/CODE.txt` next to the page
//! (Trunk copies the directory) by `share::prepare` before the app mounts, only when the
//! embed's `lang=` option or the browser's language asks for it: a third language is its
//! file plus its code in [`LANGUAGES`]. A key a language lacks is said in English.

use std::cell::Cell;
use std::collections::HashMap;

use kubesim::phrase::Phrase;

/// The page's English words.
const EN: &str = include_str!("lang/en.txt");

/// The languages besides English that have a file in `lang/`.
pub const LANGUAGES: &[&str] = &["zh"];

/// A language file indexed by key, built once: the view asks for words on every redraw (the
/// sets and DNS lists each clock tick), which a scan of the file per word would repeat.
type Words = HashMap<&'static str, &'static str>;

fn index(file: &'static str) -> &'static Words {
    let mut words = Words::new();
    // read as `phrase::find` reads it: the first line of a key wins
    for (k, v) in file
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
    {
        words.entry(k.trim()).or_insert(v.trim());
    }
    Box::leak(Box::new(words))
}

thread_local! {
    static ENGLISH: &'static Words = index(EN);
    static CURRENT: Cell<Option<&'static Words>> = const { Cell::new(None) };
}

fn english(key: &str) -> Option<&'static str> {
    ENGLISH.with(|w| w.get(key).copied())
}

/// The language code for a requested one (`zh-CN`, `zh`, `en-US`...), when it is not English
/// and has a file: what to fetch as `lang/CODE.txt`.
pub fn wanted(requested: &str) -> Option<&'static str> {
    let code = requested
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    LANGUAGES.iter().copied().find(|c| *c == code)
}

/// The language the browser asks for (`navigator.language`).
pub fn browser_language() -> Option<String> {
    web_sys::window().and_then(|w| w.navigator().language())
}

/// Use `file` (a language's `key = text` lines) for the page's words from now on; `code`
/// goes on the document's `lang` attribute.
pub fn set(code: &str, file: String) {
    CURRENT.with(|c| c.set(Some(index(Box::leak(file.into_boxed_str())))));
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", code);
    }
}

fn lookup(key: &str) -> Option<&'static str> {
    CURRENT.with(|c| c.get()).and_then(|w| w.get(key).copied())
}

/// `key` in the page's language (English when the language lacks it, the key when both do).
pub fn t(key: &'static str) -> &'static str {
    lookup(key).or_else(|| english(key)).unwrap_or(key)
}

/// `key` in the page's language, else `english` (a sentence the engine keeps as a constant).
pub fn t_or(key: &'static str, english: &'static str) -> &'static str {
    lookup(key).unwrap_or(english)
}

/// `key`'s text with `{0}`, `{1}`... replaced by `args`.
pub fn tf(key: &'static str, args: &[&dyn std::fmt::Display]) -> String {
    Phrase::new_unchecked(key, args.iter().map(|a| a.to_string()))
        .render(&|k| lookup(k).or_else(|| english(k)))
}

/// A pod's state in words (Kubernetes' own status words stay as they are).
pub fn state_label(state: kubesim::overview::PodState) -> &'static str {
    use kubesim::overview::PodState;
    match state {
        PodState::Absent => t("state.absent"),
        PodState::Running => t("state.running"),
        other => other.label(),
    }
}

/// A diagnostic's message in the page's language: the playground's own hints translated,
/// the parser's and the API server's words as they are.
pub fn diagnostic(d: &kubesim::manifest::Diagnostic) -> String {
    d.phrase.as_ref().map_or_else(|| d.message.clone(), say)
}

/// The key of a session's caption (a `#` comment) in a language file: `caption.` and the
/// FNV-1a hash of its English text (8 hex digits), so a preset's guide is translated by adding
/// lines to the language file, without touching the session that `kubesim run --check` keeps.
pub fn caption_key(text: &str) -> String {
    let hash = text.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    format!("caption.{hash:08x}")
}

/// A session's caption in the page's language (as written when the language has none).
pub fn caption(text: &str) -> String {
    lookup(&caption_key(text)).map_or_else(|| text.to_string(), str::to_string)
}

/// One of the engine's phrases in the page's language.
pub fn say(p: &Phrase) -> String {
    p.render(&lookup)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubesim::phrase;

    /// Every language file in `lang/` has every key of the page's English and of the engine's
    /// phrases, with the same `{N}` placeholders.
    #[test]
    fn every_language_has_every_key() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/i18n/lang");
        let english: Vec<(&str, &str)> = phrase::keys(EN)
            .map(|k| (k, phrase::find(EN, k).unwrap()))
            .chain(phrase::keys(phrase::EN).map(|k| (k, phrase::find(phrase::EN, k).unwrap())))
            .collect();
        assert!(english.len() > 150, "{}", english.len());
        let placeholders = |t: &str| {
            let mut p: Vec<String> = (0..10)
                .map(|i| format!("{{{i}}}"))
                .filter(|p| t.contains(p.as_str()))
                .collect();
            p.sort();
            p
        };
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let code = path.file_stem().unwrap().to_str().unwrap().to_string();
            if code == "en" {
                continue;
            }
            assert!(
                LANGUAGES.contains(&code.as_str()),
                "{code} is not in LANGUAGES"
            );
            let file = std::fs::read_to_string(&path).unwrap();
            for (k, en) in &english {
                let text = phrase::find(&file, k).unwrap_or_else(|| panic!("{code} lacks {k}"));
                assert_eq!(placeholders(text), placeholders(en), "{code}: {k}");
            }
            seen += 1;
        }
        assert_eq!(seen, LANGUAGES.len());
    }

    /// Every caption of the presets (their *What to watch* guide) has its translation.
    #[test]
    fn every_language_translates_the_presets_captions() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut captions = Vec::new();
        for entry in std::fs::read_dir(root.join("examples/presets")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "session") {
                let text = std::fs::read_to_string(&path).unwrap();
                captions.extend(
                    text.lines()
                        .filter(|l| l.starts_with('#'))
                        .map(|l| l.trim_start_matches('#').trim().to_string())
                        .filter(|c| !c.is_empty() && !c.starts_with("cluster:")),
                );
            }
        }
        assert!(captions.len() > 20);
        assert_eq!(
            caption_key(
                "Ordered creation: web-0 must be Running and Ready before web-1 is created."
            ),
            "caption.c2ef0af8"
        );
        for code in LANGUAGES {
            let file =
                std::fs::read_to_string(root.join(format!("src/i18n/lang/{code}.txt"))).unwrap();
            for c in &captions {
                assert!(
                    phrase::find(&file, &caption_key(c)).is_some(),
                    "{code} lacks {} = {c}",
                    caption_key(c)
                );
            }
        }
        assert_eq!(wanted("zh-CN"), Some("zh"));
        assert_eq!(wanted("en-US"), None);
        assert_eq!(wanted("fr"), None);
    }
}
