//! What the EndpointSlice controller (`k8s.io/endpointslice/utils.go`, `reconciler.go`) and
//! the legacy Endpoints controller (`pkg/controller/endpoint/endpoints_controller.go`) write
//! for a Service, as pure functions of the Service, its namespace's pods and the nodes.
//!
//! Deterministic choices (upstream is random or informer-ordered):
//! * slice names: `generateName` `<svc>-` (base cut to 58 characters) plus a 5-character
//!   suffix from the apimachinery random alphabet `bcdfghjklmnpqrstvwxz2456789`, derived by
//!   FNV-1a from the service UID (or `namespace/name` when the UID is empty) — see
//!   [`slice_name`];
//! * endpoints are listed in pod-name order; legacy addresses in IP order (as upstream sorts);
//! * from scratch, each port group is cut into slices of [`MAX_ENDPOINTS_PER_SLICE`] in
//!   pod-name order ([`endpoint_slices_for`]); the controller places endpoints incrementally
//!   (see [`crate::engine::endpoints`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{
    EndpointAddress, EndpointPort as CoreEndpointPort, Endpoints, Node, ObjectReference, Pod,
    Service, ServicePort,
};
use k8s_openapi::api::discovery::v1::{Endpoint, EndpointConditions, EndpointPort, EndpointSlice};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::endpoints_record::{
    AddressRuns, EndpointSliceRecord, EndpointsRecord, SharedAddress, SharedEndpoint, SubsetRecord,
};
use crate::validation::selector_matches;

pub const LABEL_SERVICE_NAME: &str = "kubernetes.io/service-name";
pub const LABEL_MANAGED_BY: &str = "endpointslice.kubernetes.io/managed-by";
pub const MANAGED_BY_CONTROLLER: &str = "endpointslice-controller.k8s.io";
pub const LABEL_HEADLESS: &str = "service.kubernetes.io/headless";
pub const LABEL_ZONE: &str = "topology.kubernetes.io/zone";

/// `--max-endpoints-per-slice` (kube-controller-manager default).
pub const MAX_ENDPOINTS_PER_SLICE: usize = 100;

const RANDOM_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Appends the stable 5-character suffix for a seed, in the alphabet of `utilrand.String`.
fn push_stable_suffix(out: &mut String, seed: &str) {
    let mut h = fnv1a(seed);
    for _ in 0..5 {
        out.push(RANDOM_ALPHABET[(h % RANDOM_ALPHABET.len() as u64) as usize] as char);
        h /= RANDOM_ALPHABET.len() as u64;
    }
}

fn svc_name(service: &Service) -> &str {
    service.metadata.name.as_deref().unwrap_or("")
}

fn svc_namespace(service: &Service) -> &str {
    service.metadata.namespace.as_deref().unwrap_or("default")
}

/// Name of the `index`-th slice of a service: `<svc>-<suffix>` with the generateName base
/// cut to 58 characters as `SimpleNameGenerator` does.
pub fn slice_name(service: &Service, index: usize) -> String {
    // (Written without the formatter: the endpointslice controller names a slice on every
    // pass that changes it.)
    let mut name = String::with_capacity(64);
    name.push_str(svc_name(service));
    name.push('-');
    if name.len() > 58 {
        name.truncate(58);
    }
    let uid = service.metadata.uid.as_deref().unwrap_or("");
    if uid.is_empty() || index > 0 {
        let mut seed = if uid.is_empty() {
            format!("{}/{}", svc_namespace(service), svc_name(service))
        } else {
            uid.to_string()
        };
        if index > 0 {
            seed.push('#');
            seed.push_str(&index.to_string());
        }
        push_stable_suffix(&mut name, &seed);
    } else {
        push_stable_suffix(&mut name, uid);
    }
    name
}

/// `clusterIP: None`.
pub fn is_headless(service: &Service) -> bool {
    service.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()) == Some("None")
}

/// `helper.IsServiceIPSet`: a cluster IP other than "" and "None" is set. Both controllers
/// add the `service.kubernetes.io/headless` label when it is not.
pub fn is_service_ip_set(service: &Service) -> bool {
    let ip = service
        .spec
        .as_ref()
        .and_then(|s| s.cluster_ip.as_deref())
        .unwrap_or("");
    !ip.is_empty() && ip != "None"
}

