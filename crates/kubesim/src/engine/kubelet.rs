//! The kubelets of all nodes: pod admission, image pulls, container start, readiness, faults
//! and graceful termination, with the events the kubelet records.
//!
//! Timeline of a pod bound to a node (durations from [`ClusterConfig`](super::ClusterConfig)):
//! admit (sandbox, pod IP; `0/1 ContainerCreating`) → per container: `Pulling`/`Pulled`
//! (or "already present"), `Created`, `Started` → phase `Running` → `Ready` once every
//! readiness probe's `initialDelaySeconds` passed. Deleting it: `Killing` → containers stop after
//! the grace period (`0/1 Terminating`) → the kubelet removes the object.
//!
//! Faults (annotations): `playground.dev/unready: "true"` on the pod (or copied from the pod
//! template, or on the owning StatefulSet's own metadata) fails the readiness probe;
//! `playground.dev/fail: "true"` makes the containers exit with code 1 `fail_after_ms` after
//! each start.
//!
//! Restarts (upstream `pkg/kubelet/kuberuntime/kuberuntime_manager.go`, `doBackOff`, and
//! `pkg/kubelet/kubelet.go`'s back-off of 10 s doubling to 300 s): an exited container of a
//! `restartPolicy: Always` pod (or `OnFailure` with a non-zero exit code) is restarted in
//! place. The kubelet notices the exit one `fault_reaction_ms` later (PLEG); the first exit
//! restarts at once (`backOff.Next`), later ones wait in `CrashLoopBackOff` (waiting message
//! `back-off 10s restarting failed container=C pod=P_NS(UID)`, event `BackOff`) until the
//! back-off since the exit has passed, doubling each time up to 5 min; an entry whose last
//! update is older than 2 × 5 min is forgotten (`hasExpired` in client-go's
//! `util/flowcontrol/backoff.go`): a container that ran 10 minutes starts again at 10 s.
//! The restart keeps the pod's uid, IP and phase `Running`; `restartCount` grows and
//! `lastState.terminated` keeps the exit. `restartPolicy: Never` pods go `Failed`.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting,
    ContainerStatus, Node, NodeSpec, Pod, PodIP, PodStatus, Taint,
};

use super::scheduler::set_condition;
use super::store::KeyRef;
use super::{
    controller_of, node_is_ready, node_ready_condition, timestamp, ApiError, Cluster, Kind,
    Propagation, Task, WatchEventType,
};

pub const KUBELET: &str = "kubelet";
pub const FAULT_UNREADY: &str = "playground.dev/unready";
pub const FAULT_FAIL: &str = "playground.dev/fail";
/// Fails the pod's liveness and startup probes (those its containers declare).
pub const FAULT_UNHEALTHY: &str = "playground.dev/unhealthy";

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Step {
    /// The pod's uid: a step for a pod that was deleted (or replaced under the same name)
    /// finds nothing and does nothing.
    uid: String,
    action: Action,
}

