//! The PersistentVolume controller (`persistentvolume-controller`), the pvc-/pv-protection
//! controllers, the external provisioner, and the scheduler's and kubelet's volume hooks,
//! wired over the store with the pure decisions of [`crate::storage::binder`] (§2).
//!
//! One [`sync`] pass (run `binder_delay_ms` after any PV/PVC/StorageClass/Pod write):
//! 1. admission leftovers: the `kubernetes.io/pvc-protection` / `kubernetes.io/pv-protection`
//!    finalizers on objects that lack them (upstream's StorageObjectInUseProtection plugin adds
//!    them at create; here they appear one pass later);
//! 2. up to [`MAX_ROUNDS`] rounds of `sync_volume` for every volume (first, so volumes created
//!    in the same instant as claims are `Available` before the claims look for them, as the
//!    upstream informers deliver them in creation order), `sync_claim` for every claim and
//!    `external_provision` for every claim, each outcome applied to the store
//!    before the next sync (so two claims never take one volume), until nothing changes;
//! 3. protection: a deleting claim loses its finalizer once no scheduled, non-terminated pod
//!    uses it ([`claim_in_use`]; upstream's `podUsesPVC`, stricter than the binder's
//!    `pvc_protection_allows_removal`, which also counts unscheduled pods); a
//!    deleting volume once it is not `Bound`.
//!
//! Events go through [`Store::record_event`](super::Store::record_event), which merges repeats
//! of the same (object, reason, message, source) into one event with a count, as upstream's
//! event aggregation does.
//!
//! Disk fault: a PV annotated `playground.dev/failed: "true"` (or [`Cluster::fail_volume`]) is
//! set to phase `Failed` with a message; the kubelet cannot mount it (see [`mount_check`]).

use std::collections::BTreeSet;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{Node, PersistentVolume, PersistentVolumeClaim, Pod};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::{ApiError, Cluster, Kind, Propagation, Store};
use crate::storage::{
    self, external_provision, is_delay_binding_mode, pod_volumes, pv_protection_allows_removal,
    scheduler_bind_volume, select_node, sync_claim, sync_volume, Outcome, PodVolumes,
    StorageSource, StorageView, ANN_SELECTED_NODE, PVC_PROTECTION_FINALIZER,
    PV_PROTECTION_FINALIZER,
};

/// Annotation that marks a PV's backing disk as lost (the playground's disk fault).
pub const FAULT_VOLUME_FAILED: &str = "playground.dev/failed";
/// `status.message` of a PV failed by the disk fault.
pub const FAILED_VOLUME_MESSAGE: &str = "the backing disk was lost (playground fault)";
/// Rounds of claim/volume syncs per pass (binding needs 2, provisioning 3).
pub const MAX_ROUNDS: usize = 8;

fn arcs<T: super::store::Stored>(store: &Store) -> Vec<Arc<T>> {
    let keys: Vec<(String, String)> = store
        .list::<T>()
        .map(|o| {
            let m = o.metadata();
            (
                m.namespace.clone().unwrap_or_default(),
                m.name.clone().unwrap_or_default(),
            )
        })
        .collect();
    keys.iter()
        .filter_map(|(ns, n)| store.get_arc::<T>(ns, n))
        .collect()
}

/// The controller reads the store itself (tables keyed by name, the volume index): no copy
/// per sync. A snapshot refreshed after every write, as before, read the same objects.
impl StorageSource for Store {
    fn volume(&self, name: &str) -> Option<&PersistentVolume> {
        self.get::<PersistentVolume>("", name)
    }
    fn claim(&self, namespace: &str, name: &str) -> Option<&PersistentVolumeClaim> {
        self.get::<PersistentVolumeClaim>(namespace, name)
    }
    fn class(&self, name: &str) -> Option<&StorageClass> {
        self.get::<StorageClass>("", name)
    }
    fn classes(&self) -> Box<dyn Iterator<Item = &StorageClass> + '_> {
        Box::new(self.list::<StorageClass>())
    }
    fn pods_in<'s>(&'s self, namespace: &'s str) -> Box<dyn Iterator<Item = &'s Pod> + 's> {
        Box::new(self.list_in::<Pod>(namespace))
    }
    fn best_match(
        &self,
        claim: &PersistentVolumeClaim,
        delay_binding: bool,
    ) -> Option<&PersistentVolume> {
        self.volume_index()
            .find_best_match(claim, delay_binding, |n| self.volume(n))
    }
}