/// `podutil.IsPodReady`: condition `Ready` is `True`.
pub fn is_pod_ready(pod: &Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

fn is_terminal(pod: &Pod) -> bool {
    matches!(
        pod.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded") | Some("Failed")
    )
}

/// The pod's IPs (status.podIPs, else status.podIP).
pub fn pod_ips(pod: &Pod) -> Vec<String> {
    let Some(status) = pod.status.as_ref() else {
        return Vec::new();
    };
    let mut ips: Vec<String> = status
        .pod_ips
        .iter()
        .flatten()
        .map(|p| p.ip.clone())
        .filter(|ip| !ip.is_empty())
        .collect();
    if ips.is_empty() {
        if let Some(ip) = status.pod_ip.as_ref().filter(|ip| !ip.is_empty()) {
            ips.push(ip.clone());
        }
    }
    ips
}

/// `ShouldPodBeInEndpoints`: not Succeeded/Failed, has an IP, and (unless
/// `include_terminating`) not being deleted.
pub fn should_pod_be_in_endpoints(pod: &Pod, include_terminating: bool) -> bool {
    !is_terminal(pod)
        && !pod_ips(pod).is_empty()
        && (include_terminating || pod.metadata.deletion_timestamp.is_none())
}

/// `ShouldSetHostname`: the pod has `spec.hostname`, its `spec.subdomain` equals the
/// service name, and both are in the same namespace.
pub fn should_set_hostname(pod: &Pod, service: &Service) -> bool {
    let Some(spec) = pod.spec.as_ref() else {
        return false;
    };
    !spec.hostname.as_deref().unwrap_or("").is_empty()
        && spec.subdomain.as_deref() == Some(svc_name(service))
        && pod.metadata.namespace.as_deref().unwrap_or("default") == svc_namespace(service)
}

/// Whether the controllers manage the service's endpoints: it has a non-empty selector and
/// is not ExternalName.
pub fn manages_endpoints(service: &Service) -> bool {
    service.spec.as_ref().is_some_and(|spec| {
        spec.type_.as_deref() != Some("ExternalName")
            && spec.selector.as_ref().is_some_and(|s| !s.is_empty())
    })
}

/// Does the (managed) service select this pod: same namespace, selector matches its labels.
pub fn selects_pod(service: &Service, pod: &Pod) -> bool {
    if !manages_endpoints(service)
        || pod.metadata.namespace.as_deref().unwrap_or("default") != svc_namespace(service)
    {
        return false;
    }
    let Some(selector) = service.spec.as_ref().and_then(|s| s.selector.as_ref()) else {
        return false;
    };
    let empty = BTreeMap::new();
    let labels = pod.metadata.labels.as_ref().unwrap_or(&empty);
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// Pods the service selects: same namespace, non-empty selector matching the pod labels.
/// Services without a selector (or ExternalName services) select nothing: their endpoints
/// are not managed by the controllers.
pub fn selected_pods<'a>(
    service: &Service,
    pods: impl IntoIterator<Item = &'a Pod>,
) -> Vec<&'a Pod> {
    let Some(spec) = service.spec.as_ref() else {
        return Vec::new();
    };
    if spec.type_.as_deref() == Some("ExternalName") {
        return Vec::new();
    }
    let Some(selector) = spec.selector.as_ref().filter(|s| !s.is_empty()) else {
        return Vec::new();
    };
    let empty = BTreeMap::new();
    let mut out: Vec<&Pod> = pods
        .into_iter()
        .filter(|p| p.metadata.namespace.as_deref().unwrap_or("default") == svc_namespace(service))
        .filter(|p| {
            let labels = p.metadata.labels.as_ref().unwrap_or(&empty);
            selector.iter().all(|(k, v)| labels.get(k) == Some(v))
        })
        .collect();
    out.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    out
}