impl Step {
    /// The pod this step is for, if it still exists.
    fn pod(&self, c: &Cluster) -> Option<std::sync::Arc<Pod>> {
        let r = c.store.object_by_uid(&self.uid)?;
        if r.kind != Kind::Pod {
            return None;
        }
        c.store.get_arc::<Pod>(&r.namespace, &r.name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Action {
    Admit,
    Pull(usize),
    Pulled(usize),
    Create(usize),
    Started(usize),
    Probe,
    Fail,
    Kill,
    Stopped,
    Remove,
    /// The pod worker's sync after a container exited: restart now or back off.
    Exited,
    /// The back-off ran out: start the containers again.
    Restart,
    /// The liveness (or, `true`, startup) probe of the container instance started at the
    /// given instant has failed `failureThreshold` times: kill it.
    ProbeKill(u64, bool),
}

/// kubelet's container restart back-off (`pkg/kubelet/kubelet.go`: `backOffPeriod` 10 s,
/// `MaxContainerBackOff` 300 s).
pub const BACKOFF_INITIAL_MS: u64 = 10_000;
pub const BACKOFF_MAX_MS: u64 = 300_000;

#[derive(Clone, Debug, Default)]
struct PodRuntime {
    node: String,
    admitted: bool,
    running: bool,
    killing: bool,
    unready_fault: bool,
    fail_fault: bool,
    /// Start instants of the containers started so far in this sync (their status is written
    /// once, when the last one has started: one `ContainerCreating` row, not one per container).
    started_at: Vec<u64>,
    /// The restart back-off entry: (current back-off, last update), client-go's `backoffEntry`.
    backoff: Option<(u64, u64)>,
    /// When the containers last exited.
    exited_at: u64,
    /// The unhealthy fault is being acted on (a ProbeKill is queued).
    unhealthy_fault: bool,
    /// Since when the kubelet has seen the unhealthy fault (probes failing from then on).
    unhealthy_since: Option<u64>,
}

/// What the kubelets remember between steps.
#[derive(Clone, Debug, Default)]
pub struct KubeletState {
    pods: BTreeMap<String, PodRuntime>,
    images: BTreeSet<(String, String)>,
    ips: BTreeMap<String, BTreeSet<u32>>,
    pod_ips: BTreeMap<String, (String, u32)>,
    set_unready: BTreeMap<(String, String), bool>,
    /// An image reference's status image and image ID ([`super::ids`]), made once per
    /// reference: every started container reports them.
    image_ids: BTreeMap<String, (String, String)>,
}

fn annotated(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta, key: &str) -> bool {
    meta.annotations
        .as_ref()
        .and_then(|a| a.get(key))
        .is_some_and(|v| v == "true")
}

fn unready_fault(c: &Cluster, pod: &Pod) -> bool {
    if annotated(&pod.metadata, FAULT_UNREADY) {
        return true;
    }
    // A lost disk (PV `playground.dev/failed`): the app cannot serve, readiness fails.
    if super::pv_controller::mount_check(&c.store, pod).is_err() {
        return true;
    }
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    controller_of(&pod.metadata, "StatefulSet")
        .and_then(|s| c.store.get::<StatefulSet>(ns, s))
        .is_some_and(|s| annotated(&s.metadata, FAULT_UNREADY))
}

fn node_ready(c: &Cluster, node: &str) -> bool {
    c.store.get::<Node>("", node).is_some_and(node_is_ready)
}

fn phase(pod: &Pod) -> &str {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

fn step(pod: &Pod, action: Action) -> Task {
    Task::Kubelet(Step {
        uid: pod.metadata.uid.clone().unwrap_or_default(),
        action,
    })
}

/// Informer handler: reacts to pod writes.
pub(crate) fn on_pod_event(c: &mut Cluster, pod: &Pod, event: WatchEventType) {
    let uid = pod.metadata.uid.as_deref().unwrap_or_default();
    if event == WatchEventType::Deleted {
        c.kubelet.pods.remove(uid);
        if let Some((node, n)) = c.kubelet.pod_ips.remove(uid) {
            if let Some(set) = c.kubelet.ips.get_mut(&node) {
                set.remove(&n);
            }
        }
        return;
    }
    let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) else {
        return;
    };
    if !node_ready(c, node) {
        return;
    }
    let now = c.now;
    let unready = unready_fault(c, pod);
    let fail = annotated(&pod.metadata, FAULT_FAIL);
    let unhealthy = annotated(&pod.metadata, FAULT_UNHEALTHY);
    let terminal = matches!(phase(pod), "Failed" | "Succeeded");
    let reaction = probe_reaction_ms(c, pod, unready);
    let (admit_ms, fault_ms) = (c.config.kubelet_admit_ms, c.config.fault_reaction_ms);
    let latency = c.config.probe_latency_ms;
    let deleting = pod.metadata.deletion_timestamp.is_some();
    let mut tasks = Vec::new();
    super::store::with_entry(
        &mut c.kubelet.pods,
        uid,
        || uid.to_string(),
        |rt| {
            if rt.node != node {
                rt.node = node.to_string();
            }
            if unhealthy != rt.unhealthy_since.is_some() {
                rt.unhealthy_since = unhealthy.then_some(now);
            }
            if deleting {
                if !rt.killing {
                    rt.killing = true;
                    tasks.push((now, Action::Kill));
                }
            } else if !rt.admitted && !terminal {
                rt.admitted = true;
                tasks.push((now + admit_ms, Action::Admit));
            } else if rt.running {
                if unready != rt.unready_fault {
                    rt.unready_fault = unready;
                    tasks.push((now.saturating_add(reaction), Action::Probe));
                }
                if fail && !rt.fail_fault {
                    rt.fail_fault = true;
                    tasks.push((now + fault_ms, Action::Fail));
                }
                if unhealthy && !rt.unhealthy_fault {
                    if let Some((at, startup)) = probe_kill_at(pod, now, latency) {
                        rt.unhealthy_fault = true;
                        tasks.push((at, Action::ProbeKill(started_at(pod), startup)));
                    }
                }
            }
        },
    );
    for (at, a) in tasks {
        let t = step(pod, a);
        c.enqueue(at, t);
    }
}

/// Informer handler for StatefulSets: the set-level unready fault.
pub(crate) fn on_set_event(c: &mut Cluster, set: &StatefulSet) {
    let ns = set.metadata.namespace.clone().unwrap_or_default();
    let name = set.metadata.name.clone().unwrap_or_default();
    let flag = annotated(&set.metadata, FAULT_UNREADY);
    let key = (ns.clone(), name.clone());
    let old = c.kubelet.set_unready.insert(key, flag).unwrap_or(false);
    if old == flag {
        return;
    }
    for pod in c.store.pods_with_parent(&ns, &name) {
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        let unready = unready_fault(c, &pod);
        if let Some(rt) = c.kubelet.pods.get_mut(&uid) {
            if rt.running && rt.unready_fault != unready {
                rt.unready_fault = unready;
                let t = step(&pod, Action::Probe);
                c.enqueue(c.now.saturating_add(probe_reaction_ms(c, &pod, unready)), t);
            }
        }
    }
}

/// A deleted set's fault flag goes with it.
pub(crate) fn forget_set(c: &mut Cluster, ns: &str, name: &str) {
    c.kubelet
        .set_unready
        .remove(&(ns.to_string(), name.to_string()));
}

impl KubeletState {
    /// Entries of the kubelets' tables (pods, addresses, images, set fault flags).
    pub(crate) fn entries(&self) -> usize {
        self.pods.len()
            + self.images.len()
            + self.ips.values().map(BTreeSet::len).sum::<usize>()
            + self.pod_ips.len()
            + self.set_unready.len()
    }
}

/// Go's `time.Duration.String()` for whole milliseconds.
pub fn go_duration(ms: u64) -> String {
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let (m, s) = (ms / 60_000, ms % 60_000);
    let secs = if s % 1000 == 0 {
        format!("{}s", s / 1000)
    } else {
        let frac = format!("{:03}", s % 1000);
        format!("{}.{}s", s / 1000, frac.trim_end_matches('0'))
    };
    if m == 0 {
        secs
    } else {
        format!("{m}m{secs}")
    }
}

fn image_size(image: &str) -> u64 {
    // FNV-1a of the name: a stable, plausible size between 10 MB and 500 MB.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in image.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    10_000_000 + h % 490_000_000
}

fn node_index(node: &str) -> u32 {
    node.rsplit('-')
        .next()
        .and_then(|n| n.parse::<u32>().ok())
        .unwrap_or(0)
        % 256
}

fn container_ready_at(pod: &Pod, i: usize, started: u64, probe_latency: u64) -> u64 {
    let container = pod.spec.as_ref().and_then(|s| s.containers.get(i));
    let passes = |p: Option<&k8s_openapi::api::core::v1::Probe>| match p {
        None => started,
        Some(p) => {
            let delay = (p.initial_delay_seconds.unwrap_or(0).max(0) as u64).saturating_mul(1000);
            started.saturating_add(delay.max(probe_latency))
        }
    };
    // The readiness prober starts once the startup probe has succeeded (prober_manager.go).
    let startup = passes(container.and_then(|c| c.startup_probe.as_ref()));
    let readiness = passes(container.and_then(|c| c.readiness_probe.as_ref()));
    if container.is_some_and(|c| c.startup_probe.is_some() && c.readiness_probe.is_some()) {
        readiness.max(startup.saturating_add(readiness - started))
    } else {
        readiness.max(startup)
    }
}

/// Runs one kubelet step.
pub(crate) fn run(c: &mut Cluster, s: Step) {
    let Some(pod) = s.pod(c) else {
        return;
    };
    let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) else {
        return;
    };
    if !node_ready(c, node) {
        return;
    }
    let now = c.now;
    let containers: &[k8s_openapi::api::core::v1::Container] = pod
        .spec
        .as_ref()
        .map(|s| s.containers.as_slice())
        .unwrap_or(&[]);
    let terminating = pod.metadata.deletion_timestamp.is_some();
    // The pod is copied only by the steps that write it.
    let copy = || (*pod).clone();
    let event = |c: &mut Cluster, type_: &'static str, reason: &'static str, msg: String| {
        c.store
            .record_event(&pod.metadata, "Pod", type_, reason, msg, KUBELET);
    };
    match s.action {
        Action::Admit => {
            if terminating {
                return;
            }
            let mut p = copy();
            // Volume manager: WaitForAttachAndMount before the sandbox is created.
            if let Err(messages) = super::pv_controller::mount_check(&c.store, &pod) {
                for m in messages {
                    event(c, "Warning", "FailedMount", m);
                }
                mount_pending_status(&mut p, containers, now);
                let _ = c.store.update(p);
                c.enqueue(now + MOUNT_RETRY_MS, step(&pod, Action::Admit));
                return;
            }
            let mut n = 2;
            super::store::with_entry(
                &mut c.kubelet.ips,
                node,
                || node.to_string(),
                |used| {
                    // The lowest free address from .2 on: one walk of the (sorted) used ones.
                    n = 2;
                    for &u in used.range(2..) {
                        if u != n {
                            break;
                        }
                        n += 1;
                    }
                    used.insert(n);
                },
            );
            let ip = format!("10.244.{}.{}", node_index(node), n % 256);
            c.kubelet
                .pod_ips
                .insert(s.uid.clone(), (node.to_string(), n));
            let host_ip = c
                .store
                .get::<Node>("", node)
                .and_then(|n| n.status.as_ref())
                .and_then(|s| s.addresses.as_ref())
                .and_then(|a| a.first())
                .map(|a| a.address.clone());
            let st = p.status.get_or_insert_with(PodStatus::default);
            st.phase = Some("Pending".into());
            st.host_ip = host_ip.clone();
            st.host_ips = host_ip.map(|ip| vec![k8s_openapi::api::core::v1::HostIP { ip }]);
            st.pod_ip = Some(ip.clone());
            st.pod_ips = Some(vec![PodIP { ip }]);
            st.start_time = Some(timestamp(now));
            set_condition(st, "PodReadyToStartContainers", "True", None, None, now);
            set_condition(st, "Initialized", "True", None, None, now);
            let msg = unready_message(containers.iter().map(|c| c.name.as_str()));
            set_readiness(st, "False", Some("ContainersNotReady"), Some(&msg), now);
            st.container_statuses = Some(
                containers
                    .iter()
                    .map(|ct| ContainerStatus {
                        name: ct.name.clone(),
                        image: ct.image.clone().unwrap_or_default(),
                        image_id: String::new(),
                        ready: false,
                        restart_count: 0,
                        started: Some(false),
                        state: Some(ContainerState {
                            waiting: Some(ContainerStateWaiting {
                                reason: Some("ContainerCreating".into()),
                                message: None,
                            }),
                            ..Default::default()
                        }),
                        ..Default::default()
                    })
                    .collect(),
            );
            let _ = c.store.update(p);
            if !containers.is_empty() {
                c.enqueue(now, step(&pod, Action::Pull(0)));
            }
        }
        Action::Pull(i) => {
            let Some(ct) = containers.get(i) else { return };
            if terminating {
                return;
            }
            let image = ct.image.clone().unwrap_or_default();
            let always = ct.image_pull_policy.as_deref() == Some("Always");
            let present = c
                .kubelet
                .images
                .contains(&(node, image.as_str()) as &dyn KeyRef);
            if !always && present {
                event(
                    c,
                    "Normal",
                    "Pulled",
                    format!("Container image \"{image}\" already present on machine"),
                );
                c.enqueue(now, step(&pod, Action::Create(i)));
            } else {
                event(c, "Normal", "Pulling", format!("Pulling image \"{image}\""));
                c.enqueue(now + c.config.image_pull_ms, step(&pod, Action::Pulled(i)));
            }
        }
        Action::Pulled(i) => {
            let Some(ct) = containers.get(i) else { return };
            let image = ct.image.clone().unwrap_or_default();
            if !c
                .kubelet
                .images
                .contains(&(node, image.as_str()) as &dyn KeyRef)
            {
                c.kubelet.images.insert((node.to_string(), image.clone()));
            }
            let d = go_duration(c.config.image_pull_ms);
            event(
                c,
                "Normal",
                "Pulled",
                format!(
                    "Successfully pulled image \"{image}\" in {d} ({d} including waiting). Image size: {} bytes.",
                    image_size(&image)
                ),
            );
            if !terminating {
                c.enqueue(now, step(&pod, Action::Create(i)));
            }
        }
        Action::Create(i) => {
            let Some(ct) = containers.get(i) else { return };
            if terminating {
                return;
            }
            event(
                c,
                "Normal",
                "Created",
                format!("Created container: {}", ct.name),
            );
            c.enqueue(
                now + c.config.container_start_ms,
                step(&pod, Action::Started(i)),
            );
        }
        Action::Started(i) => {
            let Some(ct) = containers.get(i) else { return };
            if terminating {
                return;
            }
            event(
                c,
                "Normal",
                "Started",
                format!("Started container {}", ct.name),
            );
            // The status manager writes once the sync has started every container.
            let Some(rt) = c.kubelet.pods.get_mut(&s.uid) else {
                return;
            };
            rt.started_at.truncate(i);
            rt.started_at.push(now);
            if i + 1 < containers.len() {
                c.enqueue(now, step(&pod, Action::Pull(i + 1)));
                return;
            }
            let started_at = std::mem::take(&mut rt.started_at);
            let mut p = copy();
            let st = p.status.get_or_insert_with(PodStatus::default);
            for ((cs, at), ct) in st
                .container_statuses
                .iter_mut()
                .flatten()
                .zip(started_at)
                .zip(containers)
            {
                let image = ct.image.as_deref().unwrap_or_default();
                let ids = match c.kubelet.image_ids.get(image) {
                    Some(ids) => ids,
                    None => c
                        .kubelet
                        .image_ids
                        .entry(image.to_string())
                        .or_insert((super::ids::status_image(image), super::ids::image_id(image))),
                };
                cs.image = ids.0.clone();
                cs.image_id = ids.1.clone();
                cs.container_id =
                    Some(super::ids::container_id(&s.uid, &ct.name, cs.restart_count));
                cs.started = Some(true);
                cs.state = Some(ContainerState {
                    running: Some(ContainerStateRunning {
                        started_at: Some(timestamp(at)),
                    }),
                    ..Default::default()
                });
            }
            st.phase = Some("Running".into());
            let unready = unready_fault(c, &pod);
            let fail = annotated(&pod.metadata, FAULT_FAIL);
            if let Some(rt) = c.kubelet.pods.get_mut(&s.uid) {
                rt.running = true;
                rt.unready_fault = unready;
                rt.fail_fault = fail;
            }
            // One status write for "all containers started" and the readiness it implies, as
            // the kubelet's status manager writes one snapshot per sync: a pod without
            // readiness probes goes from ContainerCreating straight to 2/2 Running.
            probe_from(c, &s, Some(p));
            if fail {
                c.enqueue(now + c.config.fail_after_ms, step(&pod, Action::Fail));
            }
            schedule_probe_kill(c, &s, &pod, now);
        }
        Action::Probe => probe(c, &s),
        Action::ProbeKill(started, startup) => {
            let current = started_at(&pod) == started && phase(&pod) == "Running";
            let Some(rt) = c.kubelet.pods.get_mut(&s.uid) else {
                return;
            };
            if terminating || !current || !rt.running || !annotated(&pod.metadata, FAULT_UNHEALTHY)
            {
                rt.unhealthy_fault = false;
                return;
            }
            rt.unhealthy_fault = false;
            rt.running = false;
            rt.exited_at = now;
            // pkg/kubelet/prober/worker.go: `failureThreshold` failures in a row, each an
            // `Unhealthy` event (aggregated), then the kill (kuberuntime_manager.go
            // computePodActions: "Container %s failed %s probe, will be restarted").
            let kind = if startup { "Startup" } else { "Liveness" };
            for ct in containers {
                let probe = if startup {
                    ct.startup_probe.as_ref()
                } else {
                    ct.liveness_probe.as_ref()
                };
                let Some(probe) = probe else { continue };
                for _ in 0..probe
                    .failure_threshold
                    .filter(|v| *v > 0)
                    .unwrap_or(3)
                    .min(10)
                {
                    event(
                        c,
                        "Warning",
                        "Unhealthy",
                        format!("{kind} probe failed: fault injected ({FAULT_UNHEALTHY}=true)"),
                    );
                }
                event(
                    c,
                    "Normal",
                    "Killing",
                    format!(
                        "Container {} failed {} probe, will be restarted",
                        ct.name,
                        kind.to_lowercase()
                    ),
                );
            }
            // Killed after SIGTERM's grace: 128 + SIGKILL.
            let mut p = copy();
            terminate_containers(&mut p, now, 137, "Error");
            let names = containers.iter().map(|c| c.name.as_str());
            let msg = unready_message(names);
            let st = p.status.get_or_insert_with(PodStatus::default);
            set_readiness(st, "False", Some("ContainersNotReady"), Some(&msg), now);
            let _ = c.store.update(p);
            c.enqueue(now, step(&pod, Action::Exited));
        }
        Action::Fail => {
            if terminating || !annotated(&pod.metadata, FAULT_FAIL) || phase(&pod) != "Running" {
                if let Some(rt) = c.kubelet.pods.get_mut(&s.uid) {
                    rt.fail_fault = false;
                }
                return;
            }
            let mut p = copy();
            terminate_containers(&mut p, now, 1, "Error");
            let restarts = restarts_after(&pod, 1);
            let st = p.status.get_or_insert_with(PodStatus::default);
            if restarts {
                // Still Running: the containers exited and the kubelet will restart them.
                let names = containers.iter().map(|c| c.name.as_str());
                let msg = unready_message(names);
                set_readiness(st, "False", Some("ContainersNotReady"), Some(&msg), now);
            } else {
                st.phase = Some("Failed".into());
                set_readiness(st, "False", Some("PodFailed"), None, now);
            }
            if let Some(rt) = c.kubelet.pods.get_mut(&s.uid) {
                rt.running = false;
                rt.exited_at = now;
            }
            let _ = c.store.update(p);
            if restarts {
                c.enqueue(now + c.config.fault_reaction_ms, step(&pod, Action::Exited));
            }
        }
        Action::Exited => {
            if terminating {
                return;
            }
            let Some(rt) = c.kubelet.pods.get_mut(&s.uid) else {
                return;
            };
            let exited = rt.exited_at;
            // client-go flowcontrol.Backoff: IsInBackOffSince(key, finishedAt), else Next.
            let in_backoff = match rt.backoff {
                Some((b, last)) if exited.saturating_sub(last) <= 2 * BACKOFF_MAX_MS => {
                    now.saturating_sub(exited) < b
                }
                _ => false,
            };
            if !in_backoff {
                next_backoff(rt);
                restart(c, &s, &pod, containers);
                return;
            }
            let backoff = rt.backoff.map_or(BACKOFF_INITIAL_MS, |(b, _)| b);
            let mut p = copy();
            let pod_ref = pod_ref(&pod);
            let st = p.status.get_or_insert_with(PodStatus::default);
            for cs in st.container_statuses.iter_mut().flatten() {
                let last = cs.state.take();
                cs.last_state = last
                    .filter(|l| l.terminated.is_some())
                    .or(cs.last_state.take());
                cs.state = Some(ContainerState {
                    waiting: Some(ContainerStateWaiting {
                        reason: Some("CrashLoopBackOff".into()),
                        message: Some(format!(
                            "back-off {} restarting failed container={} pod={pod_ref}",
                            go_duration(backoff),
                            cs.name
                        )),
                    }),
                    ..Default::default()
                });
            }
            let _ = c.store.update(p);
            for ct in containers {
                event(
                    c,
                    "Warning",
                    "BackOff",
                    format!(
                        "Back-off restarting failed container {} in pod {pod_ref}",
                        ct.name
                    ),
                );
            }
            c.enqueue(exited + backoff, step(&pod, Action::Restart));
        }
        Action::Restart => {
            if terminating {
                return;
            }
            let Some(rt) = c.kubelet.pods.get_mut(&s.uid) else {
                return;
            };
            if rt.running {
                return;
            }
            next_backoff(rt);
            restart(c, &s, &pod, containers);
        }
        Action::Kill => {
            let running: Vec<String> = pod
                .status
                .iter()
                .flat_map(|s| s.container_statuses.iter().flatten())
                .filter(|cs| cs.state.as_ref().is_some_and(|st| st.running.is_some()))
                .map(|cs| cs.name.clone())
                .collect();
            for name in &running {
                event(c, "Normal", "Killing", format!("Stopping container {name}"));
            }
            let deadline = pod
                .metadata
                .deletion_timestamp
                .as_ref()
                .map(super::instant_of)
                .unwrap_or(now);
            let stop_at = if running.is_empty() {
                now
            } else {
                match c.config.container_stop_ms {
                    Some(ms) => (now + ms).min(deadline.max(now)),
                    None => deadline.max(now),
                }
            };
            c.enqueue(stop_at, step(&pod, Action::Stopped));
        }
        Action::Stopped => {
            if !matches!(phase(&pod), "Failed" | "Succeeded") {
                let mut p = copy();
                terminate_containers(&mut p, now, 0, "Completed");
                let st = p.status.get_or_insert_with(PodStatus::default);
                set_readiness(st, "False", Some("PodCompleted"), None, now);
                let _ = c.store.update(p);
            }
            if let Some(rt) = c.kubelet.pods.get_mut(&s.uid) {
                rt.running = false;
            }
            c.enqueue(
                now + c.config.kubelet_cleanup_ms,
                step(&pod, Action::Remove),
            );
        }
        Action::Remove => {
            let (ns, name) = (
                pod.metadata.namespace.as_deref().unwrap_or_default(),
                pod.metadata.name.as_deref().unwrap_or_default(),
            );
            let _ = c
                .store
                .delete::<Pod>(ns, name, Propagation::Background, Some(0));
        }
    }
}

/// Does the kubelet restart a container of this pod that exited with `code`?
/// (`ShouldContainerBeRestarted` in `pkg/kubelet/container/helpers.go`.)
fn restarts_after(pod: &Pod, code: i32) -> bool {
    match pod.spec.as_ref().and_then(|s| s.restart_policy.as_deref()) {
        Some("Never") => false,
        Some("OnFailure") => code != 0,
        _ => true,
    }
}

/// `format.Pod`: `name_namespace(uid)`, as the kubelet names a pod in messages.
fn pod_ref(pod: &Pod) -> String {
    format!(
        "{}_{}({})",
        pod.metadata.name.as_deref().unwrap_or_default(),
        pod.metadata.namespace.as_deref().unwrap_or("default"),
        pod.metadata.uid.as_deref().unwrap_or_default()
    )
}

/// client-go `Backoff.Next(key, finishedAt)`: a new or expired entry starts at 10 s, an
/// existing one doubles up to 5 min; its last update is the exit it was computed for.
fn next_backoff(rt: &mut PodRuntime) {
    let exited = rt.exited_at;
    rt.backoff = Some(match rt.backoff {
        Some((b, last)) if exited.saturating_sub(last) <= 2 * BACKOFF_MAX_MS => {
            ((b * 2).min(BACKOFF_MAX_MS), exited)
        }
        _ => (BACKOFF_INITIAL_MS, exited),
    });
}

/// Starts the exited containers again in place (same pod, same IP): `Pulled` (the image is on
/// the node), `Created`, `Started` per container, `restartCount` + 1, `lastState.terminated`
/// = the exit; readiness from the probes; the fail fault fires again `fail_after_ms` later.
fn restart(
    c: &mut Cluster,
    s: &Step,
    pod: &Pod,
    containers: &[k8s_openapi::api::core::v1::Container],
) {
    let now = c.now;
    for ct in containers {
        let image = ct.image.clone().unwrap_or_default();
        for (reason, msg) in [
            (
                "Pulled",
                format!("Container image \"{image}\" already present on machine"),
            ),
            ("Created", format!("Created container: {}", ct.name)),
            ("Started", format!("Started container {}", ct.name)),
        ] {
            c.store
                .record_event(&pod.metadata, "Pod", "Normal", reason, msg, KUBELET);
        }
    }
    let mut p = pod.clone();
    let st = p.status.get_or_insert_with(PodStatus::default);
    st.phase = Some("Running".into());
    for cs in st.container_statuses.iter_mut().flatten() {
        let last = cs.state.take();
        if last.as_ref().is_some_and(|l| l.terminated.is_some()) {
            cs.last_state = last;
        }
        cs.restart_count = cs.restart_count.saturating_add(1);
        // A restart is a new container: a new runtime id (the old one stays in lastState).
        cs.container_id = Some(super::ids::container_id(&s.uid, &cs.name, cs.restart_count));
        cs.started = Some(true);
        cs.state = Some(ContainerState {
            running: Some(ContainerStateRunning {
                started_at: Some(timestamp(now)),
            }),
            ..Default::default()
        });
    }
    let fail = annotated(&pod.metadata, FAULT_FAIL);
    let unready = unready_fault(c, pod);
    if let Some(rt) = c.kubelet.pods.get_mut(&s.uid) {
        rt.running = true;
        rt.unready_fault = unready;
        rt.fail_fault = fail;
    }
    probe_from(c, s, Some(p));
    if fail {
        c.enqueue(now + c.config.fail_after_ms, step(pod, Action::Fail));
    }
    schedule_probe_kill(c, s, pod, now);
}

/// When the first container's current instance started (its identity for a queued kill).
fn started_at(pod: &Pod) -> u64 {
    pod.status
        .iter()
        .flat_map(|s| s.container_statuses.iter().flatten())
        .next()
        .and_then(|cs| cs.state.as_ref())
        .and_then(|s| s.running.as_ref())
        .and_then(|r| r.started_at.as_ref())
        .map_or(0, super::instant_of)
}

fn probe_ms(p: &k8s_openapi::api::core::v1::Probe) -> (u64, u64) {
    let delay = (p.initial_delay_seconds.unwrap_or(0).max(0) as u64).saturating_mul(1000);
    let period = p.period_seconds.filter(|v| *v > 0).unwrap_or(10) as u64;
    let threshold = p.failure_threshold.filter(|v| *v > 0).unwrap_or(3) as u64;
    (delay, period.saturating_mul(threshold).saturating_mul(1000))
}

/// Does the startup probe of a container instance started at `started` fail, the probes
/// failing from `since` on? Only if it had not passed before (it passes `initialDelaySeconds`
/// or the probe latency after the start; then the liveness probe takes over).
fn startup_fails(
    probe: &k8s_openapi::api::core::v1::Probe,
    started: u64,
    since: u64,
    latency: u64,
) -> bool {
    started.saturating_add(probe_ms(probe).0.max(latency)) > since
}

/// With the unhealthy fault seen `since`, when the prober gives up on the current container
/// instance: a startup probe that had not passed fails `initialDelaySeconds` +
/// `failureThreshold` × `periodSeconds` after the start; otherwise the liveness probe fails
/// `failureThreshold` × `periodSeconds` after the fault (or its initial delay). `None` when
/// no container declares either probe.
fn probe_kill_at(pod: &Pod, since: u64, latency: u64) -> Option<(u64, bool)> {
    let started = started_at(pod);
    let containers = pod
        .spec
        .as_ref()
        .map(|s| s.containers.as_slice())
        .unwrap_or(&[]);
    let startup = containers
        .iter()
        .filter_map(|c| c.startup_probe.as_ref())
        .filter(|p| startup_fails(p, started, since, latency))
        .map(|p| {
            let (delay, fails) = probe_ms(p);
            started.saturating_add(delay).saturating_add(fails)
        })
        .min();
    if let Some(at) = startup {
        return Some((at.max(since), true));
    }
    containers
        .iter()
        .filter_map(|c| c.liveness_probe.as_ref())
        .map(|p| {
            let (delay, fails) = probe_ms(p);
            since
                .max(started.saturating_add(delay))
                .saturating_add(fails)
        })
        .min()
        .map(|at| (at, false))
}

fn schedule_probe_kill(c: &mut Cluster, s: &Step, pod: &Pod, now: u64) {
    let Some(p) = s.pod(c) else { return };
    if !annotated(&pod.metadata, FAULT_UNHEALTHY) {
        return;
    }
    let latency = c.config.probe_latency_ms;
    let Some(rt) = c.kubelet.pods.get_mut(&s.uid) else {
        return;
    };
    let since = *rt.unhealthy_since.get_or_insert(now);
    if let Some((at, startup)) = probe_kill_at(&p, since, latency) {
        rt.unhealthy_fault = true;
        c.enqueue(at, step(&p, Action::ProbeKill(started_at(&p), startup)));
    }
}

/// The pod's `Ready` and `ContainersReady` conditions, which the kubelet writes together.
fn set_readiness(
    st: &mut PodStatus,
    status: &str,
    reason: Option<&str>,
    message: Option<&str>,
    now: u64,
) {
    set_condition(st, "Ready", status, reason, message, now);
    set_condition(st, "ContainersReady", status, reason, message, now);
}

/// `containers with unready status: [a b]`, the readiness conditions' message.
fn unready_message<'a>(names: impl Iterator<Item = &'a str>) -> String {
    format!(
        "containers with unready status: [{}]",
        names.collect::<Vec<_>>().join(" ")
    )
}

/// kubelet's `podAttachAndMountTimeout` (2m3s): how often a pod whose volumes cannot be
/// mounted retries (and reports `FailedMount`).
pub const MOUNT_RETRY_MS: u64 = 123_000;

/// Status of a pod waiting for its volumes: Pending, containers `ContainerCreating`, no IP.
fn mount_pending_status(
    p: &mut Pod,
    containers: &[k8s_openapi::api::core::v1::Container],
    now: u64,
) {
    let st = p.status.get_or_insert_with(PodStatus::default);
    st.phase = Some("Pending".into());
    let msg = unready_message(containers.iter().map(|c| c.name.as_str()));
    set_condition(st, "PodReadyToStartContainers", "False", None, None, now);
    set_condition(st, "Initialized", "True", None, None, now);
    set_readiness(st, "False", Some("ContainersNotReady"), Some(&msg), now);
    if st.container_statuses.is_none() {
        st.container_statuses = Some(
            containers
                .iter()
                .map(|ct| ContainerStatus {
                    name: ct.name.clone(),
                    image: ct.image.clone().unwrap_or_default(),
                    started: Some(false),
                    state: Some(ContainerState {
                        waiting: Some(ContainerStateWaiting {
                            reason: Some("ContainerCreating".into()),
                            message: None,
                        }),
                        ..Default::default()
                    }),
                    ..Default::default()
                })
                .collect(),
        );
    }
}

/// A PersistentVolume's fault flag changed: running pods re-run their readiness probe (a pod
/// on a lost disk turns not Ready; it recovers when the fault is removed).
pub(crate) fn on_volume_fault(c: &mut Cluster) {
    let running: Vec<(String, bool)> = c
        .kubelet
        .pods
        .iter()
        .filter(|(_, rt)| rt.running)
        .map(|(uid, rt)| (uid.clone(), rt.unready_fault))
        .collect();
    for (uid, was) in running {
        let Some(r) = c.store.object_by_uid(&uid).cloned() else {
            continue;
        };
        let Some(pod) = c.store.get_arc::<Pod>(&r.namespace, &r.name) else {
            continue;
        };
        let now_unready = unready_fault(c, &pod);
        if now_unready != was {
            if let Some(rt) = c.kubelet.pods.get_mut(&uid) {
                rt.unready_fault = now_unready;
            }
            let t = step(&pod, Action::Probe);
            c.enqueue(
                c.now
                    .saturating_add(probe_reaction_ms(c, &pod, now_unready)),
                t,
            );
        }
    }
}

fn terminate_containers(p: &mut Pod, now: u64, code: i32, reason: &str) {
    let st = p.status.get_or_insert_with(PodStatus::default);
    for cs in st.container_statuses.iter_mut().flatten() {
        let started_at = cs
            .state
            .as_ref()
            .and_then(|s| s.running.as_ref())
            .and_then(|r| r.started_at.clone());
        cs.ready = false;
        cs.started = Some(false);
        cs.state = Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code: code,
                reason: Some(reason.into()),
                started_at,
                finished_at: Some(timestamp(now)),
                container_id: cs.container_id.clone(),
                ..Default::default()
            }),
            ..Default::default()
        });
    }
}

