//! What a v1.35 API server writes into objects on its own: pod admission and defaulting, the
//! status fields it always serializes, the kubelet's condition order, and ControllerRevision
//! names as upstream computes them — seen through kubectl as a user would.

use kubesim::engine::ClusterConfig;
use kubesim::kubectl::exec::Shell;

fn seeded_shell() -> Shell {
    let files: std::collections::BTreeMap<String, String> = kubesim::examples::MONGODB
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let mut sh = Shell::new(ClusterConfig::default(), files);
    for (n, _) in kubesim::examples::MONGODB {
        sh.run(&format!("kubectl apply -f {n}"));
    }
    sh.run("kubectl rollout status sts/mongo");
    sh
}

fn jsonpath(sh: &mut Shell, what: &str, path: &str) -> String {
    let out = sh.run(&format!("kubectl get {what} -o jsonpath='{path}'"));
    assert_eq!(out.exit_code, 0, "{what} {path}: {}", out.stderr());
    out.text()
}

#[test]
fn service_account_admission_mounts_the_kube_api_access_volume() {
    // plugin/pkg/admission/serviceaccount/admission.go (TokenVolumeSource, mountServiceAccountToken)
    let mut sh = seeded_shell();
    assert_eq!(
        jsonpath(
            &mut sh,
            "pod mongo-0",
            "{.spec.serviceAccountName}/{.spec.serviceAccount}"
        ),
        "default/default"
    );
    let vols = jsonpath(&mut sh, "pod mongo-0", "{.spec.volumes[*].name}");
    let vol = vols.split(' ').next_back().unwrap().to_string();
    assert!(
        vol.starts_with("kube-api-access-") && vol.len() == 21,
        "{vol}"
    );
    let yaml = sh.run("kubectl get pod mongo-0 -o yaml").text();
    let expected = format!(
        "  - name: {vol}\n    projected:\n      defaultMode: 420\n      sources:\n      - serviceAccountToken:\n          expirationSeconds: 3607\n          path: token\n      - configMap:\n          items:\n          - key: ca.crt\n            path: ca.crt\n          name: kube-root-ca.crt\n      - downwardAPI:\n          items:\n          - fieldRef:\n              apiVersion: v1\n              fieldPath: metadata.namespace\n            path: namespace\n"
    );
    assert!(yaml.contains(&expected), "{yaml}");
    let mount = format!(
        "    - mountPath: /var/run/secrets/kubernetes.io/serviceaccount\n      name: {vol}\n      readOnly: true\n"
    );
    assert_eq!(
        yaml.matches(&mount).count(),
        2,
        "both containers mount it:\n{yaml}"
    );
    // Go omits a plain bool that is false (`readOnly: false` never shows).
    assert!(!yaml.contains("readOnly: false"), "{yaml}");
    // describe shows the volume as kubectl v1.35 does.
    let d = sh.run("kubectl describe pod mongo-0").text();
    assert!(d.contains(&format!(
        "  {vol}:\n    Type:                    Projected (a volume that contains injected data from multiple sources)\n    TokenExpirationSeconds:  3607\n    ConfigMapName:           kube-root-ca.crt\n    Optional:                false\n    DownwardAPI:             true\n"
    )), "{d}");
    assert!(
        d.contains(&format!(
            "      /var/run/secrets/kubernetes.io/serviceaccount from {vol} (ro)\n"
        )),
        "{d}"
    );
}

#[test]
fn priority_default_tolerations_and_service_links_are_admitted() {
    // plugin/pkg/admission/priority, plugin/pkg/admission/defaulttolerationseconds,
    // pkg/apis/core/v1/defaults.go SetDefaults_Pod
    let mut sh = seeded_shell();
    assert_eq!(
        jsonpath(
            &mut sh,
            "pod mongo-1",
            "{.spec.priority} {.spec.preemptionPolicy} {.spec.enableServiceLinks}"
        ),
        "0 PreemptLowerPriority true"
    );
    assert_eq!(
        jsonpath(&mut sh, "pod mongo-1", "{.spec.tolerations[*].key}"),
        "node.kubernetes.io/not-ready node.kubernetes.io/unreachable"
    );
    assert_eq!(
        jsonpath(
            &mut sh,
            "pod mongo-1",
            "{.spec.tolerations[*].effect} {.spec.tolerations[*].tolerationSeconds}"
        ),
        "NoExecute NoExecute 300 300"
    );
    let d = sh.run("kubectl describe pod mongo-1").text();
    assert!(
        d.contains("Priority:         0\nService Account:  default\n"),
        "{d}"
    );
    assert!(d.contains(
        "QoS Class:                   BestEffort\nNode-Selectors:              <none>\nTolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
    ), "{d}");
}

#[test]
fn statefulset_pods_carry_the_generate_name_prefix() {
    // pkg/controller/controller_utils.go GetPodFromTemplate (prefix = "<set>-"), as in
    // upstream's stateful_set_compatibility_test.go pod (GenerateName "test-").
    let mut sh = seeded_shell();
    assert_eq!(
        jsonpath(&mut sh, "pod mongo-2", "{.metadata.generateName}"),
        "mongo-"
    );
}

