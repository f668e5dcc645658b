//! "Why is my StatefulSet not done?" — the controller's blocking rules, in plain words.

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};

use super::kubelet::{FAULT_FAIL, FAULT_UNREADY};
use super::statefulset::{
    is_available, is_running_and_ready, is_terminating, ordinal_of, pod_phase, pod_revision,
    pvc_name, start_ordinal,
};
use super::{instant_of, Cluster};
use crate::phrase::Phrase;

fn pod_problem(c: &Cluster, pod: &Pod, min_ready_ms: u64) -> Option<Phrase> {
    let name = pod.metadata.name.clone().unwrap_or_default();
    let now = c.now;
    if is_terminating(pod) {
        if pod.status.as_ref().and_then(|s| s.reason.as_deref()) == Some("NodeLost") {
            return Some(Phrase::new("why.pod-node-lost", [name]));
        }
        return Some(Phrase::new("why.pod-terminating", [name]));
    }
    let phase = pod_phase(pod);
    if matches!(phase, "Failed" | "Succeeded") {
        return Some(Phrase::new("why.pod-finished", [name.as_str(), phase]));
    }
    if pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_ref())
        .is_none()
    {
        let msg = pod
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|cs| {
                cs.iter()
                    .find(|c| c.type_ == "PodScheduled" && c.status == "False")
            })
            .and_then(|c| c.message.clone());
        return Some(match msg {
            Some(m) => Phrase::new("why.pod-unschedulable", [name]).with(Phrase::verbatim(m)),
            None => Phrase::new("why.pod-unscheduled", [name]),
        });
    }
    if phase == "Pending" {
        return Some(Phrase::new("why.pod-creating", [name]));
    }
    if !is_running_and_ready(pod) {
        let fault = pod
            .metadata
            .annotations
            .as_ref()
            .is_some_and(|a| a.get(FAULT_UNREADY).is_some_and(|v| v == "true"));
        if fault {
            return Some(Phrase::new(
                "why.pod-probe-fails",
                [name.as_str(), FAULT_UNREADY],
            ));
        }
        return Some(Phrase::new("why.pod-not-ready", [name]));
    }
    if !is_available(pod, min_ready_ms, now) {
        let since = pod
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
            .and_then(|c| c.last_transition_time.as_ref())
            .map(instant_of)
            .unwrap_or(now);
        return Some(Phrase::new(
            "why.pod-min-ready",
            [
                name,
                ((now - since) / 1000).to_string(),
                (min_ready_ms / 1000).to_string(),
            ],
        ));
    }
    None
}

