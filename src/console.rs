//! The console: a terminal-like pane where a person types kubectl (and `nslookup`, `dig`,
//! `sleep`) and reads exactly what kubectl prints. The interpreter is `kubesim::kubectl::exec`;
//! this file only handles keys, history, completion and scrolling.

use crate::i18n::t;
use kubesim::kubectl::exec::{Output, Stream};
use leptos::prelude::*;
use web_sys::KeyboardEvent;

/// One line of the console's scrollback.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleLine {
    pub text: String,
    pub kind: LineKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// An echoed `$ command`.
    Command,
    Stdout,
    Stderr,
}

impl LineKind {
    fn class(self) -> &'static str {
        match self {
            LineKind::Command => "cmd",
            LineKind::Stdout => "out",
            LineKind::Stderr => "err",
        }
    }
}

/// Most lines kept in the scrollback.
pub const SCROLLBACK: usize = 5000;

/// Most commands kept in the ↑/↓ history (bash's default `HISTSIZE` is 500).
pub const HISTORY: usize = 1000;

/// Splits an interpreter output into console lines, keeping stdout and stderr in order.
pub fn output_lines(output: &Output) -> Vec<ConsoleLine> {
    let mut lines = Vec::new();
    for (stream, text) in &output.chunks {
        let kind = match stream {
            Stream::Stdout => LineKind::Stdout,
            Stream::Stderr => LineKind::Stderr,
        };
        for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
            lines.push(ConsoleLine {
                text: line.to_string(),
                kind,
            });
        }
    }
    lines
}

/// What Tab does with the typed line and the interpreter's candidates for its last word: the
/// new line, and the candidates to list when Tab cannot decide.
pub fn complete(line: &str, candidates: &[String]) -> (String, Vec<String>) {
    let partial_start = line.rfind(' ').map_or(0, |i| i + 1);
    let (head, partial) = line.split_at(partial_start);
    match candidates {
        [] => (line.to_string(), Vec::new()),
        [only] => (format!("{head}{only} "), Vec::new()),
        many => {
            let mut prefix = many[0].clone();
            for c in &many[1..] {
                let common = prefix
                    .chars()
                    .zip(c.chars())
                    .take_while(|(a, b)| a == b)
                    .count();
                prefix = prefix.chars().take(common).collect();
            }
            if prefix.len() > partial.len() {
                (format!("{head}{prefix}"), Vec::new())
            } else {
                (line.to_string(), many.to_vec())
            }
        }
    }
}

/// Command history with Up/Down navigation, like a shell's.
#[derive(Clone, Debug, Default)]
pub struct History {
    entries: Vec<String>,
    /// Position while navigating; `entries.len()` = the line being typed.
    cursor: usize,
    draft: String,
}

impl History {
    pub fn push(&mut self, line: &str) {
        if !line.trim().is_empty() && self.entries.last().map(String::as_str) != Some(line) {
            self.entries.push(line.to_string());
            if self.entries.len() > HISTORY {
                self.entries.drain(..self.entries.len() - HISTORY);
            }
        }
        self.cursor = self.entries.len();
        self.draft.clear();
    }

    /// Up: the previous entry (keeping what was typed, to come back to).
    pub fn up(&mut self, typed: &str) -> Option<String> {
        if self.cursor == self.entries.len() {
            self.draft = typed.to_string();
        }
        let previous = self.cursor.checked_sub(1)?;
        self.cursor = previous;
        Some(self.entries[previous].clone())
    }

    /// Down: the next entry, or back to what was being typed.
    pub fn down(&mut self) -> Option<String> {
        if self.cursor >= self.entries.len() {
            return None;
        }
        self.cursor += 1;
        Some(
            self.entries
                .get(self.cursor)
                .cloned()
                .unwrap_or_else(|| self.draft.clone()),
        )
    }
}

/// What the console asks of the page: run a line, interrupt, complete.
#[derive(Clone, Copy)]
pub struct ConsoleActions {
    pub run: Callback<String>,
    pub cancel: Callback<()>,
    pub completions: Callback<String, Vec<String>>,
}

