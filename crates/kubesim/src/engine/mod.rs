//! The simulation engine: a deterministic discrete-event model of a Kubernetes v1.35 cluster.
//!
//! `Cluster` = API-server storage ([`store`]) + controllers driven by an event queue ordered by
//! `(instant, sequence)`. Time is simulated (milliseconds since [`EPOCH`], 2026-01-01T00:00:00Z);
//! nothing reads a wall clock and the only randomness is a seeded [`rng::SplitMix64`], so the
//! same commands at the same instants always give the same history.
//!
//! Controllers react to writes the way informers do: after every task or command the cluster
//! reads the new watch-log entries ([`Cluster::dispatch`]) and enqueues work — a StatefulSet
//! sync (deduplicated: several triggers for one set at one instant make one sync), a scheduler
//! pass, a kubelet step, a volume-binder pass, a garbage-collector pass.
//!
//! Rebuilding a past instant: `Cluster` is `Clone` (objects are `Arc`-shared, so a snapshot is
//! cheap) and every command is also recorded in [`Cluster::command_log`]; [`Cluster::replay`]
//! rebuilds the state at any instant from a config and that log.

pub mod admission;
pub mod container;
pub mod endpoints;
pub mod events;
pub mod gc;
pub mod history;
pub mod ids;
pub mod kubelet;
pub mod namespaces;
pub mod pod_fs;
pub mod profile;
pub mod pv_controller;
pub mod rng;
pub mod scheduler;
pub mod statefulset;
pub mod store;
pub mod system_pods;
pub mod volume_defaults;
mod why;

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::api::core::v1::{
    Event, Node, NodeAddress, NodeCondition, NodeSpec, NodeStatus, PersistentVolume,
    PersistentVolumeClaim, Pod, Service,
};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

use crate::manifest::Object;
pub use events::EventRecord;
pub use store::{
    AnyObject, DeleteOutcome, Key, Kind, ObjRef, Propagation, Store, WatchEntry, WatchEventType,
};

/// The kubelet version every simulated node reports (`kubectl get nodes` VERSION).
pub const KUBELET_VERSION: &str = "v1.35.0";

/// Unix time (ms) of simulated instant 0: 2026-01-01T00:00:00Z.
pub const EPOCH_UNIX_MS: i64 = 1_767_225_600_000;
/// The latest simulated instant (100 years after [`EPOCH`]): the clock stops there, so
/// `now + delay` never overflows however far a caller asks to run (`poll(u64::MAX)`).
pub const MAX_INSTANT: u64 = 100 * 365 * 24 * 3600 * 1000;

/// Simulated instant 0, for rendering.
pub const EPOCH: &str = "2026-01-01T00:00:00Z";

/// A simulated instant as a Kubernetes timestamp.
pub fn timestamp(ms: u64) -> Time {
    let unix = EPOCH_UNIX_MS.saturating_add(ms.min(i64::MAX as u64 / 2) as i64);
    Time(k8s_openapi::jiff::Timestamp::from_millisecond(unix).unwrap_or_default())
}

/// The simulated instant (ms since [`EPOCH`]) of a timestamp; 0 for anything before it.
pub fn instant_of(t: &Time) -> u64 {
    (t.0.as_millisecond() - EPOCH_UNIX_MS).max(0) as u64
}

/// An error an API call returns, printed the way kubectl shows the server's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    NotFound { kind: Kind, name: String },
    AlreadyExists { kind: Kind, name: String },
    Invalid(String),
    Forbidden(String),
}

fn resource_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Pod => "pods",
        Kind::StatefulSet => "statefulsets.apps",
        Kind::ControllerRevision => "controllerrevisions.apps",
        Kind::PersistentVolumeClaim => "persistentvolumeclaims",
        Kind::PersistentVolume => "persistentvolumes",
        Kind::StorageClass => "storageclasses.storage.k8s.io",
        Kind::Service => "services",
        Kind::EndpointSlice => "endpointslices.discovery.k8s.io",
        Kind::Node => "nodes",
        Kind::Event => "events",
        Kind::Endpoints => "endpoints",
        Kind::Namespace => "namespaces",
    }
}

/// The kind as the API server names it in errors (`StatefulSet.apps`, `Pod`).
fn qualified_kind(kind: Kind) -> String {
    match kind {
        Kind::StatefulSet | Kind::ControllerRevision => format!("{}.apps", kind.as_str()),
        Kind::StorageClass => format!("{}.storage.k8s.io", kind.as_str()),
        Kind::EndpointSlice => format!("{}.discovery.k8s.io", kind.as_str()),
        other => other.as_str().to_string(),
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::NotFound { kind, name } => {
                write!(f, "{} \"{name}\" not found", resource_name(*kind))
            }
            ApiError::AlreadyExists { kind, name } => {
                write!(f, "{} \"{name}\" already exists", resource_name(*kind))
            }
            ApiError::Invalid(m) | ApiError::Forbidden(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ApiError {}

/// Watch entries a cluster keeps by default (like the API server's watch cache, whose default
/// is 100 per resource): the kubectl shell holds what it has not printed, controllers read
/// at every write instant, so this only has to cover a controller that sat out a few writes.
/// Small enough that a 10,000-pod rollout does not hold every version of every pod, nor a
/// Service every version of its 1,000-address Endpoints object.
pub const DEFAULT_WATCH_HISTORY: usize = 1_000;

/// How far (in multiples of `watch_history`) the log may grow for a controller cache that has
/// not read it yet, before that cache is left to relist.
pub const WATCH_LAG_FACTOR: usize = 16;

/// Deterministic durations and sizes of the simulated cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterConfig {
    /// Number of worker nodes (`node-1` … `node-N`).
    pub nodes: usize,
    /// Delay between a pod appearing unscheduled and the scheduler binding it.
    pub schedule_delay_ms: u64,
    /// Delay between binding and the kubelet admitting the pod (sandbox creation).
    pub kubelet_admit_ms: u64,
    /// Time to pull an image not yet on the node.
    pub image_pull_ms: u64,
    /// Time from `Created` to `Started` for one container.
    pub container_start_ms: u64,
    /// Delay after which a readiness probe with `initialDelaySeconds: 0` first succeeds.
    pub probe_latency_ms: u64,
    /// How fast the kubelet reacts to a fault annotation being set or removed.
    pub fault_reaction_ms: u64,
    /// Time after start when a `playground.dev/fail` container exits.
    pub fail_after_ms: u64,
    /// How long containers take to stop after SIGTERM; `None` = the full grace period.
    pub container_stop_ms: Option<u64>,
    /// Delay between containers stopping and the kubelet removing the pod object.
    pub kubelet_cleanup_ms: u64,
    /// Delay of the volume binder after a claim or volume changes.
    pub binder_delay_ms: u64,
    /// Time after a node goes down until its pods are marked for deletion (taint eviction).
    pub pod_eviction_timeout_ms: u64,
    /// Seed of the engine's RNG.
    pub seed: u64,
    /// Playground limit on `spec.replicas` (a browser tab cannot hold a million pods).
    /// Default 1,000 (a rollout of that many, with a headless Service, takes under a second
    /// in the browser; BENCHMARKS.md). The benchmarks raise it.
    pub max_replicas: i32,
    /// Storage setup (`bare`: no StorageClass; `kind-like`: default class `standard`).
    pub profile: profile::Profile,
    /// How many of the newest watch entries the cluster keeps (a bounded watch cache like the
    /// API server's), besides whatever a reader still holds ([`Cluster::hold_watch`]).
    /// Controller caches hold what they have not read, unless they lag 16 times this far
    /// behind; then they relist. `usize::MAX` keeps the whole history (tests that compare
    /// histories).
    pub watch_history: usize,
    /// How long an Event lives after its last write: kube-apiserver's `--event-ttl`, default
    /// 1 h (`EventTTL: 1 * time.Hour` in `cmd/kube-apiserver/app/options/options.go`).
    /// Expired events are deleted from the store at that instant (a `DELETED` watch event).
    pub event_ttl_ms: u64,
    /// How many commands the command log keeps before it starts again from a snapshot
    /// ([`Cluster::command_log`], [`Cluster::rebuild`]).
    pub command_history: usize,
}

/// kube-apiserver's default `--event-ttl` (1 h), in ms.
pub const DEFAULT_EVENT_TTL_MS: u64 = 3_600_000;

/// Commands the command log keeps by default (see [`ClusterConfig::command_history`]).
pub const DEFAULT_COMMAND_HISTORY: usize = 1_000;

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            nodes: 3,
            schedule_delay_ms: 50,
            kubelet_admit_ms: 200,
            image_pull_ms: 2000,
            container_start_ms: 1000,
            probe_latency_ms: 500,
            fault_reaction_ms: 1000,
            fail_after_ms: 1000,
            container_stop_ms: None,
            kubelet_cleanup_ms: 300,
            binder_delay_ms: 100,
            pod_eviction_timeout_ms: 300_000,
            seed: 0,
            max_replicas: 1_000,
            profile: profile::Profile::Bare,
            watch_history: DEFAULT_WATCH_HISTORY,
            event_ttl_ms: DEFAULT_EVENT_TTL_MS,
            command_history: DEFAULT_COMMAND_HISTORY,
        }
    }
}

