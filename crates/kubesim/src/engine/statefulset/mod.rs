//! The StatefulSet controller (`pkg/controller/statefulset`): one reconcile pass per sync,
//! in the order of `stateful_set_control.go: updateStatefulSet` (spec §1.5).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use k8s_openapi::api::apps::v1::{
    RollingUpdateStatefulSetStrategy, StatefulSet, StatefulSetPersistentVolumeClaimRetentionPolicy,
    StatefulSetSpec, StatefulSetStatus, StatefulSetUpdateStrategy,
};
use k8s_openapi::api::core::v1::{
    PersistentVolumeClaim, PersistentVolumeClaimVolumeSource, Pod, PodSpec, PodStatus,
    PodTemplateSpec, Probe, Volume,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

mod cache;

pub(crate) use cache::SetCache;

use super::history::{self, owner_ref, REVISION_LABEL};
use super::store::{parse_ordinal, Store};
use super::{
    apply_generic, controller_of, instant_of, ApiError, ApplyOutcome, Cluster, Propagation,
    WatchEventType,
};
use crate::validation::selector_matches;

pub const CONTROLLER: &str = "statefulset-controller";
pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";

// ---- pod predicates (§1.4) ---------------------------------------------------------------

pub fn pod_phase(p: &Pod) -> &str {
    p.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

pub(crate) fn ready_condition(p: &Pod) -> Option<&k8s_openapi::api::core::v1::PodCondition> {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
}

/// `podutil.IsPodReady`, shared with the endpoint controllers.
pub use crate::network::endpointslice::is_pod_ready as is_ready;

pub fn is_running_and_ready(p: &Pod) -> bool {
    pod_phase(p) == "Running" && is_ready(p)
}

pub fn is_terminating(p: &Pod) -> bool {
    p.metadata.deletion_timestamp.is_some()
}

pub fn is_failed_or_succeeded(p: &Pod) -> bool {
    matches!(pod_phase(p), "Failed" | "Succeeded")
}

/// Ready for longer than minReadySeconds (strict `<`).
pub fn is_available(p: &Pod, min_ready_ms: u64, now: u64) -> bool {
    match ready_condition(p) {
        Some(c) if c.status == "True" => {
            min_ready_ms == 0
                || c.last_transition_time
                    .as_ref()
                    .is_some_and(|t| instant_of(t) + min_ready_ms < now)
        }
        _ => false,
    }
}

/// `isUnavailable` [v1.34]: not available or terminating; a missing pod is unavailable.
fn is_unavailable(p: Option<&Arc<Pod>>, min_ready_ms: u64, now: u64) -> bool {
    match p {
        None => true,
        Some(p) => !is_available(p, min_ready_ms, now) || is_terminating(p),
    }
}

pub fn pod_revision(p: &Pod) -> Option<&str> {
    p.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(REVISION_LABEL))
        .map(String::as_str)
}

pub fn ordinal_of(p: &Pod) -> Option<i64> {
    parse_ordinal(p.metadata.name.as_deref().unwrap_or("")).map(|(_, o)| o)
}

// ---- spec accessors ----------------------------------------------------------------------

pub fn start_ordinal(spec: &StatefulSetSpec) -> i64 {
    spec.ordinals
        .as_ref()
        .and_then(|o| o.start)
        .unwrap_or(0)
        .max(0) as i64
}

fn retention(spec: &StatefulSetSpec) -> (bool, bool) {
    let p = spec.persistent_volume_claim_retention_policy.as_ref();
    let when_deleted = p.and_then(|p| p.when_deleted.as_deref()) == Some("Delete");
    let when_scaled = p.and_then(|p| p.when_scaled.as_deref()) == Some("Delete");
    (when_deleted, when_scaled)
}

/// `maxUnavailable` resolved against spec.replicas: percent rounds down, minimum 1.
pub fn max_unavailable(spec: &StatefulSetSpec) -> i64 {
    let replicas = spec.replicas.unwrap_or(1).max(0) as i64;
    let v = spec
        .update_strategy
        .as_ref()
        .and_then(|u| u.rolling_update.as_ref())
        .and_then(|r| r.max_unavailable.as_ref());
    let n = match v {
        None => 1,
        Some(IntOrString::Int(n)) => *n as i64,
        Some(IntOrString::String(s)) => {
            match s.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) {
                Some(pct) => pct * replicas / 100,
                None => s.parse::<i64>().unwrap_or(1),
            }
        }
    };
    n.max(1)
}

fn partition(spec: &StatefulSetSpec) -> i64 {
    spec.update_strategy
        .as_ref()
        .and_then(|u| u.rolling_update.as_ref())
        .and_then(|r| r.partition)
        .unwrap_or(0)
        .max(0) as i64
}

fn is_on_delete(spec: &StatefulSetSpec) -> bool {
    spec.update_strategy
        .as_ref()
        .and_then(|u| u.type_.as_deref())
        == Some("OnDelete")
}

pub fn pvc_name(template: &str, set: &str, ordinal: i64) -> String {
    format!("{template}-{set}-{ordinal}")
}

// ---- API defaulting and apply ------------------------------------------------------------

fn default_probe(p: &mut Probe) {
    p.timeout_seconds.get_or_insert(1);
    p.period_seconds.get_or_insert(10);
    p.success_threshold.get_or_insert(1);
    p.failure_threshold.get_or_insert(3);
    if let Some(h) = p.http_get.as_mut() {
        default_http_get(h);
    }
}

/// `SetDefaults_HTTPGetAction`.
fn default_http_get(h: &mut k8s_openapi::api::core::v1::HTTPGetAction) {
    h.path.get_or_insert_with(|| "/".into());
    h.scheme.get_or_insert_with(|| "HTTP".into());
}

/// `SetDefaults_ResourceList` + `Quantity.String()`: requests and limits as the API server
/// stores them (`0.5` → `500m`, `1024Mi` → `1Gi`); text that is no quantity is left alone.
fn canonical_resources(r: &mut k8s_openapi::api::core::v1::ResourceRequirements) {
    for list in [r.requests.as_mut(), r.limits.as_mut()]
        .into_iter()
        .flatten()
    {
        for q in list.values_mut() {
            if let Some(c) = crate::storage::canonical_quantity::canonical(&q.0) {
                q.0 = c;
            }
        }
    }
}

/// Go writes a plain (non-pointer) `bool` field with `omitempty` only when true: a `false`
/// the user wrote is gone once the API server decoded it (`readOnly: false` never shows).
fn drop_false(b: &mut Option<bool>) {
    if *b == Some(false) {
        *b = None;
    }
}

