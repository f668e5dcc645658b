//! API-server defaulting for PVs, PVCs (incl. the DefaultStorageClass admission plugin) and
//! StorageClasses, plus the former MINIMAL STAND-IN PV controller [`bind_pending`], kept for
//! comparison; the engine's default binder is now [`super::pv_controller::sync`].
//!
//! The stand-in:
//! It does just enough for the seed walkthrough: new PVs become `Available`; a `Pending` claim
//! without `volumeName` binds to the `Available` PV with the same storageClassName (nil = "")
//! whose access modes include the claim's and whose capacity covers the request — smallest
//! first, ties by PV name (§2.4, with a deterministic tie-break); a Bound PV whose claim is gone
//! becomes `Released` (Retain). Binding writes what `bind()` writes (§2.6).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ObjectReference, PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimStatus,
    PersistentVolumeStatus,
};
use k8s_openapi::api::storage::v1::StorageClass;

use super::{Cluster, Store};

pub const PV_CONTROLLER: &str = "persistentvolume-controller";

/// Parses a Kubernetes quantity (`100Mi`, `1Gi`, `500M`, `2`) into bytes; `None` if malformed.
pub fn parse_quantity(q: &str) -> Option<u128> {
    let q = q.trim();
    let split = q
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(q.len());
    let (num, suffix) = q.split_at(split);
    let mult: u128 = match suffix {
        "" => 1,
        "Ki" => 1 << 10,
        "Mi" => 1 << 20,
        "Gi" => 1 << 30,
        "Ti" => 1 << 40,
        "Pi" => 1 << 50,
        "Ei" => 1 << 60,
        "k" => 1_000,
        "M" => 1_000_000,
        "G" => 1_000_000_000,
        "T" => 1_000_000_000_000,
        "P" => 1_000_000_000_000_000,
        "E" => 1_000_000_000_000_000_000,
        "m" => return num.parse::<f64>().ok().map(|v| (v / 1000.0).ceil() as u128),
        _ => return None,
    };
    if let Ok(v) = num.parse::<u128>() {
        return v.checked_mul(mult);
    }
    num.parse::<f64>()
        .ok()
        .map(|v| (v * mult as f64).ceil() as u128)
}

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

fn storage(
    map: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>,
) -> u128 {
    map.and_then(|m| m.get("storage"))
        .and_then(|q| parse_quantity(&q.0))
        .unwrap_or(0)
}