/// Evaluates readiness probes and the unready fault; schedules the next evaluation if a
/// probe's initial delay has not passed yet.
fn probe(c: &mut Cluster, s: &Step) {
    probe_from(c, s, None)
}

/// How long the readiness prober takes to notice a change: a pod turns unready after
/// `failureThreshold` failed probes `periodSeconds` apart (defaults 3 × 10 s) and Ready again
/// after `successThreshold` successes (default 1 × 10 s), as the kubelet's prober workers do.
/// Containers without a readiness probe have no prober; the playground's fault then takes
/// effect after `fault_reaction_ms`.
fn probe_reaction_ms(c: &Cluster, pod: &Pod, becoming_unready: bool) -> u64 {
    pod.spec
        .iter()
        .flat_map(|s| &s.containers)
        .filter_map(|ct| ct.readiness_probe.as_ref())
        .map(|p| {
            let period = p.period_seconds.filter(|v| *v > 0).unwrap_or(10) as u64;
            let threshold = if becoming_unready {
                p.failure_threshold.filter(|v| *v > 0).unwrap_or(3)
            } else {
                p.success_threshold.filter(|v| *v > 0).unwrap_or(1)
            } as u64;
            // Saturating: both are int32s a manifest may set to 2^31 - 1 (upstream bounds
            // neither), and their product in milliseconds overflows a u64.
            period.saturating_mul(threshold).saturating_mul(1000)
        })
        .max()
        .unwrap_or(c.config.fault_reaction_ms)
}

