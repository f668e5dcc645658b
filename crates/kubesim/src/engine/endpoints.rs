//! The EndpointSlice controller (`endpointslice-controller.k8s.io`) over the store, using
//! [`crate::network::endpointslice`], plus read-only legacy Endpoints and the cluster's DNS
//! (CoreDNS over the stored slices, [`crate::network::dns`]).
//!
//! Registered in [`Cluster::new`] with [`Cluster::register_controller`]: one pass, at the
//! instant of any Pod, Service or Node write, makes the stored slices of every Service with a
//! selector equal to what the controller would write (create / update / delete), and removes
//! managed slices whose Service is gone. The same pass writes the legacy `Endpoints` object
//! (named like the Service; terminating pods dropped, §3.4) and deletes it when the Service
//! or its selector goes away.
//!
//! Passes are incremental, like an informer-driven controller: `EndpointsCache` (a field
//! of the [`Cluster`], cloned with it) holds a cursor into the watch log and, per managed
//! Service, each selected pod's endpoint and the slice it sits in. A pass reads the watch
//! entries since the cursor: a Pod write updates that pod's entry in the managed Services of
//! its namespace; a Service write rebuilds that Service from its namespace's pods; a Node
//! write whose zone label changed rebuilds every Service; a write by someone else to a slice
//! or Endpoints object the controller owns (or should delete) has it compared again. Only
//! slices whose content changed are written, so a pass costs what changed, not the number of
//! pods — except the legacy Endpoints object, which holds every address (up to the cap
//! below) and is rebuilt (only) when one of its addresses changed. The store keeps both
//! kinds as records ([`crate::network::endpoints_record`]) whose endpoints and addresses are
//! `Arc`s shared with this cache: writing a version copies and compares pointers, not the
//! addresses, so that rebuild costs about a pointer per address.
//!
//! Like upstream's endpoints controller (`maxCapacity`, `truncateEndpoints`), the legacy
//! Endpoints object holds at most 1,000 addresses
//! ([`crate::network::endpointslice::MAX_ENDPOINTS_CAPACITY`]): beyond that, ready addresses
//! are kept before not-ready ones, the cap is shared among subsets in proportion to their
//! size, and the object is annotated `endpoints.kubernetes.io/over-capacity: truncated`
//! (removed once back under the cap). Slices are not capped.
//!
//! Slices hold at most [`MAX_ENDPOINTS_PER_SLICE`] endpoints (upstream
//! `--max-endpoints-per-slice`, default 100), one port list per slice; placement follows the
//! upstream reconciler deterministically (see `ServiceState::place`): an endpoint stays in
//! its slice while its port list is unchanged, new endpoints fill slices already being
//! rewritten, then an untouched slice that takes them all, then new slices named
//! `slice_name(service, i)` with the lowest free `i`; emptied slices are deleted, and a
//! Service with no endpoint keeps one empty placeholder slice (index 0). Endpoints inside a
//! slice are listed in pod-name order.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use k8s_openapi::api::core::v1::{EndpointPort as CoreEndpointPort, Endpoints, Node, Pod, Service};
use k8s_openapi::api::discovery::v1::{EndpointPort, EndpointSlice};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::store::Key;
use super::{timestamp, Cluster, Kind, Propagation};
use crate::network::dns::{self, CommandOutput, DigContext, Dns, Lookup, RecordType};
use crate::network::endpointslice::{
    legacy_address_for_pod, legacy_endpoints, manages_endpoints, selects_pod,
    slice_endpoint_for_pod, slice_name, LegacyAddress, ANNOTATION_OVER_CAPACITY, LABEL_MANAGED_BY,
    LABEL_SERVICE_NAME, LABEL_ZONE, MANAGED_BY_CONTROLLER, MAX_ENDPOINTS_PER_SLICE,
};
use crate::network::{
    make_slice_record, EndpointSliceRecord, EndpointsRecord, SharedEndpoint, SortedRuns,
};

/// Name under which the controller is registered.
pub const CONTROLLER_NAME: &str = "endpointslice-controller";
/// Kinds whose writes trigger a pass.
pub const TRIGGERS: [Kind; 3] = [Kind::Pod, Kind::Service, Kind::Node];
/// Namespace DNS questions are asked from (the playground's client pod lives in `default`).
pub const CLIENT_NAMESPACE: &str = "default";

fn managed_by_controller(s: &EndpointSliceRecord) -> bool {
    s.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(LABEL_MANAGED_BY))
        .is_some_and(|v| v == MANAGED_BY_CONTROLLER)
}

/// The controller's informer cache, kept on the [`Cluster`] (plain data, cloned with it for
/// time travel): a cursor into the watch log and, per managed Service, what each selected
/// pod contributes and in which slice its endpoint sits. A pass reads only the watch entries
/// since the cursor, so its cost follows what changed, not the number of pods.
#[derive(Clone, Debug, Default)]
pub(crate) struct EndpointsCache {
    /// Watch-log position up to which writes have been taken into account.
    cursor: usize,
    /// Managed Services (selector, not ExternalName), by (namespace, name).
    services: BTreeMap<Key, ServiceState>,
    /// Names of the managed Services of each namespace.
    by_namespace: BTreeMap<String, BTreeSet<String>>,
    /// Slices the controller wants, (namespace, slice name) -> (service key, slice index).
    owned_slices: BTreeMap<Key, (Key, usize)>,
    /// `topology.kubernetes.io/zone` of each node (endpoints carry it).
    node_zones: BTreeMap<String, Option<String>>,
}

#[derive(Clone, Debug)]
struct ServiceState {
    service: Arc<Service>,
    /// Selected pods' contributions, by pod name (only pods that contribute something).
    pods: BTreeMap<String, PodEntry>,
    /// Slice index -> its ports and the pods whose endpoints it holds.
    slices: BTreeMap<usize, SliceState>,
    /// Pod name -> index of the slice holding its endpoint.
    slot: BTreeMap<String, usize>,
    /// Slices to compare with the store (and write or delete) at the end of the pass.
    dirty_slices: BTreeSet<usize>,
    /// Whether the legacy Endpoints object must be compared and written.
    dirty_endpoints: bool,
    /// Whether an address changed since the last pass (then the object differs from what this
    /// controller last wrote, unless truncation hides the change).
    legacy_changed: bool,
    /// The resourceVersion of the Endpoints object this controller last wrote.
    written: Option<String>,
    /// Pods whose endpoint needs a slice, placed at the end of the pass.
    unplaced: BTreeSet<String>,
    /// The legacy Endpoints content, kept sorted: one group per port list.
    legacy: Vec<LegacyGroup>,
}

/// Addresses sharing a port list (one subset of the legacy Endpoints object), each sorted
/// as upstream sorts them (IP, then target uid; pod name keeps equal keys in pod order).
#[derive(Clone, Debug)]
struct LegacyGroup {
    ports: Vec<CoreEndpointPort>,
    /// Pods in the group: subsets are listed in order of their first pod by name.
    pods: BTreeSet<String>,
    /// Shared with the stored versions of the object, run by run.
    ready: SortedRuns<AddressKey>,
    not_ready: SortedRuns<AddressKey>,
}