/// The volume-source defaults of `pkg/apis/core/v1/defaults.go` (`SetDefaults_Volume`: no
/// source is an `emptyDir`; secret, configMap, downwardAPI and projected `defaultMode: 420`;
/// hostPath `type: ""`; a projected token's `expirationSeconds: 3600`; fieldRef `apiVersion:
/// v1`), and the plain bools Go omits when false.
fn default_volume(v: &mut Volume) {
    let mut bare = Volume {
        name: v.name.clone(),
        ..Default::default()
    };
    if *v == bare {
        bare.empty_dir = Some(Default::default());
        *v = bare;
        return;
    }
    if let Some(s) = v.secret.as_mut() {
        s.default_mode.get_or_insert(420);
    }
    if let Some(s) = v.config_map.as_mut() {
        s.default_mode.get_or_insert(420);
    }
    if let Some(s) = v.downward_api.as_mut() {
        s.default_mode.get_or_insert(420);
        for i in s.items.iter_mut().flatten() {
            if let Some(f) = i.field_ref.as_mut() {
                f.api_version.get_or_insert_with(|| "v1".into());
            }
        }
    }
    if let Some(s) = v.projected.as_mut() {
        s.default_mode.get_or_insert(420);
        for p in s.sources.iter_mut().flatten() {
            if let Some(t) = p.service_account_token.as_mut() {
                t.expiration_seconds.get_or_insert(3600);
            }
            for i in p
                .downward_api
                .iter_mut()
                .flat_map(|d| d.items.iter_mut().flatten())
            {
                if let Some(f) = i.field_ref.as_mut() {
                    f.api_version.get_or_insert_with(|| "v1".into());
                }
            }
        }
    }
    if let Some(h) = v.host_path.as_mut() {
        h.type_.get_or_insert_with(String::new);
    }
    if let Some(c) = v.persistent_volume_claim.as_mut() {
        drop_false(&mut c.read_only);
    }
    if let Some(n) = v.nfs.as_mut() {
        drop_false(&mut n.read_only);
    }
    // SetDefaults_PersistentVolumeClaimSpec reaches an ephemeral volume's claim template.
    if let Some(t) = v
        .ephemeral
        .as_mut()
        .and_then(|e| e.volume_claim_template.as_mut())
    {
        t.spec
            .volume_mode
            .get_or_insert_with(|| "Filesystem".into());
    }
}

/// Pod spec defaulting as the API server does it (`pkg/apis/core/v1/defaults.go`).
pub fn default_pod_spec(spec: &mut PodSpec) {
    spec.restart_policy.get_or_insert_with(|| "Always".into());
    spec.termination_grace_period_seconds.get_or_insert(30);
    spec.dns_policy.get_or_insert_with(|| "ClusterFirst".into());
    spec.scheduler_name
        .get_or_insert_with(|| "default-scheduler".into());
    spec.security_context.get_or_insert_with(Default::default);
    if let Some(r) = spec.resources.as_mut() {
        canonical_resources(r);
    }
    for b in [
        &mut spec.host_network,
        &mut spec.host_pid,
        &mut spec.host_ipc,
    ] {
        drop_false(b);
    }
    for v in spec.volumes.iter_mut().flatten() {
        default_volume(v);
    }
    for c in spec
        .containers
        .iter_mut()
        .chain(spec.init_containers.iter_mut().flatten())
    {
        for m in c.volume_mounts.iter_mut().flatten() {
            drop_false(&mut m.read_only);
        }
        for b in [&mut c.stdin, &mut c.stdin_once, &mut c.tty] {
            drop_false(b);
        }
        for e in c.env.iter_mut().flatten() {
            if let Some(f) = e.value_from.as_mut().and_then(|v| v.field_ref.as_mut()) {
                f.api_version.get_or_insert_with(|| "v1".into());
            }
        }
        if let Some(l) = c.lifecycle.as_mut() {
            for h in [l.post_start.as_mut(), l.pre_stop.as_mut()]
                .into_iter()
                .flatten()
            {
                if let Some(g) = h.http_get.as_mut() {
                    default_http_get(g);
                }
            }
        }
        let image = c.image.clone().unwrap_or_default();
        let tag = image.rsplit('/').next().unwrap_or("");
        let latest = !tag.contains(':') || tag.ends_with(":latest");
        c.image_pull_policy.get_or_insert_with(|| {
            if latest && !image.contains('@') {
                "Always".into()
            } else {
                "IfNotPresent".into()
            }
        });
        c.termination_message_path
            .get_or_insert_with(|| "/dev/termination-log".into());
        c.termination_message_policy
            .get_or_insert_with(|| "File".into());
        canonical_resources(c.resources.get_or_insert_with(Default::default));
        for p in c.ports.iter_mut().flatten() {
            p.protocol.get_or_insert_with(|| "TCP".into());
        }
        for p in [
            &mut c.readiness_probe,
            &mut c.liveness_probe,
            &mut c.startup_probe,
        ]
        .into_iter()
        .flatten()
        {
            default_probe(p);
        }
    }
}

/// StatefulSet defaulting (`pkg/apis/apps/v1/defaults.go`, v1.35 gates).
pub fn apply_defaults(set: &mut StatefulSet) {
    if set.metadata.namespace.is_none() {
        set.metadata.namespace = Some("default".into());
    }
    let spec = set.spec.get_or_insert_with(Default::default);
    spec.replicas.get_or_insert(1);
    spec.pod_management_policy
        .get_or_insert_with(|| "OrderedReady".into());
    let us = spec
        .update_strategy
        .get_or_insert_with(StatefulSetUpdateStrategy::default);
    us.type_.get_or_insert_with(|| "RollingUpdate".into());
    if us.type_.as_deref() == Some("RollingUpdate") {
        let ru = us
            .rolling_update
            .get_or_insert_with(RollingUpdateStatefulSetStrategy::default);
        ru.partition.get_or_insert(0);
        ru.max_unavailable.get_or_insert(IntOrString::Int(1));
    }
    spec.revision_history_limit.get_or_insert(10);
    let r = spec
        .persistent_volume_claim_retention_policy
        .get_or_insert_with(StatefulSetPersistentVolumeClaimRetentionPolicy::default);
    r.when_deleted.get_or_insert_with(|| "Retain".into());
    r.when_scaled.get_or_insert_with(|| "Retain".into());
    if let Some(ps) = spec.template.spec.as_mut() {
        default_pod_spec(ps);
    }
    for t in spec.volume_claim_templates.iter_mut().flatten() {
        t.spec
            .get_or_insert_with(Default::default)
            .volume_mode
            .get_or_insert_with(|| "Filesystem".into());
    }
}

