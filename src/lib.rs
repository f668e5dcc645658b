//! The StatefulSet Playground's web shell (Leptos, client-side rendered).
//!
//! The shell only renders engine state and sends the engine commands; everything that models
//! Kubernetes lives in the `kubesim` crate. Browser-only concerns stay here: the DOM, local
//! storage for the user's edits, and the gloo timer that drives the simulated clock. A module
//! per pane (`editor`, `console`, `view`, `share`); the files model is `state`.

pub mod console;
pub mod editor;
pub mod i18n;
pub mod schema;
pub mod share;
pub mod state;
pub mod view;

use std::collections::BTreeMap;

use console::{ConsoleActions, ConsoleLine, LineKind};
use kubesim::engine::profile::Profile;
use kubesim::engine::{Cluster, ClusterConfig};
use kubesim::kubectl::exec::{Output, Shell};
use kubesim::manifest::{self, Diagnostic, Object, Severity};
use kubesim::overview::timeline::{self, Timeline};
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
    new_shell_with(files, ClusterConfig::with_profile(profile))
}

/// A shell on a fresh cluster made with `config`.
pub fn new_shell_with(files: &[(&str, String)], config: ClusterConfig) -> Shell {
    let files: BTreeMap<String, String> = files
        .iter()
        .map(|(n, t)| (n.to_string(), t.clone()))
        .collect();
    Shell::new(config, files)
}

/// Node counts a new cluster can be made with.
const NODE_COUNTS: [usize; 4] = [3, 5, 10, 20];

/// Real milliseconds between clock ticks: 20 a second, so each tick's work (engine, overview,
/// redraw) fits inside one 60 Hz frame; at 100 ms with an 8 ms budget the tick's frame ran
/// long every tenth of a second (p95 frame 33 ms at 1,000 pods, BENCHMARKS.md).
const TICK_MS: u32 = 50;

/// Real milliseconds a tick may spend running the engine (the rest of the frame is the view's):
/// 120 ms of engine a second at most, more than the 80 ms that 100 ms ticks with 8 ms allowed.
const ENGINE_BUDGET_MS: f64 = 6.0;

/// Ticks' worth of simulated time the clock may owe (what busy ticks could not run and
/// the next ones catch up): 40 ticks, 2 s of wall time.
const OWED_TICKS: u64 = 40;

/// Real milliseconds between the engine's catch-up slices, about one per 60 Hz frame: the
/// frames between two ticks run what the clock owes, without redrawing the view (the next tick
/// does), so a busy cluster gets up to `ENGINE_BUDGET_MS + 2 * CATCH_UP_BUDGET_MS` of engine
/// per tick while no frame carries more than one tick's work.
const CATCH_UP_MS: u32 = 16;

/// Real milliseconds one catch-up slice may run the engine.
const CATCH_UP_BUDGET_MS: f64 = 3.0;

/// Runs `f` as the User Timing measure `name` (what the view's benchmark,
/// `tests/e2e/bench-view.mjs`, reads per tick: `sim-overview`, `sim-timeline`, ...), cleared
/// at once so nothing accumulates.
fn measured<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let perf = web_sys::window().and_then(|w| w.performance());
    if let Some(p) = &perf {
        let _ = p.mark(name);
    }
    let out = f();
    if let Some(p) = &perf {
        let _ = p.measure_with_start_mark(name, name);
        p.clear_measures_with_measure_name(name);
        p.clear_marks_with_mark_name(name);
    }
    out
}

