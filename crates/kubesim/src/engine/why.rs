//! "Why is my StatefulSet not done?" — the controller's blocking rules, in plain words.

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};

use super::kubelet::{FAULT_FAIL, FAULT_UNREADY};
use super::statefulset::{
    is_available, is_running_and_ready, is_terminating, ordinal_of, pod_phase, pod_revision,
    pvc_name, start_ordinal,
};
use super::{instant_of, Cluster};

fn pod_problem(c: &Cluster, pod: &Pod, min_ready_ms: u64) -> Option<String> {
    let name = pod.metadata.name.clone().unwrap_or_default();
    let now = c.now;
    if is_terminating(pod) {
        if pod.status.as_ref().and_then(|s| s.reason.as_deref()) == Some("NodeLost") {
            return Some(format!(
                "{name} is on a node that is down: it stays Terminating (Unknown) until the node returns or someone force-deletes it (kubectl delete pod {name} --grace-period=0 --force)"
            ));
        }
        return Some(format!("{name} is terminating"));
    }
    let phase = pod_phase(pod);
    if matches!(phase, "Failed" | "Succeeded") {
        return Some(format!(
            "{name} has phase {phase}; the controller deletes it and recreates it once it is gone"
        ));
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
            Some(m) => format!("{name} is Pending, not scheduled: {m}"),
            None => format!("{name} is Pending, waiting for the scheduler"),
        });
    }
    if phase == "Pending" {
        return Some(format!(
            "{name} is starting its containers (ContainerCreating)"
        ));
    }
    if !is_running_and_ready(pod) {
        let fault = pod
            .metadata
            .annotations
            .as_ref()
            .is_some_and(|a| a.get(FAULT_UNREADY).is_some_and(|v| v == "true"));
        if fault {
            return Some(format!(
                "{name} is Running but not Ready: its readiness probe fails ({FAULT_UNREADY}=true)"
            ));
        }
        return Some(format!(
            "{name} is Running but not Ready yet (readiness probe)"
        ));
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
        return Some(format!(
            "{name} has been Ready for {}s, less than minReadySeconds {}",
            (now - since) / 1000,
            min_ready_ms / 1000
        ));
    }
    None
}

pub(crate) fn why(c: &Cluster, ns: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let Some(set) = c.store.get::<StatefulSet>(ns, name) else {
        return vec![format!(
            "statefulset {name} does not exist in namespace {ns}"
        )];
    };
    if set.metadata.deletion_timestamp.is_some() {
        out.push(format!("{name} is being deleted: the controller creates and deletes nothing; the garbage collector removes its pods"));
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
    let mut blocker: Option<String> = None;
    for ord in start..start + replicas {
        let pod_name = format!("{name}-{ord}");
        match get(ord) {
            None => {
                match (&blocker, parallel) {
                    (Some(b), false) => out.push(format!(
                        "{pod_name} is not created yet: {b} (OrderedReady creates one pod at a time and waits for each to be Running and Ready)"
                    )),
                    _ => out.push(format!("{pod_name} is about to be created")),
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
                        out.push(format!("{pod_name} carries {FAULT_FAIL}=true: its containers exit with an error"));
                    }
                    // Explain an unbound claim.
                    for t in spec.volume_claim_templates.iter().flatten() {
                        let cname = pvc_name(t.metadata.name.as_deref().unwrap_or(""), name, ord);
                        match c.store.get::<PersistentVolumeClaim>(ns, &cname) {
                            None => out.push(format!("claim {cname} does not exist")),
                            Some(pvc) => {
                                if let Some(why) =
                                    super::pv_controller::explain_claim(&c.store, pvc)
                                {
                                    out.push(why);
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
            (Some(b), false) => out.push(format!(
                "scale-down of {} waits: {b} (OrderedReady only removes pods while all others are healthy)",
                names.join(", ")
            )),
            _ => out.push(format!("{} {} being removed (highest ordinal first)", names.join(", "), if names.len() == 1 { "is" } else { "are" })),
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
            out.push(format!(
                "{} still run an old revision: with updateStrategy OnDelete they change only when you delete them",
                outdated.join(", ")
            ));
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
                out.push(format!(
                    "{} stay on the old revision because of partition {partition}",
                    held.iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if !rolling.is_empty() {
                match &blocker {
                    Some(b) => out.push(format!("rolling update to {update_rev} waits: {b}")),
                    None => out.push(format!(
                        "rolling update to {update_rev} in progress: {} left, highest ordinal first",
                        rolling.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                    )),
                }
            }
        }
    }
    if out.is_empty() {
        out.push(format!(
            "{name} is up to date: {}/{} Ready at revision {}",
            status.ready_replicas.unwrap_or(0),
            replicas,
            if update_rev.is_empty() {
                "<none>"
            } else {
                &update_rev
            }
        ));
    }
    out
}