pub(crate) fn why(c: &Cluster, ns: &str, name: &str) -> Vec<Phrase> {
    let mut out = Vec::new();
    let Some(set) = c.store.get::<StatefulSet>(ns, name) else {
        return vec![Phrase::new("why.set-missing", [name, ns])];
    };
    if set.metadata.deletion_timestamp.is_some() {
        out.push(Phrase::new("why.set-deleting", [name]));
        return out;
    }
    let spec = set.spec.clone().unwrap_or_default();
    let replicas = spec.replicas.unwrap_or(1).max(0) as i64;
    let start = start_ordinal(&spec);
    let min_ready_ms = spec.min_ready_seconds.unwrap_or(0).max(0) as u64 * 1000;
    let parallel = spec.pod_management_policy.as_deref() == Some("Parallel");
    let uid = set.metadata.uid.clone().unwrap_or_default();
    let pods: Vec<_> = c
        .store
        .pods_with_parent(ns, name)
        .into_iter()
        .filter(|p| super::history::owned_by(&p.metadata, &uid))
        .collect();
    let get = |ord: i64| pods.iter().find(|p| ordinal_of(p) == Some(ord));
    let status = set.status.clone().unwrap_or_default();
    let update_rev = status.update_revision.clone().unwrap_or_default();

    // Creation / readiness in order.
    let mut blocker: Option<Phrase> = None;
    for ord in start..start + replicas {
        let pod_name = format!("{name}-{ord}");
        match get(ord) {
            None => {
                match (&blocker, parallel) {
                    (Some(b), false) => {
                        out.push(Phrase::new("why.pod-waits", [&pod_name]).with(b.clone()))
                    }
                    _ => out.push(Phrase::new("why.pod-next", [&pod_name])),
                }
                if !parallel {
                    break;
                }
            }
            Some(p) => {
                if let Some(problem) = pod_problem(c, p, min_ready_ms) {
                    if p.metadata
                        .annotations
                        .as_ref()
                        .is_some_and(|a| a.get(FAULT_FAIL).is_some_and(|v| v == "true"))
                    {
                        out.push(Phrase::new(
                            "why.pod-fails",
                            [pod_name.as_str(), FAULT_FAIL],
                        ));
                    }
                    // Explain an unbound claim.
                    for t in spec.volume_claim_templates.iter().flatten() {
                        let cname = pvc_name(t.metadata.name.as_deref().unwrap_or(""), name, ord);
                        match c.store.get::<PersistentVolumeClaim>(ns, &cname) {
                            None => out.push(Phrase::new("why.claim-missing", [cname])),
                            Some(pvc) => {
                                if let Some(why) =
                                    super::pv_controller::explain_claim(&c.store, pvc)
                                {
                                    out.push(Phrase::verbatim(why));
                                }
                            }
                        }
                    }
                    out.push(problem.clone());
                    if blocker.is_none() {
                        blocker = Some(problem);
                    }
                }
            }
        }
    }
    // Scale-down.
    let condemned: Vec<_> = pods
        .iter()
        .filter(|p| ordinal_of(p).is_some_and(|o| o < start || o >= start + replicas))
        .collect();
    if !condemned.is_empty() {
        let names: Vec<String> = condemned
            .iter()
            .filter_map(|p| p.metadata.name.clone())
            .collect();
        match (&blocker, parallel) {
            (Some(b), false) => {
                out.push(Phrase::new("why.scale-down-waits", [names.join(", ")]).with(b.clone()))
            }
            _ => out.push(Phrase::new(
                if names.len() == 1 {
                    "why.scale-down-one"
                } else {
                    "why.scale-down"
                },
                [names.join(", ")],
            )),
        }
    }
    // Rollout.
    let outdated: Vec<String> = pods
        .iter()
        .filter(|p| pod_revision(p) != Some(update_rev.as_str()))
        .filter_map(|p| p.metadata.name.clone())
        .collect();
    if !outdated.is_empty() && !update_rev.is_empty() {
        let on_delete = spec
            .update_strategy
            .as_ref()
            .and_then(|u| u.type_.as_deref())
            == Some("OnDelete");
        if on_delete {
            out.push(Phrase::new("why.on-delete", [outdated.join(", ")]));
        } else {
            let partition = spec
                .update_strategy
                .as_ref()
                .and_then(|u| u.rolling_update.as_ref())
                .and_then(|r| r.partition)
                .unwrap_or(0) as i64;
            let (held, rolling): (Vec<&String>, Vec<&String>) = outdated.iter().partition(|n| {
                super::store::parse_ordinal(n).is_some_and(|(_, o)| o - start < partition)
            });
            if !held.is_empty() {
                let held: Vec<&str> = held.iter().map(|s| s.as_str()).collect();
                out.push(Phrase::new(
                    "why.partition",
                    [held.join(", "), partition.to_string()],
                ));
            }
            if !rolling.is_empty() {
                match &blocker {
                    Some(b) => {
                        out.push(Phrase::new("why.rolling-waits", [&update_rev]).with(b.clone()))
                    }
                    None => {
                        let left: Vec<&str> = rolling.iter().map(|s| s.as_str()).collect();
                        out.push(Phrase::new(
                            "why.rolling",
                            [update_rev.clone(), left.join(", ")],
                        ))
                    }
                }
            }
        }
    }
    if out.is_empty() {
        out.push(Phrase::new(
            "why.up-to-date",
            [
                name.to_string(),
                status.ready_replicas.unwrap_or(0).to_string(),
                replicas.to_string(),
                if update_rev.is_empty() {
                    "<none>".to_string()
                } else {
                    update_rev
                },
            ],
        ));
    }
    out
}
