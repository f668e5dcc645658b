//! The scheduler (`default-scheduler`): binds Pending pods to Ready nodes.
//!
//! Deterministic placement: the Ready node with the fewest non-terminal pods, ties by name.
//! Before placement the volume check (a stand-in for the VolumeBinding plugin's PreFilter) may
//! keep the pod Pending with a `FailedScheduling` event (§2.9 texts).

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{Node, PersistentVolumeClaim, Pod, PodCondition, PodStatus};

use super::{node_is_ready, timestamp, Cluster, Store};

pub const SCHEDULER: &str = "default-scheduler";

/// Why a pod cannot be placed on any node (PreFilter-style, node independent).
pub type VolumeCheck = fn(&Store, &Pod) -> Result<(), String>;

/// Per-node volume filter (VolumeBinding Filter): `Err` is the per-node reason, counted in
/// the `FailedScheduling` message like the other filters' reasons.
pub type VolumeFilter = fn(&Store, &Pod, &str) -> Result<(), String>;

/// VolumeBinding PreBind for the chosen node: may write claims/volumes; returns true when
/// the pod's volumes are ready and the pod may be bound now (else it stays unscheduled and is
/// retried when its claims change).
pub type VolumePreBind = fn(&mut Cluster, &Pod, &str) -> bool;

/// Default [`VolumeFilter`]: every node passes.
pub fn any_node(_: &Store, _: &Pod, _: &str) -> Result<(), String> {
    Ok(())
}

/// Default [`VolumePreBind`]: nothing to bind.
pub fn nothing_to_bind(_: &mut Cluster, _: &Pod, _: &str) -> bool {
    true
}

/// The simple Immediate-binding check: every claim must exist and be Bound.
pub fn check_volumes(store: &Store, pod: &Pod) -> Result<(), String> {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let mut unbound = false;
    for v in pod.spec.iter().flat_map(|s| s.volumes.iter().flatten()) {
        let Some(claim) = v.persistent_volume_claim.as_ref() else {
            continue;
        };
        match store.get::<PersistentVolumeClaim>(ns, &claim.claim_name) {
            None => {
                return Err(format!(
                    "persistentvolumeclaim \"{}\" not found",
                    claim.claim_name
                ))
            }
            Some(pvc) => {
                if pvc.metadata.deletion_timestamp.is_some() {
                    return Err(format!(
                        "persistentvolumeclaim \"{}\" is being deleted",
                        claim.claim_name
                    ));
                }
                let bound = pvc.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound");
                if !bound {
                    unbound = true;
                }
            }
        }
    }
    if unbound {
        return Err("pod has unbound immediate PersistentVolumeClaims".into());
    }
    Ok(())
}

/// One scheduling pass over every unscheduled pod, in name order.
pub fn schedule_pending(c: &mut Cluster) {
    let pending = c.store.unscheduled_pods();
    if pending.is_empty() {
        return;
    }
    let mut cache = std::mem::take(&mut c.scheduler_nodes);
    cache.refresh(&c.store);
    let nodes = &cache.nodes;
    let total = nodes.len();
    // Pod counts per node (from the store's index, read in the same name order as the
    // nodes), maintained through the pass; nodes are in name order, so the lowest index
    // breaks ties by name.
    let mut load: Vec<usize> = {
        let mut loads = c.store.node_loads().peekable();
        (nodes.iter())
            .map(|n| {
                while loads.next_if(|(l, _)| *l < n.name.as_str()).is_some() {}
                loads.next_if(|(l, _)| *l == n.name).map_or(0, |(_, l)| l)
            })
            .collect()
    };
    // A node with room, least loaded first (then by name): a pod takes the first one its
    // volumes allow. Found by a scan per pod (no ordered set to build per pass: a pass places
    // one pod in an OrderedReady rollout, and a scan of the nodes is cheaper than building one).
    let has_room = |load: &[usize], i: usize| nodes[i].ready && load[i] < nodes[i].capacity;
    for (ns, name) in pending {
        let Some(pod) = c.store.get_arc::<Pod>(&ns, &name) else {
            continue;
        };
        if pod.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let fail = |c: &mut Cluster, why: String| {
            let msg = format!(
                "0/{total} nodes are available: {why}. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling."
            );
            set_unschedulable(c, &pod, &msg);
        };
        if let Err(why) = (c.volume_check())(&c.store, &pod) {
            fail(c, why);
            continue;
        }
        let filter = c.volume_filter;
        let mut volume_reasons: BTreeMap<String, usize> = BTreeMap::new();
        // The VolumeBinding plugin's PreFilter skips its Filter for a pod without claims.
        let claims = super::pv_controller::uses_claims(&pod);
        let choice = if !claims {
            (0..total)
                .filter(|&i| has_room(&load, i))
                .min_by_key(|&i| (load[i], i))
        } else {
            let mut open: Vec<(usize, usize)> = (0..total)
                .filter(|&i| has_room(&load, i))
                .map(|i| (load[i], i))
                .collect();
            open.sort_unstable();
            open.into_iter().map(|(_, i)| i).find(|&i| {
                match filter(&c.store, &pod, &nodes[i].name) {
                    Ok(()) => true,
                    Err(r) => {
                        *volume_reasons.entry(r).or_default() += 1;
                        false
                    }
                }
            })
        };
        let Some(choice_index) = choice else {
            // Reasons as the scheduler's Filter plugins word them, sorted as upstream sorts
            // the reason strings.
            let cordoned = nodes.iter().filter(|n| n.cordoned).count();
            let not_ready = nodes.iter().filter(|n| !n.ready && !n.cordoned).count();
            let vol: usize = volume_reasons.values().sum();
            let full = nodes.len() - not_ready - cordoned - vol;
            let mut why = Vec::new();
            if full > 0 {
                why.push(format!("{full} Too many pods"));
            }
            for (r, n) in &volume_reasons {
                why.push(format!("{n} {r}"));
            }
            if cordoned > 0 {
                why.push(format!("{cordoned} node(s) were unschedulable"));
            }
            if not_ready > 0 {
                why.push(format!(
                    "{not_ready} node(s) had untolerated taint {{node.kubernetes.io/unreachable: }}"
                ));
            }
            fail(c, why.join(", "));
            continue;
        };
        // Reserve (assume) the pod on the node before PreBind, so pods waiting for their
        // volumes in this pass spread over the nodes like bound ones.
        load[choice_index] += 1;
        let node = nodes[choice_index].name.clone();
        if !(c.volume_prebind)(c, &pod, &node) {
            continue;
        }
        let Some(pod) = c.store.get_arc::<Pod>(&ns, &name) else {
            continue;
        };
        let mut bound = (*pod).clone();
        bound.spec.get_or_insert_with(Default::default).node_name = Some(node.clone());
        let status = bound.status.get_or_insert_with(PodStatus::default);
        set_condition(status, "PodScheduled", "True", None, None, c.now);
        if c.store.update(bound).is_ok() {
            c.store.record_event(
                &pod.metadata,
                "Pod",
                "Normal",
                "Scheduled",
                format!("Successfully assigned {ns}/{name} to {node}"),
                SCHEDULER,
            );
        }
    }
    c.scheduler_nodes = cache;
}