/// Result of `apply`, as kubectl prints it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApplyOutcome {
    Created,
    Configured,
    Unchanged,
}

impl ApplyOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            ApplyOutcome::Created => "created",
            ApplyOutcome::Configured => "configured",
            ApplyOutcome::Unchanged => "unchanged",
        }
    }
}

/// `kubectl delete` options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    pub propagation: Propagation,
    /// `--grace-period`; `Some(0)` with `force` is `--grace-period=0 --force`.
    pub grace_period: Option<i64>,
    pub force: bool,
}

/// Every user action, as recorded in the command log.
// Commands are few (one per user action); boxing `Apply` would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Apply(Object),
    Delete {
        kind: Kind,
        namespace: String,
        name: String,
        options: DeleteOptions,
    },
    Scale {
        namespace: String,
        name: String,
        replicas: i32,
    },
    Annotate {
        kind: Kind,
        namespace: String,
        name: String,
        key: String,
        value: Option<String>,
    },
    Label {
        kind: Kind,
        namespace: String,
        name: String,
        key: String,
        value: Option<String>,
    },
    /// `kubectl label` / `kubectl annotate` of several keys in one write, as kubectl sends one
    /// patch (`None` removes the key).
    EditMetadata {
        kind: Kind,
        namespace: String,
        name: String,
        annotations: bool,
        changes: Vec<(String, Option<String>)>,
    },
    NodeDown(String),
    NodeUp(String),
    /// `kubectl cordon` (`unschedulable: true`) / `kubectl uncordon` (`false`).
    Cordon {
        node: String,
        unschedulable: bool,
    },
    /// `kubectl rollout undo sts/<name> [--to-revision=N]` (0 = the previous revision).
    RolloutUndo {
        namespace: String,
        name: String,
        to_revision: i64,
    },
    /// `kubectl exec POD -c CONTAINER -- ARGV`: runs in the container's shell model
    /// (`engine::container`); recorded, as its writes change the pod's files.
    Exec {
        namespace: String,
        pod: String,
        container: String,
        argv: Vec<String>,
    },
    /// `kubectl run`: creates a bare pod.
    CreatePod(Box<Pod>),
    /// `kubectl create namespace NAME`.
    CreateNamespace(String),
}

/// Counts of what a [`Cluster`] holds ([`Cluster::footprint`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Footprint {
    /// API objects (every kind but Events).
    pub objects: usize,
    /// Stored Events (each expires [`ClusterConfig::event_ttl_ms`] after its last write).
    pub events: usize,
    /// Entries of the event-aggregation index (at most one per stored event).
    pub event_series: usize,
    /// Retained watch-log entries ([`ClusterConfig::watch_history`] plus what readers hold).
    pub watch_entries: usize,
    /// Retained command-log entries (≤ 2 × [`ClusterConfig::command_history`]).
    pub commands: usize,
    /// Snapshots kept for time travel (at most 2).
    pub checkpoints: usize,
    /// Queued tasks and their dedup entries.
    pub queued_tasks: usize,
    /// StatefulSets with a sync queued.
    pub pending_syncs: usize,
    /// StatefulSet controller caches (one per live set at most).
    pub controller_caches: usize,
    /// Entries of the kubelets' tables.
    pub kubelet_entries: usize,
}

/// A command as recorded in the command log: the instant it ran at and how many queued
/// events had run before it (commands at one instant interleave with events).
#[derive(Clone, Debug, PartialEq)]
pub struct CommandRecord {
    pub at: u64,
    pub after_steps: u64,
    pub command: Command,
}

/// What a command returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandOutput {
    Applied(ApplyOutcome),
    Deleted(DeleteOutcome),
    /// `rollout undo`: the message kubectl prints after the resource reference
    /// (`rolled back`, or `skipped rollback (current template already matches revision 2)`).
    RolledBack(String),
    /// What an exec printed.
    Exec(container::ExecOutput),
    Done,
}

/// A controller plugged into the cluster from outside the engine (e.g. EndpointSlices): it
/// runs as one pass over the store, `delay_ms` after any write to a kind in `triggers`.
pub type Reconciler = fn(&mut Cluster);

#[derive(Clone, Debug)]
struct Plugin {
    name: &'static str,
    triggers: Vec<Kind>,
    delay_ms: u64,
    reconcile: Reconciler,
}

/// Work items of the event queue.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Task {
    SyncStatefulSet(Key),
    Schedule,
    BindVolumes,
    CollectGarbage,
    Kubelet(kubelet::Step),
    EvictNode(String),
    Plugin(usize),
    /// The namespace controller's pass over a terminating namespace.
    FinalizeNamespace(String),
}

impl Task {
    fn dedupable(&self) -> bool {
        !matches!(self, Task::Kubelet(_) | Task::EvictNode(_))
    }
}

/// A queued task: the heap pops the earliest instant first, and among equal instants the
/// first enqueued (`seq` is unique, so the order is total and deterministic).
#[derive(Clone, Debug)]
struct Queued {
    at: u64,
    seq: u64,
    task: Task,
}

impl Queued {
    fn key(&self) -> std::cmp::Reverse<(u64, u64)> {
        std::cmp::Reverse((self.at, self.seq))
    }
}

