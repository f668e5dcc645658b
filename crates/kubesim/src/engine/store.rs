//! The simulated API server's storage: every object the cluster knows, keyed by
//! `(namespace, name)` in `BTreeMap`s so iteration order is deterministic (and equals the
//! lexicographic order `kubectl get` lists in).
//!
//! Writes go through [`Store::create`], [`Store::update`] and [`Store::delete`], which do what
//! the API server does on a write: assign `uid` (from a counter), `resourceVersion` (one global
//! counter), `generation` (bumped when the spec changes), `creationTimestamp` (simulated clock),
//! graceful deletion (`deletionTimestamp` + finalizers) — and append one entry to the watch log.
//! Objects are held in `Arc`s, so snapshots in the watch log and in a cloned `Cluster` share
//! memory with the live store.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::api::core::v1::{Node, PersistentVolume, PersistentVolumeClaim, Pod, Service};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::{Metadata, Resource};

use super::events::{EventRecord, Text};
use super::{timestamp, ApiError};
use crate::network::{EndpointSliceRecord, EndpointsRecord};

/// Kinds of object the store holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Pod,
    StatefulSet,
    ControllerRevision,
    PersistentVolumeClaim,
    PersistentVolume,
    StorageClass,
    Service,
    EndpointSlice,
    Node,
    Event,
    Endpoints,
    /// Namespaces live in their own registry ([`super::namespaces`]), not in a table.
    Namespace,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pod => "Pod",
            Kind::StatefulSet => "StatefulSet",
            Kind::ControllerRevision => "ControllerRevision",
            Kind::PersistentVolumeClaim => "PersistentVolumeClaim",
            Kind::PersistentVolume => "PersistentVolume",
            Kind::StorageClass => "StorageClass",
            Kind::Service => "Service",
            Kind::EndpointSlice => "EndpointSlice",
            Kind::Node => "Node",
            Kind::Event => "Event",
            Kind::Endpoints => "Endpoints",
            Kind::Namespace => "Namespace",
        }
    }
}

/// `(namespace, name)`; cluster-scoped objects use the empty namespace.
pub type Key = (String, String);

/// A reference to a stored object.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjRef {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
}

impl ObjRef {
    /// The store key, borrowed.
    pub fn key(&self) -> (&str, &str) {
        (&self.namespace, &self.name)
    }
}

/// A stored object of any kind (cheap to clone: an `Arc`).
#[derive(Clone, Debug, PartialEq)]
pub enum AnyObject {
    Pod(Arc<Pod>),
    StatefulSet(Arc<StatefulSet>),
    ControllerRevision(Arc<ControllerRevision>),
    PersistentVolumeClaim(Arc<PersistentVolumeClaim>),
    PersistentVolume(Arc<PersistentVolume>),
    StorageClass(Arc<StorageClass>),
    Service(Arc<Service>),
    /// Stored with shared endpoints; [`EndpointSliceRecord::to_slice`] builds the API object.
    EndpointSlice(Arc<EndpointSliceRecord>),
    Node(Arc<Node>),
    /// Events are stored compact; [`EventRecord::to_event`] builds the API object.
    Event(Arc<EventRecord>),
    /// Stored with shared addresses; [`EndpointsRecord::to_endpoints`] builds the API object.
    Endpoints(Arc<EndpointsRecord>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WatchEventType {
    Added,
    Modified,
    Deleted,
}

impl WatchEventType {
    pub fn as_str(self) -> &'static str {
        match self {
            WatchEventType::Added => "ADDED",
            WatchEventType::Modified => "MODIFIED",
            WatchEventType::Deleted => "DELETED",
        }
    }
}

/// One watch event: what `kubectl get -w` and the UI animation consume. `object` is the state
/// the write produced (for DELETED: the last state).
#[derive(Clone, Debug, PartialEq)]
pub struct WatchEntry {
    /// Simulated instant, ms since [`super::EPOCH`].
    pub at: u64,
    pub resource_version: u64,
    pub kind: Kind,
    pub event: WatchEventType,
    pub namespace: String,
    pub name: String,
    pub object: AnyObject,
}

/// How dependents are treated when their owner is deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Propagation {
    #[default]
    Background,
    Foreground,
    Orphan,
}

pub const FINALIZER_FOREGROUND: &str = "foregroundDeletion";
pub const FINALIZER_ORPHAN: &str = "orphan";

/// What a delete call did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeleteOutcome {
    /// The object is gone.
    Removed,
    /// `deletionTimestamp` is set; finalizers or a grace period keep it for now.
    Terminating,
}

/// Implemented by every kind the store holds.
pub trait Stored: Clone + Resource + Metadata<Ty = ObjectMeta> + PartialEq + 'static {
    const STORE_KIND: Kind;
    const NAMESPACED: bool;
    fn table(s: &Store) -> &Table<Self>;
    fn table_mut(s: &mut Store) -> &mut Table<Self>;
    fn wrap(o: Arc<Self>) -> AnyObject;
    /// Kinds with a spec whose changes bump `metadata.generation`.
    fn spec_changed(_old: &Self, _new: &Self) -> Option<bool> {
        None
    }
    /// Grace period the API server gives this object on delete (pods only).
    fn grace_period(&self, _override: Option<i64>) -> i64 {
        0
    }
    /// `a == b`; kinds written mostly for their status compare that first.
    fn same(a: &Self, b: &Self) -> bool {
        a == b
    }
    /// What the API server adds on create (defaulting, admission: [`super::admission`]),
    /// knowing the new object's uid.
    fn admit(&mut self, _uid: &str) {}
    /// What the registry's strategy writes on create (`old` None) and update, at `now`.
    fn prepare_write(&mut self, _old: Option<&Self>, _now: u64) {}
}