/// What a pass reads of each node, kept between passes (the pass runs once per pod created
/// in an OrderedReady rollout, and the nodes rarely change): rebuilt when any Node object
/// was written, which the shared versions it holds tell by pointer.
#[derive(Clone, Debug, Default)]
pub(crate) struct NodeCache {
    versions: Vec<Arc<Node>>,
    nodes: Vec<NodeFacts>,
}

#[derive(Clone, Debug)]
struct NodeFacts {
    name: String,
    /// Ready and not cordoned.
    ready: bool,
    /// `status.capacity.pods` (110 when absent or unreadable).
    capacity: usize,
    cordoned: bool,
}

impl NodeCache {
    fn refresh(&mut self, store: &Store) {
        let current = store.list_arcs::<Node>();
        if current
            .map(Some)
            .chain([None])
            .zip(self.versions.iter().map(Some).chain([None]))
            .all(|(a, b)| match (a, b) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (a, b) => a.is_none() && b.is_none(),
            })
        {
            return;
        }
        self.versions = store.list_arcs::<Node>().cloned().collect();
        self.nodes = (self.versions.iter())
            .map(|n| {
                let capacity = super::node_pod_capacity(n);
                let cordoned = n.spec.as_ref().and_then(|s| s.unschedulable) == Some(true);
                NodeFacts {
                    name: n.metadata.name.clone().unwrap_or_default(),
                    ready: node_is_ready(n) && !cordoned,
                    capacity,
                    cordoned,
                }
            })
            .collect();
    }
}

fn set_unschedulable(c: &mut Cluster, pod: &Pod, msg: &str) {
    let mut p = pod.clone();
    let status = p.status.get_or_insert_with(PodStatus::default);
    set_condition(
        status,
        "PodScheduled",
        "False",
        Some("Unschedulable"),
        Some(msg),
        c.now,
    );
    let _ = c.store.update(p);
    c.store.record_event(
        &pod.metadata,
        "Pod",
        "Warning",
        "FailedScheduling",
        msg,
        SCHEDULER,
    );
}

