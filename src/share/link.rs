//! What a page's address asks for, read without the browser (unit-tested natively): the
//! fragment of a shared link (`#v1:<base64url(deflate-raw(bundle JSON))>`, or `#file` for a
//! workspace opened from a file) and the embed options of the query string
//! (`?embed=1&panes=view,console&tab=...&theme=dark&speed=4&autoplay=1&readonly=1&session=...`).

use crate::i18n::{t, tf};

/// The fragment prefix of a format-1 link.
pub const LINK_PREFIX: &str = "v1:";
/// Longest fragment the page reads (characters), checked before anything is decoded.
pub const MAX_FRAGMENT: usize = 32 * 1024;
/// Longest fragment the Share button puts in a link; past it the page offers a file instead.
pub const SHARE_LIMIT: usize = 8 * 1024;
/// Longest session an embed plays (bytes), inline or fetched.
pub const MAX_SCRIPT_BYTES: usize = 64 * 1024;

/// What the fragment asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fragment {
    /// No fragment: the visitor's own work.
    None,
    /// A packed workspace (the base64url text after `v1:`).
    Packed(String),
    /// The workspace last opened from a file (kept in local storage).
    File,
    /// Something the page cannot read; the sentence says why.
    Refused(String),
}

/// Reads `location.hash` (with or without its `#`).
pub fn parse_fragment(hash: &str) -> Fragment {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    if hash.is_empty() {
        return Fragment::None;
    }
    if hash.len() > MAX_FRAGMENT {
        return Fragment::Refused(tf(
            "link-too-long",
            &[&(hash.len() / 1024), &(MAX_FRAGMENT / 1024)],
        ));
    }
    if hash == "file" {
        return Fragment::File;
    }
    match hash.strip_prefix(LINK_PREFIX) {
        Some(packed) if !packed.is_empty() => Fragment::Packed(packed.to_string()),
        _ => match hash.split_once(':') {
            Some((v, _)) if v.starts_with('v') && v[1..].chars().all(|c| c.is_ascii_digit()) => {
                Fragment::Refused(tf("link-newer", &[&v]))
            }
            _ => Fragment::Refused(t("link-not-workspace").into()),
        },
    }
}

/// A pane of the page. `View` is the whole cluster view (its lifecycle timeline included, as
/// links made before `Timeline` existed meant); `Timeline` alone is the lifecycle timeline with
/// the clock, and beside `View` it moves the timeline to the top of the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Editor,
    View,
    Timeline,
    Console,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Editor, Pane::View, Pane::Timeline, Pane::Console];

    pub fn name(self) -> &'static str {
        match self {
            Pane::Editor => "editor",
            Pane::View => "view",
            Pane::Timeline => "timeline",
            Pane::Console => "console",
        }
    }

    fn from_name(name: &str) -> Option<Pane> {
        Pane::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// Where an embed's scripted session comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Script {
    /// The session text itself, in the address.
    Inline(String),
    /// A file next to the page (a relative path, fetched from the page's own origin).
    File(String),
}

/// The embed options of a page address.
#[derive(Clone, Debug, PartialEq)]
pub struct Embed {
    pub panes: Vec<Pane>,
    pub tab: Option<String>,
    pub dark: bool,
    pub speed: Option<f64>,
    pub autoplay: bool,
    pub readonly: bool,
    pub script: Option<Script>,
    pub lang: Option<String>,
}

impl Default for Embed {
    fn default() -> Self {
        Embed {
            panes: vec![Pane::View, Pane::Console],
            tab: None,
            dark: true,
            speed: None,
            autoplay: true,
            readonly: false,
            script: None,
            lang: None,
        }
    }
}

/// Percent-decoding of one query value (`+` is a space); invalid escapes stay as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encoding of one query value (everything but unreserved characters).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/' | b',') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn flag(v: &str) -> bool {
    matches!(v, "1" | "true" | "yes" | "")
}

