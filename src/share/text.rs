//! The page's own words for the share module, one file per language (`lang/*.txt`, `key =
//! text` lines). The language comes from the embed's `lang=` option, else the browser's
//! language; English fills any key a language lacks. Other modules can adopt the mechanism:
//! add their keys to every file and call [`t`].

use std::cell::OnceCell;

/// Every language: its code prefix and its strings file.
const LANGUAGES: &[(&str, &str)] = &[
    ("en", include_str!("lang/en.txt")),
    ("zh", include_str!("lang/zh.txt")),
];

/// The text of `key` in `file` (`key = text` lines, `#` comments).
pub fn find<'a>(file: &'a str, key: &str) -> Option<&'a str> {
    file.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.trim())
}

/// The language to use for a requested one (`zh-CN`, `zh`, `en-US`...): its strings file.
pub fn language(requested: &str) -> &'static str {
    let code = requested
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    LANGUAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(LANGUAGES[0].1, |(_, f)| f)
}

thread_local! {
    static CURRENT: OnceCell<&'static str> = const { OnceCell::new() };
}

fn current() -> &'static str {
    CURRENT.with(|c| {
        *c.get_or_init(|| {
            let requested = super::boot()
                .lang
                .or_else(|| web_sys::window().and_then(|w| w.navigator().language()))
                .unwrap_or_default();
            language(&requested)
        })
    })
}

/// `key` in the page's language (English when the language lacks it, the key when both do).
pub fn t(key: &'static str) -> &'static str {
    find(current(), key)
        .or_else(|| find(LANGUAGES[0].1, key))
        .unwrap_or(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_english_key() {
        let keys: Vec<&str> = LANGUAGES[0]
            .1
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k))
            .collect();
        assert!(keys.len() > 20);
        for (code, file) in LANGUAGES {
            for k in &keys {
                assert!(find(file, k).is_some(), "{code} lacks {k}");
            }
        }
        assert_eq!(find(language("zh-CN"), "share"), Some("分享"));
        assert_eq!(find(language("fr"), "share"), Some("Share"));
    }
}