fn immutable_part(spec: &StatefulSetSpec) -> StatefulSetSpec {
    StatefulSetSpec {
        replicas: None,
        ordinals: None,
        template: PodTemplateSpec::default(),
        update_strategy: None,
        persistent_volume_claim_retention_policy: None,
        min_ready_seconds: None,
        revision_history_limit: None,
        ..spec.clone()
    }
}

/// `kubectl apply` of a StatefulSet.
pub(crate) fn apply(c: &mut Cluster, mut set: StatefulSet) -> Result<ApplyOutcome, ApiError> {
    apply_defaults(&mut set);
    let replicas = set.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
    c.check_replica_limit(set.metadata.name.as_deref().unwrap_or(""), replicas)?;
    // A new set's status is Go's zero StatefulSetStatus: `{availableReplicas: 0, replicas: 0}`
    // (the two fields without omitempty in k8s.io/api apps/v1 types.go).
    set.status = Some(StatefulSetStatus {
        available_replicas: Some(0),
        ..Default::default()
    });
    apply_generic(&mut c.store, set, |old, new| {
        let name = new.metadata.name.clone().unwrap_or_default();
        let (os, ns) = (
            old.spec.clone().unwrap_or_default(),
            new.spec.clone().unwrap_or_default(),
        );
        if immutable_part(&os) != immutable_part(&ns) {
            return Err(ApiError::Forbidden(format!(
                "StatefulSet.apps \"{name}\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
            )));
        }
        let mut merged = old.clone();
        merged.metadata.labels = new.metadata.labels.clone();
        merged.metadata.annotations = new.metadata.annotations.clone();
        merged.spec = new.spec.clone();
        Ok(merged)
    })
}

/// `kubectl rollout undo` (`polymorphichelpers/rollback.go: StatefulSetRollbacker`): puts the
/// template of an earlier ControllerRevision back into the set.
pub(crate) fn rollout_undo(
    c: &mut Cluster,
    ns: &str,
    name: &str,
    to_revision: i64,
) -> Result<String, ApiError> {
    let Some(set) = c.store.get_arc::<StatefulSet>(ns, name) else {
        return Err(ApiError::NotFound {
            kind: super::Kind::StatefulSet,
            name: name.into(),
        });
    };
    let uid = set.metadata.uid.clone().unwrap_or_default();
    let mut revs: Vec<_> = c
        .store
        .list_in::<k8s_openapi::api::apps::v1::ControllerRevision>(ns)
        .filter(|r| history::owned_by(&r.metadata, &uid))
        .cloned()
        .collect();
    revs.sort_by_key(|r| r.revision);
    let target = if to_revision == 0 {
        if revs.len() < 2 {
            return Err(ApiError::Invalid("no rollout history found".into()));
        }
        revs[revs.len() - 2].clone()
    } else {
        match revs.iter().find(|r| r.revision == to_revision) {
            Some(r) => r.clone(),
            None => {
                return Err(ApiError::Invalid(format!(
                    "unable to find specified revision {to_revision} in history"
                )))
            }
        }
    };
    let Some(template) = history::template_of(&target) else {
        return Err(ApiError::Invalid("revision has no template".into()));
    };
    let mut updated = (*set).clone();
    let spec = updated.spec.get_or_insert_with(Default::default);
    if spec.template == template {
        return Ok(format!(
            "skipped rollback (current template already matches revision {})",
            target.revision
        ));
    }
    spec.template = template;
    c.store.update(updated)?;
    Ok("rolled back".into())
}

// ---- event handlers ----------------------------------------------------------------------

/// Pod informer handler: requeue the owning set (or, for orphans, every set that selects it).
pub(crate) fn on_pod_event(c: &mut Cluster, pod: &Pod, _event: WatchEventType) {
    let ns = pod.metadata.namespace.as_deref().unwrap_or_default();
    if let Some(set) = controller_of(&pod.metadata, "StatefulSet") {
        return sync_for_pod(c, pod, ns, set);
    }
    if pod
        .metadata
        .owner_references
        .iter()
        .flatten()
        .any(|o| o.controller == Some(true))
    {
        return;
    }
    // An orphan: every set whose selector matches may adopt it.
    let empty = BTreeMap::new();
    let labels = pod.metadata.labels.as_ref().unwrap_or(&empty);
    let sets: Vec<String> = c
        .store
        .list_in::<StatefulSet>(ns)
        .filter(|s| {
            s.spec
                .as_ref()
                .is_some_and(|sp| selector_matches(&sp.selector, labels))
        })
        .filter_map(|s| s.metadata.name.clone())
        .collect();
    for s in sets {
        sync_for_pod(c, pod, ns, &s);
    }
}

/// Queues the set's sync for a write of one of its pods (and, for a pod that just turned
/// Ready, the availability check after minReadySeconds).
fn sync_for_pod(c: &mut Cluster, pod: &Pod, ns: &str, set: &str) {
    let now = c.now;
    c.enqueue_sync(now, ns, set);
    let just_ready = ready_condition(pod).is_some_and(|rc| {
        rc.status == "True" && rc.last_transition_time.as_ref().map(instant_of) == Some(now)
    });
    if just_ready {
        let mrs = c
            .store
            .get::<StatefulSet>(ns, set)
            .and_then(|s| s.spec.as_ref())
            .and_then(|s| s.min_ready_seconds)
            .unwrap_or(0);
        if mrs > 0 {
            c.enqueue_sync(now + mrs as u64 * 1000 + 1000, ns, set);
        }
    }
}

// ---- the reconcile pass ------------------------------------------------------------------

fn record(
    c: &mut Cluster,
    set: &StatefulSet,
    type_: &'static str,
    reason: &'static str,
    msg: String,
) {
    c.store
        .record_event(&set.metadata, "StatefulSet", type_, reason, msg, CONTROLLER);
}

fn is_member(set_name: &str, pod: &Pod) -> bool {
    parse_ordinal(pod.metadata.name.as_deref().unwrap_or("")).is_some_and(|(p, _)| p == set_name)
}

fn selects(set: &StatefulSet, pod: &Pod) -> bool {
    history::set_selector_matches(set, pod.metadata.labels.as_ref())
}

