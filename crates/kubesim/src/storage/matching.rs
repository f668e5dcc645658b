//! Which PersistentVolume a claim gets: `pkg/controller/volume/persistentvolume/index.go`
//! (`findByClaim`, `allPossibleMatchingAccessModes`) and
//! `k8s.io/component-helpers/storage/volume/pv_helpers.go` (`FindMatchingVolume`).

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{
    Node, NodeSelectorRequirement, PersistentVolume, PersistentVolumeClaim,
};

use super::quantity::{self, Amount};
use super::{claim_class, claim_volume_mode, volume_class, volume_mode};
use crate::validation::selector_matches;

/// How ties are broken, in words the UI can show. Upstream keeps the *first* volume of the
/// smallest size in informer-index order, which is effectively arbitrary; we make it
/// deterministic by visiting volumes in name order.
pub const TIE_BREAK_RULE: &str = "Among equally small matching PersistentVolumes the one whose name sorts first wins (upstream: whichever the controller's cache lists first, i.e. unspecified). Access-mode groups with the same number of modes are searched in the order RWO, ROX, RWX, RWOP of their mode lists.";

/// Upstream's canonical order of access modes (`GetAccessModesAsString`).
const MODE_ORDER: [&str; 4] = [
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOncePod",
];

fn mode_rank(mode: &str) -> usize {
    MODE_ORDER
        .iter()
        .position(|m| *m == mode)
        .unwrap_or(MODE_ORDER.len())
}

/// The exact access-mode set of a volume, in canonical order (the index key upstream).
pub(crate) fn mode_set(modes: Option<&Vec<String>>) -> Vec<String> {
    let set: BTreeSet<(usize, &String)> = modes
        .into_iter()
        .flatten()
        .map(|m| (mode_rank(m), m))
        .collect();
    set.into_iter().map(|(_, m)| m.clone()).collect()
}

fn name_of(pv: &PersistentVolume) -> &str {
    pv.metadata.name.as_deref().unwrap_or("")
}

/// `IsVolumeBoundToClaim`: the volume's claimRef names this claim (namespace+name) and, when
/// the ref carries a UID, the UID matches too. A nil claimRef is not bound.
pub fn is_volume_bound_to_claim(volume: &PersistentVolume, claim: &PersistentVolumeClaim) -> bool {
    let Some(r) = volume.spec.as_ref().and_then(|s| s.claim_ref.as_ref()) else {
        return false;
    };
    if r.name.as_deref().unwrap_or("") != claim.metadata.name.as_deref().unwrap_or("")
        || r.namespace.as_deref().unwrap_or("") != claim.metadata.namespace.as_deref().unwrap_or("")
    {
        return false;
    }
    let ref_uid = r.uid.as_deref().unwrap_or("");
    ref_uid.is_empty() || ref_uid == claim.metadata.uid.as_deref().unwrap_or("")
}

/// `CheckVolumeModeMismatches`: nil on either side means Filesystem.
pub fn volume_mode_mismatch(volume: &PersistentVolume, claim: &PersistentVolumeClaim) -> bool {
    claim_volume_mode(claim) != volume_mode(volume)
}

/// `CheckAccessModes`: the volume offers every mode the claim asks for.
pub fn access_modes_satisfied(volume: &PersistentVolume, claim: &PersistentVolumeClaim) -> bool {
    let offered = volume
        .spec
        .as_ref()
        .and_then(|s| s.access_modes.as_ref())
        .cloned()
        .unwrap_or_default();
    claim
        .spec
        .as_ref()
        .and_then(|s| s.access_modes.as_ref())
        .into_iter()
        .flatten()
        .all(|m| offered.contains(m))
}

/// Requested storage of a claim (`spec.resources.requests.storage`, zero when absent).
pub fn requested_storage(claim: &PersistentVolumeClaim) -> Amount {
    claim
        .spec
        .as_ref()
        .and_then(|s| s.resources.as_ref())
        .and_then(|r| r.requests.as_ref())
        .and_then(|r| r.get("storage"))
        .map(quantity::amount)
        .unwrap_or(Amount::ZERO)
}

/// Capacity of a volume (`spec.capacity.storage`, zero when absent).
pub fn volume_capacity(volume: &PersistentVolume) -> Amount {
    volume
        .spec
        .as_ref()
        .and_then(|s| s.capacity.as_ref())
        .and_then(|c| c.get("storage"))
        .map(quantity::amount)
        .unwrap_or(Amount::ZERO)
}

fn attributes_class_equal(volume: &PersistentVolume, claim: &PersistentVolumeClaim) -> bool {
    let v = volume
        .spec
        .as_ref()
        .and_then(|s| s.volume_attributes_class_name.as_deref())
        .unwrap_or("");
    let c = claim
        .spec
        .as_ref()
        .and_then(|s| s.volume_attributes_class_name.as_deref())
        .unwrap_or("");
    v == c
}

