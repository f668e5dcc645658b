//! What the API server does to a pod on create, after decoding and before storing it, as a
//! v1.35 cluster (kind, kubeadm) has it configured:
//!
//! * defaulting (`pkg/apis/core/v1/defaults.go`: `SetDefaults_Pod` — `enableServiceLinks: true`,
//!   requests from limits — plus the PodSpec / container / volume defaults every pod template
//!   gets, [`super::statefulset::default_pod_spec`]);
//! * the **ServiceAccount** admission plugin (`plugin/pkg/admission/serviceaccount/admission.go`):
//!   `serviceAccountName: default` (the v1 conversion also writes the deprecated
//!   `serviceAccount`), and unless `automountServiceAccountToken: false` the projected volume
//!   `kube-api-access-<rand.String(5)>` (`TokenVolumeSource`: a 3607 s token, the
//!   `kube-root-ca.crt` ConfigMap's `ca.crt`, the namespace through the downward API;
//!   `defaultMode: 420`) mounted read-only at `/var/run/secrets/kubernetes.io/serviceaccount`
//!   in every container and init container that does not mount something there already;
//! * the **Priority** plugin (`plugin/pkg/admission/priority`): no PriorityClass is the global
//!   default, so `priority: 0`, `preemptionPolicy: PreemptLowerPriority`;
//! * **DefaultTolerationSeconds** (`plugin/pkg/admission/defaulttolerationseconds`): NoExecute
//!   tolerations of `node.kubernetes.io/not-ready` and `node.kubernetes.io/unreachable` for
//!   300 s, unless the pod already tolerates them;
//! * the registry's `PrepareForCreate` (`pkg/registry/core/pod/strategy.go`): `status.qosClass`
//!   (`pkg/apis/core/helper/qos`).
//!
//! The volume's 5-character suffix is random upstream (`k8s.io/apimachinery/pkg/util/rand`
//! `String(5)` over `bcdfghjklmnpqrstvwxz2456789`); here it is drawn from the pod's new uid, so
//! it is the same on every run and differs for each incarnation of a pod.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ConfigMapProjection, Container, DownwardAPIProjection, DownwardAPIVolumeFile, KeyToPath,
    ObjectFieldSelector, Pod, PodSpec, ProjectedVolumeSource, ServiceAccountTokenProjection,
    Toleration, Volume, VolumeMount, VolumeProjection,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::rng::SplitMix64;

pub const TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";
const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// `rand.String(n)`'s alphabet, drawn from a seed.
fn rand_string(seed: u64, n: usize) -> String {
    let mut rng = SplitMix64::new(seed);
    (0..n)
        .map(|_| ALPHANUMS[rng.below(ALPHANUMS.len() as u64) as usize] as char)
        .collect()
}

fn seed_of(uid: &str) -> u64 {
    super::store::series_hash(&[uid])
}

/// `TokenVolumeSource()` of the ServiceAccount plugin.
fn token_volume_source() -> ProjectedVolumeSource {
    ProjectedVolumeSource {
        default_mode: Some(420),
        sources: Some(vec![
            VolumeProjection {
                service_account_token: Some(ServiceAccountTokenProjection {
                    path: "token".into(),
                    expiration_seconds: Some(3607),
                    audience: None,
                }),
                ..Default::default()
            },
            VolumeProjection {
                config_map: Some(ConfigMapProjection {
                    name: "kube-root-ca.crt".into(),
                    items: Some(vec![KeyToPath {
                        key: "ca.crt".into(),
                        path: "ca.crt".into(),
                        mode: None,
                    }]),
                    optional: None,
                }),
                ..Default::default()
            },
            VolumeProjection {
                downward_api: Some(DownwardAPIProjection {
                    items: Some(vec![DownwardAPIVolumeFile {
                        path: "namespace".into(),
                        field_ref: Some(ObjectFieldSelector {
                            api_version: Some("v1".into()),
                            field_path: "metadata.namespace".into(),
                        }),
                        ..Default::default()
                    }]),
                }),
                ..Default::default()
            },
        ]),
    }
}

fn mounts_token_path(c: &Container) -> bool {
    c.volume_mounts
        .iter()
        .flatten()
        .any(|m| m.mount_path == TOKEN_MOUNT_PATH)
}