fn phase_of_pv(pv: &PersistentVolume) -> &str {
    pv.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

fn set_pv_phase(c: &mut Cluster, pv: &PersistentVolume, phase: &str) {
    let mut p = pv.clone();
    p.status.get_or_insert_with(Default::default).phase = Some(phase.into());
    let _ = c.store.update(p);
}

/// One pass of the stand-in PV controller.
pub fn bind_pending(c: &mut Cluster) {
    // Volume side.
    let pvs: Vec<PersistentVolume> = c.store.list::<PersistentVolume>().cloned().collect();
    for pv in &pvs {
        if pv.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let claim_ref = pv.spec.as_ref().and_then(|s| s.claim_ref.as_ref());
        match claim_ref {
            None => {
                if phase_of_pv(pv) != "Available" {
                    set_pv_phase(c, pv, "Available");
                }
            }
            Some(r) => {
                let ns = r.namespace.as_deref().unwrap_or("default");
                let name = r.name.as_deref().unwrap_or("");
                let claim = c.store.get::<PersistentVolumeClaim>(ns, name);
                let same = claim.is_some_and(|cl| r.uid.is_none() || cl.metadata.uid == r.uid);
                if !same && r.uid.is_some() {
                    if !matches!(phase_of_pv(pv), "Released" | "Failed") {
                        set_pv_phase(c, pv, "Released");
                    }
                } else if r.uid.is_none() && phase_of_pv(pv) != "Available" {
                    set_pv_phase(c, pv, "Available");
                }
            }
        }
    }
    // Claim side.
    let claims: Vec<PersistentVolumeClaim> = c
        .store
        .list::<PersistentVolumeClaim>()
        .filter(|p| {
            p.metadata.deletion_timestamp.is_none()
                && p.spec
                    .as_ref()
                    .and_then(|s| s.volume_name.as_ref())
                    .is_none()
        })
        .cloned()
        .collect();
    for claim in claims {
        let spec = claim.spec.clone().unwrap_or_default();
        let class = spec.storage_class_name.clone().unwrap_or_default();
        let request = storage(spec.resources.as_ref().and_then(|r| r.requests.as_ref()));
        let modes = spec.access_modes.clone().unwrap_or_default();
        let best = c
            .store
            .list::<PersistentVolume>()
            .filter(|pv| {
                let s = pv.spec.as_ref();
                pv.metadata.deletion_timestamp.is_none()
                    && phase_of_pv(pv) == "Available"
                    && s.and_then(|s| s.claim_ref.as_ref()).is_none()
                    && s.and_then(|s| s.storage_class_name.clone())
                        .unwrap_or_default()
                        == class
                    && modes.iter().all(|m| {
                        s.and_then(|s| s.access_modes.as_ref())
                            .is_some_and(|pm| pm.contains(m))
                    })
                    && storage(s.and_then(|s| s.capacity.as_ref())) >= request
            })
            .min_by_key(|pv| {
                (
                    storage(pv.spec.as_ref().and_then(|s| s.capacity.as_ref())),
                    pv.metadata.name.clone(),
                )
            })
            .cloned();
        let Some(pv) = best else {
            if class.is_empty() {
                c.store.record_event(
                    &claim.metadata,
                    "PersistentVolumeClaim",
                    "Normal",
                    "FailedBinding",
                    "no persistent volumes available for this claim and no storage class is set",
                    PV_CONTROLLER,
                );
            }
            continue;
        };
        // bind(): PV claimRef + Bound, then claim volumeName + annotations + Bound.
        let mut bound_pv = pv.clone();
        let ps = bound_pv.spec.get_or_insert_with(Default::default);
        ps.claim_ref = Some(ObjectReference {
            api_version: Some("v1".into()),
            kind: Some("PersistentVolumeClaim".into()),
            name: claim.metadata.name.clone(),
            namespace: claim.metadata.namespace.clone(),
            uid: claim.metadata.uid.clone(),
            resource_version: claim.metadata.resource_version.clone(),
            ..Default::default()
        });
        bound_pv
            .metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert("pv.kubernetes.io/bound-by-controller".into(), "yes".into());
        bound_pv.status.get_or_insert_with(Default::default).phase = Some("Bound".into());
        if c.store.update(bound_pv).is_err() {
            continue;
        }
        let mut bound = claim.clone();
        bound.spec.get_or_insert_with(Default::default).volume_name = pv.metadata.name.clone();
        let ann = bound
            .metadata
            .annotations
            .get_or_insert_with(Default::default);
        ann.insert("pv.kubernetes.io/bind-completed".into(), "yes".into());
        ann.insert("pv.kubernetes.io/bound-by-controller".into(), "yes".into());
        let st = bound.status.get_or_insert_with(Default::default);
        st.phase = Some("Bound".into());
        st.access_modes = pv.spec.as_ref().and_then(|s| s.access_modes.clone());
        st.capacity = pv.spec.as_ref().and_then(|s| s.capacity.clone());
        let _ = c.store.update(bound);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_quantity_understands_binary_and_decimal_suffixes() {
        assert_eq!(parse_quantity("100Mi"), Some(100 << 20));
        assert_eq!(parse_quantity("1Gi"), Some(1 << 30));
        assert_eq!(parse_quantity("500M"), Some(500_000_000));
        assert_eq!(parse_quantity("1.5Gi"), Some(3 << 29));
        assert_eq!(parse_quantity("12"), Some(12));
        assert_eq!(parse_quantity("12xyz"), None);
    }
}