/// `getPodsForStatefulSet` for the pods that changed since the last pass: adopt matching
/// orphans, release owned pods that no longer match (the others were claimed before).
fn claim_pods(c: &mut Cluster, set: &StatefulSet, changed: BTreeSet<String>) {
    let ns = set.metadata.namespace.as_deref().unwrap_or("");
    let name = set.metadata.name.as_deref().unwrap_or("");
    let uid = set.metadata.uid.as_deref().unwrap_or("");
    let deleting = set.metadata.deletion_timestamp.is_some();
    for pod_name in changed {
        let Some(pod) = c.store.get_arc::<Pod>(ns, &pod_name) else {
            continue;
        };
        let ctrl_uid = pod
            .metadata
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true))
            .map(|o| o.uid.as_str());
        match ctrl_uid {
            Some(u) if u == uid => {
                if !(selects(set, &pod) && is_member(name, &pod)) {
                    let mut released = (*pod).clone();
                    if let Some(refs) = released.metadata.owner_references.as_mut() {
                        refs.retain(|r| r.uid != uid);
                    }
                    // An empty list is omitted on the wire.
                    if released
                        .metadata
                        .owner_references
                        .as_ref()
                        .is_some_and(Vec::is_empty)
                    {
                        released.metadata.owner_references = None;
                    }
                    let _ = c.store.update(released);
                }
            }
            Some(_) => {}
            None => {
                if !deleting && selects(set, &pod) && is_member(name, &pod) && !is_terminating(&pod)
                {
                    let _ = c.store.update(history::adopted_by(&*pod, set));
                }
            }
        }
    }
}

/// `newStatefulSetPod` + identity + storage + revision label.
fn new_pod(set: &StatefulSet, template: &PodTemplateSpec, revision: &str, ordinal: i64) -> Pod {
    let set_name = set.metadata.name.clone().unwrap_or_default();
    let default_spec = StatefulSetSpec::default();
    let spec = set.spec.as_ref().unwrap_or(&default_spec);
    let name = format!("{set_name}-{ordinal}");
    let tm = template.metadata.as_ref();
    let mut labels = tm.and_then(|m| m.labels.clone()).unwrap_or_default();
    labels.insert(POD_NAME_LABEL.into(), name.clone());
    labels.insert(POD_INDEX_LABEL.into(), ordinal.to_string());
    labels.insert(REVISION_LABEL.into(), revision.into());
    let mut ps = template.spec.clone().unwrap_or_default();
    default_pod_spec(&mut ps);
    ps.hostname = Some(name.clone());
    ps.subdomain = spec.service_name.clone().filter(|s| !s.is_empty());
    let claims: Vec<Volume> = spec
        .volume_claim_templates
        .iter()
        .flatten()
        .map(|t| {
            let tname = t.metadata.name.clone().unwrap_or_default();
            Volume {
                name: tname.clone(),
                persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                    claim_name: pvc_name(&tname, &set_name, ordinal),
                    read_only: None,
                }),
                ..Default::default()
            }
        })
        .collect();
    if !claims.is_empty() {
        let mut vols = claims.clone();
        for v in ps.volumes.take().unwrap_or_default() {
            if !claims.iter().any(|c| c.name == v.name) {
                vols.push(v);
            }
        }
        ps.volumes = Some(vols);
    }
    Pod {
        metadata: ObjectMeta {
            name: Some(name),
            // GetPodFromTemplate (pkg/controller/controller_utils.go) sets the prefix the
            // controller would generate names from; newStatefulSetPod then names the pod.
            generate_name: Some(format!("{set_name}-")),
            namespace: set.metadata.namespace.clone(),
            labels: Some(labels),
            annotations: tm.and_then(|m| m.annotations.clone()),
            owner_references: Some(vec![owner_ref(set)]),
            ..Default::default()
        },
        spec: Some(ps),
        status: Some(PodStatus {
            phase: Some("Pending".into()),
            qos_class: Some("BestEffort".into()),
            ..Default::default()
        }),
    }
}

fn claims_for(set: &StatefulSet, ordinal: i64) -> Vec<PersistentVolumeClaim> {
    let Some(spec) = set.spec.as_ref() else {
        return Vec::new();
    };
    let Some(templates) = spec
        .volume_claim_templates
        .as_ref()
        .filter(|t| !t.is_empty())
    else {
        return Vec::new();
    };
    let set_name = set.metadata.name.as_deref().unwrap_or("");
    let match_labels = spec.selector.match_labels.as_ref();
    templates
        .iter()
        .map(|t| {
            let tname = t.metadata.name.as_deref().unwrap_or("");
            let mut labels = t.metadata.labels.clone().unwrap_or_default();
            labels.extend(
                match_labels
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), v.clone())),
            );
            PersistentVolumeClaim {
                metadata: ObjectMeta {
                    name: Some(pvc_name(tname, set_name, ordinal)),
                    namespace: set.metadata.namespace.clone(),
                    labels: Some(labels),
                    annotations: t.metadata.annotations.clone(),
                    ..Default::default()
                },
                spec: t.spec.clone(),
                status: None,
            }
        })
        .collect()
}

/// Names of the claims of an ordinal (cheap: no claim objects built).
fn claim_names(set: &StatefulSet, ordinal: i64) -> Vec<String> {
    let set_name = set.metadata.name.as_deref().unwrap_or("");
    set.spec
        .as_ref()
        .and_then(|s| s.volume_claim_templates.as_ref())
        .into_iter()
        .flatten()
        .map(|t| pvc_name(t.metadata.name.as_deref().unwrap_or(""), set_name, ordinal))
        .collect()
}

/// Creates missing claims of an ordinal. Err = a claim is being deleted (pod must wait).
fn create_missing_claims(
    c: &mut Cluster,
    set: &StatefulSet,
    ordinal: i64,
    pod_name: &str,
) -> Result<(), String> {
    let set_name = set.metadata.name.as_deref().unwrap_or_default();
    for claim in claims_for(set, ordinal) {
        let ns = claim.metadata.namespace.clone().unwrap_or_default();
        let cname = claim.metadata.name.clone().unwrap_or_default();
        match c.store.get::<PersistentVolumeClaim>(&ns, &cname) {
            Some(existing) if existing.metadata.deletion_timestamp.is_some() => {
                return Err(format!("pvc {cname} is being deleted"));
            }
            Some(_) => {}
            None => {
                let claim = super::volume_defaults::default_pvc(&c.store, claim);
                match c.store.create(claim) {
                    Ok(_) => record(
                        c,
                        set,
                        "Normal",
                        "SuccessfulCreate",
                        format!(
                            "create Claim {cname} Pod {pod_name} in StatefulSet {set_name} success"
                        ),
                    ),
                    Err(e) => {
                        record(
                            c,
                            set,
                            "Warning",
                            "FailedCreate",
                            format!("create Claim {cname} for Pod {pod_name} in StatefulSet {set_name} failed error: {e}"),
                        );
                        return Err(e.to_string());
                    }
                }
            }
        }
    }
    Ok(())
}