/// A relative path to a file next to the page, or None (absolute URLs, `//host`, schemes).
fn relative_path(path: &str) -> Option<String> {
    let ok = !path.is_empty()
        && path.len() <= 200
        && !path.starts_with('/')
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'));
    ok.then(|| path.to_string())
}

/// Reads `location.search`; None unless `embed` is on. Unknown or bad values are ignored
/// (the defaults stay), except a session that is neither text nor a relative path: `Err`.
pub fn parse_embed(search: &str) -> Result<Option<Embed>, String> {
    let (embed, e) = parse_query(search)?;
    Ok(embed.then_some(e))
}

/// The session a page address asks to play (`session=`), embedded or not (a preset opens
/// the full page with `?session=presets/NAME.session`).
pub fn parse_script(search: &str) -> Result<Option<Script>, String> {
    Ok(parse_query(search)?.1.script)
}

/// Every option of the query, and whether `embed` is on.
pub fn parse_query(search: &str) -> Result<(bool, Embed), String> {
    let query = search.strip_prefix('?').unwrap_or(search);
    let pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .take(32)
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    let embed = pairs.iter().any(|(k, v)| k == "embed" && flag(v));
    let mut e = Embed::default();
    for (k, v) in pairs {
        match k.as_str() {
            "panes" => {
                let panes: Vec<Pane> = v.split(',').filter_map(Pane::from_name).collect();
                if !panes.is_empty() {
                    e.panes = panes;
                }
            }
            "tab" => e.tab = Some(v),
            "theme" => e.dark = v != "light",
            "speed" => {
                e.speed = v.parse().ok().filter(|s| {
                    (kubesim::workspace::MIN_SPEED..=kubesim::workspace::MAX_SPEED).contains(s)
                })
            }
            "autoplay" => e.autoplay = flag(&v),
            "readonly" => e.readonly = flag(&v),
            "lang" => e.lang = Some(v),
            "session" => {
                if v.len() > MAX_SCRIPT_BYTES {
                    return Err(format!(
                        "the embedded session is more than {} KB",
                        MAX_SCRIPT_BYTES / 1024
                    ));
                }
                e.script = Some(
                    if v.contains('\n') || v.starts_with('$') || v.starts_with('#') {
                        Script::Inline(v)
                    } else {
                        Script::File(
                            relative_path(&v)
                                .ok_or_else(|| tf("link-bad-session", &[&format!("{v:.60}")]))?,
                        )
                    },
                );
            }
            _ => {}
        }
    }
    Ok((embed, e))
}

impl Embed {
    /// The query string (with `?`) that asks for these options.
    pub fn to_query(&self) -> String {
        let mut q = vec![
            "embed=1".to_string(),
            format!(
                "panes={}",
                self.panes
                    .iter()
                    .map(|p| p.name())
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            format!("theme={}", if self.dark { "dark" } else { "light" }),
        ];
        if let Some(tab) = &self.tab {
            q.push(format!("tab={}", percent_encode(tab)));
        }
        if let Some(s) = self.speed {
            q.push(format!("speed={s}"));
        }
        q.push(format!("autoplay={}", u8::from(self.autoplay)));
        if self.readonly {
            q.push("readonly=1".into());
        }
        if let Some(lang) = &self.lang {
            q.push(format!("lang={}", percent_encode(lang)));
        }
        match &self.script {
            Some(Script::Inline(s)) | Some(Script::File(s)) => {
                q.push(format!("session={}", percent_encode(s)))
            }
            None => {}
        }
        format!("?{}", q.join("&"))
    }
}

/// The HTML snippet a docs author pastes: an iframe of the page at `page_url` with `embed`'s
/// options and (optionally) a shared workspace's fragment. Attribute values are escaped.
pub fn iframe_snippet(page_url: &str, embed: &Embed, fragment: Option<&str>) -> String {
    let base = page_url.split(['?', '#']).next().unwrap_or(page_url);
    let src = format!(
        "{base}{}{}",
        embed.to_query(),
        fragment.map(|f| format!("#{f}")).unwrap_or_default()
    );
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
    };
    format!(
        "<iframe src=\"{}\" title=\"StatefulSet Playground\" width=\"700\" height=\"500\" style=\"border:1px solid #263140;border-radius:6px\" loading=\"lazy\"></iframe>",
        esc(&src)
    )
}

