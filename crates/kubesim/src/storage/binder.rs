//! The PersistentVolume controller's decisions (`pkg/controller/volume/persistentvolume/
//! pv_controller.go`), one pure function per sync, plus the dynamic-provisioning and
//! scheduler-side helpers the engine needs.
//!
//! # What the engine calls, and when
//! The real controller re-syncs every claim and volume on every change and every 15 s.
//! A simulator gets the same result by, on every tick in which any PV, PVC, StorageClass
//! or pod changed (and periodically otherwise):
//! 1. on PVC create: [`admit_default_storage_class`] (admission), then default the phases
//!    (`Pending`) as the API server does;
//! 2. [`sync_claim`] for every PVC (dispatches to [`sync_unbound_claim`] /
//!    [`sync_bound_claim`]);
//! 3. [`sync_volume`] for every PV (phases, `Released`, reclaim policy);
//! 4. [`external_provision`] for every unbound PVC (the external provisioner, e.g.
//!    `rancher.io/local-path`, creating `pvc-<uid>` volumes — for WaitForFirstConsumer
//!    classes only once the scheduler has set `volume.kubernetes.io/selected-node`, which
//!    the engine's scheduler does with [`select_node`]; a scheduler that picks a static PV
//!    writes the binding with [`scheduler_bind_volume`]);
//! 5. for pods: [`pod_volumes`] tells the scheduler whether a pod's claims let it schedule
//!    (with the upstream reason text); finalizers: [`pvc_protection_allows_removal`],
//!    [`pv_protection_allows_removal`];
//! 6. apply each [`Outcome`]: replace updated objects, create/delete volumes, append events
//!    (aggregating repeats), and run [`sync_claim`] again for `resync_claims`.
//!
//! Applying outcomes one at a time against the current store (rather than a snapshot) keeps
//! two claims from taking the same volume, as the single-worker upstream controller does.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    CSIPersistentVolumeSource, HostPathVolumeSource, NodeSelector, NodeSelectorRequirement,
    NodeSelectorTerm, ObjectReference, PersistentVolume, PersistentVolumeClaim,
    PersistentVolumeClaimStatus, PersistentVolumeSpec, PersistentVolumeStatus, Pod,
    VolumeNodeAffinity,
};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::matching::{
    access_modes_satisfied, find_best_match_for_claim, is_volume_bound_to_claim, requested_storage,
    volume_capacity, volume_mode_mismatch,
};
use super::*;

/// Where the controller reads objects from when it is not handed lists: the engine's store,
/// whose tables are keyed by name and which keeps a [`super::index::VolumeIndex`], so a
/// lookup costs a logarithm instead of a scan.
pub trait StorageSource {
    fn volume(&self, name: &str) -> Option<&PersistentVolume>;
    fn claim(&self, namespace: &str, name: &str) -> Option<&PersistentVolumeClaim>;
    fn class(&self, name: &str) -> Option<&StorageClass>;
    /// Every class, in name order.
    fn classes(&self) -> Box<dyn Iterator<Item = &StorageClass> + '_>;
    /// The pods of one namespace (every question about a claim's pods is in its namespace).
    fn pods_in<'s>(&'s self, namespace: &'s str) -> Box<dyn Iterator<Item = &'s Pod> + 's>;
    /// [`find_best_match_for_claim`] over every volume.
    fn best_match(
        &self,
        claim: &PersistentVolumeClaim,
        delay_binding: bool,
    ) -> Option<&PersistentVolume>;
}

/// Everything the controller looks at: lists (tests, small worlds) or a [`StorageSource`].
#[derive(Clone)]
pub struct StorageView<'a>(Inner<'a>);

#[derive(Clone)]
enum Inner<'a> {
    Lists {
        volumes: Vec<&'a PersistentVolume>,
        claims: Vec<&'a PersistentVolumeClaim>,
        classes: Vec<&'a StorageClass>,
        pods: Vec<&'a Pod>,
    },
    Source(&'a dyn StorageSource),
}

impl<'a> StorageView<'a> {
    pub fn new(
        volumes: impl IntoIterator<Item = &'a PersistentVolume>,
        claims: impl IntoIterator<Item = &'a PersistentVolumeClaim>,
        classes: impl IntoIterator<Item = &'a StorageClass>,
        pods: impl IntoIterator<Item = &'a Pod>,
    ) -> Self {
        StorageView(Inner::Lists {
            volumes: volumes.into_iter().collect(),
            claims: claims.into_iter().collect(),
            classes: classes.into_iter().collect(),
            pods: pods.into_iter().collect(),
        })
    }

    /// A view reading through `source` (no copy: O(1) to make).
    pub fn of(source: &'a dyn StorageSource) -> Self {
        StorageView(Inner::Source(source))
    }

    pub fn volume(&self, name: &str) -> Option<&'a PersistentVolume> {
        match &self.0 {
            Inner::Lists { volumes, .. } => volumes
                .iter()
                .copied()
                .find(|v| v.metadata.name.as_deref() == Some(name)),
            Inner::Source(s) => s.volume(name),
        }
    }

    pub fn claim(&self, namespace: &str, name: &str) -> Option<&'a PersistentVolumeClaim> {
        match &self.0 {
            Inner::Lists { claims, .. } => claims.iter().copied().find(|c| {
                c.metadata.name.as_deref() == Some(name)
                    && c.metadata.namespace.as_deref().unwrap_or("") == namespace
            }),
            Inner::Source(s) => s.claim(namespace, name),
        }
    }

    pub fn class(&self, name: &str) -> Option<&'a StorageClass> {
        match &self.0 {
            Inner::Lists { classes, .. } => classes
                .iter()
                .copied()
                .find(|c| c.metadata.name.as_deref() == Some(name)),
            Inner::Source(s) => s.class(name),
        }
    }

    /// Every class.
    pub fn classes(&self) -> Box<dyn Iterator<Item = &'a StorageClass> + 'a> {
        match &self.0 {
            Inner::Lists { classes, .. } => Box::new(classes.clone().into_iter()),
            Inner::Source(s) => s.classes(),
        }
    }

    /// The pods in `namespace` (all pods when built from lists: callers filter by namespace).
    pub fn pods_in<'s>(&'s self, namespace: &'s str) -> Box<dyn Iterator<Item = &'s Pod> + 's> {
        match &self.0 {
            Inner::Lists { pods, .. } => Box::new(pods.clone().into_iter()),
            Inner::Source(s) => s.pods_in(namespace),
        }
    }

    /// The PV controller's choice for an unbound claim ([`find_best_match_for_claim`]).
    pub fn best_match(
        &self,
        claim: &PersistentVolumeClaim,
        delay_binding: bool,
    ) -> Option<&'a PersistentVolume> {
        match &self.0 {
            Inner::Lists { volumes, .. } => {
                find_best_match_for_claim(volumes.iter().copied(), claim, delay_binding)
            }
            Inner::Source(s) => s.best_match(claim, delay_binding),
        }
    }
}