/// A claim of this (not yet created) ordinal still carries an ownerRef to a previous pod.
fn has_stale_claim(c: &Cluster, set: &StatefulSet, ordinal: i64) -> bool {
    let pod_name = format!("{}-{ordinal}", set.metadata.name.as_deref().unwrap_or(""));
    let ns = set.metadata.namespace.clone().unwrap_or_default();
    claim_names(set, ordinal).iter().any(|cname| {
        c.store
            .get::<PersistentVolumeClaim>(&ns, cname)
            .is_some_and(|pvc| {
                pvc.metadata
                    .owner_references
                    .iter()
                    .flatten()
                    .any(|o| o.kind == "Pod" && o.name == pod_name)
            })
    })
}

/// Makes a pod's claims' ownerReferences match the retention policy (§1.12).
fn update_claim_owner_refs(c: &mut Cluster, set: &StatefulSet, pod: &Pod, condemned: bool) {
    let Some(ordinal) = ordinal_of(pod) else {
        return;
    };
    let names = claim_names(set, ordinal);
    if names.is_empty() {
        return;
    }
    let Some(spec) = set.spec.as_ref() else {
        return;
    };
    let (when_deleted, when_scaled) = retention(spec);
    let set_uid = set.metadata.uid.clone().unwrap_or_default();
    let pod_uid = pod.metadata.uid.clone().unwrap_or_default();
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    let ns = set.metadata.namespace.clone().unwrap_or_default();
    let (want_set, want_pod) = if condemned && when_scaled {
        (false, true)
    } else {
        (when_deleted, false)
    };
    for cname in names {
        let Some(pvc) = c.store.get::<PersistentVolumeClaim>(&ns, &cname) else {
            continue;
        };
        let refs = pvc.metadata.owner_references.clone().unwrap_or_default();
        let foreign_controller = refs
            .iter()
            .any(|o| o.controller == Some(true) && o.uid != set_uid && o.uid != pod_uid);
        let stale = refs
            .iter()
            .any(|o| o.kind == "Pod" && o.name == pod_name && o.uid != pod_uid);
        if foreign_controller || stale {
            continue;
        }
        let mut new_refs: Vec<OwnerReference> = refs
            .iter()
            .filter(|o| o.uid != set_uid && o.uid != pod_uid)
            .cloned()
            .collect();
        if want_set {
            new_refs.push(owner_ref(set));
        }
        if want_pod {
            new_refs.push(OwnerReference {
                api_version: "v1".into(),
                kind: "Pod".into(),
                name: pod_name.clone(),
                uid: pod_uid.clone(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            });
        }
        if new_refs != refs {
            let mut updated = pvc.clone();
            updated.metadata.owner_references = if new_refs.is_empty() {
                None
            } else {
                Some(new_refs)
            };
            let _ = c.store.update(updated);
        }
    }
}

fn delete_pod(c: &mut Cluster, set: &StatefulSet, pod: &Pod) {
    let ns = pod.metadata.namespace.clone().unwrap_or_default();
    let name = pod.metadata.name.clone().unwrap_or_default();
    let set_name = set.metadata.name.clone().unwrap_or_default();
    match c
        .store
        .delete::<Pod>(&ns, &name, Propagation::Background, None)
    {
        Ok(_) => record(
            c,
            set,
            "Normal",
            "SuccessfulDelete",
            format!("delete Pod {name} in StatefulSet {set_name} successful"),
        ),
        Err(e) => record(
            c,
            set,
            "Warning",
            "FailedDelete",
            format!("delete Pod {name} in StatefulSet {set_name} failed error: {e}"),
        ),
    }
}

/// Creates claims and the pod for an ordinal. Returns false if nothing could be created.
fn create_pod(
    c: &mut Cluster,
    set: &StatefulSet,
    template: &PodTemplateSpec,
    revision: &str,
    ordinal: i64,
) -> bool {
    let set_name = set.metadata.name.as_deref().unwrap_or_default();
    let mut pod = new_pod(set, template, revision, ordinal);
    // a Pod's negative grace period is read as 1 second (v1 conversion, kubernetes#115606)
    if let Some(g) = pod
        .spec
        .as_mut()
        .and_then(|s| s.termination_grace_period_seconds.as_mut())
        .filter(|g| **g < 0)
    {
        *g = 1;
    }
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    // the claims first, then the pod, which the API server validates (upstream does not
    // validate the template when the StatefulSet is created: kubernetes/kubernetes#81147)
    let refused = create_missing_claims(c, set, ordinal, &pod_name)
        .and_then(|()| crate::validation::validate_pod(&pod));
    if let Err(e) = refused {
        record(
            c,
            set,
            "Warning",
            "FailedCreate",
            format!("create Pod {pod_name} in StatefulSet {set_name} failed error: {e}"),
        );
        return false;
    }
    match c.store.create(pod) {
        Ok(created) => {
            record(
                c,
                set,
                "Normal",
                "SuccessfulCreate",
                format!("create Pod {pod_name} in StatefulSet {set_name} successful"),
            );
            update_claim_owner_refs(c, set, &created, false);
            true
        }
        Err(ApiError::AlreadyExists { .. }) => false,
        Err(e) => {
            record(
                c,
                set,
                "Warning",
                "FailedCreate",
                format!("create Pod {pod_name} in StatefulSet {set_name} failed error: {e}"),
            );
            false
        }
    }
}

/// `v == n.to_string()`, without allocating (checked every pass for every healthy pod).
fn is_decimal_of(v: &str, n: i64) -> bool {
    if n < 0 {
        return v == n.to_string();
    }
    !v.is_empty()
        && v.bytes().all(|b| b.is_ascii_digit())
        && (v.len() == 1 || !v.starts_with('0'))
        && v.parse::<i64>() == Ok(n)
}

/// Fixes identity labels of an owned pod (`identityMatches` / `updateIdentity`).
fn fix_identity(c: &mut Cluster, set: &StatefulSet, pod: &Arc<Pod>, reads: &mut PassReads) {
    let Some(ordinal) = ordinal_of(pod) else {
        return;
    };
    let labels = pod.metadata.labels.as_ref();
    let label = |k: &str| labels.and_then(|l| l.get(k)).map(String::as_str);
    let ok = label(POD_NAME_LABEL) == Some(pod.metadata.name.as_deref().unwrap_or(""))
        && label(POD_INDEX_LABEL).is_some_and(|v| is_decimal_of(v, ordinal));
    if ok {
        return;
    }
    reads.writing(pod);
    let name = pod.metadata.name.clone().unwrap_or_default();
    let mut p = Pod::clone(pod);
    let l = p.metadata.labels.get_or_insert_with(Default::default);
    l.insert(POD_NAME_LABEL.into(), name.clone());
    l.insert(POD_INDEX_LABEL.into(), ordinal.to_string());
    if c.store.update(p).is_ok() {
        let set_name = set.metadata.name.clone().unwrap_or_default();
        record(
            c,
            set,
            "Normal",
            "SuccessfulUpdate",
            format!("update Pod {name} in StatefulSet {set_name} successful"),
        );
    }
}

/// The set's cache, brought up to date with the watch log (rebuilt from the store when the
/// set's uid or spec generation changed, when the watch log no longer holds what it missed,
/// or when incremental passes are switched off).
fn cache_for(c: &mut Cluster, set: &StatefulSet, min_ready_ms: u64) -> SetCache {
    let key = (
        set.metadata.namespace.clone().unwrap_or_default(),
        set.metadata.name.clone().unwrap_or_default(),
    );
    match c.sts_cache.remove(&key) {
        Some(mut cache) if c.incremental && cache.is_for(set) && cache.can_catch_up(&c.store) => {
            cache.observe(&c.store, set, c.now);
            cache
        }
        _ => SetCache::rebuild(&c.store, set, min_ready_ms, c.now),
    }
}

/// The pods one pass reads: as the store holds them, or — once the pass wrote one — as it
/// was before (upstream's pass works on the pod list it read at its start). The cache names
/// the members; their pods are looked up here. Also what availability means in this pass.
struct PassReads<'a> {
    namespace: &'a str,
    /// The in-range ordinals `[start, end)`.
    range: (i64, i64),
    min_ready_ms: u64,
    now: u64,
    before: BTreeMap<String, Arc<Pod>>,
}

