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
    /// Every caption of the script, in order (the preset's guide).
    captions: StoredValue<Vec<String>>,
    /// The latest `#` comment played, without its `#`.
    pub caption: RwSignal<String>,
}

/// A `#` comment line as a caption (None for blank comments and the `# cluster:` header).
fn caption_of(text: &str) -> Option<String> {
    let caption = text.trim().trim_start_matches('#').trim();
    (!caption.is_empty() && !caption.starts_with("cluster:")).then(|| caption.to_string())
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
        let captions = plan
            .iter()
            .filter_map(|(_, l)| match l {
                Line::Text(t) => caption_of(t),
                Line::Command(_) => None,
            })
            .collect();
        Player {
            plan: StoredValue::new(plan),
            next: StoredValue::new(0),
            captions: StoredValue::new(captions),
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

    /// Runs `shell` up to `until` (as `Shell::poll_while`: the rest after the last due line
    /// only while `more()`), starting every line due by then at its instant; echoes commands
    /// and prints their output into `lines`.
    pub fn poll(
        &self,
        shell: &mut Shell,
        until: u64,
        lines: RwSignal<Vec<ConsoleLine>>,
        more: impl FnMut() -> bool,
    ) -> Output {
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
                    if let Some(caption) = caption_of(&t) {
                        self.caption.set(caption);
                    }
                }
            }
        }
        // The rest of the tick within the engine's budget (a scripted line above runs whole).
        shell.poll_while(until, more).0
    }
}

/// The player's caption above the cluster view (nothing without a script). With `guide` (a
/// preset on the full page) every step of the session is listed, the one playing marked, so a
/// first-time visitor sees what is coming and what to watch now.
#[component]
pub fn Caption(player: Player, guide: bool) -> impl IntoView {
    move || {
        let text = player.caption.get();
        if guide && player.is_scripted() {
            let steps = player.captions.get_value();
            let now = steps.iter().position(|c| *c == text);
            return Some(
                view! {
                    <aside class="guide" aria-label=super::t("guide")>
                        <h2>{super::t("guide")}</h2>
                        <ol>
                            {steps
                                .into_iter()
                                .enumerate()
                                .map(|(i, c)| {
                                    let current = Some(i) == now;
                                    view! {
                                        <li class:now=current class:caption=current aria-current=current.then_some("step")>{crate::i18n::caption(&c)}</li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    </aside>
                }
                .into_any(),
            );
        }
        (!text.is_empty()).then(|| {
            view! {
                <p class="caption" role="status" aria-label=super::t("caption")>{crate::i18n::caption(&text)}</p>
            }
            .into_any()
        })
    }
}
