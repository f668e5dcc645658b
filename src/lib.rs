//! The StatefulSet Playground's web shell (Leptos, client-side rendered).
//!
//! The shell only renders engine state and sends the engine commands; everything that models
//! Kubernetes lives in the `kubesim` crate. Browser-only concerns stay here: the DOM, local
//! storage for the user's edits, and (later) the timers that drive the simulated clock.

use kubesim::manifest::{self, Diagnostic, Severity};
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

/// One row of the applied-objects list.
#[derive(Clone, Debug, PartialEq)]
pub struct AppliedObject {
    pub file: String,
    pub line: usize,
    pub reference: String,
    pub kind: &'static str,
    pub summary: String,
}

/// What Apply produced: the objects understood, or why nothing was applied.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApplyResult {
    pub objects: Vec<AppliedObject>,
    pub diagnostics: Vec<FileDiagnostic>,
}

/// Parses every file in order, as `kubectl apply -f` over the file set would read them.
/// Nothing is applied while any file has an error (apply is all or nothing, so the user never
/// ends up with half a walkthrough).
pub fn apply_files(files: &[(&str, String)]) -> ApplyResult {
    let mut result = ApplyResult::default();
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
            .extend(parsed.objects.into_iter().map(|p| AppliedObject {
                file: name.to_string(),
                line: p.line,
                reference: p.object.reference(),
                kind: p.object.kind(),
                summary: p.object.summary(),
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

const STORAGE_PREFIX: &str = "sts-playground/file/";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The user's last text for a file, so a reload never loses an edit.
fn saved_text(name: &str) -> Option<String> {
    local_storage()?
        .get_item(&format!("{STORAGE_PREFIX}{name}"))
        .ok()
        .flatten()
}

fn save_text(name: &str, text: &str) {
    if let Some(storage) = local_storage() {
        // Quota errors only lose persistence, never the edit in the page.
        let _ = storage.set_item(&format!("{STORAGE_PREFIX}{name}"), text);
    }
}

fn forget_text(name: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(&format!("{STORAGE_PREFIX}{name}"));
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

#[component]
pub fn App() -> impl IntoView {
    let files: Vec<File> = kubesim::examples::MONGODB
        .iter()
        .map(|(name, text)| File {
            name,
            text: RwSignal::new(saved_text(name).unwrap_or_else(|| text.to_string())),
        })
        .collect();
    let files = StoredValue::new(files);
    let active = RwSignal::new(0usize);
    let result = RwSignal::new(None::<ApplyResult>);
    let editor = NodeRef::<leptos::html::Textarea>::new();

    let current = move || files.with_value(|f| f[active.get()]);
    // Live diagnostics for the open file, recomputed as the user types.
    let live = Memo::new(move |_| manifest::parse(&current().text.get()).diagnostics);

    let apply = move |_| {
        let texts: Vec<(&str, String)> =
            files.with_value(|f| f.iter().map(|f| (f.name, f.text.get_untracked())).collect());
        result.set(Some(apply_files(&texts)));
    };
    let reset = move |_| {
        files.with_value(|f| {
            for (file, (_, text)) in f.iter().zip(kubesim::examples::MONGODB) {
                forget_text(file.name);
                file.text.set(text.to_string());
            }
        });
        result.set(None);
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

    let live_list = move || {
        let file = current().name;
        live.get()
            .into_iter()
            .map(|d| {
                let (line, column) = (d.line, d.column);
                let label = format!("{file}:{d}");
                view! {
                    <li class=severity_class(d.severity) on:click=move |_| jump(file.to_string(), line, column)>
                        {label}
                    </li>
                }
            })
            .collect_view()
    };

    let result_view = move || {
        result.get().map(|r| {
            if r.objects.is_empty() && !r.diagnostics.is_empty() {
                let items = r
                    .diagnostics
                    .into_iter()
                    .map(|d| {
                        let FileDiagnostic { file, diagnostic } = d;
                        let label = format!("{file}:{diagnostic}");
                        let (line, column) = (diagnostic.line, diagnostic.column);
                        view! {
                            <li class=severity_class(diagnostic.severity) on:click=move |_| jump(file.clone(), line, column)>
                                {label}
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="apply-errors">
                        <p>"Nothing was applied: fix these first."</p>
                        <ul class="diagnostics">{items}</ul>
                    </div>
                }
                .into_any()
            } else {
                let count = r.objects.len();
                let rows = r
                    .objects
                    .into_iter()
                    .map(|o| {
                        view! {
                            <tr data-kind=o.kind>
                                <td class="ref">{o.reference}</td>
                                <td>{o.summary}</td>
                                <td class="where">{format!("{}:{}", o.file, o.line)}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="applied">
                        <p>{format!("{count} objects understood")}</p>
                        <table class="objects"><tbody>{rows}</tbody></table>
                    </div>
                }
                .into_any()
            }
        })
    };

    view! {
        <header>
            <h1>"StatefulSet Playground"</h1>
            <span class="version">{format!("simulating Kubernetes {}", kubesim::KUBERNETES_VERSION)}</span>
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
                        file.text.set(value);
                    }
                ></textarea>
                <ul class="diagnostics live">{live_list}</ul>
                <div class="actions">
                    <button class="apply" on:click=apply>"Apply"</button>
                    <button class="reset" on:click=reset>"Reset example"</button>
                </div>
            </section>
            <section class="result-pane">{result_view}</section>
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
    fn applying_the_seed_lists_its_seven_objects_with_their_files() {
        let r = apply_files(&seed());
        assert!(r.diagnostics.is_empty());
        let refs: Vec<&str> = r.objects.iter().map(|o| o.reference.as_str()).collect();
        assert_eq!(refs.len(), 7);
        assert_eq!(refs[5], "service/mongo");
        assert_eq!(r.objects[6].file, "mongo-sts.yaml");
    }

    #[test]
    fn one_bad_file_applies_nothing_and_names_the_file() {
        let mut files = seed();
        files[1].1 = files[1].1.replace("port: 27017", "port: 0");
        let r = apply_files(&files);
        assert!(r.objects.is_empty());
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].file, "mongo-service.yaml");
        assert_eq!(
            r.diagnostics[0].diagnostic.to_string(),
            "9:5: error: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"
        );
    }
}