fn view(store: &Store) -> StorageView<'_> {
    StorageView::of(store)
}

fn name(meta: &ObjectMeta) -> String {
    meta.name.clone().unwrap_or_default()
}

fn ns(meta: &ObjectMeta) -> String {
    meta.namespace.clone().unwrap_or_default()
}

fn volume_phase(v: &PersistentVolume) -> &str {
    v.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

fn annotated(meta: &ObjectMeta, key: &str) -> bool {
    meta.annotations
        .as_ref()
        .and_then(|a| a.get(key))
        .is_some_and(|v| v == "true")
}

/// Is the volume's backing disk lost (fault annotation set)?
pub fn volume_is_faulted(v: &PersistentVolume) -> bool {
    annotated(&v.metadata, FAULT_VOLUME_FAILED)
}

/// Writes an outcome's mutations and events into the store. Returns whether an object
/// (not just an event) changed.
pub fn apply_outcome(store: &mut Store, out: Outcome) -> bool {
    let mut changed = false;
    for claim in out.update_claims {
        let before = store.get_arc::<PersistentVolumeClaim>(
            claim.metadata.namespace.as_deref().unwrap_or("default"),
            claim.metadata.name.as_deref().unwrap_or(""),
        );
        if let Ok(new) = store.update(claim) {
            changed |= before.is_none_or(|b| !Arc::ptr_eq(&b, &new));
        }
    }
    for mut volume in out.update_volumes {
        // The disk fault wins over the controller's phase decisions.
        if volume_is_faulted(&volume) {
            set_failed(&mut volume);
        }
        let before = store.get_arc::<PersistentVolume>("", &name(&volume.metadata));
        if let Ok(new) = store.update(volume) {
            changed |= before.is_none_or(|b| !Arc::ptr_eq(&b, &new));
        }
    }
    for mut volume in out.create_volumes {
        add_finalizer(&mut volume.metadata, PV_PROTECTION_FINALIZER);
        changed |= store.create(volume).is_ok();
    }
    for v in out.delete_volumes {
        // Reclaim deleted the backing storage: the deleter's finalizers are handled; the
        // pv-protection finalizer is removed since the volume is no longer Bound.
        if let Some(pv) = store.get::<PersistentVolume>("", &v).cloned() {
            let mut pv = pv;
            pv.metadata.finalizers = None;
            let _ = store.update(pv);
            let _ = store.delete::<PersistentVolume>("", &v, Propagation::Background, None);
            changed = true;
        }
    }
    for e in out.events {
        let meta = ObjectMeta {
            name: Some(e.object.name.clone()),
            namespace: if e.object.namespace.is_empty() {
                None
            } else {
                Some(e.object.namespace.clone())
            },
            uid: Some(e.object.uid.clone()).filter(|u| !u.is_empty()),
            ..Default::default()
        };
        store.record_event(
            &meta,
            e.object.kind,
            e.type_.as_str(),
            e.reason,
            e.message,
            e.source,
        );
    }
    changed
}

fn add_finalizer(meta: &mut ObjectMeta, f: &str) -> bool {
    let list = meta.finalizers.get_or_insert_with(Vec::new);
    if list.iter().any(|x| x == f) {
        return false;
    }
    list.push(f.to_string());
    true
}

fn remove_finalizer(meta: &mut ObjectMeta, f: &str) -> bool {
    let Some(list) = meta.finalizers.as_mut() else {
        return false;
    };
    let before = list.len();
    list.retain(|x| x != f);
    let removed = list.len() != before;
    if list.is_empty() {
        meta.finalizers = None;
    }
    removed
}

fn set_failed(v: &mut PersistentVolume) {
    let st = v.status.get_or_insert_with(Default::default);
    st.phase = Some("Failed".into());
    st.message = Some(FAILED_VOLUME_MESSAGE.into());
}

/// One pass of the PV controller, external provisioner and protection controllers.
pub fn sync(c: &mut Cluster) {
    let store = &mut c.store;
    // 1. Protection finalizers (admission) and the disk fault.
    // (Only objects that need a write are copied: a pass visits every claim and volume.)
    let has = |meta: &ObjectMeta, f: &str| meta.finalizers.iter().flatten().any(|x| x == f);
    let unprotected: Vec<Arc<PersistentVolumeClaim>> = arcs::<PersistentVolumeClaim>(store)
        .into_iter()
        .filter(|c| {
            c.metadata.deletion_timestamp.is_none() && !has(&c.metadata, PVC_PROTECTION_FINALIZER)
        })
        .collect();
    for claim in unprotected {
        let mut m = (*claim).clone();
        if add_finalizer(&mut m.metadata, PVC_PROTECTION_FINALIZER) {
            let _ = store.update(m);
        }
    }
    let mut fault_changed = false;
    for volume in arcs::<PersistentVolume>(store) {
        let needs_finalizer = volume.metadata.deletion_timestamp.is_none()
            && !has(&volume.metadata, PV_PROTECTION_FINALIZER);
        let faulted = volume_is_faulted(&volume);
        let fault_message = volume.status.as_ref().and_then(|s| s.message.as_deref())
            == Some(FAILED_VOLUME_MESSAGE);
        if !needs_finalizer && !faulted && !fault_message {
            continue;
        }
        let mut m = (*volume).clone();
        let mut dirty = false;
        if volume.metadata.deletion_timestamp.is_none() {
            dirty |= add_finalizer(&mut m.metadata, PV_PROTECTION_FINALIZER);
        }
        if volume_is_faulted(&volume) && volume_phase(&volume) != "Failed" {
            set_failed(&mut m);
            store.record_event(
                &volume.metadata,
                "PersistentVolume",
                "Warning",
                "VolumeFailed",
                FAILED_VOLUME_MESSAGE,
                storage::PV_CONTROLLER_COMPONENT,
            );
            dirty = true;
            fault_changed = true;
        }
        if !volume_is_faulted(&volume)
            && volume.status.as_ref().and_then(|s| s.message.as_deref())
                == Some(FAILED_VOLUME_MESSAGE)
        {
            // Fault removed (disk replaced): the controller re-derives the phase below.
            let st = m.status.get_or_insert_with(Default::default);
            st.message = None;
            st.phase = Some("Available".into());
            dirty = true;
            fault_changed = true;
        }
        if dirty {
            let _ = store.update(m);
        }
    }
    if fault_changed {
        super::kubelet::on_volume_fault(c);
    }
    let store = &mut c.store;

    // 2. Claim and volume syncs until stable.
    for _ in 0..MAX_ROUNDS {
        let mut changed = false;
        let claim_keys: Vec<(String, String)> = store
            .list::<PersistentVolumeClaim>()
            .map(|c| (ns(&c.metadata), name(&c.metadata)))
            .collect();
        let volume_names: Vec<String> = store
            .list::<PersistentVolume>()
            .map(|v| name(&v.metadata))
            .collect();
        for vname in &volume_names {
            let Some(volume) = store.get_arc::<PersistentVolume>("", vname) else {
                continue;
            };
            if volume_is_faulted(&volume) {
                continue;
            }
            let out = sync_volume(&volume, &view(store));
            changed |= apply_and_resync(store, out);
        }
        for (cns, cname) in &claim_keys {
            let Some(claim) = store.get_arc::<PersistentVolumeClaim>(cns, cname) else {
                continue;
            };
            let bound = claim
                .spec
                .as_ref()
                .and_then(|s| s.volume_name.as_deref())
                .is_some_and(|v| !v.is_empty());
            if claim.metadata.deletion_timestamp.is_some() && !bound {
                continue;
            }
            let out = sync_claim(&claim, &view(store));
            changed |= apply_and_resync(store, out);
        }
        for (cns, cname) in &claim_keys {
            let Some(claim) = store.get_arc::<PersistentVolumeClaim>(cns, cname) else {
                continue;
            };
            let out = external_provision(&claim, &view(store));
            changed |= apply_and_resync(store, out);
        }
        if !changed {
            break;
        }
    }

    // 3. Protection controllers.
    let mut releases: Vec<PersistentVolumeClaim> = Vec::new();
    for claim in store.list::<PersistentVolumeClaim>() {
        if claim.metadata.deletion_timestamp.is_some() && !claim_in_use(store, claim) {
            let mut m = claim.clone();
            if remove_finalizer(&mut m.metadata, PVC_PROTECTION_FINALIZER) {
                releases.push(m);
            }
        }
    }
    for m in releases {
        let _ = store.update(m);
    }
    for volume in arcs::<PersistentVolume>(store) {
        if volume.metadata.deletion_timestamp.is_some() && pv_protection_allows_removal(&volume) {
            let mut m = (*volume).clone();
            if remove_finalizer(&mut m.metadata, PV_PROTECTION_FINALIZER) {
                let _ = store.update(m);
            }
        }
    }
}

/// pvc-protection's `podUsesPVC`: only pods bound to a node count (the kubelet refuses to
/// start a pod whose claim is being deleted), and not once they are Succeeded/Failed. So a
/// claim of an unschedulable Pending pod can be deleted (and the StatefulSet re-creates it).
pub fn claim_in_use(store: &Store, claim: &PersistentVolumeClaim) -> bool {
    let cns = claim.metadata.namespace.as_deref().unwrap_or("default");
    let cname = claim.metadata.name.as_deref().unwrap_or("");
    store.list_in::<Pod>(cns).any(|p| {
        let scheduled = p
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_deref())
            .is_some_and(|n| !n.is_empty());
        let terminated = matches!(
            p.status.as_ref().and_then(|s| s.phase.as_deref()),
            Some("Succeeded") | Some("Failed")
        );
        scheduled && !terminated && storage::pod_uses_claim(p, cns, cname)
    })
}