/// [`probe`], starting from `base` (a status not written yet) instead of the stored pod.
fn probe_from(c: &mut Cluster, s: &Step, base: Option<Pod>) {
    let mut p = match base {
        Some(p) => p,
        None => match s.pod(c) {
            Some(p) => (*p).clone(),
            None => return,
        },
    };
    if p.metadata.uid.as_deref() != Some(s.uid.as_str()) || phase(&p) != "Running" {
        return;
    }
    let now = c.now;
    let unready = unready_fault(c, &p);
    let latency = c.config.probe_latency_ms;
    let unhealthy_since = c
        .kubelet
        .pods
        .get(&s.uid)
        .and_then(|rt| rt.unhealthy_since)
        .filter(|_| annotated(&p.metadata, FAULT_UNHEALTHY));
    let started = started_at(&p);
    let startup_failing: Vec<bool> = p
        .spec
        .iter()
        .flat_map(|s| &s.containers)
        .map(|ct| {
            ct.startup_probe
                .as_ref()
                .zip(unhealthy_since)
                .is_some_and(|(probe, since)| startup_fails(probe, started, since, latency))
        })
        .collect();
    // When each container passes its readiness probe (None: not started).
    let ready_at: Vec<Option<u64>> = p
        .status
        .iter()
        .flat_map(|st| st.container_statuses.iter().flatten())
        .enumerate()
        .map(|(i, cs)| {
            cs.state
                .as_ref()
                .and_then(|s| s.running.as_ref())
                .and_then(|r| r.started_at.as_ref())
                .map(|t| container_ready_at(&p, i, super::instant_of(t), latency))
        })
        .collect();
    let mut next: Option<u64> = None;
    let mut all_ready = true;
    let mut unready_names = Vec::new();
    let mut was_ready = false;
    if let Some(st) = p.status.as_mut() {
        for (i, cs) in st.container_statuses.iter_mut().flatten().enumerate() {
            let ready = match ready_at[i] {
                None => false,
                Some(at) => {
                    if at > now {
                        next = Some(next.map_or(at, |n: u64| n.min(at)));
                    }
                    at <= now && !unready && !startup_failing.get(i).copied().unwrap_or(false)
                }
            };
            was_ready |= cs.ready;
            cs.ready = ready;
            if !ready {
                all_ready = false;
                unready_names.push(cs.name.clone());
            }
        }
        if all_ready {
            set_readiness(st, "True", None, None, now);
        } else {
            let msg = unready_message(unready_names.iter().map(String::as_str));
            set_readiness(st, "False", Some("ContainersNotReady"), Some(&msg), now);
        }
    }
    let Ok(pod) = c.store.update(p) else {
        return;
    };
    if unready && was_ready {
        let msg = if super::pv_controller::mount_check(&c.store, &pod).is_err() {
            format!(
                "Readiness probe failed: fault injected (volume lost: {}=true)",
                super::pv_controller::FAULT_VOLUME_FAILED
            )
        } else {
            format!("Readiness probe failed: fault injected ({FAULT_UNREADY}=true)")
        };
        c.store
            .record_event(&pod.metadata, "Pod", "Warning", "Unhealthy", msg, KUBELET);
    }
    if let Some(at) = next {
        c.enqueue(at, step(&pod, Action::Probe));
    }
}

