//! Namespaces: the API server's `namespaces` registry, its NamespaceLifecycle admission and the
//! namespace controller (upstream `pkg/registry/core/namespace`,
//! `staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/admission.go`,
//! `pkg/controller/namespace/deletion/namespaced_resources_deleter.go`).
//!
//! * A cluster is born with `default`, `kube-node-lease`, `kube-public` and `kube-system`
//!   (kind-like adds `local-path-storage`, `engine::profile`). These are kept beside the
//!   object tables, outside the watch log and the resourceVersion sequence, and their uids
//!   are drawn below the store's uid counter: a session that only uses `default` keeps every
//!   resourceVersion and uid it had before namespaces were modelled.
//! * A namespace created by a command (`kubectl create namespace`, a `kind: Namespace`
//!   manifest) takes the next uid, as any object.
//! * Creating a namespaced object in a namespace that does not exist is `namespaces "x" not
//!   found` (NotFound); in a terminating one, Forbidden (`unable to create new content in
//!   namespace x because it is being terminated`). Deleting `default`, `kube-system` or
//!   `kube-public` is Forbidden (`this namespace may not be deleted`, the plugin's
//!   `immortalNamespaces`).
//! * Deleting a namespace sets `deletionTimestamp` and phase `Terminating`; the namespace
//!   controller deletes its content (as `DeleteCollection` with default options: pods get
//!   their grace period) and removes the namespace once nothing is left in it.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Namespace, NamespaceSpec, NamespaceStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::store::{DeleteOutcome, Kind, Propagation, Store};
use super::{timestamp, ApiError, ApplyOutcome, Cluster, Task};

/// The namespaces every cluster starts with (kubeadm/kind's, in name order).
pub const BUILT_IN: [&str; 4] = ["default", "kube-node-lease", "kube-public", "kube-system"];

/// Namespaces the API server refuses to delete (`immortalNamespaces`).
pub const IMMORTAL: [&str; 3] = ["default", "kube-public", "kube-system"];

/// One namespace as the registry keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamespaceRecord {
    pub name: String,
    pub uid: String,
    pub resource_version: u64,
    /// Simulated instant of creation.
    pub created: u64,
    /// Set when deletion started (phase `Terminating`).
    pub deleting: Option<u64>,
    pub labels: BTreeMap<String, String>,
}

impl NamespaceRecord {
    pub fn terminating(&self) -> bool {
        self.deleting.is_some()
    }

    /// `Active` or `Terminating`.
    pub fn phase(&self) -> &'static str {
        if self.terminating() {
            "Terminating"
        } else {
            "Active"
        }
    }

    /// The API object, as `kubectl get ns X -o yaml` shows it.
    pub fn to_namespace(&self) -> Namespace {
        let mut labels = self.labels.clone();
        labels.insert("kubernetes.io/metadata.name".into(), self.name.clone());
        Namespace {
            metadata: ObjectMeta {
                name: Some(self.name.clone()),
                uid: Some(self.uid.clone()),
                resource_version: Some(self.resource_version.to_string()),
                creation_timestamp: Some(timestamp(self.created)),
                deletion_timestamp: self.deleting.map(timestamp),
                labels: Some(labels),
                ..Default::default()
            },
            spec: Some(NamespaceSpec {
                finalizers: Some(vec!["kubernetes".into()]),
            }),
            status: Some(NamespaceStatus {
                phase: Some(self.phase().into()),
                ..Default::default()
            }),
        }
    }
}

/// Adds a namespace that exists from the cluster's creation (no watch entry, no
/// resourceVersion bump; its uid is drawn below the store's uid counter).
pub(crate) fn install(store: &mut Store, name: &str) {
    if store.namespaces.contains_key(name) {
        return;
    }
    let n = store.namespaces.len() as u64 + 1;
    let record = NamespaceRecord {
        name: name.to_string(),
        uid: store.uid_before_offset(n),
        resource_version: 0,
        created: store.now,
        deleting: None,
        labels: BTreeMap::new(),
    };
    store.namespaces.insert(name.to_string(), record);
}

/// The NamespaceLifecycle admission of a create in `ns` (`kind`/`name`: the object's, for
/// the Forbidden message). A bare store (no namespaces at all) admits everything.
pub(crate) fn admit_create(
    store: &Store,
    kind: Kind,
    ns: &str,
    name: &str,
) -> Result<(), ApiError> {
    if store.namespaces.is_empty() {
        return Ok(());
    }
    match store.namespaces.get(ns) {
        None => Err(ApiError::NotFound {
            kind: Kind::Namespace,
            name: ns.to_string(),
        }),
        Some(r) if r.terminating() => Err(ApiError::Forbidden(format!(
            "{} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated",
            super::resource_name(kind)
        ))),
        Some(_) => Ok(()),
    }
}

