//! `kubectl get` (upstream `pkg/cmd/get/get.go`): tables, `-o wide|yaml|json|name|jsonpath`,
//! `-l`, and `-w` / `--watch-only` / `--output-watch-events`, whose rows are printed by
//! [`watch_events`] as the cluster's watch log grows.

use crate::engine::{self, WatchEntry, WatchEventType};
use crate::kubectl::cli::{self, Resource};
use crate::kubectl::exec::jsonpath::json_path_template;
use crate::kubectl::exec::objects::{find, not_found, render_any, resource_of, Selector};
use crate::kubectl::exec::{now_ts, to_json, to_yaml, Job, Output, Shell};
use crate::kubectl::table::{self, PrintOptions, WatchPrinter};

/// How a blocking command's output is rendered while it watches.
#[derive(Clone, Debug)]
pub(in crate::kubectl) enum WatchFormat {
    Table(Box<WatchPrinter>),
    Name,
    Yaml { printed: usize },
    Json,
}

fn list_value(items: Vec<serde_json::Value>) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "v1",
        "items": items,
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    })
}

impl Shell {
    pub(super) fn get(
        &mut self,
        selections: &[cli::Selection],
        format: &cli::Output,
        selector: Option<&str>,
        options: PrintOptions,
        (watch, watch_only, watch_events): (bool, bool, bool),
        out: &mut Output,
    ) {
        let selector = match selector.map(Selector::parse).transpose() {
            Ok(s) => s.unwrap_or_default(),
            Err(e) => {
                out.fail(e);
                return;
            }
        };
        if watch && selections.len() != 1 {
            out.fail("error: watch is only supported on individual resources and resource collections, but a list of resources is found");
            return;
        }
        let now = now_ts(&self.cluster);
        // `-A` lists every namespace (kubectl's `--all-namespaces`)
        let ns = (!options.with_namespace).then(|| self.namespace.clone());
        let mut tables = Vec::new();
        let mut refs = Vec::new();
        let mut values = Vec::new();
        let mut missing = Vec::new();
        let mut namespaced = false;
        for sel in selections {
            if sel.resource == Resource::Endpoints {
                out.err("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice");
            }
            namespaced |= sel.resource.namespaced();
            let f = find(
                &self.cluster,
                ns.as_deref(),
                sel.resource,
                &sel.names,
                &selector,
                now,
            );
            missing.extend(f.missing.iter().map(|n| not_found(sel.resource, n)));
            tables.push(f.table);
            refs.extend(f.refs);
            values.extend(f.values);
        }
        let asked_names = selections.iter().any(|s| !s.names.is_empty());
        if watch {
            let sel = &selections[0];
            if !missing.is_empty() {
                for m in missing {
                    out.fail(m);
                }
                return;
            }
            let mut wf = match format {
                cli::Output::Name => WatchFormat::Name,
                cli::Output::Yaml => WatchFormat::Yaml { printed: 0 },
                cli::Output::Json => WatchFormat::Json,
                _ => WatchFormat::Table(Box::new(WatchPrinter::new(options, watch_events))),
            };
            if !watch_only {
                match &mut wf {
                    WatchFormat::Table(p) => out.out(p.initial(&tables[0])),
                    WatchFormat::Name => {
                        out.out(refs.iter().map(|r| format!("{r}\n")).collect::<String>())
                    }
                    WatchFormat::Yaml { printed } => {
                        for v in &values {
                            if *printed > 0 {
                                out.out("---\n");
                            }
                            *printed += 1;
                            out.out(to_yaml(v));
                        }
                    }
                    WatchFormat::Json => {
                        for v in &values {
                            out.out(to_json(v));
                        }
                    }
                }
            }
            self.block(Job::Watch {
                resource: sel.resource,
                namespace: ns,
                names: sel.names.clone(),
                selector,
                format: wf,
            });
            self.count_printed(out);
            return;
        }
        let total: usize = tables.iter().map(|t| t.rows.len()).sum();
        if total > 0 {
            match format {
                cli::Output::Name => {
                    out.out(refs.iter().map(|r| format!("{r}\n")).collect::<String>())
                }
                cli::Output::Yaml | cli::Output::Json => {
                    let single = asked_names
                        && values.len() == 1
                        && selections.len() == 1
                        && selections[0].names.len() == 1;
                    let v = if single {
                        values.remove(0)
                    } else {
                        list_value(values)
                    };
                    out.out(if *format == cli::Output::Yaml {
                        to_yaml(&v)
                    } else {
                        to_json(&v)
                    });
                }
                cli::Output::JsonPath(template) => {
                    let single = asked_names && values.len() == 1;
                    let v = if single {
                        values.remove(0)
                    } else {
                        list_value(values)
                    };
                    match json_path_template(&v, template) {
                        Ok(t) => out.out(t),
                        Err(e) => out.fail(e),
                    }
                }
                _ => {
                    let mut kinds: Vec<Resource> = selections.iter().map(|s| s.resource).collect();
                    kinds.sort();
                    kinds.dedup();
                    // kubectl prefixes NAME with the kind whenever several types were asked
                    // for, even if only one of them has objects.
                    let options = PrintOptions {
                        with_kind: kinds.len() > 1,
                        ..options
                    };
                    out.out(table::render_all(&tables, &options))
                }
            }
        } else if !asked_names {
            let ns = ns.as_deref().filter(|_| namespaced);
            out.err(table::no_resources_found(ns));
        }
        for m in missing {
            out.fail(m);
        }
    }
}

/// The watch job's step: one row (or document) per new watch entry of the watched kind that
/// matches the names and selector.
pub(in crate::kubectl) fn watch_events(
    resource: Resource,
    namespace: Option<&str>,
    names: &[String],
    selector: &Selector,
    format: &mut WatchFormat,
    entries: &[WatchEntry],
    out: &mut Output,
) {
    for e in entries {
        if resource_of(&e.object) != resource || (!names.is_empty() && !names.contains(&e.name)) {
            continue;
        }
        if namespace.is_some_and(|ns| !e.namespace.is_empty() && e.namespace != ns) {
            continue;
        }
        let at = engine::timestamp(e.at).0;
        let (meta, table, name, value) = render_any(&e.object, at);
        if !selector.matches(meta.labels.as_ref()) {
            continue;
        }
        let ev = match e.event {
            WatchEventType::Added => table::WatchEventType::Added,
            WatchEventType::Modified => table::WatchEventType::Modified,
            WatchEventType::Deleted => table::WatchEventType::Deleted,
        };
        match format {
            WatchFormat::Table(p) => out.out(p.event(ev, &table)),
            WatchFormat::Name => out.out(format!("{name}\n")),
            WatchFormat::Yaml { printed } => {
                if *printed > 0 {
                    out.out("---\n");
                }
                *printed += 1;
                out.out(to_yaml(&value));
            }
            WatchFormat::Json => out.out(to_json(&value)),
        }
    }
}
