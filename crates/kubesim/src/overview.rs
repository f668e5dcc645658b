//! A plain-data picture of the cluster for the UI: StatefulSets with their ordinal slots, each
//! pod's state, claims, volumes and DNS name, the nodes, and the latest events.
//!
//! Everything a person sees in the playground's cluster view is computed here, natively
//! testable, so the web shell only maps these structs to DOM.

pub mod inspect;
pub mod timeline;

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{Node, PersistentVolume, PersistentVolumeClaim, Pod, Service};

use crate::engine::{self, Cluster};
use crate::kubectl::{self, printers};
use crate::manifest::access_modes;
use crate::network::dns;
use crate::phrase::Phrase;

/// How a pod slot is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PodState {
    /// The ordinal is in range but no pod exists yet.
    Absent,
    /// Not scheduled yet (e.g. waiting for its claim to bind).
    Pending,
    /// Scheduled; containers are being created.
    Creating,
    /// Containers run but the pod is not Ready.
    Running,
    Ready,
    Terminating,
    Failed,
    /// Its node is gone: kubectl shows `Unknown`.
    Unknown,
    /// A container keeps exiting and the kubelet backs off (`CrashLoopBackOff`).
    CrashLoop,
}

impl PodState {
    /// A CSS-friendly name.
    pub fn as_str(self) -> &'static str {
        match self {
            PodState::Absent => "absent",
            PodState::Pending => "pending",
            PodState::Creating => "creating",
            PodState::Running => "running",
            PodState::Ready => "ready",
            PodState::Terminating => "terminating",
            PodState::Failed => "failed",
            PodState::Unknown => "unknown",
            PodState::CrashLoop => "crashloop",
        }
    }

    /// Words for the state, shown next to its shape (never colour alone).
    pub fn label(self) -> &'static str {
        match self {
            PodState::Absent => "not created",
            PodState::Pending => "Pending",
            PodState::Creating => "ContainerCreating",
            PodState::Running => "Running, not ready",
            PodState::Ready => "Ready",
            PodState::Terminating => "Terminating",
            PodState::Failed => "Failed",
            PodState::Unknown => "Unknown",
            PodState::CrashLoop => "CrashLoopBackOff",
        }
    }

    /// A one-character icon for the state (paired with its label).
    pub fn icon(self) -> &'static str {
        match self {
            PodState::Absent => "○",
            PodState::Pending => "…",
            PodState::Creating => "◔",
            PodState::Running => "◑",
            PodState::Ready => "●",
            PodState::Terminating => "✕",
            PodState::Failed => "!",
            PodState::Unknown => "?",
            PodState::CrashLoop => "↻",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClaimView {
    pub name: String,
    /// `Pending`, `Bound`, `Lost`, or `Missing` when the claim does not exist.
    pub phase: String,
    pub volume: Option<String>,
    pub capacity: Option<String>,
    /// Why a claim is not bound: the newest event the PV controller recorded for it (or why
    /// it does not exist yet).
    pub why: Option<Phrase>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PodView {
    pub name: String,
    pub ordinal: i64,
    pub state: PodState,
    /// kubectl's READY and STATUS cells (`2/2`, `ContainerCreating`).
    pub ready: String,
    pub status: String,
    pub node: Option<String>,
    pub ip: Option<String>,
    /// The ControllerRevision the pod was made from.
    pub revision: Option<String>,
    /// Whether that is the set's update revision (false while a rollout has not reached it).
    pub updated: bool,
    /// kubectl's RESTARTS cell.
    pub restarts: String,
    /// Still present but outside the set's ordinal range (being scaled away).
    pub condemned: bool,
    pub claims: Vec<ClaimView>,
    /// The pod's own DNS name, present only while CoreDNS would answer for it.
    pub dns: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetView {
    pub name: String,
    pub namespace: String,
    pub desired: i32,
    pub ready: i32,
    /// `status.replicas`, `currentReplicas`, `updatedReplicas`, `availableReplicas`.
    pub replicas: i32,
    pub current: i32,
    pub updated: i32,
    pub available: i32,
    pub policy: String,
    /// `RollingUpdate` or `OnDelete`.
    pub strategy_type: String,
    /// The rolling update's partition (0 when unset; `None` for OnDelete).
    pub partition: Option<i32>,
    /// The headless Service that names the pods (`spec.serviceName`).
    pub service_name: String,
    /// Container images of the pod template, `name=image`.
    pub images: Vec<(String, String)>,
    pub strategy: String,
    pub current_revision: String,
    pub update_revision: String,
    /// What the controller waits for, in plain words.
    pub why: Vec<Phrase>,
    /// Why the pods have no per-pod DNS names, if they have none.
    pub dns_note: Option<Phrase>,
    /// In-range ordinal slots (with absent ones), then condemned pods still present.
    pub pods: Vec<Arc<PodView>>,
    /// Claims of ordinals beyond the range whose pods are gone (kept by the Retain
    /// `whenScaled` policy: a scale-up reuses them), by ordinal.
    pub retained_claims: Vec<(i64, ClaimView)>,
}

impl SetView {
    /// The set without its pods and retained claims: what a header shows. Cheap to clone and
    /// compare on every tick, where the whole set (1,000 pod views) is not.
    pub fn head(&self) -> SetView {
        SetView {
            name: self.name.clone(),
            namespace: self.namespace.clone(),
            desired: self.desired,
            ready: self.ready,
            replicas: self.replicas,
            current: self.current,
            updated: self.updated,
            available: self.available,
            policy: self.policy.clone(),
            strategy_type: self.strategy_type.clone(),
            partition: self.partition,
            service_name: self.service_name.clone(),
            images: self.images.clone(),
            strategy: self.strategy.clone(),
            current_revision: self.current_revision.clone(),
            update_revision: self.update_revision.clone(),
            why: self.why.clone(),
            dns_note: self.dns_note.clone(),
            pods: Vec::new(),
            retained_claims: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeView {
    pub name: String,
    pub ready: bool,
    /// `spec.unschedulable` (kubectl cordon).
    pub cordoned: bool,
    /// Pods the node admits (`status.capacity.pods`, 110 by default).
    pub capacity: usize,
    /// Every pod slot taken: the scheduler places nothing more here.
    pub full: bool,
    /// kubectl's STATUS cell: `Ready`, `NotReady`, `Ready,SchedulingDisabled`.
    pub status: String,
    pub pods: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VolumeView {
    pub name: String,
    pub capacity: String,
    pub access_modes: String,
    pub phase: String,
    /// `namespace/name` of the claim it is bound (or reserved) to.
    pub claim: Option<String>,
    /// `Retain`, `Delete` or `Recycle`.
    pub reclaim: String,
    pub storage_class: String,
    /// Files on the volume (written through a pod's mount, `engine::pod_fs`).
    pub file_count: usize,
    /// The first [`FILES_SHOWN`] of them, by path.
    pub files: Vec<String>,
}

/// How many file paths a [`VolumeView`] lists.
pub const FILES_SHOWN: usize = 5;

impl VolumeView {
    /// `no files`, `1 file: index.html`, `7 files: a, b, c, d, e, …`.
    pub fn files_summary(&self) -> String {
        match self.file_count {
            0 => "no files".to_string(),
            n => {
                let more = if n > self.files.len() { ", …" } else { "" };
                let noun = if n == 1 { "file" } else { "files" };
                format!("{n} {noun}: {}{more}", self.files.join(", "))
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventView {
    pub age: String,
    pub type_: String,
    pub reason: String,
    pub object: String,
    /// The involved object's namespace (`""` for a cluster-scoped one).
    pub namespace: String,
    pub message: String,
}

/// One DNS record as CoreDNS answers it (`mongo-0.mongo.default.svc.cluster.local A 10.244.1.2`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordView {
    /// The owner name, without the trailing dot.
    pub name: String,
    /// `A`, `SRV`, ...
    pub rtype: String,
    /// The record data as dig prints it.
    pub data: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceView {
    pub name: String,
    pub namespace: String,
    /// `clusterIP: None`: DNS answers with the ready pods' own addresses.
    pub headless: bool,
    /// `None` or the cluster IP.
    pub cluster_ip: String,
    /// `name:port/protocol` per port.
    pub ports: Vec<String>,
    /// What CoreDNS answers right now: the service name, each ready pod's name, SRV.
    pub records: Vec<RecordView>,
    /// Per-pod names (of pods the Service selects) that do not resolve now, with why.
    pub not_resolving: Vec<(String, Phrase)>,
    /// Why there are no SRV records, when there are none.
    pub srv_note: Option<Phrase>,
}

/// The answer to a name typed into the view's resolver box, as a pod in `default` gets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolveView {
    /// Every name the search path tried, with its response code.
    pub tried: Vec<(String, String)>,
    /// `NOERROR` or `NXDOMAIN` of the answer used.
    pub rcode: String,
    pub answers: Vec<RecordView>,
}

/// Resolves `name` (type `qtype`: A, SRV, PTR...) through the cluster's CoreDNS as a pod in
/// `default` would (search path, ndots 5). An unknown type is answered as A.
pub fn resolve(cluster: &Cluster, name: &str, qtype: &str) -> ResolveView {
    let qtype = dns::RecordType::parse(qtype).unwrap_or(dns::RecordType::A);
    let name = name.trim();
    if name.is_empty() {
        return ResolveView {
            tried: Vec::new(),
            rcode: String::new(),
            answers: Vec::new(),
        };
    }
    let lookup = cluster.dns_lookup(name, qtype);
    ResolveView {
        tried: lookup
            .tried
            .iter()
            .map(|(n, rcode, _)| (n.trim_end_matches('.').to_string(), rcode.as_str().into()))
            .collect(),
        rcode: lookup.answer.rcode.as_str().into(),
        answers: lookup.answer.answers.iter().map(record_view).collect(),
    }
}

fn record_view(r: &dns::Record) -> RecordView {
    RecordView {
        name: r.name.trim_end_matches('.').to_string(),
        rtype: r.type_().as_str().into(),
        data: r.rdata_text(),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overview {
    /// Simulated time since the cluster started, `h:mm:ss`.
    pub clock: String,
    /// The instant (ms since the engine's epoch).
    pub now: u64,
    pub sets: Vec<SetView>,
    pub nodes: Vec<Arc<NodeView>>,
    pub volumes: Vec<Arc<VolumeView>>,
    /// Services and the DNS records CoreDNS serves for them right now.
    pub services: Vec<Arc<ServiceView>>,
    /// The newest events, newest last.
    pub events: Vec<EventView>,
}

fn name(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> String {
    meta.name.clone().unwrap_or_default()
}

fn pod_state(pod: &Pod, status: &str) -> PodState {
    let phase = pod
        .status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("");
    if status == "Unknown" {
        PodState::Unknown
    } else if pod.metadata.deletion_timestamp.is_some() {
        PodState::Terminating
    } else if phase == "Failed" || phase == "Succeeded" {
        PodState::Failed
    } else if status == "CrashLoopBackOff" {
        // kubectl's STATUS (the waiting reason the kubelet writes while it backs off)
        PodState::CrashLoop
    } else if engine::statefulset::is_running_and_ready(pod) {
        PodState::Ready
    } else if phase == "Running" {
        PodState::Running
    } else if pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_ref())
        .is_some()
    {
        PodState::Creating
    } else {
        PodState::Pending
    }
}

/// The newest event message recorded for `kind/name` in `ns` (why a claim waits).
fn latest_message(cluster: &Cluster, kind: &str, ns: &str, name: &str) -> Option<String> {
    cluster
        .store()
        .events()
        .rev()
        .find(|e| e.involved_kind == kind && e.involved_name == name && e.namespace == ns)
        .map(|e| e.message.clone())
}

fn claim_view(cluster: &Cluster, ns: &str, claim: &str) -> ClaimView {
    let store = cluster.store();
    match store.get::<PersistentVolumeClaim>(ns, claim) {
        None => ClaimView {
            name: claim.to_string(),
            phase: "Missing".into(),
            volume: None,
            capacity: None,
            why: Some(Phrase::new("view.claim-missing", [claim])),
        },
        Some(pvc) => {
            let status = pvc.status.as_ref();
            let phase = status.and_then(|s| s.phase.as_deref()).unwrap_or("Pending");
            ClaimView {
                why: (phase == "Pending")
                    .then(|| latest_message(cluster, "PersistentVolumeClaim", ns, claim))
                    .flatten()
                    .map(Phrase::verbatim),
                name: claim.to_string(),
                phase: if pvc.metadata.deletion_timestamp.is_some() {
                    "Terminating".into()
                } else {
                    status
                        .and_then(|s| s.phase.clone())
                        .unwrap_or_else(|| "Pending".into())
                },
                volume: pvc.spec.as_ref().and_then(|s| s.volume_name.clone()),
                capacity: status
                    .and_then(|s| s.capacity.as_ref())
                    .and_then(|c| c.get("storage"))
                    .map(|q| q.0.clone()),
            }
        }
    }
}

/// Builds the picture of `cluster` at its current instant (from nothing: see [`Cache`] for
/// the page's per-tick picture, which equals this one).
pub fn overview(cluster: &Cluster) -> Overview {
    Cache::default().overview(cluster)
}

/// A view kept from an earlier picture, with a hash of the versions it was built from.
type Kept<T> = (u64, Arc<T>);

/// The views of the last picture, each kept with a hash of what it was built from (the
/// objects' resourceVersions, its ordinal, the set's update revision, whether its DNS name
/// resolves...), so the next picture rebuilds only the slots, volumes, Services and nodes
/// whose inputs changed and shares the rest (`Arc`): at 1,000 pods a tick changes a few.
/// A view that depends on more than versions (a pod that restarted: kubectl's `(5s ago)`
/// follows the clock; a Pending claim: its why is the newest event) is rebuilt every time.
///
/// `Cache::overview` equals [`overview`] (a full rebuild) at every instant of one cluster
/// (`tests/overview_scale.rs` checks it step by step). Within one cluster a resourceVersion
/// names one content; a cache must not be carried over to another cluster (a replay, a
/// fork): make a new one (a cluster whose resourceVersion or clock is behind the last
/// picture's empties the cache, as a safety net).
#[derive(Clone, Debug, Default)]
pub struct Cache {
    /// (namespace, set) → ordinal → its slot.
    slots: BTreeMap<(String, String), BTreeMap<i64, Kept<PodView>>>,
    volumes: BTreeMap<String, Kept<VolumeView>>,
    services: BTreeMap<(String, String), Kept<ServiceView>>,
    /// (namespace, headless Service) → the addresses its name answers.
    headless: BTreeMap<(String, String), Kept<NameAnswer>>,
    nodes: BTreeMap<String, Kept<NodeView>>,
    /// The store's resourceVersion and the instant of the last picture: a cluster whose
    /// version or clock went back is another one (a replay, a new cluster), so nothing kept
    /// is used for it.
    last: (u64, u64),
}

fn hash_of(f: impl FnOnce(&mut DefaultHasher)) -> u64 {
    let mut h = DefaultHasher::new();
    f(&mut h);
    h.finish()
}

/// The view kept under `id` in `old` if it was built from `key`, else `build()`'s; kept in
/// `new` for the next picture (not when `key` is `None`: a view rebuilt every time).
fn reuse<K: Ord, T>(
    old: &mut BTreeMap<K, Kept<T>>,
    new: &mut BTreeMap<K, Kept<T>>,
    id: K,
    key: Option<u64>,
    build: impl FnOnce() -> T,
) -> Arc<T> {
    let kept = old.remove(&id);
    let Some(key) = key else {
        return Arc::new(build());
    };
    let view = match kept {
        Some((k, v)) if k == key => v,
        _ => Arc::new(build()),
    };
    new.insert(id, (key, view.clone()));
    view
}

/// [`reuse`] for a map updated in place (no entry moved or allocated for a view kept).
fn reuse_in_place<T>(
    map: &mut BTreeMap<i64, Kept<T>>,
    id: i64,
    key: Option<u64>,
    build: impl FnOnce() -> T,
) -> Arc<T> {
    let Some(key) = key else {
        map.remove(&id);
        return Arc::new(build());
    };
    match map.get_mut(&id) {
        Some((k, v)) if *k == key => v.clone(),
        Some(entry) => {
            *entry = (key, Arc::new(build()));
            entry.1.clone()
        }
        None => {
            let v = Arc::new(build());
            map.insert(id, (key, v.clone()));
            v
        }
    }
}

fn version(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> &str {
    meta.resource_version.as_deref().unwrap_or("")
}

/// Hashes what a claim's view shows, or `None` when its why comes from the events (Pending).
fn claim_key(cluster: &Cluster, ns: &str, claim: &str, h: &mut DefaultHasher) -> Option<()> {
    match cluster.store().get::<PersistentVolumeClaim>(ns, claim) {
        None => "missing".hash(h),
        Some(pvc) => {
            let phase = pvc.status.as_ref().and_then(|s| s.phase.as_deref());
            if phase.unwrap_or("Pending") == "Pending" {
                return None;
            }
            version(&pvc.metadata).hash(h);
        }
    }
    Some(())
}

/// What a pod's slot is built from, or `None` when it follows the clock or the events.
fn pod_key(
    cluster: &Cluster,
    headless: &HeadlessAnswers,
    pod: &Pod,
    update_revision: &str,
    condemned: bool,
) -> Option<u64> {
    let status = pod.status.as_ref();
    let restarted = status
        .into_iter()
        .flat_map(|s| {
            let all = s.container_statuses.iter().flatten();
            all.chain(s.init_container_statuses.iter().flatten())
        })
        .any(|c| c.restart_count != 0);
    if restarted {
        return None; // RESTARTS says `1 (5s ago)`
    }
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let mut h = DefaultHasher::new();
    (version(&pod.metadata), update_revision, condemned).hash(&mut h);
    for claim in pod_claims(pod) {
        claim_key(cluster, ns, claim, &mut h)?;
    }
    if pod_fqdn(pod).is_some() {
        let sub = pod.spec.as_ref().and_then(|s| s.subdomain.as_deref());
        let ips = headless.get(ns).and_then(|m| m.get(sub.unwrap_or("")))?;
        let ip = status.and_then(|s| s.pod_ip.as_ref());
        ip.is_some_and(|ip| ips.ips.contains(ip)).hash(&mut h);
    }
    Some(h.finish())
}

/// The claims a pod mounts, by name.
fn pod_claims(pod: &Pod) -> impl Iterator<Item = &str> {
    pod.spec
        .as_ref()
        .and_then(|s| s.volumes.as_ref())
        .into_iter()
        .flatten()
        .filter_map(|v| v.persistent_volume_claim.as_ref())
        .map(|c| c.claim_name.as_str())
}

fn pod_view(
    cluster: &Cluster,
    resolver: &dns::Dns,
    headless: &HeadlessAnswers,
    pod: &Pod,
    ordinal: i64,
    update_revision: &str,
    condemned: bool,
) -> PodView {
    let now = engine::timestamp(cluster.now()).0;
    let summary = printers::pod_summary(pod, now);
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let spec = pod.spec.as_ref();
    let claims = pod_claims(pod)
        .map(|c| claim_view(cluster, ns, c))
        .collect();
    let dns_name = pod_fqdn(pod).filter(|fqdn| pod_name_resolves(resolver, headless, pod, fqdn));
    let revision = pod
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get("controller-revision-hash").cloned());
    PodView {
        name: name(&pod.metadata),
        ordinal,
        state: pod_state(pod, &summary.status),
        ready: summary.ready,
        status: summary.status,
        node: spec.and_then(|s| s.node_name.clone()),
        ip: pod.status.as_ref().and_then(|s| s.pod_ip.clone()),
        updated: revision.as_deref() == Some(update_revision),
        revision,
        restarts: summary.restarts,
        condemned,
        claims,
        dns: dns_name,
    }
}

/// The slot of an ordinal with no pod: its name and the claims it will mount that exist.
fn absent_view(
    cluster: &Cluster,
    ns: &str,
    set_name: &str,
    templates: &[String],
    ordinal: i64,
) -> PodView {
    let store = cluster.store();
    let pod_name = format!("{set_name}-{ordinal}");
    PodView {
        ordinal,
        state: PodState::Absent,
        ready: String::new(),
        status: String::new(),
        node: None,
        ip: None,
        revision: None,
        updated: false,
        restarts: String::new(),
        condemned: false,
        claims: templates
            .iter()
            .map(|t| format!("{t}-{pod_name}"))
            .filter(|claim| store.get::<PersistentVolumeClaim>(ns, claim).is_some())
            .map(|claim| claim_view(cluster, ns, &claim))
            .collect(),
        dns: None,
        name: pod_name,
    }
}

fn volume_view(pv: &PersistentVolume, files: &[&str]) -> VolumeView {
    let spec = pv.spec.as_ref();
    VolumeView {
        file_count: files.len(),
        files: files
            .iter()
            .take(FILES_SHOWN)
            .map(|p| p.to_string())
            .collect(),
        name: name(&pv.metadata),
        capacity: spec
            .and_then(|s| s.capacity.as_ref())
            .and_then(|c| c.get("storage"))
            .map(|q| q.0.clone())
            .unwrap_or_default(),
        access_modes: access_modes(spec.and_then(|s| s.access_modes.as_deref())),
        phase: if pv.metadata.deletion_timestamp.is_some() {
            "Terminating".into()
        } else {
            pv.status
                .as_ref()
                .and_then(|s| s.phase.clone())
                .unwrap_or_else(|| "Pending".into())
        },
        claim: spec.and_then(|s| s.claim_ref.as_ref()).map(|r| {
            format!(
                "{}/{}",
                r.namespace.as_deref().unwrap_or(""),
                r.name.as_deref().unwrap_or("")
            )
        }),
        reclaim: spec
            .and_then(|s| s.persistent_volume_reclaim_policy.clone())
            .unwrap_or_default(),
        storage_class: printers::pv_class(pv),
    }
}

impl Cache {
    /// The picture of `cluster` now, rebuilding only what changed since the last call.
    pub fn overview(&mut self, cluster: &Cluster) -> Overview {
        let store = cluster.store();
        let at = (store.resource_version(), cluster.now());
        if at.0 < self.last.0 || at.1 < self.last.1 {
            *self = Cache::default();
        }
        self.last = at;
        let now = engine::timestamp(cluster.now()).0;
        // Per namespace, the EndpointSlices' versions: every DNS answer is built from them
        // and the Services.
        let mut slice_hashers: BTreeMap<&str, DefaultHasher> = BTreeMap::new();
        for slice in store.list::<crate::network::EndpointSliceRecord>() {
            let ns = slice.metadata.namespace.as_deref().unwrap_or("default");
            let h = slice_hashers.entry(ns).or_default();
            (name_ref(&slice.metadata), version(&slice.metadata)).hash(h);
        }
        let slices: BTreeMap<&str, u64> = slice_hashers
            .into_iter()
            .map(|(ns, h)| (ns, h.finish()))
            .collect();
        let resolver = cluster.dns();
        let headless = self.headless_answers(cluster, &resolver, &slices);

        let mut old_slots = std::mem::take(&mut self.slots);
        let sets = store
            .list::<StatefulSet>()
            .map(|set| {
                let set_name = name(&set.metadata);
                let ns = set.metadata.namespace.as_deref().unwrap_or("default");
                let id = (ns.to_string(), set_name.clone());
                let mut kept = old_slots.remove(&id).unwrap_or_default();
                let view = set_view(cluster, &resolver, &headless, set, &mut kept);
                self.slots.insert(id, kept);
                view
            })
            .collect();

        let mut pods_by_node: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for pod in store.list::<Pod>() {
            if let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) {
                pods_by_node
                    .entry(node)
                    .or_default()
                    .push(name_ref(&pod.metadata));
            }
        }
        let mut old_nodes = std::mem::take(&mut self.nodes);
        let nodes = store
            .list::<Node>()
            .map(|node| {
                let node_name = name_ref(&node.metadata);
                let pods = pods_by_node.remove(node_name).unwrap_or_default();
                let on_node = store.pods_on_node(node_name);
                let key = hash_of(|h| (version(&node.metadata), &pods, on_node).hash(h));
                reuse(
                    &mut old_nodes,
                    &mut self.nodes,
                    node_name.to_string(),
                    Some(key),
                    || node_view(node, pods, on_node),
                )
            })
            .collect();

        let mut old_volumes = std::mem::take(&mut self.volumes);
        let volumes = store
            .list::<PersistentVolume>()
            .map(|pv| {
                let tree = pv
                    .metadata
                    .uid
                    .as_deref()
                    .and_then(|uid| cluster.fs().volume(uid));
                let files: Vec<&str> = tree
                    .map(|t| t.files().map(|(p, _)| p).collect())
                    .unwrap_or_default();
                let key = hash_of(|h| (version(&pv.metadata), &files).hash(h));
                reuse(
                    &mut old_volumes,
                    &mut self.volumes,
                    name(&pv.metadata),
                    Some(key),
                    || volume_view(pv, &files),
                )
            })
            .collect();

        let mut old_services = std::mem::take(&mut self.services);
        let services = store
            .list::<Service>()
            .map(|svc| {
                let ns = svc.metadata.namespace.as_deref().unwrap_or("default");
                let svc_name = name_ref(&svc.metadata);
                // its records, and the names of the pods whose subdomain it is
                let key = hash_of(|h| {
                    (version(&svc.metadata), slices.get(ns)).hash(h);
                    for p in store.list_in::<Pod>(ns) {
                        if p.spec.as_ref().and_then(|s| s.subdomain.as_deref()) == Some(svc_name) {
                            (name_ref(&p.metadata), version(&p.metadata)).hash(h);
                        }
                    }
                });
                reuse(
                    &mut old_services,
                    &mut self.services,
                    (ns.to_string(), svc_name.to_string()),
                    Some(key),
                    || service_view(cluster, &resolver, &headless, svc),
                )
            })
            .collect();

        let events = cluster
            .latest_events(12)
            .iter()
            .map(|e| EventView {
                age: kubectl::age(
                    e.last_timestamp.as_ref().or(e.first_timestamp.as_ref()),
                    now,
                ),
                type_: e.type_.clone().unwrap_or_default(),
                reason: e.reason.clone().unwrap_or_default(),
                object: format!(
                    "{}/{}",
                    e.involved_object
                        .kind
                        .as_deref()
                        .unwrap_or("")
                        .to_ascii_lowercase(),
                    e.involved_object.name.as_deref().unwrap_or("")
                ),
                namespace: e.involved_object.namespace.clone().unwrap_or_default(),
                message: e.message.clone().unwrap_or_default(),
            })
            .collect();

        Overview {
            clock: clock(cluster.now()),
            now: cluster.now(),
            sets,
            nodes,
            volumes,
            services,
            events,
        }
    }

    /// (namespace → headless Service → the addresses CoreDNS answers for its name), kept
    /// while the Service and its namespace's EndpointSlices are unchanged.
    fn headless_answers(
        &mut self,
        cluster: &Cluster,
        resolver: &dns::Dns,
        slices: &BTreeMap<&str, u64>,
    ) -> HeadlessAnswers {
        let mut old = std::mem::take(&mut self.headless);
        let mut answers = HeadlessAnswers::new();
        for svc in cluster
            .store()
            .list::<Service>()
            .filter(|s| s.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()) == Some("None"))
        {
            let ns = svc.metadata.namespace.as_deref().unwrap_or("default");
            let svc_name = name_ref(&svc.metadata);
            let key = hash_of(|h| (version(&svc.metadata), slices.get(ns)).hash(h));
            let ips = reuse(
                &mut old,
                &mut self.headless,
                (ns.to_string(), svc_name.to_string()),
                Some(key),
                || {
                    let fqdn = format!("{svc_name}.{ns}.svc.{}", dns::CLUSTER_DOMAIN);
                    let answers = resolver.query(&fqdn, dns::RecordType::A).answers;
                    NameAnswer {
                        ips: answers
                            .iter()
                            .filter_map(|r| match &r.data {
                                dns::RData::A(ip) => Some(ip.clone()),
                                _ => None,
                            })
                            .collect(),
                        records: answers.iter().map(record_view).collect(),
                    }
                },
            );
            answers
                .entry(ns.to_string())
                .or_default()
                .insert(svc_name.to_string(), ips);
        }
        answers
    }
}

/// The ordinal a name ends with when written as the controller writes it (`12`, not `012`
/// or `+12`).
fn exact_ordinal(digits: &str) -> Option<i64> {
    let ordinal: i64 = digits.parse().ok()?;
    let canonical =
        digits.bytes().all(|b| b.is_ascii_digit()) && (digits == "0" || !digits.starts_with('0'));
    canonical.then_some(ordinal)
}

fn name_ref(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> &str {
    meta.name.as_deref().unwrap_or("")
}

fn node_view(node: &Node, pods: Vec<&str>, on_node: usize) -> NodeView {
    let capacity = engine::node_pod_capacity(node);
    let ready = engine::node_is_ready(node);
    let cordoned = node.spec.as_ref().and_then(|s| s.unschedulable) == Some(true);
    let mut status = if ready { "Ready" } else { "NotReady" }.to_string();
    if cordoned {
        status.push_str(",SchedulingDisabled");
    }
    NodeView {
        ready,
        cordoned,
        capacity,
        full: on_node >= capacity,
        status,
        pods: pods.into_iter().map(str::to_string).collect(),
        name: name(&node.metadata),
    }
}

/// One set's view; its slots are taken from `kept` when built from the same versions, and
/// `kept` is left with this picture's.
fn set_view(
    cluster: &Cluster,
    resolver: &dns::Dns,
    headless: &HeadlessAnswers,
    set: &StatefulSet,
    kept: &mut BTreeMap<i64, Kept<PodView>>,
) -> SetView {
    let store = cluster.store();
    let set_name = name(&set.metadata);
    let ns = set.metadata.namespace.as_deref().unwrap_or("default");
    let spec = set.spec.clone().unwrap_or_default();
    let status = set.status.clone().unwrap_or_default();
    let update_revision = status.update_revision.clone().unwrap_or_default();
    let desired = spec.replicas.unwrap_or(1);
    let start = spec.ordinals.as_ref().and_then(|o| o.start).unwrap_or(0) as i64;
    let owned = store.pods_with_parent(ns, &set_name);
    let mut own: BTreeMap<i64, &Pod> = BTreeMap::new();
    for pod in &owned {
        if let Some((_, ordinal)) = engine::store::parse_ordinal(name_ref(&pod.metadata)) {
            own.insert(ordinal, pod);
        }
    }
    let templates: Vec<String> = spec
        .volume_claim_templates
        .iter()
        .flatten()
        .map(|t| name(&t.metadata))
        .collect();
    let pod_slot =
        |kept: &mut BTreeMap<i64, Kept<PodView>>, pod: &Pod, ordinal: i64, condemned: bool| {
            let key = pod_key(cluster, headless, pod, &update_revision, condemned);
            reuse_in_place(kept, ordinal, key, || {
                pod_view(
                    cluster,
                    resolver,
                    headless,
                    pod,
                    ordinal,
                    &update_revision,
                    condemned,
                )
            })
        };
    // The claims made from the templates, by ordinal (`<template>-<set>-<ordinal>`): one pass
    // over the namespace's claims instead of a name built and looked up per absent slot.
    let mut claims_of: BTreeMap<i64, Vec<&str>> = BTreeMap::new();
    for (i, t) in templates.iter().enumerate() {
        let prefix = format!("{t}-{set_name}-");
        for pvc in store.list_in::<PersistentVolumeClaim>(ns) {
            let claim_name = name_ref(&pvc.metadata);
            if let Some(ordinal) = claim_name.strip_prefix(&prefix).and_then(exact_ordinal) {
                let names = claims_of.entry(ordinal).or_default();
                names.resize(templates.len(), "");
                names[i] = claim_name;
            }
        }
    }
    let mut views = Vec::with_capacity(desired.max(0) as usize + own.len());
    for ordinal in start..start + desired as i64 {
        match own.remove(&ordinal) {
            Some(pod) => views.push(pod_slot(kept, pod, ordinal, false)),
            None => {
                let mut h = DefaultHasher::new();
                ("absent", &templates).hash(&mut h);
                let names = claims_of.get(&ordinal).map_or(&[][..], Vec::as_slice);
                let key = names.iter().try_for_each(|claim| {
                    claim.hash(&mut h);
                    match claim.is_empty() {
                        true => Some(()),
                        false => claim_key(cluster, ns, claim, &mut h),
                    }
                });
                let key = key.map(|()| h.finish());
                views.push(reuse_in_place(kept, ordinal, key, || {
                    absent_view(cluster, ns, &set_name, &templates, ordinal)
                }));
            }
        }
    }
    let end = start + desired as i64;
    let mut retained_claims: Vec<(i64, ClaimView)> = Vec::new();
    for t in &templates {
        let prefix = format!("{t}-{set_name}-");
        for pvc in store.list_in::<PersistentVolumeClaim>(ns) {
            let claim_name = name_ref(&pvc.metadata);
            let Some(ordinal) = claim_name
                .strip_prefix(&prefix)
                .and_then(|o| o.parse::<i64>().ok())
            else {
                continue;
            };
            if (ordinal < start || ordinal >= end) && !own.contains_key(&ordinal) {
                retained_claims.push((ordinal, claim_view(cluster, ns, claim_name)));
            }
        }
    }
    retained_claims.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
    // Condemned pods (outside the range) still shown while they go away.
    for (&ordinal, pod) in &own {
        views.push(pod_slot(kept, pod, ordinal, true));
    }
    // what this picture did not show is not kept
    kept.retain(|o, _| (start..end).contains(o) || own.contains_key(o));
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    let on_delete = strategy.type_.as_deref() == Some("OnDelete");
    let partition = (!on_delete).then(|| {
        strategy
            .rolling_update
            .as_ref()
            .and_then(|r| r.partition)
            .unwrap_or(0)
    });
    let strategy_text = match partition {
        None => "OnDelete".to_string(),
        Some(p) => format!("RollingUpdate, partition {p}"),
    };
    SetView {
        namespace: ns.to_string(),
        desired,
        ready: status.ready_replicas.unwrap_or(0),
        replicas: status.replicas,
        current: status.current_replicas.unwrap_or(0),
        updated: status.updated_replicas.unwrap_or(0),
        available: status.available_replicas.unwrap_or(0),
        policy: spec
            .pod_management_policy
            .clone()
            .unwrap_or_else(|| "OrderedReady".into()),
        strategy_type: if on_delete {
            "OnDelete"
        } else {
            "RollingUpdate"
        }
        .into(),
        partition,
        service_name: spec.service_name.clone().unwrap_or_default(),
        images: spec
            .template
            .spec
            .iter()
            .flat_map(|s| s.containers.iter())
            .map(|c| (c.name.clone(), c.image.clone().unwrap_or_default()))
            .collect(),
        strategy: strategy_text,
        current_revision: status.current_revision.clone().unwrap_or_default(),
        update_revision,
        why: cluster.why_phrases(ns, &set_name),
        dns_note: cluster.explain_dns(ns, &set_name),
        pods: views,
        retained_claims,
        name: set_name,
    }
}

/// `h:mm:ss` of an instant (ms since the engine's epoch).
pub fn clock(ms: u64) -> String {
    let secs = ms / 1000;
    format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// A pod's own DNS name (`hostname.subdomain.ns.svc.cluster.local`), if it asks for one.
fn pod_fqdn(pod: &Pod) -> Option<String> {
    let spec = pod.spec.as_ref()?;
    let host = spec.hostname.as_deref()?;
    let sub = spec.subdomain.as_deref().filter(|s| !s.is_empty())?;
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    Some(format!("{host}.{sub}.{ns}.svc.{}", dns::CLUSTER_DOMAIN))
}

/// namespace → headless Service → the addresses CoreDNS answers for its name: the ready
/// endpoints' addresses, which are exactly the pods whose own names resolve (a pod's
/// `hostname.subdomain` record is its ready endpoint's address). One query per Service instead
/// of one per pod keeps the overview linear in the pods.
type HeadlessAnswers = BTreeMap<String, BTreeMap<String, Arc<NameAnswer>>>;

/// CoreDNS's A answer for a headless Service's name: its records and their addresses.
#[derive(Debug, PartialEq, Eq)]
struct NameAnswer {
    ips: BTreeSet<String>,
    records: Vec<RecordView>,
}

/// Whether CoreDNS answers `fqdn` (the pod's own name) now.
fn pod_name_resolves(
    resolver: &dns::Dns,
    headless: &HeadlessAnswers,
    pod: &Pod,
    fqdn: &str,
) -> bool {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let sub = pod.spec.as_ref().and_then(|s| s.subdomain.as_deref());
    match headless.get(ns).and_then(|m| m.get(sub.unwrap_or(""))) {
        Some(ips) => pod
            .status
            .as_ref()
            .and_then(|s| s.pod_ip.as_ref())
            .is_some_and(|ip| ips.ips.contains(ip)),
        None => {
            let answer = resolver.query(fqdn, dns::RecordType::A);
            answer.rcode == dns::Rcode::NoError && !answer.answers.is_empty()
        }
    }
}

fn service_view(
    cluster: &Cluster,
    resolver: &dns::Dns,
    headless_ips: &HeadlessAnswers,
    svc: &Service,
) -> ServiceView {
    let ns = svc.metadata.namespace.as_deref().unwrap_or("default");
    let svc_name = name(&svc.metadata);
    let spec = svc.spec.as_ref();
    let cluster_ip = spec
        .and_then(|s| s.cluster_ip.clone())
        .unwrap_or_else(|| "None".into());
    let headless = cluster_ip == "None";
    let fqdn = format!("{svc_name}.{ns}.svc.{}", dns::CLUSTER_DOMAIN);
    let ports: Vec<_> = spec.and_then(|s| s.ports.clone()).unwrap_or_default();
    // a headless Service's answer was asked once for this picture already
    let asked = headless_ips.get(ns).and_then(|m| m.get(&svc_name));
    let mut records: Vec<RecordView> = match asked {
        Some(answer) if headless => answer.records.clone(),
        _ => resolver
            .query(&fqdn, dns::RecordType::A)
            .answers
            .iter()
            .map(record_view)
            .collect(),
    };
    let mut not_resolving = Vec::new();
    // Per-pod names: the pods whose subdomain is this Service, in name order.
    let mut named: Vec<(&Pod, String)> = cluster
        .store()
        .list_in::<Pod>(ns)
        .filter_map(|p| {
            let fqdn = pod_fqdn(p)?;
            (p.spec.as_ref()?.subdomain.as_deref() == Some(svc_name.as_str())).then_some((p, fqdn))
        })
        .collect();
    named.sort_by(|a, b| {
        fn key(p: &Pod) -> Option<(&str, i64)> {
            engine::store::parse_ordinal(name_ref(&p.metadata))
        }
        key(a.0).cmp(&key(b.0)).then_with(|| a.1.cmp(&b.1))
    });
    for (pod, fqdn) in named {
        if !pod_name_resolves(resolver, headless_ips, pod, &fqdn) {
            let why = if !crate::network::endpointslice::is_pod_ready(pod) {
                Phrase::of("view.dns-not-ready")
            } else if !headless {
                Phrase::of("view.dns-not-headless")
            } else {
                Phrase::of("view.dns-no-endpoint")
            };
            not_resolving.push((fqdn, why));
        } else if let Some(ip) = pod.status.as_ref().and_then(|s| s.pod_ip.clone()) {
            records.push(RecordView {
                name: fqdn,
                rtype: "A".into(),
                data: ip,
            });
        }
    }
    for port in &ports {
        if let Some(port_name) = port.name.as_deref().filter(|n| !n.is_empty()) {
            let proto = port
                .protocol
                .as_deref()
                .unwrap_or("TCP")
                .to_ascii_lowercase();
            let srv = format!("_{port_name}._{proto}.{fqdn}");
            records.extend(
                resolver
                    .query(&srv, dns::RecordType::Srv)
                    .answers
                    .iter()
                    .map(record_view),
            );
        }
    }
    let srv_note = (!ports.is_empty()
        && ports
            .iter()
            .all(|p| p.name.as_deref().unwrap_or("").is_empty()))
    .then(|| Phrase::of("view.no-srv"));
    ServiceView {
        srv_note,
        namespace: ns.to_string(),
        headless,
        cluster_ip,
        ports: ports
            .iter()
            .map(|p| {
                format!(
                    "{}{}/{}",
                    p.name
                        .as_deref()
                        .map(|n| format!("{n}:"))
                        .unwrap_or_default(),
                    p.port,
                    p.protocol.as_deref().unwrap_or("TCP")
                )
            })
            .collect(),
        records,
        not_resolving,
        name: svc_name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;
    use crate::manifest;

    fn seeded() -> Cluster {
        let mut cluster = Cluster::default();
        for (_, text) in examples::MONGODB {
            for parsed in manifest::parse(text).objects {
                cluster.apply(parsed.object).unwrap();
            }
        }
        cluster
    }

    /// Two sets of the same name in two namespaces are two sets in the picture, each with its
    /// namespace (the view tags the one outside `default`), its own pods and DNS names; the
    /// events say whose object they are about.
    #[test]
    fn objects_carry_their_namespace() {
        let mut cluster = seeded();
        cluster
            .execute(crate::engine::Command::CreateNamespace("shop".into()))
            .unwrap();
        for (_, text) in examples::MONGODB {
            for mut parsed in manifest::parse(text).objects {
                if let Some(ns) = parsed.object.namespace_slot() {
                    *ns = Some("shop".into());
                }
                if !matches!(parsed.object, manifest::Object::PersistentVolume(_)) {
                    cluster.apply(parsed.object).unwrap();
                }
            }
        }
        cluster.advance(60_000);
        let o = overview(&cluster);
        let sets: Vec<(&str, &str)> = o
            .sets
            .iter()
            .map(|s| (s.namespace.as_str(), s.name.as_str()))
            .collect();
        assert_eq!(sets, [("default", "mongo"), ("shop", "mongo")]);
        let services: Vec<&str> = o.services.iter().map(|s| s.namespace.as_str()).collect();
        assert!(services.contains(&"shop") && services.contains(&"default"));
        let shop = &o.sets[1];
        assert!(!shop.pods.is_empty());
        let dns: Vec<String> = o
            .sets
            .iter()
            .flat_map(|s| s.pods.iter().filter_map(|p| p.dns.clone()))
            .collect();
        assert!(!dns.is_empty());
        for (set, suffix) in [(&o.sets[0], ".mongo.default."), (shop, ".mongo.shop.")] {
            for d in set.pods.iter().filter_map(|p| p.dns.as_deref()) {
                assert!(d.contains(suffix), "{d} in {}", set.namespace);
            }
        }
        assert!(o.events.iter().any(|e| e.namespace == "shop"));
        assert!(o
            .events
            .iter()
            .all(|e| ["default", "shop", ""].contains(&e.namespace.as_str())));
    }

    #[test]
    fn a_volume_lists_the_files_written_through_a_pods_mount() {
        let mut cluster = seeded();
        cluster.advance(60_000);
        assert_eq!(overview(&cluster).volumes[0].files_summary(), "no files");
        for f in ["a", "b"] {
            cluster
                .execute(crate::engine::Command::Exec {
                    namespace: "default".into(),
                    pod: "mongo-0".into(),
                    container: "mongo".into(),
                    argv: vec!["touch".into(), format!("/data/db/{f}")],
                })
                .unwrap();
        }
        let o = overview(&cluster);
        let pv = o.volumes.iter().find(|v| v.name == "pv001").unwrap();
        assert_eq!(
            (pv.file_count, pv.files_summary().as_str()),
            (2, "2 files: a, b")
        );
        assert_eq!(o.volumes[1].file_count, 0);
    }

    #[test]
    fn a_crash_looping_pod_is_drawn_as_a_crash_loop() {
        let mut cluster = seeded();
        cluster.advance(120_000);
        cluster
            .set_annotation(
                crate::engine::Kind::Pod,
                "default",
                "mongo-1",
                "playground.dev/fail",
                Some("true"),
            )
            .unwrap();
        cluster.advance(6_000); // exit, restart at once, exit again: back-off
        let o = overview(&cluster);
        let p = &o.sets[0].pods[1];
        assert_eq!(p.state, PodState::CrashLoop);
        // kubectl sums the containers: mongo and its sidecar restarted once each
        assert!(p.restarts.starts_with("2 ("), "{}", p.restarts);
    }

    #[test]
    fn right_after_apply_three_slots_wait_and_the_first_pod_is_on_its_way() {
        let mut cluster = seeded();
        cluster.advance(10);
        let o = overview(&cluster);
        assert_eq!(o.sets.len(), 1);
        let set = &o.sets[0];
        assert_eq!((set.name.as_str(), set.desired, set.ready), ("mongo", 3, 0));
        let names: Vec<&str> = set.pods.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["mongo-0", "mongo-1", "mongo-2"]);
        assert_ne!(
            set.pods[0].state,
            PodState::Absent,
            "mongo-0 is created first"
        );
        assert_eq!(
            set.pods[1].state,
            PodState::Absent,
            "OrderedReady: mongo-1 waits"
        );
        assert!(
            set.pods.iter().all(|p| p.dns.is_none()),
            "no pod is Ready yet"
        );
        assert_eq!(o.volumes.len(), 5);
        assert_eq!(o.nodes.len(), 3);
        assert!(!set.why.is_empty());
    }

    #[test]
    fn once_rolled_out_every_pod_is_ready_bound_and_named_in_dns() {
        let mut cluster = seeded();
        cluster.advance(120_000);
        let o = overview(&cluster);
        let set = &o.sets[0];
        assert_eq!(set.ready, 3);
        for (i, pod) in set.pods.iter().enumerate() {
            assert_eq!(pod.state, PodState::Ready, "{pod:?}");
            assert_eq!(pod.ready, "2/2");
            assert_eq!(pod.status, "Running");
            assert_eq!(pod.claims[0].name, format!("mongo-data-mongo-{i}"));
            assert_eq!(pod.claims[0].phase, "Bound");
            assert_eq!(
                pod.claims[0].volume.as_deref(),
                Some(format!("pv00{}", i + 1).as_str())
            );
            assert_eq!(
                pod.dns.as_deref(),
                Some(format!("mongo-{i}.mongo.default.svc.cluster.local").as_str())
            );
        }
        assert_eq!(set.dns_note, None);
        assert_eq!(o.clock, "0:02:00");
        let bound: Vec<&str> = o.volumes.iter().map(|v| v.phase.as_str()).collect();
        assert_eq!(bound, ["Bound", "Bound", "Bound", "Available", "Available"]);
        assert!(!o.events.is_empty() && o.events.len() <= 12);
    }

    fn rolled_out() -> Cluster {
        let mut cluster = seeded();
        cluster.advance(120_000);
        cluster
    }

    #[test]
    fn a_set_header_carries_kubectl_status_counts_strategy_partition_and_images() {
        let o = overview(&rolled_out());
        let set = &o.sets[0];
        assert_eq!(
            (set.replicas, set.current, set.updated, set.available),
            (3, 3, 3, 3)
        );
        assert_eq!(set.strategy_type, "RollingUpdate");
        assert_eq!(set.partition, Some(0));
        assert_eq!(set.service_name, "mongo");
        assert_eq!(set.namespace, "default");
        assert_eq!(
            set.images,
            [
                ("mongo".to_string(), "mongo:3.4".to_string()),
                (
                    "mongo-sidecar".to_string(),
                    "cvallance/mongo-k8s-sidecar".to_string()
                )
            ]
        );
        assert_eq!(set.current_revision, set.update_revision);
        for pod in &set.pods {
            assert!(pod.updated, "{pod:?}");
            assert_eq!(pod.restarts, "0");
            assert!(!pod.condemned);
            assert_eq!(pod.claims[0].why, None, "a bound claim needs no why");
        }
    }

    #[test]
    fn a_template_change_shows_pods_on_the_old_revision_until_the_rollout_reaches_them() {
        let mut cluster = rolled_out();
        let (_, sts) = examples::MONGODB[2];
        for parsed in manifest::parse(&sts.replace("mongo:3.4", "mongo:3.6")).objects {
            cluster.apply(parsed.object).unwrap();
        }
        cluster.advance(100);
        let o = overview(&cluster);
        let set = &o.sets[0];
        assert_ne!(set.current_revision, set.update_revision);
        // Top-down: mongo-2 goes first, mongo-0 and mongo-1 are still on the old revision.
        assert!(!set.pods[0].updated && !set.pods[1].updated);
        assert_eq!(set.images[0].1, "mongo:3.6");
    }

    #[test]
    fn volumes_show_reclaim_policy_and_class_and_nodes_show_capacity_and_cordon() {
        let mut cluster = rolled_out();
        cluster
            .execute(engine::Command::Cordon {
                node: "node-2".into(),
                unschedulable: true,
            })
            .unwrap();
        let o = overview(&cluster);
        assert_eq!(o.volumes[0].reclaim, "Retain");
        assert_eq!(o.volumes[0].storage_class, "");
        assert_eq!(
            o.volumes[0].claim.as_deref(),
            Some("default/mongo-data-mongo-0")
        );
        let n2 = o.nodes.iter().find(|n| n.name == "node-2").unwrap();
        assert!(n2.cordoned && n2.ready && !n2.full);
        assert_eq!(n2.status, "Ready,SchedulingDisabled");
        assert_eq!(n2.capacity, 110);
        let n1 = &o.nodes[0];
        assert_eq!((n1.status.as_str(), n1.cordoned), ("Ready", false));
        let placed: usize = o.nodes.iter().map(|n| n.pods.len()).sum();
        assert_eq!(placed, 3);
    }

    #[test]
    fn after_a_scale_down_the_retained_claims_stay_bound_to_their_volumes() {
        let mut cluster = rolled_out();
        cluster.scale("default", "mongo", 5).unwrap();
        cluster.advance(120_000);
        cluster.scale("default", "mongo", 3).unwrap();
        cluster.advance(1);
        let o = overview(&cluster);
        let set = &o.sets[0];
        assert!(
            set.pods[4].condemned || set.pods[4].name == "mongo-4",
            "{:?}",
            set.pods
        );
        assert!(set.retained_claims.is_empty() || set.retained_claims[0].0 == 3);
        cluster.advance(120_000);
        let o = overview(&cluster);
        let set = &o.sets[0];
        assert_eq!(set.pods.len(), 3);
        let retained: Vec<(i64, &str, Option<&str>)> = set
            .retained_claims
            .iter()
            .map(|(o, c)| (*o, c.phase.as_str(), c.volume.as_deref()))
            .collect();
        assert_eq!(
            retained,
            [(3, "Bound", Some("pv004")), (4, "Bound", Some("pv005"))]
        );
    }

    #[test]
    fn a_claim_with_no_volume_left_stays_pending_and_says_why() {
        let mut cluster = rolled_out();
        cluster.scale("default", "mongo", 6).unwrap();
        cluster.advance(120_000);
        let o = overview(&cluster);
        let pod = &o.sets[0].pods[5];
        assert_eq!(pod.state, PodState::Pending);
        let claim = &pod.claims[0];
        assert_eq!(claim.phase, "Pending");
        assert_eq!(claim.volume, None);
        assert_eq!(
            claim.why.as_ref().map(|w| w.to_string()).as_deref(),
            Some("no persistent volumes available for this claim and no storage class is set")
        );
        assert!(o.volumes.iter().all(|v| v.phase == "Bound"));
    }

    #[test]
    fn dns_records_list_what_coredns_answers_and_unready_names_do_not_resolve() {
        let mut cluster = rolled_out();
        let o = overview(&cluster);
        let svc = o.services.iter().find(|s| s.name == "mongo").unwrap();
        assert!(svc.headless);
        let kubernetes = o.services.iter().find(|s| s.name == "kubernetes").unwrap();
        assert!(!kubernetes.headless && kubernetes.not_resolving.is_empty());
        assert_eq!(svc.ports, ["27017/TCP"]);
        let a: Vec<String> = svc
            .records
            .iter()
            .map(|r| format!("{} {} {}", r.name, r.rtype, r.data))
            .collect();
        let ip0 = o.sets[0].pods[0].ip.clone().unwrap();
        assert!(
            a.contains(&format!("mongo-0.mongo.default.svc.cluster.local A {ip0}")),
            "{a:?}"
        );
        assert_eq!(
            a.iter()
                .filter(|r| r.starts_with("mongo.default.svc.cluster.local A "))
                .count(),
            3
        );
        assert!(svc.not_resolving.is_empty());
        assert!(svc
            .srv_note
            .as_ref()
            .unwrap()
            .to_string()
            .contains("has no name"));

        cluster
            .set_annotation(
                engine::Kind::Pod,
                "default",
                "mongo-1",
                "playground.dev/unready",
                Some("true"),
            )
            .unwrap();
        cluster.advance(30_000);
        let o = overview(&cluster);
        let svc = o.services.iter().find(|s| s.name == "mongo").unwrap();
        assert_eq!(o.sets[0].pods[1].state, PodState::Running);
        let not_resolving: Vec<(String, String)> = svc
            .not_resolving
            .iter()
            .map(|(n, w)| (n.clone(), w.to_string()))
            .collect();
        assert_eq!(
            not_resolving,
            [(
                "mongo-1.mongo.default.svc.cluster.local".to_string(),
                "not Ready: CoreDNS only answers for ready endpoints".to_string()
            )]
        );
        assert!(!svc.records.iter().any(|r| r.name.starts_with("mongo-1.")));
    }

    #[test]
    fn a_pod_name_is_shown_as_resolving_exactly_when_coredns_answers_it() {
        let mut cluster = seeded();
        cluster.scale("default", "mongo", 5).unwrap();
        let mut checked = 0;
        for step in 0..900 {
            cluster.advance(200);
            if step == 300 {
                cluster
                    .set_annotation(
                        engine::Kind::Pod,
                        "default",
                        "mongo-1",
                        "playground.dev/unready",
                        Some("true"),
                    )
                    .unwrap();
            }
            let o = overview(&cluster);
            let resolver = cluster.dns();
            for pod in &o.sets[0].pods {
                let fqdn = format!("{}.mongo.default.svc.cluster.local", pod.name);
                let answered = !resolver.query(&fqdn, dns::RecordType::A).answers.is_empty();
                assert_eq!(pod.dns.is_some(), answered, "{} at {}", pod.name, o.clock);
                let svc = o.services.iter().find(|s| s.name == "mongo").unwrap();
                let listed = svc.records.iter().any(|r| r.name == fqdn);
                assert_eq!(listed, answered, "{fqdn} at {}", o.clock);
                checked += 1;
            }
        }
        assert!(checked > 3000);
    }

    #[test]
    fn named_ports_give_srv_records_for_ready_pods() {
        let mut cluster = Cluster::default();
        for (_, text) in examples::MONGODB {
            let text = text.replace("  - port: 27017", "  - name: mongodb\n    port: 27017");
            for parsed in manifest::parse(&text).objects {
                cluster.apply(parsed.object).unwrap();
            }
        }
        cluster.advance(120_000);
        let o = overview(&cluster);
        let svc = o.services.iter().find(|s| s.name == "mongo").unwrap();
        let srv: Vec<String> = svc
            .records
            .iter()
            .filter(|r| r.rtype == "SRV")
            .map(|r| format!("{} {}", r.name, r.data))
            .collect();
        assert_eq!(
            srv,
            [
                "_mongodb._tcp.mongo.default.svc.cluster.local 0 33 27017 mongo-0.mongo.default.svc.cluster.local.",
                "_mongodb._tcp.mongo.default.svc.cluster.local 0 33 27017 mongo-1.mongo.default.svc.cluster.local.",
                "_mongodb._tcp.mongo.default.svc.cluster.local 0 33 27017 mongo-2.mongo.default.svc.cluster.local.",
            ]
        );
        assert_eq!(svc.srv_note, None);
    }

    #[test]
    fn the_resolver_box_answers_as_a_pod_in_default_would() {
        let cluster = rolled_out();
        let r = resolve(&cluster, "mongo-0.mongo", "A");
        assert_eq!(r.rcode, "NOERROR");
        assert_eq!(r.tried[0].0, "mongo-0.mongo.default.svc.cluster.local");
        assert_eq!(r.answers.len(), 1);
        assert_eq!(r.answers[0].rtype, "A");
        let none = resolve(&cluster, "mongo-7.mongo", "A");
        assert_eq!(none.rcode, "NXDOMAIN");
        assert!(none.answers.is_empty());
        assert_eq!(none.tried.len(), 4, "the whole search path was tried");
        assert!(resolve(&cluster, "  ", "A").tried.is_empty());
    }

    #[test]
    fn the_inspector_prints_what_kubectl_describe_and_get_print() {
        let cluster = rolled_out();
        let i = inspect::inspect(&cluster, "pod", "default", "mongo-0");
        assert_eq!(i.title, "pod/mongo-0");
        assert!(
            i.describe.starts_with("Name:             mongo-0\n"),
            "{}",
            i.describe
        );
        assert!(
            i.yaml.starts_with("apiVersion: v1\nkind: Pod\n"),
            "{}",
            i.yaml
        );
        assert!(i.events.starts_with("LAST SEEN"), "{}", i.events);
        assert!(i.events.contains("Scheduled"), "{}", i.events);
        assert!(!i.events.contains("pod/mongo-1"), "{}", i.events);
        let pv = inspect::inspect(&cluster, "pv", "default", "pv001");
        assert!(
            pv.describe.contains("Status:          Bound"),
            "{}",
            pv.describe
        );
        // Inspecting changes nothing.
        assert_eq!(
            cluster.command_log().len(),
            rolled_out().command_log().len()
        );
    }

    fn first_from(row: &timeline::TimelineRow, state: PodState) -> u64 {
        row.segments
            .iter()
            .find(|s| s.state == state)
            .unwrap_or_else(|| panic!("{} never {state:?}: {row:?}", row.pod))
            .from
    }

    #[test]
    fn the_timeline_shows_ordered_ready_one_ordinal_after_the_other() {
        let mut cluster = seeded();
        let mut t = timeline::Timeline::new();
        for _ in 0..600 {
            cluster.advance(100);
            t.observe(&cluster);
        }
        let v = t.view(&cluster, cluster.now());
        let pods: Vec<&str> = v.rows.iter().map(|r| r.pod.as_str()).collect();
        assert_eq!(pods, ["mongo-0", "mongo-1", "mongo-2"]);
        for w in v.rows.windows(2) {
            assert!(
                w[1].segments[0].from >= first_from(&w[0], PodState::Ready),
                "{} is created only once {} is Ready",
                w[1].pod,
                w[0].pod
            );
        }
        for row in &v.rows {
            let states: Vec<PodState> = row.segments.iter().map(|s| s.state).collect();
            assert_eq!(states[0], PodState::Pending, "{}", row.pod);
            assert!(states.contains(&PodState::Creating), "{states:?}");
            assert_eq!(states.last(), Some(&PodState::Ready), "{states:?}");
            assert_eq!(row.segments.last().unwrap().to, None);
            let reasons: Vec<&str> = row.ticks.iter().map(|t| t.reason.as_str()).collect();
            assert!(reasons.contains(&"Scheduled"), "{reasons:?}");
        }
        assert_eq!(v.markers.len(), 7, "one apply per object");
        assert_eq!(v.markers[6].label, "apply statefulset.apps/mongo");
        // Observed once at the end, the timeline is the same: it reads the watch log's instants.
        let mut once = timeline::Timeline::new();
        once.observe(&cluster);
        assert_eq!(once.view(&cluster, cluster.now()), v);
    }

    #[test]
    fn the_timeline_shows_parallel_pods_starting_together() {
        let mut cluster = Cluster::default();
        for (_, text) in examples::MONGODB {
            let text = text.replace(
                "  serviceName: \"mongo\"",
                "  serviceName: \"mongo\"\n  podManagementPolicy: Parallel",
            );
            for parsed in manifest::parse(&text).objects {
                cluster.apply(parsed.object).unwrap();
            }
        }
        cluster.advance(60_000);
        let mut t = timeline::Timeline::new();
        t.observe(&cluster);
        let v = t.view(&cluster, cluster.now());
        let starts: Vec<u64> = v.rows.iter().map(|r| r.segments[0].from).collect();
        assert_eq!(starts.len(), 3);
        assert!(starts.iter().all(|s| *s == starts[0]), "{starts:?}");
    }

    #[test]
    fn the_timeline_cut_at_an_instant_and_forked_keeps_only_the_past() {
        let mut cluster = seeded();
        let mut t = timeline::Timeline::new();
        cluster.advance(60_000);
        t.observe(&cluster);
        let at = cluster.now();
        cluster.advance(1_000);
        cluster.scale("default", "mongo", 1).unwrap();
        cluster.advance(60_000);
        t.observe(&cluster);
        let later = t.view(&cluster, cluster.now());
        assert!(later.rows[2]
            .segments
            .iter()
            .any(|s| s.state == PodState::Terminating));
        let cut = t.view(&cluster, at);
        assert!(cut
            .rows
            .iter()
            .all(|r| r.segments.last().unwrap().state == PodState::Ready
                && r.segments.last().unwrap().to.is_none()));
        // The past becomes the present: replay to `at` and continue from there.
        let past = Cluster::replay(cluster.config().clone(), cluster.command_log(), at);
        t.fork(&past);
        assert_eq!(t.view(&past, at).rows, cut.rows);
        assert_eq!(t.view(&past, at).markers.len(), 7);
    }

    #[test]
    fn a_timeline_that_fell_behind_a_trimmed_watch_log_samples_the_present() {
        let mut cluster = Cluster::new(engine::ClusterConfig {
            watch_history: 10,
            ..Default::default()
        });
        for (_, text) in examples::MONGODB {
            for parsed in manifest::parse(text).objects {
                cluster.apply(parsed.object).unwrap();
            }
        }
        cluster.advance(120_000);
        let mut t = timeline::Timeline::new();
        t.observe(&cluster);
        let v = t.view(&cluster, cluster.now());
        assert_eq!(v.rows.len(), 3);
        for row in &v.rows {
            let last = row.segments.last().unwrap();
            assert_eq!(last.state, PodState::Ready, "{row:?}");
            assert!(last.from <= cluster.now());
        }
    }
}
