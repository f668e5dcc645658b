//! The StatefulSet Playground's web shell (Leptos, client-side rendered).
//!
//! The shell only renders engine state and sends the engine commands; everything that models
//! Kubernetes lives in the `kubesim` crate. Browser-only concerns stay here: the DOM, local
//! storage for the user's edits, and the gloo timer that drives the simulated clock.

mod cluster_view;
pub mod console;
pub mod share;

use std::collections::BTreeMap;

use console::{ConsoleActions, ConsoleLine, LineKind};
use kubesim::engine::profile::Profile;
use kubesim::engine::ClusterConfig;
use kubesim::kubectl::exec::{Output, Shell};
use kubesim::manifest::{self, Diagnostic, Object, Severity};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// One editable manifest file of the playground's file set.
#[derive(Clone, Copy)]
struct File {
    name: &'static str,
    text: RwSignal<String>,
}

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

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The user's last text for a file, so a reload never loses an edit.
fn saved_text(name: &str) -> Option<String> {
    local_storage()?
        .get_item(&format!("{}{name}", share::storage_prefix()?))
        .ok()
        .flatten()
}

fn save_text(name: &str, text: &str) {
    if let (Some(storage), Some(prefix)) = (local_storage(), share::storage_prefix()) {
        // Quota errors only lose persistence, never the edit in the page.
        let _ = storage.set_item(&format!("{prefix}{name}"), text);
    }
}

fn forget_text(name: &str) {
    if let (Some(storage), Some(prefix)) = (local_storage(), share::storage_prefix()) {
        let _ = storage.remove_item(&format!("{prefix}{name}"));
    }
}

/// Moves the editor's caret to a 1-based line and column.
fn reveal(textarea: &web_sys::HtmlTextAreaElement, line: usize, column: usize) {
    let text = textarea.value();
    let mut offset = 0usize;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            offset += l.chars().take(column.saturating_sub(1)).count();
            break;
        }
        offset += l.chars().count();
    }
    let offset = offset as u32;
    let _ = textarea.focus();
    let _ = textarea.set_selection_range(offset, offset);
}

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// Real milliseconds between clock ticks.
const TICK_MS: u32 = 100;
/// Simulated-time speeds offered (× real time).
const SPEEDS: [u32; 6] = [1, 2, 5, 10, 30, 60];