/// Applies an outcome, then re-syncs the claims it names (against the store as written).
fn apply_and_resync(store: &mut Store, out: Outcome) -> bool {
    let resync = out.resync_claims.clone();
    let mut changed = apply_outcome(store, out);
    for (rns, rname) in resync {
        if let Some(cl) = store.get_arc::<PersistentVolumeClaim>(&rns, &rname) {
            let out = sync_claim(&cl, &view(store));
            changed |= apply_outcome(store, out);
        }
    }
    changed
}

fn with_view<R>(store: &Store, f: impl FnOnce(&StorageView) -> R) -> R {
    f(&view(store))
}

/// Does the pod mount a PersistentVolumeClaim (directly or as a generic ephemeral volume)?
pub fn uses_claims(pod: &Pod) -> bool {
    pod_has_claims(pod)
}

fn pod_has_claims(pod: &Pod) -> bool {
    pod.spec
        .iter()
        .flat_map(|s| s.volumes.iter().flatten())
        .any(|v| v.persistent_volume_claim.is_some() || v.ephemeral.is_some())
}

/// Scheduler PreFilter (`volumebinding`): the node-independent reason a pod cannot be
/// scheduled because of its claims (§2.9 texts), via [`pod_volumes`].
pub fn volume_check(store: &Store, pod: &Pod) -> Result<(), String> {
    if !pod_has_claims(pod) {
        return Ok(());
    }
    match with_view(store, |v| pod_volumes(pod, v)) {
        PodVolumes::Bound | PodVolumes::DelayBinding { .. } => Ok(()),
        other => Err(other.message().unwrap_or_default()),
    }
}

