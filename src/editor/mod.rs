//! The editor pane: file tabs (add, rename, delete with undo, reorder), the code editor
//! (CodeMirror through `codemirror.rs`, or a plain textarea until or unless its bundle loads),
//! live diagnostics (debounced, inline and in a clickable list, with one-click fixes), Apply
//! and Reset. The files themselves are `crate::state::Files`. Beside the files, the tab of a
//! live object `kubectl edit` opened (`crate::state::live_edit`): marked as such, with Save
//! (Ctrl/Cmd+S, also Ctrl/Cmd+Enter) and Cancel instead of Apply.

pub mod codemirror;

use gloo_timers::callback::Timeout;
use kubesim::kubectl::exec::Shell;
use kubesim::manifest::{self, Diagnostic, Severity};
use leptos::prelude::*;
use web_sys::KeyboardEvent;

use self::codemirror::{CodeMirror, Handlers, Mark};
use crate::i18n::{self, t, tf};
use crate::state::live_edit::LiveEdit;
use crate::state::{self, storage, Deleted, Files};
use crate::{apply_commands, read_files, FileDiagnostic};
use kubesim::hints::{self, Fix};

/// Real milliseconds of quiet typing before diagnostics are recomputed: typing never waits.
pub const CHECK_DELAY_MS: u32 = 250;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
    /// `performance.measure(name, { start, end })`: a User Timing entry (DevTools' timeline,
    /// and what the diagnostics benchmark reads).
    #[wasm_bindgen(js_namespace = performance, js_name = measure, catch)]
    fn performance_measure(
        name: &str,
        options: &wasm_bindgen::JsValue,
    ) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>;
}

/// Records how long computing the diagnostics took, as the User Timing measure
/// `playground-diagnostics` (BENCHMARKS.md's in-browser number).
fn record_check(start: f64) {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"start".into(), &start.into());
    let _ = js_sys::Reflect::set(&options, &"end".into(), &performance_now().into());
    let _ = performance_measure("playground-diagnostics", &options);
}

/// A diagnostic of the open file, with the quick fix that goes with it, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Live {
    pub diagnostic: Diagnostic,
    pub fix: Option<Fix>,
}

/// The open file's diagnostics out of the file-set's (`kubesim::hints`, which already holds the
/// parser's own — what the API server would reject — with kubectl's words for removed
/// apiVersions and their fixes), ordered by position.
pub fn live_diagnostics(file: &str, hints: &[(String, Diagnostic, Option<Fix>)]) -> Vec<Live> {
    let mut live: Vec<Live> = hints
        .iter()
        .filter(|(f, _, _)| f == file)
        .map(|(_, diagnostic, fix)| Live {
            diagnostic: diagnostic.clone(),
            fix: fix.clone(),
        })
        .collect();
    kubesim::sort::sort_by_key(&mut live, |l| (l.diagnostic.line, l.diagnostic.column));
    live
}

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// Moves a textarea's caret to a 1-based line and column.
fn reveal_in_textarea(textarea: &web_sys::HtmlTextAreaElement, line: usize, column: usize) {
    let text = textarea.value();
    let mut offset = 0usize;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            offset += l
                .chars()
                .take(column.saturating_sub(1))
                .map(char::len_utf16)
                .sum::<usize>();
            break;
        }
        offset += l.chars().map(char::len_utf16).sum::<usize>();
    }
    let offset = offset as u32;
    let _ = textarea.focus();
    let _ = textarea.set_selection_range(offset, offset);
}

/// Was Apply pressed on the first paint (index.html), before the app mounted? Clears the flag.
fn take_pending_apply() -> bool {
    const FLAG: &str = "playgroundPendingApply";
    let Some(window) = web_sys::window() else {
        return false;
    };
    let pending = js_sys::Reflect::get(&window, &FLAG.into()).is_ok_and(|v| v.is_truthy());
    if pending {
        let _ = js_sys::Reflect::delete_property(&window, &FLAG.into());
    }
    pending
}

