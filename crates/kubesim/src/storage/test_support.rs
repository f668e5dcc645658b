//! Object builders for the storage tests (mirroring upstream's test helpers).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ObjectReference, PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec,
    PersistentVolumeSpec, PersistentVolumeStatus, VolumeResourceRequirements,
};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

pub const RWO: &str = "ReadWriteOnce";
pub const ROX: &str = "ReadOnlyMany";
pub const RWX: &str = "ReadWriteMany";

pub fn modes(m: &[&str]) -> Option<Vec<String>> {
    Some(m.iter().map(|s| s.to_string()).collect())
}

/// A PV with name, uid, size, modes; Filesystem mode; phase Available.
pub fn pv(name: &str, uid: &str, size: &str, m: &[&str]) -> PersistentVolume {
    PersistentVolume {
        metadata: ObjectMeta {
            name: Some(name.into()),
            uid: Some(uid.into()),
            ..Default::default()
        },
        spec: Some(PersistentVolumeSpec {
            capacity: Some(BTreeMap::from([("storage".into(), Quantity(size.into()))])),
            access_modes: modes(m),
            volume_mode: Some("Filesystem".into()),
            ..Default::default()
        }),
        status: Some(PersistentVolumeStatus {
            phase: Some("Available".into()),
            ..Default::default()
        }),
    }
}

pub fn with_class(mut v: PersistentVolume, class: &str) -> PersistentVolume {
    v.spec.as_mut().unwrap().storage_class_name = Some(class.into());
    v
}

pub fn with_labels(mut v: PersistentVolume, labels: &[(&str, &str)]) -> PersistentVolume {
    v.metadata.labels = Some(
        labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    );
    v
}

pub fn with_phase(mut v: PersistentVolume, phase: &str) -> PersistentVolume {
    v.status = Some(PersistentVolumeStatus {
        phase: (!phase.is_empty()).then(|| phase.to_string()),
        ..Default::default()
    });
    v
}

pub fn with_claim_ref(
    mut v: PersistentVolume,
    ns: &str,
    name: &str,
    uid: &str,
) -> PersistentVolume {
    v.spec.as_mut().unwrap().claim_ref = Some(ObjectReference {
        namespace: (!ns.is_empty()).then(|| ns.to_string()),
        name: (!name.is_empty()).then(|| name.to_string()),
        uid: (!uid.is_empty()).then(|| uid.to_string()),
        ..Default::default()
    });
    v
}

/// `makePVC`: claim01 in myns, ROX+RWO, Filesystem.
pub fn pvc(size: &str) -> PersistentVolumeClaim {
    PersistentVolumeClaim {
        metadata: ObjectMeta {
            name: Some("claim01".into()),
            namespace: Some("myns".into()),
            ..Default::default()
        },
        spec: Some(PersistentVolumeClaimSpec {
            access_modes: modes(&[ROX, RWO]),
            resources: Some(VolumeResourceRequirements {
                requests: Some(BTreeMap::from([("storage".into(), Quantity(size.into()))])),
                ..Default::default()
            }),
            volume_mode: Some("Filesystem".into()),
            ..Default::default()
        }),
        status: None,
    }
}

pub fn claim(ns: &str, name: &str, uid: &str, size: &str, m: &[&str]) -> PersistentVolumeClaim {
    let mut c = pvc(size);
    c.metadata.namespace = Some(ns.into());
    c.metadata.name = Some(name.into());
    c.metadata.uid = Some(uid.into());
    c.spec.as_mut().unwrap().access_modes = modes(m);
    c
}

pub fn class(name: &str, provisioner: &str, mode: &str) -> StorageClass {
    StorageClass {
        metadata: ObjectMeta {
            name: Some(name.into()),
            ..Default::default()
        },
        provisioner: provisioner.into(),
        volume_binding_mode: Some(mode.into()),
        reclaim_policy: Some("Delete".into()),
        ..Default::default()
    }
}
