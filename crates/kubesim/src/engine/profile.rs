//! Cluster profiles: what storage the simulated cluster comes with.
//!
//! - [`Profile::Bare`] (default): no StorageClass. Claims bind only to PersistentVolumes the
//!   user creates (the seed's NFS volumes `pv001`…`pv005`).
//! - [`Profile::KindLike`]: like a `kind` cluster, a default StorageClass `standard`
//!   (provisioner `rancher.io/local-path`, `WaitForFirstConsumer`, reclaimPolicy `Delete`).
//!   Claims without a class get `standard` at admission, so the same manifests provision
//!   `pvc-<uid>` volumes on the node the pod is scheduled to instead of binding `pv001`.
//!   As on kind, the local-path provisioner refuses ReadWriteMany claims (they stay Pending
//!   with a `ProvisioningFailed` event; `storage::binder::external_provision`).

use std::collections::BTreeMap;

use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::{Cluster, ClusterConfig};
use crate::storage::ANN_DEFAULT_CLASS;

/// The storage setup of a simulated cluster.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Profile {
    /// No StorageClass; static PersistentVolumes only.
    #[default]
    Bare,
    /// kind's default StorageClass `standard` (local-path provisioner, WaitForFirstConsumer).
    KindLike,
}

impl Profile {
    /// Every profile, in the order the UI lists them.
    pub const ALL: [Profile; 2] = [Profile::Bare, Profile::KindLike];

    /// The profile's name (`bare`, `kind-like`).
    pub fn name(self) -> &'static str {
        match self {
            Profile::Bare => "bare",
            Profile::KindLike => "kind-like",
        }
    }

    /// Parses a name (case-insensitive; `kind` is accepted for `kind-like`).
    pub fn from_name(name: &str) -> Option<Profile> {
        match name.trim().to_ascii_lowercase().as_str() {
            "bare" => Some(Profile::Bare),
            "kind-like" | "kind" | "kindlike" => Some(Profile::KindLike),
            _ => None,
        }
    }

    /// One sentence for the UI.
    pub fn describe(self) -> &'static str {
        match self {
            Profile::Bare => "No StorageClass: claims bind only to PersistentVolumes you create (the seed's NFS volumes pv001-pv005).",
            Profile::KindLike => "Like kind: default StorageClass \"standard\" (rancher.io/local-path, WaitForFirstConsumer, reclaimPolicy Delete): claims get pvc-<uid> volumes provisioned on the pod's node.",
        }
    }

    /// The StorageClasses the profile installs at instant 0.
    pub fn storage_classes(self) -> Vec<StorageClass> {
        match self {
            Profile::Bare => Vec::new(),
            Profile::KindLike => vec![StorageClass {
                metadata: ObjectMeta {
                    name: Some("standard".into()),
                    annotations: Some(BTreeMap::from([(
                        ANN_DEFAULT_CLASS.to_string(),
                        "true".to_string(),
                    )])),
                    ..Default::default()
                },
                provisioner: "rancher.io/local-path".into(),
                reclaim_policy: Some("Delete".into()),
                volume_binding_mode: Some("WaitForFirstConsumer".into()),
                ..Default::default()
            }],
        }
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl ClusterConfig {
    /// The default configuration with the named profile (`bare`, `kind-like`); `None` for an
    /// unknown name.
    pub fn profile(name: &str) -> Option<ClusterConfig> {
        Profile::from_name(name).map(ClusterConfig::with_profile)
    }

    /// The default configuration with this profile.
    pub fn with_profile(profile: Profile) -> ClusterConfig {
        ClusterConfig {
            profile,
            ..Default::default()
        }
    }
}

/// Creates the profile's objects in a new cluster.
pub(crate) fn install(c: &mut Cluster) {
    // kind deploys rancher's local-path provisioner in its own namespace
    // (kubernetes-sigs/kind `pkg/build/nodeimage/const_storage.go`: `local-path-storage`)
    if matches!(c.config.profile, Profile::KindLike) {
        super::namespaces::install(&mut c.store, "local-path-storage");
    }
    for sc in c.config.profile.storage_classes() {
        let _ = c.store.create(sc);
    }
}