impl PassReads<'_> {
    fn pod(&self, store: &Store, name: &str) -> Option<Arc<Pod>> {
        match self.before.get(name) {
            Some(p) => Some(p.clone()),
            None => store.get_arc::<Pod>(self.namespace, name),
        }
    }

    /// Call before the pass writes `pod`.
    fn writing(&mut self, pod: &Arc<Pod>) {
        let name = pod.metadata.name.as_deref().unwrap_or_default();
        if !self.before.contains_key(name) {
            self.before.insert(name.to_string(), pod.clone());
        }
    }

    fn unavailable(&self, p: &Arc<Pod>) -> bool {
        is_unavailable(Some(p), self.min_ready_ms, self.now)
    }

    /// `unavailable` of the rolling update: in-range ordinals whose pod is missing, not
    /// available or terminating.
    fn count_unavailable(&self, cache: &SetCache, store: &Store) -> i64 {
        let (start, end) = self.range;
        let present_and_available = (cache.in_range(start, end))
            .filter_map(|name| self.pod(store, name))
            .filter(|p| !self.unavailable(p))
            .count() as i64;
        (end - start) - present_and_available
    }

    /// processCondemned's "first unavailable pod" (step 4), looked up only when a decision
    /// needs it. Settled ordinals hold available pods, so only unsettled ones can be it.
    fn first_unavailable(&self, cache: &SetCache, store: &Store) -> Option<String> {
        let (start, end) = self.range;
        let unavailable = |name: &str| self.pod(store, name).filter(|p| self.unavailable(p));
        let mut from = start;
        while let Some(ord) = cache.next_unsettled(from) {
            from = ord + 1;
            if let Some(p) = cache.at(ord).and_then(unavailable) {
                return p.metadata.name.clone();
            }
        }
        let condemned: Vec<&str> = cache.condemned(start, end).collect();
        condemned
            .into_iter()
            .rev()
            .find_map(unavailable)
            .and_then(|p| p.metadata.name.clone())
    }
}