type AddressKey = (String, Option<String>, String);

fn address_key(pod: &str, a: &LegacyAddress) -> AddressKey {
    let uid = a.address.target_ref.as_ref().and_then(|r| r.uid.clone());
    (a.address.ip.clone(), uid, pod.to_string())
}

#[derive(Clone, Debug, Default, PartialEq)]
struct PodEntry {
    /// Shared with the stored slice versions.
    slice: Option<(Vec<EndpointPort>, SharedEndpoint)>,
    legacy: Option<LegacyAddress>,
}

#[derive(Clone, Debug)]
struct SliceState {
    ports: Vec<EndpointPort>,
    /// The endpoints it holds, by pod name (the pods' entries' endpoints, shared).
    pods: BTreeMap<String, SharedEndpoint>,
}

impl EndpointsCache {
    /// Watch-log position up to which writes have been taken into account.
    pub(crate) fn cursor(&self) -> usize {
        self.cursor
    }
}

impl ServiceState {
    fn new(service: Arc<Service>) -> Self {
        ServiceState {
            service,
            pods: BTreeMap::new(),
            slices: BTreeMap::new(),
            slot: BTreeMap::new(),
            dirty_slices: BTreeSet::new(),
            dirty_endpoints: true,
            legacy_changed: false,
            written: None,
            unplaced: BTreeSet::new(),
            legacy: Vec::new(),
        }
    }

    fn legacy_remove(&mut self, pod: &str, a: &LegacyAddress) {
        let Some(i) = self.legacy.iter().position(|g| g.ports == a.ports) else {
            return;
        };
        let g = &mut self.legacy[i];
        g.pods.remove(pod);
        let key = address_key(pod, a);
        g.ready.remove(&key);
        g.not_ready.remove(&key);
        if g.pods.is_empty() {
            self.legacy.remove(i);
        }
    }

    fn legacy_add(&mut self, pod: &str, a: &LegacyAddress) {
        let i = match self.legacy.iter().position(|g| g.ports == a.ports) {
            Some(i) => i,
            None => {
                self.legacy.push(LegacyGroup {
                    ports: a.ports.clone(),
                    pods: BTreeSet::new(),
                    ready: SortedRuns::default(),
                    not_ready: SortedRuns::default(),
                });
                self.legacy.len() - 1
            }
        };
        let g = &mut self.legacy[i];
        g.pods.insert(pod.to_string());
        let addresses = if a.ready {
            &mut g.ready
        } else {
            &mut g.not_ready
        };
        addresses.insert(address_key(pod, a), Arc::new(a.address.clone()));
    }

    /// The legacy Endpoints object (as [`crate::network::endpointslice::endpoints_from`]
    /// builds it from the pods' entries, without regrouping or sorting), truncated to the
    /// 1,000-address cap, as stored: the addresses are shared with this cache.
    fn endpoints(&self) -> EndpointsRecord {
        let mut groups: Vec<&LegacyGroup> = self.legacy.iter().collect();
        groups.sort_by(|a, b| a.pods.first().cmp(&b.pods.first()));
        legacy_endpoints(
            &self.service,
            groups
                .into_iter()
                .map(|g| (g.ports.as_slice(), &g.ready, &g.not_ready)),
        )
    }

    /// Records what pod `name` now contributes; marks what has to be rewritten.
    fn set_pod(&mut self, name: &str, entry: PodEntry) {
        let old = self.pods.get(name).cloned().unwrap_or_default();
        if old == entry {
            return;
        }
        if old.legacy != entry.legacy {
            self.dirty_endpoints = true;
            self.legacy_changed = true;
            if let Some(a) = &old.legacy {
                self.legacy_remove(name, a);
            }
            if let Some(a) = &entry.legacy {
                self.legacy_add(name, a);
            }
        }
        if old.slice != entry.slice {
            let same_ports =
                matches!((&old.slice, &entry.slice), (Some((a, _)), Some((b, _))) if a == b);
            if !same_ports {
                self.unplaced.remove(name);
                if let Some(i) = self.slot.remove(name) {
                    self.dirty_slices.insert(i);
                    if let Some(s) = self.slices.get_mut(&i) {
                        s.pods.remove(name);
                        if s.pods.is_empty() {
                            self.slices.remove(&i);
                        }
                    }
                }
                if entry.slice.is_some() {
                    self.unplaced.insert(name.to_string());
                }
            } else if let Some(i) = self.slot.get(name) {
                // Same ports: the endpoint is updated in the slice it is in.
                self.dirty_slices.insert(*i);
                let endpoint = self.slices.get_mut(i).and_then(|s| s.pods.get_mut(name));
                if let (Some(slot), Some((_, e))) = (endpoint, &entry.slice) {
                    *slot = e.clone();
                }
            }
        }
        if entry == PodEntry::default() {
            self.pods.remove(name);
        } else {
            self.pods.insert(name.to_string(), entry);
        }
    }

    /// Places new endpoints as the upstream reconciler does, deterministically: per port
    /// list (in order of the first new pod by name), new endpoints (in pod-name order) first
    /// fill the slices this pass already rewrites (fullest first, then lowest index); what
    /// is left goes, if it fits entirely, into the fullest untouched slice with room (lowest
    /// index on ties), else into new slices numbered with the lowest free index. An endpoint
    /// never moves out of the slice it is in while its port list stays the same, so adding
    /// a pod rewrites one slice.
    fn place(&mut self) {
        let unplaced: Vec<String> = std::mem::take(&mut self.unplaced).into_iter().collect();
        let mut groups: Vec<(Vec<EndpointPort>, Vec<String>)> = Vec::new();
        for name in unplaced {
            let Some((ports, _)) = self.pods.get(&name).and_then(|e| e.slice.as_ref()) else {
                continue;
            };
            match groups.iter_mut().find(|(p, _)| p == ports) {
                Some((_, names)) => names.push(name),
                None => groups.push((ports.clone(), vec![name])),
            }
        }
        for (ports, names) in groups {
            let mut rest = names.into_iter().peekable();
            // 1. Slices already rewritten in this pass, fullest first.
            let mut touched: Vec<(usize, usize)> = self
                .slices
                .iter()
                .filter(|(i, s)| self.dirty_slices.contains(i) && s.ports == ports)
                .map(|(i, s)| (*i, s.pods.len()))
                .filter(|(_, n)| *n < MAX_ENDPOINTS_PER_SLICE)
                .collect();
            touched.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            for (i, _) in touched {
                self.fill(i, &mut rest);
            }
            while rest.peek().is_some() {
                let left = rest.len();
                // 2. One untouched slice that takes all that is left, fullest first.
                let target = if left < MAX_ENDPOINTS_PER_SLICE {
                    self.slices
                        .iter()
                        .filter(|(i, s)| {
                            !self.dirty_slices.contains(i)
                                && s.ports == ports
                                && s.pods.len() + left <= MAX_ENDPOINTS_PER_SLICE
                        })
                        .map(|(i, s)| (*i, s.pods.len()))
                        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                        .map(|(i, _)| i)
                } else {
                    None
                };
                // 3. Else a new slice with the lowest free index.
                let i = target.unwrap_or_else(|| {
                    let i = (0..).find(|i| !self.slices.contains_key(i)).unwrap_or(0);
                    self.slices.insert(
                        i,
                        SliceState {
                            ports: ports.clone(),
                            pods: BTreeMap::new(),
                        },
                    );
                    i
                });
                self.fill(i, &mut rest);
            }
        }
    }

