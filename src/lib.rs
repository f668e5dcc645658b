//! The StatefulSet Playground's web shell (Leptos, client-side rendered).
//!
//! The shell only renders engine state and sends the engine commands; everything that models
//! Kubernetes lives in the `kubesim` crate. Browser-only concerns stay here: the DOM, local
//! storage for the user's edits, and the gloo timer that drives the simulated clock. A module
//! per pane (`editor`, `console`, `cluster_view`); the files model is `state`.

mod cluster_view;
pub mod console;
pub mod editor;
pub mod state;

use std::collections::BTreeMap;

use console::{ConsoleActions, ConsoleLine, LineKind};
use kubesim::engine::profile::Profile;
use kubesim::engine::ClusterConfig;
use kubesim::kubectl::exec::{Output, Shell};
use kubesim::manifest::{self, Diagnostic, Object, Severity};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A diagnostic, with the file it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct FileDiagnostic {
    pub file: String,
    pub diagnostic: Diagnostic,
}

/// An object read from a file, ready to apply.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedObject {
    pub file: String,
    pub line: usize,
    pub object: Object,
}

/// What reading the file set produced: the objects understood, and every problem.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadResult {
    pub objects: Vec<ParsedObject>,
    pub diagnostics: Vec<FileDiagnostic>,
}

/// Reads every file in order, as `kubectl apply -f` over the file set would. Nothing is to be
/// applied while any file has an error (all or nothing, so the user never ends up with half a
/// walkthrough): the objects are then empty.
pub fn read_files(files: &[(&str, String)]) -> ReadResult {
    let mut result = ReadResult::default();
    for (name, text) in files {
        let parsed = manifest::parse(text);
        result
            .diagnostics
            .extend(
                parsed
                    .diagnostics
                    .into_iter()
                    .map(|diagnostic| FileDiagnostic {
                        file: name.to_string(),
                        diagnostic,
                    }),
            );
        result
            .objects
            .extend(parsed.objects.into_iter().map(|p| ParsedObject {
                file: name.to_string(),
                line: p.line,
                object: p.object,
            }));
    }
    if result
        .diagnostics
        .iter()
        .any(|d| d.diagnostic.severity == Severity::Error)
    {
        result.objects.clear();
    }
    result
}

/// The console commands the Apply button types: one `kubectl apply -f FILE` per file, in the
/// order the walkthrough applies them.
pub fn apply_commands(files: &[&str]) -> Vec<String> {
    files
        .iter()
        .map(|f| format!("kubectl apply -f {f}"))
        .collect()
}

/// A shell on a fresh cluster of the given profile whose `-f` files are the editor's files.
pub fn new_shell(files: &[(&str, String)], profile: Profile) -> Shell {
    let files: BTreeMap<String, String> = files
        .iter()
        .map(|(n, t)| (n.to_string(), t.clone()))
        .collect();
    Shell::new(ClusterConfig::with_profile(profile), files)
}

/// Real milliseconds between clock ticks.
const TICK_MS: u32 = 100;
/// Simulated-time speeds offered (× real time).
const SPEEDS: [u32; 6] = [1, 2, 5, 10, 30, 60];