/// Does the service select pods with these labels? (equality selector, as Services use)
pub fn service_selects(service: &Service, labels: &BTreeMap<String, String>) -> bool {
    let Some(selector) = service
        .spec
        .as_ref()
        .and_then(|s| s.selector.as_ref())
        .filter(|s| !s.is_empty())
    else {
        return false;
    };
    let sel = k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector {
        match_labels: Some(selector.clone()),
        match_expressions: None,
    };
    selector_matches(&sel, labels)
}

/// `podutil.FindPort`: a numeric targetPort as is (absent = the service port); a named one
/// looked up among the pod's container (and restartable init container) ports with the same
/// protocol. `None` when the name is not found.
pub fn find_port(pod: &Pod, service_port: &ServicePort) -> Option<i32> {
    match service_port.target_port.as_ref() {
        None => Some(service_port.port),
        Some(IntOrString::Int(0)) => Some(service_port.port),
        Some(IntOrString::Int(n)) => Some(*n),
        Some(IntOrString::String(name)) => {
            let protocol = service_port.protocol.as_deref().unwrap_or("TCP");
            let spec = pod.spec.as_ref()?;
            let sidecars = spec
                .init_containers
                .iter()
                .flatten()
                .filter(|c| c.restart_policy.as_deref() == Some("Always"));
            spec.containers
                .iter()
                .chain(sidecars)
                .flat_map(|c| c.ports.iter().flatten())
                .find(|p| {
                    p.name.as_deref() == Some(name.as_str())
                        && p.protocol.as_deref().unwrap_or("TCP") == protocol
                })
                .map(|p| p.container_port)
        }
    }
}

fn pod_ref(pod: &Pod) -> ObjectReference {
    ObjectReference {
        kind: Some("Pod".into()),
        namespace: pod.metadata.namespace.clone(),
        name: pod.metadata.name.clone(),
        uid: pod.metadata.uid.clone(),
        ..Default::default()
    }
}

fn address_type(service: &Service) -> &'static str {
    let ipv6 = service
        .spec
        .as_ref()
        .and_then(|s| s.ip_families.as_ref())
        .and_then(|f| f.first())
        .is_some_and(|f| f == "IPv6");
    if ipv6 {
        "IPv6"
    } else {
        "IPv4"
    }
}

fn ip_of_family(pod: &Pod, family: &str) -> Option<String> {
    pod_ips(pod)
        .into_iter()
        .find(|ip| (family == "IPv6") == ip.contains(':'))
}

fn endpoint_ports(service: &Service, pod: &Pod) -> Vec<EndpointPort> {
    service
        .spec
        .as_ref()
        .and_then(|s| s.ports.as_ref())
        .into_iter()
        .flatten()
        .filter_map(|sp| {
            let port = find_port(pod, sp)?;
            Some(EndpointPort {
                name: Some(sp.name.clone().unwrap_or_default()),
                port: Some(port),
                protocol: Some(sp.protocol.clone().unwrap_or_else(|| "TCP".into())),
                app_protocol: sp.app_protocol.clone(),
            })
        })
        .collect()
}

/// `podToEndpoint`: conditions `serving` = pod Ready, `terminating` = being deleted,
/// `ready` = publishNotReadyAddresses || (serving && !terminating); hostname by
/// [`should_set_hostname`]; targetRef, nodeName, zone from the node's label.
pub fn endpoint_for_pod<'a>(
    service: &Service,
    pod: &Pod,
    nodes: impl IntoIterator<Item = &'a Node>,
) -> Option<Endpoint> {
    let ip = ip_of_family(pod, address_type(service))?;
    let serving = is_pod_ready(pod);
    let terminating = pod.metadata.deletion_timestamp.is_some();
    let publish = service
        .spec
        .as_ref()
        .and_then(|s| s.publish_not_ready_addresses)
        .unwrap_or(false);
    let ready = publish || (serving && !terminating);
    let node_name = pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.clone())
        .filter(|n| !n.is_empty());
    let zone = node_name.as_ref().and_then(|n| {
        nodes
            .into_iter()
            .find(|node| node.metadata.name.as_ref() == Some(n))
            .and_then(|node| node.metadata.labels.as_ref()?.get(LABEL_ZONE).cloned())
            .filter(|z| !z.is_empty())
    });
    Some(Endpoint {
        addresses: vec![ip],
        conditions: Some(EndpointConditions {
            ready: Some(ready),
            serving: Some(serving),
            terminating: Some(terminating),
        }),
        hostname: should_set_hostname(pod, service)
            .then(|| pod.spec.as_ref().and_then(|s| s.hostname.clone()))
            .flatten(),
        node_name,
        target_ref: Some(pod_ref(pod)),
        zone,
        ..Default::default()
    })
}