#[component]
pub fn App() -> impl IntoView {
    let boot = share::boot();
    let files: Vec<File> = boot
        .files()
        .into_iter()
        .map(|(name, text)| File {
            name,
            text: RwSignal::new(saved_text(name).unwrap_or(text)),
        })
        .collect();
    let files = StoredValue::new(files);
    let file_texts = move || -> Vec<(&'static str, String)> {
        files.with_value(|f| f.iter().map(|f| (f.name, f.text.get_untracked())).collect())
    };
    let active = RwSignal::new(boot.tab(&file_texts().iter().map(|f| f.0).collect::<Vec<_>>()));
    let apply_errors = RwSignal::new(Vec::<FileDiagnostic>::new());
    let editor = NodeRef::<leptos::html::Textarea>::new();

    // The console's interpreter owns the simulated cluster. `version` bumps on every change
    // so views re-read it.
    let profile = RwSignal::new(boot.profile());
    let (shell, lines) = boot.shell(&file_texts());
    let player = share::Player::new(boot.script.as_deref(), &shell);
    let shell = StoredValue::new(shell);
    let version = RwSignal::new(0u64);
    let console_lines = RwSignal::new(lines);
    let running = RwSignal::new(false);
    let playing = RwSignal::new(boot.playing());
    let speed = RwSignal::new(boot.speed());
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
                player.poll(s, until, console_lines)
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

    let current = move || files.with_value(|f| f[active.get()]);
    // Live diagnostics for the open file, recomputed as the user types.
    let live = Memo::new(move |_| manifest::parse(&current().text.get()).diagnostics);
    Effect::new(move |_| {
        let name = current().name;
        shell.update_value(|s| s.set_current_file(Some(name.to_string())));
    });

    let apply = move |_| {
        let texts = file_texts();
        let read = read_files(&texts);
        let blocked = read
            .diagnostics
            .iter()
            .any(|d| d.diagnostic.severity == Severity::Error);
        apply_errors.set(if blocked {
            read.diagnostics
        } else {
            Vec::new()
        });
        if !blocked {
            let names: Vec<&str> = texts.iter().map(|(n, _)| *n).collect();
            for command in apply_commands(&names) {
                run_line(command);
            }
        }
    };
    let reset_files = move |_| {
        files.with_value(|f| {
            for (file, (_, text)) in f.iter().zip(kubesim::examples::MONGODB) {
                forget_text(file.name);
                file.text.set(text.to_string());
                shell.update_value(|s| s.set_file(file.name, text.to_string()));
            }
        });
        apply_errors.set(Vec::new());
    };
    let reset_cluster = move || {
        let texts = file_texts();
        let profile = profile.get_untracked();
        change(&mut |s| {
            *s = new_shell(&texts, profile);
            Output::default()
        });
        console_lines.set(Vec::new());
        player.restart();
    };
    let step = move |_| {
        playing.set(false);
        change(&mut |s| {
            s.cluster_mut().step();
            let now = s.cluster().now();
            s.poll(now)
        });
    };
    let jump = move |file: String, line: usize, column: usize| {
        if let Some(i) = files.with_value(|f| f.iter().position(|f| f.name == file)) {
            active.set(i);
        }
        if let Some(textarea) = editor.get_untracked() {
            reveal(&textarea, line, column);
        }
    };

    let tabs = move || {
        files.with_value(|f| {
            f.iter()
                .enumerate()
                .map(|(i, file)| {
                    let name = file.name;
                    view! {
                        <button
                            class="tab"
                            class:active=move || active.get() == i
                            on:click=move |_| active.set(i)
                        >
                            {name}
                        </button>
                    }
                })
                .collect_view()
        })
    };

    let diagnostic_item = move |file: String, d: Diagnostic| {
        let (line, column) = (d.line, d.column);
        let label = format!("{file}:{d}");
        view! {
            <li class=severity_class(d.severity) on:click=move |_| jump(file.clone(), line, column)>
                {label}
            </li>
        }
    };
    let live_list = move || {
        let file = current().name;
        live.get()
            .into_iter()
            .map(|d| diagnostic_item(file.to_string(), d))
            .collect_view()
    };
    let apply_errors_view = move || {
        let errors = apply_errors.get();
        (!errors.is_empty()).then(|| {
            let items = errors
                .into_iter()
                .map(|d| diagnostic_item(d.file, d.diagnostic))
                .collect_view();
            view! {
                <div class="apply-errors">
                    <p>"Nothing was applied: fix these first."</p>
                    <ul class="diagnostics">{items}</ul>
                </div>
            }
        })
    };
    let speed_options = SPEEDS
        .iter()
        .map(|s| view! { <option value=s.to_string() selected=*s == speed.get_untracked()>{format!("{s}×")}</option> })
        .collect_view();
    let snapshot = Callback::new(move |()| {
        let (texts, tab) = (file_texts(), current().name);
        let (profile, speed) = (profile.get_untracked(), speed.get_untracked());
        shell.with_value(|s| share::snapshot(s, &texts, profile, speed, tab))
    });

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
            <share::ShareBar snapshot=snapshot />
        </header>
        <main>
            <section class="editor-pane">
                <nav class="tabs">{tabs}</nav>
                <textarea
                    class="editor"
                    node_ref=editor
                    spellcheck="false"
                    prop:value=move || current().text.get()
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        let file = current();
                        save_text(file.name, &value);
                        shell.update_value(|s| s.set_file(file.name, value.clone()));
                        file.text.set(value);
                    }
                ></textarea>
                <ul class="diagnostics live">{live_list}</ul>
                <div class="actions">
                    <button class="apply" title="Runs kubectl apply -f for each file in the console" on:click=apply>
                        "Apply"
                    </button>
                    <button class="reset" on:click=reset_files>"Reset example"</button>
                </div>
                {apply_errors_view}
                <console::Console lines=console_lines running=running.into() actions=actions />
            </section>
            <section class="cluster-pane">
                <share::Caption player=player />
                <cluster_view::ClusterView overview=overview />
            </section>
        </main>
    }
}

/// Mounts the app into `parent` (used by main and by the browser tests).
pub fn mount(parent: web_sys::HtmlElement) {
    console_error_panic_hook::set_once();
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
