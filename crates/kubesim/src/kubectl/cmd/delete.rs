//! `kubectl delete` (upstream `pkg/cmd/delete/delete.go`): by name or `-f`, `--cascade`,
//! `--grace-period`, `--force`, and `--wait` (default): blocks until the objects are gone.

use crate::engine::{DeleteOptions, Propagation};
use crate::kubectl::cli::{self, Cascade, Resource};
use crate::kubectl::exec::objects::{find, not_found, Selector};
use crate::kubectl::exec::{api_error, kind_of, now_ts, singular, Job, Output, Shell};
use crate::kubectl::printers;
use crate::manifest::Object;

use super::apply::namespace_mismatch;

impl Shell {
    /// `how` is (`--cascade`, `--grace-period`, `--force`, `--wait`).
    pub(super) fn delete(
        &mut self,
        files: &[String],
        selections: &[cli::Selection],
        selector: Option<&str>,
        how: (Cascade, Option<i64>, bool, bool),
        out: &mut Output,
    ) {
        let (cascade, grace_period, force, wait) = how;
        let selector = match selector.map(Selector::parse).transpose() {
            Ok(s) => s,
            Err(e) => {
                out.fail(e);
                return;
            }
        };
        let mut grace = grace_period;
        if grace == Some(0) && !force {
            grace = Some(1);
        }
        if force && grace.is_none_or(|g| g < 0) {
            grace = Some(0);
        }
        let options = DeleteOptions {
            propagation: match cascade {
                Cascade::Background => Propagation::Background,
                Cascade::Foreground => Propagation::Foreground,
                Cascade::Orphan => Propagation::Orphan,
            },
            grace_period: grace,
            force,
        };
        if force {
            out.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.");
        }
        // (resource, name, file, namespace)
        let mut targets: Vec<(Resource, String, Option<String>, String)> = Vec::new();
        let mut errors = Output::default();
        for path in files {
            let (label, text) = match self.read_file(path) {
                Ok(f) => f,
                Err(e) => {
                    out.fail(e);
                    return;
                }
            };
            for (mut obj, _) in self.objects_of(&label, &text, "deleting", &mut errors) {
                // an object names its namespace, or takes the command's; under an explicit
                // -n another one is refused (cli-runtime `pkg/resource/visitor.go`)
                let ns = match obj.namespace_slot().map(|n| n.clone()) {
                    Some(Some(theirs)) if self.namespace_flag && theirs != self.namespace => {
                        errors.fail(namespace_mismatch(&theirs, &self.namespace));
                        continue;
                    }
                    Some(Some(theirs)) => theirs,
                    _ => self.namespace.clone(),
                };
                let resource = match obj {
                    Object::StatefulSet(_) => Resource::StatefulSets,
                    Object::Service(_) => Resource::Services,
                    Object::PersistentVolume(_) => Resource::PersistentVolumes,
                    Object::PersistentVolumeClaim(_) => Resource::PersistentVolumeClaims,
                    Object::StorageClass(_) => Resource::StorageClasses,
                    Object::Namespace(_) => Resource::Namespaces,
                };
                targets.push((resource, obj.name().to_string(), Some(label.clone()), ns));
            }
        }
        for sel in selections {
            let names = match &selector {
                // `-l` / `--all`: every object of the kind the selector matches, by name
                Some(selector) => {
                    find(
                        &self.cluster,
                        Some(&self.namespace),
                        sel.resource,
                        &[],
                        selector,
                        now_ts(&self.cluster),
                    )
                    .names
                }
                None => sel.names.clone(),
            };
            for n in names {
                targets.push((sel.resource, n, None, self.namespace.clone()));
            }
        }
        if targets.is_empty() && selector.is_some() {
            // upstream delete.go (DeleteResult): nothing matched
            out.out("No resources found\n");
            return;
        }
        let mut waiting = Vec::new();
        let command_namespace = self.namespace.clone();
        for (resource, name, file, ns) in targets {
            self.namespace = ns;
            let Some(kind) = kind_of(resource) else {
                // Endpoints are derived from the Service: deleting them is accepted and the
                // endpoints controller writes them again at once.
                if self.exists(resource, &name, None) {
                    out.out(format!(
                        "{}\n",
                        printers::deleted_line(
                            "endpoints",
                            &name,
                            Some(self.namespace.as_str()),
                            grace == Some(0)
                        )
                    ));
                } else {
                    errors.fail(not_found(resource, &name));
                }
                continue;
            };
            let uid = find(
                &self.cluster,
                Some(&self.namespace),
                resource,
                std::slice::from_ref(&name),
                &Selector::default(),
                now_ts(&self.cluster),
            )
            .values
            .first()
            .and_then(|v| v["metadata"]["uid"].as_str().map(str::to_string));
            match self.cluster.delete(kind, &self.namespace, &name, options) {
                Ok(_) => {
                    let ns = resource.namespaced().then_some(self.namespace.as_str());
                    out.out(format!(
                        "{}\n",
                        printers::deleted_line(&singular(resource), &name, ns, grace == Some(0))
                    ));
                    waiting.push((resource, name, uid));
                }
                Err(e) => {
                    let ctx = file.map(|f| format!("error when deleting \"{f}\""));
                    errors.fail(api_error(&e, ctx.as_deref()));
                }
            }
        }
        self.namespace = command_namespace;
        out.extend(errors);
        if wait && !waiting.is_empty() {
            self.block(Job::Delete { targets: waiting });
            self.process(out);
        }
    }

    /// Whether the object is there: by name in the command's namespace, or (with its uid)
    /// in any namespace.
    pub(super) fn exists(&self, resource: Resource, name: &str, uid: Option<&str>) -> bool {
        let f = find(
            &self.cluster,
            uid.is_none().then_some(self.namespace.as_str()),
            resource,
            &[name.to_string()],
            &Selector::default(),
            now_ts(&self.cluster),
        );
        match uid {
            Some(u) => f
                .values
                .iter()
                .any(|v| v["metadata"]["uid"].as_str() == Some(u)),
            None => !f.values.is_empty(),
        }
    }

    /// The delete job's step: drops the targets that are gone; true when none is left.
    pub(in crate::kubectl) fn delete_step(
        &self,
        targets: &mut Vec<(Resource, String, Option<String>)>,
    ) -> bool {
        targets.retain(|(r, n, uid)| self.exists(*r, n, uid.as_deref()));
        targets.is_empty()
    }
}