/// The ServiceAccount plugin.
fn admit_service_account(spec: &mut PodSpec, uid: &str) {
    if spec
        .service_account_name
        .as_deref()
        .unwrap_or("")
        .is_empty()
    {
        spec.service_account_name = spec
            .service_account
            .clone()
            .filter(|s| !s.is_empty())
            .or_else(|| Some("default".into()));
    }
    spec.service_account = spec.service_account_name.clone();
    if spec.automount_service_account_token == Some(false) {
        return;
    }
    // A pod that already has a projected token volume mounted there keeps it.
    let all_mount = spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
        .all(mounts_token_path);
    if all_mount {
        return;
    }
    let name = format!("kube-api-access-{}", rand_string(seed_of(uid), 5));
    spec.volumes.get_or_insert_with(Vec::new).push(Volume {
        name: name.clone(),
        projected: Some(token_volume_source()),
        ..Default::default()
    });
    for c in spec
        .init_containers
        .iter_mut()
        .flatten()
        .chain(spec.containers.iter_mut())
    {
        if !mounts_token_path(c) {
            c.volume_mounts
                .get_or_insert_with(Vec::new)
                .push(VolumeMount {
                    name: name.clone(),
                    mount_path: TOKEN_MOUNT_PATH.into(),
                    read_only: Some(true),
                    ..Default::default()
                });
        }
    }
}

/// The plugin's own test: a toleration with this key or no key, and effect NoExecute or none
/// (`plugin/pkg/admission/defaulttolerationseconds/admission.go`, operator and value unread).
fn tolerates(t: &Toleration, key: &str) -> bool {
    let k = t.key.as_deref().unwrap_or("");
    let e = t.effect.as_deref().unwrap_or("");
    (k == key || k.is_empty()) && (e == "NoExecute" || e.is_empty())
}

/// DefaultTolerationSeconds.
fn admit_default_tolerations(spec: &mut PodSpec) {
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
        if !tolerations.iter().any(|t| tolerates(t, key)) {
            tolerations.push(Toleration {
                key: Some(key.into()),
                operator: Some("Exists".into()),
                effect: Some("NoExecute".into()),
                toleration_seconds: Some(300),
                value: None,
            });
        }
    }
}

/// `SetDefaults_Pod`'s requests-from-limits.
fn default_requests(c: &mut Container) {
    let Some(res) = c.resources.as_mut() else {
        return;
    };
    let Some(limits) = res.limits.clone() else {
        return;
    };
    let requests = res.requests.get_or_insert_with(BTreeMap::new);
    for (k, v) in limits {
        requests.entry(k).or_insert(v);
    }
}

/// `qos.GetPodQOS` (`pkg/apis/core/helper/qos/qos.go`) for cpu and memory.
pub fn qos_class(spec: &PodSpec) -> &'static str {
    let mut any = false;
    let mut guaranteed = true;
    for c in spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
    {
        let empty = BTreeMap::new();
        let res = c.resources.as_ref();
        let requests = res.and_then(|r| r.requests.as_ref()).unwrap_or(&empty);
        let limits = res.and_then(|r| r.limits.as_ref()).unwrap_or(&empty);
        let get = |m: &BTreeMap<String, Quantity>, k: &str| {
            m.get(k)
                .map(|q| crate::storage::quantity::amount(q).0)
                .filter(|v| *v != 0)
        };
        for k in ["cpu", "memory"] {
            let (r, l) = (get(requests, k), get(limits, k));
            any |= r.is_some() || l.is_some();
            if l.is_none() || r.is_some_and(|r| Some(r) != l) {
                guaranteed = false;
            }
        }
    }
    if !any {
        "BestEffort"
    } else if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

