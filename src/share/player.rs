//! The embed's player: starts each line of a scripted session at the instant `kubesim run`
//! would run it (`kubesim::workspace::schedule`) while the page's clock runs, so the demo
//! prints the transcript `kubesim run --check` keeps true. `#` comments become captions.

use kubesim::kubectl::exec::{Output, Shell};
use kubesim::session::Line;
use leptos::prelude::*;

use crate::console::{self, ConsoleLine, LineKind};

/// A scripted session being played (an empty plan when the page has none).
#[derive(Clone, Copy)]
pub struct Player {
    plan: StoredValue<Vec<(u64, Line)>>,
    next: StoredValue<usize>,
    /// The latest `#` comment played, without its `#`.
    pub caption: RwSignal<String>,
}

impl Player {
    /// A player of `script` on `shell`'s cluster and files (none when `script` is None or
    /// does not run).
    pub fn new(script: Option<&str>, shell: &Shell) -> Player {
        let plan = script
            .and_then(|s| {
                kubesim::workspace::schedule(s, shell.cluster().config().clone(), shell.files())
                    .ok()
            })
            .unwrap_or_default();
        Player {
            plan: StoredValue::new(plan),
            next: StoredValue::new(0),
            caption: RwSignal::new(String::new()),
        }
    }

    pub fn is_scripted(&self) -> bool {
        self.plan.with_value(|p| !p.is_empty())
    }

    /// Plays the script again from the start (on a fresh shell the caller made).
    pub fn restart(&self) {
        self.next.set_value(0);
        self.caption.set(String::new());
    }

    /// Runs `shell` up to `until` (as `Shell::poll`), starting every line due by then at its
    /// instant; echoes commands and prints their output into `lines`.
    pub fn poll(&self, shell: &mut Shell, until: u64, lines: RwSignal<Vec<ConsoleLine>>) -> Output {
        let print = |new: Vec<ConsoleLine>| {
            if !new.is_empty() {
                lines.update(|l| {
                    l.extend(new);
                    let excess = l.len().saturating_sub(console::SCROLLBACK);
                    l.drain(..excess);
                });
            }
        };
        loop {
            let due = self.plan.with_value(|p| {
                p.get(self.next.get_value())
                    .filter(|(at, _)| *at <= until)
                    .cloned()
            });
            let Some((at, line)) = due else { break };
            self.next.update_value(|n| *n += 1);
            print(console::output_lines(&shell.poll(at)));
            match line {
                Line::Command(c) => {
                    print(vec![ConsoleLine {
                        text: format!("$ {c}"),
                        kind: LineKind::Command,
                    }]);
                    print(console::output_lines(&shell.start(&c)));
                }
                Line::Text(t) => {
                    let caption = t.trim().trim_start_matches('#').trim();
                    if !caption.is_empty() && !caption.starts_with("cluster:") {
                        self.caption.set(caption.to_string());
                    }
                }
            }
        }
        shell.poll(until)
    }
}

/// The player's caption, beside the cluster view (nothing without a script).
#[component]
pub fn Caption(player: Player) -> impl IntoView {
    move || {
        let text = player.caption.get();
        (!text.is_empty()).then(|| {
            view! {
                <p class="caption" role="status" aria-label=super::t("caption")>{text}</p>
            }
        })
    }
}