impl Cluster {
    /// `kubectl create namespace NAME` / a `kind: Namespace` manifest.
    pub(crate) fn create_namespace(
        &mut self,
        name: &str,
        labels: BTreeMap<String, String>,
    ) -> Result<(), ApiError> {
        if self.store.namespaces.contains_key(name) {
            return Err(ApiError::AlreadyExists {
                kind: Kind::Namespace,
                name: name.to_string(),
            });
        }
        // ValidateNamespaceName: a DNS-1123 label (`pkg/apis/core/validation`)
        let errs = crate::validation::dns1123_label_errors(name);
        if !errs.is_empty() {
            return Err(ApiError::Invalid(format!(
                "Namespace \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": {}",
                errs.join(", ")
            )));
        }
        let (uid, rv) = self.store.next_identity();
        let record = NamespaceRecord {
            name: name.to_string(),
            uid,
            resource_version: rv,
            created: self.now,
            deleting: None,
            labels,
        };
        self.store.namespaces.insert(name.to_string(), record);
        Ok(())
    }

    /// `kubectl apply` of a `kind: Namespace` manifest: created, or its labels configured.
    pub(crate) fn apply_namespace(&mut self, n: Namespace) -> Result<ApplyOutcome, ApiError> {
        let name = n.metadata.name.clone().unwrap_or_default();
        let labels: BTreeMap<String, String> = n.metadata.labels.clone().unwrap_or_default();
        let labels = labels
            .into_iter()
            .filter(|(k, _)| k != "kubernetes.io/metadata.name")
            .collect();
        match self.store.namespaces.get_mut(&name) {
            None => self
                .create_namespace(&name, labels)
                .map(|_| ApplyOutcome::Created),
            Some(r) if r.labels == labels => Ok(ApplyOutcome::Unchanged),
            Some(_) => {
                let rv = self.store.bump_resource_version();
                if let Some(r) = self.store.namespaces.get_mut(&name) {
                    r.labels = labels;
                    r.resource_version = rv;
                }
                Ok(ApplyOutcome::Configured)
            }
        }
    }

    /// `kubectl delete namespace NAME`: Terminating now, gone once its content is.
    pub(crate) fn delete_namespace(&mut self, name: &str) -> Result<DeleteOutcome, ApiError> {
        if IMMORTAL.contains(&name) && self.store.namespaces.contains_key(name) {
            return Err(ApiError::Forbidden(format!(
                "namespaces \"{name}\" is forbidden: this namespace may not be deleted"
            )));
        }
        let now = self.now;
        let Some(r) = self.store.namespaces.get_mut(name) else {
            return Err(ApiError::NotFound {
                kind: Kind::Namespace,
                name: name.to_string(),
            });
        };
        if r.deleting.is_none() {
            r.deleting = Some(now);
            self.enqueue(now, Task::FinalizeNamespace(name.to_string()));
        }
        Ok(DeleteOutcome::Terminating)
    }

    /// Whether a namespace is being deleted (watch entries in it wake the controller).
    pub(crate) fn namespace_terminating(&self, ns: &str) -> bool {
        self.store
            .namespaces
            .get(ns)
            .is_some_and(NamespaceRecord::terminating)
    }

    /// The namespace controller's pass over a terminating namespace: delete what is left in
    /// it (objects already being deleted are left to finish), then the namespace itself.
    pub(crate) fn finalize_namespace(&mut self, ns: &str) {
        if !self.namespace_terminating(ns) {
            return;
        }
        let s = &mut self.store;
        macro_rules! sweep {
            ($($t:ty),*) => {$(
                let names: Vec<(String, bool)> = s
                    .list_in::<$t>(ns)
                    .map(|o| {
                        let m = k8s_openapi::Metadata::metadata(o);
                        (m.name.clone().unwrap_or_default(), m.deletion_timestamp.is_some())
                    })
                    .collect();
                for (name, deleting) in names {
                    if !deleting {
                        let _ = s.delete::<$t>(ns, &name, Propagation::Background, None);
                    }
                }
            )*};
        }
        use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
        use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod, Service};
        sweep!(
            StatefulSet,
            Service,
            ControllerRevision,
            PersistentVolumeClaim,
            Pod,
            crate::network::EndpointSliceRecord,
            crate::network::EndpointsRecord
        );
        let events: Vec<String> = s
            .events()
            .filter(|e| e.namespace == ns)
            .map(|e| e.name())
            .collect();
        for e in events {
            let _ = s.delete_event(ns, &e);
        }
        if content_left(&self.store, ns) == 0 {
            self.store.namespaces.remove(ns);
        }
    }
}

/// Objects still in a namespace (events aside: they go with the last pass).
fn content_left(s: &Store, ns: &str) -> usize {
    use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
    use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod, Service};
    s.list_in::<StatefulSet>(ns).count()
        + s.list_in::<Service>(ns).count()
        + s.list_in::<ControllerRevision>(ns).count()
        + s.list_in::<PersistentVolumeClaim>(ns).count()
        + s.list_in::<Pod>(ns).count()
        + s.list_in::<crate::network::EndpointSliceRecord>(ns).count()
        + s.list_in::<crate::network::EndpointsRecord>(ns).count()
}