macro_rules! stored {
    ($t:ty, $kind:ident, $field:ident, $ns:expr) => {
        impl Stored for $t {
            const STORE_KIND: Kind = Kind::$kind;
            const NAMESPACED: bool = $ns;
            fn table(s: &Store) -> &Table<Self> {
                &s.$field
            }
            fn table_mut(s: &mut Store) -> &mut Table<Self> {
                &mut s.$field
            }
            fn wrap(o: Arc<Self>) -> AnyObject {
                AnyObject::$kind(o)
            }
            stored!(@extra $kind);
        }
    };
    (@extra StatefulSet) => {
        fn spec_changed(old: &Self, new: &Self) -> Option<bool> {
            Some(old.spec != new.spec)
        }
    };
    (@extra Pod) => {
        fn same(a: &Self, b: &Self) -> bool {
            a.status == b.status && a.metadata == b.metadata && a.spec == b.spec
        }
        fn grace_period(&self, grace_override: Option<i64>) -> i64 {
            let phase = self.status.as_ref().and_then(|s| s.phase.as_deref());
            let unscheduled = self.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_none();
            // The API server deletes unscheduled and terminal pods immediately.
            if unscheduled || matches!(phase, Some("Failed") | Some("Succeeded")) {
                return 0;
            }
            grace_override
                .or_else(|| {
                    self.spec
                        .as_ref()
                        .and_then(|s| s.termination_grace_period_seconds)
                })
                .unwrap_or(30)
                .max(0)
        }
        fn admit(&mut self, uid: &str) {
            super::admission::admit_pod(self, uid);
        }
        /// Pod generation (PodObservedGenerationTracking, GA in v1.35): `generation: 1` on
        /// create (`pkg/registry/core/pod/strategy.go`); the kubelet's status and every
        /// condition carry the generation they were written for (`observedGeneration`).
        fn prepare_write(&mut self, old: Option<&Self>, _now: u64) {
            if old.is_none() {
                self.metadata.generation = Some(1);
            }
            let generation = self.metadata.generation.unwrap_or(1);
            // A status write after a generation bump (graceful deletion) reports the new
            // generation: the kubelet regenerates every condition and the status's
            // observedGeneration from the pod it syncs (`CalculatePodStatusObservedGeneration`,
            // `pkg/api/v1/pod/util.go`).
            let resynced = old.is_some_and(|o| o.status != self.status);
            if let Some(st) = self.status.as_mut() {
                for c in st.conditions.iter_mut().flatten() {
                    if resynced {
                        c.observed_generation = Some(generation);
                    } else {
                        c.observed_generation.get_or_insert(generation);
                    }
                }
                if st.start_time.is_some() {
                    if resynced {
                        st.observed_generation = Some(generation);
                    } else {
                        st.observed_generation.get_or_insert(generation);
                    }
                }
            }
        }
    };
    (@extra PersistentVolume) => {
        /// `lastPhaseTransitionTime` (`pkg/registry/core/persistentvolume/strategy.go`:
        /// set on create and whenever an update changes `status.phase`).
        fn prepare_write(&mut self, old: Option<&Self>, now: u64) {
            let phase = |pv: &Self| pv.status.as_ref().and_then(|s| s.phase.clone());
            let old_time = old
                .and_then(|o| o.status.as_ref())
                .and_then(|s| s.last_phase_transition_time.clone());
            let changed = old.is_none_or(|o| phase(o) != phase(self));
            let st = self.status.get_or_insert_with(Default::default);
            st.last_phase_transition_time = if changed {
                Some(timestamp(now))
            } else {
                old_time.or_else(|| st.last_phase_transition_time.take())
            };
        }
    };
    (@extra $other:ident) => {};
}

stored!(Pod, Pod, pods, true);
stored!(StatefulSet, StatefulSet, statefulsets, true);
stored!(ControllerRevision, ControllerRevision, revisions, true);
stored!(PersistentVolumeClaim, PersistentVolumeClaim, pvcs, true);
stored!(PersistentVolume, PersistentVolume, pvs, false);
stored!(StorageClass, StorageClass, storage_classes, false);
stored!(Service, Service, services, true);
stored!(EndpointSliceRecord, EndpointSlice, endpoint_slices, true);
stored!(Node, Node, nodes, false);
stored!(EndpointsRecord, Endpoints, endpoints, true);

/// A type [`Store::count`] counts: every stored kind, and the API types of the kinds the
/// store keeps as records (`count::<EndpointSlice>()` counts the slice records).
pub trait Counted {
    type Stored: Stored;
}

impl<T: Stored> Counted for T {
    type Stored = T;
}

impl Counted for k8s_openapi::api::discovery::v1::EndpointSlice {
    type Stored = EndpointSliceRecord;
}

impl Counted for k8s_openapi::api::core::v1::Endpoints {
    type Stored = EndpointsRecord;
}

/// One kind's objects by namespace, then name (iteration order = `(namespace, name)` order).
/// Two levels, so a lookup compares names only, not the namespace at every node.
#[derive(Clone, Debug)]
pub struct Table<T> {
    by_ns: BTreeMap<String, BTreeMap<String, Arc<T>>>,
    len: usize,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            by_ns: BTreeMap::new(),
            len: 0,
        }
    }
}

impl<T> Table<T> {
    fn get(&self, ns: &str, name: &str) -> Option<&Arc<T>> {
        self.by_ns.get(ns)?.get(name)
    }

    fn get_mut(&mut self, ns: &str, name: &str) -> Option<&mut Arc<T>> {
        self.by_ns.get_mut(ns)?.get_mut(name)
    }

    /// Adds a new object (the namespace key is copied only for its first object).
    fn insert(&mut self, ns: &str, name: &str, value: Arc<T>) {
        let name = name.to_string();
        let added = match self.by_ns.get_mut(ns) {
            Some(m) => m.insert(name, value).is_none(),
            None => {
                self.by_ns
                    .insert(ns.to_string(), BTreeMap::from([(name, value)]));
                true
            }
        };
        if added {
            self.len += 1;
        }
    }

    /// Replaces a stored object in place (no key copies).
    fn replace(&mut self, ns: &str, name: &str, value: Arc<T>) {
        if let Some(slot) = self.get_mut(ns, name) {
            *slot = value;
        }
    }

    fn remove(&mut self, ns: &str, name: &str) -> Option<Arc<T>> {
        let m = self.by_ns.get_mut(ns)?;
        let v = m.remove(name)?;
        if m.is_empty() {
            self.by_ns.remove(ns);
        }
        self.len -= 1;
        Some(v)
    }

    fn values(&self) -> impl Iterator<Item = &Arc<T>> {
        self.by_ns.values().flat_map(|m| m.values())
    }

    fn in_namespace<'a>(&'a self, ns: &str) -> impl Iterator<Item = &'a Arc<T>> + 'a {
        self.by_ns.get(ns).into_iter().flat_map(|m| m.values())
    }
}

/// The object store plus its secondary indices and the watch log.
#[derive(Clone, Debug, Default)]
pub struct Store {
    /// Simulated time of the write being made (ms since the epoch), set by the cluster.
    pub(crate) now: u64,
    resource_version: u64,
    uid_counter: u64,
    event_counter: u64,
    pods: Table<Pod>,
    statefulsets: Table<StatefulSet>,
    revisions: Table<ControllerRevision>,
    pvcs: Table<PersistentVolumeClaim>,
    pvs: Table<PersistentVolume>,
    storage_classes: Table<StorageClass>,
    services: Table<Service>,
    endpoint_slices: Table<EndpointSliceRecord>,
    nodes: Table<Node>,
    /// Events by sequence number (creation order), compact ([`super::events`]).
    events: super::events::EventLog,
    endpoints: Table<EndpointsRecord>,
    /// Pods by the parent name parsed from their name (`web-3` → `web`): the controller's
    /// candidate pods without relisting the namespace.
    pods_by_parent: BTreeMap<Key, BTreeMap<String, Arc<Pod>>>,
    /// Pods without `spec.nodeName`: the scheduler's queue.
    unscheduled: BTreeSet<Key>,
    /// Non-terminal pods bound to each node: the scheduler's load figures.
    node_load: BTreeMap<String, usize>,
    /// Owner uid → objects naming it in their ownerReferences.
    dependents: BTreeMap<String, BTreeSet<ObjRef>>,
    /// uid → object, for every live object.
    uids: BTreeMap<String, ObjRef>,
    /// Objects being deleted that carry a garbage-collector finalizer.
    pub(crate) gc_finalizing: BTreeSet<ObjRef>,
    /// PersistentVolumes by what the PV controller and scheduler look them up by.
    volume_index: crate::storage::index::VolumeIndex,
    /// uids of objects removed since the garbage collector last ran.
    pub(crate) gc_removed: Vec<String>,
    /// Last event written per (involved object uid/name, reason, message, source), for
    /// aggregation: a hash of the series key → the event's sequence number (a hit is checked
    /// against the event itself).
    event_series: super::events::SeriesIndex,
    /// The event TTL (`--event-ttl`); `None` keeps events forever (a bare store).
    pub(crate) event_ttl_ms: Option<u64>,
    /// (expiry instant, sequence number) per event write, in write order (so by instant): an
    /// entry whose event was written again since is stale and skipped
    /// ([`Store::expire_events`]).
    event_expiry: std::collections::VecDeque<(u64, u64)>,
    /// The retained tail of the watch log (a watch cache: older entries are dropped by
    /// [`Store::trim_watch`]); `watch[0]` is at absolute position `watch_start`.
    watch: Vec<WatchEntry>,
    watch_start: usize,
    /// The namespaces (`super::namespaces`): by name.
    pub(crate) namespaces: BTreeMap<String, super::namespaces::NamespaceRecord>,
    /// The uid counter's first value (the seed's offset): built-in namespaces draw below it.
    uid_base: u64,
}