fn slice_labels(service: &Service) -> BTreeMap<String, String> {
    // Service labels minus the reserved keys, then the reserved keys.
    let mut labels = service.metadata.labels.clone().unwrap_or_default();
    labels.remove(LABEL_HEADLESS);
    labels.insert(LABEL_SERVICE_NAME.into(), svc_name(service).into());
    labels.insert(LABEL_MANAGED_BY.into(), MANAGED_BY_CONTROLLER.into());
    if !is_service_ip_set(service) {
        labels.insert(LABEL_HEADLESS.into(), String::new());
    }
    labels
}

fn owner_ref(service: &Service) -> OwnerReference {
    OwnerReference {
        api_version: "v1".into(),
        kind: "Service".into(),
        name: svc_name(service).into(),
        uid: service.metadata.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// What one pod contributes to the service's slices: its resolved port list (endpoints are
/// grouped into slices by it) and its endpoint. `None` when the pod is not selected, is
/// Succeeded/Failed, or has no IP of the service's family. Terminating pods are kept (with
/// `ready: false` unless publishNotReadyAddresses).
pub fn slice_endpoint_for_pod<'a>(
    service: &Service,
    pod: &Pod,
    nodes: impl IntoIterator<Item = &'a Node>,
) -> Option<(Vec<EndpointPort>, Endpoint)> {
    if !selects_pod(service, pod) || !should_pod_be_in_endpoints(pod, true) {
        return None;
    }
    let ep = endpoint_for_pod(service, pod, nodes)?;
    Some((endpoint_ports(service, pod), ep))
}

/// The `index`-th managed slice of a service with these ports (`None`: the empty placeholder
/// slice kept while no pod qualifies) and endpoints.
pub fn make_slice(
    service: &Service,
    index: usize,
    ports: Option<Vec<EndpointPort>>,
    endpoints: Vec<Endpoint>,
) -> EndpointSlice {
    EndpointSlice {
        metadata: slice_meta(service, index),
        address_type: address_type(service).into(),
        endpoints,
        ports,
    }
}

/// [`make_slice`] as the store keeps it, with endpoints shared with the controller's cache.
pub fn make_slice_record(
    service: &Service,
    index: usize,
    ports: Option<Vec<EndpointPort>>,
    endpoints: Vec<SharedEndpoint>,
) -> EndpointSliceRecord {
    EndpointSliceRecord {
        metadata: slice_meta(service, index),
        address_type: address_type(service).into(),
        endpoints,
        ports,
    }
}

/// The metadata of the service's slice number `index`.
fn slice_meta(service: &Service, index: usize) -> ObjectMeta {
    ObjectMeta {
        name: Some(slice_name(service, index)),
        generate_name: Some(format!("{}-", svc_name(service))),
        namespace: Some(svc_namespace(service).into()),
        labels: Some(slice_labels(service)),
        owner_references: Some(vec![owner_ref(service)]),
        ..Default::default()
    }
}

/// All EndpointSlices the controller would write for a service from scratch: endpoints
/// grouped by their resolved port list (groups in order of their first pod by name), each
/// group cut into slices of at most [`MAX_ENDPOINTS_PER_SLICE`] endpoints in pod-name order,
/// slices numbered in that order; or one empty placeholder slice when no pod qualifies.
/// Empty for services without a selector and ExternalName services (the controller does
/// not manage those).
///
/// The controller itself ([`crate::engine::endpoints`]) places endpoints incrementally
/// (an endpoint stays in the slice it is in), so after removals its slices can be packed
/// differently; the endpoints they hold are the same.
pub fn endpoint_slices_for<'a>(
    service: &Service,
    pods: impl IntoIterator<Item = &'a Pod>,
    nodes: impl IntoIterator<Item = &'a Node>,
) -> Vec<EndpointSlice> {
    if !manages_endpoints(service) {
        return Vec::new();
    }
    let nodes: Vec<&Node> = nodes.into_iter().collect();
    let mut groups: Vec<(Vec<EndpointPort>, Vec<Endpoint>)> = Vec::new();
    for pod in selected_pods(service, pods) {
        let Some((ports, ep)) = slice_endpoint_for_pod(service, pod, nodes.iter().copied()) else {
            continue;
        };
        match groups.iter_mut().find(|(p, _)| *p == ports) {
            Some((_, eps)) => eps.push(ep),
            None => groups.push((ports, vec![ep])),
        }
    }
    if groups.is_empty() {
        return vec![make_slice(service, 0, None, Vec::new())];
    }
    let mut out = Vec::new();
    for (ports, eps) in groups {
        for chunk in eps.chunks(MAX_ENDPOINTS_PER_SLICE) {
            out.push(make_slice(
                service,
                out.len(),
                Some(ports.clone()),
                chunk.to_vec(),
            ));
        }
    }
    out
}