impl PartialEq for Queued {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Queued {}

impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Queued {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

/// The simulated cluster.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub(crate) config: ClusterConfig,
    pub(crate) now: u64,
    pub(crate) store: Store,
    seq: u64,
    queue: std::collections::BinaryHeap<Queued>,
    pending: std::collections::BTreeSet<(Task, u64)>,
    /// The instants a sync of each StatefulSet is queued for: the work-queue dedup of
    /// [`Task::SyncStatefulSet`], probed by borrowed key (every pod write asks). A set's
    /// entry goes when its last queued sync runs.
    pending_syncs: BTreeMap<Key, std::collections::BTreeSet<u64>>,
    dispatched: usize,
    pub(crate) kubelet: kubelet::KubeletState,
    steps: u64,
    /// The retained command log: every command since `checkpoint`.
    commands: Vec<CommandRecord>,
    /// The cluster as it was just before `commands[0]` ran (`None`: a new cluster), with an
    /// empty log of its own: time travel replays `commands` from here.
    checkpoint: Option<std::sync::Arc<Cluster>>,
    /// The cluster just before `commands[command_history]` ran: the next checkpoint, once
    /// the log reaches twice its length and its first half is dropped.
    next_checkpoint: Option<std::sync::Arc<Cluster>>,
    plugins: Vec<Plugin>,
    volume_check: scheduler::VolumeCheck,
    pub(crate) volume_filter: scheduler::VolumeFilter,
    pub(crate) volume_prebind: scheduler::VolumePreBind,
    volume_binder: Reconciler,
    service_ips: u32,
    /// What the StatefulSet controller remembers about each set between passes.
    pub(crate) sts_cache: BTreeMap<Key, statefulset::SetCache>,
    /// Whether controllers work from their caches (false: every pass relists, for tests).
    pub(crate) incremental: bool,
    /// The EndpointSlice controller's cache (watch cursor, per-Service endpoints).
    pub(crate) endpoints_cache: endpoints::EndpointsCache,
    /// The scheduler's view of the nodes between passes.
    pub(crate) scheduler_nodes: scheduler::NodeCache,
    /// Watch position a reader holds ([`Cluster::hold_watch`]).
    watch_hold: Option<usize>,
    /// Files on volumes and in containers, and the containers' logs (`pod_fs`).
    pub(crate) fs: std::sync::Arc<pod_fs::Filesystems>,
}

impl Default for Cluster {
    fn default() -> Self {
        Cluster::new(ClusterConfig::default())
    }
}

impl Cluster {
    /// A cluster at instant 0 with `config.nodes` Ready nodes.
    pub fn new(config: ClusterConfig) -> Self {
        let mut c = Cluster {
            config,
            now: 0,
            store: Store::default(),
            seq: 0,
            queue: Default::default(),
            pending: Default::default(),
            pending_syncs: Default::default(),
            dispatched: 0,
            kubelet: Default::default(),
            steps: 0,
            commands: Vec::new(),
            checkpoint: None,
            next_checkpoint: None,
            plugins: Vec::new(),
            volume_check: pv_controller::volume_check,
            volume_filter: pv_controller::volume_node_filter,
            volume_prebind: pv_controller::volume_prebind,
            volume_binder: pv_controller::sync,
            service_ips: 0,
            sts_cache: BTreeMap::new(),
            incremental: true,
            endpoints_cache: Default::default(),
            scheduler_nodes: Default::default(),
            watch_hold: None,
            fs: Default::default(),
        };
        c.store.event_ttl_ms = Some(c.config.event_ttl_ms);
        c.store.seed_uids(c.config.seed);
        for ns in namespaces::BUILT_IN {
            namespaces::install(&mut c.store, ns);
        }
        for i in 1..=c.config.nodes {
            let name = format!("node-{i}");
            let node = Node {
                metadata: ObjectMeta {
                    name: Some(name.clone()),
                    labels: Some(
                        [
                            ("kubernetes.io/hostname".to_string(), name.clone()),
                            ("kubernetes.io/os".to_string(), "linux".to_string()),
                        ]
                        .into(),
                    ),
                    ..Default::default()
                },
                spec: Some(NodeSpec {
                    pod_cidr: Some(format!("10.244.{i}.0/24")),
                    ..Default::default()
                }),
                status: Some(NodeStatus {
                    addresses: Some(vec![NodeAddress {
                        type_: "InternalIP".into(),
                        address: format!("192.168.49.{}", i + 1),
                    }]),
                    capacity: Some([("pods".to_string(), Quantity("110".into()))].into()),
                    conditions: Some(vec![node_ready_condition(true, 0)]),
                    node_info: Some(k8s_openapi::api::core::v1::NodeSystemInfo {
                        architecture: "amd64".into(),
                        boot_id: format!("00000000-0000-4000-8000-{i:012}"),
                        container_runtime_version: "containerd://2.1.3".into(),
                        kernel_version: "6.8.0-sim".into(),
                        kube_proxy_version: String::new(),
                        kubelet_version: KUBELET_VERSION.into(),
                        machine_id: format!("{i:032x}"),
                        operating_system: "linux".into(),
                        os_image: "Debian GNU/Linux 12 (bookworm)".into(),
                        system_uuid: format!("00000000-0000-4000-9000-{i:012}"),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
            };
            let _ = c.store.create(node);
        }
        // Every cluster has the API server's Service in `default` (no selector, so no
        // EndpointSlice controller output; its IP is the first of the service range).
        let _ = c.store.create(Service {
            metadata: ObjectMeta {
                name: Some("kubernetes".into()),
                namespace: Some("default".into()),
                labels: Some(
                    [
                        ("component".to_string(), "apiserver".to_string()),
                        ("provider".to_string(), "kubernetes".to_string()),
                    ]
                    .into(),
                ),
                ..Default::default()
            },
            spec: Some(k8s_openapi::api::core::v1::ServiceSpec {
                type_: Some("ClusterIP".into()),
                cluster_ip: Some("10.96.0.1".into()),
                cluster_ips: Some(vec!["10.96.0.1".into()]),
                ip_families: Some(vec!["IPv4".into()]),
                ip_family_policy: Some("SingleStack".into()),
                internal_traffic_policy: Some("Cluster".into()),
                session_affinity: Some("None".into()),
                ports: Some(vec![k8s_openapi::api::core::v1::ServicePort {
                    name: Some("https".into()),
                    port: 443,
                    protocol: Some("TCP".into()),
                    target_port: Some(
                        k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(6443),
                    ),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Default::default()
        });
        profile::install(&mut c);
        c.register_controller(
            endpoints::CONTROLLER_NAME,
            &endpoints::TRIGGERS,
            0,
            endpoints::reconcile,
        );
        c.dispatch();
        c
    }

    /// Rebuilds a cluster from a whole command log (from a new cluster on), up to and
    /// including `until`: the same config and commands give the same history, so this
    /// reproduces any past instant. A long session's log is kept from a checkpoint on: use
    /// [`Cluster::rebuild`] for those.
    pub fn replay(config: ClusterConfig, log: &[CommandRecord], until: u64) -> Cluster {
        Cluster::new(config).replay_from(log, until)
    }

    /// Rebuilds this cluster as it was at `until`, from the retained command log and the
    /// checkpoint it starts from; `None` when `until` is before the checkpoint (the log keeps
    /// the last [`ClusterConfig::command_history`] to twice that many commands).
    pub fn rebuild(&self, until: u64) -> Option<Cluster> {
        let base = match &self.checkpoint {
            Some(c) if c.now > until => return None,
            Some(c) => Cluster::clone(c),
            None => Cluster::new(self.config.clone()),
        };
        Some(base.replay_from(&self.commands, until))
    }

    /// The instant the retained command log starts from (0 for a cluster that kept it all).
    pub fn command_log_start(&self) -> u64 {
        self.checkpoint.as_ref().map_or(0, |c| c.now)
    }

    fn replay_from(mut self, log: &[CommandRecord], until: u64) -> Cluster {
        let c = &mut self;
        for rec in log.iter().filter(|r| r.at <= until) {
            while c.steps < rec.after_steps && c.step().is_some() {}
            c.set_now(rec.at);
            let _ = c.execute(rec.command.clone());
        }
        c.run_until(until);
        self
    }

    /// A copy of the cluster without its command log or checkpoints (those stay shared by
    /// nothing: a checkpoint never holds another).
    fn snapshot(&mut self) -> std::sync::Arc<Cluster> {
        let commands = std::mem::take(&mut self.commands);
        let checkpoint = self.checkpoint.take();
        let next = self.next_checkpoint.take();
        let snap = std::sync::Arc::new(self.clone());
        self.commands = commands;
        self.checkpoint = checkpoint;
        self.next_checkpoint = next;
        snap
    }

    /// Records a command about to run. The log keeps between `command_history` and twice
    /// that many commands: at twice, the first half goes and the snapshot taken before the
    /// first kept one becomes the checkpoint time travel starts from.
    fn record_command(&mut self, command: &Command) {
        let keep = self.config.command_history.max(1);
        if self.commands.len() >= keep.saturating_mul(2) {
            self.commands.drain(..keep);
            self.checkpoint = self.next_checkpoint.take();
        }
        if self.commands.len() == keep {
            self.next_checkpoint = Some(self.snapshot());
        }
        self.commands.push(CommandRecord {
            at: self.now,
            after_steps: self.steps,
            command: command.clone(),
        });
    }

    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// The current simulated instant (ms since [`EPOCH`]).
    pub fn now(&self) -> u64 {
        self.now
    }

    /// Read access to every object.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The files on volumes and in containers, and the containers' logs.
    pub fn fs(&self) -> &pod_fs::Filesystems {
        &self.fs
    }

    /// The retained watch log (the newest [`ClusterConfig::watch_history`] entries, and
    /// everything since a held position); read incrementally with [`Cluster::watch_since`].
    pub fn watch_log(&self) -> &[WatchEntry] {
        self.store.watch_log()
    }

    /// Absolute position after the newest watch entry: a cursor for [`Cluster::watch_since`].
    pub fn watch_end(&self) -> usize {
        self.store.watch_end()
    }

    /// Watch events from absolute position `cursor` on (a previous [`Cluster::watch_end`]).
    pub fn watch_since(&self, cursor: usize) -> &[WatchEntry] {
        self.store.watch_since(cursor)
    }

    /// Keeps every watch entry from `cursor` on until released with `None` (a reader, such as
    /// `kubectl get -w`, that has not consumed them yet).
    pub fn hold_watch(&mut self, cursor: Option<usize>) {
        self.watch_hold = cursor;
    }

    /// Kubernetes Events, oldest first (first occurrence, then resourceVersion).
    pub fn events(&self) -> Vec<Event> {
        events::in_order(self.store.events())
    }

    /// The events `keep` selects, oldest first, built only for those.
    pub fn events_where(&self, keep: impl Fn(&EventRecord) -> bool) -> Vec<Event> {
        events::in_order(self.store.events().filter(|e| keep(e)))
    }

    /// The newest `n` events, oldest first: the tail of [`Cluster::events`], built only for
    /// those. (Records are in creation order, so first occurrences never decrease along them;
    /// only events sharing the oldest kept instant can reorder by resourceVersion.)
    pub fn latest_events(&self, n: usize) -> Vec<Event> {
        let mut tail: Vec<&std::sync::Arc<EventRecord>> = Vec::new();
        for e in self.store.events().rev() {
            if tail.len() >= n && tail.last().is_some_and(|t| t.first != e.first) {
                break;
            }
            tail.push(e);
        }
        let mut v = events::in_order(tail.into_iter());
        v.drain(..v.len().saturating_sub(n));
        v
    }

    /// The commands executed since the log's checkpoint ([`Cluster::command_log_start`]; all
    /// of them until the log first reaches twice [`ClusterConfig::command_history`]).
    pub fn command_log(&self) -> &[CommandRecord] {
        &self.commands
    }

    /// What the cluster holds, counted: the quantities ARCHITECTURE.md's memory bound is
    /// stated in (each bounded by a limit or by the live objects).
    pub fn footprint(&self) -> Footprint {
        Footprint {
            objects: self.store.object_count(),
            events: self.store.event_count(),
            event_series: self.store.event_series_len(),
            watch_entries: self.store.watch_log().len(),
            commands: self.commands.len(),
            checkpoints: usize::from(self.checkpoint.is_some())
                + usize::from(self.next_checkpoint.is_some()),
            queued_tasks: self.queue.len() + self.pending.len(),
            pending_syncs: self.pending_syncs.len(),
            controller_caches: self.sts_cache.len(),
            kubelet_entries: self.kubelet.entries(),
        }
    }

    /// Instant of the next queued event, if any.
    pub fn next_event_at(&self) -> Option<u64> {
        self.queue.peek().map(|q| q.at)
    }

    // ---- the event loop -------------------------------------------------------------------

    pub(crate) fn enqueue(&mut self, at: u64, task: Task) {
        let at = at.max(self.now);
        // Work-queue dedup: one run per (task, instant); a later instant is a separate timer.
        let task = match task {
            Task::SyncStatefulSet((ns, name)) => {
                if self.sync_queued(at, &ns, &name) {
                    return;
                }
                Task::SyncStatefulSet((ns, name))
            }
            task if task.dedupable() => {
                let k = (task, at);
                if self.pending.contains(&k) {
                    return;
                }
                self.pending.insert(k.clone());
                k.0
            }
            task => task,
        };
        self.push(at, task);
    }

    fn push(&mut self, at: u64, task: Task) {
        self.seq += 1;
        let seq = self.seq;
        self.queue.push(Queued { at, seq, task });
    }

    /// [`Cluster::enqueue`] of a StatefulSet sync by borrowed name: every pod write asks for
    /// one, and the key is copied only when no sync is queued for that instant yet.
    pub(crate) fn enqueue_sync(&mut self, at: u64, ns: &str, name: &str) {
        let at = at.max(self.now);
        if !self.sync_queued(at, ns, name) {
            self.push(
                at,
                Task::SyncStatefulSet((ns.to_string(), name.to_string())),
            );
        }
    }

    /// Records that a sync of `ns/name` is queued for `at`; true if one already was.
    fn sync_queued(&mut self, at: u64, ns: &str, name: &str) -> bool {
        let mut queued = false;
        store::with_entry(
            &mut self.pending_syncs,
            &(ns, name) as &dyn store::KeyRef,
            || (ns.to_string(), name.to_string()),
            |instants| queued = !instants.insert(at),
        );
        queued
    }

    /// Runs the next event; returns its instant, or `None` when the queue is empty.
    pub fn step(&mut self) -> Option<u64> {
        let Queued { at, task, .. } = self.queue.pop()?;
        self.steps += 1;
        if let Task::SyncStatefulSet(k) = &task {
            if let Some(instants) = self.pending_syncs.get_mut(k) {
                instants.remove(&at);
                if instants.is_empty() {
                    self.pending_syncs.remove(k);
                }
            }
        } else if task.dedupable() {
            self.pending.remove(&(task.clone(), at));
        }
        self.set_now(at);
        self.trim_watch();
        match task {
            Task::SyncStatefulSet(key) => {
                statefulset::sync(self, &key.0, &key.1);
            }
            Task::Schedule => scheduler::schedule_pending(self),
            Task::BindVolumes => (self.volume_binder)(self),
            Task::Plugin(i) => {
                if let Some(p) = self.plugins.get(i) {
                    (p.reconcile)(self);
                }
            }
            Task::CollectGarbage => gc::collect(self),
            Task::Kubelet(step) => kubelet::run(self, step),
            Task::EvictNode(node) => kubelet::evict_node(self, &node),
            Task::FinalizeNamespace(ns) => self.finalize_namespace(&ns),
        }
        self.dispatch();
        Some(at)
    }

    /// Drops the watch entries no reader needs any more. Everything before this step has been
    /// dispatched; a held position (the shell's watch) is kept; so is what the controllers'
    /// caches have not read yet — unless a cache lags more than [`WATCH_LAG_FACTOR`] times
    /// `watch_history` behind (a set nobody syncs any more): it relists when it runs again.
    fn trim_watch(&mut self) {
        let keep = self.config.watch_history;
        let end = self.store.watch_end();
        let oldest_useful = end.saturating_sub(keep.saturating_mul(WATCH_LAG_FACTOR));
        let controllers = self
            .sts_cache
            .values()
            .map(|c| c.cursor())
            .chain([self.endpoints_cache.cursor()])
            .filter(|&c| c >= oldest_useful)
            .min()
            .unwrap_or(usize::MAX);
        let floor = self
            .dispatched
            .min(self.watch_hold.unwrap_or(usize::MAX))
            .min(controllers);
        self.store.trim_watch(keep, floor);
    }

    /// Moves the clock to `at` (never back). Events whose TTL runs out on the way are deleted
    /// at their expiry instant: expiry is a function of time, not a queued task, so it never
    /// keeps the cluster from being idle and replays reproduce it.
    fn set_now(&mut self, at: u64) {
        let at = self.now.max(at).min(MAX_INSTANT);
        while let Some(due) = self.store.next_event_expiry().filter(|&due| due <= at) {
            self.now = self.now.max(due);
            self.store.now = self.now;
            self.store.expire_events();
        }
        self.now = at;
        self.store.now = self.now;
    }

    /// Runs every event up to and including `instant`, then moves the clock there.
    pub fn run_until(&mut self, instant: u64) {
        while let Some(at) = self.next_event_at() {
            if at > instant {
                break;
            }
            self.step();
        }
        self.set_now(instant);
    }

    /// Advances the clock by `ms`, running everything due.
    pub fn advance(&mut self, ms: u64) {
        self.run_until(self.now.saturating_add(ms));
    }

    /// Runs events until the queue is empty or `max_steps` events ran; true when idle.
    pub fn run_until_idle(&mut self, max_steps: usize) -> bool {
        for _ in 0..max_steps {
            if self.step().is_none() {
                return true;
            }
        }
        self.queue.is_empty()
    }

    /// Runs events until `done` holds (checked after each event), the queue empties, or the
    /// clock passes `deadline`. Returns whether `done` holds.
    pub fn run_until_condition(
        &mut self,
        deadline: u64,
        mut done: impl FnMut(&Cluster) -> bool,
    ) -> bool {
        loop {
            if done(self) {
                return true;
            }
            match self.next_event_at() {
                Some(at) if at <= deadline => {
                    self.step();
                }
                _ => {
                    self.set_now(deadline.max(self.now));
                    return done(self);
                }
            }
        }
    }

    // ---- extension points ----------------------------------------------------------------

    /// Replaces the scheduler's volume check (default: [`pv_controller::volume_check`]; the
    /// older Immediate-only check is [`scheduler::check_volumes`]).
    pub fn set_volume_check(&mut self, check: scheduler::VolumeCheck) {
        self.volume_check = check;
    }

    pub(crate) fn volume_check(&self) -> scheduler::VolumeCheck {
        self.volume_check
    }

    /// Replaces the scheduler's per-node volume filter and PreBind (defaults:
    /// [`pv_controller::volume_node_filter`], [`pv_controller::volume_prebind`]).
    pub fn set_volume_binding(
        &mut self,
        filter: scheduler::VolumeFilter,
        prebind: scheduler::VolumePreBind,
    ) {
        self.volume_filter = filter;
        self.volume_prebind = prebind;
    }

    /// Replaces the PV controller pass (default: [`pv_controller::sync`]; the old stand-in
    /// is [`pv_controller::sync`]).
    /// It runs `binder_delay_ms` after any claim, volume or class write.
    pub fn set_volume_binder(&mut self, binder: Reconciler) {
        self.volume_binder = binder;
    }

    /// Registers another controller: it runs `delay_ms` after any write to a kind in
    /// `triggers` (one run per instant), with write access through [`Cluster::store_mut`].
    pub fn register_controller(
        &mut self,
        name: &'static str,
        triggers: &[Kind],
        delay_ms: u64,
        reconcile: Reconciler,
    ) {
        self.plugins.push(Plugin {
            name,
            triggers: triggers.to_vec(),
            delay_ms,
            reconcile,
        });
    }

    /// Switches the controllers' caches off (`false`: every StatefulSet and EndpointSlice
    /// pass rebuilds what it knows from the store, as upstream's relist does) or on (the
    /// default). Both must give the same history; the tests compare them.
    pub fn set_incremental_controllers(&mut self, on: bool) {
        self.incremental = on;
    }

    /// Names of the registered controllers.
    pub fn controllers(&self) -> Vec<&'static str> {
        self.plugins.iter().map(|p| p.name).collect()
    }

    /// Write access for controllers (plugins). Writes made here are seen by the other
    /// controllers like any API write; commands from users should go through [`Cluster::execute`].
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Queues a run of a controller-like task `delay_ms` from now (for plugins that need to
    /// re-check later, e.g. after a timeout).
    pub fn requeue_controller(&mut self, name: &str, delay_ms: u64) {
        if let Some(i) = self.plugins.iter().position(|p| p.name == name) {
            self.enqueue(self.now + delay_ms, Task::Plugin(i));
        }
    }

    /// Informer handlers: turns new watch-log entries into queued work.
    pub(crate) fn dispatch(&mut self) {
        while let Some(e) = self.store.watch_at(self.dispatched) {
            let i = self.dispatched;
            self.dispatched += 1;
            // The entry's parts (its names are copied only by the handlers that need them).
            let (kind, event, object) = (e.kind, e.event, e.object.clone());
            let key = |c: &Cluster| {
                // (Trimming happens between steps, so the entry is still retained.)
                c.store
                    .watch_at(i)
                    .map(|e| (e.namespace.clone(), e.name.clone()))
                    .unwrap_or_default()
            };
            let now = self.now;
            let due: Vec<(usize, u64)> = self
                .plugins
                .iter()
                .enumerate()
                .filter(|(_, p)| p.triggers.contains(&kind))
                .map(|(i, p)| (i, now + p.delay_ms))
                .collect();
            for (i, at) in due {
                self.enqueue(at, Task::Plugin(i));
            }
            if event == WatchEventType::Deleted {
                pod_fs::on_deleted(self, &object);
                // the namespace controller waits for a terminating namespace's content
                let (ns, _) = key(self);
                if self.namespace_terminating(&ns) {
                    self.enqueue(now, Task::FinalizeNamespace(ns));
                }
            }
            match &object {
                AnyObject::Pod(pod) => {
                    statefulset::on_pod_event(self, pod, event);
                    if event != WatchEventType::Deleted
                        && pod
                            .spec
                            .as_ref()
                            .and_then(|s| s.node_name.as_ref())
                            .is_none()
                        && pod.metadata.deletion_timestamp.is_none()
                    {
                        self.enqueue(now + self.config.schedule_delay_ms, Task::Schedule);
                    }
                    // An assigned pod leaving frees room on its node: the scheduler moves its
                    // unschedulable pods back to the active queue (`AssignedPodDelete`).
                    let assigned = pod.spec.as_ref().is_some_and(|s| s.node_name.is_some());
                    if event == WatchEventType::Deleted
                        && assigned
                        && self.store.has_unscheduled_pods()
                    {
                        self.enqueue(now + self.config.schedule_delay_ms, Task::Schedule);
                    }
                    kubelet::on_pod_event(self, pod, event);
                    if pv_controller::uses_claims(pod) {
                        // pvc-protection and WaitForFirstConsumer react to pods.
                        self.enqueue(now + self.config.binder_delay_ms, Task::BindVolumes);
                    }
                }
                AnyObject::StatefulSet(set) => {
                    let k = key(self);
                    if event != WatchEventType::Deleted {
                        kubelet::on_set_event(self, set);
                    } else {
                        kubelet::forget_set(self, &k.0, &k.1);
                    }
                    self.enqueue(now, Task::SyncStatefulSet(k));
                }
                AnyObject::ControllerRevision(cr) => {
                    if let Some(owner) = controller_of(&cr.metadata, "StatefulSet") {
                        let ns = cr.metadata.namespace.as_deref().unwrap_or_default();
                        self.enqueue_sync(now, ns, owner);
                    }
                }
                AnyObject::PersistentVolumeClaim(_) => {
                    self.enqueue(now + self.config.binder_delay_ms, Task::BindVolumes);
                    self.enqueue(now + self.config.schedule_delay_ms, Task::Schedule);
                    if event == WatchEventType::Deleted {
                        // A deleted claim can unblock a scale-up (stale-claim check).
                        let ns = key(self).0;
                        let sets: Vec<String> = self
                            .store
                            .list_in::<StatefulSet>(&ns)
                            .filter_map(|s| s.metadata.name.clone())
                            .collect();
                        for s in sets {
                            self.enqueue(now, Task::SyncStatefulSet((ns.clone(), s)));
                        }
                    }
                }
                AnyObject::PersistentVolume(_) | AnyObject::StorageClass(_) => {
                    self.enqueue(now + self.config.binder_delay_ms, Task::BindVolumes);
                    // volumebinding requeues unschedulable pods on PV/StorageClass events.
                    if self.store.has_unscheduled_pods() {
                        self.enqueue(now + self.config.schedule_delay_ms, Task::Schedule);
                    }
                }
                AnyObject::Node(_) => {
                    self.enqueue(now + self.config.schedule_delay_ms, Task::Schedule);
                }
                _ => {}
            }
            let gc_work = !self.store.gc_removed.is_empty() || !self.store.gc_finalizing.is_empty();
            if gc_work && (event == WatchEventType::Deleted || !self.store.gc_finalizing.is_empty())
            {
                self.enqueue(now, Task::CollectGarbage);
            }
        }
    }

    // ---- commands -------------------------------------------------------------------------

    /// Runs a user command at the current instant and records it in the command log.
    pub fn execute(&mut self, cmd: Command) -> Result<CommandOutput, ApiError> {
        self.record_command(&cmd);
        let out = match cmd {
            Command::Apply(obj) => self.apply_object(obj).map(CommandOutput::Applied),
            Command::Delete {
                kind,
                namespace,
                name,
                options,
            } => self
                .delete_object(kind, &namespace, &name, options)
                .map(CommandOutput::Deleted),
            Command::Scale {
                namespace,
                name,
                replicas,
            } => self
                .scale_set(&namespace, &name, replicas)
                .map(|_| CommandOutput::Done),
            Command::Annotate {
                kind,
                namespace,
                name,
                key,
                value,
            } => self
                .edit_meta(kind, &namespace, &name, &[(key, value)], true)
                .map(|_| CommandOutput::Done),
            Command::Label {
                kind,
                namespace,
                name,
                key,
                value,
            } => self
                .edit_meta(kind, &namespace, &name, &[(key, value)], false)
                .map(|_| CommandOutput::Done),
            Command::EditMetadata {
                kind,
                namespace,
                name,
                annotations,
                changes,
            } => self
                .edit_meta(kind, &namespace, &name, &changes, annotations)
                .map(|_| CommandOutput::Done),
            Command::NodeDown(n) => kubelet::node_down(self, &n).map(|_| CommandOutput::Done),
            Command::NodeUp(n) => kubelet::node_up(self, &n).map(|_| CommandOutput::Done),
            Command::Cordon {
                node,
                unschedulable,
            } => self.set_unschedulable(&node, unschedulable),
            Command::RolloutUndo {
                namespace,
                name,
                to_revision,
            } => statefulset::rollout_undo(self, &namespace, &name, to_revision)
                .map(CommandOutput::RolledBack),
            Command::Exec {
                namespace,
                pod,
                container,
                argv,
            } => container::exec(self, &namespace, &pod, &container, &argv)
                .map(CommandOutput::Exec)
                .map_err(|e| match e.strip_prefix("pods \"") {
                    Some(_) => ApiError::NotFound {
                        kind: Kind::Pod,
                        name: pod.clone(),
                    },
                    None => ApiError::Invalid(e),
                }),
            Command::CreatePod(pod) => self.store.create(*pod).map(|_| CommandOutput::Done),
            Command::CreateNamespace(name) => self
                .create_namespace(&name, Default::default())
                .map(|_| CommandOutput::Done),
        };
        self.dispatch();
        out
    }

    /// `kubectl apply`: creates the object or updates it in place.
    pub fn apply(&mut self, obj: Object) -> Result<ApplyOutcome, ApiError> {
        match self.execute(Command::Apply(obj))? {
            CommandOutput::Applied(o) => Ok(o),
            _ => Ok(ApplyOutcome::Unchanged),
        }
    }

    /// Parses and applies every object of a manifest; stops at the first error.
    pub fn apply_yaml(&mut self, text: &str) -> Result<Vec<(String, ApplyOutcome)>, ApiError> {
        let m = crate::manifest::parse(text);
        if let Some(d) = m
            .diagnostics
            .iter()
            .find(|d| d.severity == crate::manifest::Severity::Error)
        {
            return Err(ApiError::Invalid(d.to_string()));
        }
        let mut out = Vec::new();
        for p in m.objects {
            let r = p.object.reference();
            out.push((r, self.apply(p.object)?));
        }
        Ok(out)
    }

    /// `kubectl delete <kind> <name>`.
    pub fn delete(
        &mut self,
        kind: Kind,
        namespace: &str,
        name: &str,
        options: DeleteOptions,
    ) -> Result<DeleteOutcome, ApiError> {
        match self.execute(Command::Delete {
            kind,
            namespace: namespace.into(),
            name: name.into(),
            options,
        })? {
            CommandOutput::Deleted(o) => Ok(o),
            _ => Ok(DeleteOutcome::Removed),
        }
    }

    /// `kubectl scale sts <name> --replicas=N`.
    pub fn scale(&mut self, namespace: &str, name: &str, replicas: i32) -> Result<(), ApiError> {
        self.execute(Command::Scale {
            namespace: namespace.into(),
            name: name.into(),
            replicas,
        })
        .map(|_| ())
    }

    /// `kubectl annotate` (value `None` removes the key). Faults use annotations.
    pub fn set_annotation(
        &mut self,
        kind: Kind,
        namespace: &str,
        name: &str,
        key: &str,
        value: Option<&str>,
    ) -> Result<(), ApiError> {
        self.execute(Command::Annotate {
            kind,
            namespace: namespace.into(),
            name: name.into(),
            key: key.into(),
            value: value.map(Into::into),
        })
        .map(|_| ())
    }

    /// `kubectl label` (value `None` removes the key).
    pub fn set_label(
        &mut self,
        kind: Kind,
        namespace: &str,
        name: &str,
        key: &str,
        value: Option<&str>,
    ) -> Result<(), ApiError> {
        self.execute(Command::Label {
            kind,
            namespace: namespace.into(),
            name: name.into(),
            key: key.into(),
            value: value.map(Into::into),
        })
        .map(|_| ())
    }

    /// `kubectl rollout undo statefulset/<name> [--to-revision=N]`; `to_revision` 0 means the
    /// revision before the current one. Returns kubectl's message after the reference.
    pub fn rollout_undo(
        &mut self,
        namespace: &str,
        name: &str,
        to_revision: i64,
    ) -> Result<String, ApiError> {
        match self.execute(Command::RolloutUndo {
            namespace: namespace.into(),
            name: name.into(),
            to_revision,
        })? {
            CommandOutput::RolledBack(m) => Ok(m),
            _ => Ok("rolled back".into()),
        }
    }

    /// `kubectl label` / `kubectl annotate` with several keys: one write (one watch event, one
    /// object version), as kubectl sends one patch. `annotations` picks the map; a `None`
    /// value removes the key. At most [`crate::limits::MAX_LABELS`] labels per object.
    pub fn edit_metadata(
        &mut self,
        kind: Kind,
        namespace: &str,
        name: &str,
        annotations: bool,
        changes: Vec<(String, Option<String>)>,
    ) -> Result<(), ApiError> {
        self.execute(Command::EditMetadata {
            kind,
            namespace: namespace.into(),
            name: name.into(),
            annotations,
            changes,
        })
        .map(|_| ())
    }

    /// Stops a node's kubelet: the node turns NotReady, its pods become unready (`NodeLost`).
    pub fn node_down(&mut self, name: &str) -> Result<(), ApiError> {
        self.execute(Command::NodeDown(name.into())).map(|_| ())
    }

    /// Restarts a node's kubelet.
    pub fn node_up(&mut self, name: &str) -> Result<(), ApiError> {
        self.execute(Command::NodeUp(name.into())).map(|_| ())
    }

    /// `kubectl cordon` / `uncordon`: marks the node (un)schedulable. Cordoning leaves running
    /// pods alone; uncordoning lets the scheduler retry pods that waited for a node.
    pub fn cordon(&mut self, name: &str, unschedulable: bool) -> Result<(), ApiError> {
        self.execute(Command::Cordon {
            node: name.into(),
            unschedulable,
        })
        .map(|_| ())
    }

    fn set_unschedulable(
        &mut self,
        name: &str,
        unschedulable: bool,
    ) -> Result<CommandOutput, ApiError> {
        let Some(node) = self.store.get::<Node>("", name) else {
            return Err(ApiError::NotFound {
                kind: Kind::Node,
                name: name.into(),
            });
        };
        let mut node = node.clone();
        node.spec.get_or_insert_with(Default::default).unschedulable =
            unschedulable.then_some(true);
        self.store.update(node)?;
        if !unschedulable && self.store.has_unscheduled_pods() {
            self.enqueue(self.now, Task::Schedule);
        }
        Ok(CommandOutput::Done)
    }

    /// Plain-words explanation of what a StatefulSet is waiting for (in English).
    pub fn why(&self, namespace: &str, name: &str) -> Vec<String> {
        self.why_phrases(namespace, name)
            .iter()
            .map(|p| p.to_string())
            .collect()
    }

    /// [`Cluster::why`] as phrases, for a page that says them in its language.
    pub fn why_phrases(&self, namespace: &str, name: &str) -> Vec<crate::phrase::Phrase> {
        why::why(self, namespace, name)
    }

    fn apply_object(&mut self, obj: Object) -> Result<ApplyOutcome, ApiError> {
        let problems = crate::validation::validate(&obj);
        if !problems.is_empty() {
            let msgs: Vec<String> = problems.into_iter().map(|p| p.message).collect();
            return Err(ApiError::Invalid(format!(
                "{} \"{}\" is invalid: {}",
                obj.kind(),
                obj.name(),
                crate::validation::join_causes(msgs)
            )));
        }
        match obj {
            Object::Namespace(n) => self.apply_namespace(n),
            Object::StatefulSet(s) => statefulset::apply(self, s),
            Object::Service(s) => self.apply_service(s),
            Object::PersistentVolume(pv) => {
                let pv = volume_defaults::default_pv(pv);
                apply_generic(&mut self.store, pv, |old, new| {
                    if let Some(causes) = crate::validation::volume_update(old, new) {
                        return Err(ApiError::Invalid(format!(
                            "PersistentVolume \"{}\" is invalid: {causes}",
                            new.metadata.name.as_deref().unwrap_or("")
                        )));
                    }
                    let mut m = old.clone();
                    m.metadata.labels = new.metadata.labels.clone();
                    m.metadata.annotations = new.metadata.annotations.clone();
                    m.spec = new.spec.clone();
                    if old
                        .spec
                        .as_ref()
                        .and_then(|s| s.claim_ref.as_ref())
                        .is_some()
                        && new
                            .spec
                            .as_ref()
                            .and_then(|s| s.claim_ref.as_ref())
                            .is_none()
                    {
                        // kubectl apply does not drop a controller-set claimRef.
                        if let (Some(ms), Some(os)) = (m.spec.as_mut(), old.spec.as_ref()) {
                            ms.claim_ref = os.claim_ref.clone();
                        }
                    }
                    Ok(m)
                })
            }
            Object::PersistentVolumeClaim(pvc) => {
                let pvc = volume_defaults::default_pvc(&self.store, pvc);
                let classes = &self.store;
                let expandable = |class: &str| {
                    classes
                        .get::<StorageClass>("", class)
                        .and_then(|c| c.allow_volume_expansion)
                        .unwrap_or(false)
                };
                let name = pvc.metadata.name.clone().unwrap_or_default();
                let ns = pvc.metadata.namespace.as_deref().unwrap_or("default");
                if let Some(old) = self.store.get::<PersistentVolumeClaim>(ns, &name) {
                    use crate::validation::Refusal;
                    match crate::validation::claim_update(old, &pvc, expandable) {
                        None => {}
                        Some(Refusal::Invalid(causes)) => {
                            return Err(ApiError::Invalid(format!(
                                "PersistentVolumeClaim \"{name}\" is invalid: {causes}"
                            )))
                        }
                        Some(Refusal::Forbidden(why)) => {
                            return Err(ApiError::Forbidden(format!(
                                "persistentvolumeclaims \"{name}\" is forbidden: {why}"
                            )))
                        }
                    }
                }
                apply_generic(&mut self.store, pvc, |old, new| {
                    let mut m = old.clone();
                    m.metadata.labels = new.metadata.labels.clone();
                    m.metadata.annotations = merge_annotations(&old.metadata, &new.metadata);
                    // what ValidatePersistentVolumeClaimUpdate lets change: a bound claim's
                    // storage request (checked above)
                    let requests = new
                        .spec
                        .as_ref()
                        .and_then(|s| s.resources.as_ref())
                        .and_then(|r| r.requests.clone());
                    if let Some(spec) = m.spec.as_mut() {
                        spec.resources.get_or_insert_with(Default::default).requests = requests;
                    }
                    Ok(m)
                })
            }
            Object::StorageClass(sc) => {
                let sc = volume_defaults::default_storage_class(sc);
                apply_generic(&mut self.store, sc, |old, new| {
                    if let Some(causes) = crate::validation::storage_class_update(old, new) {
                        return Err(ApiError::Invalid(format!(
                            "StorageClass.storage.k8s.io \"{}\" is invalid: {causes}",
                            new.metadata.name.as_deref().unwrap_or("")
                        )));
                    }
                    let mut m = new.clone();
                    m.metadata = old.metadata.clone();
                    m.metadata.labels = new.metadata.labels.clone();
                    m.metadata.annotations = new.metadata.annotations.clone();
                    Ok(m)
                })
            }
        }
    }

    fn apply_service(&mut self, mut svc: Service) -> Result<ApplyOutcome, ApiError> {
        let ns = svc
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        let name = svc.metadata.name.clone().unwrap_or_default();
        let existing = self
            .store
            .get::<Service>(&ns, &name)
            .and_then(|s| s.spec.as_ref());
        let existing_ip = existing.and_then(|s| s.cluster_ip.clone());
        if let Some(cause) = existing
            .and_then(|old| crate::validation::service_cluster_ip_update(old, svc.spec.as_ref()?))
        {
            return Err(ApiError::Invalid(format!(
                "Service \"{name}\" is invalid: {cause}"
            )));
        }
        let spec = svc.spec.get_or_insert_with(Default::default);
        if spec.type_.is_none() {
            spec.type_ = Some("ClusterIP".into());
        }
        if spec.session_affinity.is_none() {
            spec.session_affinity = Some("None".into());
        }
        for p in spec.ports.iter_mut().flatten() {
            if p.protocol.is_none() {
                p.protocol = Some("TCP".into());
            }
            if p.target_port.is_none() {
                p.target_port =
                    Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(p.port));
            }
        }
        if spec.cluster_ip.is_none() {
            spec.cluster_ip = existing_ip.or_else(|| {
                self.service_ips += 1;
                Some(format!(
                    "10.96.{}.{}",
                    self.service_ips / 250,
                    self.service_ips % 250 + 1
                ))
            });
        }
        spec.cluster_ips = spec.cluster_ip.clone().map(|ip| vec![ip]);
        // API defaulting of a single-stack IPv4 cluster (`pkg/registry/core/service/storage`):
        // a headless Service without a selector may take both families.
        let selectorless_headless = spec.cluster_ip.as_deref() == Some("None")
            && spec.selector.as_ref().is_none_or(|s| s.is_empty());
        if spec.ip_family_policy.is_none() {
            spec.ip_family_policy = Some(
                if selectorless_headless {
                    "RequireDualStack"
                } else {
                    "SingleStack"
                }
                .into(),
            );
        }
        if spec.ip_families.is_none() {
            spec.ip_families = Some(if selectorless_headless {
                vec!["IPv4".into(), "IPv6".into()]
            } else {
                vec!["IPv4".into()]
            });
        }
        if spec.internal_traffic_policy.is_none() {
            spec.internal_traffic_policy = Some("Cluster".into());
        }
        apply_generic(&mut self.store, svc, |old, new| {
            let mut m = new.clone();
            m.metadata = old.metadata.clone();
            m.metadata.labels = new.metadata.labels.clone();
            m.metadata.annotations = new.metadata.annotations.clone();
            m.status = old.status.clone();
            Ok(m)
        })
    }

    fn delete_object(
        &mut self,
        kind: Kind,
        ns: &str,
        name: &str,
        o: DeleteOptions,
    ) -> Result<DeleteOutcome, ApiError> {
        let grace = if o.force { Some(0) } else { o.grace_period };
        let p = o.propagation;
        let s = &mut self.store;
        match kind {
            Kind::Pod => s.delete::<Pod>(ns, name, p, grace),
            Kind::StatefulSet => s.delete::<StatefulSet>(ns, name, p, grace),
            Kind::ControllerRevision => s.delete::<ControllerRevision>(ns, name, p, grace),
            Kind::PersistentVolumeClaim => s.delete::<PersistentVolumeClaim>(ns, name, p, grace),
            Kind::PersistentVolume => s.delete::<PersistentVolume>(ns, name, p, grace),
            Kind::StorageClass => s.delete::<StorageClass>(ns, name, p, grace),
            Kind::Service => s.delete::<Service>(ns, name, p, grace),
            Kind::EndpointSlice => {
                s.delete::<crate::network::EndpointSliceRecord>(ns, name, p, grace)
            }
            Kind::Node => s.delete::<Node>(ns, name, p, grace),
            Kind::Event => s.delete_event(ns, name),
            Kind::Endpoints => s.delete::<crate::network::EndpointsRecord>(ns, name, p, grace),
            Kind::Namespace => self.delete_namespace(name),
        }
    }

    fn scale_set(&mut self, ns: &str, name: &str, replicas: i32) -> Result<(), ApiError> {
        if replicas < 0 {
            return Err(ApiError::Invalid(format!(
                "StatefulSet.apps \"{name}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0"
            )));
        }
        self.check_replica_limit(name, replicas)?;
        let Some(set) = self.store.get::<StatefulSet>(ns, name) else {
            return Err(ApiError::NotFound {
                kind: Kind::StatefulSet,
                name: name.into(),
            });
        };
        let mut set = set.clone();
        set.spec.get_or_insert_with(Default::default).replicas = Some(replicas);
        self.store.update(set).map(|_| ())
    }

    pub(crate) fn check_replica_limit(&self, name: &str, replicas: i32) -> Result<(), ApiError> {
        if replicas > self.config.max_replicas {
            return Err(ApiError::Invalid(format!(
                "StatefulSet.apps \"{name}\" is invalid: spec.replicas: Invalid value: {replicas}: the playground simulates at most {} replicas",
                self.config.max_replicas
            )));
        }
        Ok(())
    }

    fn edit_meta(
        &mut self,
        kind: Kind,
        ns: &str,
        name: &str,
        changes: &[(String, Option<String>)],
        annotation: bool,
    ) -> Result<(), ApiError> {
        fn edit<T: store::Stored>(
            s: &mut Store,
            ns: &str,
            name: &str,
            changes: &[(String, Option<String>)],
            annotation: bool,
        ) -> Result<(), ApiError> {
            let Some(obj) = s.get::<T>(ns, name) else {
                return Err(ApiError::NotFound {
                    kind: T::STORE_KIND,
                    name: name.into(),
                });
            };
            let mut obj = obj.clone();
            let m = obj.metadata_mut();
            let map = if annotation {
                &mut m.annotations
            } else {
                &mut m.labels
            };
            let map = map.get_or_insert_with(Default::default);
            for (key, value) in changes {
                match value {
                    Some(v) => {
                        map.insert(key.clone(), v.clone());
                    }
                    None => {
                        map.remove(key);
                    }
                }
            }
            // The limits of `crate::limits`, checked on the result as the API server
            // validates the patched object.
            let invalid = |what: String| {
                ApiError::Invalid(format!(
                    "{} \"{name}\" is invalid: {what}",
                    qualified_kind(T::STORE_KIND)
                ))
            };
            if annotation {
                let bytes = crate::limits::map_bytes(Some(map));
                if bytes > crate::limits::MAX_ANNOTATIONS_BYTES {
                    return Err(invalid(format!(
                        "metadata.annotations: Too long: must have at most {} bytes (a playground limit: MAX_ANNOTATIONS_BYTES)",
                        crate::limits::MAX_ANNOTATIONS_BYTES
                    )));
                }
            } else if map.len() > crate::limits::MAX_LABELS {
                return Err(invalid(format!(
                    "metadata.labels: {} (a playground limit: MAX_LABELS)",
                    crate::limits::too_many(map.len(), crate::limits::MAX_LABELS)
                )));
            }
            // what the API server's ValidateObjectMetaUpdate refuses: invalid keys and
            // values, annotations over 256 KiB
            if let Some(causes) = crate::validation::metadata_problems(
                obj.metadata().labels.as_ref(),
                obj.metadata().annotations.as_ref(),
            ) {
                return Err(invalid(causes));
            }
            s.update(obj).map(|_| ())
        }
        let s = &mut self.store;
        let c = changes;
        match kind {
            Kind::Pod => edit::<Pod>(s, ns, name, c, annotation),
            Kind::StatefulSet => edit::<StatefulSet>(s, ns, name, c, annotation),
            Kind::PersistentVolumeClaim => {
                edit::<PersistentVolumeClaim>(s, ns, name, c, annotation)
            }
            Kind::PersistentVolume => edit::<PersistentVolume>(s, ns, name, c, annotation),
            Kind::Service => edit::<Service>(s, ns, name, c, annotation),
            Kind::Node => edit::<Node>(s, ns, name, c, annotation),
            other => Err(ApiError::Forbidden(format!(
                "editing metadata of {} is not supported",
                other.as_str()
            ))),
        }
    }
}

fn merge_annotations(old: &ObjectMeta, new: &ObjectMeta) -> Option<BTreeMap<String, String>> {
    // Keep controller-written annotations (pv.kubernetes.io/…) that the manifest does not set.
    let mut out: BTreeMap<String, String> = old
        .annotations
        .iter()
        .flatten()
        .filter(|(k, _)| k.starts_with("pv.kubernetes.io/") || k.starts_with("volume."))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    out.extend(new.annotations.clone().unwrap_or_default());
    if out.is_empty() {
        None
    } else {
        Some(out)
    }
}

/// Create-or-update with a kind-specific merge of the new manifest into the stored object.
pub(crate) fn apply_generic<T: store::Stored>(
    store: &mut Store,
    obj: T,
    merge: impl FnOnce(&T, &T) -> Result<T, ApiError>,
) -> Result<ApplyOutcome, ApiError> {
    let meta = obj.metadata();
    let ns = meta.namespace.clone().unwrap_or_else(|| "default".into());
    let name = meta.name.clone().unwrap_or_default();
    match store.get_arc::<T>(&ns, &name) {
        None => {
            if store.count::<T>() >= crate::limits::MAX_OBJECTS_PER_KIND {
                let resource = resource_name(T::STORE_KIND);
                return Err(ApiError::Forbidden(format!(
                    "{resource} \"{name}\" is forbidden: the playground holds at most {} {resource} (a playground limit: MAX_OBJECTS_PER_KIND)",
                    crate::limits::MAX_OBJECTS_PER_KIND
                )));
            }
            store.create(obj).map(|_| ApplyOutcome::Created)
        }
        Some(old) => {
            if old.metadata().deletion_timestamp.is_some() {
                return Err(ApiError::Forbidden(format!(
                    "Operation cannot be fulfilled on {} \"{name}\": object is being deleted",
                    resource_name(T::STORE_KIND)
                )));
            }
            // ValidateObjectMetaUpdate (staging/src/k8s.io/apimachinery/pkg/api/validation/
            // objectmeta.go): a uid the request names must be the object's (an empty one is
            // filled in; creationTimestamp and the deletion fields are copied from the old
            // object by BeforeUpdate, apiserver/pkg/registry/rest/update.go, so they never fail).
            if let Some(causes) =
                crate::validation::object_meta_update(old.metadata(), obj.metadata())
            {
                return Err(ApiError::Invalid(format!(
                    "{} \"{name}\" is invalid: {causes}",
                    qualified_kind(T::STORE_KIND)
                )));
            }
            let merged = merge(&old, &obj)?;
            let new = store.update(merged)?;
            if std::sync::Arc::ptr_eq(&new, &old) {
                Ok(ApplyOutcome::Unchanged)
            } else {
                Ok(ApplyOutcome::Configured)
            }
        }
    }
}

/// Name of the controller owner of the given kind, if any.
pub(crate) fn controller_of<'a>(meta: &'a ObjectMeta, kind: &str) -> Option<&'a str> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true) && o.kind == kind)
        .map(|o| o.name.as_str())
}

pub(crate) fn node_ready_condition(ready: bool, at: u64) -> NodeCondition {
    NodeCondition {
        type_: "Ready".into(),
        status: if ready { "True" } else { "Unknown" }.into(),
        reason: Some(
            if ready {
                "KubeletReady"
            } else {
                "NodeStatusUnknown"
            }
            .into(),
        ),
        message: Some(
            if ready {
                "kubelet is posting ready status"
            } else {
                "Kubelet stopped posting node status."
            }
            .into(),
        ),
        last_transition_time: Some(timestamp(at)),
        last_heartbeat_time: Some(timestamp(at)),
    }
}

/// How many pods the node takes (`status.capacity.pods`; the kubelet's default `--max-pods`,
/// 110, when it does not say).
pub fn node_pod_capacity(node: &Node) -> usize {
    node.status
        .as_ref()
        .and_then(|s| s.capacity.as_ref())
        .and_then(|c| c.get("pods"))
        .and_then(|q| q.0.parse::<usize>().ok())
        .unwrap_or(110)
}

/// Is the node Ready?
pub fn node_is_ready(node: &Node) -> bool {
    node.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .is_some_and(|c| c.status == "True")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_renders_as_2026_01_01() {
        let t = timestamp(0);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2026-01-01T00:00:00Z\""
        );
        assert_eq!(instant_of(&timestamp(12_345)), 12_345);
    }

    #[test]
    fn new_cluster_has_three_ready_nodes() {
        let c = Cluster::default();
        let names: Vec<_> = c
            .store()
            .list::<Node>()
            .map(|n| n.metadata.name.clone().unwrap())
            .collect();
        assert_eq!(names, ["node-1", "node-2", "node-3"]);
        assert!(c.store().list::<Node>().all(node_is_ready));
    }

    #[test]
    fn several_triggers_for_one_set_at_one_instant_make_one_sync() {
        let mut c = Cluster::default();
        let key = ("default".to_string(), "web".to_string());
        c.enqueue(5, Task::SyncStatefulSet(key.clone()));
        c.enqueue(5, Task::SyncStatefulSet(key.clone()));
        c.enqueue(7, Task::SyncStatefulSet(key.clone()));
        let mut syncs = c
            .queue
            .iter()
            .filter(|q| matches!(q.task, Task::SyncStatefulSet(_)))
            .map(|q| q.at)
            .collect::<Vec<_>>();
        syncs.sort();
        assert_eq!(syncs, [5, 7]);
    }

    #[test]
    fn the_latest_events_are_the_tail_of_all_events_in_order() {
        let mut c = Cluster::default();
        let node = c
            .store()
            .get::<Node>("", "node-1")
            .unwrap()
            .metadata
            .clone();
        let at = |c: &mut Cluster, ms: u64, reason: &'static str| {
            c.store.now = ms;
            c.store
                .record_event(&node, "Node", "Normal", reason, "m", "kubelet");
        };
        at(&mut c, 0, "A");
        at(&mut c, 0, "B");
        // A repeat: A's resourceVersion is now newer than B's, so it lists after B.
        at(&mut c, 0, "A");
        at(&mut c, 5, "C");
        at(&mut c, 5, "D");
        let all = c.events();
        let reasons: Vec<_> = all.iter().map(|e| e.reason.clone().unwrap()).collect();
        assert_eq!(reasons, ["B", "A", "C", "D"]);
        for n in 0..=5 {
            assert_eq!(
                c.latest_events(n),
                all[all.len().saturating_sub(n)..],
                "latest {n}"
            );
        }
    }

    #[test]
    fn errors_read_like_the_api_server() {
        let e = ApiError::NotFound {
            kind: Kind::StatefulSet,
            name: "web".into(),
        };
        assert_eq!(e.to_string(), "statefulsets.apps \"web\" not found");
    }
}

/// Helpers for the engine's unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use k8s_openapi::api::core::v1::{Container, PodSpec, Probe};

    /// A bare pod (no owner) with one container, written straight into the store.
    pub fn bare_pod(c: &mut Cluster, name: &str, probe_delay: Option<i32>) {
        let mut spec = PodSpec {
            containers: vec![Container {
                name: "app".into(),
                image: Some("nginx:1.25".into()),
                readiness_probe: probe_delay.map(|d| Probe {
                    initial_delay_seconds: Some(d),
                    ..Default::default()
                }),
                ..Default::default()
            }],
            ..Default::default()
        };
        statefulset::default_pod_spec(&mut spec);
        let pod = Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            spec: Some(spec),
            status: Some(k8s_openapi::api::core::v1::PodStatus {
                phase: Some("Pending".into()),
                ..Default::default()
            }),
        };
        c.store_mut().create(pod).unwrap();
        c.dispatch();
    }

    pub fn pod(c: &Cluster, name: &str) -> Option<Pod> {
        c.store().get::<Pod>("default", name).cloned()
    }

    /// Reasons and messages of the events about one object, in order.
    pub fn events_for(c: &Cluster, name: &str) -> Vec<(String, String)> {
        c.events()
            .iter()
            .filter(|e| e.involved_object.name.as_deref() == Some(name))
            .map(|e| {
                (
                    e.reason.clone().unwrap_or_default(),
                    e.message.clone().unwrap_or_default(),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod plugin_tests {
    use super::test_support::*;
    use super::*;

    fn count_pods(c: &mut Cluster) {
        let n = c.store().count::<Pod>();
        let mut node = c.store().get::<Node>("", "node-1").unwrap().clone();
        node.metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert("pods-seen".into(), n.to_string());
        let _ = c.store_mut().update(node);
    }

    #[test]
    fn registered_controller_runs_after_writes_to_its_trigger_kinds() {
        let mut c = Cluster::default();
        c.register_controller("pod-counter", &[Kind::Pod], 10, count_pods);
        assert_eq!(c.controllers(), ["endpointslice-controller", "pod-counter"]);
        bare_pod(&mut c, "a", None);
        bare_pod(&mut c, "b", None);
        c.advance(10);
        let node = c.store().get::<Node>("", "node-1").unwrap();
        let seen = node.metadata.annotations.as_ref().unwrap()["pods-seen"].clone();
        assert_eq!(seen, "2");
    }

    #[test]
    fn replicas_above_the_playground_limit_are_rejected() {
        let mut c = Cluster::new(ClusterConfig {
            max_replicas: 5,
            ..Default::default()
        });
        let m = crate::manifest::parse(crate::examples::MONGO_STATEFULSET);
        c.apply(m.objects[0].object.clone()).unwrap();
        let err = c.scale("default", "mongo", 6).unwrap_err();
        assert!(err.to_string().contains("at most 5 replicas"), "{err}");
        assert!(c.scale("default", "mongo", -1).is_err());
        assert!(c.scale("default", "nope", 1).is_err());
    }

    #[test]
    fn the_default_cluster_accepts_a_thousand_replicas_and_refuses_more() {
        let mut c = Cluster::default();
        let m = crate::manifest::parse(crate::examples::MONGO_STATEFULSET);
        c.apply(m.objects[0].object.clone()).unwrap();
        c.scale("default", "mongo", 1_000).unwrap();
        let err = c.scale("default", "mongo", 1_001).unwrap_err();
        assert!(err.to_string().contains("at most 1000 replicas"), "{err}");
    }

    #[test]
    fn huge_grace_period_does_not_overflow() {
        let mut c = Cluster::default();
        bare_pod(&mut c, "a", None);
        c.advance(10_000);
        let opts = DeleteOptions {
            grace_period: Some(i64::MAX),
            ..Default::default()
        };
        assert_eq!(
            c.delete(Kind::Pod, "default", "a", opts),
            Ok(DeleteOutcome::Terminating)
        );
        c.advance(1_000);
    }
}