#[component]
pub fn App() -> impl IntoView {
    let files = RwSignal::new(state::storage::load());
    let file_texts = move || {
        files.with_untracked(|f| -> Vec<(String, String)> {
            f.pairs()
                .into_iter()
                .map(|(n, t)| (n.to_string(), t))
                .collect()
        })
    };

    // The console's interpreter owns the simulated cluster. `version` bumps on every change
    // so views re-read it.
    let profile = RwSignal::new(Profile::default());
    let shell =
        StoredValue::new(files.with_untracked(|f| new_shell(&f.pairs(), Profile::default())));
    let version = RwSignal::new(0u64);
    let console_lines = RwSignal::new(Vec::<ConsoleLine>::new());
    let running = RwSignal::new(false);
    let playing = RwSignal::new(true);
    let speed = RwSignal::new(1u32);
    let print = move |output: &Output| {
        let new = console::output_lines(output);
        if !new.is_empty() {
            console_lines.update(|l| {
                l.extend(new);
                let excess = l.len().saturating_sub(console::SCROLLBACK);
                l.drain(..excess);
            });
        }
    };
    let change = move |f: &mut dyn FnMut(&mut Shell) -> Output| {
        let output = shell.try_update_value(|s| f(s)).unwrap_or_default();
        print(&output);
        running.set(shell.with_value(|s| s.is_blocked()));
        version.update(|v| *v += 1);
    };
    let overview = Memo::new(move |_| {
        version.track();
        shell.with_value(|s| kubesim::overview::overview(s.cluster()))
    });
    let ticker = gloo_timers::callback::Interval::new(TICK_MS, move || {
        if playing.get_untracked() {
            let ms = u64::from(TICK_MS * speed.get_untracked());
            change(&mut |s| {
                let until = s.cluster().now() + ms;
                s.poll(until)
            });
        }
    });
    // The timer lives as long as the app; dropping it on unmount stops the clock.
    let ticker = StoredValue::new_local(Some(ticker));
    on_cleanup(move || ticker.update_value(|t| drop(t.take())));

    let run_line = move |line: String| {
        console_lines.update(|l| {
            l.push(ConsoleLine {
                text: format!("$ {line}"),
                kind: LineKind::Command,
            })
        });
        change(&mut |s| s.start(&line));
    };
    let actions = ConsoleActions {
        run: Callback::new(run_line),
        cancel: Callback::new(move |()| change(&mut |s| s.cancel())),
        completions: Callback::new(move |line: String| shell.with_value(|s| s.completions(&line))),
    };

    let reset_cluster = move || {
        let texts = file_texts();
        let texts: Vec<(&str, String)> =
            texts.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
        let profile = profile.get_untracked();
        change(&mut |s| {
            *s = new_shell(&texts, profile);
            s.set_current_file(files.with_untracked(|f| Some(f.active().name.clone())));
            Output::default()
        });
        console_lines.set(Vec::new());
    };
    let step = move |_| {
        playing.set(false);
        change(&mut |s| {
            s.cluster_mut().step();
            let now = s.cluster().now();
            s.poll(now)
        });
    };
    let speed_options = SPEEDS
        .iter()
        .map(|s| view! { <option value=s.to_string() selected=*s == 1>{format!("{s}×")}</option> })
        .collect_view();

    view! {
        <header>
            <h1>"StatefulSet Playground"</h1>
            <span class="version">{format!("simulating Kubernetes {}", kubesim::KUBERNETES_VERSION)}</span>
            <div class="clock">
                <button
                    class="play"
                    title="Play or pause simulated time"
                    on:click=move |_| playing.update(|p| *p = !*p)
                >
                    {move || if playing.get() { "❚❚ Pause" } else { "▶ Play" }}
                </button>
                <button class="step" title="Run the next event and pause" on:click=step>"Step"</button>
                <select
                    class="speed"
                    title="Simulated seconds per real second"
                    on:change=move |ev| {
                        if let Ok(s) = event_target_value(&ev).parse() {
                            speed.set(s);
                        }
                    }
                >
                    {speed_options}
                </select>
                <span class="time" title="Simulated time since the cluster started">
                    {move || format!("t = {}", overview.with(|o| o.clock.clone()))}
                </span>
                <select
                    class="profile"
                    title=move || profile.get().describe()
                    on:change=move |ev| {
                        if let Some(p) = Profile::from_name(&event_target_value(&ev)) {
                            profile.set(p);
                            reset_cluster();
                        }
                    }
                >
                    {Profile::ALL
                        .iter()
                        .map(|p| view! { <option value=p.name() selected=*p == Profile::default()>{format!("{} cluster", p.name())}</option> })
                        .collect_view()}
                </select>
                <button class="reset-cluster" title="A fresh cluster of this profile" on:click=move |_| reset_cluster()>
                    "New cluster"
                </button>
            </div>
        </header>
        <main>
            <section class="editor-pane">
                <editor::EditorPane files=files shell=shell run=Callback::new(run_line) />
                <console::Console lines=console_lines running=running.into() actions=actions />
            </section>
            <section class="cluster-pane">
                <cluster_view::ClusterView overview=overview />
            </section>
        </main>
    }
}

/// Mounts the app into `parent` (used by main and by the browser tests), replacing what is
/// there: index.html's first paint (the frame and the example's text, shown while the wasm
/// loads).
pub fn mount(parent: web_sys::HtmlElement) {
    console_error_panic_hook::set_once();
    parent.set_inner_html("");
    leptos::mount::mount_to(parent, App).forget();
}

/// The element with this id, if it is an HTML element.
pub fn element_by_id(id: &str) -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id(id)?
        .dyn_into()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> Vec<(&'static str, String)> {
        kubesim::examples::MONGODB
            .iter()
            .map(|(n, t)| (*n, t.to_string()))
            .collect()
    }

    #[test]
    fn apply_types_one_kubectl_apply_per_file_and_creates_the_seed() {
        let files = seed();
        let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
        let commands = apply_commands(&names);
        assert_eq!(commands[2], "kubectl apply -f mongo-sts.yaml");
        let mut shell = new_shell(&files, Profile::Bare);
        let printed: String = commands.iter().map(|c| shell.run(c).text()).collect();
        assert_eq!(
            printed,
            "persistentvolume/pv001 created\npersistentvolume/pv002 created\n\
             persistentvolume/pv003 created\npersistentvolume/pv004 created\n\
             persistentvolume/pv005 created\nservice/mongo created\n\
             statefulset.apps/mongo created\n"
        );
        // Applying the same files again changes nothing.
        let again: String = commands.iter().map(|c| shell.run(c).text()).collect();
        assert_eq!(again.matches(" unchanged\n").count(), 7, "{again}");
    }

    #[test]
    fn one_bad_file_applies_nothing_and_names_the_file() {
        let mut files = seed();
        files[1].1 = files[1].1.replace("port: 27017", "port: 0");
        let r = read_files(&files);
        assert!(r.objects.is_empty());
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].file, "mongo-service.yaml");
        assert_eq!(
            r.diagnostics[0].diagnostic.to_string(),
            "9:5: error: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"
        );
    }
}