fn requirement_matches(req: &NodeSelectorRequirement, value: Option<&String>) -> bool {
    let values = req.values.as_deref().unwrap_or(&[]);
    match req.operator.as_str() {
        "In" => value.is_some_and(|v| values.contains(v)),
        "NotIn" => !value.is_some_and(|v| values.contains(v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        "Gt" | "Lt" => {
            let (Some(v), Some(bound)) = (
                value.and_then(|v| v.parse::<i64>().ok()),
                values.first().and_then(|b| b.parse::<i64>().ok()),
            ) else {
                return false;
            };
            if req.operator == "Gt" {
                v > bound
            } else {
                v < bound
            }
        }
        _ => false,
    }
}

/// `CheckNodeAffinity`: does the volume's `spec.nodeAffinity.required` admit this node?
/// Terms are ORed, requirements inside a term ANDed; no affinity admits every node.
pub fn node_affinity_allows(volume: &PersistentVolume, node: &Node) -> bool {
    let Some(required) = volume
        .spec
        .as_ref()
        .and_then(|s| s.node_affinity.as_ref())
        .and_then(|a| a.required.as_ref())
    else {
        return true;
    };
    let empty = BTreeMap::new();
    let labels = node.metadata.labels.as_ref().unwrap_or(&empty);
    let node_name = node.metadata.name.clone().unwrap_or_default();
    required.node_selector_terms.iter().any(|term| {
        let exprs = term.match_expressions.as_deref().unwrap_or(&[]);
        let fields = term.match_fields.as_deref().unwrap_or(&[]);
        if exprs.is_empty() && fields.is_empty() {
            return false; // an empty term matches nothing
        }
        exprs
            .iter()
            .all(|r| requirement_matches(r, labels.get(&r.key)))
            && fields
                .iter()
                .all(|r| r.key == "metadata.name" && requirement_matches(r, Some(&node_name)))
    })
}

fn is_being_deleted(volume: &PersistentVolume) -> bool {
    volume.metadata.deletion_timestamp.is_some()
}

/// Checks 2-5 of [`find_matching_volume`]: big enough, same volumeMode, same
/// volumeAttributesClassName, not being deleted.
pub(crate) fn volume_fits(
    volume: &PersistentVolume,
    claim: &PersistentVolumeClaim,
    requested: Amount,
) -> bool {
    volume_capacity(volume) >= requested
        && !volume_mode_mismatch(volume, claim)
        && attributes_class_equal(volume, claim)
        && !is_being_deleted(volume)
}

/// Phase `Available` (check 8 of [`find_matching_volume`]).
pub(crate) fn volume_phase_is_available(volume: &PersistentVolume) -> bool {
    volume.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Available")
}

/// The claim's selector (if any) matches the volume's labels.
pub(crate) fn selector_allows(
    volume: &PersistentVolume,
    claim: &PersistentVolumeClaim,
    empty: &BTreeMap<String, String>,
) -> bool {
    claim
        .spec
        .as_ref()
        .and_then(|s| s.selector.as_ref())
        .is_none_or(|sel| selector_matches(sel, volume.metadata.labels.as_ref().unwrap_or(empty)))
}

/// `FindMatchingVolume` over one list of volumes (visited in name order, see
/// [`TIE_BREAK_RULE`]). `node` is set only on the scheduler path (then PV node affinity and
/// access modes are checked too); `excluded` names volumes already chosen for other claims of
/// the same pod; `delay_binding` is true on the PV-controller path for WaitForFirstConsumer
/// claims, where only volumes pre-bound to the claim are returned.
pub fn find_matching_volume<'a>(
    claim: &PersistentVolumeClaim,
    volumes: impl IntoIterator<Item = &'a PersistentVolume>,
    node: Option<&Node>,
    excluded: &BTreeSet<String>,
    delay_binding: bool,
) -> Option<&'a PersistentVolume> {
    let mut volumes: Vec<&PersistentVolume> = volumes.into_iter().collect();
    volumes.sort_by(|a, b| name_of(a).cmp(name_of(b)));
    let requested = requested_storage(claim);
    let requested_class = claim_class(claim);
    let selector = claim.spec.as_ref().and_then(|s| s.selector.as_ref());
    let empty = BTreeMap::new();

    let mut smallest: Option<(&PersistentVolume, Amount)> = None;
    for volume in volumes {
        if excluded.contains(name_of(volume)) {
            continue;
        }
        let has_claim_ref = volume.spec.as_ref().is_some_and(|s| s.claim_ref.is_some());
        // 1. claimRef that points elsewhere
        if has_claim_ref && !is_volume_bound_to_claim(volume, claim) {
            continue;
        }
        // 2. too small
        let capacity = volume_capacity(volume);
        if capacity < requested {
            continue;
        }
        // 3. volumeMode
        if volume_mode_mismatch(volume, claim) {
            continue;
        }
        // 4. volumeAttributesClassName
        if !attributes_class_equal(volume, claim) {
            continue;
        }
        // 5. being deleted
        if is_being_deleted(volume) {
            continue;
        }
        let affinity_ok = node.is_none_or(|n| node_affinity_allows(volume, n));
        // 6. pre-bound to this claim: returned at once (class, selector, phase not checked)
        if is_volume_bound_to_claim(volume, claim) {
            return affinity_ok.then_some(volume);
        }
        // 7. the PV controller leaves WaitForFirstConsumer claims to the scheduler
        if node.is_none() && delay_binding {
            continue;
        }
        // 8. phase, selector, class, affinity (+ access modes on the scheduler path)
        let phase = volume
            .status
            .as_ref()
            .and_then(|s| s.phase.as_deref())
            .unwrap_or("");
        if phase != "Available" {
            continue;
        }
        if let Some(sel) = selector {
            if !selector_matches(sel, volume.metadata.labels.as_ref().unwrap_or(&empty)) {
                continue;
            }
        }
        if volume_class(volume) != requested_class {
            continue;
        }
        if !affinity_ok {
            continue;
        }
        if node.is_some() && !access_modes_satisfied(volume, claim) {
            continue;
        }
        // 9. smallest wins; ties keep the first seen (name order)
        if smallest.is_none_or(|(_, best)| best > capacity) {
            smallest = Some((volume, capacity));
        }
    }
    smallest.map(|(v, _)| v)
}