/// The (first) EndpointSlice for a service — all of them when the pods agree on ports
/// (always the case for one StatefulSet) and there are at most [`MAX_ENDPOINTS_PER_SLICE`].
/// `None` when the controller manages none.
pub fn endpoint_slice_for<'a>(
    service: &Service,
    pods: impl IntoIterator<Item = &'a Pod>,
    nodes: impl IntoIterator<Item = &'a Node>,
) -> Option<EndpointSlice> {
    endpoint_slices_for(service, pods, nodes).into_iter().next()
}

fn less_address(a: &EndpointAddress, b: &EndpointAddress) -> std::cmp::Ordering {
    a.ip.as_bytes().cmp(b.ip.as_bytes()).then_with(|| {
        let ua = a.target_ref.as_ref().and_then(|r| r.uid.clone());
        let ub = b.target_ref.as_ref().and_then(|r| r.uid.clone());
        ua.cmp(&ub)
    })
}

/// One pod's entry in the legacy `Endpoints` object: its resolved (sorted) port list, its
/// address, and whether it goes to `addresses` (else `notReadyAddresses`).
#[derive(Clone, Debug, PartialEq)]
pub struct LegacyAddress {
    pub ports: Vec<CoreEndpointPort>,
    pub address: EndpointAddress,
    pub ready: bool,
}

/// The pod's entry in the service's legacy `Endpoints`, or `None` when it has none: not
/// selected, terminating (unless publishNotReadyAddresses), Succeeded/Failed, no IP of the
/// family, or none of the service's ports resolves (a headless service without ports still
/// lists addresses).
pub fn legacy_address_for_pod(service: &Service, pod: &Pod) -> Option<LegacyAddress> {
    if !selects_pod(service, pod) {
        return None;
    }
    let spec = service.spec.as_ref()?;
    let tolerate_unready = spec.publish_not_ready_addresses.unwrap_or(false);
    if !should_pod_be_in_endpoints(pod, tolerate_unready) {
        return None;
    }
    let ip = ip_of_family(pod, address_type(service))?;
    let address = EndpointAddress {
        ip,
        hostname: should_set_hostname(pod, service)
            .then(|| pod.spec.as_ref().and_then(|s| s.hostname.clone()))
            .flatten(),
        node_name: pod
            .spec
            .as_ref()
            .and_then(|s| s.node_name.clone())
            .filter(|n| !n.is_empty()),
        target_ref: Some(pod_ref(pod)),
    };
    let ready = tolerate_unready || is_pod_ready(pod);
    let svc_ports = spec.ports.as_deref().unwrap_or(&[]);
    if svc_ports.is_empty() {
        return is_headless(service).then_some(LegacyAddress {
            ports: Vec::new(),
            address,
            ready,
        });
    }
    let mut ports: Vec<CoreEndpointPort> = svc_ports
        .iter()
        .filter_map(|sp| {
            Some(CoreEndpointPort {
                name: sp.name.clone().filter(|n| !n.is_empty()),
                port: find_port(pod, sp)?,
                protocol: Some(sp.protocol.clone().unwrap_or_else(|| "TCP".into())),
                app_protocol: sp.app_protocol.clone(),
            })
        })
        .collect();
    if ports.is_empty() {
        return None;
    }
    ports.sort_by(|a, b| a.name.cmp(&b.name).then(a.port.cmp(&b.port)));
    Some(LegacyAddress {
        ports,
        address,
        ready,
    })
}