/// Sets a pod condition, keeping lastTransitionTime when the status does not change.
pub(crate) fn set_condition(
    status: &mut PodStatus,
    type_: &str,
    value: &str,
    reason: Option<&str>,
    message: Option<&str>,
    now: u64,
) {
    let conds = status.conditions.get_or_insert_with(Vec::new);
    if let Some(c) = conds.iter_mut().find(|c| c.type_ == type_) {
        if c.status != value {
            c.status = value.into();
            c.last_transition_time = Some(timestamp(now));
        }
        c.reason = reason.map(Into::into);
        c.message = message.map(Into::into);
        return;
    }
    conds.push(PodCondition {
        type_: type_.into(),
        status: value.into(),
        reason: reason.map(Into::into),
        message: message.map(Into::into),
        last_transition_time: Some(timestamp(now)),
        ..Default::default()
    });
    // The order the kubelet writes them in (`generateAPIPodStatus` in
    // pkg/kubelet/kubelet_pods.go; the status manager's `mergePodStatus` puts conditions the
    // kubelet does not own, like DisruptionTarget, first).
    let rank = |t: &str| match t {
        "PodReadyToStartContainers" => 1,
        "Initialized" => 2,
        "Ready" => 3,
        "ContainersReady" => 4,
        "PodScheduled" => 5,
        _ => 0,
    };
    conds.sort_by_key(|c| rank(&c.type_));
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::{Cluster, Kind};
    use k8s_openapi::api::core::v1::{PersistentVolumeClaimVolumeSource, Volume};

    fn node_of(c: &Cluster, pod: &str) -> Option<String> {
        pod_of(c, pod).and_then(|p| p.spec.and_then(|s| s.node_name))
    }

    fn pod_of(c: &Cluster, name: &str) -> Option<k8s_openapi::api::core::v1::Pod> {
        pod(c, name)
    }

    #[test]
    fn places_pods_on_the_least_loaded_ready_node_then_by_name() {
        let mut c = Cluster::default();
        c.node_down("node-2").unwrap();
        for n in ["a", "b", "c"] {
            bare_pod(&mut c, n, None);
        }
        c.advance(100);
        assert_eq!(node_of(&c, "a").as_deref(), Some("node-1"));
        assert_eq!(node_of(&c, "b").as_deref(), Some("node-3"));
        assert_eq!(node_of(&c, "c").as_deref(), Some("node-1"));
        let ev = events_for(&c, "a");
        assert_eq!(
            ev[0],
            (
                "Scheduled".to_string(),
                "Successfully assigned default/a to node-1".to_string()
            )
        );
    }

    #[test]
    fn a_full_node_takes_no_more_pods_until_one_leaves() {
        // 110 pods per node (the kubelet's default maxPods): the 111th waits.
        let mut c = Cluster::new(crate::engine::ClusterConfig {
            nodes: 2,
            ..Default::default()
        });
        c.node_down("node-2").unwrap();
        let names: Vec<String> = (0..112).map(|i| format!("p{i:03}")).collect();
        for n in &names {
            bare_pod(&mut c, n, None);
        }
        c.advance(100);
        let placed = names.iter().filter(|n| node_of(&c, n).is_some()).count();
        assert_eq!(placed, 110);
        assert_eq!(node_of(&c, "p111"), None);
        assert_eq!(
            events_for(&c, "p111")[0].1,
            "0/2 nodes are available: 1 Too many pods, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
        );
        c.store_mut()
            .delete::<k8s_openapi::api::core::v1::Pod>(
                "default",
                "p000",
                crate::engine::Propagation::Background,
                Some(0),
            )
            .unwrap();
        c.advance(10_000);
        assert_eq!(node_of(&c, "p110").as_deref(), Some("node-1"));
        assert_eq!(node_of(&c, "p111"), None, "one place freed, one pod placed");
    }

    #[test]
    fn pod_with_missing_or_unbound_claim_stays_pending_with_failed_scheduling() {
        let mut c = Cluster::default();
        bare_pod(&mut c, "a", None);
        // Give the pod a claim volume before the scheduler runs.
        let mut p = pod(&c, "a").unwrap();
        p.spec.as_mut().unwrap().volumes = Some(vec![Volume {
            name: "data".into(),
            persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                claim_name: "data-a".into(),
                read_only: None,
            }),
            ..Default::default()
        }]);
        c.store_mut().update(p).unwrap();
        c.advance(100);
        assert_eq!(node_of(&c, "a"), None);
        let ev = events_for(&c, "a");
        assert_eq!(ev[0].0, "FailedScheduling");
        assert_eq!(ev[0].1, "0/3 nodes are available: persistentvolumeclaim \"data-a\" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
        let cond = pod(&c, "a").unwrap().status.unwrap().conditions.unwrap();
        let sched = cond.iter().find(|c| c.type_ == "PodScheduled").unwrap();
        assert_eq!(
            (sched.status.as_str(), sched.reason.as_deref()),
            ("False", Some("Unschedulable"))
        );
        // A claim with no volume to bind: the unbound-claim message.
        c.apply_yaml("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data-a\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n").unwrap();
        c.advance(1_000);
        assert_eq!(node_of(&c, "a"), None);
        assert!(events_for(&c, "a").iter().any(|(_, m)| m.starts_with(
            "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims."
        )));
        // A matching volume binds it, and the pod is scheduled.
        c.apply_yaml("apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv1\nspec:\n  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteOnce]\n  hostPath:\n    path: /x\n").unwrap();
        c.advance(1_000);
        assert!(node_of(&c, "a").is_some());
        let _ = Kind::Pod;
    }
}