#[test]
fn pods_have_a_generation_their_status_observes() {
    // PodObservedGenerationTracking, GA in v1.35 (pkg/features/kube_features.go):
    // metadata.generation 1 on create, status.observedGeneration and each condition's.
    let mut sh = seeded_shell();
    assert_eq!(
        jsonpath(
            &mut sh,
            "pod mongo-1",
            "{.metadata.generation}/{.status.observedGeneration}"
        ),
        "1/1"
    );
    assert_eq!(
        jsonpath(
            &mut sh,
            "pod mongo-1",
            "{.status.conditions[*].observedGeneration}"
        ),
        "1 1 1 1 1"
    );
}

#[test]
fn graceful_deletion_bumps_a_pods_generation() {
    // staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go BeforeDelete: the first
    // graceful deletion bumps metadata.generation (when set). The kubelet's status keeps the
    // generation it last wrote for until it writes again (here: when the containers stop).
    let mut sh = seeded_shell();
    let before = jsonpath(&mut sh, "pod mongo-1", "{.metadata.generation}");
    assert_eq!(before, "1");
    let out = sh.run("kubectl delete pod mongo-1 --wait=false");
    assert_eq!(out.exit_code, 0, "{}", out.stderr());
    assert_eq!(
        jsonpath(
            &mut sh,
            "pod mongo-1",
            "{.metadata.generation}/{.status.observedGeneration}"
        ),
        "2/1"
    );
    // A label change is metadata: no bump (pkg/registry/core/pod/strategy.go updatePodGeneration).
    sh.run("kubectl label pod mongo-0 x=y");
    assert_eq!(
        jsonpath(&mut sh, "pod mongo-0", "{.metadata.generation}"),
        "1"
    );
}

#[test]
fn conditions_are_in_the_kubelets_order() {
    // pkg/kubelet/kubelet_pods.go generateAPIPodStatus: PodReadyToStartContainers,
    // Initialized, Ready, ContainersReady, PodScheduled.
    let mut sh = seeded_shell();
    assert_eq!(
        jsonpath(&mut sh, "pod mongo-0", "{.status.conditions[*].type}"),
        "PodReadyToStartContainers Initialized Ready ContainersReady PodScheduled"
    );
}

#[test]
fn status_fields_upstream_always_writes_are_there() {
    // k8s.io/api apps/v1 StatefulSetStatus: `replicas` and `availableReplicas` have no
    // omitempty; core/v1 PersistentVolumeStatus.lastPhaseTransitionTime is set by the
    // registry on create and on every phase change (pkg/registry/core/persistentvolume).
    let mut sh = seeded_shell();
    sh.set_file(
        "slow.yaml",
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: slow\nspec:\n  serviceName: slow\n  replicas: 0\n  selector:\n    matchLabels:\n      app: slow\n  template:\n    metadata:\n      labels:\n        app: slow\n    spec:\n      containers:\n      - name: c\n        image: nginx\n",
    );
    sh.run("kubectl apply -f slow.yaml");
    assert_eq!(
        jsonpath(
            &mut sh,
            "sts slow",
            "{.status.replicas}/{.status.availableReplicas}"
        ),
        "0/0"
    );
    let yaml = sh.run("kubectl get sts slow -o yaml").text();
    assert!(
        !yaml.contains("readyReplicas"),
        "zero ready is omitted:\n{yaml}"
    );
    let t = jsonpath(&mut sh, "pv pv001", "{.status.lastPhaseTransitionTime}");
    assert!(t.starts_with("2026-01-01T00:0"), "{t}");
    let phase = jsonpath(&mut sh, "pv pv001", "{.status.phase}");
    assert_eq!(phase, "Bound");
}

#[test]
fn revision_names_are_the_api_servers() {
    // pkg/controller/history/controller_history.go HashControllerRevision over
    // stateful_set_utils.go getPatch (checked against a real name in engine::history's tests).
    let mut sh = seeded_shell();
    let rev = jsonpath(&mut sh, "sts mongo", "{.status.updateRevision}");
    let hash = rev.strip_prefix("mongo-").unwrap();
    assert!(hash.chars().all(|c| "456789bcdf".contains(c)), "{rev}");
    assert_eq!(
        jsonpath(&mut sh, "controllerrevision", "{.items[0].metadata.name}"),
        rev
    );
    let yaml = sh.run("kubectl get controllerrevision -o yaml").text();
    assert!(
        yaml.contains(&format!("controller.kubernetes.io/hash: \"{hash}\""))
            || yaml.contains(&format!("controller.kubernetes.io/hash: {hash}\n")),
        "{yaml}"
    );
    let cid = jsonpath(
        &mut sh,
        "pod mongo-0",
        "{.status.containerStatuses[0].containerID}",
    );
    assert!(
        cid.starts_with("containerd://") && cid.len() == 13 + 64,
        "{cid}"
    );
    let image_id = jsonpath(
        &mut sh,
        "pod mongo-0",
        "{.status.containerStatuses[0].imageID}",
    );
    assert!(
        image_id.starts_with("docker.io/library/mongo@sha256:"),
        "{image_id}"
    );
}
