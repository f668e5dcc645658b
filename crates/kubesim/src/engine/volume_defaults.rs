//! API-server defaulting for PersistentVolumes, PersistentVolumeClaims (with the
//! DefaultStorageClass admission plugin) and StorageClasses. Binding itself is the PV
//! controller's job: [`super::pv_controller`].

use k8s_openapi::api::core::v1::{
    PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimStatus, PersistentVolumeStatus,
};
use k8s_openapi::api::storage::v1::StorageClass;

use super::Store;

pub(crate) fn default_pv(mut pv: PersistentVolume) -> PersistentVolume {
    let spec = pv.spec.get_or_insert_with(Default::default);
    if spec.persistent_volume_reclaim_policy.is_none() {
        spec.persistent_volume_reclaim_policy = Some("Retain".into());
    }
    if spec.volume_mode.is_none() {
        spec.volume_mode = Some("Filesystem".into());
    }
    if pv.status.is_none() {
        pv.status = Some(PersistentVolumeStatus {
            phase: Some("Pending".into()),
            ..Default::default()
        });
    }
    pv
}

pub(crate) fn default_storage_class(mut sc: StorageClass) -> StorageClass {
    if sc.reclaim_policy.is_none() {
        sc.reclaim_policy = Some("Delete".into());
    }
    if sc.volume_binding_mode.is_none() {
        sc.volume_binding_mode = Some("Immediate".into());
    }
    sc
}

/// Admission: volumeMode default and the DefaultStorageClass plugin (newest default wins).
pub(crate) fn default_pvc(store: &Store, mut pvc: PersistentVolumeClaim) -> PersistentVolumeClaim {
    let spec = pvc.spec.get_or_insert_with(Default::default);
    if spec.volume_mode.is_none() {
        spec.volume_mode = Some("Filesystem".into());
    }
    crate::storage::admit_default_storage_class(&mut pvc, store.list::<StorageClass>());
    if pvc.status.is_none() {
        pvc.status = Some(PersistentVolumeClaimStatus {
            phase: Some("Pending".into()),
            ..Default::default()
        });
    }
    pvc
}
