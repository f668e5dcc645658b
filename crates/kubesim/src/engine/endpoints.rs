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

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use k8s_openapi::api::core::v1::{Endpoints, Node, Pod, Service};
use k8s_openapi::api::discovery::v1::{Endpoint, EndpointPort, EndpointSlice};

use super::store::Key;
use super::{timestamp, Cluster, Kind, Propagation};
use crate::network::dns::{self, CommandOutput, DigContext, Dns, Lookup, RecordType};
use crate::network::endpointslice::{
    endpoints_from, legacy_address_for_pod, make_slice, manages_endpoints, selects_pod,
    slice_endpoint_for_pod, slice_name, LegacyAddress, LABEL_MANAGED_BY, LABEL_SERVICE_NAME,
    LABEL_ZONE, MANAGED_BY_CONTROLLER, MAX_ENDPOINTS_PER_SLICE,
};

/// Name under which the controller is registered.
pub const CONTROLLER_NAME: &str = "endpointslice-controller";
/// Kinds whose writes trigger a pass.
pub const TRIGGERS: [Kind; 3] = [Kind::Pod, Kind::Service, Kind::Node];
/// Namespace DNS questions are asked from (the playground's client pod lives in `default`).
pub const CLIENT_NAMESPACE: &str = "default";

fn managed_by_controller(s: &EndpointSlice) -> bool {
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
    /// Pods whose endpoint needs a slice, placed at the end of the pass.
    unplaced: BTreeSet<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct PodEntry {
    slice: Option<(Vec<EndpointPort>, Endpoint)>,
    legacy: Option<LegacyAddress>,
}

#[derive(Clone, Debug)]
struct SliceState {
    ports: Vec<EndpointPort>,
    pods: BTreeSet<String>,
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
            unplaced: BTreeSet::new(),
        }
    }

    /// Records what pod `name` now contributes; marks what has to be rewritten.
    fn set_pod(&mut self, name: &str, entry: PodEntry) {
        let old = self.pods.get(name).cloned().unwrap_or_default();
        if old == entry {
            return;
        }
        if old.legacy != entry.legacy {
            self.dirty_endpoints = true;
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
                            pods: BTreeSet::new(),
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
            self.slot.insert(name.clone(), i);
            s.pods.insert(name);
        }
    }

    /// Indices of the slices the service should have (the placeholder 0 when empty).
    fn wanted(&self, i: usize) -> bool {
        self.slices.contains_key(&i) || (i == 0 && self.slices.is_empty())
    }

    /// The slice object to store at index `i` (which must be wanted).
    fn slice(&self, i: usize) -> EndpointSlice {
        match self.slices.get(&i) {
            None => make_slice(&self.service, 0, None, Vec::new()),
            Some(s) => make_slice(
                &self.service,
                i,
                Some(s.ports.clone()),
                s.pods
                    .iter()
                    .filter_map(|p| Some(self.pods.get(p)?.slice.as_ref()?.1.clone()))
                    .collect(),
            ),
        }
    }
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
        slice: slice_endpoint_for_pod(service, pod, node),
        legacy: legacy_address_for_pod(service, pod),
    }
}