/// What a sync decided, for the UI's "why" panel. Mutations are in [`Outcome`].
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Decision {
    /// Nothing to change.
    #[default]
    InSync,
    /// Claim and volume are (now) bound to each other.
    Bound { volume: String },
    /// No `storageClassName` at all: the default class was written into the claim; sync it again.
    DefaultClassAssigned { class: String },
    /// WaitForFirstConsumer and no pod uses the claim yet.
    WaitingForFirstConsumer,
    /// WaitForFirstConsumer and these pods (unscheduled) use it.
    WaitingForPodScheduled { pods: Vec<String> },
    /// A volume is being provisioned (`external`: by an external provisioner).
    Provisioning { provisioner: String, external: bool },
    /// Provisioning cannot start (class missing, no such plugin, ...).
    ProvisioningFailed { message: String },
    /// No volume matches and there is no class to provision from.
    NoMatchingVolume,
    /// `spec.volumeName` names a PV that does not exist (retried).
    RequestedVolumeMissing { volume: String },
    /// `spec.volumeName` names a PV that does not fit the claim.
    RequestedVolumeMismatch { volume: String, reason: String },
    /// `spec.volumeName` names a PV bound to another claim.
    RequestedVolumeTaken { volume: String },
    /// A bound claim lost its volume (`Lost`).
    ClaimLost { message: String },
    /// Volume phase: no claim (or only pre-bound by an admin).
    VolumeAvailable,
    /// Volume phase: bound and its claim agrees.
    VolumeBound,
    /// Volume waits for its claim's sync to finish the binding.
    VolumeWaitingForClaim { claim: String },
    /// Volume and claim disagree on volumeMode.
    VolumeModeMismatch { claim: String },
    /// The claim went away: the volume is Released and its reclaim policy ran.
    Released {
        policy: String,
        result: ReclaimResult,
    },
    /// Controller-made binding rolled back (claim bound elsewhere).
    Unbound,
}

/// What the reclaim policy did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReclaimResult {
    /// Retain: the volume stays Released with its stale claimRef.
    Retained,
    /// Delete: the PV object (and backing storage) is deleted.
    Deleted,
    /// Delete by an external deleter that is not simulated: stays Released.
    WaitingForExternalDeleter,
    /// Recycle succeeded: scrubbed and Available again.
    Recycled,
    /// Not (yet) reclaimable: still used, or the claim is still valid.
    Skipped,
    /// The volume went Failed; the message is on the event.
    Failed { message: String },
}

impl Decision {
    /// One sentence for the UI.
    pub fn describe(&self) -> String {
        match self {
            Decision::InSync => "nothing to do".into(),
            Decision::Bound { volume } => format!("bound to PersistentVolume {volume}"),
            Decision::DefaultClassAssigned { class } => {
                format!("the claim had no storageClassName; the default StorageClass {class:?} was assigned")
            }
            Decision::WaitingForFirstConsumer => "the StorageClass uses volumeBindingMode WaitForFirstConsumer: binding waits until a pod using the claim is scheduled".into(),
            Decision::WaitingForPodScheduled { pods } => format!("WaitForFirstConsumer: waiting for {} to be scheduled", pods.join(",")),
            Decision::Provisioning { provisioner, external } => if *external {
                format!("waiting for the external provisioner {provisioner:?} to create a volume")
            } else {
                format!("provisioning a volume with {provisioner}")
            },
            Decision::ProvisioningFailed { message } => format!("provisioning failed: {message}"),
            Decision::NoMatchingVolume => "no PersistentVolume matches and no storage class is set, so nothing can be provisioned".into(),
            Decision::RequestedVolumeMissing { volume } => format!("spec.volumeName asks for PersistentVolume {volume:?}, which does not exist (yet)"),
            Decision::RequestedVolumeMismatch { volume, reason } => format!("PersistentVolume {volume:?} was requested but does not fit: {reason}"),
            Decision::RequestedVolumeTaken { volume } => format!("PersistentVolume {volume:?} was requested but is bound to a different claim"),
            Decision::ClaimLost { message } => message.clone(),
            Decision::VolumeAvailable => "available for binding".into(),
            Decision::VolumeBound => "bound".into(),
            Decision::VolumeWaitingForClaim { claim } => format!("waiting for claim {claim} to finish binding"),
            Decision::VolumeModeMismatch { claim } => format!("cannot bind to claim {claim}: incompatible volumeMode"),
            Decision::Released { policy, result } => format!("its claim is gone; reclaim policy {policy}: {result:?}"),
            Decision::Unbound => "the claim is bound to another volume; the binding was rolled back".into(),
        }
    }
}

/// The mutations and events one sync produces. Objects in `update_*` are full replacements.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Outcome {
    pub decision: Decision,
    pub update_claims: Vec<PersistentVolumeClaim>,
    pub update_volumes: Vec<PersistentVolume>,
    pub create_volumes: Vec<PersistentVolume>,
    /// Names of PVs to remove (their deletion finalizers count as handled).
    pub delete_volumes: Vec<String>,
    pub events: Vec<Event>,
    /// (namespace, name) of claims to sync again right away.
    pub resync_claims: Vec<(String, String)>,
}

impl Outcome {
    fn decided(decision: Decision) -> Self {
        Outcome {
            decision,
            ..Default::default()
        }
    }
    fn event(
        &mut self,
        type_: EventType,
        reason: &str,
        message: impl Into<String>,
        obj: ObjectRef,
    ) {
        self.events.push(Event::new(
            type_,
            reason,
            message,
            obj,
            PV_CONTROLLER_COMPONENT,
        ));
    }
    fn claim_if_changed(&mut self, before: &PersistentVolumeClaim, after: PersistentVolumeClaim) {
        if &after != before {
            self.update_claims.push(after);
        }
    }
    /// [`Outcome::volume_if_changed`] with the volume in `phase`, without copying a volume
    /// already in it (every pass syncs every volume: most are).
    fn volume_phase_if_changed(&mut self, volume: &PersistentVolume, phase: &str) {
        if volume_phase(volume) != phase {
            self.update_volumes.push(with_volume_phase(volume, phase));
        }
    }
    fn volume_if_changed(&mut self, before: &PersistentVolume, after: PersistentVolume) {
        if &after != before {
            self.update_volumes.push(after);
        }
    }
}

fn name(meta: &ObjectMeta) -> &str {
    meta.name.as_deref().unwrap_or("")
}

fn namespace(meta: &ObjectMeta) -> &str {
    meta.namespace.as_deref().unwrap_or("")
}

fn claim_key(claim: &PersistentVolumeClaim) -> String {
    format!("{}/{}", namespace(&claim.metadata), name(&claim.metadata))
}