fn pod_claims<'a>(store: &'a Store, pod: &Pod) -> Vec<&'a PersistentVolumeClaim> {
    let pns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let pname = pod.metadata.name.as_deref().unwrap_or("");
    pod.spec
        .iter()
        .flat_map(|s| s.volumes.iter().flatten())
        .filter_map(|v| {
            let cname = if let Some(p) = v.persistent_volume_claim.as_ref() {
                p.claim_name.clone()
            } else if v.ephemeral.is_some() {
                format!("{pname}-{}", v.name)
            } else {
                return None;
            };
            store.get::<PersistentVolumeClaim>(pns, &cname)
        })
        .collect()
}

/// Scheduler Filter (`volumebinding`, per node): bound claims' PV node affinity; a
/// WaitForFirstConsumer claim already given a node stays on it. `Err` is the per-node reason.
pub fn volume_node_filter(store: &Store, pod: &Pod, node: &str) -> Result<(), String> {
    if !pod_has_claims(pod) {
        return Ok(());
    }
    let Some(node_obj) = store.get::<Node>("", node) else {
        return Ok(());
    };
    for claim in pod_claims(store, pod) {
        let vname = claim
            .spec
            .as_ref()
            .and_then(|s| s.volume_name.as_deref())
            .unwrap_or("");
        if !vname.is_empty() {
            if let Some(pv) = store.get::<PersistentVolume>("", vname) {
                if !storage::matching::node_affinity_allows(pv, node_obj) {
                    return Err("node(s) had volume node affinity conflict".into());
                }
            }
            continue;
        }
        let selected = claim
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(ANN_SELECTED_NODE));
        if let Some(sel) = selected {
            if sel != node {
                return Err("node(s) didn't find available persistent volumes to bind".into());
            }
            continue;
        }
        // FindPodVolumes for an unbound WaitForFirstConsumer claim: a static volume that
        // fits this node, else the class must be able to provision.
        let class = storage::claim_class(claim);
        let Some(sc) = store.get::<StorageClass>("", &class) else {
            continue;
        };
        if sc.volume_binding_mode.as_deref() != Some("WaitForFirstConsumer") {
            continue;
        }
        let static_fit = store
            .volume_index()
            .find_matching_for_node(claim, node_obj, &BTreeSet::new(), |n| store.volume(n))
            .is_some();
        if !static_fit && sc.provisioner == storage::NO_PROVISIONER {
            return Err("node(s) didn't find available persistent volumes to bind".into());
        }
    }
    Ok(())
}