/// The legacy `Endpoints` object (name = service name). Terminating pods are left out unless
/// publishNotReadyAddresses; Ready pods (all, with publishNotReadyAddresses) go to
/// `addresses`, the rest to `notReadyAddresses`; subsets are repacked by identical port lists
/// with addresses sorted by IP, truncated to [`MAX_ENDPOINTS_CAPACITY`] addresses. A headless
/// service without ports still lists addresses.
/// `None` for services without a selector and ExternalName services.
pub fn endpoints_for<'a>(
    service: &Service,
    pods: impl IntoIterator<Item = &'a Pod>,
) -> Option<Endpoints> {
    if !manages_endpoints(service) {
        return None;
    }
    let entries: Vec<LegacyAddress> = selected_pods(service, pods)
        .into_iter()
        .filter_map(|p| legacy_address_for_pod(service, p))
        .collect();
    Some(endpoints_from(service, entries.iter()))
}

/// The legacy `Endpoints` object of a managed service from its pods' entries, given in
/// pod-name order (subsets are made in order of first appearance), truncated to
/// [`MAX_ENDPOINTS_CAPACITY`] addresses as [`legacy_endpoints`] does.
pub fn endpoints_from<'a>(
    service: &Service,
    entries: impl IntoIterator<Item = &'a LegacyAddress>,
) -> Endpoints {
    // port list -> (ready addresses, not-ready addresses)
    let mut by_ports: Vec<(
        &'a [CoreEndpointPort],
        Vec<SharedAddress>,
        Vec<SharedAddress>,
    )> = Vec::new();
    // Upstream adds one subset per (pod, port) and repacks; grouping a pod's full port list
    // gives the same result when, as here, all ports resolve for every pod or none.
    for e in entries {
        let idx = match by_ports
            .iter()
            .position(|(p, _, _)| *p == e.ports.as_slice())
        {
            Some(i) => i,
            None => {
                by_ports.push((&e.ports, Vec::new(), Vec::new()));
                by_ports.len() - 1
            }
        };
        let entry = &mut by_ports[idx];
        let address = Arc::new(e.address.clone());
        if e.ready {
            entry.1.push(address);
        } else {
            entry.2.push(address);
        }
    }
    for (_, ready, not_ready) in &mut by_ports {
        ready.sort_by(|a, b| less_address(a, b));
        not_ready.sort_by(|a, b| less_address(a, b));
    }
    legacy_endpoints(
        service,
        by_ports
            .iter()
            .map(|(ports, ready, not_ready)| (*ports, ready.as_slice(), not_ready.as_slice())),
    )
    .to_endpoints()
}

/// Upstream `maxCapacity`: the endpoints controller keeps at most this many addresses
/// (ready plus not ready) in an `Endpoints` object.
pub const MAX_ENDPOINTS_CAPACITY: usize = 1000;
/// Upstream `v1.EndpointsOverCapacity`, set to [`OVER_CAPACITY_TRUNCATED`] on a truncated
/// `Endpoints` object and absent otherwise.
pub const ANNOTATION_OVER_CAPACITY: &str = "endpoints.kubernetes.io/over-capacity";
/// The value of [`ANNOTATION_OVER_CAPACITY`] on a truncated object.
pub const OVER_CAPACITY_TRUNCATED: &str = "truncated";