    fn fill(&mut self, i: usize, names: &mut impl Iterator<Item = String>) {
        let Some(s) = self.slices.get_mut(&i) else {
            return;
        };
        self.dirty_slices.insert(i);
        while s.pods.len() < MAX_ENDPOINTS_PER_SLICE {
            let Some(name) = names.next() else { break };
            let Some((_, endpoint)) = self.pods.get(&name).and_then(|e| e.slice.as_ref()) else {
                continue;
            };
            self.slot.insert(name.clone(), i);
            s.pods.insert(name, endpoint.clone());
        }
    }

    /// Indices of the slices the service should have (the placeholder 0 when empty).
    fn wanted(&self, i: usize) -> bool {
        self.slices.contains_key(&i) || (i == 0 && self.slices.is_empty())
    }

    /// The slice object to store at index `i` (which must be wanted), its endpoints shared
    /// with this cache.
    fn slice(&self, i: usize) -> EndpointSliceRecord {
        match self.slices.get(&i) {
            None => make_slice_record(&self.service, 0, None, Vec::new()),
            Some(s) => make_slice_record(
                &self.service,
                i,
                Some(s.ports.clone()),
                s.pods.values().cloned().collect(),
            ),
        }
    }
}

/// The `endpoints.kubernetes.io/over-capacity` annotation of an Endpoints object.
fn over_capacity(meta: &ObjectMeta) -> Option<&str> {
    meta.annotations
        .as_ref()?
        .get(ANNOTATION_OVER_CAPACITY)
        .map(String::as_str)
}

fn node_zone(node: Option<&Node>) -> Option<String> {
    node.and_then(|n| n.metadata.labels.as_ref()?.get(LABEL_ZONE).cloned())
}

/// What `pod` contributes to `service` (nothing when it is gone or not selected).
fn pod_entry(c: &Cluster, service: &Service, pod: Option<&Pod>) -> PodEntry {
    let Some(pod) = pod else {
        return PodEntry::default();
    };
    if !selects_pod(service, pod) {
        return PodEntry::default();
    }
    let node = pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .and_then(|n| c.store.get::<Node>("", n));
    PodEntry {
        slice: slice_endpoint_for_pod(service, pod, node).map(|(p, e)| (p, Arc::new(e))),
        legacy: legacy_address_for_pod(service, pod),
    }
}

/// One pass of the EndpointSlice controller: takes in the writes since the last pass and
/// writes what they change (slices of the affected Services, their legacy Endpoints), in
/// the order a full recomputation would: slice creates/updates by Service then slice index,
/// Endpoints creates/updates by Service, then deletions of stale Endpoints and slices.
pub fn reconcile(c: &mut Cluster) {
    // With incremental controllers off, every pass starts from an empty cache: a full relist.
    let mut cache = std::mem::take(&mut c.endpoints_cache);
    if !c.incremental {
        cache = EndpointsCache::default();
    }
    reconcile_with(c, &mut cache);
    c.endpoints_cache = cache;
}