fn claim_phase(claim: &PersistentVolumeClaim) -> &str {
    claim
        .status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

fn volume_phase(volume: &PersistentVolume) -> &str {
    volume
        .status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

fn claim_volume_name(claim: &PersistentVolumeClaim) -> &str {
    claim
        .spec
        .as_ref()
        .and_then(|s| s.volume_name.as_deref())
        .unwrap_or("")
}

fn claim_ref(volume: &PersistentVolume) -> Option<&ObjectReference> {
    volume.spec.as_ref().and_then(|s| s.claim_ref.as_ref())
}

fn reclaim_policy(volume: &PersistentVolume) -> &str {
    volume
        .spec
        .as_ref()
        .and_then(|s| s.persistent_volume_reclaim_policy.as_deref())
        .unwrap_or("Retain")
}

/// A full object reference to the claim, as `reference.GetReference` writes it into claimRef.
pub fn claim_reference(claim: &PersistentVolumeClaim) -> ObjectReference {
    ObjectReference {
        api_version: Some("v1".into()),
        kind: Some("PersistentVolumeClaim".into()),
        namespace: claim.metadata.namespace.clone(),
        name: claim.metadata.name.clone(),
        uid: claim.metadata.uid.clone(),
        resource_version: claim.metadata.resource_version.clone(),
        field_path: None,
    }
}

/// `updateClaimStatus`: phase, and access modes / capacity from the volume (reset when none).
/// Capacity is only copied when the phase changes (a bound claim keeps its own).
pub fn with_claim_status(
    claim: &PersistentVolumeClaim,
    phase: &str,
    volume: Option<&PersistentVolume>,
) -> PersistentVolumeClaim {
    let mut out = claim.clone();
    let phase_changes = claim_phase(claim) != phase;
    let status = out
        .status
        .get_or_insert_with(PersistentVolumeClaimStatus::default);
    status.phase = Some(phase.to_string());
    match volume {
        None => {
            status.access_modes = None;
            status.capacity = None;
        }
        Some(v) => {
            status.access_modes = v.spec.as_ref().and_then(|s| s.access_modes.clone());
            if phase_changes {
                status.capacity = v
                    .spec
                    .as_ref()
                    .and_then(|s| s.capacity.clone())
                    .filter(|c| c.contains_key("storage"));
            }
        }
    }
    out
}

fn with_volume_phase(volume: &PersistentVolume, phase: &str) -> PersistentVolume {
    let mut out = volume.clone();
    if volume_phase(volume) != phase {
        let status = out
            .status
            .get_or_insert_with(PersistentVolumeStatus::default);
        status.phase = Some(phase.to_string());
        status.message = None;
    }
    out
}

/// `GetBindVolumeToClaim`: the volume with claimRef pointing at the claim (full reference)
/// and `bound-by-controller` when it was not already pre-bound to this claim. Used by the
/// controller's bind and by the scheduler's PreBind for WaitForFirstConsumer static volumes.
pub fn scheduler_bind_volume(
    volume: &PersistentVolume,
    claim: &PersistentVolumeClaim,
) -> PersistentVolume {
    let should_set_bound_by_controller = !is_volume_bound_to_claim(volume, claim);
    let mut out = volume.clone();
    let needs_ref = match claim_ref(volume) {
        None => true,
        Some(r) => {
            r.name.as_deref().unwrap_or("") != name(&claim.metadata)
                || r.namespace.as_deref().unwrap_or("") != namespace(&claim.metadata)
                || r.uid.as_deref().unwrap_or("") != claim.metadata.uid.as_deref().unwrap_or("")
        }
    };
    if needs_ref {
        out.spec
            .get_or_insert_with(PersistentVolumeSpec::default)
            .claim_ref = Some(claim_reference(claim));
    }
    if should_set_bound_by_controller && !has_annotation(&out.metadata, ANN_BOUND_BY_CONTROLLER) {
        set_annotation(&mut out.metadata, ANN_BOUND_BY_CONTROLLER, "yes");
    }
    out
}

/// `bind()`: the four writes of a binding, in order — PV claimRef (+`bound-by-controller`),
/// PV phase `Bound`, PVC `spec.volumeName` (+`bound-by-controller` when the controller chose)
/// and `bind-completed`, PVC status `Bound` with the PV's access modes and capacity.
pub fn bind(
    volume: &PersistentVolume,
    claim: &PersistentVolumeClaim,
) -> (PersistentVolume, PersistentVolumeClaim) {
    let volume = with_volume_phase(&scheduler_bind_volume(volume, claim), "Bound");
    let mut new_claim = claim.clone();
    let volume_name = name(&volume.metadata).to_string();
    if claim_volume_name(claim) != volume_name {
        new_claim
            .spec
            .get_or_insert_with(Default::default)
            .volume_name = Some(volume_name);
        if !has_annotation(&new_claim.metadata, ANN_BOUND_BY_CONTROLLER) {
            set_annotation(&mut new_claim.metadata, ANN_BOUND_BY_CONTROLLER, "yes");
        }
    }
    if !has_annotation(&new_claim.metadata, ANN_BIND_COMPLETED) {
        set_annotation(&mut new_claim.metadata, ANN_BIND_COMPLETED, "yes");
    }
    let new_claim = with_claim_status(&new_claim, "Bound", Some(&volume));
    (volume, new_claim)
}

fn bind_outcome(volume: &PersistentVolume, claim: &PersistentVolumeClaim) -> Outcome {
    let (v, c) = bind(volume, claim);
    let mut out = Outcome::decided(Decision::Bound {
        volume: name(&volume.metadata).to_string(),
    });
    out.volume_if_changed(volume, v);
    out.claim_if_changed(claim, c);
    out
}

/// `checkVolumeSatisfyClaim` (pre-bound `spec.volumeName` path): the error text upstream puts
/// after `Cannot bind to requested volume "<pv>": `. The claim's selector is not checked.
pub fn check_volume_satisfy_claim(
    volume: &PersistentVolume,
    claim: &PersistentVolumeClaim,
) -> Result<(), String> {
    if volume.metadata.deletion_timestamp.is_some() {
        return Err(format!(
            "the volume is marked for deletion {:?}",
            name(&volume.metadata)
        ));
    }
    if volume_capacity(volume).value() < requested_storage(claim).value() {
        return Err("requested PV is too small".into());
    }
    if volume_class(volume) != claim_class(claim) {
        return Err("storageClassName does not match".into());
    }
    if volume_mode_mismatch(volume, claim) {
        return Err("incompatible volumeMode".into());
    }
    if !access_modes_satisfied(volume, claim) {
        return Err("incompatible accessMode".into());
    }
    Ok(())
}

/// Is this class marked default (GA or beta annotation equal to "true")?
pub fn is_default_class(class: &StorageClass) -> bool {
    class.metadata.annotations.as_ref().is_some_and(|a| {
        a.get(ANN_DEFAULT_CLASS).map(String::as_str) == Some("true")
            || a.get(ANN_BETA_DEFAULT_CLASS).map(String::as_str) == Some("true")
    })
}

/// `GetDefaultClass`: among default-marked classes the newest (creationTimestamp) wins, ties
/// broken by name ascending. A class without a timestamp counts as oldest.
pub fn default_storage_class<'a>(
    classes: impl IntoIterator<Item = &'a StorageClass>,
) -> Option<&'a StorageClass> {
    let mut defaults: Vec<&StorageClass> = classes
        .into_iter()
        .filter(|c| is_default_class(c))
        .collect();
    defaults.sort_by(|a, b| {
        let ta = a.metadata.creation_timestamp.as_ref().map(|t| t.0);
        let tb = b.metadata.creation_timestamp.as_ref().map(|t| t.0);
        tb.cmp(&ta)
            .then_with(|| name(&a.metadata).cmp(name(&b.metadata)))
    });
    defaults.into_iter().next()
}