/// Everything above, for a pod being created with this uid.
pub fn admit_pod(pod: &mut Pod, uid: &str) {
    let spec = pod.spec.get_or_insert_with(Default::default);
    super::statefulset::default_pod_spec(spec);
    for c in spec
        .containers
        .iter_mut()
        .chain(spec.init_containers.iter_mut().flatten())
    {
        default_requests(c);
    }
    spec.enable_service_links.get_or_insert(true);
    admit_service_account(spec, uid);
    spec.priority.get_or_insert(0);
    spec.preemption_policy
        .get_or_insert_with(|| "PreemptLowerPriority".into());
    admit_default_tolerations(spec);
    let qos = qos_class(spec);
    pod.status.get_or_insert_with(Default::default).qos_class = Some(qos.into());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(yaml: &str) -> Pod {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn service_account_plugin_mounts_the_projected_token_volume() {
        // plugin/pkg/admission/serviceaccount/admission.go: mountServiceAccountToken.
        let mut p = pod("spec:\n  containers:\n  - name: a\n    image: nginx\n  initContainers:\n  - name: i\n    image: busybox\n");
        admit_pod(&mut p, "uid-1");
        let spec = p.spec.unwrap();
        assert_eq!(spec.service_account_name.as_deref(), Some("default"));
        assert_eq!(spec.service_account.as_deref(), Some("default"));
        let vols = spec.volumes.unwrap();
        assert_eq!(vols.len(), 1);
        let name = &vols[0].name;
        assert!(
            name.starts_with("kube-api-access-") && name.len() == 21,
            "{name}"
        );
        assert!(name[16..].bytes().all(|b| ALPHANUMS.contains(&b)));
        let projected = serde_json::to_value(vols[0].projected.as_ref().unwrap()).unwrap();
        assert_eq!(
            projected,
            serde_json::json!({"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
            ]})
        );
        for c in spec
            .containers
            .iter()
            .chain(spec.init_containers.iter().flatten())
        {
            let m = c.volume_mounts.as_ref().unwrap();
            assert_eq!(m.len(), 1);
            assert_eq!(m[0].mount_path, TOKEN_MOUNT_PATH);
            assert_eq!(m[0].read_only, Some(true));
            assert_eq!(&m[0].name, name);
        }
        // The suffix follows the uid: same uid, same name; another incarnation, another one.
        let mut again = pod("spec:\n  containers:\n  - name: a\n");
        admit_pod(&mut again, "uid-1");
        assert_eq!(&again.spec.unwrap().volumes.unwrap()[0].name, name);
        let mut other = pod("spec:\n  containers:\n  - name: a\n");
        admit_pod(&mut other, "uid-2");
        assert_ne!(&other.spec.unwrap().volumes.unwrap()[0].name, name);
    }

    #[test]
    fn automount_false_and_own_service_account_are_kept() {
        let mut p = pod("spec:\n  serviceAccountName: builder\n  automountServiceAccountToken: false\n  containers:\n  - name: a\n");
        admit_pod(&mut p, "u");
        let spec = p.spec.unwrap();
        assert_eq!(spec.service_account_name.as_deref(), Some("builder"));
        assert_eq!(spec.service_account.as_deref(), Some("builder"));
        assert!(spec.volumes.is_none());
    }

    #[test]
    fn priority_tolerations_service_links_and_qos() {
        // plugin/pkg/admission/priority, plugin/pkg/admission/defaulttolerationseconds,
        // pkg/apis/core/v1/defaults.go SetDefaults_Pod.
        let mut p = pod("spec:\n  tolerations:\n  - key: node.kubernetes.io/unreachable\n    operator: Exists\n    effect: NoExecute\n    tolerationSeconds: 6000\n  containers:\n  - name: a\n    resources:\n      limits: {cpu: 100m, memory: 64Mi}\n");
        admit_pod(&mut p, "u");
        let spec = p.spec.as_ref().unwrap();
        assert_eq!(spec.priority, Some(0));
        assert_eq!(
            spec.preemption_policy.as_deref(),
            Some("PreemptLowerPriority")
        );
        assert_eq!(spec.enable_service_links, Some(true));
        let t = spec.tolerations.as_ref().unwrap();
        assert_eq!(
            t.len(),
            2,
            "the pod's own unreachable toleration is kept, not doubled"
        );
        assert_eq!(t[0].toleration_seconds, Some(6000));
        assert_eq!(t[1].key.as_deref(), Some("node.kubernetes.io/not-ready"));
        assert_eq!(t[1].toleration_seconds, Some(300));
        let req = spec.containers[0]
            .resources
            .as_ref()
            .unwrap()
            .requests
            .as_ref()
            .unwrap();
        assert_eq!(req["cpu"].0, "100m");
        assert_eq!(p.status.unwrap().qos_class.as_deref(), Some("Guaranteed"));
        let mut b =
            pod("spec:\n  containers:\n  - name: a\n    resources:\n      requests: {cpu: 100m}\n");
        admit_pod(&mut b, "u");
        assert_eq!(b.status.unwrap().qos_class.as_deref(), Some("Burstable"));
        let mut e = pod("spec:\n  containers:\n  - name: a\n");
        admit_pod(&mut e, "u");
        assert_eq!(e.status.unwrap().qos_class.as_deref(), Some("BestEffort"));
    }
}