fn reconcile_with(c: &mut Cluster, cache: &mut EndpointsCache) {
    // 1. What changed since the last pass.
    let mut pods: BTreeSet<Key> = BTreeSet::new();
    let mut services: BTreeSet<Key> = BTreeSet::new();
    let mut nodes: BTreeSet<String> = BTreeSet::new();
    let mut foreign_slices: BTreeSet<Key> = BTreeSet::new();
    let mut foreign_endpoints: BTreeSet<Key> = BTreeSet::new();
    if cache.cursor < c.store.watch_start() {
        // The bounded watch log no longer holds what this cache missed: list everything the
        // controller watches, as an informer relists after "too old resource version".
        let keys = |m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| {
            (
                m.namespace.clone().unwrap_or_default(),
                m.name.clone().unwrap_or_default(),
            )
        };
        services.extend(c.store.list::<Service>().map(|s| keys(&s.metadata)));
        services.extend(cache.services.keys().cloned());
        nodes.extend(c.store.list::<Node>().map(|n| keys(&n.metadata).1));
        foreign_slices.extend(
            c.store
                .list::<EndpointSliceRecord>()
                .map(|s| keys(&s.metadata)),
        );
        foreign_endpoints.extend(c.store.list::<EndpointsRecord>().map(|e| keys(&e.metadata)));
    }
    for e in c.store.watch_since(cache.cursor) {
        let key = || (e.namespace.clone(), e.name.clone());
        match e.kind {
            // Pods matter only where a managed Service is (a Service new in this pass is
            // rebuilt from all its namespace's pods below).
            Kind::Pod
                if cache
                    .by_namespace
                    .get(&e.namespace)
                    .is_some_and(|s| !s.is_empty()) =>
            {
                pods.insert(key());
            }
            Kind::Service => {
                services.insert(key());
            }
            Kind::Node => {
                nodes.insert(e.name.clone());
            }
            // Someone else wrote a slice or an Endpoints object: compare it again.
            Kind::EndpointSlice => {
                foreign_slices.insert(key());
            }
            Kind::Endpoints => {
                foreign_endpoints.insert(key());
            }
            _ => {}
        }
    }
    let mut delete_slices: BTreeSet<Key> = BTreeSet::new();
    let mut delete_endpoints: BTreeSet<Key> = BTreeSet::new();

    // 2. Nodes: a zone change touches every endpoint on the node; rebuild everything then.
    let mut zones_changed = false;
    for n in nodes {
        let zone = node_zone(c.store.get::<Node>("", &n));
        let old = cache.node_zones.get(&n).cloned().flatten();
        if zone != old {
            zones_changed = true;
        }
        if zone.is_some() {
            cache.node_zones.insert(n, zone);
        } else {
            cache.node_zones.remove(&n);
        }
    }
    if zones_changed {
        services.extend(cache.services.keys().cloned());
    }

    // 3. Services: rebuild each changed one from its namespace's pods.
    let mut rebuilt: BTreeSet<Key> = BTreeSet::new();
    for key in services {
        let current = c
            .store
            .get_arc::<Service>(&key.0, &key.1)
            .filter(|s| manages_endpoints(s));
        let old = cache.services.remove(&key);
        let mut state = match (old, current) {
            (old, None) => {
                if let Some(old) = old {
                    for i in old.slices.keys().copied().chain([0]) {
                        let name = slice_name(&old.service, i);
                        cache.owned_slices.remove(&(key.0.clone(), name.clone()));
                        delete_slices.insert((key.0.clone(), name));
                    }
                    delete_endpoints.insert(key.clone());
                }
                if let Some(set) = cache.by_namespace.get_mut(&key.0) {
                    set.remove(&key.1);
                }
                continue;
            }
            // Same slice names: keep the placement.
            (Some(mut old), Some(svc)) if slice_name(&old.service, 0) == slice_name(&svc, 0) => {
                old.service = svc;
                old
            }
            (old, Some(svc)) => {
                if let Some(old) = old {
                    for i in old.slices.keys().copied().chain([0]) {
                        let name = slice_name(&old.service, i);
                        cache.owned_slices.remove(&(key.0.clone(), name.clone()));
                        delete_slices.insert((key.0.clone(), name));
                    }
                }
                ServiceState::new(svc)
            }
        };
        let svc = state.service.clone();
        let mut names: BTreeSet<String> = state.pods.keys().cloned().collect();
        let mut entries: Vec<(String, PodEntry)> = Vec::new();
        for pod in c.store.list_in::<Pod>(&key.0) {
            let name = pod.metadata.name.clone().unwrap_or_default();
            names.remove(&name);
            entries.push((name, pod_entry(c, &svc, Some(pod))));
        }
        for name in names {
            entries.push((name, PodEntry::default()));
        }
        for (name, entry) in entries {
            state.set_pod(&name, entry);
        }
        // Labels, owner, ports may have changed: compare every slice.
        state.dirty_slices.extend(state.slices.keys().copied());
        state.dirty_slices.insert(0);
        state.dirty_endpoints = true;
        cache
            .by_namespace
            .entry(key.0.clone())
            .or_default()
            .insert(key.1.clone());
        cache.services.insert(key.clone(), state);
        rebuilt.insert(key);
    }

    // 4. Pods: update only their entries in the managed services of their namespace.
    for (ns, pod_name) in pods {
        let Some(names) = cache.by_namespace.get(&ns) else {
            continue;
        };
        let pod = c.store.get::<Pod>(&ns, &pod_name);
        for svc_name in names {
            let key = (ns.clone(), svc_name.clone());
            if rebuilt.contains(&key) {
                continue;
            }
            let Some(state) = cache.services.get_mut(&key) else {
                continue;
            };
            let entry = pod_entry(c, &state.service, pod);
            state.set_pod(&pod_name, entry);
        }
    }

    // 5. Writes by others to objects the controller owns (or should delete).
    for key in foreign_slices {
        match cache.owned_slices.get(&key) {
            Some((svc, i)) => {
                if let Some(state) = cache.services.get_mut(svc) {
                    state.dirty_slices.insert(*i);
                }
            }
            None => {
                delete_slices.insert(key);
            }
        }
    }
    for key in foreign_endpoints {
        match cache.services.get_mut(&key) {
            Some(state) => state.dirty_endpoints = true,
            None => {
                delete_endpoints.insert(key);
            }
        }
    }

    // 6. Slice writes, by service then index.
    let mut slice_writes: Vec<EndpointSliceRecord> = Vec::new();
    for (key, state) in cache.services.iter_mut() {
        state.place();
        if state.slices.is_empty() {
            state.dirty_slices.insert(0);
        }
        for i in std::mem::take(&mut state.dirty_slices) {
            let name = slice_name(&state.service, i);
            let skey = (key.0.clone(), name);
            if state.wanted(i) {
                delete_slices.remove(&skey);
                cache.owned_slices.insert(skey, (key.clone(), i));
                slice_writes.push(state.slice(i));
            } else {
                cache.owned_slices.remove(&skey);
                delete_slices.insert(skey);
            }
        }
    }
    for mut slice in slice_writes {
        let ns = slice
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        let name = slice.metadata.name.clone().unwrap_or_default();
        match c.store.get::<EndpointSliceRecord>(&ns, &name) {
            None => {
                slice.metadata.namespace = Some(ns);
                let _ = c.store.create(slice);
            }
            Some(old) => {
                // The stored object with the controller's fields (endpoints compare as
                // pointers where they are the cache's).
                let mut metadata = old.metadata.clone();
                metadata.labels = slice.metadata.labels;
                metadata.annotations = slice.metadata.annotations;
                metadata.owner_references = slice.metadata.owner_references;
                let m = EndpointSliceRecord { metadata, ..slice };
                if m != *old {
                    let _ = c.store.update_differing(m);
                }
            }
        }
    }

    // 7. Legacy Endpoints (the endpoints controller), by service.
    for (key, state) in cache.services.iter_mut() {
        let changed = std::mem::take(&mut state.legacy_changed);
        if !std::mem::take(&mut state.dirty_endpoints) {
            continue;
        }
        delete_endpoints.remove(key);
        let (ns, name) = key.clone();
        let mut ep = state.endpoints();
        ep.metadata.name = Some(name.clone());
        ep.metadata.namespace = Some(ns.clone());
        // The object holds every address (at most 1,000): compare and build it without
        // extra copies — or not compare it at all when it is known to differ: the stored
        // object is the one this controller wrote, an address changed since, and neither is
        // truncated (comparing, here and in the store's no-op check, would only confirm it).
        let known_changed = |old: &EndpointsRecord| {
            changed
                && state.written.is_some()
                && old.metadata.resource_version == state.written
                && over_capacity(&old.metadata).is_none()
                && over_capacity(&ep.metadata).is_none()
        };
        // The stored metadata to update, and whether the content is known to differ.
        let update = match c.store.get::<EndpointsRecord>(&ns, &name) {
            None => None,
            Some(old) if known_changed(old) => Some((old.metadata.clone(), true)),
            // The trigger-time annotation changes with every write; keep the stored one
            // unless the content changed. The over-capacity annotation must appear or
            // disappear with truncation (upstream `capacityAnnotationSetCorrectly`).
            Some(old)
                if old.subsets == ep.subsets
                    && old.metadata.labels == ep.metadata.labels
                    && over_capacity(&old.metadata) == over_capacity(&ep.metadata) =>
            {
                continue;
            }
            Some(old) => Some((old.metadata.clone(), false)),
        };
        match update {
            None => {
                state.written = c
                    .store
                    .create(ep)
                    .ok()
                    .and_then(|e| e.metadata.resource_version.clone());
            }
            Some((mut meta, differs)) => {
                // Other annotations stay (upstream updates a copy of the stored object);
                // the over-capacity one is set or removed.
                let mut annotations = meta.annotations.take().unwrap_or_default();
                match over_capacity(&ep.metadata) {
                    Some(v) => {
                        annotations.insert(ANNOTATION_OVER_CAPACITY.to_string(), v.to_string());
                    }
                    None => {
                        annotations.remove(ANNOTATION_OVER_CAPACITY);
                    }
                }
                meta.annotations = (!annotations.is_empty()).then_some(annotations);
                meta.labels = ep.metadata.labels;
                let new = EndpointsRecord {
                    metadata: meta,
                    subsets: ep.subsets,
                };
                let written = if differs {
                    c.store.update_differing(new)
                } else {
                    c.store.update(new)
                };
                state.written = written
                    .ok()
                    .and_then(|e| e.metadata.resource_version.clone());
            }
        }
    }

    // 8. Deletions: Endpoints of no managed service, then managed slices no service wants.
    for (ns, name) in delete_endpoints {
        if cache.services.contains_key(&(ns.clone(), name.clone()))
            || c.store.get::<EndpointsRecord>(&ns, &name).is_none()
        {
            continue;
        }
        let _ = c
            .store
            .delete::<EndpointsRecord>(&ns, &name, Propagation::Background, Some(0));
    }
    for (ns, name) in delete_slices {
        if cache.owned_slices.contains_key(&(ns.clone(), name.clone()))
            || !c
                .store
                .get::<EndpointSliceRecord>(&ns, &name)
                .is_some_and(managed_by_controller)
        {
            continue;
        }
        let _ = c
            .store
            .delete::<EndpointSliceRecord>(&ns, &name, Propagation::Background, Some(0));
    }
    cache.cursor = c.store.watch_end();
}

