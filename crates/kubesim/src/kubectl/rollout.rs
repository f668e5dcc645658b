//! `kubectl rollout status` and `kubectl rollout history` for StatefulSets, ported from
//! `k8s.io/kubectl/pkg/polymorphichelpers/{rollout_status.go,history.go}` and
//! `pkg/cmd/rollout/{rollout_status.go,rollout_history.go}` (v0.35).

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::api::core::v1::PodTemplateSpec;

use super::describe::pod_template_raw;
use super::printers::{controller_of, resource_name};
use super::tabwriter::tabbed_string;

/// One evaluation of `StatefulSetStatusViewer.Status` on a watch event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RolloutStatus {
    /// A line to print (it ends in `\n`, exactly as kubectl writes it); `done` ends the watch.
    Message { text: String, done: bool },
    /// An error; kubectl prints `error: <message>` on stderr and exits 1.
    Error(String),
}

/// The error kubectl reports when the watched StatefulSet is deleted.
pub const OBJECT_DELETED: &str = "object has been deleted";

/// `StatefulSetStatusViewer.Status`. kubectl evaluates it on every ADDED/MODIFIED watch
/// event and prints the text every time (repeated lines are normal), stopping when `done`.
///
/// The object is expected to carry API defaults (strategy type, `rollingUpdate.partition`);
/// a missing strategy type is read as the API default `RollingUpdate`.
pub fn statefulset_status(sts: &StatefulSet) -> RolloutStatus {
    let spec = sts.spec.clone().unwrap_or_default();
    let status = sts.status.clone().unwrap_or_default();
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    if strategy.type_.as_deref().unwrap_or("RollingUpdate") != "RollingUpdate" {
        return RolloutStatus::Error(
            "rollout status is only available for RollingUpdate strategy type".to_string(),
        );
    }
    let observed = status.observed_generation.unwrap_or(0);
    let generation = sts.metadata.generation.unwrap_or(0);
    let msg = |text: String, done: bool| RolloutStatus::Message { text, done };
    if observed == 0 || generation > observed {
        return msg(
            "Waiting for statefulset spec update to be observed...\n".to_string(),
            false,
        );
    }
    let ready = status.ready_replicas.unwrap_or(0);
    let updated = status.updated_replicas.unwrap_or(0);
    if let Some(replicas) = spec.replicas {
        if ready < replicas {
            return msg(
                format!("Waiting for {} pods to be ready...\n", replicas - ready),
                false,
            );
        }
    }
    if let Some(ru) = &strategy.rolling_update {
        if let (Some(replicas), Some(partition)) = (spec.replicas, ru.partition) {
            if updated < replicas - partition {
                return msg(
                    format!(
                        "Waiting for partitioned roll out to finish: {updated} out of {} new pods have been updated...\n",
                        replicas - partition
                    ),
                    false,
                );
            }
        }
        return msg(
            format!("partitioned roll out complete: {updated} new pods have been updated...\n"),
            true,
        );
    }
    let update_revision = status.update_revision.clone().unwrap_or_default();
    let current_revision = status.current_revision.clone().unwrap_or_default();
    if update_revision != current_revision {
        return msg(
            format!(
                "waiting for statefulset rolling update to complete {updated} pods at revision {update_revision}...\n"
            ),
            false,
        );
    }
    msg(
        format!(
            "statefulset rolling update complete {} pods at revision {current_revision}...\n",
            status.current_replicas.unwrap_or(0)
        ),
        true,
    )
}

/// Whether `rev` is controlled by `sts` (`metav1.IsControlledBy`: the controller reference's
/// UID matches; without UIDs, kind and name must match).
pub fn is_controlled_by(rev: &ControllerRevision, sts: &StatefulSet) -> bool {
    let Some(r) = controller_of(&rev.metadata) else {
        return false;
    };
    match sts.metadata.uid.as_deref() {
        Some(uid) if !uid.is_empty() && !r.uid.is_empty() => r.uid == uid,
        _ => r.kind == "StatefulSet" && Some(&r.name) == sts.metadata.name.as_ref(),
    }
}

/// The pod template stored in a StatefulSet ControllerRevision (its `data` is the patch
/// `{"spec":{"template":{…,"$patch":"replace"}}}`).
pub fn revision_template(rev: &ControllerRevision) -> Option<PodTemplateSpec> {
    let data = rev.data.as_ref()?;
    let mut template = data.0.get("spec")?.get("template")?.clone();
    if let Some(obj) = template.as_object_mut() {
        obj.remove("$patch");
    }
    crate::manifest::from_json_value(&template)
}