#[component]
pub fn App() -> impl IntoView {
    // What the address asked for (a shared link, an embed, a preset): read before mounting.
    let boot = share::boot();
    state::storage::use_space(share::storage_prefix());
    let mut opened = state::storage::load_over(boot.files());
    opened.select(
        boot.tab(
            &opened
                .names()
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        ),
    );
    let files = RwSignal::new(opened);
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
    let profile = RwSignal::new(boot.profile());
    let (mut first_shell, first_lines) = files.with_untracked(|f| boot.shell(&f.pairs()));
    files.with_untracked(|f| state::sync_shell(&mut first_shell, f));
    let player = share::Player::new(boot.script.as_deref(), &first_shell);
    let shell = StoredValue::new(first_shell);
    // The view's "Apply the example" asks the editor pane to apply (it shows what blocks it).
    let apply_requests = RwSignal::new(0u32);
    let version = RwSignal::new(0u64);
    let console_lines = RwSignal::new(first_lines);
    let running = RwSignal::new(false);
    let playing = RwSignal::new(boot.playing());
    let speed = RwSignal::new(boot.speed());
    let node_count = RwSignal::new(shell.with_value(|s| s.cluster().config().nodes));
    // The view's history: the per-ordinal timeline, the live instant, and the past instant
    // shown (rebuilt by replaying the command log) while the person scrubs back.
    let timeline = StoredValue::new(Timeline::new());
    shell.with_value(|s| timeline.update_value(|t| t.observe(s.cluster())));
    let present = RwSignal::new(shell.with_value(|s| s.cluster().now()));
    let past = RwSignal::new(None::<u64>);
    let past_cluster = StoredValue::new(None::<Cluster>);
    // The live cluster's last picture, kept so a tick rebuilds only what changed (a new
    // cluster, a fork: a new cache).
    let view_cache = StoredValue::new(kubesim::overview::Cache::default());
    // `kubectl edit`'s tab (not a file): opened by the console, saved or cancelled in the editor.
    let live_edit = RwSignal::new(None::<state::live_edit::LiveEdit>);
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
    // Acting while the past is shown: that instant becomes the present (a forked future).
    let fork = move || {
        let Some(cluster) = past_cluster.try_update_value(Option::take).flatten() else {
            return;
        };
        let at = kubesim::overview::clock(cluster.now());
        timeline.update_value(|t| t.fork(&cluster));
        view_cache.set_value(Default::default());
        shell.update_value(|s| {
            let files = s.files().clone();
            *s = Shell::with_cluster(cluster, files);
        });
        past.set(None);
        console_lines.update(|l| {
            l.push(ConsoleLine {
                text: i18n::tf("page.forked", &[&at]),
                kind: LineKind::Stderr,
            })
        });
    };
    let change = move |f: &mut dyn FnMut(&mut Shell) -> Output| {
        fork();
        let before = shell.with_value(Shell::cluster_resets);
        let output = shell
            .try_update_value(|s| {
                // the fetched schema, for `kubectl explain` (also in a shell made since)
                if !s.has_schema() && schema::loaded() {
                    if let Some(schema) = schema::get() {
                        s.set_schema(schema);
                    }
                }
                f(s)
            })
            .unwrap_or_default();
        print(&output);
        running.set(shell.with_value(|s| s.is_blocked()));
        shell.with_value(|s| {
            if s.cluster_resets() != before {
                // The console's `sim cluster` made a fresh cluster: its own timeline, and the
                // header's menus show its shape (as the New cluster button does).
                timeline.set_value(Timeline::new());
                view_cache.set_value(Default::default());
                profile.set(s.cluster().config().profile);
                node_count.set(s.cluster().config().nodes);
            }
            measured("sim-observe", || {
                timeline.update_value(|t| t.observe(s.cluster()))
            });
            present.set(s.cluster().now());
        });
        version.update(|v| *v += 1);
    };
    let overview = Memo::new(move |_| {
        version.track();
        past.track();
        measured("sim-overview", || {
            past_cluster
                .with_value(|p| p.as_ref().map(kubesim::overview::overview))
                .unwrap_or_else(|| {
                    shell.with_value(|s| {
                        view_cache
                            .try_update_value(|c| c.overview(s.cluster()))
                            .unwrap_or_else(|| kubesim::overview::overview(s.cluster()))
                    })
                })
        })
    });
    let timeline_view = Memo::new(move |_| {
        version.track();
        let shown = past.get();
        measured("sim-timeline", || {
            past_cluster.with_value(|p| match (p, shown) {
                (Some(c), Some(at)) => timeline.with_value(|t| t.view(c, at)),
                _ => shell.with_value(|s| {
                    timeline.with_value(|t| t.view(s.cluster(), s.cluster().now()))
                }),
            })
        })
    });
    let markers = Memo::new(move |_| {
        version.track();
        measured("sim-markers", || {
            shell.with_value(|s| timeline::markers(s.cluster(), u64::MAX))
        })
    });
    let scrub = Callback::new(move |at: Option<u64>| {
        playing.set(false);
        let rebuilt = at.map(|at| {
            shell.with_value(|s| {
                let c = s.cluster();
                Cluster::replay(c.config().clone(), c.command_log(), at)
            })
        });
        past_cluster.set_value(rebuilt);
        past.set(at);
    });
    // Simulated ms a busy tick could not run within its budget: the next ticks run them
    // (within their budgets too), so a rollout whose engine cost varies keeps the chosen
    // speed on average instead of losing every busy tick's remainder. At most a few seconds
    // of wall time are owed: a cluster too busy for the speed still falls behind.
    let owed = StoredValue::new(0u64);
    let ticker = gloo_timers::callback::Interval::new(TICK_MS, move || {
        if !playing.get_untracked() {
            owed.set_value(0);
        } else {
            let step = (f64::from(TICK_MS) * speed.get_untracked()).round() as u64;
            let ms = step + owed.get_value();
            // The engine runs at most ENGINE_BUDGET_MS of a tick: a cluster too busy to keep
            // the chosen speed falls behind (the clock shows it) instead of freezing the page.
            let perf = web_sys::window().and_then(|w| w.performance());
            let clock = || perf.as_ref().map_or(0.0, |p| p.now());
            let started = clock();
            change(&mut |s| {
                let until = s.cluster().now() + ms;
                if let Some(p) = &perf {
                    let _ = p.mark("sim-tick");
                }
                let out = player.poll(s, until, console_lines, || {
                    clock() - started < ENGINE_BUDGET_MS
                });
                owed.set_value(
                    until
                        .saturating_sub(s.cluster().now())
                        .min(step * OWED_TICKS),
                );
                // A user-timing entry per tick for the frame-time benchmark
                // (tests/e2e/bench-view.mjs observes them), cleared at once.
                if let Some(p) = &perf {
                    let _ = p.measure_with_start_mark("sim-engine", "sim-tick");
                    p.clear_measures_with_measure_name("sim-engine");
                    p.clear_marks_with_mark_name("sim-tick");
                }
                out
            });
        }
    });
    // Between ticks, the engine runs what the clock owes in short slices (no redraw: the
    // next tick shows where the cluster got to).
    let catch_up = gloo_timers::callback::Interval::new(CATCH_UP_MS, move || {
        let owing = owed.get_value();
        if owing == 0 || !playing.get_untracked() || past.get_untracked().is_some() {
            return;
        }
        let perf = web_sys::window().and_then(|w| w.performance());
        let clock = || perf.as_ref().map_or(0.0, |p| p.now());
        let started = clock();
        let output = measured("sim-catch-up", || {
            shell.try_update_value(|s| {
                let until = s.cluster().now() + owing;
                let out = player.poll(s, until, console_lines, || {
                    clock() - started < CATCH_UP_BUDGET_MS
                });
                owed.set_value(until.saturating_sub(s.cluster().now()));
                out
            })
        });
        print(&output.unwrap_or_default());
        let blocked = shell.with_value(|s| s.is_blocked());
        if running.get_untracked() != blocked {
            running.set(blocked);
        }
    });
    // The timers live as long as the app; dropping them on unmount stops the clock.
    let ticker = StoredValue::new_local(Some((ticker, catch_up)));
    on_cleanup(move || ticker.update_value(|t| drop(t.take())));

    let run_line = move |line: String| {
        fork();
        console_lines.update(|l| {
            l.push(ConsoleLine {
                text: format!("$ {line}"),
                kind: LineKind::Command,
            })
        });
        if let Some((resource, name, ns)) = kubesim::kubectl::edit::requested(&line) {
            let mut edit = live_edit.get_untracked();
            change(&mut |s| state::live_edit::begin(s, &mut edit, (&ns, resource), &name));
            live_edit.set(edit);
            return;
        }
        if kubesim::kubectl::explain::requested(&line) && !schema::loaded() {
            // `kubectl explain` before the schema has arrived: it runs once it is there
            leptos::task::spawn_local(async move {
                match schema::ready().await {
                    Ok(_) => change(&mut |s| s.start(&line)),
                    Err(e) => console_lines.update(|l| {
                        l.push(ConsoleLine {
                            text: format!("error: the OpenAPI schema could not be loaded: {e}"),
                            kind: LineKind::Stderr,
                        })
                    }),
                }
            });
            return;
        }
        change(&mut |s| s.start(&line));
    };
    let finish_edit = Callback::new(move |text: Option<String>| {
        let mut edit = live_edit.get_untracked();
        change(&mut |s| state::live_edit::finish(s, &mut edit, text.as_deref()));
        live_edit.set(edit);
    });
    let actions = ConsoleActions {
        run: Callback::new(run_line),
        cancel: Callback::new(move |()| change(&mut |s| s.cancel())),
        completions: Callback::new(move |line: String| shell.with_value(|s| s.completions(&line))),
    };

    let reset_cluster = move || {
        let texts = file_texts();
        let texts: Vec<(&str, String)> =
            texts.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
        let config = ClusterConfig {
            nodes: node_count.get_untracked(),
            ..ClusterConfig::with_profile(profile.get_untracked())
        };
        past_cluster.set_value(None);
        past.set(None);
        timeline.set_value(Timeline::new());
        view_cache.set_value(Default::default());
        change(&mut |s| {
            *s = new_shell_with(&texts, config.clone());
            s.set_current_file(files.with_untracked(|f| Some(f.active().name.clone())));
            Output::default()
        });
        console_lines.set(Vec::new());
        player.restart();
    };
    let step = move |()| {
        playing.set(false);
        change(&mut |s| {
            s.cluster_mut().step();
            let now = s.cluster().now();
            s.poll(now)
        });
    };
    let model = view::ViewModel {
        overview,
        timeline: timeline_view,
        run: Callback::new(run_line),
        inspect: Callback::new(move |(resource, ns, name): view::Target| {
            let inspect =
                |c: &Cluster| kubesim::overview::inspect::inspect(c, &resource, &ns, &name);
            past_cluster
                .with_value(|p| p.as_ref().map(inspect))
                .unwrap_or_else(|| shell.with_value(|s| inspect(s.cluster())))
        }),
        resolve: Callback::new(move |(name, qtype): (String, String)| {
            let resolve = |c: &Cluster| kubesim::overview::resolve(c, &name, &qtype);
            past_cluster
                .with_value(|p| p.as_ref().map(resolve))
                .unwrap_or_else(|| shell.with_value(|s| resolve(s.cluster())))
        }),
        selected: RwSignal::new(None),
        apply: Callback::new(move |()| apply_requests.update(|n| *n += 1)),
    };

    let snapshot = Callback::new(move |()| {
        let (texts, tab) = (
            file_texts(),
            files.with_untracked(|f| f.active().name.clone()),
        );
        let texts: Vec<(&str, String)> =
            texts.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
        let (profile, speed) = (profile.get_untracked(), speed.get_untracked());
        shell.with_value(|s| share::snapshot(s, &texts, profile, speed, &tab))
    });

    view! {
        <header>
            <h1>"StatefulSet Playground"</h1>
            <span class="version">{i18n::tf("page.version", &[&kubesim::KUBERNETES_VERSION])}</span>
            <div class="cluster-controls">
                <select
                    class="profile"
                    aria-label=i18n::t("page.profile")
                    prop:value=move || profile.get().name()
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
                        .map(|p| view! { <option value=p.name() selected=*p == profile.get_untracked()>{i18n::tf("page.profile-option", &[&p.name()])}</option> })
                        .collect_view()}
                </select>
                <select
                    class="node-count"
                    aria-label=i18n::t("page.nodes")
                    prop:value=move || node_count.get().to_string()
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse() {
                            node_count.set(n);
                            reset_cluster();
                        }
                    }
                >
                    {NODE_COUNTS
                        .iter()
                        .map(|n| view! { <option value=n.to_string() selected=*n == node_count.get_untracked()>{i18n::tf("page.nodes-option", &[n])}</option> })
                        .collect_view()}
                </select>
                <button class="reset-cluster" title=i18n::t("page.new-cluster-title") on:click=move |_| reset_cluster()>
                    {i18n::t("page.new-cluster")}
                </button>
            </div>
            <share::ShareBar snapshot=snapshot />
        </header>
        <main>
            <section class="editor-pane">
                <editor::EditorPane
                    files=files
                    shell=shell
                    run=Callback::new(run_line)
                    apply_requests=apply_requests
                    live_edit=live_edit
                    finish_edit=finish_edit
                />
                <console::Console lines=console_lines running=running.into() actions=actions />
            </section>
            <section class="cluster-pane" aria-label=i18n::t("page.cluster")>
                <view::time::TimeBar
                    playing=playing
                    speed=speed
                    step=Callback::new(step)
                    present=present.into()
                    past=past.into()
                    scrub=scrub
                    markers=markers.into()
                />
                <share::Caption player=player guide=boot.embed.is_none() />
                <view::ClusterView model=model />
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
    schema::prefetch();
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
