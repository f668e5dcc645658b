//! Column definitions and row functions per kind, ported from
//! `kubernetes/pkg/printers/internalversion/printers.go` (v1.35), plus kubectl's name printer
//! (`k8s.io/cli-runtime/pkg/printers/name.go`).
//!
//! Every row function returns a cell for every column, wide ones included; the table printer
//! drops priority-1 columns unless `-o wide`. Missing fields print as kubectl prints the Go
//! zero value (`<none>`, `<unset>`, blank, `0`), never panic.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::api::core::v1::{
    Container, Endpoints, Event, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod,
    Service,
};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference, Time};
use k8s_openapi::{Metadata, Resource};

use super::table::{col, wide, Column, Row, Table};
use super::{age, micro_age, s, Timestamp};
use crate::manifest::access_modes;

/// A kind `kubectl get` can print as a table.
pub trait Printable: Resource + Metadata<Ty = ObjectMeta> {
    /// The column definitions (`AddHandlers` in printers.go).
    fn columns() -> Vec<Column>;
    /// The cells of this object's row, one per column.
    fn cells(&self, now: Timestamp) -> Vec<String>;

    /// Whether the kind is cluster-scoped (no NAMESPACE column under `-A`).
    fn cluster_scoped() -> bool {
        false
    }

    /// The row, with the metadata the `-A` / `--show-labels` decorations need.
    fn row(&self, now: Timestamp) -> Row {
        let meta = self.metadata();
        Row {
            cells: self.cells(now),
            namespace: meta.namespace.clone().unwrap_or_default(),
            labels: meta.labels.clone().unwrap_or_default(),
        }
    }
}

/// The table for a list of objects, rows in the order given (the API lists by namespace, then
/// name, in plain byte order: `web-0, web-1, web-10, web-2`).
pub fn table<T: Printable>(items: &[T], now: Timestamp) -> Table {
    Table {
        columns: T::columns(),
        rows: items.iter().map(|o| o.row(now)).collect(),
        resource: resource_ref(T::KIND, T::GROUP, "")
            .trim_end_matches('/')
            .to_string(),
        cluster_scoped: T::cluster_scoped(),
    }
}

/// The table for a single object (e.g. one `kubectl get -w` event).
pub fn table_of<T: Printable>(item: &T, now: Timestamp) -> Table {
    table(std::slice::from_ref(item), now)
}

/// The resource reference kubectl's name printer uses: `<kind lower-case>[.<group>]/<name>`,
/// e.g. `pod/mongo-0`, `statefulset.apps/mongo`, `storageclass.storage.k8s.io/standard`.
pub fn resource_name<T: Resource + Metadata<Ty = ObjectMeta>>(obj: &T) -> String {
    let name = obj
        .metadata()
        .name
        .as_deref()
        .filter(|n| !n.is_empty())
        .unwrap_or("<unknown>");
    resource_ref(T::KIND, T::GROUP, name)
}

/// `<kind lower-case>[.<group>]/<name>` from its parts.
pub fn resource_ref(kind: &str, group: &str, name: &str) -> String {
    if group.is_empty() {
        format!("{}/{name}", kind.to_lowercase())
    } else {
        format!("{}.{group}/{name}", kind.to_lowercase())
    }
}

/// `-o name`: one `kind[.group]/name` line per object.
pub fn name_output<T: Resource + Metadata<Ty = ObjectMeta>>(items: &[T]) -> String {
    items
        .iter()
        .map(|o| format!("{}\n", resource_name(o)))
        .collect()
}

/// The line a mutating command prints through the name printer, e.g.
/// `statefulset.apps/mongo scaled`, `service/mongo created`, `statefulset.apps/web configured`.
/// `dry_run` is kubectl's suffix: `Some("dry run")` gives `… created (dry run)`,
/// `Some("server dry run")` gives `… (server dry run)`.
pub fn operation_line<T: Resource + Metadata<Ty = ObjectMeta>>(
    obj: &T,
    operation: &str,
    dry_run: Option<&str>,
) -> String {
    let mut line = resource_name(obj);
    if !operation.is_empty() {
        line.push(' ');
        line.push_str(operation);
    }
    if let Some(d) = dry_run {
        line.push_str(&format!(" ({d})"));
    }
    line
}