/// One pass of the EndpointSlice controller: takes in the writes since the last pass and
/// writes what they change (slices of the affected Services, their legacy Endpoints), in
/// the order a full recomputation would: slice creates/updates by Service then slice index,
/// Endpoints creates/updates by Service, then deletions of stale Endpoints and slices.
pub fn reconcile(c: &mut Cluster) {
    let mut cache = std::mem::take(&mut c.endpoints_cache);
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
    for e in &c.store.watch[cache.cursor.min(c.store.watch.len())..] {
        let key = (e.namespace.clone(), e.name.clone());
        match e.kind {
            Kind::Pod => {
                pods.insert(key);
            }
            Kind::Service => {
                services.insert(key);
            }
            Kind::Node => {
                nodes.insert(e.name.clone());
            }
            // Someone else wrote a slice or an Endpoints object: compare it again.
            Kind::EndpointSlice => {
                foreign_slices.insert(key);
            }
            Kind::Endpoints => {
                foreign_endpoints.insert(key);
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
    let mut slice_writes: Vec<EndpointSlice> = Vec::new();
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
        match c.store.get::<EndpointSlice>(&ns, &name).cloned() {
            None => {
                slice.metadata.namespace = Some(ns);
                let _ = c.store.create(slice);
            }
            Some(old) => {
                let mut m = old.clone();
                m.metadata.labels = slice.metadata.labels;
                m.metadata.annotations = slice.metadata.annotations;
                m.metadata.owner_references = slice.metadata.owner_references;
                m.address_type = slice.address_type;
                m.endpoints = slice.endpoints;
                m.ports = slice.ports;
                if m != old {
                    let _ = c.store.update(m);
                }
            }
        }
    }

    // 7. Legacy Endpoints (the endpoints controller), by service.
    for (key, state) in cache.services.iter_mut() {
        if !std::mem::take(&mut state.dirty_endpoints) {
            continue;
        }
        delete_endpoints.remove(key);
        let (ns, name) = key.clone();
        let mut ep = endpoints_from(
            &state.service,
            state.pods.values().filter_map(|e| e.legacy.as_ref()),
        );
        ep.metadata.name = Some(name.clone());
        ep.metadata.namespace = Some(ns.clone());
        match c.store.get::<Endpoints>(&ns, &name).cloned() {
            None => {
                let _ = c.store.create(ep);
            }
            Some(old) => {
                let mut m = old.clone();
                m.metadata.labels = ep.metadata.labels.clone();
                m.subsets = ep.subsets.clone();
                // The trigger-time annotation changes with every write; keep the stored one
                // unless the content changed.
                if m != old {
                    m.metadata.annotations = ep.metadata.annotations.clone();
                    let _ = c.store.update(m);
                }
            }
        }
    }

    // 8. Deletions: Endpoints of no managed service, then managed slices no service wants.
    for (ns, name) in delete_endpoints {
        if cache.services.contains_key(&(ns.clone(), name.clone()))
            || c.store.get::<Endpoints>(&ns, &name).is_none()
        {
            continue;
        }
        let _ = c
            .store
            .delete::<Endpoints>(&ns, &name, Propagation::Background, Some(0));
    }
    for (ns, name) in delete_slices {
        if cache.owned_slices.contains_key(&(ns.clone(), name.clone()))
            || !c
                .store
                .get::<EndpointSlice>(&ns, &name)
                .is_some_and(managed_by_controller)
        {
            continue;
        }
        let _ = c
            .store
            .delete::<EndpointSlice>(&ns, &name, Propagation::Background, Some(0));
    }
    cache.cursor = c.store.watch.len();
}

/// `dig`'s `;; WHEN:` line for a simulated instant, e.g. `Thu Jan 01 00:00:05 UTC 2026`.
pub fn dig_when(ms: u64) -> String {
    let t = timestamp(ms);
    let z = t.0.to_zoned(k8s_openapi::jiff::tz::TimeZone::UTC);
    z.strftime("%a %b %d %H:%M:%S UTC %Y").to_string()
}

impl Cluster {
    /// The stored EndpointSlices of a Service (label `kubernetes.io/service-name`), by name.
    pub fn endpoint_slices<'a>(
        &'a self,
        namespace: &'a str,
        service: &str,
    ) -> Vec<&'a EndpointSlice> {
        self.store
            .list_in::<EndpointSlice>(namespace)
            .filter(|s| {
                s.metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get(LABEL_SERVICE_NAME))
                    .is_some_and(|v| v == service)
            })
            .collect()
    }

    /// The stored legacy Endpoints object of a Service (`kubectl get endpoints <svc>`).
    pub fn endpoints(&self, namespace: &str, service: &str) -> Option<&Endpoints> {
        self.store.get::<Endpoints>(namespace, service)
    }

    /// The cluster DNS (CoreDNS semantics) over the stored Services and EndpointSlices.
    pub fn dns(&self) -> Dns<'_> {
        Dns::new(
            self.store.list::<Service>(),
            self.store.list::<EndpointSlice>(),
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
    pub fn explain_dns(&self, namespace: &str, set: &str) -> Option<String> {
        let s = self
            .store
            .get::<k8s_openapi::api::apps::v1::StatefulSet>(namespace, set)?;
        dns::explain_no_pod_dns(
            s,
            self.store.list_in::<Service>(namespace),
            self.store.list_in::<Pod>(namespace),
        )
    }
}
