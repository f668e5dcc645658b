//! `kubectl label` and `kubectl annotate` (upstream `pkg/cmd/label/label.go`,
//! `pkg/cmd/annotate/annotate.go`): `k=v`, `k-`, `--overwrite`.

use std::collections::BTreeMap;

use crate::kubectl::cli::{KeyChange, Resource};
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
        if !annotation {
            // kubectl's parseLabels (pkg/cmd/label/label.go) checks the values, not the keys
            // (the API server refuses those), before it reads the object
            for c in changes {
                if let KeyChange::Set(k, v) = c {
                    if v.contains('=') {
                        out.fail(format!("error: invalid label spec: {k}={v}"));
                        return;
                    }
                    let errs = crate::validation::label_value_errors(v);
                    if !errs.is_empty() {
                        out.fail(format!(
                            "error: invalid label value: {}: {}",
                            crate::validation::go_quote(&format!("{k}={v}")),
                            errs.join(";")
                        ));
                        return;
                    }
                }
            }
            let set = |k: &String| {
                changes
                    .iter()
                    .any(|c| matches!(c, KeyChange::Set(s, _) if s == k))
            };
            if changes
                .iter()
                .any(|c| matches!(c, KeyChange::Remove(k) if set(k)))
            {
                out.fail("error: can not both modify and remove a label in the same command");
                return;
            }
        }
        let now = now_ts(&self.cluster);
        let f = find(
            &self.cluster,
            Some(&self.namespace),
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
        // One write for every key, as kubectl sends one patch: a write per key made a copy
        // of an ever larger object per key (8,000 labels: 6 GB).
        let mut edits = Vec::new();
        for c in changes {
            match c {
                KeyChange::Set(k, v) => {
                    if current.get(k) != Some(v) {
                        edits.push((k.clone(), Some(v.clone())));
                    }
                }
                KeyChange::Remove(k) => {
                    if current.contains_key(k) {
                        edits.push((k.clone(), None));
                    } else if !annotation {
                        out.out(format!("label \"{k}\" not found.\n"));
                    }
                }
            }
        }
        let changed = !edits.is_empty();
        if changed {
            let r = self
                .cluster
                .edit_metadata(kind, &self.namespace, name, annotation, edits);
            if let Err(e) = r {
                out.fail(api_error(&e, None));
                return;
            }
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