/// `kubectl delete` for one object: `pod "web-0" deleted from default namespace`, or for a
/// cluster-scoped object `persistentvolume "pv001" deleted`. `force` gives `force deleted`.
pub fn deleted_line(
    kind_resource: &str,
    name: &str,
    namespace: Option<&str>,
    force: bool,
) -> String {
    let verb = if force { "force deleted" } else { "deleted" };
    match namespace {
        Some(ns) if !ns.is_empty() => {
            format!("{kind_resource} \"{name}\" {verb} from {ns} namespace")
        }
        _ => format!("{kind_resource} \"{name}\" {verb}"),
    }
}

fn name_of(meta: &ObjectMeta) -> String {
    meta.name.clone().unwrap_or_default()
}

fn created(meta: &ObjectMeta, now: Timestamp) -> String {
    age(meta.creation_timestamp.as_ref(), now)
}

fn quantity(q: Option<&Quantity>) -> String {
    // Go's zero Quantity prints as "0".
    q.map(|q| q.0.clone())
        .filter(|q| !q.is_empty())
        .unwrap_or_else(|| "0".to_string())
}

fn or_none(v: &str) -> String {
    if v.is_empty() {
        "<none>".to_string()
    } else {
        v.to_string()
    }
}

/// `layoutContainerCells`: names and images, comma separated.
pub fn layout_container_cells(containers: &[Container]) -> (String, String) {
    let names = containers
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>();
    let images = containers
        .iter()
        .map(|c| s(c.image.as_ref()))
        .collect::<Vec<_>>();
    (names.join(","), images.join(","))
}

// ---------------------------------------------------------------------------------------------
// Pods

fn is_restartable_init(c: Option<&Container>) -> bool {
    c.and_then(|c| c.restart_policy.as_deref()) == Some("Always")
}

fn later(a: Option<Time>, b: Option<&Time>) -> Option<Time> {
    match (a, b) {
        (None, Some(b)) => Some(b.clone()),
        (Some(a), Some(b)) if a.0 < b.0 => Some(b.clone()),
        (a, _) => a,
    }
}

/// The STATUS, READY and RESTARTS cells of a pod (`printPod`).
pub struct PodSummary {
    pub ready: String,
    pub status: String,
    pub restarts: String,
}

