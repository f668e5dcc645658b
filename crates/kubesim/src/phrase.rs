//! The engine's own sentences (why a StatefulSet is not done, the editor's cross-object hints,
//! the cluster view's notes) as a key and arguments, so the page can say them in its language.
//! The English templates are `phrase/en.txt` (`key = text` lines, `{0}`, `{1}`... for the
//! arguments); `Display` renders a phrase in English (the CLI, the tests), and the page renders
//! it from its own language file with [`Phrase::render`]. What Kubernetes itself says (event
//! messages, the scheduler's reasons, kubectl's errors) travels as a plain-text argument and is
//! never translated.

use std::fmt;

/// The English templates of every phrase key.
pub const EN: &str = include_str!("phrase/en.txt");

/// The text of `key` in a `key = text` file (`#` comments).
pub fn find<'a>(file: &'a str, key: &str) -> Option<&'a str> {
    file.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.trim())
}

/// The keys of a `key = text` file, in order.
pub fn keys(file: &str) -> impl Iterator<Item = &str> {
    file.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim()))
}

/// One argument of a phrase: words from the cluster (names, numbers, Kubernetes' own
/// messages), or another phrase.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Arg {
    Text(String),
    Phrase(Box<Phrase>),
}

/// A sentence in the engine's words: a key of `phrase/en.txt` and its arguments.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Phrase {
    pub key: &'static str,
    pub args: Vec<Arg>,
}

impl Phrase {
    /// A phrase of `key` (which `phrase/en.txt` must have) with text arguments.
    pub fn new<I: IntoIterator<Item = S>, S: ToString>(key: &'static str, args: I) -> Phrase {
        debug_assert!(find(EN, key).is_some(), "phrase/en.txt lacks {key}");
        Phrase::new_unchecked(key, args)
    }

    /// A phrase whose key is in another file (the page's own words).
    pub fn new_unchecked<I: IntoIterator<Item = S>, S: ToString>(
        key: &'static str,
        args: I,
    ) -> Phrase {
        Phrase {
            key,
            args: args.into_iter().map(|a| Arg::Text(a.to_string())).collect(),
        }
    }

    /// A phrase without arguments.
    pub fn of(key: &'static str) -> Phrase {
        Phrase::new(key, [""; 0])
    }

    /// Kubernetes' own words (an event message...), shown as they are in every language.
    pub fn verbatim(text: impl Into<String>) -> Phrase {
        Phrase {
            key: "verbatim",
            args: vec![Arg::Text(text.into())],
        }
    }

    /// Adds a phrase as the next argument.
    pub fn with(mut self, p: Phrase) -> Phrase {
        self.args.push(Arg::Phrase(Box::new(p)));
        self
    }

    /// The phrase with templates from `lookup` (a language's file), English where it has none.
    pub fn render(&self, lookup: &dyn Fn(&str) -> Option<&'static str>) -> String {
        let template = lookup(self.key)
            .or_else(|| find(EN, self.key))
            .unwrap_or(self.key);
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let index = after
                .find('}')
                .and_then(|j| after[..j].parse::<usize>().ok().map(|n| (n, j)));
            match index {
                Some((n, j)) => {
                    match self.args.get(n) {
                        Some(Arg::Text(t)) => out.push_str(t),
                        Some(Arg::Phrase(p)) => out.push_str(&p.render(lookup)),
                        None => {}
                    }
                    rest = &after[j + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

impl fmt::Display for Phrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&|_| None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_render_their_arguments_in_english_and_from_a_language_file() {
        let p = Phrase::new("why.pod-terminating", ["web-1"]);
        assert_eq!(p.to_string(), "web-1 is terminating");
        let nested = Phrase::new("why.rolling-waits", ["web-7d9"]).with(p.clone());
        assert_eq!(
            nested.to_string(),
            "rolling update to web-7d9 waits: web-1 is terminating"
        );
        let zh = "why.pod-terminating = {0} 正在终止\n";
        let zh_lookup = |k: &str| find(zh, k).map(|s| -> &'static str { s.to_string().leak() });
        assert_eq!(p.render(&zh_lookup), "web-1 正在终止");
        // A key the language lacks falls back to English; Kubernetes' words stay as they are.
        assert_eq!(
            nested.render(&zh_lookup),
            "rolling update to web-7d9 waits: web-1 正在终止"
        );
        assert_eq!(
            Phrase::verbatim("0/1 nodes are available").render(&zh_lookup),
            "0/1 nodes are available"
        );
        // Every template's placeholders are {0}..{9} (no stray braces).
        for k in keys(EN) {
            let t = find(EN, k).unwrap();
            assert_eq!(t.matches('{').count(), t.matches('}').count(), "{k}");
        }
    }
}