fn pods_on_node(c: &Cluster, node: &str) -> Vec<std::sync::Arc<Pod>> {
    c.store
        .list::<Pod>()
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
        .filter_map(|p| {
            let ns = p.metadata.namespace.clone().unwrap_or_default();
            let name = p.metadata.name.clone().unwrap_or_default();
            c.store.get_arc::<Pod>(&ns, &name)
        })
        .collect()
}

fn set_node_ready(c: &mut Cluster, name: &str, ready: bool) -> Result<bool, ApiError> {
    let Some(node) = c.store.get::<Node>("", name) else {
        return Err(ApiError::NotFound {
            kind: Kind::Node,
            name: name.into(),
        });
    };
    if node_is_ready(node) == ready {
        return Ok(false);
    }
    let mut n = node.clone();
    let st = n.status.get_or_insert_with(Default::default);
    let conds = st.conditions.get_or_insert_with(Vec::new);
    conds.retain(|c| c.type_ != "Ready");
    conds.push(node_ready_condition(ready, c.now));
    let spec = n.spec.get_or_insert_with(NodeSpec::default);
    if ready {
        spec.taints = None;
    } else {
        spec.taints = Some(
            ["NoSchedule", "NoExecute"]
                .iter()
                .map(|e| Taint {
                    key: "node.kubernetes.io/unreachable".into(),
                    effect: (*e).into(),
                    time_added: (*e == "NoExecute").then(|| timestamp(c.now)),
                    value: None,
                })
                .collect(),
        );
    }
    c.store.update(n)?;
    Ok(true)
}

