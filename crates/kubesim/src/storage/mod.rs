//! PersistentVolume binding, provisioning and reclaiming, as pure functions over k8s-openapi
//! objects. The engine owns the object store; it calls these functions and applies the
//! returned mutations and events (see [`binder`] for when to call what).

pub mod binder;
#[cfg(test)]
mod binder_tests;
pub mod canonical_quantity;
pub mod index;
#[cfg(test)]
mod index_tests;
pub mod matching;
#[cfg(test)]
mod matching_tests;
pub mod quantity;
#[cfg(test)]
mod test_support;

use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

pub use binder::*;
pub use matching::{find_best_match_for_claim, find_matching_volume, TIE_BREAK_RULE};

/// PVC: binding finished at least once (`AnnBindCompleted`).
pub const ANN_BIND_COMPLETED: &str = "pv.kubernetes.io/bind-completed";
/// PV and PVC: the controller (not the user) set the binding (`AnnBoundByController`).
pub const ANN_BOUND_BY_CONTROLLER: &str = "pv.kubernetes.io/bound-by-controller";
/// PVC: the scheduler picked this node for a WaitForFirstConsumer claim.
pub const ANN_SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";
/// PV: the plugin / external provisioner that created it.
pub const ANN_DYNAMICALLY_PROVISIONED: &str = "pv.kubernetes.io/provisioned-by";
/// PVC: who is expected to provision it (GA key and the beta key, both written).
pub const ANN_STORAGE_PROVISIONER: &str = "volume.kubernetes.io/storage-provisioner";
pub const ANN_BETA_STORAGE_PROVISIONER: &str = "volume.beta.kubernetes.io/storage-provisioner";
/// PV/PVC: the deprecated class annotation, which still wins over `storageClassName`.
pub const ANN_BETA_STORAGE_CLASS: &str = "volume.beta.kubernetes.io/storage-class";
/// StorageClass: default class markers.
pub const ANN_DEFAULT_CLASS: &str = "storageclass.kubernetes.io/is-default-class";
pub const ANN_BETA_DEFAULT_CLASS: &str = "storageclass.beta.kubernetes.io/is-default-class";
/// Class provisioner meaning "static volumes only".
pub const NO_PROVISIONER: &str = "kubernetes.io/no-provisioner";
/// Finalizers.
pub const PVC_PROTECTION_FINALIZER: &str = "kubernetes.io/pvc-protection";
pub const PV_PROTECTION_FINALIZER: &str = "kubernetes.io/pv-protection";
pub const PV_IN_TREE_DELETION_FINALIZER: &str = "kubernetes.io/pv-controller";
/// Component name on events written by the PV controller.
pub const PV_CONTROLLER_COMPONENT: &str = "persistentvolume-controller";

/// Event type (`Normal` / `Warning`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventType {
    Normal,
    Warning,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// The object an event is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectRef {
    pub kind: String,
    /// Empty for cluster-scoped objects (PersistentVolume).
    pub namespace: String,
    pub name: String,
    pub uid: String,
}

impl ObjectRef {
    pub fn of_claim(claim: &PersistentVolumeClaim) -> Self {
        Self::new("PersistentVolumeClaim", &claim.metadata)
    }
    pub fn of_volume(volume: &PersistentVolume) -> Self {
        Self::new("PersistentVolume", &volume.metadata)
    }
    pub fn new(kind: &str, meta: &ObjectMeta) -> Self {
        ObjectRef {
            kind: kind.to_string(),
            namespace: meta.namespace.clone().unwrap_or_default(),
            name: meta.name.clone().unwrap_or_default(),
            uid: meta.uid.clone().unwrap_or_default(),
        }
    }
}

/// One event as a controller records it. The engine should aggregate repeats of the same
/// (object, type, reason, message) into one event with a count, as the event recorder does:
/// upstream re-emits e.g. `ExternalProvisioning` on every sync.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub type_: EventType,
    pub reason: String,
    pub message: String,
    pub object: ObjectRef,
    /// Reporting component (`persistentvolume-controller`, an external provisioner name, ...).
    pub source: String,
}

impl Event {
    pub fn new(
        type_: EventType,
        reason: &str,
        message: impl Into<String>,
        object: ObjectRef,
        source: &str,
    ) -> Self {
        Event {
            type_,
            reason: reason.to_string(),
            message: message.into(),
            object,
            source: source.to_string(),
        }
    }
}

fn has_annotation(meta: &ObjectMeta, key: &str) -> bool {
    meta.annotations
        .as_ref()
        .is_some_and(|a| a.contains_key(key))
}

fn set_annotation(meta: &mut ObjectMeta, key: &str, value: &str) {
    meta.annotations
        .get_or_insert_with(Default::default)
        .insert(key.to_string(), value.to_string());
}

/// `GetPersistentVolumeClaimClass`: beta annotation first, then `storageClassName`, else "".
pub fn claim_class(claim: &PersistentVolumeClaim) -> String {
    if let Some(c) = claim
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(ANN_BETA_STORAGE_CLASS))
    {
        return c.clone();
    }
    claim
        .spec
        .as_ref()
        .and_then(|s| s.storage_class_name.clone())
        .unwrap_or_default()
}

/// `PersistentVolumeClaimHasClass`: the claim names a class (even ""), i.e. it is not nil.
pub fn claim_has_class(claim: &PersistentVolumeClaim) -> bool {
    has_annotation(&claim.metadata, ANN_BETA_STORAGE_CLASS)
        || claim
            .spec
            .as_ref()
            .is_some_and(|s| s.storage_class_name.is_some())
}

/// `GetPersistentVolumeClass`: beta annotation first, then `storageClassName`, else "".
pub fn volume_class(volume: &PersistentVolume) -> String {
    if let Some(c) = volume
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(ANN_BETA_STORAGE_CLASS))
    {
        return c.clone();
    }
    volume
        .spec
        .as_ref()
        .and_then(|s| s.storage_class_name.clone())
        .unwrap_or_default()
}

/// The claim's volumeMode, nil meaning `Filesystem`.
pub fn claim_volume_mode(claim: &PersistentVolumeClaim) -> &str {
    claim
        .spec
        .as_ref()
        .and_then(|s| s.volume_mode.as_deref())
        .unwrap_or("Filesystem")
}

/// The volume's volumeMode, nil meaning `Filesystem`.
pub fn volume_mode(volume: &PersistentVolume) -> &str {
    volume
        .spec
        .as_ref()
        .and_then(|s| s.volume_mode.as_deref())
        .unwrap_or("Filesystem")
}