/// `printPod`'s derivation of READY (`ready/total`), STATUS and RESTARTS (`3 (2m5s ago)`).
pub fn pod_summary(pod: &Pod, now: Timestamp) -> PodSummary {
    let empty_spec = Default::default();
    let spec = pod.spec.as_ref().unwrap_or(&empty_spec);
    let empty_status = Default::default();
    let status: &k8s_openapi::api::core::v1::PodStatus =
        pod.status.as_ref().unwrap_or(&empty_status);
    let conditions = status.conditions.as_deref().unwrap_or(&[]);
    let init_specs = spec.init_containers.as_deref().unwrap_or(&[]);

    let mut restarts: i64 = 0;
    let mut restartable_init_restarts: i64 = 0;
    let mut total = spec.containers.len();
    let mut ready = 0usize;
    let mut last_restart: Option<Time> = None;
    let mut last_restartable_init_restart: Option<Time> = None;

    let phase = s(status.phase.as_ref()).to_string();
    let mut reason = match status.reason.as_deref() {
        Some(r) if !r.is_empty() => r.to_string(),
        _ => phase.clone(),
    };
    for c in conditions {
        if c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated") {
            reason = "SchedulingGated".to_string();
        }
    }

    for c in init_specs {
        if is_restartable_init(Some(c)) {
            total += 1;
        }
    }
    let init_spec = |name: &str| init_specs.iter().find(|c| c.name == name);

    let mut initializing = false;
    for (i, cs) in status
        .init_container_statuses
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        restarts += i64::from(cs.restart_count);
        let last_term = cs.last_state.as_ref().and_then(|s| s.terminated.as_ref());
        if let Some(t) = last_term {
            last_restart = later(last_restart, t.finished_at.as_ref());
        }
        let restartable = is_restartable_init(init_spec(&cs.name));
        if restartable {
            restartable_init_restarts += i64::from(cs.restart_count);
            if let Some(t) = last_term {
                last_restartable_init_restart =
                    later(last_restartable_init_restart, t.finished_at.as_ref());
            }
        }
        let state = cs.state.as_ref();
        let terminated = state.and_then(|s| s.terminated.as_ref());
        let waiting = state.and_then(|s| s.waiting.as_ref());
        if terminated.is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        if restartable && cs.started == Some(true) {
            if cs.ready {
                ready += 1;
            }
            continue;
        }
        if let Some(t) = terminated {
            // initialization failed
            reason = match t.reason.as_deref() {
                Some(r) if !r.is_empty() => format!("Init:{r}"),
                _ => match t.signal {
                    Some(sig) if sig != 0 => format!("Init:Signal:{sig}"),
                    _ => format!("Init:ExitCode:{}", t.exit_code),
                },
            };
        } else if let Some(r) = waiting
            .and_then(|w| w.reason.as_deref())
            .filter(|r| !r.is_empty() && *r != "PodInitializing")
        {
            reason = format!("Init:{r}");
        } else {
            reason = format!("Init:{i}/{}", init_specs.len());
        }
        initializing = true;
        break;
    }

    let initialized = conditions
        .iter()
        .any(|c| c.type_ == "Initialized" && c.status == "True");
    if !initializing || initialized {
        restarts = restartable_init_restarts;
        last_restart = last_restartable_init_restart;
        let mut has_running = false;
        for cs in status
            .container_statuses
            .as_deref()
            .unwrap_or(&[])
            .iter()
            .rev()
        {
            restarts += i64::from(cs.restart_count);
            if let Some(t) = cs.last_state.as_ref().and_then(|s| s.terminated.as_ref()) {
                last_restart = later(last_restart, t.finished_at.as_ref());
            }
            let state = cs.state.as_ref();
            let waiting = state.and_then(|s| s.waiting.as_ref());
            let terminated = state.and_then(|s| s.terminated.as_ref());
            let waiting_reason = waiting.and_then(|w| w.reason.as_deref()).unwrap_or("");
            if !waiting_reason.is_empty() {
                reason = waiting_reason.to_string();
            } else if let Some(t) = terminated {
                reason = match t.reason.as_deref() {
                    Some(r) if !r.is_empty() => r.to_string(),
                    _ => match t.signal {
                        Some(sig) if sig != 0 => format!("Signal:{sig}"),
                        _ => format!("ExitCode:{}", t.exit_code),
                    },
                };
            } else if cs.ready && state.and_then(|s| s.running.as_ref()).is_some() {
                has_running = true;
                ready += 1;
            }
        }
        // change pod status back to "Running" if there is at least one container still running
        if reason == "Completed" && has_running {
            let pod_ready = conditions
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True");
            reason = if pod_ready { "Running" } else { "NotReady" }.to_string();
        }
    }

    let deleting = pod.metadata.deletion_timestamp.is_some();
    if deleting && status.reason.as_deref() == Some("NodeLost") {
        reason = "Unknown".to_string();
    } else if deleting && phase != "Failed" && phase != "Succeeded" {
        reason = "Terminating".to_string();
    }

    let restarts = match (&last_restart, restarts) {
        (Some(t), r) if r != 0 => format!("{r} ({} ago)", age(Some(t), now)),
        (_, r) => r.to_string(),
    };
    PodSummary {
        ready: format!("{ready}/{total}"),
        status: reason,
        restarts,
    }
}

impl Printable for Pod {
    fn columns() -> Vec<Column> {
        vec![
            col("Name"),
            col("Ready"),
            col("Status"),
            col("Restarts"),
            col("Age"),
            wide("IP"),
            wide("Node"),
            wide("Nominated Node"),
            wide("Readiness Gates"),
        ]
    }

    fn cells(&self, now: Timestamp) -> Vec<String> {
        let summary = pod_summary(self, now);
        let status = self.status.as_ref();
        let spec = self.spec.as_ref();
        let ip = status
            .and_then(|s| s.pod_ips.as_ref())
            .and_then(|ips| ips.first())
            .map(|ip| ip.ip.clone())
            .unwrap_or_default();
        let node = spec.and_then(|s| s.node_name.clone()).unwrap_or_default();
        let nominated = status
            .and_then(|s| s.nominated_node_name.clone())
            .unwrap_or_default();
        let gates = spec
            .and_then(|s| s.readiness_gates.as_deref())
            .unwrap_or(&[]);
        let readiness_gates = if gates.is_empty() {
            "<none>".to_string()
        } else {
            let conditions = status.and_then(|s| s.conditions.as_deref()).unwrap_or(&[]);
            let true_count = gates
                .iter()
                .filter(|g| {
                    conditions
                        .iter()
                        .find(|c| c.type_ == g.condition_type)
                        .is_some_and(|c| c.status == "True")
                })
                .count();
            format!("{true_count}/{}", gates.len())
        };
        vec![
            name_of(&self.metadata),
            summary.ready,
            summary.status,
            summary.restarts,
            created(&self.metadata, now),
            or_none(&ip),
            or_none(&node),
            or_none(&nominated),
            readiness_gates,
        ]
    }
}