/// The node's kubelet stops: node NotReady, its pods Ready=False; after the eviction timeout
/// they are marked for deletion but stay (nobody confirms termination) until force-deleted.
pub(crate) fn node_down(c: &mut Cluster, name: &str) -> Result<(), ApiError> {
    if !set_node_ready(c, name, false)? {
        return Ok(());
    }
    let now = c.now;
    for pod in pods_on_node(c, name) {
        if matches!(phase(&pod), "Failed" | "Succeeded") {
            continue;
        }
        let mut p = (*pod).clone();
        let st = p.status.get_or_insert_with(PodStatus::default);
        set_condition(st, "Ready", "False", Some("NodeNotReady"), None, now);
        for cs in st.container_statuses.iter_mut().flatten() {
            cs.ready = false;
        }
        let _ = c.store.update(p);
    }
    c.enqueue(
        now + c.config.pod_eviction_timeout_ms,
        Task::EvictNode(name.into()),
    );
    Ok(())
}

/// Taint-based eviction of the pods of a node that is still down.
pub(crate) fn evict_node(c: &mut Cluster, name: &str) {
    if node_ready(c, name) || c.store.get::<Node>("", name).is_none() {
        return;
    }
    for pod in pods_on_node(c, name) {
        if pod.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let ns = pod.metadata.namespace.clone().unwrap_or_default();
        let pname = pod.metadata.name.clone().unwrap_or_default();
        let mut p = (*pod).clone();
        let st = p.status.get_or_insert_with(PodStatus::default);
        st.reason = Some("NodeLost".into());
        st.message = Some(format!(
            "Node {name} which was running pod {pname} is unresponsive"
        ));
        let _ = c.store.update(p);
        c.store.record_event(
            &pod.metadata,
            "Pod",
            "Normal",
            "TaintManagerEviction",
            format!("Marking for deletion Pod {ns}/{pname}"),
            "taint-eviction-controller",
        );
        let _ = c
            .store
            .delete::<Pod>(&ns, &pname, Propagation::Background, None);
    }
}