/// The `DefaultStorageClass` admission plugin on PVC create: a claim whose class is nil
/// (not even "") gets the default class's name. Returns whether it changed the claim.
pub fn admit_default_storage_class<'a>(
    claim: &mut PersistentVolumeClaim,
    classes: impl IntoIterator<Item = &'a StorageClass>,
) -> bool {
    if claim_has_class(claim) {
        return false;
    }
    let Some(class) = default_storage_class(classes) else {
        return false;
    };
    claim
        .spec
        .get_or_insert_with(Default::default)
        .storage_class_name = class.metadata.name.clone();
    true
}

/// `IsDelayBindingMode`: the claim's class exists and says WaitForFirstConsumer. A missing
/// class or a nil mode (the API defaults it to Immediate) means no delay.
pub fn is_delay_binding_mode(claim: &PersistentVolumeClaim, view: &StorageView) -> bool {
    let class = claim_class(claim);
    !class.is_empty()
        && view
            .class(&class)
            .and_then(|c| c.volume_binding_mode.as_deref())
            == Some("WaitForFirstConsumer")
}

/// Does this pod mount the claim (directly, or as its generic ephemeral volume)?
pub fn pod_uses_claim(pod: &Pod, claim_namespace: &str, claim_name: &str) -> bool {
    if namespace(&pod.metadata) != claim_namespace {
        return false;
    }
    let pod_name = name(&pod.metadata);
    pod.spec.as_ref().is_some_and(|s| {
        s.volumes.iter().flatten().any(|v| {
            v.persistent_volume_claim
                .as_ref()
                .is_some_and(|p| p.claim_name == claim_name)
                || (v.ephemeral.is_some() && format!("{pod_name}-{}", v.name) == claim_name)
        })
    })
}

fn pod_terminated(pod: &Pod) -> bool {
    matches!(
        pod.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded") | Some("Failed")
    )
}

/// `findNonScheduledPodsByPVC`, in name order.
fn unscheduled_pods_using(claim: &PersistentVolumeClaim, view: &StorageView) -> Vec<String> {
    let mut names: Vec<String> = view
        .pods_in(namespace(&claim.metadata))
        .filter(|p| pod_uses_claim(p, namespace(&claim.metadata), name(&claim.metadata)))
        .filter(|p| !pod_terminated(p))
        .filter(|p| {
            p.spec
                .as_ref()
                .and_then(|s| s.node_name.as_deref())
                .unwrap_or("")
                .is_empty()
        })
        .map(|p| name(&p.metadata).to_string())
        .collect();
    names.sort();
    names
}

/// `syncClaim`: unbound claims (no `bind-completed`) go to [`sync_unbound_claim`], the rest
/// to [`sync_bound_claim`].
pub fn sync_claim(claim: &PersistentVolumeClaim, view: &StorageView) -> Outcome {
    if has_annotation(&claim.metadata, ANN_BIND_COMPLETED) {
        sync_bound_claim(claim, view)
    } else {
        sync_unbound_claim(claim, view)
    }
}

fn pending(claim: &PersistentVolumeClaim, mut out: Outcome) -> Outcome {
    let updated = with_claim_status(claim, "Pending", None);
    out.claim_if_changed(claim, updated);
    out
}

/// `syncUnboundClaim` (§2.3).
pub fn sync_unbound_claim(claim: &PersistentVolumeClaim, view: &StorageView) -> Outcome {
    let me = ObjectRef::of_claim(claim);
    let requested = claim_volume_name(claim).to_string();
    if requested.is_empty() {
        let delay_binding = is_delay_binding_mode(claim, view);
        if let Some(volume) = view.best_match(claim, delay_binding) {
            return bind_outcome(volume, claim);
        }
        // No volume: retroactively assign the default class to a class-less claim.
        if !claim_has_class(claim) {
            if let Some(class) = default_storage_class(view.classes()) {
                let mut updated = claim.clone();
                updated
                    .spec
                    .get_or_insert_with(Default::default)
                    .storage_class_name = class.metadata.name.clone();
                let mut out = Outcome::decided(Decision::DefaultClassAssigned {
                    class: name(&class.metadata).to_string(),
                });
                out.resync_claims.push((
                    namespace(&claim.metadata).to_string(),
                    name(&claim.metadata).to_string(),
                ));
                out.update_claims.push(updated);
                return out;
            }
        }
        if delay_binding && !has_annotation(&claim.metadata, ANN_SELECTED_NODE) {
            let pods = unscheduled_pods_using(claim, view);
            let mut out;
            if pods.is_empty() {
                out = Outcome::decided(Decision::WaitingForFirstConsumer);
                out.event(
                    EventType::Normal,
                    "WaitForFirstConsumer",
                    "waiting for first consumer to be created before binding",
                    me,
                );
            } else {
                let message = if pods.len() > 1 {
                    format!("waiting for pods {} to be scheduled", pods.join(","))
                } else {
                    format!("waiting for pod {} to be scheduled", pods[0])
                };
                out = Outcome::decided(Decision::WaitingForPodScheduled { pods });
                out.event(EventType::Normal, "WaitForPodScheduled", message, me);
            }
            return pending(claim, out);
        }
        if !claim_class(claim).is_empty() {
            return provision_claim(claim, view);
        }
        let mut out = Outcome::decided(Decision::NoMatchingVolume);
        out.event(
            EventType::Normal,
            "FailedBinding",
            "no persistent volumes available for this claim and no storage class is set",
            me,
        );
        return pending(claim, out);
    }

    // The user asked for a specific volume.
    let Some(volume) = view.volume(&requested) else {
        return pending(
            claim,
            Outcome::decided(Decision::RequestedVolumeMissing { volume: requested }),
        );
    };
    if claim_ref(volume).is_none() {
        return match check_volume_satisfy_claim(volume, claim) {
            Ok(()) => bind_outcome(volume, claim),
            Err(reason) => {
                let mut out = Outcome::decided(Decision::RequestedVolumeMismatch {
                    volume: requested.clone(),
                    reason: reason.clone(),
                });
                out.event(
                    EventType::Warning,
                    "VolumeMismatch",
                    format!("Cannot bind to requested volume {requested:?}: {reason}"),
                    me,
                );
                pending(claim, out)
            }
        };
    }
    if is_volume_bound_to_claim(volume, claim) {
        return bind_outcome(volume, claim);
    }
    let mut out = Outcome::decided(Decision::RequestedVolumeTaken {
        volume: requested.clone(),
    });
    out.event(
        EventType::Warning,
        "FailedBinding",
        format!("volume {requested:?} already bound to a different claim."),
        me,
    );
    if has_annotation(&claim.metadata, ANN_BOUND_BY_CONTROLLER) {
        // "THIS SHOULD NEVER HAPPEN" upstream: event only, no status write.
        out
    } else {
        pending(claim, out)
    }
}

