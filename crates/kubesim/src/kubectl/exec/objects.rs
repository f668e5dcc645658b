//! Reading objects for `kubectl get` / `describe` / `wait`: every kind the console knows, from
//! the store (the engine's endpoint controllers keep EndpointSlices and Endpoints there),
//! filtered by names and a label selector.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::api::core::v1::{
    Endpoints, Event, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, Service,
};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::Resource as _;
use serde::Serialize;

use crate::engine::{AnyObject, Cluster};
use crate::kubectl::cli::Resource;
use crate::kubectl::printers::{self, Printable};
use crate::kubectl::table::Table;
use crate::kubectl::Timestamp;

/// A kind `kubectl get` can list.
pub(crate) trait Gettable: Printable + Serialize + Clone + 'static {
    fn all(c: &Cluster) -> Vec<Self>;
}

macro_rules! stored {
    ($($t:ty),*) => {$(
        impl Gettable for $t {
            fn all(c: &Cluster) -> Vec<Self> {
                c.store().list::<$t>().cloned().collect()
            }
        }
    )*};
}
impl Gettable for Pod {
    /// The stored pods and the control plane's (`engine::system_pods`, built on read), by
    /// namespace and name.
    fn all(c: &Cluster) -> Vec<Self> {
        let mut pods: Vec<Pod> = c.store().list::<Pod>().cloned().collect();
        let system = crate::engine::system_pods::system_pods(c);
        if !system.is_empty() {
            pods.extend(system);
            crate::sort::sort_by(&mut pods, |a, b| {
                (&a.metadata.namespace, &a.metadata.name)
                    .cmp(&(&b.metadata.namespace, &b.metadata.name))
            });
        }
        pods
    }
}

stored!(
    StatefulSet,
    ControllerRevision,
    PersistentVolumeClaim,
    PersistentVolume,
    StorageClass,
    Service,
    Node
);

impl Gettable for Namespace {
    /// Built from the registry (`engine::namespaces`), by name.
    fn all(c: &Cluster) -> Vec<Self> {
        c.store().namespaces().map(|n| n.to_namespace()).collect()
    }
}

impl Gettable for EndpointSlice {
    /// Built from the stored records (endpoints shared between versions).
    fn all(c: &Cluster) -> Vec<Self> {
        endpoint_slices(c)
    }
}

impl Gettable for Endpoints {
    /// Built from the stored records (addresses shared between versions).
    fn all(c: &Cluster) -> Vec<Self> {
        c.store()
            .list::<crate::network::EndpointsRecord>()
            .map(|e| e.to_endpoints())
            .collect()
    }
}

impl Gettable for Event {
    /// In the store's (namespace, name) order, like the other kinds.
    fn all(c: &Cluster) -> Vec<Self> {
        let mut v: Vec<Event> = c.store().events().map(|e| e.to_event()).collect();
        crate::sort::sort_by(&mut v, |a, b| {
            (&a.metadata.namespace, &a.metadata.name)
                .cmp(&(&b.metadata.namespace, &b.metadata.name))
        });
        v
    }
}

/// Every stored EndpointSlice, by namespace and name.
pub(crate) fn endpoint_slices(c: &Cluster) -> Vec<EndpointSlice> {
    c.store()
        .list::<crate::network::EndpointSliceRecord>()
        .map(|s| s.to_slice())
        .collect()
}

/// One requirement of a label selector (`-l`).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Requirement {
    Eq(String, String),
    Ne(String, String),
    Exists(String),
    NotExists(String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
}

/// A parsed `-l` selector (`k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a)`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Selector(Vec<Requirement>);