/// Scheduler PreBind (`volumebinding`): for the pod's unbound WaitForFirstConsumer claims,
/// bind a static PV that fits the node ([`storage::find_matching_volume`] + [`scheduler_bind_volume`])
/// or ask for provisioning ([`select_node`]). Returns true when every claim is bound, i.e. the
/// pod may be bound to the node now; otherwise the scheduler retries when the claims change.
pub fn volume_prebind(c: &mut Cluster, pod: &Pod, node: &str) -> bool {
    if !pod_has_claims(pod) {
        return true;
    }
    let store = &mut c.store;
    let Some(node_obj) = store.get::<Node>("", node).cloned() else {
        return false;
    };
    let claims: Vec<PersistentVolumeClaim> = pod_claims(store, pod).into_iter().cloned().collect();
    let mut all_bound = true;
    let mut chosen: BTreeSet<String> = BTreeSet::new();
    for claim in claims {
        let vname = claim
            .spec
            .as_ref()
            .and_then(|s| s.volume_name.clone())
            .unwrap_or_default();
        let phase_bound = claim.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound");
        if !vname.is_empty() {
            all_bound &= phase_bound;
            continue;
        }
        all_bound = false;
        let delayed = with_view(store, |v| is_delay_binding_mode(&claim, v));
        if !delayed {
            continue;
        }
        let has_selected = claim
            .metadata
            .annotations
            .as_ref()
            .is_some_and(|a| a.contains_key(ANN_SELECTED_NODE));
        // A static volume already pre-bound to this claim by an earlier PreBind?
        let prebound = claim
            .metadata
            .uid
            .as_deref()
            .is_some_and(|uid| store.volume_index().has_claim_uid(uid));
        if has_selected || prebound {
            continue;
        }
        // The PV controller saw the claim before the scheduler picked a node: its
        // WaitForFirstConsumer / WaitForPodScheduled event (upstream's informers deliver the
        // claim first; the engine's binder pass runs after the scheduler's).
        let out = sync_claim(&claim, &view(store));
        if out.update_claims.is_empty() && out.update_volumes.is_empty() {
            apply_outcome(store, out);
        }
        let Some(claim) = store
            .get::<PersistentVolumeClaim>(&ns(&claim.metadata), &name(&claim.metadata))
            .cloned()
        else {
            continue;
        };
        let pick = store
            .volume_index()
            .find_matching_for_node(&claim, &node_obj, &chosen, |n| store.volume(n))
            .cloned();
        match pick {
            Some(pv) => {
                chosen.insert(name(&pv.metadata));
                let _ = store.update(scheduler_bind_volume(&pv, &claim));
            }
            None => {
                let _ = store.update(select_node(&claim, node));
            }
        }
    }
    all_bound
}