// ---------------------------------------------------------------------------------------------
// Workloads

impl Printable for StatefulSet {
    fn columns() -> Vec<Column> {
        vec![
            col("Name"),
            col("Ready"),
            col("Age"),
            wide("Containers"),
            wide("Images"),
        ]
    }

    fn cells(&self, now: Timestamp) -> Vec<String> {
        let spec = self.spec.as_ref();
        let desired = spec.and_then(|s| s.replicas).unwrap_or(1);
        let ready = self
            .status
            .as_ref()
            .and_then(|s| s.ready_replicas)
            .unwrap_or(0);
        let containers = spec
            .and_then(|s| s.template.spec.as_ref())
            .map(|p| p.containers.as_slice())
            .unwrap_or(&[]);
        let (names, images) = layout_container_cells(containers);
        vec![
            name_of(&self.metadata),
            format!("{ready}/{desired}"),
            created(&self.metadata, now),
            names,
            images,
        ]
    }
}

/// `metav1.GetControllerOf`: the owner reference with `controller: true`.
pub fn controller_of(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .find(|r| r.controller == Some(true))
}

fn group_of_api_version(api_version: &str) -> &str {
    match api_version.split_once('/') {
        Some((group, _)) => group,
        None => "",
    }
}

impl Printable for ControllerRevision {
    fn columns() -> Vec<Column> {
        vec![col("Name"), col("Controller"), col("Revision"), col("Age")]
    }

    fn cells(&self, now: Timestamp) -> Vec<String> {
        let controller = match controller_of(&self.metadata) {
            Some(r) if !r.kind.is_empty() => {
                resource_ref(&r.kind, group_of_api_version(&r.api_version), &r.name)
            }
            Some(r) => r.name.clone(),
            None => "<none>".to_string(),
        };
        vec![
            name_of(&self.metadata),
            controller,
            self.revision.to_string(),
            created(&self.metadata, now),
        ]
    }
}

// ---------------------------------------------------------------------------------------------
// Storage

const BETA_STORAGE_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";

fn annotation<'a>(meta: &'a ObjectMeta, key: &str) -> Option<&'a String> {
    meta.annotations.as_ref().and_then(|a| a.get(key))
}

/// `GetPersistentVolumeClaimClass`: the beta annotation wins over `spec.storageClassName`.
pub fn pvc_class(pvc: &PersistentVolumeClaim) -> String {
    if let Some(c) = annotation(&pvc.metadata, BETA_STORAGE_CLASS_ANNOTATION) {
        return c.clone();
    }
    pvc.spec
        .as_ref()
        .and_then(|s| s.storage_class_name.clone())
        .unwrap_or_default()
}

/// `GetPersistentVolumeClass`: the beta annotation wins over `spec.storageClassName`.
pub fn pv_class(pv: &PersistentVolume) -> String {
    if let Some(c) = annotation(&pv.metadata, BETA_STORAGE_CLASS_ANNOTATION) {
        return c.clone();
    }
    pv.spec
        .as_ref()
        .and_then(|s| s.storage_class_name.clone())
        .unwrap_or_default()
}

/// The PVC's VOLUME, CAPACITY and ACCESS MODES: blank until `spec.volumeName` is set, then
/// the status capacity and access modes.
pub fn pvc_binding_cells(pvc: &PersistentVolumeClaim) -> (String, String, String) {
    let volume = pvc
        .spec
        .as_ref()
        .and_then(|s| s.volume_name.clone())
        .unwrap_or_default();
    if volume.is_empty() {
        return (volume, String::new(), String::new());
    }
    let status = pvc.status.as_ref();
    let capacity = quantity(
        status
            .and_then(|s| s.capacity.as_ref())
            .and_then(|c| c.get("storage")),
    );
    let modes = access_modes(status.and_then(|s| s.access_modes.as_deref()));
    (volume, capacity, modes)
}