fn lost(claim: &PersistentVolumeClaim, reason: &str, message: &str) -> Outcome {
    let mut out = Outcome::decided(Decision::ClaimLost {
        message: message.to_string(),
    });
    if claim_phase(claim) == "Lost" {
        return out; // event only on the phase change
    }
    out.update_claims
        .push(with_claim_status(claim, "Lost", None));
    out.event(
        EventType::Warning,
        reason,
        message,
        ObjectRef::of_claim(claim),
    );
    out
}

/// `syncBoundClaim` (§2.7): a claim that was bound before.
pub fn sync_bound_claim(claim: &PersistentVolumeClaim, view: &StorageView) -> Outcome {
    let volume_name = claim_volume_name(claim);
    if volume_name.is_empty() {
        return lost(
            claim,
            "ClaimLost",
            "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!",
        );
    }
    let Some(volume) = view.volume(volume_name) else {
        return lost(
            claim,
            "ClaimLost",
            "Bound claim has lost its PersistentVolume. Data on the volume is lost!",
        );
    };
    match claim_ref(volume) {
        None => bind_outcome(volume, claim),
        Some(r)
            if r.uid.as_deref().unwrap_or("") == claim.metadata.uid.as_deref().unwrap_or("") =>
        {
            let out = bind_outcome(volume, claim);
            if out.update_claims.is_empty() && out.update_volumes.is_empty() {
                Outcome::decided(Decision::Bound {
                    volume: volume_name.to_string(),
                })
            } else {
                out
            }
        }
        Some(_) => lost(
            claim,
            "ClaimMisbound",
            "Two claims are bound to the same volume, this one is bound incorrectly",
        ),
    }
}

/// `unbindVolume`: a controller-made binding is removed (claimRef and `bound-by-controller`
/// dropped); a user pre-binding keeps its claimRef minus the UID. Phase becomes `Available`.
pub fn unbind_volume(volume: &PersistentVolume) -> PersistentVolume {
    let mut out = volume.clone();
    if has_annotation(&volume.metadata, ANN_BOUND_BY_CONTROLLER) {
        if let Some(spec) = out.spec.as_mut() {
            spec.claim_ref = None;
        }
        if let Some(a) = out.metadata.annotations.as_mut() {
            a.remove(ANN_BOUND_BY_CONTROLLER);
            if a.is_empty() {
                out.metadata.annotations = None;
            }
        }
    } else if let Some(r) = out.spec.as_mut().and_then(|s| s.claim_ref.as_mut()) {
        r.uid = None;
    }
    with_volume_phase(&out, "Available")
}

/// `syncVolume` (§2.5).
pub fn sync_volume(volume: &PersistentVolume, view: &StorageView) -> Outcome {
    let Some(r) = claim_ref(volume) else {
        let mut out = Outcome::decided(Decision::VolumeAvailable);
        out.volume_phase_if_changed(volume, "Available");
        return out;
    };
    let ref_uid = r.uid.as_deref().unwrap_or("");
    if ref_uid.is_empty() {
        // Pre-bound by an admin; the claim's sync will finish it.
        let mut out = Outcome::decided(Decision::VolumeAvailable);
        out.volume_phase_if_changed(volume, "Available");
        return out;
    }
    let ref_ns = r.namespace.as_deref().unwrap_or("");
    let ref_name = r.name.as_deref().unwrap_or("");
    let claim = view
        .claim(ref_ns, ref_name)
        .filter(|c| c.metadata.uid.as_deref().unwrap_or("") == ref_uid);

    let Some(claim) = claim else {
        return release_and_reclaim(volume, view);
    };
    let claim_vol = claim_volume_name(claim);
    if claim_vol.is_empty() {
        if volume_mode_mismatch(volume, claim) {
            let mut out = Outcome::decided(Decision::VolumeModeMismatch {
                claim: claim_key(claim),
            });
            out.event(
                EventType::Warning,
                "VolumeMismatch",
                format!(
                    "Cannot bind PersistentVolume to requested PersistentVolumeClaim {:?} due to incompatible volumeMode.",
                    name(&claim.metadata)
                ),
                ObjectRef::of_volume(volume),
            );
            out.event(
                EventType::Warning,
                "VolumeMismatch",
                format!(
                    "Cannot bind PersistentVolume {:?} to requested PersistentVolumeClaim due to incompatible volumeMode.",
                    name(&volume.metadata)
                ),
                ObjectRef::of_claim(claim),
            );
            return out;
        }
        let mut out = Outcome::decided(Decision::VolumeWaitingForClaim {
            claim: claim_key(claim),
        });
        out.resync_claims
            .push((ref_ns.to_string(), ref_name.to_string()));
        return out;
    }
    if claim_vol == name(&volume.metadata) {
        let mut out = Outcome::decided(Decision::VolumeBound);
        out.volume_phase_if_changed(volume, "Bound");
        return out;
    }
    // The claim is bound to another volume.
    if has_annotation(&volume.metadata, ANN_DYNAMICALLY_PROVISIONED)
        && reclaim_policy(volume) == "Delete"
    {
        return release_and_reclaim(volume, view);
    }
    let mut out = Outcome::decided(Decision::Unbound);
    out.volume_if_changed(volume, unbind_volume(volume));
    out
}

fn release_and_reclaim(volume: &PersistentVolume, view: &StorageView) -> Outcome {
    let phase = volume_phase(volume);
    let released = if phase != "Released" && phase != "Failed" {
        with_volume_phase(volume, "Released")
    } else {
        volume.clone()
    };
    let mut out = reclaim_volume(&released, view);
    if out.update_volumes.is_empty()
        && !out
            .delete_volumes
            .contains(&name(&volume.metadata).to_string())
    {
        out.volume_if_changed(volume, released);
    }
    out
}

/// `isVolumeReleased`: bound (with UID) to a claim that is gone, was replaced, or is bound to
/// a different volume.
pub fn is_volume_released(volume: &PersistentVolume, view: &StorageView) -> bool {
    let Some(r) = claim_ref(volume) else {
        return false;
    };
    let uid = r.uid.as_deref().unwrap_or("");
    if uid.is_empty() {
        return false;
    }
    match view.claim(
        r.namespace.as_deref().unwrap_or(""),
        r.name.as_deref().unwrap_or(""),
    ) {
        Some(c) if c.metadata.uid.as_deref().unwrap_or("") == uid => {
            let v = claim_volume_name(c);
            !v.is_empty() && v != name(&volume.metadata)
        }
        _ => true,
    }
}

fn failed(volume: &PersistentVolume, reason: &str, message: &str, out: &mut Outcome) {
    if volume_phase(volume) == "Failed" {
        return;
    }
    let mut v = with_volume_phase(volume, "Failed");
    if let Some(s) = v.status.as_mut() {
        s.message = Some(message.to_string());
    }
    out.update_volumes.push(v);
    out.event(
        EventType::Warning,
        reason,
        message,
        ObjectRef::of_volume(volume),
    );
}