/// The node a pod counts against: bound and not in a terminal phase.
fn load_node(pod: &Pod) -> Option<&str> {
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
    if matches!(phase, Some("Failed") | Some("Succeeded")) {
        return None;
    }
    pod.spec.as_ref().and_then(|s| s.node_name.as_deref())
}

/// Being deleted with a garbage-collector finalizer (foreground or orphan) pending.
fn gc_finalizing(meta: &ObjectMeta) -> bool {
    meta.deletion_timestamp.is_some()
        && meta
            .finalizers
            .iter()
            .flatten()
            .any(|f| f == FINALIZER_FOREGROUND || f == FINALIZER_ORPHAN)
}

/// A [`Key`] seen as two `&str`s, so lookups need not allocate one (`(ns, name) as &dyn
/// KeyRef`); ordered exactly like the tuple.
pub trait KeyRef {
    fn parts(&self) -> (&str, &str);
}

impl KeyRef for Key {
    fn parts(&self) -> (&str, &str) {
        (&self.0, &self.1)
    }
}

impl KeyRef for (&str, &str) {
    fn parts(&self) -> (&str, &str) {
        (self.0, self.1)
    }
}

impl<'a> std::borrow::Borrow<dyn KeyRef + 'a> for Key {
    fn borrow(&self) -> &(dyn KeyRef + 'a) {
        self
    }
}

impl PartialEq for dyn KeyRef + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts()
    }
}

impl Eq for dyn KeyRef + '_ {}

impl PartialOrd for dyn KeyRef + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for dyn KeyRef + '_ {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.parts().cmp(&other.parts())
    }
}

/// Appends the low `digits` hex digits of `v`, zero-padded (`format!("{v:0digits$x}")` for
/// values that fit, without the formatter: uids and event names are made on every write).
pub(crate) fn push_hex(out: &mut String, v: u64, digits: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // Digits into a buffer, then one append (a `push(char)` per digit checks the capacity
    // and encodes UTF-8 each time).
    let mut buf = [0u8; 16];
    let digits = digits.min(16) as usize;
    for (i, b) in buf[..digits].iter_mut().rev().enumerate() {
        *b = HEX[((v >> (4 * i)) & 0xf) as usize];
    }
    out.push_str(std::str::from_utf8(&buf[..digits]).unwrap_or_default());
}

/// The uid of the `n`th uid number (see [`super::ids`]: a random-looking v4 UUID, distinct
/// per number; the store's numbers start at an offset drawn from the cluster's seed).
pub(crate) fn uid_of(n: u64) -> String {
    super::ids::uuid_v4(n)
}

/// FNV-1a over the parts of an event series key (separated, so parts cannot run together);
/// also the fingerprint the made-up identifiers are drawn from ([`super::ids`]).
pub(crate) fn series_hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Parses `<parent>-<ordinal>` (regex `(.*)-([0-9]+)$`).
/// (Runs for every pod write the controllers read, so it scans the bytes once: the trailing
/// digits, then the dash before them.)
pub fn parse_ordinal(name: &str) -> Option<(&str, i64)> {
    let b = name.as_bytes();
    let digits = b.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    let dash = b.len().checked_sub(digits + 1)?;
    if digits == 0 || b[dash] != b'-' {
        return None;
    }
    let mut ord: i64 = 0;
    for &d in &b[dash + 1..] {
        ord = ord.checked_mul(10)?.checked_add(i64::from(d - b'0'))?;
    }
    Some((&name[..dash], ord))
}

/// Runs `f` on the value at `key`, first inserting a default under `owned()` when there is
/// none: `entry(..).or_default()` that copies the key only when it is new.
pub(crate) fn with_entry<K, Q, V>(
    map: &mut BTreeMap<K, V>,
    key: &Q,
    owned: impl FnOnce() -> K,
    f: impl FnOnce(&mut V),
) where
    K: Ord + std::borrow::Borrow<Q>,
    Q: Ord + ?Sized,
    V: Default,
{
    match map.get_mut(key) {
        Some(v) => f(v),
        None => {
            let mut v = V::default();
            f(&mut v);
            map.insert(owned(), v);
        }
    }
}

/// The store key of an object, borrowed: namespace (`default` when unset; empty for
/// cluster-scoped kinds) and name.
fn key_ref(meta: &ObjectMeta, namespaced: bool) -> (&str, &str) {
    let ns = if namespaced {
        meta.namespace.as_deref().unwrap_or("default")
    } else {
        ""
    };
    (ns, meta.name.as_deref().unwrap_or_default())
}

fn key_of(meta: &ObjectMeta, namespaced: bool) -> Key {
    let (ns, name) = key_ref(meta, namespaced);
    (ns.to_string(), name.to_string())
}

impl Store {
    pub fn get<T: Stored>(&self, namespace: &str, name: &str) -> Option<&T> {
        let ns = if T::NAMESPACED { namespace } else { "" };
        T::table(self).get(ns, name).map(|a| &**a)
    }

    pub fn get_arc<T: Stored>(&self, namespace: &str, name: &str) -> Option<Arc<T>> {
        let ns = if T::NAMESPACED { namespace } else { "" };
        T::table(self).get(ns, name).cloned()
    }

    /// Every object of a kind, by namespace then name.
    pub fn list<T: Stored>(&self) -> impl Iterator<Item = &T> {
        T::table(self).values().map(|a| &**a)
    }

    /// Objects of a kind in one namespace, by name.
    pub fn list_in<'a, T: Stored>(&'a self, namespace: &'a str) -> impl Iterator<Item = &'a T> {
        T::table(self).in_namespace(namespace).map(|a| &**a)
    }

    pub fn count<T: Counted>(&self) -> usize {
        T::Stored::table(self).len
    }

    /// Names of pods in `namespace` whose name parses as `<parent>-<n>`.
    pub fn pods_with_parent(&self, namespace: &str, parent: &str) -> Vec<Arc<Pod>> {
        self.pods_by_parent
            .get(&(namespace, parent) as &dyn KeyRef)
            .map(|m| m.values().cloned().collect())
            .unwrap_or_default()
    }