/// The access-mode groups (exact mode sets present among `volumes`) that contain every mode
/// the claim requests, fewest modes first (`allPossibleMatchingAccessModes`).
pub fn possible_access_mode_groups<'a>(
    volumes: impl IntoIterator<Item = &'a PersistentVolume>,
    requested: &[String],
) -> Vec<Vec<String>> {
    let sets: BTreeSet<Vec<String>> = volumes
        .into_iter()
        .map(|v| mode_set(v.spec.as_ref().and_then(|s| s.access_modes.as_ref())))
        .collect();
    possible_groups(sets.iter(), requested)
}

/// The access-mode sets among `sets` (distinct, in order) that contain every requested mode,
/// fewest modes first, then by their modes' canonical order.
pub(crate) fn possible_groups<'s>(
    sets: impl IntoIterator<Item = &'s Vec<String>>,
    requested: &[String],
) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = sets
        .into_iter()
        .filter(|set| requested.iter().all(|m| set.contains(m)))
        .cloned()
        .collect();
    groups.sort_by(|a, b| {
        a.len().cmp(&b.len()).then_with(|| {
            let ra: Vec<usize> = a.iter().map(|m| mode_rank(m)).collect();
            let rb: Vec<usize> = b.iter().map(|m| mode_rank(m)).collect();
            ra.cmp(&rb)
        })
    });
    groups
}

/// The PV controller's choice of volume for an unbound claim (`findBestMatchForClaim`).
///
/// Volumes are grouped by their exact access-mode set; only groups offering every requested
/// mode are searched, groups with fewer modes first, and the first group that yields a match
/// wins — so for a ReadWriteOnce claim a RWO-only 10Gi volume beats a RWO+RWX 5Gi one.
/// Inside a group, per volume in this order: a claimRef to another claim skips it; too small,
/// different volumeMode (nil = Filesystem), different volumeAttributesClassName, or being
/// deleted skips it; a volume pre-bound to this claim is returned at once (its class,
/// selector and phase are not checked); with `delay_binding` (WaitForFirstConsumer) nothing
/// else is considered; otherwise the volume must be `Available`, match the claim's selector
/// (matchLabels and matchExpressions) and have the same storageClassName (`""` only matches
/// `""`). The smallest capacity wins; ties go by volume name ([`TIE_BREAK_RULE`]).
pub fn find_best_match_for_claim<'a>(
    volumes: impl IntoIterator<Item = &'a PersistentVolume>,
    claim: &PersistentVolumeClaim,
    delay_binding: bool,
) -> Option<&'a PersistentVolume> {
    let volumes: Vec<&PersistentVolume> = volumes.into_iter().collect();
    let requested: Vec<String> = claim
        .spec
        .as_ref()
        .and_then(|s| s.access_modes.clone())
        .unwrap_or_default();
    let none = BTreeSet::new();
    for group in possible_access_mode_groups(volumes.iter().copied(), &requested) {
        let members = volumes
            .iter()
            .copied()
            .filter(|v| mode_set(v.spec.as_ref().and_then(|s| s.access_modes.as_ref())) == group);
        if let Some(found) = find_matching_volume(claim, members, None, &none, delay_binding) {
            return Some(found);
        }
    }
    None
}
