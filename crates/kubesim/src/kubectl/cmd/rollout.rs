//! `kubectl rollout status|history|undo|restart` (upstream `pkg/cmd/rollout/`); the status
//! and history printers are pure functions in `kubectl::rollout`. `status` blocks, its step
//! is [`status_events`].

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};

use crate::engine::{AnyObject, Kind, WatchEntry, WatchEventType};
use crate::kubectl::cli::{Resource, Rollout};
use crate::kubectl::exec::objects::{self, not_found};
use crate::kubectl::exec::{api_error, now_ts, Job, Output, Shell};
use crate::kubectl::rollout;
use crate::manifest::Object;

impl Shell {
    pub(super) fn statefulset(&self, name: &str) -> Option<StatefulSet> {
        self.cluster
            .store()
            .get::<StatefulSet>(&self.namespace, name)
            .cloned()
    }

    pub(super) fn rollout(
        &mut self,
        action: Rollout,
        resource: Resource,
        name: &str,
        out: &mut Output,
    ) {
        if let Rollout::Pause | Rollout::Resume = action {
            // polymorphichelpers/objectpauser.go and objectresumer.go handle Deployments
            // only; pause.go/resume.go print `error: RESOURCE "name" pausing is not supported`
            let now = crate::kubectl::exec::now_ts(&self.cluster);
            let f = objects::find(
                &self.cluster,
                Some(&self.namespace),
                resource,
                &[name.to_string()],
                &objects::Selector::default(),
                now,
            );
            if f.values.is_empty() {
                out.fail(not_found(resource, name));
                return;
            }
            let group = if resource.group().is_empty() {
                String::new()
            } else {
                format!(".{}", resource.group())
            };
            let verb = if action == Rollout::Pause {
                "pausing"
            } else {
                "resuming"
            };
            out.fail(format!(
                "error: {}{group} \"{name}\" {verb} is not supported",
                resource.plural()
            ));
            return;
        }
        if resource != Resource::StatefulSets {
            out.fail(format!(
                "error: no {} has been implemented for {{\"{}\" \"{}\"}}",
                match action {
                    Rollout::Status => "status viewer",
                    Rollout::History { .. } => "history viewer",
                    Rollout::Undo { .. } => "rollbacker",
                    Rollout::Restart | Rollout::Pause | Rollout::Resume => "restarter",
                },
                resource.group(),
                objects::kind_name(resource)
            ));
            return;
        }
        let Some(sts) = self.statefulset(name) else {
            out.fail(not_found(resource, name));
            return;
        };
        let revisions: Vec<ControllerRevision> = self
            .cluster
            .store()
            .list_in::<ControllerRevision>(&self.namespace)
            .cloned()
            .collect();
        match action {
            Rollout::Status => {
                self.block(Job::RolloutStatus {
                    name: name.to_string(),
                });
                // kubectl first sees the object as an ADDED event.
                match rollout::statefulset_status(&sts) {
                    rollout::RolloutStatus::Message { text, done } => {
                        out.out(text);
                        if done {
                            self.pending = None;
                        }
                    }
                    rollout::RolloutStatus::Error(m) => {
                        out.fail(format!("error: {m}"));
                        self.pending = None;
                    }
                }
            }
            Rollout::History { revision } => {
                match rollout::statefulset_history(&sts, &revisions, revision) {
                    Ok(t) => out.out(t),
                    Err(e) => out.fail(format!("error: {e}")),
                }
            }
            Rollout::Undo { to_revision } => {
                let mut history: Vec<&ControllerRevision> = revisions
                    .iter()
                    .filter(|r| rollout::is_controlled_by(r, &sts))
                    .collect();
                crate::sort::sort_by_key(&mut history, |r| r.revision);
                let to = to_revision.unwrap_or(0);
                if to == 0 && history.len() <= 1 {
                    out.fail("error: no last revision to roll back to");
                    return;
                }
                let target = if to == 0 {
                    history.get(history.len() - 2).copied()
                } else {
                    history.iter().find(|r| r.revision == to).copied()
                };
                let Some(template) = target.and_then(rollout::revision_template) else {
                    out.fail(format!(
                        "error: unable to find specified revision {to} in history"
                    ));
                    return;
                };
                let mut new = sts.clone();
                let spec = new.spec.get_or_insert_with(Default::default);
                if objects::to_value(&spec.template) == objects::to_value(&template) {
                    out.out(format!(
                        "statefulset.apps/{name} skipped rollback (current template already matches revision {to})\n"
                    ));
                    return;
                }
                spec.template = template;
                self.apply_statefulset(new, "rolled back", out);
            }
            Rollout::Pause | Rollout::Resume => {}
            Rollout::Restart => {
                let mut new = sts.clone();
                let spec = new.spec.get_or_insert_with(Default::default);
                let at = k8s_openapi::jiff::fmt::strtime::format(
                    "%Y-%m-%dT%H:%M:%SZ",
                    now_ts(&self.cluster),
                )
                .unwrap_or_default();
                spec.template
                    .metadata
                    .get_or_insert_with(Default::default)
                    .annotations
                    .get_or_insert_with(Default::default)
                    .insert("kubectl.kubernetes.io/restartedAt".into(), at);
                self.apply_statefulset(new, "restarted", out);
            }
        }
    }

    pub(super) fn apply_statefulset(&mut self, sts: StatefulSet, verb: &str, out: &mut Output) {
        let name = sts.metadata.name.clone().unwrap_or_default();
        match self.cluster.apply(Object::StatefulSet(sts)) {
            Ok(_) => out.out(format!("statefulset.apps/{name} {verb}\n")),
            Err(e) => out.fail(api_error(&e, None)),
        }
    }
}

/// The rollout-status job's step: kubectl's message for each new version of the set; true when
/// the rollout is complete, failed, or the set was deleted.
pub(in crate::kubectl) fn status_events(
    name: &str,
    entries: &[WatchEntry],
    out: &mut Output,
) -> bool {
    for e in entries {
        if e.kind != Kind::StatefulSet || e.name != name {
            continue;
        }
        let AnyObject::StatefulSet(sts) = &e.object else {
            continue;
        };
        if e.event == WatchEventType::Deleted {
            out.fail(format!("error: {}", rollout::OBJECT_DELETED));
            return true;
        }
        match rollout::statefulset_status(sts) {
            rollout::RolloutStatus::Message { text, done } => {
                out.out(text);
                if done {
                    return true;
                }
            }
            rollout::RolloutStatus::Error(m) => {
                out.fail(format!("error: {m}"));
                return true;
            }
        }
    }
    false
}