/// In-tree plugin names that are migrated to CSI drivers (`csi-translation-lib`): the PV
/// controller hands them to the external provisioner under the CSI name.
pub fn csi_migrated_name(provisioner: &str) -> Option<&'static str> {
    Some(match provisioner {
        "kubernetes.io/aws-ebs" => "ebs.csi.aws.com",
        "kubernetes.io/gce-pd" => "pd.csi.storage.gke.io",
        "kubernetes.io/azure-disk" => "disk.csi.azure.com",
        "kubernetes.io/azure-file" => "file.csi.azure.com",
        "kubernetes.io/cinder" => "cinder.csi.openstack.org",
        "kubernetes.io/vsphere-volume" => "csi.vsphere.vmware.com",
        "kubernetes.io/portworx-volume" => "pxd.portworx.com",
        _ => return None,
    })
}

/// The in-tree provisioner the playground's controller-manager has (`--enable-hostpath-provisioner`).
pub const IN_TREE_HOST_PATH: &str = "kubernetes.io/host-path";

/// `reclaimVolume` + `deleteVolumeOperation` / `recycleVolumeOperation` on a Released volume.
///
/// Simulated plugins: volumes provisioned by [`IN_TREE_HOST_PATH`] or by an external
/// provisioner are deleted (the external provisioner is assumed to be running); a manual
/// hostPath volume is deletable only under `/tmp/`; a manual CSI volume waits for an external
/// deleter forever; anything else has no deleter (`Failed`). Recycling works for hostPath
/// and NFS volumes.
pub fn reclaim_volume(volume: &PersistentVolume, view: &StorageView) -> Outcome {
    let policy = reclaim_policy(volume).to_string();
    let vname = name(&volume.metadata).to_string();
    let mut out = Outcome::default();
    let result = match policy.as_str() {
        "Retain" => ReclaimResult::Retained,
        "Delete" => {
            if !is_volume_released(volume, view) {
                ReclaimResult::Skipped
            } else {
                let spec = volume.spec.clone().unwrap_or_default();
                let provisioned_by = volume
                    .metadata
                    .annotations
                    .as_ref()
                    .and_then(|a| a.get(ANN_DYNAMICALLY_PROVISIONED))
                    .cloned()
                    .unwrap_or_default();
                let deletion: Result<bool, String> = if !provisioned_by.is_empty() {
                    if provisioned_by == IN_TREE_HOST_PATH
                        || !provisioned_by.starts_with("kubernetes.io/")
                        || csi_migrated_name(&provisioned_by).is_some()
                    {
                        Ok(true)
                    } else {
                        Err(format!("no volume plugin matched name: {provisioned_by}"))
                    }
                } else if spec.csi.is_some() {
                    Ok(false)
                } else if let Some(hp) = spec.host_path.as_ref() {
                    if hp.path.starts_with("/tmp/") && hp.path.len() > 5 {
                        Ok(true)
                    } else {
                        Err(format!(
                            "host_path deleter only supports /tmp/.+ but received provided {}",
                            hp.path
                        ))
                    }
                } else {
                    Err(format!(
                        "error getting deleter volume plugin for volume {vname:?}: no deletable volume plugin matched"
                    ))
                };
                match deletion {
                    Ok(true) => {
                        out.delete_volumes.push(vname.clone());
                        ReclaimResult::Deleted
                    }
                    Ok(false) => ReclaimResult::WaitingForExternalDeleter,
                    Err(message) => {
                        failed(volume, "VolumeFailedDelete", &message, &mut out);
                        ReclaimResult::Failed { message }
                    }
                }
            }
        }
        "Recycle" => {
            if !is_volume_released(volume, view) {
                ReclaimResult::Skipped
            } else {
                let (ns, cname) = claim_ref(volume)
                    .map(|r| {
                        (
                            r.namespace.clone().unwrap_or_default(),
                            r.name.clone().unwrap_or_default(),
                        )
                    })
                    .unwrap_or_default();
                let mut users: Vec<String> = view
                    .pods_in(&ns)
                    .filter(|p| pod_uses_claim(p, &ns, &cname) && !pod_terminated(p))
                    .map(|p| format!("{}/{}", namespace(&p.metadata), name(&p.metadata)))
                    .collect();
                users.sort();
                users.dedup();
                let claim_cached = view.claim(&ns, &cname).is_some();
                let spec = volume.spec.clone().unwrap_or_default();
                if !users.is_empty() && !claim_cached {
                    out.event(
                        EventType::Normal,
                        "VolumeFailedRecycle",
                        format!("Volume is used by pods: {}", users.join(",")),
                        ObjectRef::of_volume(volume),
                    );
                    ReclaimResult::Skipped
                } else if spec.host_path.is_some() || spec.nfs.is_some() {
                    out.event(
                        EventType::Normal,
                        "VolumeRecycled",
                        "Volume recycled",
                        ObjectRef::of_volume(volume),
                    );
                    out.update_volumes.push(unbind_volume(volume));
                    ReclaimResult::Recycled
                } else {
                    let message = "No recycler plugin found for the volume!";
                    failed(volume, "VolumeFailedRecycle", message, &mut out);
                    ReclaimResult::Failed {
                        message: message.into(),
                    }
                }
            }
        }
        _ => {
            let message = "Volume has unrecognized PersistentVolumeReclaimPolicy";
            failed(volume, "VolumeUnknownReclaimPolicy", message, &mut out);
            ReclaimResult::Failed {
                message: message.into(),
            }
        }
    };
    out.decision = Decision::Released { policy, result };
    out
}

/// Name of the PV provisioned for a claim: `pvc-<claim UID>`.
pub fn provisioned_volume_name(claim: &PersistentVolumeClaim) -> String {
    format!("pvc-{}", claim.metadata.uid.as_deref().unwrap_or(""))
}

/// `setClaimProvisioner`: both provisioner annotations on the claim.
fn with_claim_provisioner(
    claim: &PersistentVolumeClaim,
    provisioner: &str,
) -> PersistentVolumeClaim {
    let mut out = claim.clone();
    set_annotation(&mut out.metadata, ANN_BETA_STORAGE_PROVISIONER, provisioner);
    set_annotation(&mut out.metadata, ANN_STORAGE_PROVISIONER, provisioner);
    out
}

/// `provisionClaim`: decide how the claim's class provisions it.
fn provision_claim(claim: &PersistentVolumeClaim, view: &StorageView) -> Outcome {
    let me = ObjectRef::of_claim(claim);
    let class_name = claim_class(claim);
    let Some(class) = view.class(&class_name) else {
        let message = format!("storageclass.storage.k8s.io {class_name:?} not found");
        let mut out = Outcome::decided(Decision::ProvisioningFailed {
            message: message.clone(),
        });
        out.event(EventType::Warning, "ProvisioningFailed", message, me);
        return out;
    };
    let provisioner = class.provisioner.as_str();
    if provisioner == IN_TREE_HOST_PATH {
        let updated = with_claim_provisioner(claim, provisioner);
        let mut out = Outcome::decided(Decision::Provisioning {
            provisioner: provisioner.to_string(),
            external: false,
        });
        let pv_name = provisioned_volume_name(claim);
        if view.volume(&pv_name).is_none() {
            let node = claim
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(ANN_SELECTED_NODE))
                .cloned();
            out.create_volumes.push(provisioned_volume(
                &updated,
                class,
                provisioner,
                node.as_deref(),
            ));
            out.event(
                EventType::Normal,
                "ProvisioningSucceeded",
                format!("Successfully provisioned volume {pv_name} using {provisioner}"),
                me,
            );
        }
        out.claim_if_changed(claim, updated);
        return out;
    }
    let external_name = if let Some(csi) = csi_migrated_name(provisioner) {
        csi
    } else if provisioner.starts_with("kubernetes.io/") {
        let message = format!("no volume plugin matched name: {provisioner}");
        let mut out = Outcome::decided(Decision::ProvisioningFailed {
            message: message.clone(),
        });
        out.event(EventType::Warning, "ProvisioningFailed", message, me);
        return out;
    } else {
        provisioner
    };
    let mut out = Outcome::decided(Decision::Provisioning {
        provisioner: external_name.to_string(),
        external: true,
    });
    out.claim_if_changed(claim, with_claim_provisioner(claim, external_name));
    out.event(
        EventType::Normal,
        "ExternalProvisioning",
        format!("Waiting for a volume to be created either by the external provisioner '{external_name}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."),
        me,
    );
    out
}