/// Plain words for the "why" panel about a claim that is not usable: what the PV controller
/// decides for an unbound claim ([`storage::Decision::describe`]), or the lost disk of its
/// volume. `None` when the claim is bound to a healthy volume.
pub fn explain_claim(store: &Store, claim: &PersistentVolumeClaim) -> Option<String> {
    let cname = name(&claim.metadata);
    let phase = claim
        .status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("Pending");
    if phase == "Bound" {
        let vname = claim
            .spec
            .as_ref()
            .and_then(|s| s.volume_name.as_deref())
            .unwrap_or("");
        return store
            .get::<PersistentVolume>("", vname)
            .filter(|v| volume_is_faulted(v))
            .map(|_| {
                format!("claim {cname} is bound to PersistentVolume {vname}, whose disk is lost ({FAULT_VOLUME_FAILED}=true): the pod cannot mount it")
            });
    }
    let decision = with_view(store, |v| match external_provision(claim, v).decision {
        refused @ storage::Decision::ProvisioningFailed { .. } => refused,
        _ => sync_claim(claim, v).decision,
    });
    Some(format!("claim {cname} is {phase}: {}", decision.describe()))
}

/// Kubelet volume manager: can every volume of the pod be mounted? `Err` carries the
/// `FailedMount` messages (per-volume `MountVolume.SetUp failed …`, then the pod-level
/// `Unable to attach or mount volumes: …`).
pub fn mount_check(store: &Store, pod: &Pod) -> Result<(), Vec<String>> {
    if !pod_has_claims(pod) {
        return Ok(());
    }
    let pns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let mut messages = Vec::new();
    let mut unmounted = Vec::new();
    for v in pod.spec.iter().flat_map(|s| s.volumes.iter().flatten()) {
        let Some(src) = v.persistent_volume_claim.as_ref() else {
            continue;
        };
        let pv = store
            .get::<PersistentVolumeClaim>(pns, &src.claim_name)
            .and_then(|c| c.spec.as_ref())
            .and_then(|s| s.volume_name.as_deref())
            .and_then(|n| store.get::<PersistentVolume>("", n));
        let Some(pv) = pv else { continue };
        if !volume_is_faulted(pv) {
            continue;
        }
        let pv_name = name(&pv.metadata);
        let uid = pod.metadata.uid.as_deref().unwrap_or("");
        let detail = match pv.spec.as_ref().and_then(|s| s.nfs.as_ref()) {
            Some(nfs) => format!(
                "mount failed: exit status 32\nMounting command: mount\nMounting arguments: -t nfs {}:{} /var/lib/kubelet/pods/{uid}/volumes/kubernetes.io~nfs/{pv_name}\nOutput: mount.nfs: Connection timed out",
                nfs.server, nfs.path
            ),
            None => match pv.spec.as_ref().and_then(|s| s.host_path.as_ref()) {
                Some(hp) => format!(
                    "hostPath type check failed: {} is not a directory",
                    hp.path
                ),
                None => "rpc error: code = Internal desc = the backing disk was lost".into(),
            },
        };
        messages.push(format!(
            "MountVolume.SetUp failed for volume {pv_name:?} : {detail}"
        ));
        unmounted.push(v.name.clone());
    }
    if messages.is_empty() {
        return Ok(());
    }
    unmounted.sort();
    messages.push(format!(
        "Unable to attach or mount volumes: unmounted volumes=[{}], unattached volumes=[], failed to process volumes=[]: context deadline exceeded",
        unmounted.join(" ")
    ));
    Err(messages)
}

impl Cluster {
    /// The disk fault: annotates the PV `playground.dev/failed: "true"` (recorded as a
    /// command, so replays reproduce it). The PV controller marks it `Failed`; pods using it
    /// cannot mount it (`FailedMount`) and stay not Ready.
    pub fn fail_volume(&mut self, pv_name: &str) -> Result<(), ApiError> {
        self.set_annotation(
            Kind::PersistentVolume,
            "",
            pv_name,
            FAULT_VOLUME_FAILED,
            Some("true"),
        )
    }
}