impl Printable for PersistentVolumeClaim {
    fn columns() -> Vec<Column> {
        vec![
            col("Name"),
            col("Status"),
            col("Volume"),
            col("Capacity"),
            col("Access Modes"),
            col("StorageClass"),
            col("VolumeAttributesClass"),
            col("Age"),
            wide("VolumeMode"),
        ]
    }

    fn cells(&self, now: Timestamp) -> Vec<String> {
        let phase = if self.metadata.deletion_timestamp.is_some() {
            "Terminating".to_string()
        } else {
            self.status
                .as_ref()
                .and_then(|s| s.phase.clone())
                .unwrap_or_default()
        };
        let spec = self.spec.as_ref();
        let vac = spec
            .and_then(|s| s.volume_attributes_class_name.clone())
            .unwrap_or_else(|| "<unset>".to_string());
        let mode = spec
            .and_then(|s| s.volume_mode.clone())
            .unwrap_or_else(|| "<unset>".to_string());
        let (volume, capacity, modes) = pvc_binding_cells(self);
        vec![
            name_of(&self.metadata),
            phase,
            volume,
            capacity,
            modes,
            pvc_class(self),
            vac,
            created(&self.metadata, now),
            mode,
        ]
    }
}

impl Printable for PersistentVolume {
    fn cluster_scoped() -> bool {
        true
    }

    fn columns() -> Vec<Column> {
        vec![
            col("Name"),
            col("Capacity"),
            col("Access Modes"),
            col("Reclaim Policy"),
            col("Status"),
            col("Claim"),
            col("StorageClass"),
            col("VolumeAttributesClass"),
            col("Reason"),
            col("Age"),
            wide("VolumeMode"),
        ]
    }

    fn cells(&self, now: Timestamp) -> Vec<String> {
        let spec = self.spec.as_ref();
        let claim = spec
            .and_then(|s| s.claim_ref.as_ref())
            .map(|r| format!("{}/{}", s(r.namespace.as_ref()), s(r.name.as_ref())))
            .unwrap_or_default();
        let phase = if self.metadata.deletion_timestamp.is_some() {
            "Terminating".to_string()
        } else {
            self.status
                .as_ref()
                .and_then(|s| s.phase.clone())
                .unwrap_or_default()
        };
        vec![
            name_of(&self.metadata),
            quantity(
                spec.and_then(|s| s.capacity.as_ref())
                    .and_then(|c| c.get("storage")),
            ),
            access_modes(spec.and_then(|s| s.access_modes.as_deref())),
            spec.and_then(|s| s.persistent_volume_reclaim_policy.clone())
                .unwrap_or_default(),
            phase,
            claim,
            pv_class(self),
            spec.and_then(|s| s.volume_attributes_class_name.clone())
                .unwrap_or_else(|| "<unset>".to_string()),
            self.status
                .as_ref()
                .and_then(|s| s.reason.clone())
                .unwrap_or_default(),
            created(&self.metadata, now),
            spec.and_then(|s| s.volume_mode.clone())
                .unwrap_or_else(|| "<unset>".to_string()),
        ]
    }
}

/// `storageutil.IsDefaultAnnotation`: the GA or beta is-default-class annotation is `"true"`.
pub fn is_default_class(meta: &ObjectMeta) -> bool {
    [
        "storageclass.kubernetes.io/is-default-class",
        "storageclass.beta.kubernetes.io/is-default-class",
    ]
    .iter()
    .any(|k| annotation(meta, k).map(String::as_str) == Some("true"))
}

/// `printNamespace` (printers.go): NAME STATUS AGE.
impl Printable for Namespace {
    fn cluster_scoped() -> bool {
        true
    }

    fn columns() -> Vec<Column> {
        vec![col("Name"), col("Status"), col("Age")]
    }

    fn cells(&self, now: Timestamp) -> Vec<String> {
        vec![
            name_of(&self.metadata),
            self.status
                .as_ref()
                .and_then(|s| s.phase.clone())
                .unwrap_or_default(),
            created(&self.metadata, now),
        ]
    }
}

impl Printable for StorageClass {
    fn cluster_scoped() -> bool {
        true
    }