impl Selector {
    pub(crate) fn parse(text: &str) -> Result<Selector, String> {
        let mut parts = Vec::new();
        let mut depth = 0;
        let mut cur = String::new();
        for c in text.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(std::mem::take(&mut cur));
                    continue;
                }
                _ => {}
            }
            cur.push(c);
        }
        parts.push(cur);
        let bad = |p: &str| {
            format!("error: unable to parse requirement: found '{p}', expected: identifier")
        };
        let mut reqs = Vec::new();
        for p in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
            let set = |rest: &str| -> Option<Vec<String>> {
                let inner = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
                Some(inner.split(',').map(|v| v.trim().to_string()).collect())
            };
            let req = if let Some((k, v)) = p.split_once("!=") {
                Requirement::Ne(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = p.split_once("==") {
                Requirement::Eq(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = p.split_once('=') {
                Requirement::Eq(k.trim().into(), v.trim().into())
            } else if let Some((k, rest)) = p.split_once(" notin ") {
                Requirement::NotIn(k.trim().into(), set(rest).ok_or_else(|| bad(p))?)
            } else if let Some((k, rest)) = p.split_once(" in ") {
                Requirement::In(k.trim().into(), set(rest).ok_or_else(|| bad(p))?)
            } else if let Some(k) = p.strip_prefix('!') {
                Requirement::NotExists(k.trim().into())
            } else if p
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
            {
                Requirement::Exists(p.into())
            } else {
                return Err(bad(p));
            };
            reqs.push(req);
        }
        Ok(Selector(reqs))
    }

    pub(crate) fn matches(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        let empty = BTreeMap::new();
        let l = labels.unwrap_or(&empty);
        self.0.iter().all(|r| match r {
            Requirement::Eq(k, v) => l.get(k) == Some(v),
            Requirement::Ne(k, v) => l.get(k) != Some(v),
            Requirement::Exists(k) => l.contains_key(k),
            Requirement::NotExists(k) => !l.contains_key(k),
            Requirement::In(k, vs) => l.get(k).is_some_and(|v| vs.contains(v)),
            Requirement::NotIn(k, vs) => l.get(k).is_none_or(|v| !vs.contains(v)),
        })
    }
}

/// What `get` found for one resource type.
pub(crate) struct Found {
    pub table: Table,
    /// `-o name` lines (without newline).
    pub refs: Vec<String>,
    pub values: Vec<serde_json::Value>,
    pub names: Vec<String>,
    /// Requested names that do not exist.
    pub missing: Vec<String>,
}

fn found<T: Gettable>(
    c: &Cluster,
    ns: Option<&str>,
    names: &[String],
    selector: &Selector,
    now: Timestamp,
) -> Found {
    let all: Vec<T> = T::all(c)
        .into_iter()
        .filter(|o| ns.is_none_or(|ns| o.metadata().namespace.as_deref().is_none_or(|n| n == ns)))
        .filter(|o| selector.matches(o.metadata().labels.as_ref()))
        .collect();
    let name_of = |o: &T| o.metadata().name.clone().unwrap_or_default();
    let (items, missing) = if names.is_empty() {
        (all, Vec::new())
    } else {
        let mut items = Vec::new();
        let mut missing = Vec::new();
        for n in names {
            match all.iter().find(|o| &name_of(o) == n) {
                Some(o) => items.push(o.clone()),
                None => missing.push(n.clone()),
            }
        }
        (items, missing)
    };
    Found {
        table: printers::table(&items, now),
        refs: items.iter().map(printers::resource_name).collect(),
        values: items.iter().map(to_value).collect(),
        names: items.iter().map(name_of).collect(),
        missing,
    }
}

/// Serializes an object with `apiVersion` and `kind`, keys sorted (so native and wasm builds
/// print the same bytes whatever serde_json features are unified in).
pub(crate) fn to_value<T: Serialize>(o: &T) -> serde_json::Value {
    sorted(serde_json::to_value(o).unwrap_or(serde_json::Value::Null))
}

pub(crate) fn sorted(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => {
            let mut entries: Vec<(String, serde_json::Value)> = m.into_iter().collect();
            crate::sort::sort_by(&mut entries, |a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        serde_json::Value::Array(a) => {
            serde_json::Value::Array(a.into_iter().map(sorted).collect())
        }
        other => other,
    }
}

/// Lists one resource type, in one namespace (`None`: all of them, `-A`; cluster-scoped
/// kinds ignore it).
pub(crate) fn find(
    c: &Cluster,
    ns: Option<&str>,
    resource: Resource,
    names: &[String],
    selector: &Selector,
    now: Timestamp,
) -> Found {
    match resource {
        Resource::Pods => found::<Pod>(c, ns, names, selector, now),
        Resource::StatefulSets => found::<StatefulSet>(c, ns, names, selector, now),
        Resource::PersistentVolumeClaims => {
            found::<PersistentVolumeClaim>(c, ns, names, selector, now)
        }
        Resource::PersistentVolumes => found::<PersistentVolume>(c, ns, names, selector, now),
        Resource::Services => found::<Service>(c, ns, names, selector, now),
        Resource::Endpoints => found::<Endpoints>(c, ns, names, selector, now),
        Resource::EndpointSlices => found::<EndpointSlice>(c, ns, names, selector, now),
        Resource::StorageClasses => found::<StorageClass>(c, ns, names, selector, now),
        Resource::Nodes => found::<Node>(c, ns, names, selector, now),
        Resource::Events => found::<Event>(c, ns, names, selector, now),
        Resource::ControllerRevisions => found::<ControllerRevision>(c, ns, names, selector, now),
        Resource::Namespaces => found::<Namespace>(c, ns, names, selector, now),
    }
}

/// The names of every object of a type (for completion).
pub(crate) fn names(c: &Cluster, resource: Resource) -> Vec<String> {
    find(
        c,
        None,
        resource,
        &[],
        &Selector::default(),
        Timestamp::UNIX_EPOCH,
    )
    .names
}

/// The API's resource name in error messages: `pods`, `statefulsets.apps`.
pub(crate) fn qualified(resource: Resource) -> String {
    if resource.group().is_empty() {
        resource.plural().to_string()
    } else {
        format!("{}.{}", resource.plural(), resource.group())
    }
}

/// `Error from server (NotFound): pods "x" not found`
pub(crate) fn not_found(resource: Resource, name: &str) -> String {
    format!(
        "Error from server (NotFound): {} \"{name}\" not found",
        qualified(resource)
    )
}

/// The resource a watch-log entry belongs to, if the console can print it.
pub(crate) fn resource_of(obj: &AnyObject) -> Resource {
    match obj {
        AnyObject::Pod(_) => Resource::Pods,
        AnyObject::StatefulSet(_) => Resource::StatefulSets,
        AnyObject::ControllerRevision(_) => Resource::ControllerRevisions,
        AnyObject::PersistentVolumeClaim(_) => Resource::PersistentVolumeClaims,
        AnyObject::PersistentVolume(_) => Resource::PersistentVolumes,
        AnyObject::StorageClass(_) => Resource::StorageClasses,
        AnyObject::Service(_) => Resource::Services,
        AnyObject::EndpointSlice(_) => Resource::EndpointSlices,
        AnyObject::Endpoints(_) => Resource::Endpoints,
        AnyObject::Node(_) => Resource::Nodes,
        AnyObject::Event(_) => Resource::Events,
    }
}

/// A watched object's metadata, one-row table, `-o name` line and JSON value.
pub(crate) fn render_any(
    obj: &AnyObject,
    now: Timestamp,
) -> (ObjectMeta, Table, String, serde_json::Value) {
    fn one<T: Printable + Serialize>(
        o: &T,
        now: Timestamp,
    ) -> (ObjectMeta, Table, String, serde_json::Value) {
        (
            o.metadata().clone(),
            printers::table_of(o, now),
            printers::resource_name(o),
            to_value(o),
        )
    }
    match obj {
        AnyObject::Pod(o) => one(&**o, now),
        AnyObject::StatefulSet(o) => one(&**o, now),
        AnyObject::ControllerRevision(o) => one(&**o, now),
        AnyObject::PersistentVolumeClaim(o) => one(&**o, now),
        AnyObject::PersistentVolume(o) => one(&**o, now),
        AnyObject::StorageClass(o) => one(&**o, now),
        AnyObject::Service(o) => one(&**o, now),
        AnyObject::EndpointSlice(o) => one(&o.to_slice(), now),
        AnyObject::Endpoints(o) => one(&o.to_endpoints(), now),
        AnyObject::Node(o) => one(&**o, now),
        AnyObject::Event(o) => one(&o.to_event(), now),
    }
}

/// kind string of a stored type, e.g. for event filtering.
pub(crate) fn kind_name(resource: Resource) -> &'static str {
    match resource {
        Resource::Pods => Pod::KIND,
        Resource::StatefulSets => StatefulSet::KIND,
        Resource::PersistentVolumeClaims => PersistentVolumeClaim::KIND,
        Resource::PersistentVolumes => PersistentVolume::KIND,
        Resource::Services => Service::KIND,
        Resource::Endpoints => Endpoints::KIND,
        Resource::EndpointSlices => EndpointSlice::KIND,
        Resource::StorageClasses => StorageClass::KIND,
        Resource::Nodes => Node::KIND,
        Resource::Events => Event::KIND,
        Resource::ControllerRevisions => ControllerRevision::KIND,
        Resource::Namespaces => Namespace::KIND,
    }
}