/// The node's kubelet comes back: it finishes pending terminations and re-probes the rest.
pub(crate) fn node_up(c: &mut Cluster, name: &str) -> Result<(), ApiError> {
    if !set_node_ready(c, name, true)? {
        return Ok(());
    }
    let now = c.now;
    for pod in pods_on_node(c, name) {
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        let rt = c.kubelet.pods.entry(uid).or_default();
        let action = if pod.metadata.deletion_timestamp.is_some() {
            rt.killing = true;
            Action::Kill
        } else if phase(&pod) == "Running" {
            rt.admitted = true;
            // A container that exited while the node was away is restarted (with back-off).
            let exited = pod
                .status
                .iter()
                .flat_map(|s| s.container_statuses.iter().flatten())
                .any(|cs| cs.state.as_ref().is_none_or(|s| s.running.is_none()));
            rt.running = !exited;
            if exited {
                Action::Restart
            } else {
                Action::Probe
            }
        } else if matches!(phase(&pod), "Failed" | "Succeeded") {
            continue;
        } else {
            rt.admitted = true;
            Action::Admit
        };
        c.enqueue(now, step(&pod, action));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_duration_matches_time_duration_string() {
        assert_eq!(go_duration(2000), "2s");
        assert_eq!(go_duration(2500), "2.5s");
        assert_eq!(go_duration(500), "500ms");
        assert_eq!(go_duration(61_000), "1m1s");
    }
}

#[cfg(test)]
mod lifecycle_tests {
    use super::super::test_support::*;
    use super::super::{Cluster, DeleteOptions, Kind};
    use super::*;
    use crate::engine::statefulset::{is_ready, pod_phase};

    fn waiting_reason(p: &Pod) -> Option<String> {
        p.status.as_ref()?.container_statuses.as_ref()?[0]
            .state
            .as_ref()?
            .waiting
            .as_ref()?
            .reason
            .clone()
    }

    #[test]
    fn pod_goes_container_creating_running_then_ready_with_kubelet_events() {
        let mut c = Cluster::default();
        bare_pod(&mut c, "a", Some(5));
        c.advance(300); // scheduled at 50 ms, admitted at 250 ms
        let p = pod(&c, "a").unwrap();
        assert_eq!(pod_phase(&p), "Pending");
        assert_eq!(waiting_reason(&p).as_deref(), Some("ContainerCreating"));
        assert_eq!(
            p.status.as_ref().unwrap().pod_ip.as_deref(),
            Some("10.244.1.2")
        );
        c.advance(3_000); // pulled at 2.25 s, started at 3.25 s
        let p = pod(&c, "a").unwrap();
        assert_eq!(pod_phase(&p), "Running");
        assert!(
            !is_ready(&p),
            "readiness probe initialDelaySeconds 5 not passed"
        );
        c.advance(5_000);
        assert!(is_ready(&pod(&c, "a").unwrap()));
        let ev: Vec<String> = events_for(&c, "a").into_iter().map(|(_, m)| m).collect();
        assert_eq!(
            ev,
            [
                "Successfully assigned default/a to node-1",
                "Pulling image \"nginx:1.25\"",
                "Successfully pulled image \"nginx:1.25\" in 2s (2s including waiting). Image size: 49886285 bytes.",
                "Created container: app",
                "Started container app",
            ]
        );
    }

    #[test]
    fn second_pod_on_a_node_finds_the_image_already_present() {
        let mut c = Cluster::new(crate::engine::ClusterConfig {
            nodes: 1,
            ..Default::default()
        });
        bare_pod(&mut c, "a", None);
        c.advance(10_000);
        bare_pod(&mut c, "b", None);
        c.advance(10_000);
        let ev: Vec<String> = events_for(&c, "b").into_iter().map(|(_, m)| m).collect();
        assert_eq!(
            ev[1],
            "Container image \"nginx:1.25\" already present on machine"
        );
        assert!(is_ready(&pod(&c, "b").unwrap()));
        assert_eq!(
            pod(&c, "b").unwrap().status.unwrap().pod_ip.as_deref(),
            Some("10.244.1.3")
        );
    }

    #[test]
    fn a_new_pod_takes_the_lowest_address_a_deleted_pod_freed() {
        let mut c = Cluster::new(crate::engine::ClusterConfig {
            nodes: 1,
            ..Default::default()
        });
        for name in ["a", "b", "c"] {
            bare_pod(&mut c, name, None);
        }
        c.advance(10_000);
        let ip = |c: &Cluster, n: &str| pod(c, n).unwrap().status.unwrap().pod_ip.unwrap();
        assert_eq!(
            [ip(&c, "a"), ip(&c, "b"), ip(&c, "c")],
            ["10.244.1.2", "10.244.1.3", "10.244.1.4"]
        );
        c.store_mut()
            .delete::<Pod>(
                "default",
                "b",
                crate::engine::Propagation::Background,
                Some(0),
            )
            .unwrap();
        c.advance(1_000);
        bare_pod(&mut c, "d", None);
        bare_pod(&mut c, "e", None);
        c.advance(10_000);
        assert_eq!(
            ip(&c, "d"),
            "10.244.1.3",
            "the freed .3, not the next after .4"
        );
        assert_eq!(ip(&c, "e"), "10.244.1.5");
    }

    #[test]
    fn unready_annotation_fails_readiness_and_removing_it_restores_it() {
        let mut c = Cluster::default();
        bare_pod(&mut c, "a", None);
        c.advance(10_000);
        assert!(is_ready(&pod(&c, "a").unwrap()));
        c.set_annotation(Kind::Pod, "default", "a", FAULT_UNREADY, Some("true"))
            .unwrap();
        c.advance(2_000);
        let p = pod(&c, "a").unwrap();
        assert!(!is_ready(&p));
        assert_eq!(pod_phase(&p), "Running");
        assert!(events_for(&c, "a").iter().any(|(r, _)| r == "Unhealthy"));
        c.set_annotation(Kind::Pod, "default", "a", FAULT_UNREADY, None)
            .unwrap();
        c.advance(2_000);
        assert!(is_ready(&pod(&c, "a").unwrap()));
    }

    /// A bare pod with `restartPolicy: Never` (as `kubectl run --restart=Never` makes).
    fn never_restarted_pod(c: &mut Cluster, name: &str) {
        bare_pod(c, name, None);
        let mut p = pod(c, name).unwrap();
        p.spec.as_mut().unwrap().restart_policy = Some("Never".into());
        c.store_mut().update(p).unwrap();
        c.dispatch();
    }

    fn container(p: &Pod) -> ContainerStatus {
        p.status
            .as_ref()
            .unwrap()
            .container_statuses
            .as_ref()
            .unwrap()[0]
            .clone()
    }

    fn waiting(p: &Pod) -> Option<(String, String)> {
        let w = container(p).state?.waiting?;
        Some((w.reason?, w.message.unwrap_or_default()))
    }

    /// kuberuntime_manager.go `doBackOff` + client-go `flowcontrol.Backoff` (10 s doubling,
    /// 300 s cap, kubelet.go `backOffPeriod`/`MaxContainerBackOff`): the first exit restarts
    /// at once, later ones wait in CrashLoopBackOff for 10 s, 20 s, 40 s, ... 300 s.
    #[test]
    fn restart_policy_always_restarts_in_place_with_doubling_back_off() {
        let mut c = Cluster::default();
        bare_pod(&mut c, "a", None);
        c.advance(10_000);
        let uid = pod(&c, "a").unwrap().metadata.uid;
        let ip = pod(&c, "a").unwrap().status.unwrap().pod_ip;
        c.set_annotation(Kind::Pod, "default", "a", FAULT_FAIL, Some("true"))
            .unwrap();
        // Each instance runs fail_after_ms (1 s), the kubelet sees the exit 1 s later.
        let mut restarts_at = Vec::new();
        let mut last = 0;
        let end = c.now() + 3_600_000;
        while c.now() < end {
            c.step();
            let p = pod(&c, "a").unwrap();
            let n = container(&p).restart_count;
            if n != last {
                restarts_at.push(c.now());
                last = n;
            }
        }
        let gaps: Vec<u64> = restarts_at.windows(2).map(|w| w[1] - w[0]).collect();
        // (run 1 s + notice 1 s, then the back-off since the exit)
        assert_eq!(
            gaps[..8],
            [11_000, 21_000, 41_000, 81_000, 161_000, 301_000, 301_000, 301_000]
        );
        let p = pod(&c, "a").unwrap();
        assert_eq!(p.metadata.uid, uid, "the same pod");
        assert_eq!(p.status.as_ref().unwrap().pod_ip, ip, "the same IP");
        assert_eq!(pod_phase(&p), "Running");
        let events = events_for(&c, "a");
        let backoff: Vec<_> = events.iter().filter(|e| e.0 == "BackOff").collect();
        assert_eq!(backoff.len(), 1, "one aggregated event: {events:?}");
        assert_eq!(
            backoff[0].1,
            format!(
                "Back-off restarting failed container app in pod a_default({})",
                uid.unwrap()
            )
        );
    }

    #[test]
    fn crash_loop_shows_the_waiting_reason_last_state_and_restart_count() {
        let mut c = Cluster::default();
        bare_pod(&mut c, "a", None);
        c.advance(10_000);
        c.set_annotation(Kind::Pod, "default", "a", FAULT_FAIL, Some("true"))
            .unwrap();
        c.advance(1_000);
        let p = pod(&c, "a").unwrap();
        let term = container(&p).state.unwrap().terminated.unwrap();
        assert_eq!((term.exit_code, term.reason.as_deref()), (1, Some("Error")));
        assert_eq!(
            pod_phase(&p),
            "Running",
            "restartPolicy Always keeps it Running"
        );
        c.advance(1_000); // noticed: first restart at once
        assert_eq!(container(&pod(&c, "a").unwrap()).restart_count, 1);
        c.advance(2_000); // second exit, noticed: back-off
        let p = pod(&c, "a").unwrap();
        let uid = p.metadata.uid.clone().unwrap();
        assert_eq!(
            waiting(&p),
            Some((
                "CrashLoopBackOff".into(),
                format!("back-off 10s restarting failed container=app pod=a_default({uid})")
            ))
        );
        let cs = container(&p);
        assert_eq!(cs.restart_count, 1);
        let last = cs.last_state.unwrap().terminated.unwrap();
        assert_eq!((last.exit_code, last.reason.as_deref()), (1, Some("Error")));
        // Removing the fault: the next restart stays up.
        c.set_annotation(Kind::Pod, "default", "a", FAULT_FAIL, None)
            .unwrap();
        c.advance(60_000);
        let p = pod(&c, "a").unwrap();
        assert!(is_ready(&p));
        assert_eq!(container(&p).restart_count, 2);
    }

    /// client-go backoff.go `hasExpired`: an entry not updated for 2 × maxDuration is reset,
    /// so a container that ran for more than 10 minutes restarts at once and backs off from
    /// 10 s again.
    #[test]
    fn back_off_resets_after_ten_minutes_of_running() {
        let mut c = Cluster::default();
        bare_pod(&mut c, "a", None);
        c.advance(10_000);
        c.set_annotation(Kind::Pod, "default", "a", FAULT_FAIL, Some("true"))
            .unwrap();
        c.advance(120_000); // restarts 1..=4, back-off now 80 s
        c.set_annotation(Kind::Pod, "default", "a", FAULT_FAIL, None)
            .unwrap();
        c.advance(900_000); // runs 15 minutes
        let before = container(&pod(&c, "a").unwrap()).restart_count;
        c.set_annotation(Kind::Pod, "default", "a", FAULT_FAIL, Some("true"))
            .unwrap();
        c.advance(3_500); // exit at +1 s (after the fault reaction), noticed at +2 s: restart
        let p = pod(&c, "a").unwrap();
        assert_eq!(container(&p).restart_count, before + 1, "{:?}", waiting(&p));
        c.advance(3_000); // the next exit waits the initial 10 s again
        assert_eq!(
            waiting(&pod(&c, "a").unwrap()).map(|w| w.1.starts_with("back-off 10s")),
            Some(true)
        );
    }

    /// pkg/kubelet/prober/worker.go + kuberuntime_manager.go computePodActions: a liveness
    /// probe failing `failureThreshold` (3) times `periodSeconds` (10 s) apart kills the
    /// container, which restarts; a pod without liveness/startup probes has nothing to fail.
    #[test]
    fn failing_liveness_probe_kills_and_restarts_the_container() {
        let mut c = Cluster::default();
        bare_pod(&mut c, "a", None);
        bare_pod(&mut c, "b", None);
        let mut p = pod(&c, "a").unwrap();
        p.spec.as_mut().unwrap().containers[0].liveness_probe =
            Some(k8s_openapi::api::core::v1::Probe::default());
        c.store_mut().update(p).unwrap();
        c.advance(10_000);
        for name in ["a", "b"] {
            c.set_annotation(Kind::Pod, "default", name, FAULT_UNHEALTHY, Some("true"))
                .unwrap();
        }
        c.advance(29_000);
        assert_eq!(container(&pod(&c, "a").unwrap()).restart_count, 0);
        c.advance(2_000);
        let p = pod(&c, "a").unwrap();
        assert_eq!(container(&p).restart_count, 1);
        let last = container(&p).last_state.unwrap().terminated.unwrap();
        assert_eq!(last.exit_code, 137);
        let events = events_for(&c, "a");
        assert!(events.contains(&(
            "Killing".into(),
            "Container app failed liveness probe, will be restarted".into()
        )));
        assert!(events.contains(&(
            "Unhealthy".into(),
            format!("Liveness probe failed: fault injected ({FAULT_UNHEALTHY}=true)")
        )));
        assert_eq!(container(&pod(&c, "b").unwrap()).restart_count, 0);
    }

    #[test]
    fn fail_annotation_makes_the_container_exit_and_a_never_restarted_pod_failed() {
        let mut c = Cluster::default();
        never_restarted_pod(&mut c, "a");
        c.advance(10_000);
        c.set_annotation(Kind::Pod, "default", "a", FAULT_FAIL, Some("true"))
            .unwrap();
        c.advance(2_000);
        let p = pod(&c, "a").unwrap();
        assert_eq!(pod_phase(&p), "Failed");
        let term = p.status.unwrap().container_statuses.unwrap()[0]
            .state
            .clone()
            .unwrap()
            .terminated
            .unwrap();
        assert_eq!((term.exit_code, term.reason.as_deref()), (1, Some("Error")));
    }

    #[test]
    fn terminating_pod_stops_after_its_grace_period_then_disappears() {
        let mut c = Cluster::default();
        bare_pod(&mut c, "a", None);
        c.advance(10_000);
        c.delete(Kind::Pod, "default", "a", DeleteOptions::default())
            .unwrap();
        c.advance(29_000);
        let p = pod(&c, "a").unwrap();
        assert!(
            is_ready(&p),
            "still 1/1 Terminating during the grace period"
        );
        c.advance(1_000);
        let p = pod(&c, "a").unwrap();
        assert!(!is_ready(&p), "0/1 Terminating once containers stopped");
        c.advance(1_000);
        assert!(pod(&c, "a").is_none());
        assert!(events_for(&c, "a")
            .iter()
            .any(|(r, m)| r == "Killing" && m == "Stopping container app"));
    }

    #[test]
    fn node_down_marks_pods_unready_and_eviction_leaves_them_terminating() {
        let mut c = Cluster::default();
        bare_pod(&mut c, "a", None);
        c.advance(10_000);
        c.node_down("node-1").unwrap();
        assert!(!is_ready(&pod(&c, "a").unwrap()));
        c.advance(300_000);
        let p = pod(&c, "a").unwrap();
        assert!(p.metadata.deletion_timestamp.is_some());
        assert_eq!(
            p.status.as_ref().unwrap().reason.as_deref(),
            Some("NodeLost")
        );
        c.advance(600_000);
        assert!(
            pod(&c, "a").is_some(),
            "nobody confirms termination while the node is down"
        );
        c.node_up("node-1").unwrap();
        c.advance(60_000);
        assert!(pod(&c, "a").is_none());
    }
}
