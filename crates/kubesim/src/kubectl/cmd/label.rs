//! `kubectl label` and `kubectl annotate` (upstream `pkg/cmd/label/label.go`,
//! `pkg/cmd/annotate/annotate.go`): `k=v`, `k-`, `--overwrite`.

use std::collections::BTreeMap;

use crate::kubectl::cli::{self, KeyChange, Resource};
use crate::kubectl::exec::objects::{find, not_found, Selector};
use crate::kubectl::exec::{api_error, kind_of, now_ts, singular, Output, Shell};

impl Shell {
    pub(super) fn label(
        &mut self,
        resource: Resource,
        name: &str,
        changes: &[KeyChange],
        overwrite: bool,
        annotation: bool,
        out: &mut Output,
    ) {
        let now = now_ts(&self.cluster);
        let f = find(
            &self.cluster,
            resource,
            &[name.to_string()],
            &Selector::default(),
            now,
        );
        let Some(obj) = f.values.first() else {
            out.fail(not_found(resource, name));
            return;
        };
        let Some(kind) = kind_of(resource) else {
            out.fail(format!(
                "error: the playground cannot label {}",
                resource.plural()
            ));
            return;
        };
        let field = if annotation { "annotations" } else { "labels" };
        let current: BTreeMap<String, String> =
            serde_json::from_value(obj["metadata"][field].clone()).unwrap_or_default();
        // validate first: kubectl changes nothing when one key would be overwritten
        for c in changes {
            if let KeyChange::Set(k, v) = c {
                if let Some(old) = current.get(k) {
                    if old != v && !overwrite {
                        out.fail(format!(
                            "error: '{k}' already has a value ({old}), and --overwrite is false"
                        ));
                        return;
                    }
                }
            }
        }
        let mut changed = false;
        for c in changes {
            let (k, v) = match c {
                KeyChange::Set(k, v) => {
                    if current.get(k) == Some(v) {
                        continue;
                    }
                    (k, Some(v.as_str()))
                }
                KeyChange::Remove(k) => {
                    if !current.contains_key(k) {
                        if !annotation {
                            out.out(format!("label \"{k}\" not found.\n"));
                        }
                        continue;
                    }
                    (k, None)
                }
            };
            let r = if annotation {
                self.cluster
                    .set_annotation(kind, cli::NAMESPACE, name, k, v)
            } else {
                self.cluster.set_label(kind, cli::NAMESPACE, name, k, v)
            };
            if let Err(e) = r {
                out.fail(api_error(&e, None));
                return;
            }
            changed = true;
        }
        let verb = match (annotation, changed) {
            (false, true) => "labeled",
            (false, false) => "not labeled",
            (true, true) => "annotated",
            (true, false) => "not annotated",
        };
        out.out(format!("{}/{name} {verb}\n", singular(resource)));
    }
}