#[component]
pub fn Console(
    lines: RwSignal<Vec<ConsoleLine>>,
    running: Signal<bool>,
    actions: ConsoleActions,
) -> impl IntoView {
    let input = RwSignal::new(String::new());
    let history = StoredValue::new(History::default());
    let scroller = NodeRef::<leptos::html::Pre>::new();
    let field = NodeRef::<leptos::html::Input>::new();

    // Keep the newest output in view.
    Effect::new(move |_| {
        lines.track();
        if let Some(pre) = scroller.get() {
            pre.set_scroll_top(pre.scroll_height());
        }
    });

    let on_key = move |ev: KeyboardEvent| {
        let key = ev.key();
        let ctrl = ev.ctrl_key() || ev.meta_key();
        match key.as_str() {
            "Enter" => {
                ev.prevent_default();
                let line = input.get_untracked();
                history.update_value(|h| h.push(&line));
                input.set(String::new());
                actions.run.run(line);
            }
            "ArrowUp" => {
                ev.prevent_default();
                let typed = input.get_untracked();
                if let Some(l) = history.try_update_value(|h| h.up(&typed)).flatten() {
                    input.set(l);
                }
            }
            "ArrowDown" => {
                ev.prevent_default();
                if let Some(l) = history.try_update_value(|h| h.down()).flatten() {
                    input.set(l);
                }
            }
            "Tab" => {
                ev.prevent_default();
                let line = input.get_untracked();
                let candidates = actions.completions.run(line.clone());
                let (new_line, listing) = complete(&line, &candidates);
                if !listing.is_empty() {
                    lines.update(|l| {
                        l.push(ConsoleLine {
                            text: format!("$ {line}"),
                            kind: LineKind::Command,
                        });
                        l.push(ConsoleLine {
                            text: listing.join("  "),
                            kind: LineKind::Stdout,
                        });
                    });
                }
                input.set(new_line);
            }
            "c" | "C" if ctrl => {
                // Copy still works when text is selected; otherwise Ctrl+C interrupts.
                let selected = web_sys::window()
                    .and_then(|w| w.get_selection().ok().flatten())
                    .map(|s| !s.is_collapsed())
                    .unwrap_or(false);
                if !selected {
                    ev.prevent_default();
                    let line = input.get_untracked();
                    lines.update(|l| {
                        l.push(ConsoleLine {
                            text: format!("$ {line}^C"),
                            kind: LineKind::Command,
                        })
                    });
                    input.set(String::new());
                    actions.cancel.run(());
                }
            }
            "l" | "L" if ctrl => {
                ev.prevent_default();
                lines.set(Vec::new());
            }
            _ => {}
        }
    };

    view! {
        <div class="console" on:click=move |_| {
            if let Some(f) = field.get_untracked() {
                let _ = f.focus();
            }
        }>
            // Focusable: a long output scrolls, and keyboard users must reach it (axe-core's
            // scrollable-region-focusable).
            <pre class="console-output" node_ref=scroller tabindex="0">
                {move || {
                    lines
                        .get()
                        .into_iter()
                        .map(|l| view! { <div class=l.kind.class()>{l.text}</div> })
                        .collect_view()
                }}
            </pre>
            <div class="console-input-row" class:running=move || running.get()>
                <span class="prompt">"$ "</span>
                <input
                    class="console-input"
                    node_ref=field
                    spellcheck="false"
                    autocomplete="off"
                    placeholder=move || {
                        if running.get() {
                            t("console.running")
                        } else {
                            t("console.placeholder")
                        }
                    }
                    prop:value=move || input.get()
                    on:input=move |ev| input.set(event_target_value(&ev))
                    on:keydown=on_key
                />
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn tab_completes_a_single_candidate_and_extends_a_common_prefix() {
        assert_eq!(
            complete(
                "kubectl get st",
                &strings(&["statefulset", "statefulsets", "storageclass"])
            ),
            (
                "kubectl get st".to_string(),
                strings(&["statefulset", "statefulsets", "storageclass"])
            )
        );
        assert_eq!(
            complete(
                "kubectl get stat",
                &strings(&["statefulset", "statefulsets"])
            ),
            ("kubectl get statefulset".to_string(), vec![])
        );
        assert_eq!(
            complete("kubectl sc", &strings(&["scale"])),
            ("kubectl scale ".to_string(), vec![])
        );
        assert_eq!(
            complete("kubectl x", &[]),
            ("kubectl x".to_string(), vec![])
        );
    }

    #[test]
    fn history_walks_back_and_returns_to_the_draft() {
        let mut h = History::default();
        h.push("kubectl get pods");
        h.push("kubectl get pvc");
        h.push("kubectl get pvc");
        assert_eq!(h.up("kubectl ge").as_deref(), Some("kubectl get pvc"));
        assert_eq!(h.up("").as_deref(), Some("kubectl get pods"));
        assert_eq!(h.up(""), None, "no older entry");
        assert_eq!(h.down().as_deref(), Some("kubectl get pvc"));
        assert_eq!(h.down().as_deref(), Some("kubectl ge"), "back to the draft");
        assert_eq!(h.down(), None);
    }

    #[test]
    fn history_keeps_the_newest_entries_only() {
        let mut h = History::default();
        for i in 0..HISTORY + 5 {
            h.push(&format!("sleep {i}"));
        }
        let mut oldest = None;
        while let Some(e) = h.up("") {
            oldest = Some(e);
        }
        assert_eq!(oldest.as_deref(), Some("sleep 5"));
    }

    #[test]
    fn output_keeps_stderr_and_stdout_in_order() {
        let out = Output {
            chunks: vec![
                (
                    Stream::Stderr,
                    "Warning: v1 Endpoints is deprecated\n".into(),
                ),
                (
                    Stream::Stdout,
                    "NAME    ENDPOINTS\nmongo   10.244.1.2:27017\n".into(),
                ),
            ],
            exit_code: 0,
            running: false,
        };
        let lines = output_lines(&out);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].kind, LineKind::Stderr);
        assert_eq!(lines[2].text, "mongo   10.244.1.2:27017");
    }
}