/// One reconcile pass of a StatefulSet (§1.5).
pub(crate) fn sync(c: &mut Cluster, ns: &str, name: &str) {
    let key = (ns.to_string(), name.to_string());
    let Some(set) = c.store.get_arc::<StatefulSet>(ns, name) else {
        c.sts_cache.remove(&key);
        return;
    };
    let now = c.now;
    // 5. A set being deleted does nothing: the garbage collector removes its pods and
    // revisions (creating a revision now would race with it).
    if set.metadata.deletion_timestamp.is_some() {
        return;
    }
    let default_spec;
    let spec = match set.spec.as_ref() {
        Some(s) => s,
        None => {
            default_spec = StatefulSetSpec::default();
            &default_spec
        }
    };
    let replica_count = spec.replicas.unwrap_or(1).max(0) as i64;
    let start = start_ordinal(spec);
    let end = start + replica_count;
    let min_ready_ms = spec.min_ready_seconds.unwrap_or(0).max(0) as u64 * 1000;
    let monotonic = spec.pod_management_policy.as_deref() != Some("Parallel");
    let on_delete = is_on_delete(spec);
    let part = partition(spec);

    // 1. Pods (the cache, plus adopt/release of what changed) and revisions.
    let mut cache = cache_for(c, &set, min_ready_ms);
    claim_pods(c, &set, cache.take_dirty());
    cache.observe(&c.store, &set, now);
    let revisions = history::list_revisions(&mut c.store, &set);
    let data = match &cache.revision_data {
        Some(d) => d.clone(),
        None => {
            let d = Arc::new(history::revision_data(&set));
            cache.revision_data = Some(d.clone());
            d
        }
    };
    let same_data = |r: &k8s_openapi::api::apps::v1::ControllerRevision| cache.holds_data(r);
    let Ok(revs) = history::get_set_revisions(&mut c.store, &set, &revisions, &data, same_data)
    else {
        c.sts_cache.insert(key, cache);
        return;
    };
    let current_name = revs.current.metadata.name.clone().unwrap_or_default();
    let update_name = revs.update.metadata.name.clone().unwrap_or_default();

    // 3. In-range replicas are read from the cache by ordinal; condemned are the rest.
    cache.set_range(start, end);
    let has_condemned = cache.has_condemned(start, end);

    let mut blocked = false;
    let mut reads = PassReads {
        namespace: ns,
        range: (start, end),
        min_ready_ms,
        now,
        before: BTreeMap::new(),
    };

    // 7. processReplica, over the ordinals that have work or a decision.
    let mut from = start;
    while let Some(ord) = cache.next_unsettled(from) {
        from = ord + 1;
        let i = ord - start;
        match cache.at(ord).and_then(|name| reads.pod(&c.store, name)) {
            Some(pod) if is_failed_or_succeeded(&pod) => {
                if !is_terminating(&pod) {
                    reads.writing(&pod);
                    delete_pod(c, &set, &pod);
                }
                if monotonic {
                    blocked = true;
                    break;
                }
            }
            None => {
                let (_, when_scaled) = retention(spec);
                if when_scaled && has_stale_claim(c, &set, ord) {
                    if monotonic {
                        blocked = true;
                        break;
                    }
                    continue;
                }
                let use_current = !on_delete && current_name != update_name && i < part;
                let (rev, rev_name) = if use_current {
                    (&revs.current, &current_name)
                } else {
                    (&revs.update, &update_name)
                };
                let tmpl = cache.template(rev);
                create_pod(c, &set, &tmpl, rev_name, ord);
                if monotonic {
                    blocked = true;
                    break;
                }
            }
            Some(pod) => {
                if pod_phase(&pod) == "Pending" && !is_terminating(&pod) {
                    let pname = pod.metadata.name.as_deref().unwrap_or_default();
                    let _ = create_missing_claims(c, &set, ord, pname);
                }
                if monotonic
                    && (is_terminating(&pod)
                        || !is_running_and_ready(&pod)
                        || !is_available(&pod, min_ready_ms, now))
                {
                    blocked = true;
                    break;
                }
                fix_identity(c, &set, &pod, &mut reads);
                update_claim_owner_refs(c, &set, &pod, false);
                // Nothing left to do here until the pod or its claims are written again.
                cache.settle(ord);
            }
        }
    }

    if !blocked && has_condemned {
        // 8. Claim refs of condemned pods, before they are deleted.
        if spec
            .volume_claim_templates
            .as_ref()
            .is_some_and(|t| !t.is_empty())
        {
            for name in cache.condemned(start, end) {
                if let Some(pod) = reads.pod(&c.store, name) {
                    update_claim_owner_refs(c, &set, &pod, true);
                }
            }
        }
        // 9. processCondemned, highest ordinal first (the pass's snapshot, walked lazily).
        for name in cache.condemned(start, end) {
            let Some(pod) = reads.pod(&c.store, name) else {
                continue;
            };
            let pod = &pod;
            if is_terminating(pod) {
                if monotonic {
                    blocked = true;
                    break;
                }
                continue;
            }
            let healthy = is_running_and_ready(pod) && is_available(pod, min_ready_ms, now);
            if monotonic
                && !healthy
                && pod.metadata.name != reads.first_unavailable(&cache, &c.store)
            {
                blocked = true;
                break;
            }
            reads.writing(pod);
            delete_pod(c, &set, pod);
            if monotonic {
                blocked = true;
                break;
            }
        }
    }

    // 10/11. Rolling update (maxUnavailable path, v1.35): only when some in-range pod is
    // labelled with another revision than the update revision.
    if !blocked && !on_delete {
        let mut candidates = cache
            .outdated(&update_name, start + part.min(replica_count), end)
            .filter_map(|ord| cache.at(ord))
            .filter_map(|name| reads.pod(&c.store, name))
            .filter(|p| pod_revision(p) != Some(update_name.as_str()) && !is_terminating(p))
            .peekable();
        let mut doomed: Vec<Arc<Pod>> = Vec::new();
        if candidates.peek().is_some() {
            let max_u = max_unavailable(spec);
            let unavailable = reads.count_unavailable(&cache, &c.store);
            if unavailable < max_u {
                doomed = candidates.take((max_u - unavailable) as usize).collect();
            }
        }
        for pod in &doomed {
            reads.writing(pod);
            delete_pod(c, &set, pod);
        }
    }

    // 12. Status (counted from the cache after this pass's writes), then history truncation.
    cache.observe(&c.store, &set, now);
    let counts = &cache.counts;
    let mut status = StatefulSetStatus {
        observed_generation: set.metadata.generation,
        replicas: counts.replicas,
        ready_replicas: Some(counts.ready),
        available_replicas: Some(counts.available),
        current_replicas: Some(counts.live_at(&current_name)),
        updated_replicas: Some(counts.live_at(&update_name)),
        current_revision: Some(current_name.clone()),
        update_revision: Some(update_name.clone()),
        collision_count: Some(revs.collision_count),
        conditions: set.status.as_ref().and_then(|s| s.conditions.clone()),
    };
    let spec_replicas = replica_count as i32;
    if !on_delete
        && status.updated_replicas == Some(spec_replicas)
        && status.ready_replicas == Some(spec_replicas)
        && status.replicas == spec_replicas
    {
        status.current_revision = Some(update_name.clone());
        status.current_replicas = status.updated_replicas;
    }
    // Zero counts are omitted on the wire (omitempty), except `replicas` and
    // `availableReplicas`, which apps/v1's StatefulSetStatus always writes.
    for f in [
        &mut status.ready_replicas,
        &mut status.current_replicas,
        &mut status.updated_replicas,
    ] {
        if *f == Some(0) {
            *f = None;
        }
    }
    if let Some(latest) = c.store.get::<StatefulSet>(ns, name) {
        if latest.status.as_ref() != Some(&status) {
            let mut s = latest.clone();
            s.status = Some(status.clone());
            let _ = c.store.update(s);
        }
    }
    let final_current = status.current_revision.clone().unwrap_or_default();
    history::truncate_history(
        &mut c.store,
        &set,
        cache.revisions(),
        &final_current,
        &update_name,
    );
    c.sts_cache.insert(key, cache);

    // 13. Requeue for availability.
    if min_ready_ms > 0 && status.available_replicas.unwrap_or(0) as i64 != replica_count {
        c.enqueue_sync(now + min_ready_ms + 1000, ns, name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_with(replicas: i32, mu: IntOrString) -> StatefulSetSpec {
        StatefulSetSpec {
            replicas: Some(replicas),
            update_strategy: Some(StatefulSetUpdateStrategy {
                type_: Some("RollingUpdate".into()),
                rolling_update: Some(RollingUpdateStatefulSetStrategy {
                    max_unavailable: Some(mu),
                    partition: Some(0),
                }),
            }),
            ..Default::default()
        }
    }

    #[test]
    fn max_unavailable_percent_rounds_down_with_minimum_one() {
        assert_eq!(
            max_unavailable(&spec_with(8, IntOrString::String("25%".into()))),
            2
        );
        assert_eq!(
            max_unavailable(&spec_with(5, IntOrString::String("80%".into()))),
            4
        );
        assert_eq!(
            max_unavailable(&spec_with(3, IntOrString::String("10%".into()))),
            1
        );
        assert_eq!(max_unavailable(&spec_with(3, IntOrString::Int(2))), 2);
    }

    #[test]
    fn defaults_match_upstream() {
        let mut s = StatefulSet::default();
        apply_defaults(&mut s);
        let spec = s.spec.unwrap();
        assert_eq!(spec.replicas, Some(1));
        assert_eq!(spec.pod_management_policy.as_deref(), Some("OrderedReady"));
        let us = spec.update_strategy.unwrap();
        assert_eq!(us.type_.as_deref(), Some("RollingUpdate"));
        let ru = us.rolling_update.unwrap();
        assert_eq!(ru.partition, Some(0));
        assert_eq!(ru.max_unavailable, Some(IntOrString::Int(1)));
        assert_eq!(spec.revision_history_limit, Some(10));
        let r = spec.persistent_volume_claim_retention_policy.unwrap();
        assert_eq!(r.when_deleted.as_deref(), Some("Retain"));
        assert_eq!(r.when_scaled.as_deref(), Some("Retain"));
    }

    #[test]
    fn volume_sources_and_plain_bools_get_upstream_defaults() {
        // pkg/apis/core/v1/defaults.go: SetDefaults_Volume, _SecretVolumeSource,
        // _ConfigMapVolumeSource, _DownwardAPIVolumeSource, _ProjectedVolumeSource,
        // _ServiceAccountTokenProjection, _HostPathVolumeSource, _ObjectFieldSelector,
        // _HTTPGetAction; Go drops plain bools that are false (VolumeMount.readOnly).
        let mut ps: PodSpec = crate::manifest::from_json_value(&serde_json::json!({
            "hostNetwork": false,
            "containers": [{"name": "c", "image": "nginx",
                "volumeMounts": [{"name": "scratch", "mountPath": "/s", "readOnly": false}],
                "env": [{"name": "NS", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}}],
                "readinessProbe": {"httpGet": {"port": 80}}}],
            "volumes": [
                {"name": "scratch"},
                {"name": "h", "hostPath": {"path": "/data"}},
                {"name": "s", "secret": {"secretName": "x"}},
                {"name": "m", "configMap": {"name": "x"}},
                {"name": "d", "downwardAPI": {"items": [{"path": "n", "fieldRef": {"fieldPath": "metadata.name"}}]}},
                {"name": "p", "projected": {"sources": [{"serviceAccountToken": {"path": "t"}}]}},
                {"name": "c", "persistentVolumeClaim": {"claimName": "x", "readOnly": false}}
            ]
        }))
        .unwrap();
        default_pod_spec(&mut ps);
        let v = serde_json::to_value(&ps).unwrap();
        assert_eq!(
            v["volumes"][0],
            serde_json::json!({"name": "scratch", "emptyDir": {}})
        );
        assert_eq!(
            v["volumes"][1]["hostPath"],
            serde_json::json!({"path": "/data", "type": ""})
        );
        assert_eq!(v["volumes"][2]["secret"]["defaultMode"], 420);
        assert_eq!(v["volumes"][3]["configMap"]["defaultMode"], 420);
        assert_eq!(v["volumes"][4]["downwardAPI"]["defaultMode"], 420);
        assert_eq!(
            v["volumes"][4]["downwardAPI"]["items"][0]["fieldRef"]["apiVersion"],
            "v1"
        );
        assert_eq!(v["volumes"][5]["projected"]["defaultMode"], 420);
        assert_eq!(
            v["volumes"][5]["projected"]["sources"][0]["serviceAccountToken"]["expirationSeconds"],
            3600
        );
        assert_eq!(
            v["volumes"][6]["persistentVolumeClaim"],
            serde_json::json!({"claimName": "x"})
        );
        assert_eq!(
            v["containers"][0]["volumeMounts"][0],
            serde_json::json!({"name": "scratch", "mountPath": "/s"})
        );
        assert_eq!(
            v["containers"][0]["env"][0]["valueFrom"]["fieldRef"]["apiVersion"],
            "v1"
        );
        assert_eq!(
            v["containers"][0]["readinessProbe"]["httpGet"],
            serde_json::json!({"path": "/", "port": 80, "scheme": "HTTP"})
        );
        assert!(v.get("hostNetwork").is_none());
        let mut r: PodSpec = crate::manifest::from_json_value(&serde_json::json!({
            "containers": [{"name": "c", "resources": {
                "requests": {"cpu": "0.5", "memory": "1024Mi"},
                "limits": {"cpu": "1000m", "memory": "1.5Gi"}}}]
        }))
        .unwrap();
        default_pod_spec(&mut r);
        let res = serde_json::to_value(&r.containers[0].resources).unwrap();
        assert_eq!(
            res,
            serde_json::json!({"requests": {"cpu": "500m", "memory": "1Gi"},
                "limits": {"cpu": "1", "memory": "1536Mi"}})
        );
    }

    #[test]
    fn image_pull_policy_defaults_by_tag() {
        let mut ps = PodSpec {
            containers: vec![
                k8s_openapi::api::core::v1::Container {
                    name: "a".into(),
                    image: Some("mongo:3.4".into()),
                    ..Default::default()
                },
                k8s_openapi::api::core::v1::Container {
                    name: "b".into(),
                    image: Some("cvallance/mongo-k8s-sidecar".into()),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        default_pod_spec(&mut ps);
        assert_eq!(
            ps.containers[0].image_pull_policy.as_deref(),
            Some("IfNotPresent")
        );
        assert_eq!(
            ps.containers[1].image_pull_policy.as_deref(),
            Some("Always")
        );
        assert_eq!(ps.termination_grace_period_seconds, Some(30));
    }
}