/// How many (ready, not-ready) addresses of each subset upstream `truncateEndpoints` keeps,
/// given each subset's (ready, not-ready) counts in subset order; `None` when the total is
/// within [`MAX_ENDPOINTS_CAPACITY`] (nothing is cut). Over capacity, ready addresses are
/// kept before not-ready ones: if the ready ones alone exceed the cap, every not-ready
/// address goes and the cap is shared among the subsets' ready addresses; else every ready
/// address stays and what is left of the cap is shared among the not-ready ones. A subset's
/// share is `ceil(its count / the total * the cap)`, bounded by what earlier subsets left.
pub fn truncated_counts(counts: &[(usize, usize)]) -> Option<Vec<(usize, usize)>> {
    let total_ready: usize = counts.iter().map(|c| c.0).sum();
    let total_not_ready: usize = counts.iter().map(|c| c.1).sum();
    if total_ready + total_not_ready <= MAX_ENDPOINTS_CAPACITY {
        return None;
    }
    let truncate_ready = total_ready > MAX_ENDPOINTS_CAPACITY;
    let (max, num_total) = if truncate_ready {
        (MAX_ENDPOINTS_CAPACITY, total_ready)
    } else {
        (MAX_ENDPOINTS_CAPACITY - total_ready, total_not_ready)
    };
    let mut can_be_added = max;
    let kept = counts
        .iter()
        .map(|&(ready, not_ready)| {
            let num_in_subset = if truncate_ready { ready } else { not_ready };
            // Same float arithmetic as upstream's math.Ceil(float64(n)/float64(t)*float64(max)).
            let to_be_added = ((num_in_subset as f64 / num_total as f64) * max as f64).ceil();
            let kept_here = num_in_subset.min(can_be_added.min(to_be_added as usize));
            can_be_added -= kept_here;
            if truncate_ready {
                (kept_here, 0)
            } else {
                (ready, kept_here)
            }
        })
        .collect();
    Some(kept)
}

/// The legacy `Endpoints` object of a service from its subsets, in order, each given as its
/// port list and its ready and not-ready addresses already sorted (upstream order), as the
/// store keeps it. Over [`MAX_ENDPOINTS_CAPACITY`] addresses the object is truncated
/// ([`truncated_counts`]) and annotated [`ANNOTATION_OVER_CAPACITY`]` = truncated`; the
/// addresses kept are shared, not copied, so a version costs one pointer per address.
pub fn legacy_endpoints<'a, G, R, N>(service: &Service, groups: G) -> EndpointsRecord
where
    G: IntoIterator<Item = (&'a [CoreEndpointPort], R, N)>,
    R: AddressRuns,
    N: AddressRuns,
{
    let groups: Vec<(&'a [CoreEndpointPort], R, N)> = groups.into_iter().collect();
    let counts: Vec<(usize, usize)> = groups
        .iter()
        .map(|(_, r, n)| (r.count(), n.count()))
        .collect();
    let kept = truncated_counts(&counts);
    let truncated = kept.is_some();
    let kept = kept.unwrap_or(counts);
    let subsets: Vec<SubsetRecord> = groups
        .into_iter()
        .zip(kept)
        .map(
            |((ports, ready, not_ready), (keep_ready, keep_not_ready))| SubsetRecord {
                addresses: (keep_ready > 0).then(|| ready.prefix(keep_ready)),
                not_ready_addresses: (keep_not_ready > 0).then(|| not_ready.prefix(keep_not_ready)),
                ports: (!ports.is_empty()).then(|| ports.to_vec()),
            },
        )
        .collect();
    let mut ep = EndpointsRecord {
        metadata: endpoints_meta(service),
        subsets: (!subsets.is_empty()).then_some(subsets),
    };
    if truncated {
        ep.metadata.annotations = Some(BTreeMap::from([(
            ANNOTATION_OVER_CAPACITY.to_string(),
            OVER_CAPACITY_TRUNCATED.to_string(),
        )]));
    }
    ep
}

/// The metadata of a service's legacy `Endpoints` object (labels: the service's, plus
/// `service.kubernetes.io/headless` when it has no cluster IP).
fn endpoints_meta(service: &Service) -> ObjectMeta {
    let mut labels = service.metadata.labels.clone().unwrap_or_default();
    if !is_service_ip_set(service) {
        labels.insert(LABEL_HEADLESS.into(), String::new());
    }
    ObjectMeta {
        name: Some(svc_name(service).into()),
        namespace: Some(svc_namespace(service).into()),
        labels: Some(labels),
        ..Default::default()
    }
}