/// `kubectl rollout history statefulset/<name> [--revision=N]`: stdout text, or the error
/// message (`unable to find the specified revision`).
///
/// `revisions` may contain any ControllerRevisions of the namespace; only those controlled by
/// `sts` are used. Without `--revision` the output is the name-printer line
/// `statefulset.apps/web ` (note the trailing space), then the `REVISION  CHANGE-CAUSE` table,
/// then an empty line.
pub fn statefulset_history(
    sts: &StatefulSet,
    revisions: &[ControllerRevision],
    revision: Option<i64>,
) -> Result<String, String> {
    let mut history: Vec<&ControllerRevision> = revisions
        .iter()
        .filter(|r| is_controlled_by(r, sts))
        .collect();
    // historyInfo is a map keyed by revision number: a later duplicate wins
    crate::sort::sort_by_key(&mut history, |r| r.revision);
    history.dedup_by(|later, earlier| {
        if later.revision == earlier.revision {
            *earlier = *later;
            true
        } else {
            false
        }
    });
    let revision = revision.filter(|r| *r > 0);
    let info = if history.is_empty() {
        "No rollout history found.".to_string()
    } else if let Some(n) = revision {
        let rev = history
            .iter()
            .find(|r| r.revision == n)
            .ok_or_else(|| "unable to find the specified revision".to_string())?;
        let template = revision_template(rev).ok_or_else(|| {
            format!(
                "unable to parse history {}",
                rev.metadata.name.as_deref().unwrap_or("")
            )
        })?;
        pod_template_raw(&template)
    } else {
        let mut text = String::from("REVISION\tCHANGE-CAUSE\n");
        for r in &history {
            let cause = r
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("kubernetes.io/change-cause"))
                .filter(|c| !c.is_empty())
                .cloned()
                .unwrap_or_else(|| "<none>".to_string());
            text.push_str(&format!("{}\t{cause}\n", r.revision));
        }
        tabbed_string(&text)
    };
    let with_revision = match revision {
        Some(n) => format!("with revision #{n}"),
        None => String::new(),
    };
    // NamePrinter with Operation = "<withRevision>\n<historyInfo>"
    Ok(format!("{} {with_revision}\n{info}\n", resource_name(sts)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::printers::tests::obj;
    use serde_json::json;

    fn sts(spec: serde_json::Value, status: serde_json::Value, generation: i64) -> StatefulSet {
        obj(json!({
            "metadata": {"name": "web", "namespace": "default", "uid": "u1", "generation": generation},
            "spec": spec,
            "status": status,
        }))
    }

    fn base_spec(partition: Option<i32>) -> serde_json::Value {
        let mut ru = json!({"maxUnavailable": 1});
        if let Some(p) = partition {
            ru["partition"] = json!(p);
        }
        json!({"replicas": 3, "selector": {}, "template": {},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": ru}})
    }

    fn text(s: &RolloutStatus) -> &str {
        match s {
            RolloutStatus::Message { text, .. } => text,
            RolloutStatus::Error(e) => e,
        }
    }

    #[test]
    fn status_messages_in_order() {
        let s = statefulset_status(&sts(base_spec(Some(0)), json!({"replicas": 0}), 1));
        assert_eq!(
            s,
            RolloutStatus::Message {
                text: "Waiting for statefulset spec update to be observed...\n".into(),
                done: false
            }
        );
        let s = statefulset_status(&sts(
            base_spec(Some(0)),
            json!({"replicas": 3, "observedGeneration": 2, "readyReplicas": 1}),
            2,
        ));
        assert_eq!(text(&s), "Waiting for 2 pods to be ready...\n");
        let s = statefulset_status(&sts(
            base_spec(Some(1)),
            json!({"replicas": 3, "observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 1}),
            2,
        ));
        assert_eq!(
            text(&s),
            "Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...\n"
        );
        let s = statefulset_status(&sts(
            base_spec(Some(0)),
            json!({"replicas": 3, "observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 3}),
            2,
        ));
        assert_eq!(
            s,
            RolloutStatus::Message {
                text: "partitioned roll out complete: 3 new pods have been updated...\n".into(),
                done: true
            }
        );
        // no partition: still the partitioned message (rollingUpdate is set)
        let s = statefulset_status(&sts(
            base_spec(None),
            json!({"replicas": 3, "observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 0}),
            2,
        ));
        assert_eq!(
            text(&s),
            "partitioned roll out complete: 0 new pods have been updated...\n"
        );
    }

    #[test]
    fn status_without_rolling_update_block_and_on_delete() {
        let spec = json!({"replicas": 2, "selector": {}, "template": {},
            "updateStrategy": {"type": "RollingUpdate"}});
        let s = statefulset_status(&sts(
            spec.clone(),
            json!({"replicas": 2, "observedGeneration": 1, "readyReplicas": 2, "updatedReplicas": 1,
                "currentRevision": "web-1", "updateRevision": "web-2", "currentReplicas": 1}),
            1,
        ));
        assert_eq!(
            text(&s),
            "waiting for statefulset rolling update to complete 1 pods at revision web-2...\n"
        );
        let s = statefulset_status(&sts(
            spec,
            json!({"replicas": 2, "observedGeneration": 1, "readyReplicas": 2, "updatedReplicas": 2,
                "currentRevision": "web-2", "updateRevision": "web-2", "currentReplicas": 2}),
            1,
        ));
        assert_eq!(
            s,
            RolloutStatus::Message {
                text: "statefulset rolling update complete 2 pods at revision web-2...\n".into(),
                done: true
            }
        );
        let on_delete = json!({"replicas": 2, "selector": {}, "template": {},
            "updateStrategy": {"type": "OnDelete"}});
        assert_eq!(
            statefulset_status(&sts(on_delete, json!({}), 1)),
            RolloutStatus::Error(
                "rollout status is only available for RollingUpdate strategy type".into()
            )
        );
    }

    fn revision(
        name: &str,
        n: i64,
        owner_uid: &str,
        cause: Option<&str>,
        image: &str,
    ) -> ControllerRevision {
        let mut meta = json!({"name": name, "namespace": "default",
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web",
                "uid": owner_uid, "controller": true}]});
        if let Some(c) = cause {
            meta["annotations"] = json!({"kubernetes.io/change-cause": c});
        }
        obj(json!({
            "metadata": meta,
            "revision": n,
            "data": {"spec": {"template": {"$patch": "replace",
                "metadata": {"labels": {"app": "nginx"}},
                "spec": {"containers": [{"name": "nginx", "image": image,
                    "ports": [{"name": "web", "containerPort": 80, "protocol": "TCP"}]}]}}}},
        }))
    }

    #[test]
    fn history_table() {
        let s = sts(base_spec(Some(0)), json!({}), 1);
        let revs = vec![
            revision(
                "web-7d9f",
                2,
                "u1",
                Some("kubectl set image sts/web nginx=nginx:1.27"),
                "nginx:1.27",
            ),
            revision("web-6b8f", 1, "u1", None, "nginx:1.26"),
            revision("other-1", 1, "someone-else", None, "x"),
        ];
        assert_eq!(
            statefulset_history(&s, &revs, None).unwrap(),
            "statefulset.apps/web \n\
             REVISION  CHANGE-CAUSE\n\
             1         <none>\n\
             2         kubectl set image sts/web nginx=nginx:1.27\n\
             \n"
        );
        assert_eq!(
            statefulset_history(&s, &[], None).unwrap(),
            "statefulset.apps/web \nNo rollout history found.\n"
        );
        assert_eq!(
            statefulset_history(&s, &revs, Some(5)),
            Err("unable to find the specified revision".to_string())
        );
    }

    #[test]
    fn history_of_one_revision_prints_its_template_with_raw_tabs() {
        let s = sts(base_spec(Some(0)), json!({}), 1);
        let revs = vec![revision("web-6b8f", 1, "u1", None, "nginx:1.26")];
        assert_eq!(
            statefulset_history(&s, &revs, Some(1)).unwrap(),
            "statefulset.apps/web with revision #1\n\
             Pod Template:\n  \
             Labels:\tapp=nginx\n  \
             Containers:\n   \
             nginx:\n    \
             Image:\tnginx:1.26\n    \
             Port:\t80/TCP (web)\n    \
             Host Port:\t0/TCP (web)\n    \
             Environment:\t<none>\n    \
             Mounts:\t<none>\n  \
             Volumes:\t<none>\n  \
             Node-Selectors:\t<none>\n  \
             Tolerations:\t<none>\n\n"
        );
    }
}