/// The PV a provisioner creates for a claim: `pvc-<uid>`, the claim's access modes, volume
/// mode and requested size, the claim's class, the class's reclaim policy (default Delete)
/// and mount options, claimRef pre-set to the claim, `provisioned-by`, and (in-tree only)
/// `bound-by-controller` plus the `kubernetes.io/pv-controller` finalizer for Delete.
/// Phase is `Pending` (as the API server stores a new PV); [`sync_claim`] binds it.
///
/// Volume source by provisioner: `rancher.io/local-path` → hostPath
/// `/var/local-path-provisioner/<pv>_<ns>_<claim>` pinned to the selected node;
/// `k8s.io/minikube-hostpath` → hostPath `/tmp/hostpath-provisioner/<ns>/<claim>`;
/// `kubernetes.io/host-path` → hostPath `/tmp/hostpath_pv/<claim uid>`; anything else → a
/// CSI source with that driver.
pub fn provisioned_volume(
    claim: &PersistentVolumeClaim,
    class: &StorageClass,
    provisioner: &str,
    selected_node: Option<&str>,
) -> PersistentVolume {
    let pv_name = provisioned_volume_name(claim);
    let cspec = claim.spec.clone().unwrap_or_default();
    let ns = namespace(&claim.metadata).to_string();
    let cname = name(&claim.metadata).to_string();
    let mut annotations = BTreeMap::new();
    annotations.insert(
        ANN_DYNAMICALLY_PROVISIONED.to_string(),
        provisioner.to_string(),
    );
    let mut finalizers = None;
    let reclaim = class
        .reclaim_policy
        .clone()
        .unwrap_or_else(|| "Delete".to_string());
    let in_tree = provisioner == IN_TREE_HOST_PATH;
    if in_tree {
        annotations.insert(ANN_BOUND_BY_CONTROLLER.to_string(), "yes".to_string());
        if reclaim == "Delete" {
            finalizers = Some(vec![PV_IN_TREE_DELETION_FINALIZER.to_string()]);
        }
    }
    let mut spec = PersistentVolumeSpec {
        access_modes: cspec.access_modes.clone(),
        capacity: Some(BTreeMap::from([(
            "storage".to_string(),
            cspec
                .resources
                .as_ref()
                .and_then(|r| r.requests.as_ref())
                .and_then(|r| r.get("storage").cloned())
                .unwrap_or_else(|| Quantity("0".into())),
        )])),
        claim_ref: Some(claim_reference(claim)),
        persistent_volume_reclaim_policy: Some(reclaim),
        storage_class_name: Some(claim_class(claim)),
        volume_mode: Some(claim_volume_mode(claim).to_string()),
        mount_options: class.mount_options.clone(),
        ..Default::default()
    };
    match provisioner {
        "rancher.io/local-path" => {
            spec.host_path = Some(HostPathVolumeSource {
                path: format!("/var/local-path-provisioner/{pv_name}_{ns}_{cname}"),
                type_: Some("DirectoryOrCreate".into()),
            });
            if let Some(node) = selected_node {
                annotations.insert(
                    "local.path.provisioner/selected-node".to_string(),
                    node.to_string(),
                );
                spec.node_affinity = Some(VolumeNodeAffinity {
                    required: Some(NodeSelector {
                        node_selector_terms: vec![NodeSelectorTerm {
                            match_expressions: Some(vec![NodeSelectorRequirement {
                                key: "kubernetes.io/hostname".into(),
                                operator: "In".into(),
                                values: Some(vec![node.to_string()]),
                            }]),
                            match_fields: None,
                        }],
                    }),
                });
            }
        }
        "k8s.io/minikube-hostpath" => {
            spec.host_path = Some(HostPathVolumeSource {
                path: format!("/tmp/hostpath-provisioner/{ns}/{cname}"),
                type_: Some(String::new()),
            });
        }
        IN_TREE_HOST_PATH => {
            spec.host_path = Some(HostPathVolumeSource {
                path: format!(
                    "/tmp/hostpath_pv/{}",
                    claim.metadata.uid.as_deref().unwrap_or("")
                ),
                type_: None,
            });
        }
        driver => {
            finalizers = Some(vec![
                "external-provisioner.volume.kubernetes.io/finalizer".to_string()
            ]);
            spec.csi = Some(CSIPersistentVolumeSource {
                driver: driver.to_string(),
                volume_handle: pv_name.clone(),
                fs_type: (claim_volume_mode(claim) == "Filesystem").then(|| "ext4".to_string()),
                ..Default::default()
            });
        }
    }
    PersistentVolume {
        metadata: ObjectMeta {
            name: Some(pv_name),
            annotations: Some(annotations),
            finalizers,
            ..Default::default()
        },
        spec: Some(spec),
        status: Some(PersistentVolumeStatus {
            phase: Some("Pending".into()),
            ..Default::default()
        }),
    }
}

