//! Update validation: what the API server refuses when an existing object is changed
//! (`kubectl apply`, `patch`, `edit`), in v1.35's words. The create rules are in the parent.

use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim, ServiceSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::{go_quote, join_causes, Bad};
use crate::storage::quantity;

/// `ValidateImmutableField`'s detail (`apimachinery/pkg/api/validation/generic.go`).
const FIELD_IMMUTABLE: &str = "field is immutable";

/// `ValidateObjectMetaAccessorUpdate` (staging/src/k8s.io/apimachinery/pkg/api/validation/
/// objectmeta.go) as far as a request can fail it: the uid. Name and namespace select the
/// object (a patch that changes them is refused before, by the patch handler's `checkName`);
/// an empty uid is filled in and creationTimestamp/deletionTimestamp/
/// deletionGracePeriodSeconds are copied from the stored object by `BeforeUpdate`
/// (apiserver/pkg/registry/rest/update.go), so they never differ here.
pub fn object_meta_update(old: &ObjectMeta, new: &ObjectMeta) -> Option<String> {
    let uid = new.uid.as_deref().filter(|u| !u.is_empty())?;
    (old.uid.as_deref() != Some(uid)).then(|| {
        format!(
            "metadata.uid: Invalid value: {}: {FIELD_IMMUTABLE}",
            Bad::Str(uid.to_string()).render()
        )
    })
}

/// `validateUpgradeDowngradeClusterIPs` (pkg/apis/core/validation/validation.go) for the
/// single-stack Services of the playground: the primary cluster IP may not change (the value
/// shown is the new `clusterIPs`, which the registry fills from `clusterIP`). ExternalName on
/// either side and headless to headless are left alone; a request without a cluster IP keeps
/// the allocated one (`patchAllocatedValues`).
pub fn service_cluster_ip_update(old: &ServiceSpec, new: &ServiceSpec) -> Option<String> {
    let external = |s: &ServiceSpec| s.type_.as_deref() == Some("ExternalName");
    if external(old) || external(new) {
        return None;
    }
    // normalizeClusterIPs (pkg/registry/core/service/storage/storage.go): a changed clusterIP
    // becomes clusterIPs[0]
    let new_ip = new
        .cluster_ip
        .as_ref()
        .filter(|ip| !ip.is_empty())
        .or_else(|| new.cluster_ips.as_ref().and_then(|ips| ips.first()))
        .filter(|ip| !ip.is_empty())?;
    let old_ip = old.cluster_ip.as_deref().unwrap_or_default();
    if old_ip == "None" && new_ip == "None" || old_ip == new_ip {
        return None;
    }
    Some(format!(
        "spec.clusterIPs[0]: Invalid value: {}: may not change once set",
        Bad::Json(serde_json::json!([new_ip])).render()
    ))
}

/// Why an update is refused: by validation (422, `is invalid: CAUSES`) or by an admission
/// plugin (403, `is forbidden: WHY`).
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    Invalid(String),
    Forbidden(String),
}

/// `ValidatePersistentVolumeClaimUpdate` (pkg/apis/core/validation/validation.go), then the
/// `PersistentVolumeClaimResize` admission plugin (plugin/pkg/admission/storage/
/// persistentvolume/resize/admission.go), which validates after the strategy:
/// * the spec is immutable except a bound claim's storage request (binding fills in
///   `volumeName` and the default class `storageClassName`: a manifest without them keeps them);
/// * a bound claim's request may shrink only while it stays above `status.capacity`
///   (RecoverVolumeExpansionFailure, GA in 1.34);
/// * it may grow only when its StorageClass has `allowVolumeExpansion: true`.
///
/// Upstream's immutable-spec message goes on with a diff of the two specs; ours stops at the
/// sentence.
pub fn claim_update(
    old: &PersistentVolumeClaim,
    new: &PersistentVolumeClaim,
    expandable: impl Fn(&str) -> bool,
) -> Option<Refusal> {
    let bound = old.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound");
    let storage = |p: &PersistentVolumeClaim| {
        p.spec
            .as_ref()
            .and_then(|s| s.resources.as_ref())
            .and_then(|r| r.requests.as_ref())
            .and_then(|r| r.get("storage"))
            .cloned()
    };
    let comparable = |p: &PersistentVolumeClaim, keep_storage: bool| {
        p.spec.clone().map(|mut s| {
            s.volume_name = None;
            s.storage_class_name = None;
            if !keep_storage {
                if let Some(r) = s.resources.as_mut().and_then(|r| r.requests.as_mut()) {
                    r.remove("storage");
                }
            }
            s
        })
    };
    if comparable(old, !bound) != comparable(new, !bound) {
        return Some(Refusal::Invalid(
            "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims".into(),
        ));
    }
    let (Some(was), Some(now)) = (storage(old), storage(new)) else {
        return None;
    };
    match quantity::cmp(&now, &was) {
        std::cmp::Ordering::Equal => None,
        std::cmp::Ordering::Less => {
            let capacity = old
                .status
                .as_ref()
                .and_then(|s| s.capacity.as_ref())
                .and_then(|c| c.get("storage"));
            capacity
                .filter(|cap| quantity::cmp(&now, cap) != std::cmp::Ordering::Greater)
                .map(|_| {
                    Refusal::Invalid(
                        "spec.resources.requests.storage: Forbidden: field can not be less than status.capacity".into(),
                    )
                })
        }
        std::cmp::Ordering::Greater => {
            if !bound {
                return Some(Refusal::Forbidden(
                    "Only bound persistent volume claims can be expanded".into(),
                ));
            }
            let class = old
                .spec
                .as_ref()
                .and_then(|s| s.storage_class_name.as_deref());
            let new_class = new
                .spec
                .as_ref()
                .and_then(|s| s.storage_class_name.as_deref())
                .or(class);
            match class {
                Some(c) if !c.is_empty() && Some(c) == new_class && expandable(c) => None,
                _ => Some(Refusal::Forbidden(
                    "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize".into(),
                )),
            }
        }
    }
}

/// `ValidatePersistentVolumeUpdate`: the volume source (`spec.persistentvolumesource`, every
/// source field of the spec) and `volumeMode` are immutable. Upstream's source message goes
/// on with a diff of the two sources; ours stops at the sentence.
pub fn volume_update(old: &PersistentVolume, new: &PersistentVolume) -> Option<String> {
    let source = |v: &PersistentVolume| {
        v.spec.clone().map(|mut s| {
            s.access_modes = None;
            s.capacity = None;
            s.claim_ref = None;
            s.mount_options = None;
            s.node_affinity = None;
            s.persistent_volume_reclaim_policy = None;
            s.storage_class_name = None;
            s.volume_mode = None;
            s.volume_attributes_class_name = None;
            s
        })
    };
    let mut causes = Vec::new();
    if source(old) != source(new) {
        causes.push(
            "spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation".to_string(),
        );
    }
    let mode = |v: &PersistentVolume| v.spec.as_ref().and_then(|s| s.volume_mode.clone());
    if let Some(m) = mode(new).filter(|m| Some(m) != mode(old).as_ref()) {
        // the path is upstream's: `field.NewPath("volumeMode")`, without `spec.`
        causes.push(format!(
            "volumeMode: Invalid value: {}: {FIELD_IMMUTABLE}",
            go_quote(&m)
        ));
    }
    (!causes.is_empty()).then(|| join_causes(causes))
}