/// `dig`'s `;; WHEN:` line for a simulated instant, e.g. `Thu Jan 01 00:00:05 UTC 2026`.
pub fn dig_when(ms: u64) -> String {
    let t = timestamp(ms);
    let z = t.0.to_zoned(k8s_openapi::jiff::tz::TimeZone::UTC);
    z.strftime("%a %b %d %H:%M:%S UTC %Y").to_string()
}

impl Cluster {
    /// The stored EndpointSlices of a Service (label `kubernetes.io/service-name`), by name.
    pub fn endpoint_slices(&self, namespace: &str, service: &str) -> Vec<EndpointSlice> {
        self.store
            .list_in::<EndpointSliceRecord>(namespace)
            .filter(|s| {
                s.metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get(LABEL_SERVICE_NAME))
                    .is_some_and(|v| v == service)
            })
            .map(EndpointSliceRecord::to_slice)
            .collect()
    }

    /// The stored legacy Endpoints object of a Service (`kubectl get endpoints <svc>`).
    pub fn endpoints(&self, namespace: &str, service: &str) -> Option<Endpoints> {
        self.store
            .get::<EndpointsRecord>(namespace, service)
            .map(EndpointsRecord::to_endpoints)
    }

    /// The cluster DNS (CoreDNS semantics) over the stored Services and EndpointSlices.
    pub fn dns(&self) -> Dns<'_> {
        Dns::new(
            self.store.list::<Service>(),
            self.store.list::<EndpointSliceRecord>(),
        )
    }

    /// Resolves a name as a pod in `default` does (search path `default.svc.cluster.local`,
    /// `svc.cluster.local`, `cluster.local`; ndots 5).
    pub fn dns_lookup(&self, name: &str, qtype: RecordType) -> Lookup {
        self.dns().lookup_from_pod(name, qtype, CLIENT_NAMESPACE)
    }

    /// The addresses `name` resolves to (A records) from a pod in `default`.
    pub fn resolve(&self, name: &str) -> Vec<String> {
        self.dns_lookup(name, RecordType::A)
            .answer
            .answers
            .iter()
            .filter_map(|r| match &r.data {
                dns::RData::A(ip) | dns::RData::Aaaa(ip) => Some(ip.clone()),
                _ => None,
            })
            .collect()
    }

    /// `kubectl exec <pod in default> -- nslookup <name>` (busybox-style output).
    pub fn nslookup(&self, name: &str) -> CommandOutput {
        let mut words = name.split_whitespace();
        let mut qtype = None;
        let mut target = "";
        for w in words.by_ref() {
            if let Some(t) = w
                .strip_prefix("-type=")
                .or_else(|| w.strip_prefix("-query="))
            {
                qtype = RecordType::parse(t);
            } else if target.is_empty() {
                target = w;
            }
        }
        dns::nslookup(&self.dns(), target, qtype, CLIENT_NAMESPACE)
    }

    /// `kubectl exec <pod in default> -- dig <args…>`; the `;; WHEN:` line shows the
    /// simulated clock.
    pub fn dig(&self, args: &[&str]) -> CommandOutput {
        let ctx = DigContext {
            when: dig_when(self.now),
            ..Default::default()
        };
        dns::dig(&self.dns(), args, CLIENT_NAMESPACE, &ctx)
    }

    /// Why a StatefulSet's pods have no per-pod DNS names, if they lack them.
    pub fn explain_dns(&self, namespace: &str, set: &str) -> Option<crate::phrase::Phrase> {
        let s = self
            .store
            .get::<k8s_openapi::api::apps::v1::StatefulSet>(namespace, set)?;
        dns::explain_no_pod_dns_phrase(
            s,
            self.store.list_in::<Service>(namespace),
            self.store.list_in::<Pod>(namespace),
        )
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{
        Container, ContainerPort, PodCondition, PodIP, PodSpec, PodStatus, ServicePort, ServiceSpec,
    };
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

    use super::*;
    use crate::engine::rng::SplitMix64;
    use crate::engine::store::{WatchEntry, WatchEventType};
    use crate::engine::ClusterConfig;
    use crate::network::endpointslice::{
        endpoint_slices_for, endpoints_for, truncated_counts, MAX_ENDPOINTS_CAPACITY,
    };
    use crate::network::SharedAddress;

    fn service(name: &str) -> Service {
        Service {
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: Some("default".into()),
                ..Default::default()
            },
            spec: Some(ServiceSpec {
                cluster_ip: Some("None".into()),
                selector: Some([("app".to_string(), name.to_string())].into()),
                ports: Some(vec![ServicePort {
                    name: Some("web".into()),
                    port: 80,
                    target_port: Some(IntOrString::String("http".into())),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            status: None,
        }
    }

    /// A running pod of `app` on node-1 with IP 10.1.x.y and container port `http` = `port`.
    fn pod(name: &str, app: &str, n: usize, ready: bool, port: i32) -> Pod {
        let ip = format!("10.1.{}.{}", n / 250, n % 250 + 1);
        Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: Some("default".into()),
                labels: Some([("app".to_string(), app.to_string())].into()),
                ..Default::default()
            },
            spec: Some(PodSpec {
                node_name: Some("node-1".into()),
                containers: vec![Container {
                    name: "c".into(),
                    ports: Some(vec![ContainerPort {
                        name: Some("http".into()),
                        container_port: port,
                        ..Default::default()
                    }]),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            status: Some(PodStatus {
                phase: Some("Running".into()),
                pod_ip: Some(ip.clone()),
                pod_ips: Some(vec![PodIP { ip }]),
                conditions: Some(vec![PodCondition {
                    type_: "Ready".into(),
                    status: if ready { "True" } else { "False" }.into(),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
        }
    }

    fn cluster_with(pods: usize) -> Cluster {
        let mut c = Cluster::new(ClusterConfig::default());
        c.store.create(service("web")).unwrap();
        for i in 0..pods {
            c.store
                .create(pod(&format!("web-{i:03}"), "web", i, true, 8080))
                .unwrap();
        }
        reconcile(&mut c);
        c
    }

    fn slices(c: &Cluster) -> Vec<EndpointSlice> {
        c.endpoint_slices("default", "web")
    }

    /// Controller writes (slices and Endpoints) in the watch log from `cursor` on.
    fn writes_since(c: &Cluster, cursor: usize) -> Vec<&WatchEntry> {
        c.watch_since(cursor)
            .iter()
            .filter(|e| matches!(e.kind, Kind::EndpointSlice | Kind::Endpoints))
            .collect()
    }

    fn endpoint_names(s: &EndpointSlice) -> Vec<String> {
        s.endpoints
            .iter()
            .filter_map(|e| e.target_ref.as_ref()?.name.clone())
            .collect()
    }

    #[test]
    fn a_service_with_250_pods_gets_three_slices_of_at_most_100() {
        let c = cluster_with(250);
        let s = slices(&c);
        assert_eq!(s.len(), 3);
        let mut sizes: Vec<usize> = s.iter().map(|s| s.endpoints.len()).collect();
        sizes.sort();
        assert_eq!(sizes, [50, 100, 100]);
        let mut all: Vec<String> = s.iter().flat_map(endpoint_names).collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 250);
        // Deterministic names: slice_name(service, 0..3).
        let svc = c.store.get::<Service>("default", "web").unwrap();
        let mut names: Vec<String> = s.iter().filter_map(|s| s.metadata.name.clone()).collect();
        let mut expected: Vec<String> = (0..3).map(|i| slice_name(svc, i)).collect();
        names.sort();
        expected.sort();
        assert_eq!(names, expected);
        // The legacy Endpoints object lists every address.
        let ep = c.endpoints("default", "web").unwrap();
        let subsets = ep.subsets.as_ref().unwrap();
        assert_eq!(subsets[0].addresses.as_ref().unwrap().len(), 250);
    }

    #[test]
    fn adding_one_pod_rewrites_only_the_slice_it_lands_in() {
        let mut c = cluster_with(250);
        let svc = c.store.get::<Service>("default", "web").unwrap().clone();
        let third = slice_name(&svc, 2);
        let cursor = c.watch_end();
        c.store
            .create(pod("web-250", "web", 250, true, 8080))
            .unwrap();
        let after_create = c.watch_end();
        reconcile(&mut c);
        let w = writes_since(&c, after_create);
        let slice_writes: Vec<&str> = w
            .iter()
            .filter(|e| e.kind == Kind::EndpointSlice)
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(slice_writes, [third.as_str()]);
        assert_eq!(w.len(), 2, "one slice and the Endpoints object");
        assert!(w.iter().all(|e| e.event == WatchEventType::Modified));
        assert!(cursor < after_create);
        // A readiness change of a pod in the first slice rewrites only that slice.
        let mut p = c.store.get::<Pod>("default", "web-007").unwrap().clone();
        p.status.as_mut().unwrap().conditions.as_mut().unwrap()[0].status = "False".into();
        c.store.update(p).unwrap();
        let cursor = c.watch_end();
        reconcile(&mut c);
        let slice_writes: Vec<String> = writes_since(&c, cursor)
            .iter()
            .filter(|e| e.kind == Kind::EndpointSlice)
            .map(|e| e.name.clone())
            .collect();
        assert_eq!(slice_writes, [slice_name(&svc, 0)]);
    }

    #[test]
    fn a_pass_with_no_pod_changes_writes_nothing() {
        let mut c = cluster_with(120);
        let cursor = c.watch_end();
        reconcile(&mut c);
        assert_eq!(c.watch_end(), cursor);
        // A pod write that changes nothing the endpoints show (an annotation) writes nothing.
        let mut p = c.store.get::<Pod>("default", "web-003").unwrap().clone();
        p.metadata.annotations = Some([("a".to_string(), "b".to_string())].into());
        c.store.update(p).unwrap();
        let cursor = c.watch_end();
        reconcile(&mut c);
        assert!(writes_since(&c, cursor).is_empty());
        // Nor does a pod another service would select.
        c.store
            .create(pod("other-0", "other", 500, true, 8080))
            .unwrap();
        let cursor = c.watch_end();
        reconcile(&mut c);
        assert!(writes_since(&c, cursor).is_empty());
    }

    #[test]
    fn dns_answers_with_every_address_across_slices() {
        let c = cluster_with(250);
        assert_eq!(slices(&c).len(), 3);
        let mut got = c.resolve("web.default.svc.cluster.local");
        got.sort();
        let mut want: Vec<String> = (0..250)
            .map(|n| format!("10.1.{}.{}", n / 250, n % 250 + 1))
            .collect();
        want.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn emptying_a_slice_deletes_it_and_an_empty_service_keeps_the_placeholder() {
        let mut c = cluster_with(150);
        let svc = c.store.get::<Service>("default", "web").unwrap().clone();
        let delete = |c: &mut Cluster, pods: std::ops::Range<usize>| {
            for i in pods {
                c.store
                    .delete::<Pod>(
                        "default",
                        &format!("web-{i:03}"),
                        Propagation::Background,
                        Some(0),
                    )
                    .unwrap();
            }
        };
        delete(&mut c, 100..150);
        reconcile(&mut c);
        let s = slices(&c);
        assert_eq!(s.len(), 1);
        assert_eq!(
            s[0].metadata.name.as_deref(),
            Some(slice_name(&svc, 0).as_str())
        );
        delete(&mut c, 0..100);
        reconcile(&mut c);
        let s = slices(&c);
        assert_eq!(s.len(), 1);
        assert!(s[0].endpoints.is_empty() && s[0].ports.is_none());
    }

    /// The endpoints the stored slices hold, as (ports, endpoint) sorted by pod name.
    fn stored_endpoints(
        slices: &[EndpointSlice],
    ) -> Vec<(Vec<EndpointPort>, k8s_openapi::api::discovery::v1::Endpoint)> {
        let mut v: Vec<(Vec<EndpointPort>, k8s_openapi::api::discovery::v1::Endpoint)> = slices
            .iter()
            .flat_map(|s| {
                s.endpoints
                    .iter()
                    .map(|e| (s.ports.clone().unwrap_or_default(), e.clone()))
            })
            .collect();
        v.sort_by(|a, b| {
            let name = |e: &k8s_openapi::api::discovery::v1::Endpoint| {
                e.target_ref.as_ref().and_then(|r| r.name.clone())
            };
            name(&a.1).cmp(&name(&b.1))
        });
        v
    }

    #[test]
    fn incremental_passes_match_a_from_scratch_recomputation() {
        check_incremental_against_scratch(cluster_with(0), 7, 700, 260);
    }

    #[test]
    fn incremental_passes_match_from_scratch_across_the_endpoints_cap() {
        // 1,010 pods (two port lists, some not ready), then random changes over 1,040 pods:
        // the legacy Endpoints object goes over and back under 1,000 addresses.
        let mut c = cluster_with(0);
        for i in 0..1010 {
            let port = if i % 4 == 0 { 9090 } else { 8080 };
            c.store
                .create(pod(&format!("web-{i:03}"), "web", i, i % 3 != 0, port))
                .unwrap();
        }
        reconcile(&mut c);
        let (over, under) = check_incremental_against_scratch(c, 11, 300, 1040);
        assert!(over && under, "the sequence crosses the cap both ways");
    }

    /// Random pod changes (`steps` of them over pods `web-0..pods`), checking every few
    /// steps that the controller's slices and Endpoints equal a from-scratch computation.
    /// Returns whether the Endpoints object was seen over and under the cap.
    fn check_incremental_against_scratch(
        mut c: Cluster,
        seed: u64,
        steps: usize,
        pods: u64,
    ) -> (bool, bool) {
        let mut rng = SplitMix64::new(seed);
        let (mut over, mut under) = (false, false);
        for step in 0..steps {
            let n = rng.below(pods) as usize;
            let name = format!("web-{n:03}");
            let existing = c.store.get::<Pod>("default", &name).cloned();
            match (rng.below(6), existing) {
                (_, None) => {
                    let port = if rng.below(4) == 0 { 9090 } else { 8080 };
                    let ready = rng.below(2) == 0;
                    c.store.create(pod(&name, "web", n, ready, port)).unwrap();
                }
                (0, Some(_)) => {
                    let _ =
                        c.store
                            .delete::<Pod>("default", &name, Propagation::Background, Some(0));
                }
                (1, Some(_)) => {
                    // Graceful delete: the pod stays, terminating.
                    let _ = c
                        .store
                        .delete::<Pod>("default", &name, Propagation::Background, None);
                }
                (2, Some(mut p)) => {
                    let app = if p.metadata.labels.as_ref().unwrap()["app"] == "web" {
                        "other"
                    } else {
                        "web"
                    };
                    p.metadata.labels = Some([("app".to_string(), app.to_string())].into());
                    c.store.update(p).unwrap();
                }
                (3, Some(mut p)) => {
                    let port = &mut p.spec.as_mut().unwrap().containers[0]
                        .ports
                        .as_mut()
                        .unwrap()[0]
                        .container_port;
                    *port = if *port == 8080 { 9090 } else { 8080 };
                    c.store.update(p).unwrap();
                }
                (_, Some(mut p)) => {
                    let cond = &mut p.status.as_mut().unwrap().conditions.as_mut().unwrap()[0];
                    cond.status = if cond.status == "True" {
                        "False"
                    } else {
                        "True"
                    }
                    .into();
                    c.store.update(p).unwrap();
                }
            }
            if rng.below(5) != 0 {
                continue;
            }
            reconcile(&mut c);
            let svc = c.store.get::<Service>("default", "web").unwrap().clone();
            let pods: Vec<&Pod> = c.store.list_in::<Pod>("default").collect();
            let nodes: Vec<&Node> = c.store.list::<Node>().collect();
            let scratch = endpoint_slices_for(&svc, pods.iter().copied(), nodes);
            let stored = slices(&c);
            assert_eq!(
                stored_endpoints(&stored),
                stored_endpoints(&scratch),
                "step {step}"
            );
            for s in &stored {
                assert!(s.endpoints.len() <= MAX_ENDPOINTS_PER_SLICE, "step {step}");
                assert!(
                    !s.endpoints.is_empty() || stored.len() == 1,
                    "only the placeholder is empty (step {step})"
                );
            }
            let want = endpoints_for(&svc, pods.iter().copied()).unwrap();
            let got = c.endpoints("default", "web").unwrap();
            assert_eq!(got.subsets, want.subsets, "step {step}");
            assert_eq!(
                over_capacity(&got.metadata),
                over_capacity(&want.metadata),
                "step {step}"
            );
            assert!(address_count(&got) <= MAX_ENDPOINTS_CAPACITY, "step {step}");
            match over_capacity(&got.metadata) {
                Some(_) => over = true,
                None => under = true,
            }
            // A cluster whose controller starts from scratch agrees on every endpoint.
            let mut fresh = c.clone();
            fresh.endpoints_cache = EndpointsCache::default();
            reconcile(&mut fresh);
            assert_eq!(
                stored_endpoints(&slices(&fresh)),
                stored_endpoints(&stored),
                "step {step}"
            );
        }
        let stored = slices(&c);
        assert!(stored.len() > 1, "the sequence reaches several slices");
        (over, under)
    }

    fn address_count(ep: &Endpoints) -> usize {
        ep.subsets
            .iter()
            .flatten()
            .map(|s| {
                s.addresses.as_ref().map_or(0, Vec::len)
                    + s.not_ready_addresses.as_ref().map_or(0, Vec::len)
            })
            .sum()
    }

    fn ips(addresses: Option<&Vec<k8s_openapi::api::core::v1::EndpointAddress>>) -> Vec<String> {
        addresses
            .into_iter()
            .flatten()
            .map(|a| a.ip.clone())
            .collect()
    }

    /// The IPs of pods `n` in `range` (as `pod` numbers them), in upstream order (as
    /// strings, `10.1.0.10` before `10.1.0.2`).
    fn sorted_ips(range: impl IntoIterator<Item = usize>) -> Vec<String> {
        let mut v: Vec<String> = range
            .into_iter()
            .map(|n| format!("10.1.{}.{}", n / 250, n % 250 + 1))
            .collect();
        v.sort();
        v
    }

    fn set_ready(c: &mut Cluster, name: &str, ready: bool) {
        let mut p = c.store.get::<Pod>("default", name).unwrap().clone();
        p.status.as_mut().unwrap().conditions.as_mut().unwrap()[0].status =
            if ready { "True" } else { "False" }.into();
        c.store.update(p).unwrap();
    }

    /// A pod change writes new versions of its slice and of the Endpoints object that share
    /// every unchanged address with the previous versions (a version costs pointers, not
    /// copies: the rollout stays linear with a Service), and they read as before.
    #[test]
    fn new_versions_share_the_unchanged_addresses_with_the_old_ones() {
        let mut c = cluster_with(50);
        let ep_before = c
            .store
            .get_arc::<EndpointsRecord>("default", "web")
            .unwrap();
        let slice_name = slices(&c)[0].metadata.name.clone().unwrap();
        let slice_before = c
            .store
            .get_arc::<EndpointSliceRecord>("default", &slice_name)
            .unwrap();
        set_ready(&mut c, "web-007", false);
        reconcile(&mut c);
        let ep_after = c
            .store
            .get_arc::<EndpointsRecord>("default", "web")
            .unwrap();
        let slice_after = c
            .store
            .get_arc::<EndpointSliceRecord>("default", &slice_name)
            .unwrap();
        assert_ne!(
            ep_before.metadata.resource_version,
            ep_after.metadata.resource_version
        );
        assert_ne!(
            slice_before.metadata.resource_version,
            slice_after.metadata.resource_version
        );
        let addresses = |e: &EndpointsRecord| -> Vec<SharedAddress> {
            e.subsets
                .iter()
                .flatten()
                .flat_map(|s| s.addresses.iter().chain(&s.not_ready_addresses).flatten())
                .cloned()
                .collect()
        };
        let (old, new) = (addresses(&ep_before), addresses(&ep_after));
        assert_eq!((old.len(), new.len()), (50, 50));
        let shared = new
            .iter()
            .filter(|a| old.iter().any(|o| Arc::ptr_eq(a, o)))
            .count();
        assert_eq!(shared, 49, "only web-007's address is new");
        let shared = slice_after
            .endpoints
            .iter()
            .filter(|e| slice_before.endpoints.iter().any(|o| Arc::ptr_eq(e, o)))
            .count();
        assert_eq!(shared, 49, "only web-007's endpoint is new");
        // Read back as API objects, the change is there.
        let ep = c.endpoints("default", "web").unwrap();
        let subset = &ep.subsets.as_ref().unwrap()[0];
        assert_eq!(subset.addresses.as_ref().unwrap().len(), 49);
        assert_eq!(subset.not_ready_addresses.as_ref().unwrap().len(), 1);
    }

    #[test]
    fn endpoints_over_1000_addresses_are_truncated_and_annotated() {
        let c = cluster_with(1005);
        let ep = c.endpoints("default", "web").unwrap();
        assert_eq!(over_capacity(&ep.metadata), Some("truncated"));
        let subsets = ep.subsets.as_ref().unwrap();
        assert_eq!(subsets.len(), 1);
        // The first 1,000 addresses in upstream (IP) order are kept.
        let mut want = sorted_ips(0..1005);
        want.truncate(MAX_ENDPOINTS_CAPACITY);
        assert_eq!(ips(subsets[0].addresses.as_ref()), want);
        assert!(subsets[0].not_ready_addresses.is_none());
        // The slices are not capped: they hold every endpoint.
        let all: usize = slices(&c).iter().map(|s| s.endpoints.len()).sum();
        assert_eq!(all, 1005);
        // Exactly at the cap nothing is cut and there is no annotation.
        let c = cluster_with(1000);
        let ep = c.endpoints("default", "web").unwrap();
        assert_eq!(over_capacity(&ep.metadata), None);
        assert_eq!(address_count(&ep), 1000);
    }

    #[test]
    fn truncation_keeps_ready_before_not_ready() {
        // 990 ready + 20 not ready: every ready address, and the first 10 not-ready ones.
        let mut c = cluster_with(1010);
        for n in 990..1010 {
            set_ready(&mut c, &format!("web-{n:03}"), false);
        }
        reconcile(&mut c);
        let ep = c.endpoints("default", "web").unwrap();
        assert_eq!(over_capacity(&ep.metadata), Some("truncated"));
        let s = &ep.subsets.as_ref().unwrap()[0];
        assert_eq!(ips(s.addresses.as_ref()), sorted_ips(0..990));
        let mut want = sorted_ips(990..1010);
        want.truncate(10);
        assert_eq!(ips(s.not_ready_addresses.as_ref()), want);
        // 1,002 ready + 8 not ready: more ready addresses than the cap, no not-ready one.
        for n in 990..1002 {
            set_ready(&mut c, &format!("web-{n:03}"), true);
        }
        reconcile(&mut c);
        let ep = c.endpoints("default", "web").unwrap();
        let s = &ep.subsets.as_ref().unwrap()[0];
        let mut want = sorted_ips(0..1002);
        want.truncate(MAX_ENDPOINTS_CAPACITY);
        assert_eq!(ips(s.addresses.as_ref()), want);
        assert!(s.not_ready_addresses.is_none());
        assert_eq!(over_capacity(&ep.metadata), Some("truncated"));
    }

    #[test]
    fn truncation_shares_the_cap_among_subsets_in_proportion() {
        // 700 pods on port 8080 and 500 on 9090: two subsets, 1,200 ready addresses.
        let mut c = Cluster::new(ClusterConfig::default());
        c.store.create(service("web")).unwrap();
        for n in 0..1200 {
            let port = if n < 700 { 8080 } else { 9090 };
            c.store
                .create(pod(&format!("web-{n:04}"), "web", n, true, port))
                .unwrap();
        }
        reconcile(&mut c);
        let ep = c.endpoints("default", "web").unwrap();
        assert_eq!(over_capacity(&ep.metadata), Some("truncated"));
        let subsets = ep.subsets.as_ref().unwrap();
        assert_eq!(subsets.len(), 2);
        // ceil(700 / 1200 * 1000) = 584, then ceil(500 / 1200 * 1000) = 417 bounded by
        // the 416 left.
        assert_eq!(subsets[0].ports.as_ref().unwrap()[0].port, 8080);
        let mut first = sorted_ips(0..700);
        first.truncate(584);
        assert_eq!(ips(subsets[0].addresses.as_ref()), first);
        let mut second = sorted_ips(700..1200);
        second.truncate(416);
        assert_eq!(ips(subsets[1].addresses.as_ref()), second);
        // Not-ready addresses are shared the same way once the ready ones fit:
        // (ready, not ready) = (400, 300) and (500, 100) leave 100 for 400 not-ready ones.
        assert_eq!(
            truncated_counts(&[(400, 300), (500, 100)]),
            Some(vec![(400, 75), (500, 25)])
        );
        // Ready ones over the cap drop every not-ready address, even in a subset of them.
        assert_eq!(
            truncated_counts(&[(0, 5), (1001, 0)]),
            Some(vec![(0, 0), (1000, 0)])
        );
        assert_eq!(truncated_counts(&[(600, 0), (0, 400)]), None);
    }

    #[test]
    fn dropping_back_under_capacity_removes_the_annotation() {
        let mut c = cluster_with(1001);
        let ep = c.endpoints("default", "web").unwrap();
        assert_eq!(over_capacity(&ep.metadata), Some("truncated"));
        // Someone else's annotation on the object is kept by the controller's writes.
        let mut ep = ep.clone();
        ep.metadata
            .annotations
            .as_mut()
            .unwrap()
            .insert("note".into(), "mine".into());
        c.store.update(EndpointsRecord::from(ep)).unwrap();
        let cursor = c.watch_log().len();
        reconcile(&mut c);
        assert!(writes_since(&c, cursor).is_empty(), "nothing to change");
        let kept = c.endpoints("default", "web").unwrap().subsets.clone();
        // web-1000 (10.1.4.1) is the address cut: deleting it leaves the same subsets, but
        // the object is no longer over capacity, so it is written without the annotation.
        c.store
            .delete::<Pod>("default", "web-1000", Propagation::Background, Some(0))
            .unwrap();
        let cursor = c.watch_log().len();
        reconcile(&mut c);
        let w = writes_since(&c, cursor);
        assert_eq!(w.iter().filter(|e| e.kind == Kind::Endpoints).count(), 1);
        let ep = c.endpoints("default", "web").unwrap();
        assert_eq!(ep.subsets, kept);
        assert_eq!(over_capacity(&ep.metadata), None);
        assert_eq!(
            ep.metadata.annotations,
            Some([("note".to_string(), "mine".to_string())].into())
        );
        // Going over again brings the annotation back.
        c.store
            .create(pod("web-1000", "web", 1000, true, 8080))
            .unwrap();
        reconcile(&mut c);
        let ep = c.endpoints("default", "web").unwrap();
        assert_eq!(over_capacity(&ep.metadata), Some("truncated"));
        assert_eq!(ep.subsets, kept);
        assert_eq!(ep.metadata.annotations.as_ref().unwrap()["note"], "mine");
    }
}