    /// Like [`Store::pods_with_parent`], without copying (by name).
    pub fn pods_with_parent_iter<'a>(
        &'a self,
        namespace: &str,
        parent: &str,
    ) -> impl Iterator<Item = &'a Arc<Pod>> + 'a {
        self.pods_by_parent
            .get(&(namespace, parent) as &dyn KeyRef)
            .into_iter()
            .flat_map(|m| m.values())
    }

    /// Like [`Store::list`], yielding the shared objects (no deep copy).
    pub(crate) fn list_arcs<T: Stored>(&self) -> impl Iterator<Item = &Arc<T>> {
        T::table(self).values()
    }

    /// Like [`Store::list_in`], yielding the shared objects (no deep copy).
    pub fn list_in_arcs<'a, T: Stored>(
        &'a self,
        namespace: &'a str,
    ) -> impl Iterator<Item = &'a Arc<T>> {
        T::table(self).in_namespace(namespace)
    }

    /// Objects whose ownerReferences name `uid`.
    pub fn dependents_of(&self, uid: &str) -> Vec<ObjRef> {
        self.dependents
            .get(uid)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Like [`Store::dependents_of`], without copying.
    pub fn dependents_iter<'a>(&'a self, uid: &str) -> impl Iterator<Item = &'a ObjRef> + 'a {
        self.dependents.get(uid).into_iter().flatten()
    }

    pub fn uid_exists(&self, uid: &str) -> bool {
        self.uids.contains_key(uid)
    }

    pub fn object_by_uid(&self, uid: &str) -> Option<&ObjRef> {
        self.uids.get(uid)
    }

    /// Non-terminal pods bound to a node.
    pub fn pods_on_node(&self, node: &str) -> usize {
        self.node_load.get(node).copied().unwrap_or(0)
    }

    /// [`Store::pods_on_node`] for every node that has pods, in node-name order.
    pub(crate) fn node_loads(&self) -> impl Iterator<Item = (&str, usize)> {
        self.node_load.iter().map(|(n, &l)| (n.as_str(), l))
    }

    pub fn has_unscheduled_pods(&self) -> bool {
        !self.unscheduled.is_empty()
    }

    pub fn unscheduled_pods(&self) -> Vec<Key> {
        self.unscheduled.iter().cloned().collect()
    }

    /// The retained watch log: every entry from position [`Store::watch_start`] on.
    pub fn watch_log(&self) -> &[WatchEntry] {
        &self.watch
    }

    /// Absolute position of the oldest retained watch entry (0 until the log is trimmed).
    pub fn watch_start(&self) -> usize {
        self.watch_start
    }

    /// Absolute position after the newest watch entry: a cursor for [`Store::watch_since`].
    pub fn watch_end(&self) -> usize {
        self.watch_start + self.watch.len()
    }

    /// The retained entries from absolute position `pos` on (from the oldest retained one
    /// when `pos` was trimmed away; a reader can tell by comparing with `watch_start`).
    pub fn watch_since(&self, pos: usize) -> &[WatchEntry] {
        let i = pos.saturating_sub(self.watch_start).min(self.watch.len());
        &self.watch[i..]
    }

    /// The entry at absolute position `pos`, if retained.
    pub fn watch_at(&self, pos: usize) -> Option<&WatchEntry> {
        self.watch.get(pos.checked_sub(self.watch_start)?)
    }

    /// Drops the oldest watch entries, keeping the newest `keep` and everything from `floor`
    /// on, like the API server's bounded watch cache. Entries go at least `keep` at a time, so
    /// trimming costs O(1) per entry.
    pub(crate) fn trim_watch(&mut self, keep: usize, floor: usize) {
        let cut = self.watch_end().saturating_sub(keep).min(floor);
        let n = cut.saturating_sub(self.watch_start);
        if n == 0 || n < keep {
            return;
        }
        self.watch.drain(..n);
        self.watch_start += n;
    }

    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }

    /// Starts the uid numbers at the seed's offset (`Cluster::new`; before any write).
    pub(crate) fn seed_uids(&mut self, seed: u64) {
        self.uid_counter = super::ids::uid_offset(seed);
        self.uid_base = self.uid_counter;
    }

    /// Uid number `n` below the counter's start: the built-in namespaces' uids (distinct from
    /// every uid the counter gives).
    pub(crate) fn uid_before_offset(&self, n: u64) -> String {
        uid_of(self.uid_base.wrapping_sub(n))
    }

    /// A namespace by name.
    pub fn namespace(&self, name: &str) -> Option<&super::namespaces::NamespaceRecord> {
        self.namespaces.get(name)
    }

    /// Every namespace, by name.
    pub fn namespaces(&self) -> impl Iterator<Item = &super::namespaces::NamespaceRecord> {
        self.namespaces.values()
    }

    /// The next resourceVersion, for objects kept outside the tables.
    pub(crate) fn bump_resource_version(&mut self) -> u64 {
        self.resource_version += 1;
        self.resource_version
    }

    /// A new object's uid and resourceVersion, for objects kept outside the tables.
    pub(crate) fn next_identity(&mut self) -> (String, u64) {
        self.resource_version += 1;
        (self.next_uid(), self.resource_version)
    }

    fn next_uid(&mut self) -> String {
        self.uid_counter = self.uid_counter.wrapping_add(1);
        uid_of(self.uid_counter)
    }

    fn index_add(&mut self, r: &ObjRef, meta: &ObjectMeta, kind_extra: Option<Arc<Pod>>) {
        if let Some(uid) = &meta.uid {
            self.uids.insert(uid.clone(), r.clone());
        }
        for o in meta.owner_references.iter().flatten() {
            with_entry(
                &mut self.dependents,
                o.uid.as_str(),
                || o.uid.clone(),
                |set| {
                    set.insert(r.clone());
                },
            );
        }
        if let Some(pod) = kind_extra {
            if let Some((parent, _)) = parse_ordinal(&r.name) {
                with_entry(
                    &mut self.pods_by_parent,
                    &(r.namespace.as_str(), parent) as &dyn KeyRef,
                    || (r.namespace.clone(), parent.to_string()),
                    |m| {
                        m.insert(r.name.clone(), pod.clone());
                    },
                );
            }
            if let Some(node) = load_node(&pod) {
                self.add_node_load(node);
            }
            if pod
                .spec
                .as_ref()
                .and_then(|s| s.node_name.as_ref())
                .is_none()
            {
                self.unscheduled
                    .insert((r.namespace.clone(), r.name.clone()));
            } else {
                self.unscheduled.remove(&r.key() as &dyn KeyRef);
            }
        }
        if gc_finalizing(meta) {
            self.gc_finalizing.insert(r.clone());
        } else {
            self.gc_finalizing.remove(r);
        }
    }

    /// [`Store::index_remove`] then [`Store::index_add`], doing only what the change needs:
    /// a status write leaves uid, owners and finalizers alone.
    fn reindex(
        &mut self,
        r: &ObjRef,
        old: &ObjectMeta,
        new: &ObjectMeta,
        old_pod: Option<Arc<Pod>>,
        new_pod: Option<Arc<Pod>>,
    ) {
        if old.uid != new.uid || old.owner_references != new.owner_references {
            self.index_remove(r, old, old_pod);
            self.index_add(r, new, new_pod);
            return;
        }
        if let (Some(op), Some(np)) = (old_pod, new_pod) {
            if let Some((parent, _)) = parse_ordinal(&r.name) {
                if let Some(slot) = self
                    .pods_by_parent
                    .get_mut(&(r.namespace.as_str(), parent) as &dyn KeyRef)
                    .and_then(|m| m.get_mut(r.name.as_str()))
                {
                    *slot = np.clone();
                }
            }
            let (from, to) = (load_node(&op), load_node(&np));
            if from != to {
                if let Some(n) = from.and_then(|f| self.node_load.get_mut(f)) {
                    *n = n.saturating_sub(1);
                }
                if let Some(t) = to {
                    self.add_node_load(t);
                }
            }
            let bound = |p: &Pod| p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some();
            if bound(&op) != bound(&np) {
                if bound(&np) {
                    self.unscheduled.remove(&r.key() as &dyn KeyRef);
                } else {
                    self.unscheduled
                        .insert((r.namespace.clone(), r.name.clone()));
                }
            }
        }
        if gc_finalizing(old) != gc_finalizing(new) {
            if gc_finalizing(new) {
                self.gc_finalizing.insert(r.clone());
            } else {
                self.gc_finalizing.remove(r);
            }
        }
    }

    fn index_remove(&mut self, r: &ObjRef, meta: &ObjectMeta, old_pod: Option<Arc<Pod>>) {
        let is_pod = old_pod.is_some();
        if let Some(node) = old_pod.as_deref().and_then(load_node) {
            if let Some(n) = self.node_load.get_mut(node) {
                *n = n.saturating_sub(1);
            }
        }
        if let Some(uid) = &meta.uid {
            self.uids.remove(uid);
        }
        for o in meta.owner_references.iter().flatten() {
            if let Some(set) = self.dependents.get_mut(&o.uid) {
                set.remove(r);
                if set.is_empty() {
                    self.dependents.remove(&o.uid);
                }
            }
        }
        if is_pod {
            if let Some((parent, _)) = parse_ordinal(&r.name) {
                let k = (r.namespace.as_str(), parent);
                if let Some(set) = self.pods_by_parent.get_mut(&k as &dyn KeyRef) {
                    set.remove(&r.name);
                    if set.is_empty() {
                        self.pods_by_parent.remove(&k as &dyn KeyRef);
                    }
                }
            }
            self.unscheduled.remove(&r.key() as &dyn KeyRef);
        }
        self.gc_finalizing.remove(r);
    }

    fn add_node_load(&mut self, node: &str) {
        with_entry(&mut self.node_load, node, || node.to_string(), |n| *n += 1);
    }

    fn log(&mut self, r: ObjRef, event: WatchEventType, object: AnyObject) {
        self.watch.push(WatchEntry {
            at: self.now,
            resource_version: self.resource_version,
            kind: r.kind,
            event,
            namespace: r.namespace,
            name: r.name,
            object,
        });
    }

    /// The reference of a stored object (its metadata as the store filled it in).
    fn objref_of<T: Stored>(meta: &ObjectMeta) -> ObjRef {
        let (namespace, name) = key_of(meta, T::NAMESPACED);
        ObjRef {
            kind: T::STORE_KIND,
            namespace,
            name,
        }
    }

    fn objref<T: Stored>(key: &Key) -> ObjRef {
        ObjRef {
            kind: T::STORE_KIND,
            namespace: key.0.clone(),
            name: key.1.clone(),
        }
    }

    /// Keeps [`Store::volume_index`] in step with a write (nothing for other kinds).
    fn reindex_volume<T: Stored>(&mut self, old: Option<&Arc<T>>, new: Option<&Arc<T>>) {
        if T::STORE_KIND != Kind::PersistentVolume {
            return;
        }
        let volume = |o: Option<&Arc<T>>| match o.map(|o| T::wrap(o.clone())) {
            Some(AnyObject::PersistentVolume(v)) => Some(v),
            _ => None,
        };
        let (old, new) = (volume(old), volume(new));
        self.volume_index.replace(old.as_deref(), new.as_deref());
    }

    /// The PersistentVolumes indexed for the PV controller's and the scheduler's lookups.
    pub fn volume_index(&self) -> &crate::storage::index::VolumeIndex {
        &self.volume_index
    }

    fn pod_of<T: Stored>(o: &Arc<T>) -> Option<Arc<Pod>> {
        match T::wrap(o.clone()) {
            AnyObject::Pod(p) => Some(p),
            _ => None,
        }
    }

    /// Creates an object as the API server does: fills in metadata and returns the stored copy.
    pub fn create<T: Stored>(&mut self, mut obj: T) -> Result<Arc<T>, ApiError> {
        let key = key_of(obj.metadata(), T::NAMESPACED);
        if key.1.is_empty() {
            return Err(ApiError::Invalid(
                "metadata.name: Required value: name or generateName is required".into(),
            ));
        }
        if T::table(self).get(&key.0, &key.1).is_some() {
            return Err(ApiError::AlreadyExists {
                kind: T::STORE_KIND,
                name: key.1,
            });
        }
        if T::NAMESPACED {
            super::namespaces::admit_create(self, T::STORE_KIND, &key.0, &key.1)?;
        }
        self.resource_version += 1;
        let uid = self.next_uid();
        let now = self.now;
        let rv = self.resource_version;
        obj.admit(&uid);
        obj.prepare_write(None, now);
        let meta = obj.metadata_mut();
        if T::NAMESPACED {
            if meta.namespace.as_deref() != Some(key.0.as_str()) {
                meta.namespace = Some(key.0.clone());
            }
        } else {
            meta.namespace = None;
        }
        meta.uid = Some(uid);
        meta.resource_version = Some(rv.to_string());
        meta.creation_timestamp = Some(timestamp(now));
        meta.deletion_timestamp = None;
        meta.deletion_grace_period_seconds = None;
        if T::spec_changed(&obj, &obj).is_some() {
            obj.metadata_mut().generation = Some(1);
        }
        let arc = Arc::new(obj);
        let r = ObjRef {
            kind: T::STORE_KIND,
            namespace: key.0,
            name: key.1,
        };
        self.index_add(&r, arc.metadata(), Self::pod_of(&arc));
        self.reindex_volume(None, Some(&arc));
        T::table_mut(self).insert(&r.namespace, &r.name, arc.clone());
        self.log(r, WatchEventType::Added, T::wrap(arc.clone()));
        Ok(arc)
    }

    /// Replaces an object (its metadata identity — uid, creationTimestamp — is kept).
    /// Bumps `generation` when the spec changed. Removing the last finalizer of an object
    /// being deleted removes it (unless a pod grace period is still running).
    pub fn update<T: Stored>(&mut self, obj: T) -> Result<Arc<T>, ApiError> {
        self.update_checked(obj, true)
    }

    /// [`Store::update`] for a caller that knows `obj` differs from the stored object (the
    /// no-op check would compare them in full only to find that out).
    pub(crate) fn update_differing<T: Stored>(&mut self, obj: T) -> Result<Arc<T>, ApiError> {
        self.update_checked(obj, false)
    }

    fn update_checked<T: Stored>(&mut self, mut obj: T, check: bool) -> Result<Arc<T>, ApiError> {
        let old = {
            let (ns, name) = key_ref(obj.metadata(), T::NAMESPACED);
            match T::table(self).get(ns, name) {
                Some(old) => old.clone(),
                None => {
                    return Err(ApiError::NotFound {
                        kind: T::STORE_KIND,
                        name: name.to_string(),
                    })
                }
            }
        };
        {
            let om = old.metadata();
            let m = obj.metadata_mut();
            m.uid = om.uid.clone();
            m.creation_timestamp = om.creation_timestamp.clone();
            m.resource_version = om.resource_version.clone();
            m.generation = om.generation;
            // deletionTimestamp can only be set by delete; it can never be cleared.
            m.deletion_timestamp = om.deletion_timestamp.clone();
            m.deletion_grace_period_seconds = om.deletion_grace_period_seconds;
        }
        obj.prepare_write(Some(&old), self.now);
        if check && T::same(&old, &obj) {
            return Ok(old);
        }
        if T::spec_changed(&old, &obj) == Some(true) {
            let m = obj.metadata_mut();
            m.generation = Some(m.generation.unwrap_or(0) + 1);
        }
        self.resource_version += 1;
        obj.metadata_mut().resource_version = Some(self.resource_version.to_string());
        // The stored key is the old object's: no new strings for the table.
        let r = Self::objref_of::<T>(old.metadata());
        let arc = Arc::new(obj);
        self.reindex(
            &r,
            old.metadata(),
            arc.metadata(),
            Self::pod_of(&old),
            Self::pod_of(&arc),
        );
        self.reindex_volume(Some(&old), Some(&arc));
        T::table_mut(self).replace(&r.namespace, &r.name, arc.clone());
        let m = arc.metadata();
        let finalizers_done = m.finalizers.as_ref().is_none_or(|f| f.is_empty());
        if m.deletion_timestamp.is_some()
            && finalizers_done
            && m.deletion_grace_period_seconds.unwrap_or(0) == 0
        {
            let key = (r.namespace.clone(), r.name.clone());
            self.log(r, WatchEventType::Modified, T::wrap(arc.clone()));
            self.remove_now::<T>(&key);
            return Ok(arc);
        }
        self.log(r, WatchEventType::Modified, T::wrap(arc.clone()));
        Ok(arc)
    }

    /// Deletes an object as the API server does: immediately when it has no finalizers and no
    /// grace period, otherwise by setting `deletionTimestamp`.
    pub fn delete<T: Stored>(
        &mut self,
        namespace: &str,
        name: &str,
        propagation: Propagation,
        grace_override: Option<i64>,
    ) -> Result<DeleteOutcome, ApiError> {
        let ns = if T::NAMESPACED { namespace } else { "" };
        let key = (ns.to_string(), name.to_string());
        let Some(old) = T::table(self).get(&key.0, &key.1).cloned() else {
            return Err(ApiError::NotFound {
                kind: T::STORE_KIND,
                name: name.to_string(),
            });
        };
        let grace = old.grace_period(grace_override);
        let mut obj = (*old).clone();
        let m = obj.metadata_mut();
        let mut finalizers = m.finalizers.clone().unwrap_or_default();
        let gc_finalizer = match propagation {
            Propagation::Background => None,
            Propagation::Foreground => Some(FINALIZER_FOREGROUND),
            Propagation::Orphan => Some(FINALIZER_ORPHAN),
        };
        // Only objects that can have dependents get a GC finalizer.
        if let Some(f) = gc_finalizer {
            if m.deletion_timestamp.is_none()
                && m.uid
                    .as_ref()
                    .is_some_and(|u| self.dependents.contains_key(u))
                && !finalizers.iter().any(|x| x == f)
            {
                finalizers.push(f.to_string());
            }
        }
        if finalizers.is_empty() && grace == 0 {
            self.remove_now::<T>(&key);
            return Ok(DeleteOutcome::Removed);
        }
        let deadline = self.now.saturating_add((grace as u64).saturating_mul(1000));
        let shorten = m.deletion_grace_period_seconds.is_none_or(|g| grace < g);
        // The first deletion of an object with a generation bumps it: graceful deletion
        // (`BeforeDelete`, staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go) and
        // deletion held by finalizers (`markAsDeleting`, .../generic/registry/store.go).
        if m.deletion_timestamp.is_none() {
            if let Some(g) = m.generation.filter(|g| *g > 0) {
                m.generation = Some(g + 1);
            }
        }
        if m.deletion_timestamp.is_none() || shorten {
            m.deletion_timestamp = Some(timestamp(deadline));
            m.deletion_grace_period_seconds = Some(grace);
        }
        m.finalizers = if finalizers.is_empty() {
            None
        } else {
            Some(finalizers)
        };
        if T::same(&old, &obj) {
            return Ok(DeleteOutcome::Terminating);
        }
        self.resource_version += 1;
        obj.metadata_mut().resource_version = Some(self.resource_version.to_string());
        let r = Self::objref::<T>(&key);
        self.index_remove(&r, old.metadata(), Self::pod_of(&old));
        let arc = Arc::new(obj);
        self.index_add(&r, arc.metadata(), Self::pod_of(&arc));
        self.reindex_volume(Some(&old), Some(&arc));
        T::table_mut(self).replace(&key.0, &key.1, arc.clone());
        self.log(r, WatchEventType::Modified, T::wrap(arc));
        Ok(DeleteOutcome::Terminating)
    }

    fn remove_now<T: Stored>(&mut self, key: &Key) {
        let Some(old) = T::table_mut(self).remove(&key.0, &key.1) else {
            return;
        };
        self.resource_version += 1;
        let r = Self::objref::<T>(key);
        self.index_remove(&r, old.metadata(), Self::pod_of(&old));
        self.reindex_volume(Some(&old), None);
        if let Some(uid) = &old.metadata().uid {
            self.gc_removed.push(uid.clone());
        }
        self.log(r, WatchEventType::Deleted, T::wrap(old));
    }

    /// Records a Kubernetes Event (core/v1), aggregating repeats of the same
    /// (object, reason, message, source) into `count` like the event recorder does. The
    /// texts are usually constants (`&'static str`), kept without a copy.
    pub fn record_event(
        &mut self,
        involved: &ObjectMeta,
        involved_kind: impl Into<Text>,
        type_: impl Into<Text>,
        reason: impl Into<Text>,
        message: impl Into<String>,
        source: impl Into<Text>,
    ) {
        // One body for every combination of argument types (a smaller wasm bundle).
        self.record(
            involved,
            involved_kind.into(),
            type_.into(),
            reason.into(),
            message.into(),
            source.into(),
        );
    }

    fn record(
        &mut self,
        involved: &ObjectMeta,
        involved_kind: Text,
        type_: Text,
        reason: Text,
        message: String,
        source: Text,
    ) {
        let name = involved.name.as_deref().unwrap_or_default();
        let who = involved.uid.as_deref().unwrap_or(name);
        let series_key = series_hash(&[who, &reason, &message, &source]);
        let same_series = |e: &EventRecord| {
            e.involved_uid.as_deref().unwrap_or(&e.involved_name) == who
                && e.reason == reason
                && e.message == message
                && e.source == source
        };
        // The series' last event, as stored now (a deleted one starts a new series).
        let (rv, now) = (self.resource_version + 1, self.now);
        if let Some(last) = (self.event_series.get(&series_key))
            .and_then(|&seq| self.events.get_mut(seq))
            .filter(|e| same_series(e))
        {
            let e = Arc::make_mut(last);
            e.count += 1;
            e.last = now;
            e.resource_version = rv;
            let seq = e.seq;
            let r = Self::event_ref(e);
            let object = AnyObject::Event(last.clone());
            self.resource_version = rv;
            self.log(r, WatchEventType::Modified, object);
            self.schedule_expiry(seq);
            return;
        }
        self.event_counter += 1;
        self.resource_version += 1;
        self.uid_counter = self.uid_counter.wrapping_add(1);
        let seq = self.event_counter;
        let record = Arc::new(EventRecord {
            seq,
            uid: self.uid_counter,
            resource_version: self.resource_version,
            first: self.now,
            last: self.now,
            count: 1,
            namespace: involved
                .namespace
                .clone()
                .unwrap_or_else(|| "default".into()),
            involved_namespaced: involved.namespace.is_some(),
            involved_kind,
            involved_name: name.to_string(),
            involved_uid: involved.uid.clone(),
            involved_resource_version: involved.resource_version.clone(),
            type_,
            reason,
            message,
            source,
        });
        self.events.push(record.clone());
        self.event_series.insert(series_key, seq);
        self.schedule_expiry(seq);
        self.log(
            Self::event_ref(&record),
            WatchEventType::Added,
            AnyObject::Event(record),
        );
    }

    /// The event TTL starts again at every write of the event, as the API server gives each
    /// write a fresh etcd lease (`TTLFunc` of `pkg/registry/core/event/storage/storage.go`
    /// returns the TTL for creates and updates alike).
    fn schedule_expiry(&mut self, seq: u64) {
        if let Some(ttl) = self.event_ttl_ms {
            self.event_expiry
                .push_back((self.now.saturating_add(ttl), seq));
        }
    }

    /// When the oldest scheduled event expiry is due (it may find the event written again
    /// since, and do nothing).
    pub(crate) fn next_event_expiry(&self) -> Option<u64> {
        self.event_expiry.front().map(|&(at, _)| at)
    }

    /// Deletes the events whose TTL has run out by `self.now`: etcd drops the key when its
    /// lease expires, and the API server's watch turns etcd's DELETE into a `DELETED` watch
    /// event carrying the last state (`parseEvent` in
    /// `staging/src/k8s.io/apiserver/pkg/storage/etcd3/event.go`), so watchers of events
    /// (`kubectl get events -w`) see it go. Unlike `kubectl delete event`, nothing else hears
    /// of it (the garbage collector has no dependents of an Event). Returns how many went.
    pub(crate) fn expire_events(&mut self) -> usize {
        let Some(ttl) = self.event_ttl_ms else {
            return 0;
        };
        let mut n = 0;
        while let Some(&(at, seq)) = self.event_expiry.front() {
            if at > self.now {
                break;
            }
            self.event_expiry.pop_front();
            let expired = self
                .events
                .get(seq)
                .is_some_and(|e| e.last.saturating_add(ttl) <= self.now);
            if !expired {
                continue;
            }
            let Some(old) = self.events.remove(seq) else {
                continue;
            };
            self.forget_series(&old);
            self.resource_version += 1;
            self.log(
                Self::event_ref(&old),
                WatchEventType::Deleted,
                AnyObject::Event(old),
            );
            n += 1;
        }
        n
    }

    /// Drops the series-index entry that points at a removed event.
    fn forget_series(&mut self, old: &EventRecord) {
        let key = series_hash(&[
            old.involved_uid.as_deref().unwrap_or(&old.involved_name),
            &old.reason,
            &old.message,
            &old.source,
        ]);
        if self.event_series.get(&key) == Some(&old.seq) {
            self.event_series.remove(&key);
        }
    }

    /// Entries of the event-series index (one per live series at most: expired events take
    /// theirs along).
    pub fn event_series_len(&self) -> usize {
        self.event_series.len()
    }

    fn event_ref(e: &EventRecord) -> ObjRef {
        ObjRef {
            kind: Kind::Event,
            namespace: e.namespace.clone(),
            name: e.name(),
        }
    }

    /// Every stored event, in creation order.
    pub fn events(&self) -> impl DoubleEndedIterator<Item = &Arc<EventRecord>> {
        self.events.values()
    }

    /// Live API objects of every kind but Events.
    pub fn object_count(&self) -> usize {
        self.uids.len()
    }

    pub fn event_count(&self) -> usize {
        self.events.len()
    }

    /// The event named `name` in `namespace`.
    pub fn event(&self, namespace: &str, name: &str) -> Option<&Arc<EventRecord>> {
        let seq = EventRecord::seq_of_name(name)?;
        self.events
            .get(seq)
            .filter(|e| e.namespace == namespace && e.name() == name)
    }

    /// Deletes an event (events have no finalizers or grace period: it is gone at once).
    pub fn delete_event(&mut self, namespace: &str, name: &str) -> Result<DeleteOutcome, ApiError> {
        let seq = self.event(namespace, name).map(|e| e.seq);
        let Some(old) = seq.and_then(|seq| self.events.remove(seq)) else {
            return Err(ApiError::NotFound {
                kind: Kind::Event,
                name: name.to_string(),
            });
        };
        self.forget_series(&old);
        self.resource_version += 1;
        // Like any removed object: the garbage collector hears of its uid.
        self.gc_removed.push(uid_of(old.uid));
        self.log(
            Self::event_ref(&old),
            WatchEventType::Deleted,
            AnyObject::Event(old),
        );
        Ok(DeleteOutcome::Removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::PodSpec;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;

    fn pod(name: &str) -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            spec: Some(PodSpec::default()),
            ..Default::default()
        }
    }

    #[test]
    fn create_assigns_uid_resource_version_and_rejects_duplicates() {
        let mut s = Store::default();
        let a = s.create(pod("web-0")).unwrap();
        let b = s.create(pod("web-1")).unwrap();
        assert_ne!(a.metadata.uid, b.metadata.uid);
        assert_eq!(a.metadata.resource_version.as_deref(), Some("1"));
        assert_eq!(b.metadata.resource_version.as_deref(), Some("2"));
        assert!(matches!(
            s.create(pod("web-0")),
            Err(ApiError::AlreadyExists { .. })
        ));
        assert_eq!(s.pods_with_parent("default", "web").len(), 2);
    }

    #[test]
    fn ordinals_parse_from_the_trailing_dash_and_digits_only() {
        assert_eq!(parse_ordinal("web-0"), Some(("web", 0)));
        assert_eq!(parse_ordinal("my-web-12"), Some(("my-web", 12)));
        assert_eq!(parse_ordinal("web-007"), Some(("web", 7)));
        assert_eq!(parse_ordinal("-3"), Some(("", 3)));
        assert_eq!(parse_ordinal("web-"), None);
        assert_eq!(parse_ordinal("web-1a"), None);
        assert_eq!(parse_ordinal("web3"), None);
        assert_eq!(parse_ordinal("3"), None);
        assert_eq!(parse_ordinal(""), None);
        assert_eq!(
            parse_ordinal("web-9223372036854775807"),
            Some(("web", i64::MAX))
        );
        assert_eq!(parse_ordinal("web-9223372036854775808"), None);
        assert_eq!(parse_ordinal("web-é1"), None);
    }

    /// The kinds of write the store logged, as `(event type, kind, name)`.
    fn logged(s: &Store, since: usize) -> Vec<(WatchEventType, Kind, String)> {
        s.watch_since(since)
            .iter()
            .map(|e| (e.event, e.kind, e.name.clone()))
            .collect()
    }

    /// A kubelet event about `p` at the store's current instant.
    fn kubelet_event(s: &mut Store, p: &Pod, reason: &'static str, message: &'static str) {
        s.record_event(&p.metadata, "Pod", "Warning", reason, message, "kubelet");
    }

    #[test]
    fn a_repeated_event_is_counted_on_one_event_like_the_recorder_does() {
        let mut s = Store::default();
        let p = s.create(pod("web-0")).unwrap();
        let start = s.watch_end();
        s.now = 1_000;
        kubelet_event(&mut s, &p, "Unhealthy", "probe failed");
        s.now = 11_000;
        kubelet_event(&mut s, &p, "Unhealthy", "probe failed");
        kubelet_event(&mut s, &p, "Unhealthy", "probe failed");
        // Another message is another series.
        kubelet_event(&mut s, &p, "Unhealthy", "probe timed out");
        assert_eq!(s.event_count(), 2);
        let e = s.events().next().unwrap().to_event();
        assert_eq!(e.count, Some(3));
        assert_eq!(e.first_timestamp, Some(timestamp(1_000)));
        assert_eq!(e.last_timestamp, Some(timestamp(11_000)));
        assert_eq!(e.metadata.creation_timestamp, Some(timestamp(1_000)));
        assert_eq!(e.involved_object.uid, p.metadata.uid);
        // Each occurrence is a write: a new resourceVersion and a MODIFIED watch entry.
        assert_eq!(
            e.metadata.resource_version,
            Some(s.resource_version() - 1).map(|v| v.to_string())
        );
        let name = e.metadata.name.clone().unwrap();
        assert!(name.starts_with("web-0."), "{name}");
        assert_eq!(
            logged(&s, start),
            vec![
                (WatchEventType::Added, Kind::Event, name.clone()),
                (WatchEventType::Modified, Kind::Event, name.clone()),
                (WatchEventType::Modified, Kind::Event, name.clone()),
                (
                    WatchEventType::Added,
                    Kind::Event,
                    s.events().nth(1).unwrap().name()
                ),
            ]
        );
        // The watch entries keep the event as each write left it.
        let counts: Vec<i32> = s.watch_since(start)[..3]
            .iter()
            .map(|w| match &w.object {
                AnyObject::Event(e) => e.count,
                other => panic!("not an event: {other:?}"),
            })
            .collect();
        assert_eq!(counts, [1, 2, 3]);
    }

    #[test]
    fn events_are_found_by_name_and_a_deleted_one_starts_a_new_series() {
        let mut s = Store::default();
        let p = s.create(pod("web-0")).unwrap();
        kubelet_event(&mut s, &p, "Pulled", "already present");
        let name = s.events().next().unwrap().name();
        assert!(s.event("default", &name).is_some());
        assert!(s.event("other", &name).is_none());
        assert!(s.event("default", "web-1.1800000000000001").is_none());
        let uids_before = s.uid_counter;
        assert_eq!(s.delete_event("default", &name), Ok(DeleteOutcome::Removed));
        assert_eq!(
            s.watch_log().last().map(|e| e.event),
            Some(WatchEventType::Deleted)
        );
        assert!(matches!(
            s.delete_event("default", &name),
            Err(ApiError::NotFound {
                kind: Kind::Event,
                ..
            })
        ));
        kubelet_event(&mut s, &p, "Pulled", "already present");
        let again = s.events().next().unwrap();
        assert_eq!(again.count, 1);
        assert_ne!(again.name(), name);
        // An event takes a uid like any created object.
        assert_eq!(s.uid_counter, uids_before.wrapping_add(1));
    }

    #[test]
    fn the_watch_log_keeps_its_newest_entries_and_what_a_reader_holds() {
        let mut s = Store::default();
        for i in 0..10 {
            s.create(pod(&format!("web-{i}"))).unwrap();
        }
        // Fewer than `keep` entries to drop: nothing happens (trimming is batched).
        s.trim_watch(8, usize::MAX);
        assert_eq!((s.watch_start(), s.watch_end()), (0, 10));
        // A reader holding position 3 keeps entries 3.. even though only 2 are wanted.
        s.trim_watch(2, 3);
        assert_eq!((s.watch_start(), s.watch_end()), (3, 10));
        s.trim_watch(2, usize::MAX);
        assert_eq!((s.watch_start(), s.watch_end()), (8, 10));
        assert_eq!(s.watch_log().len(), 2);
        // Absolute positions survive trimming.
        assert_eq!(s.watch_since(9)[0].name, "web-9");
        assert_eq!(s.watch_at(8).map(|e| e.name.as_str()), Some("web-8"));
        assert!(s.watch_at(7).is_none());
        assert_eq!(
            s.watch_since(0).len(),
            2,
            "a trimmed position reads from the oldest kept"
        );
    }

    #[test]
    fn push_hex_pads_like_the_formatter() {
        for (v, d) in [
            (0u64, 3u32),
            (0xabc, 3),
            (0x1f, 8),
            (u64::MAX, 16),
            (0x1234_5678, 12),
        ] {
            let mut s = String::new();
            push_hex(&mut s, v, d);
            assert_eq!(s, format!("{v:0w$x}", w = d as usize));
        }
    }

    #[test]
    fn generation_bumps_only_on_spec_change() {
        let mut s = Store::default();
        let set = StatefulSet {
            metadata: ObjectMeta {
                name: Some("web".into()),
                ..Default::default()
            },
            spec: Some(Default::default()),
            ..Default::default()
        };
        let created = s.create(set).unwrap();
        assert_eq!(created.metadata.generation, Some(1));
        let mut labeled = (*created).clone();
        labeled.metadata.labels = Some([("a".to_string(), "b".to_string())].into());
        let labeled = s.update(labeled).unwrap();
        assert_eq!(labeled.metadata.generation, Some(1));
        let mut scaled = (*labeled).clone();
        scaled.spec.as_mut().unwrap().replicas = Some(4);
        let scaled = s.update(scaled).unwrap();
        assert_eq!(scaled.metadata.generation, Some(2));
    }

    #[test]
    fn unscheduled_pod_is_deleted_immediately_scheduled_pod_gracefully() {
        let mut s = Store::default();
        s.create(pod("a-0")).unwrap();
        assert_eq!(
            s.delete::<Pod>("default", "a-0", Propagation::Background, None),
            Ok(DeleteOutcome::Removed)
        );
        let mut p = pod("a-1");
        p.spec.as_mut().unwrap().node_name = Some("node-1".into());
        s.create(p).unwrap();
        assert_eq!(
            s.delete::<Pod>("default", "a-1", Propagation::Background, None),
            Ok(DeleteOutcome::Terminating)
        );
        let p = s.get::<Pod>("default", "a-1").unwrap();
        assert_eq!(p.metadata.deletion_grace_period_seconds, Some(30));
        // A forced delete (grace 0) removes it.
        assert_eq!(
            s.delete::<Pod>("default", "a-1", Propagation::Background, Some(0)),
            Ok(DeleteOutcome::Removed)
        );
    }

    #[test]
    fn node_load_counts_bound_non_terminal_pods() {
        let mut s = Store::default();
        let mut p = pod("a-0");
        p.spec.as_mut().unwrap().node_name = Some("node-1".into());
        let created = s.create(p).unwrap();
        s.create(pod("a-1")).unwrap();
        assert_eq!(s.pods_on_node("node-1"), 1);
        let mut failed = (*created).clone();
        failed.status = Some(k8s_openapi::api::core::v1::PodStatus {
            phase: Some("Failed".into()),
            ..Default::default()
        });
        s.update(failed).unwrap();
        assert_eq!(s.pods_on_node("node-1"), 0);
        s.delete::<Pod>("default", "a-0", Propagation::Background, None)
            .unwrap();
        assert_eq!(s.pods_on_node("node-1"), 0);
    }

    #[test]
    fn dependents_index_follows_owner_references() {
        let mut s = Store::default();
        let mut p = pod("x-0");
        p.metadata.owner_references = Some(vec![OwnerReference {
            uid: "owner-1".into(),
            ..Default::default()
        }]);
        s.create(p).unwrap();
        assert_eq!(s.dependents_of("owner-1").len(), 1);
        s.delete::<Pod>("default", "x-0", Propagation::Background, None)
            .unwrap();
        assert!(s.dependents_of("owner-1").is_empty());
    }

    #[test]
    fn parse_ordinal_matches_upstream_regex() {
        assert_eq!(parse_ordinal("web-0"), Some(("web", 0)));
        assert_eq!(parse_ordinal("my-web-12"), Some(("my-web", 12)));
        assert_eq!(parse_ordinal("web"), None);
        assert_eq!(parse_ordinal("web-"), None);
        assert_eq!(parse_ordinal("web-1a"), None);
    }
}