/// The external provisioner (sig-storage-lib-external-provisioner) acting on one claim: when
/// the claim is unbound, annotated for a provisioner whose class names it, (for
/// WaitForFirstConsumer) has a selected node, and `pvc-<uid>` does not exist yet, it creates
/// the volume and records `Provisioning` and `ProvisioningSucceeded` on the claim. The event
/// source is the provisioner name (upstream appends the provisioner pod's identity).
pub fn external_provision(claim: &PersistentVolumeClaim, view: &StorageView) -> Outcome {
    if !claim_volume_name(claim).is_empty() || claim.metadata.deletion_timestamp.is_some() {
        return Outcome::default();
    }
    let annotations = claim.metadata.annotations.clone().unwrap_or_default();
    let Some(wanted) = annotations
        .get(ANN_STORAGE_PROVISIONER)
        .or_else(|| annotations.get(ANN_BETA_STORAGE_PROVISIONER))
    else {
        return Outcome::default();
    };
    let Some(class) = view.class(&claim_class(claim)) else {
        return Outcome::default();
    };
    let class_provisioner = csi_migrated_name(&class.provisioner).unwrap_or(&class.provisioner);
    if class_provisioner != wanted || wanted.starts_with("kubernetes.io/") {
        return Outcome::default();
    }
    let selected = annotations.get(ANN_SELECTED_NODE).map(String::as_str);
    if class.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer") && selected.is_none() {
        return Outcome::default();
    }
    let pv_name = provisioned_volume_name(claim);
    if view.volume(&pv_name).is_some() {
        return Outcome::default();
    }
    if let Some(refusal) = provisioner_refusal(claim, wanted) {
        // sig-storage-lib-external-provisioner's `provisionClaimOperation` records the
        // provisioner's error as `failed to provision volume with StorageClass "<class>": …`
        // and retries (the event's count grows); the claim stays Pending.
        let message = format!(
            "failed to provision volume with StorageClass {:?}: {refusal}",
            claim_class(claim)
        );
        let mut out = Outcome::decided(Decision::ProvisioningFailed {
            message: message.clone(),
        });
        out.events.push(Event::new(
            EventType::Warning,
            "ProvisioningFailed",
            message,
            ObjectRef::of_claim(claim),
            wanted,
        ));
        return out;
    }
    let mut out = Outcome::decided(Decision::Provisioning {
        provisioner: wanted.clone(),
        external: true,
    });
    out.create_volumes
        .push(provisioned_volume(claim, class, wanted, selected));
    let me = ObjectRef::of_claim(claim);
    out.events.push(Event::new(
        EventType::Normal,
        "Provisioning",
        format!(
            "External provisioner is provisioning volume for claim {:?}",
            claim_key(claim)
        ),
        me.clone(),
        wanted,
    ));
    out.events.push(Event::new(
        EventType::Normal,
        "ProvisioningSucceeded",
        format!("Successfully provisioned volume {pv_name}"),
        me,
        wanted,
    ));
    out
}

/// What an external provisioner refuses before provisioning. rancher/local-path-provisioner
/// (kind's `standard` class) on a node path, `provisionFor` in its `provisioner.go`: only
/// ReadWriteOnce and ReadWriteOncePod claims (a directory on one node cannot be shared).
pub fn provisioner_refusal(
    claim: &PersistentVolumeClaim,
    provisioner: &str,
) -> Option<&'static str> {
    if provisioner != "rancher.io/local-path" {
        return None;
    }
    let modes = claim.spec.as_ref().and_then(|s| s.access_modes.as_ref());
    modes
        .into_iter()
        .flatten()
        .any(|m| m != "ReadWriteOnce" && m != "ReadWriteOncePod")
        .then_some("NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes")
}

/// The scheduler's choice for a WaitForFirstConsumer claim that found no static volume:
/// the claim annotated with `volume.kubernetes.io/selected-node` (triggers provisioning).
pub fn select_node(claim: &PersistentVolumeClaim, node: &str) -> PersistentVolumeClaim {
    let mut out = claim.clone();
    set_annotation(&mut out.metadata, ANN_SELECTED_NODE, node);
    out
}

/// pvc-protection controller: may the `kubernetes.io/pvc-protection` finalizer of a claim
/// being deleted be removed? Only when no pod that is not Succeeded/Failed uses it (the
/// claim shows `Terminating` until then).
pub fn pvc_protection_allows_removal(claim: &PersistentVolumeClaim, view: &StorageView) -> bool {
    !view.pods_in(namespace(&claim.metadata)).any(|p| {
        pod_uses_claim(p, namespace(&claim.metadata), name(&claim.metadata)) && !pod_terminated(p)
    })
}

/// pv-protection controller: may the `kubernetes.io/pv-protection` finalizer of a volume
/// being deleted be removed? Only when the volume is not `Bound`.
pub fn pv_protection_allows_removal(volume: &PersistentVolume) -> bool {
    volume_phase(volume) != "Bound"
}

/// Where a pod's claims stand for scheduling (`volumebinding` PreFilter/Filter), with the
/// scheduler's reason texts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PodVolumes {
    /// Every claim is bound to an existing volume (node affinity still applies per node).
    Bound,
    /// `persistentvolumeclaim "<name>" not found` (UnschedulableAndUnresolvable).
    MissingClaim { claim: String },
    /// `persistentvolumeclaim "<name>" is being deleted`.
    ClaimBeingDeleted { claim: String },
    /// `pod has unbound immediate PersistentVolumeClaims` (the PV controller must bind first).
    UnboundImmediate { claims: Vec<String> },
    /// `node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)`.
    BoundToMissingVolume { claims: Vec<String> },
    /// WaitForFirstConsumer claims the scheduler binds or provisions on the chosen node
    /// (static volume via [`find_matching_volume`] + [`scheduler_bind_volume`], else
    /// [`select_node`]).
    DelayBinding { claims: Vec<String> },
}

impl PodVolumes {
    /// The scheduler's status message (as it appears inside `FailedScheduling`).
    pub fn message(&self) -> Option<String> {
        match self {
            PodVolumes::Bound | PodVolumes::DelayBinding { .. } => None,
            PodVolumes::MissingClaim { claim } => {
                Some(format!("persistentvolumeclaim {claim:?} not found"))
            }
            PodVolumes::ClaimBeingDeleted { claim } => {
                Some(format!("persistentvolumeclaim {claim:?} is being deleted"))
            }
            PodVolumes::UnboundImmediate { .. } => {
                Some("pod has unbound immediate PersistentVolumeClaims".into())
            }
            PodVolumes::BoundToMissingVolume { .. } => Some(
                "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)".into(),
            ),
        }
    }
}

/// Classifies a pod's PersistentVolumeClaim volumes (direct and generic ephemeral) the way
/// the scheduler's volumebinding plugin does before looking at nodes.
pub fn pod_volumes(pod: &Pod, view: &StorageView) -> PodVolumes {
    let ns = namespace(&pod.metadata);
    let pod_name = name(&pod.metadata);
    let mut unbound_immediate = Vec::new();
    let mut delayed = Vec::new();
    let mut missing_pv = Vec::new();
    for v in pod.spec.iter().flat_map(|s| s.volumes.iter().flatten()) {
        let claim_name = if let Some(p) = v.persistent_volume_claim.as_ref() {
            p.claim_name.clone()
        } else if v.ephemeral.is_some() {
            format!("{pod_name}-{}", v.name)
        } else {
            continue;
        };
        let Some(claim) = view.claim(ns, &claim_name) else {
            return PodVolumes::MissingClaim { claim: claim_name };
        };
        if claim.metadata.deletion_timestamp.is_some() {
            return PodVolumes::ClaimBeingDeleted { claim: claim_name };
        }
        let volume_name = claim_volume_name(claim);
        if !volume_name.is_empty() {
            if view.volume(volume_name).is_none() {
                missing_pv.push(claim_name);
            }
        } else if is_delay_binding_mode(claim, view) {
            delayed.push(claim_name);
        } else {
            unbound_immediate.push(claim_name);
        }
    }
    if !unbound_immediate.is_empty() {
        PodVolumes::UnboundImmediate {
            claims: unbound_immediate,
        }
    } else if !missing_pv.is_empty() {
        PodVolumes::BoundToMissingVolume { claims: missing_pv }
    } else if !delayed.is_empty() {
        PodVolumes::DelayBinding { claims: delayed }
    } else {
        PodVolumes::Bound
    }
}