    fn columns() -> Vec<Column> {
        vec![
            col("Name"),
            col("Provisioner"),
            col("ReclaimPolicy"),
            col("VolumeBindingMode"),
            col("AllowVolumeExpansion"),
            col("Age"),
        ]
    }

    fn cells(&self, now: Timestamp) -> Vec<String> {
        let mut name = name_of(&self.metadata);
        if is_default_class(&self.metadata) {
            name.push_str(" (default)");
        }
        vec![
            name,
            self.provisioner.clone(),
            self.reclaim_policy
                .clone()
                .unwrap_or_else(|| "Delete".to_string()),
            self.volume_binding_mode
                .clone()
                .unwrap_or_else(|| "Immediate".to_string()),
            self.allow_volume_expansion.unwrap_or(false).to_string(),
            created(&self.metadata, now),
        ]
    }
}

// ---------------------------------------------------------------------------------------------
// Networking

fn join_host_port(host: &str, port: i32) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// `makePortString`: `80/TCP`, `80:30080/TCP`, comma separated.
pub fn service_ports(svc: &Service) -> String {
    svc.spec
        .as_ref()
        .and_then(|s| s.ports.as_deref())
        .unwrap_or(&[])
        .iter()
        .map(|p| {
            let proto = p.protocol.as_deref().unwrap_or("TCP");
            match p.node_port {
                Some(np) if np > 0 => format!("{}:{np}/{proto}", p.port),
                _ => format!("{}/{proto}", p.port),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn service_external_ip(svc: &Service, wide: bool) -> String {
    let spec = svc.spec.as_ref();
    let external_ips = spec
        .and_then(|s| s.external_ips.clone())
        .unwrap_or_default();
    match spec.and_then(|s| s.type_.as_deref()).unwrap_or("ClusterIP") {
        "ClusterIP" | "NodePort" => {
            if external_ips.is_empty() {
                "<none>".to_string()
            } else {
                external_ips.join(",")
            }
        }
        "LoadBalancer" => {
            let mut ingress: Vec<String> = svc
                .status
                .as_ref()
                .and_then(|s| s.load_balancer.as_ref())
                .and_then(|lb| lb.ingress.as_deref())
                .unwrap_or(&[])
                .iter()
                .filter_map(|i| {
                    i.ip.clone()
                        .filter(|ip| !ip.is_empty())
                        .or_else(|| i.hostname.clone().filter(|h| !h.is_empty()))
                })
                .collect();
            ingress.sort();
            ingress.dedup();
            let mut lb = ingress.join(",");
            if !wide && lb.len() > 16 {
                lb = format!("{}...", &lb[..13]);
            }
            if !external_ips.is_empty() {
                let mut all: Vec<String> = if lb.is_empty() {
                    vec![]
                } else {
                    lb.split(',').map(str::to_string).collect()
                };
                all.extend(external_ips);
                all.join(",")
            } else if !lb.is_empty() {
                lb
            } else {
                "<pending>".to_string()
            }
        }
        "ExternalName" => spec
            .and_then(|s| s.external_name.clone())
            .unwrap_or_default(),
        _ => "<unknown>".to_string(),
    }
}

impl Printable for Service {
    fn columns() -> Vec<Column> {
        vec![
            col("Name"),
            col("Type"),
            col("Cluster-IP"),
            col("External-IP"),
            col("Port(s)"),
            col("Age"),
            wide("Selector"),
        ]
    }

    fn cells(&self, now: Timestamp) -> Vec<String> {
        let spec = self.spec.as_ref();
        // The API server always fills type, clusterIP and clusterIPs; an object that has not been
        // through defaulting falls back to clusterIP, then `<none>`.
        let svc_type = spec
            .and_then(|s| s.type_.clone())
            .unwrap_or_else(|| "ClusterIP".to_string());
        let cluster_ip = spec
            .and_then(|s| s.cluster_ips.as_ref().and_then(|ips| ips.first().cloned()))
            .or_else(|| spec.and_then(|s| s.cluster_ip.clone()))
            .filter(|ip| !ip.is_empty())
            .unwrap_or_else(|| "<none>".to_string());
        let ports = service_ports(self);
        vec![
            name_of(&self.metadata),
            svc_type,
            cluster_ip,
            service_external_ip(self, false),
            or_none(&ports),
            created(&self.metadata, now),
            super::format_labels(spec.and_then(|s| s.selector.as_ref())),
        ]
    }
}

/// `formatEndpoints(ep, nil)`: the first three ready `ip:port` pairs (every port of a subset
/// times every ready address), then ` + N more...`; `<none>` without subsets.
pub fn format_endpoints(ep: &Endpoints) -> String {
    let subsets = ep.subsets.as_deref().unwrap_or(&[]);
    if subsets.is_empty() {
        return "<none>".to_string();
    }
    let max = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    for ss in subsets {
        let addresses = ss.addresses.as_deref().unwrap_or(&[]);
        let ports = ss.ports.as_deref().unwrap_or(&[]);
        if ports.is_empty() {
            count += addresses.len();
            for a in addresses {
                if list.len() == max {
                    more = true;
                    break;
                }
                list.push(a.ip.clone());
            }
            continue;
        }
        for port in ports {
            count += addresses.len();
            for a in addresses {
                if list.len() == max {
                    more = true;
                    break;
                }
                list.push(join_host_port(&a.ip, port.port));
            }
        }
    }
    let ret = list.join(",");
    if more {
        format!("{ret} + {} more...", count - max)
    } else {
        ret
    }
}

impl Printable for Endpoints {
    fn columns() -> Vec<Column> {
        vec![col("Name"), col("Endpoints"), col("Age")]
    }

    fn cells(&self, now: Timestamp) -> Vec<String> {
        vec![
            name_of(&self.metadata),
            format_endpoints(self),
            created(&self.metadata, now),
        ]
    }
}

/// The warning the API server attaches to every v1 Endpoints request since v1.33 (kubectl
/// prints it on stderr prefixed with `Warning: `).
pub const ENDPOINTS_DEPRECATION_WARNING: &str =
    "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice";

fn list_with_more(list: Vec<String>, more: bool, count: usize, max: usize) -> String {
    let ret = list.join(",");
    if more {
        return format!("{ret} + {} more...", count - max);
    }
    if ret.is_empty() {
        "<unset>".to_string()
    } else {
        ret
    }
}

impl Printable for EndpointSlice {
    fn columns() -> Vec<Column> {
        vec![
            col("Name"),
            col("AddressType"),
            col("Ports"),
            col("Endpoints"),
            col("Age"),
        ]
    }

    fn cells(&self, now: Timestamp) -> Vec<String> {
        let max = 3;
        // formatDiscoveryPorts
        let (mut ports, mut more, mut count) = (Vec::new(), false, 0);
        for p in self.ports.as_deref().unwrap_or(&[]) {
            if ports.len() < max {
                ports.push(match (p.port, &p.name) {
                    (Some(n), _) => n.to_string(),
                    (None, Some(name)) => name.clone(),
                    (None, None) => "*".to_string(),
                });
            } else if ports.len() == max {
                more = true;
            }
            count += 1;
        }
        let ports = list_with_more(ports, more, count, max);
        // formatDiscoveryEndpoints: every address, ready or not
        let (mut addrs, mut more, mut count) = (Vec::new(), false, 0);
        for e in &self.endpoints {
            for a in &e.addresses {
                if addrs.len() < max {
                    addrs.push(a.clone());
                } else if addrs.len() == max {
                    more = true;
                }
                count += 1;
            }
        }
        let endpoints = list_with_more(addrs, more, count, max);
        vec![
            name_of(&self.metadata),
            self.address_type.clone(),
            ports,
            endpoints,
            created(&self.metadata, now),
        ]
    }
}

// ---------------------------------------------------------------------------------------------
// Nodes

impl Printable for Node {
    fn cluster_scoped() -> bool {
        true
    }

    fn columns() -> Vec<Column> {
        vec![
            col("Name"),
            col("Status"),
            col("Roles"),
            col("Age"),
            col("Version"),
            wide("Internal-IP"),
            wide("External-IP"),
            wide("OS-Image"),
            wide("Kernel-Version"),
            wide("Container-Runtime"),
        ]
    }

    fn cells(&self, now: Timestamp) -> Vec<String> {
        let status = self.status.as_ref();
        let mut st: Vec<String> = Vec::new();
        // the last Ready condition wins, as in the Go map
        if let Some(c) = status
            .and_then(|s| s.conditions.as_deref())
            .unwrap_or(&[])
            .iter()
            .rev()
            .find(|c| c.type_ == "Ready")
        {
            st.push(
                if c.status == "True" {
                    "Ready"
                } else {
                    "NotReady"
                }
                .to_string(),
            );
        }
        if st.is_empty() {
            st.push("Unknown".to_string());
        }
        if self
            .spec
            .as_ref()
            .and_then(|s| s.unschedulable)
            .unwrap_or(false)
        {
            st.push("SchedulingDisabled".to_string());
        }
        let mut roles: Vec<String> = Vec::new();
        for (k, v) in self.metadata.labels.as_ref().into_iter().flatten() {
            if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
                if !role.is_empty() {
                    roles.push(role.to_string());
                }
            } else if k == "kubernetes.io/role" && !v.is_empty() {
                roles.push(v.clone());
            }
        }
        roles.sort();
        roles.dedup();
        let info = status.and_then(|s| s.node_info.as_ref());
        let addr = |ty: &str| {
            status
                .and_then(|s| s.addresses.as_deref())
                .unwrap_or(&[])
                .iter()
                .find(|a| a.type_ == ty)
                .map(|a| a.address.clone())
                .unwrap_or_else(|| "<none>".to_string())
        };
        let unknown = |v: Option<&String>| match v {
            Some(v) if !v.is_empty() => v.clone(),
            _ => "<unknown>".to_string(),
        };
        vec![
            name_of(&self.metadata),
            st.join(","),
            if roles.is_empty() {
                "<none>".to_string()
            } else {
                roles.join(",")
            },
            created(&self.metadata, now),
            info.map(|i| i.kubelet_version.clone()).unwrap_or_default(),
            addr("InternalIP"),
            addr("ExternalIP"),
            unknown(info.map(|i| &i.os_image)),
            unknown(info.map(|i| &i.kernel_version)),
            unknown(info.map(|i| &i.container_runtime_version)),
        ]
    }
}

// ---------------------------------------------------------------------------------------------
// Events

/// `formatEventSource`: component (or reportingController), then `, host` (or
/// reportingInstance) when present.
pub fn event_source(e: &Event) -> String {
    let src = e.source.as_ref();
    let component = src
        .and_then(|s| s.component.clone())
        .filter(|c| !c.is_empty())
        .or_else(|| e.reporting_component.clone())
        .unwrap_or_default();
    let instance = src
        .and_then(|s| s.host.clone())
        .filter(|h| !h.is_empty())
        .or_else(|| e.reporting_instance.clone())
        .unwrap_or_default();
    if instance.is_empty() {
        component
    } else {
        format!("{component}, {instance}")
    }
}

impl Printable for Event {
    fn columns() -> Vec<Column> {
        vec![
            col("Last Seen"),
            col("Type"),
            col("Reason"),
            col("Object"),
            wide("Subobject"),
            wide("Source"),
            col("Message"),
            wide("First Seen"),
            wide("Count"),
            wide("Name"),
        ]
    }

    fn cells(&self, now: Timestamp) -> Vec<String> {
        let first = match &self.first_timestamp {
            Some(t) => age(Some(t), now),
            None => micro_age(self.event_time.as_ref(), now),
        };
        let mut last = match &self.last_timestamp {
            Some(t) => age(Some(t), now),
            None => first.clone(),
        };
        let mut count = self.count.unwrap_or(0);
        if let Some(series) = &self.series {
            last = micro_age(series.last_observed_time.as_ref(), now);
            count = series.count.unwrap_or(0);
        } else if count == 0 {
            count = 1;
        }
        let obj = &self.involved_object;
        let kind = s(obj.kind.as_ref()).to_lowercase();
        let target = match obj.name.as_deref() {
            Some(n) if !n.is_empty() => format!("{kind}/{n}"),
            _ => kind,
        };
        vec![
            last,
            s(self.type_.as_ref()).to_string(),
            s(self.reason.as_ref()).to_string(),
            target,
            s(obj.field_path.as_ref()).to_string(),
            event_source(self),
            s(self.message.as_ref()).trim().to_string(),
            first,
            count.to_string(),
            name_of(&self.metadata),
        ]
    }
}

/// Labels of an object, for callers building rows by hand.
pub fn labels_of(meta: &ObjectMeta) -> BTreeMap<String, String> {
    meta.labels.clone().unwrap_or_default()
}

#[cfg(test)]
#[path = "printers_tests.rs"]
pub(crate) mod tests;