/// A 32-bit FNV-1a hash in hex: names the local-storage space of a shared workspace.
pub fn short_hash(text: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_are_read_or_refused_with_a_reason() {
        assert_eq!(parse_fragment(""), Fragment::None);
        assert_eq!(parse_fragment("#"), Fragment::None);
        assert_eq!(
            parse_fragment("#v1:abc_-"),
            Fragment::Packed("abc_-".into())
        );
        assert_eq!(parse_fragment("#file"), Fragment::File);
        assert!(matches!(parse_fragment("#v2:abc"), Fragment::Refused(m) if m.contains("newer")));
        assert!(
            matches!(parse_fragment("#<script>alert(1)</script>"), Fragment::Refused(m) if m.contains("not a playground"))
        );
        let long = format!("#v1:{}", "A".repeat(MAX_FRAGMENT));
        assert!(matches!(parse_fragment(&long), Fragment::Refused(m) if m.contains("32 KB")));
    }

    #[test]
    fn embed_options_round_trip_through_the_query() {
        assert_eq!(parse_embed("?tab=x").unwrap(), None);
        assert_eq!(
            parse_script("?session=presets/kafka.session").unwrap(),
            Some(Script::File("presets/kafka.session".into()))
        );
        let e = parse_embed(
            "?embed=1&panes=view,console&tab=web.yaml&theme=light&speed=0.5&autoplay=1&readonly=1&session=sessions/web.session",
        )
        .unwrap()
        .unwrap();
        assert_eq!(e.panes, [Pane::View, Pane::Console]);
        let t = parse_embed("?embed=1&panes=view,timeline,nope")
            .unwrap()
            .unwrap();
        assert_eq!(t.panes, [Pane::View, Pane::Timeline]);
        assert!(
            t.to_query().contains("panes=view,timeline&"),
            "{}",
            t.to_query()
        );
        assert_eq!(
            (e.tab.as_deref(), e.dark, e.speed, e.autoplay, e.readonly),
            (Some("web.yaml"), false, Some(0.5), true, true)
        );
        assert_eq!(e.script, Some(Script::File("sessions/web.session".into())));
        assert_eq!(parse_embed(&e.to_query()).unwrap().unwrap(), e);
        let inline = parse_embed("?embed=1&session=%23%20hi%0A%24%20kubectl%20get%20pods")
            .unwrap()
            .unwrap();
        assert_eq!(
            inline.script,
            Some(Script::Inline("# hi\n$ kubectl get pods".into()))
        );
        assert_eq!(parse_embed(&inline.to_query()).unwrap().unwrap(), inline);
        for bad in [
            "https://evil.example/x.session",
            "//evil.example/x",
            "/etc/passwd",
        ] {
            assert!(parse_embed(&format!("?embed=1&session={}", percent_encode(bad))).is_err());
        }
    }

    #[test]
    fn the_snippet_escapes_its_attribute() {
        let e = Embed {
            script: Some(Script::Inline("$ kubectl get pods\n".into())),
            ..Embed::default()
        };
        let s = iframe_snippet("https://x.test/play/?a=1#old", &e, Some("v1:abc"));
        assert!(s.starts_with("<iframe src=\"https://x.test/play/?embed=1&amp;panes=view,console&amp;theme=dark&amp;autoplay=1&amp;session=%24%20kubectl%20get%20pods%0A#v1:abc\""), "{s}");
        assert_eq!(percent_decode("a%2Gb%"), "a%2Gb%");
        assert_eq!(percent_decode("%é%41"), "%éA");
    }
}