/// Focuses the selected tab (after the DOM caught up), unless the person has moved on: only
/// when the focus is nowhere (the element that had it is gone) or still on the file bar.
fn focus_selected_tab() {
    request_animation_frame(|| {
        let document = document();
        let elsewhere = document.active_element().is_some_and(|el| {
            el.closest(".file-bar").ok().flatten().is_none()
                && document.body().is_none_or(|body| *body != el)
        });
        if elsewhere {
            return;
        }
        if let Some(tab) = document
            .query_selector(".tabs .tab[aria-selected=true]")
            .ok()
            .flatten()
        {
            use wasm_bindgen::JsCast;
            let _ = tab.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    });
}

#[component]
pub fn EditorPane(
    files: RwSignal<Files>,
    shell: StoredValue<Shell>,
    /// Types a command into the console.
    run: Callback<String>,
    /// Bumped by other panes (the view's "Apply the example") to apply every file.
    apply_requests: RwSignal<u32>,
    /// The live object `kubectl edit` opened, if any (the console opens it).
    live_edit: RwSignal<Option<LiveEdit>>,
    /// Ends the edit: `Some(text)` saves, `None` cancels (the console prints the outcome).
    finish_edit: Callback<Option<String>>,
) -> impl IntoView {
    let apply_errors = RwSignal::new(Vec::<FileDiagnostic>::new());
    let live = RwSignal::new(Vec::<Live>::new());
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    let host = NodeRef::<leptos::html::Div>::new();
    let cm = StoredValue::new_local(None::<CodeMirror>);
    let rich = RwSignal::new(false);
    let check_timer = StoredValue::new_local(None::<Timeout>);
    // Re-reads only the documents a change touched (BENCHMARKS.md: editor diagnostics).
    let checker = StoredValue::new_local(hints::Checker::default());
    let renaming = RwSignal::new(None::<usize>);
    let rename_error = RwSignal::new(None::<String>);
    let deleted = RwSignal::new(None::<Deleted>);
    let saved_note = RwSignal::new(false);
    let saved_timer = StoredValue::new_local(None::<Timeout>);

    let names = Memo::new(move |_| files.with(|f| f.names()));
    let active = Memo::new(move |_| files.with(|f| f.active_index()));
    let active_text = Memo::new(move |_| files.with(|f| f.active().text.clone()));
    // Is the live object shown (rather than a file)? Its session and whether it is shown
    // change on open/reopen/close/switch, not on every keystroke.
    let editing = Memo::new(move |_| live_edit.with(|e| e.as_ref().is_some_and(|e| e.shown)));
    let edit_state =
        Memo::new(move |_| live_edit.with(|e| e.as_ref().map(|e| (e.session.clone(), e.shown))));
    let shown_edit = move || live_edit.with_untracked(|e| e.clone().filter(|e| e.shown));

    // Diagnostics of the open file, now.
    let check_now = move || {
        check_timer.update_value(|t| drop(t.take()));
        let start = performance_now();
        let marks = match shown_edit() {
            // the live object alone: what the API server would reject (no cross-file hints:
            // its neighbours are in the cluster, not in the files)
            Some(e) => manifest::parse(&e.text)
                .diagnostics
                .into_iter()
                .map(|diagnostic| Live {
                    diagnostic,
                    fix: None,
                })
                .collect(),
            None => files.with_untracked(|f| {
                let texts: Vec<(&str, &str)> = f
                    .files()
                    .iter()
                    .map(|f| (f.name.as_str(), f.text.as_str()))
                    .collect();
                let open = f.active();
                // On the cluster the page runs (a preset or link may pick another profile).
                let config = shell.with_value(|s| s.cluster().config().clone());
                let found = checker
                    .try_update_value(|c| c.diagnostics_for(&texts, &config))
                    .unwrap_or_default();
                live_diagnostics(&open.name, &found)
            }),
        };
        record_check(start);
        cm.with_value(|cm| {
            if let Some(cm) = cm {
                cm.set_marks(
                    &marks
                        .iter()
                        .map(|l| Mark {
                            line: l.diagnostic.line,
                            column: l.diagnostic.column,
                            error: l.diagnostic.severity == Severity::Error,
                            message: i18n::diagnostic(&l.diagnostic),
                            fix: l.fix.as_ref().map(|f| i18n::say(&f.phrase)),
                        })
                        .collect::<Vec<_>>(),
                )
            }
        });
        live.set(marks);
    };
    // ... or once typing pauses.
    let check_soon = move || {
        let timer = Timeout::new(CHECK_DELAY_MS, check_now);
        check_timer.set_value(Some(timer));
    };

    // The user typed into file `name`.
    let edit = move |name: String, text: String| {
        storage::save_text(&name, &text);
        shell.update_value(|s| s.set_file(name.clone(), text.clone()));
        files.update(|f| {
            f.set_text(&name, text);
        });
        check_soon();
    };
    // The user typed: into the live object when it is shown, else into the open file.
    let typed = move |text: String| {
        if editing.get_untracked() {
            live_edit.update(|e| {
                if let Some(e) = e {
                    e.text = text;
                }
            });
            check_soon();
        } else {
            edit(files.with_untracked(|f| f.active().name.clone()), text);
        }
    };
    // Shows in the code editor whatever is current: the live object or the open file.
    let show_current = move || {
        cm.with_value(|cm| {
            let Some(cm) = cm else { return };
            match shown_edit() {
                Some(e) => cm.open(e.key(), &e.text),
                None => files.with_untracked(|f| cm.open(&f.active().name, &f.active().text)),
            }
        });
    };
    // Back from the live object to the files (it stays open in its tab).
    let leave_edit = move || {
        if editing.get_untracked() {
            live_edit.update(|e| {
                if let Some(e) = e {
                    e.shown = false;
                }
            });
        }
    };
    let save_edit = move || {
        if let Some(e) = shown_edit() {
            finish_edit.run(Some(e.text));
        }
    };
    // After files were added, renamed, deleted, moved or reset: persist, tell the shell and
    // the editor, recheck.
    let restructured = move |forget: Vec<String>| {
        files.with_untracked(|f| {
            storage::save_all(f, &forget);
            shell.update_value(|s| state::sync_shell(s, f));
            cm.with_value(|cm| {
                if let Some(cm) = cm {
                    for name in &forget {
                        if f.position(name).is_none() {
                            cm.forget(name);
                        }
                    }
                }
            });
        });
        show_current();
        check_now();
    };
    let select = move |i: usize| {
        if files.with_untracked(|f| f.active_index()) == i && !editing.get_untracked() {
            return;
        }
        leave_edit();
        files.update(|f| f.select(i));
        files.with_untracked(|f| {
            shell.update_value(|s| s.set_current_file(Some(f.active().name.clone())));
            cm.with_value(|cm| {
                if let Some(cm) = cm {
                    cm.open(&f.active().name, &f.active().text)
                }
            });
        });
        check_now();
    };
    let jump = move |file: String, line: usize, column: usize| {
        if let Some(i) = files.with_untracked(|f| f.position(&file)) {
            select(i);
        }
        let shown = cm.with_value(|cm| cm.as_ref().map(|cm| cm.reveal(line, column)).is_some());
        if !shown {
            if let Some(t) = textarea.get_untracked() {
                reveal_in_textarea(&t, line, column);
            }
        }
    };
    let apply_fix = move |file: String, fix: Fix| {
        if let Some(i) = files.with_untracked(|f| f.position(&file)) {
            select(i);
        }
        // Through the editor, so Ctrl+Z takes the fix back.
        cm.with_value(|cm| {
            if let Some(cm) = cm {
                cm.set_text(&fix.text)
            }
        });
        edit(file, fix.text);
        check_now();
    };

    // Apply: every file, all or nothing. Ctrl/Cmd+Enter: the open file.
    let apply = move |names: Vec<String>| {
        check_now();
        let read = files.with_untracked(|f| {
            let pairs: Vec<(&str, String)> = f
                .pairs()
                .into_iter()
                .filter(|(n, _)| names.iter().any(|m| m == n))
                .collect();
            read_files(&pairs)
        });
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
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            for command in apply_commands(&names) {
                run.run(command);
            }
        }
    };
    let apply_all = move || apply(names.get_untracked());
    let apply_open = move || apply(vec![files.with_untracked(|f| f.active().name.clone())]);
    Effect::new(move |seen: Option<u32>| {
        let n = apply_requests.get();
        if seen.is_some_and(|seen| seen != n) {
            apply_all();
        }
        n
    });

    // The code editor, as soon as its bundle is there (now, or when it fires its event).
    let upgrade = move || {
        if cm.with_value(Option::is_some) || !codemirror::available() {
            return;
        }
        let Some(parent) = host.get_untracked() else {
            return;
        };
        let handlers = Handlers {
            change: Box::new(typed),
            // from the fetched schema: the editor's JS waits for `schema::load` before asking
            complete: |text, at| crate::schema::with(|s| s.complete(text, at)).unwrap_or_default(),
            hover: |text, at| crate::schema::with(|s| s.hover(text, at)).flatten(),
            ready: || (!crate::schema::loaded()).then(crate::schema::load),
            fix: Box::new(move |i| {
                let file = files.with_untracked(|f| f.active().name.clone());
                if let Some(fix) = live.with_untracked(|l| l.get(i).and_then(|l| l.fix.clone())) {
                    apply_fix(file, fix);
                }
            }),
            apply: Box::new(move || {
                if editing.get_untracked() {
                    save_edit()
                } else {
                    apply_open()
                }
            }),
        };
        let editor = CodeMirror::create(&parent, handlers);
        cm.set_value(Some(editor));
        show_current();
        rich.set(true);
        check_now();
    };
    let ready = window_event_listener_untyped(codemirror::READY_EVENT, move |_| upgrade());
    on_cleanup(move || {
        ready.remove();
        cm.update_value(|cm| drop(cm.take()));
    });
    Effect::new(move |_| {
        if host.get().is_some() {
            upgrade();
            check_now();
            // Apply pressed on index.html's first paint, before the wasm had loaded.
            if take_pending_apply() {
                apply_all();
            }
        }
    });

    // The live object opened, reopened (refused), closed, or was switched to or from: show
    // what is current; a new session takes the focus (as kubectl's editor does), and when it
    // ends the console has it again (where the outcome is printed).
    Effect::new(
        move |previous: Option<Option<(kubesim::kubectl::edit::EditSession, bool)>>| {
            let now = edit_state.get();
            let Some(previous) = previous else {
                return now;
            };
            let old = previous.as_ref().map(|(s, _)| s);
            let new = now.as_ref().map(|(s, _)| s);
            if old != new {
                if let Some(old) = old {
                    cm.with_value(|cm| {
                        if let Some(cm) = cm {
                            cm.forget(&old.title)
                        }
                    });
                }
            }
            show_current();
            check_now();
            if old != new {
                match new {
                    Some(_) => request_animation_frame(move || {
                        let focused =
                            cm.with_value(|cm| cm.as_ref().map(CodeMirror::focus).is_some());
                        if !focused {
                            if let Some(t) = textarea.get_untracked() {
                                let _ = t.focus();
                            }
                        }
                    }),
                    None => request_animation_frame(|| {
                        if let Some(input) =
                            document().query_selector(".console-input").ok().flatten()
                        {
                            use wasm_bindgen::JsCast;
                            let _ = input.unchecked_into::<web_sys::HtmlElement>().focus();
                        }
                    }),
                }
            }
            now
        },
    );

    // Ctrl/Cmd+S anywhere: saves the live object when it is shown; else the edits are
    // already saved locally: say so instead of the browser's save dialog.
    let save_key = window_event_listener(leptos::ev::keydown, move |ev: KeyboardEvent| {
        if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("s") {
            ev.prevent_default();
            if editing.get_untracked() {
                save_edit();
                return;
            }
            files.with_untracked(|f| storage::save_all(f, &[]));
            saved_note.set(true);
            saved_timer.set_value(Some(Timeout::new(2000, move || saved_note.set(false))));
        }
    });
    on_cleanup(move || save_key.remove());

    let pane_keys = move |ev: KeyboardEvent| {
        // CodeMirror handles its own Ctrl+Enter (and prevents the default); the textarea's
        // comes here.
        if (ev.ctrl_key() || ev.meta_key()) && ev.key() == "Enter" && !ev.default_prevented() {
            ev.prevent_default();
            if editing.get_untracked() {
                save_edit();
            } else {
                apply_open();
            }
        }
    };

    // File operations.
    let add = move |_| {
        leave_edit();
        files.update(|f| {
            f.add();
        });
        restructured(Vec::new());
        rename_error.set(None);
        renaming.set(Some(files.with_untracked(|f| f.active_index())));
    };
    let commit_rename = move |i: usize, name: String| {
        let old = files.with_untracked(|f| f.files().get(i).map(|f| f.name.clone()));
        let Some(old) = old else { return };
        let result = files.try_update(|f| f.rename(i, &name)).unwrap_or(Ok(()));
        match result {
            Ok(()) => {
                let new = files.with_untracked(|f| f.files()[i].name.clone());
                cm.with_value(|cm| {
                    if let Some(cm) = cm {
                        cm.rename(&old, &new)
                    }
                });
                renaming.set(None);
                rename_error.set(None);
                restructured(vec![old]);
                focus_selected_tab();
            }
            Err(e) => rename_error.set(Some(e)),
        }
    };
    let delete = move |i: usize| {
        let gone = files.try_update(|f| f.delete(i)).flatten();
        if let Some(gone) = gone {
            let name = gone.file.name.clone();
            deleted.set(Some(gone));
            renaming.set(None);
            restructured(vec![name]);
            focus_selected_tab();
        }
    };
    let undo_delete = move |_| {
        if let Some(gone) = deleted.get_untracked() {
            match files.try_update(|f| f.restore(gone)).unwrap_or(Ok(())) {
                Ok(()) => {
                    leave_edit();
                    deleted.set(None);
                    restructured(Vec::new());
                    focus_selected_tab();
                }
                Err(e) => rename_error.set(Some(e)),
            }
        }
    };
    let move_by = move |i: usize, delta: isize| {
        files.update(|f| f.move_by(i, delta));
        restructured(Vec::new());
        focus_selected_tab();
    };
    let reset_files = move |_| {
        let old = names.get_untracked();
        let open = files.with_untracked(|f| f.active().name.clone());
        storage::clear(&old);
        let mut example = Files::example();
        // The open file stays open if the example has it.
        if let Some(i) = example.position(&open) {
            example.select(i);
        }
        files.set(example);
        cm.with_value(|cm| {
            if let Some(cm) = cm {
                for name in &old {
                    cm.forget(name);
                }
            }
        });
        apply_errors.set(Vec::new());
        deleted.set(None);
        renaming.set(None);
        restructured(old);
    };

    let show_edit = move || {
        live_edit.update(|e| {
            if let Some(e) = e {
                e.shown = true;
            }
        })
    };
    // Keys on the focused tab. Tabs use a roving tabindex, so the focused tab is the open one;
    // act on the open file's index, not the one the element was drawn with: after Alt+←/→ the
    // tabs are redrawn and focus follows a frame later, and a key pressed in between must still
    // mean the file the person moved.
    let tab_keys = move |_drawn: usize, ev: KeyboardEvent| {
        let i = active.get_untracked();
        let count = names.with_untracked(Vec::len);
        match (ev.key().as_str(), ev.alt_key()) {
            ("ArrowLeft", true) => move_by(i, -1),
            ("ArrowRight", true) => move_by(i, 1),
            // the live object's tab sits after the files: the arrows reach it from either end
            ("ArrowLeft", false) if i == 0 && live_edit.with_untracked(Option::is_some) => {
                show_edit();
                focus_selected_tab();
            }
            ("ArrowRight", false)
                if i + 1 == count && live_edit.with_untracked(Option::is_some) =>
            {
                show_edit();
                focus_selected_tab();
            }
            ("ArrowLeft", false) => {
                select((i + count - 1) % count);
                focus_selected_tab();
            }
            ("ArrowRight", false) => {
                select((i + 1) % count);
                focus_selected_tab();
            }
            ("F2", _) => {
                rename_error.set(None);
                renaming.set(Some(i));
            }
            ("Delete", _) => delete(i),
            _ => return,
        }
        ev.prevent_default();
    };

    let tabs = move || {
        names
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, name)| {
                if renaming.get() == Some(i) {
                    let input = NodeRef::<leptos::html::Input>::new();
                    Effect::new(move |_| {
                        if let Some(el) = input.get() {
                            let _ = el.focus();
                            el.select();
                        }
                    });
                    view! {
                        <input
                            class="tab-rename"
                            node_ref=input
                            aria-label=t("editor.file-name")
                            aria-invalid=move || rename_error.get().is_some().to_string()
                            spellcheck="false"
                            value=name
                            on:keydown=move |ev: KeyboardEvent| match ev.key().as_str() {
                                "Enter" => {
                                    ev.prevent_default();
                                    commit_rename(i, event_target_value(&ev));
                                }
                                "Escape" => {
                                    ev.prevent_default();
                                    renaming.set(None);
                                    rename_error.set(None);
                                    focus_selected_tab();
                                }
                                _ => {}
                            }
                            on:blur=move |ev| {
                                if renaming.get_untracked() == Some(i) {
                                    commit_rename(i, event_target_value(&ev));
                                }
                            }
                        />
                    }
                    .into_any()
                } else {
                    view! {
                        <button
                            class="tab"
                            role="tab"
                            aria-selected=move || (active.get() == i && !editing.get()).to_string()
                            tabindex=move || if active.get() == i && !editing.get() { "0" } else { "-1" }
                            class:active=move || active.get() == i && !editing.get()
                            title=t("editor.tab-title")
                            on:click=move |_| select(i)
                            on:dblclick=move |_| {
                                rename_error.set(None);
                                renaming.set(Some(i));
                            }
                            on:keydown=move |ev| tab_keys(i, ev)
                        >
                            {name}
                        </button>
                    }
                    .into_any()
                }
            })
            .collect_view()
    };
    // The live object's tab, after the files: a pencil and "live object" in words, not a file.
    let edit_tab = move || {
        let title = live_edit.with(|e| e.as_ref().map(|e| e.session.title.clone()))?;
        let changed = live_edit.with(|e| e.as_ref().is_some_and(LiveEdit::changed));
        Some(view! {
            <button
                class="tab live-edit-tab"
                role="tab"
                aria-selected=move || editing.get().to_string()
                tabindex=move || if editing.get() { "0" } else { "-1" }
                class:active=move || editing.get()
                title=t("editor.live-title")
                on:click=move |_| show_edit()
                on:keydown=move |ev: KeyboardEvent| {
                    let to = match ev.key().as_str() {
                        "ArrowLeft" => names.with_untracked(Vec::len).saturating_sub(1),
                        "ArrowRight" => 0,
                        _ => return,
                    };
                    ev.prevent_default();
                    select(to);
                    focus_selected_tab();
                }
            >
                <span class="live-badge" aria-hidden="true">{t("editor.live")}</span>
                {title}
                {changed.then_some(t("editor.modified"))}
            </button>
        })
    };
    let single = move || names.with(|n| n.len() <= 1);
    let file_actions = view! {
        <div class="file-actions">
            <button class="file-add" title=t("editor.new-file") aria-label=t("editor.new-file") on:click=add>"+"</button>
            <button
                class="file-rename"
                title=t("editor.rename-title")
                aria-label=t("editor.rename")
                disabled=move || editing.get()
                on:click=move |_| {
                    rename_error.set(None);
                    renaming.set(Some(active.get_untracked()));
                }
            >
                "✎"
            </button>
            <button
                class="file-delete"
                title=t("editor.delete-title")
                aria-label=t("editor.delete")
                disabled=move || single() || editing.get()
                on:click=move |_| delete(active.get_untracked())
            >
                "×"
            </button>
            <button
                class="file-left"
                title=t("editor.left-title")
                aria-label=t("editor.left")
                disabled=move || active.get() == 0 || editing.get()
                on:click=move |_| move_by(active.get_untracked(), -1)
            >
                "←"
            </button>
            <button
                class="file-right"
                title=t("editor.right-title")
                aria-label=t("editor.right")
                disabled=move || { active.get() + 1 >= names.with(Vec::len) || editing.get() }
                on:click=move |_| move_by(active.get_untracked(), 1)
            >
                "→"
            </button>
        </div>
    };
    let notices = move || {
        let error = rename_error
            .get()
            .map(|e| view! { <p class="file-error" role="alert">{e}</p> });
        let undo = deleted.get().map(|d| {
            view! {
                <p class="file-notice" role="status">
                    {tf("editor.deleted", &[&d.file.name])}
                    <button class="undo-delete" on:click=undo_delete>{t("editor.undo")}</button>
                </p>
            }
        });
        (error, undo)
    };

    let diagnostic_item = move |file: String, d: Diagnostic, fix: Option<Fix>| {
        let (line, column) = (d.line, d.column);
        let label = format!(
            "{file}:{}:{}: {}: {}",
            d.line,
            d.column,
            t(severity_class(d.severity)),
            i18n::diagnostic(&d)
        );
        let fix_button = fix.map(|fix| {
            let file = file.clone();
            let text = tf("editor.fix", &[&i18n::say(&fix.phrase)]);
            view! {
                <button
                    class="fix"
                    on:click=move |ev| {
                        ev.stop_propagation();
                        apply_fix(file.clone(), fix.clone());
                    }
                >
                    {text}
                </button>
            }
        });
        view! {
            <li class=severity_class(d.severity)>
                <a
                    href="#"
                    on:click=move |ev| {
                        ev.prevent_default();
                        jump(file.clone(), line, column);
                    }
                >
                    {label}
                </a>
                {fix_button}
            </li>
        }
    };
    let live_list = move || {
        let file =
            match live_edit.with(|e| e.as_ref().filter(|e| e.shown).map(|e| e.key().to_string())) {
                Some(key) => key,
                None => files.with(|f| f.active().name.clone()),
            };
        live.get()
            .into_iter()
            .map(|l| diagnostic_item(file.clone(), l.diagnostic, l.fix))
            .collect_view()
    };
    let apply_errors_view = move || {
        let errors = apply_errors.get();
        (!errors.is_empty()).then(|| {
            let items = errors
                .into_iter()
                .map(|d| diagnostic_item(d.file, d.diagnostic, None))
                .collect_view();
            view! {
                <div class="apply-errors">
                    <p>{t("editor.blocked")}</p>
                    <ul class="diagnostics">{items}</ul>
                </div>
            }
        })
    };

    // While the live object is shown: what it is, and Save / Cancel in place of Apply.
    let live_bar = move || {
        let (title, retry) = live_edit.with(|e| {
            e.as_ref()
                .filter(|e| e.shown)
                .map(|e| (e.session.title.clone(), e.session.is_retry()))
        })?;
        let object = title.strip_prefix("edit ").unwrap_or(&title).to_string();
        Some(view! {
            <div class="live-edit-bar" role="region" aria-label=t("editor.live-region")>
                <p>
                    <strong>{t("editor.live-object")}" "</strong>
                    <code>{object}</code>
                    " "{t("editor.live-as")}" "<code>"kubectl edit"</code>" "{t("editor.live-explain")}
                </p>
                {retry.then(|| view! {
                    <p class="live-edit-refused" role="alert">
                        {t("editor.refused")}
                    </p>
                })}
            </div>
        })
    };
    let live_actions = move || {
        editing.get().then(|| view! {
            <div class="actions live-actions">
                <button class="live-save" title=t("editor.save-title") on:click=move |_| save_edit()>
                    {t("editor.save")}
                </button>
                <button class="live-cancel" title=t("editor.cancel-title") on:click=move |_| finish_edit.run(None)>
                    {t("editor.cancel")}
                </button>
            </div>
        })
    };

    view! {
        <div class="editor-box" on:keydown=pane_keys>
            <div class="file-bar">
                <nav class="tabs" role="tablist" aria-label=t("editor.files")>{tabs} {edit_tab}</nav>
                {file_actions}
            </div>
            {notices}
            {live_bar}
            <div class="editor-host" node_ref=host class:rich=move || rich.get() class:live=move || editing.get()>
                <textarea
                    class="editor"
                    node_ref=textarea
                    aria-label=move || if editing.get() { t("editor.live-editor") } else { t("editor.editor") }
                    spellcheck="false"
                    hidden=move || rich.get()
                    prop:value=move || {
                        match live_edit.with(|e| e.as_ref().filter(|e| e.shown).map(|e| e.text.clone())) {
                            Some(text) => text,
                            None => active_text.get(),
                        }
                    }
                    on:input=move |ev| typed(event_target_value(&ev))
                ></textarea>
            </div>
            <ul class="diagnostics live" aria-label=t("editor.problems")>{live_list}</ul>
            {live_actions}
            <div class="actions" hidden=move || editing.get()>
                <button class="apply" title=t("editor.apply-title") on:click=move |_| apply_all()>
                    {t("editor.apply")}
                </button>
                <button class="reset" on:click=reset_files>{t("editor.reset")}</button>
                <span class="saved-note" role="status">
                    {move || saved_note.get().then_some(t("editor.saved"))}
                </span>
            </div>
            {apply_errors_view}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed's `apps/v1beta1` StatefulSet: one diagnostic (kubectl's words, not the parser's
    /// as well) carrying the fix; the other files' hints stay on their own tabs.
    #[test]
    fn the_open_file_shows_each_problem_once_with_its_fix() {
        let sts = kubesim::examples::MONGODB[2]
            .1
            .replace("apiVersion: apps/v1", "apiVersion: apps/v1beta1");
        let svc =
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports:\n  - port: 0\n";
        let hints = hints::diagnostics(&[("mongo-sts.yaml", &sts), ("svc.yaml", svc)]);
        let live = live_diagnostics("mongo-sts.yaml", &hints);
        let removed: Vec<&Live> = live
            .iter()
            .filter(|l| l.diagnostic.message.contains("apps/v1beta1"))
            .collect();
        assert_eq!(removed.len(), 1, "{live:?}");
        assert!(removed[0].fix.is_some(), "{live:?}");
        assert!(live.iter().all(|l| !l.diagnostic.message.contains("port")));
        let other = live_diagnostics("svc.yaml", &hints);
        assert!(other
            .iter()
            .any(|l| l.diagnostic.message.contains("spec.ports[0].port")));
    }
}
