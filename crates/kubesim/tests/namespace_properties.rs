//! Namespaces keep objects apart: two namespaces with a same-named StatefulSet, Service and
//! claim templates, driven by random actions (seeded SplitMix64), never share pods, claims,
//! volumes or DNS names, checked after every simulated event; deleting one namespace removes
//! its content and leaves the other's alone.
//!
//! Upstream: the StatefulSet controller creates pods and claims in the set's namespace
//! (kubernetes/kubernetes `pkg/controller/statefulset/stateful_set_utils.go`: newStatefulSetPod,
//! getPersistentVolumeClaims), a claimRef names the claim's namespace
//! (`pkg/controller/volume/persistentvolume/pv_controller.go`), CoreDNS answers
//! `<hostname>.<subdomain>.<namespace>.svc.cluster.local` per namespace
//! (kubernetes/dns `docs/specification.md`), and the namespace controller deletes a deleted
//! namespace's content (`pkg/controller/namespace/deletion/namespaced_resources_deleter.go`).

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim, Pod};
use kubesim::engine::profile::Profile;
use kubesim::engine::rng::SplitMix64;
use kubesim::engine::{Cluster, ClusterConfig, Command, DeleteOptions, Kind};
use kubesim::network::RecordType;

const NAMESPACES: [&str; 2] = ["blue", "green"];

fn manifest(ns: &str) -> String {
    format!(
        r#"apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: {ns}
spec:
  clusterIP: None
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  namespace: {ns}
spec:
  serviceName: web
  replicas: 2
  podManagementPolicy: Parallel
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.21
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: ["ReadWriteOnce"]
      resources:
        requests:
          storage: 1Gi
"#
    )
}

fn setup() -> Cluster {
    let mut c = Cluster::new(ClusterConfig {
        profile: Profile::KindLike,
        ..Default::default()
    });
    for ns in NAMESPACES {
        c.execute(Command::CreateNamespace(ns.into())).unwrap();
        c.apply_yaml(&manifest(ns)).unwrap();
    }
    c
}

fn act(c: &mut Cluster, rng: &mut SplitMix64) {
    let ns = NAMESPACES[rng.below(2) as usize];
    match rng.below(3) {
        0 => c.scale(ns, "web", rng.below(5) as i32).unwrap(),
        _ => {
            let pods: Vec<String> = c
                .store()
                .list_in::<Pod>(ns)
                .filter_map(|p| p.metadata.name.clone())
                .collect();
            if !pods.is_empty() {
                let p = &pods[rng.below(pods.len() as u64) as usize];
                let _ = c.delete(Kind::Pod, ns, p, DeleteOptions::default());
            }
        }
    }
}

fn check(c: &Cluster) {
    let s = c.store();
    // every pod belongs to the set of its own namespace, and claims only its own namespace's
    for p in s.list::<Pod>() {
        let ns = p.metadata.namespace.as_deref().unwrap();
        let set = s.get::<StatefulSet>(ns, "web");
        let owner = p.metadata.owner_references.iter().flatten().next();
        if let (Some(set), Some(owner)) = (set, owner) {
            assert_eq!(
                Some(&owner.uid),
                set.metadata.uid.as_ref(),
                "pod {ns}/{:?}",
                p.metadata.name
            );
        }
        for v in p.spec.iter().flat_map(|s| s.volumes.iter().flatten()) {
            if let Some(claim) = &v.persistent_volume_claim {
                // a pod's claim is looked up in the pod's namespace
                if let Some(pvc) = s.get::<PersistentVolumeClaim>(ns, &claim.claim_name) {
                    assert_eq!(pvc.metadata.namespace.as_deref(), Some(ns));
                }
            }
        }
    }
    // a volume is bound to one claim, in the namespace its claimRef names
    let mut bound: BTreeMap<String, String> = BTreeMap::new();
    for pv in s.list::<PersistentVolume>() {
        let name = pv.metadata.name.clone().unwrap();
        let Some(r) = pv.spec.as_ref().and_then(|s| s.claim_ref.as_ref()) else {
            continue;
        };
        let ns = r.namespace.clone().unwrap_or_default();
        assert!(
            NAMESPACES.contains(&ns.as_str()),
            "claimRef namespace {ns:?} of {name}"
        );
        if let Some(pvc) = s.get::<PersistentVolumeClaim>(&ns, r.name.as_deref().unwrap()) {
            let volume = pvc.spec.as_ref().and_then(|s| s.volume_name.clone());
            if let Some(volume) = volume {
                if pvc.metadata.uid == r.uid {
                    assert_eq!(volume, name, "claim {ns}/{:?}", r.name);
                }
            }
        }
        let key = format!("{ns}/{}", r.name.clone().unwrap_or_default());
        if let Some(other) = bound.insert(key.clone(), name.clone()) {
            panic!("{key} is claimed by two volumes: {other} and {name}");
        }
    }
    // per-pod DNS names answer only with their own namespace's pod IPs
    let dns = c.dns();
    for ns in NAMESPACES {
        let ips: BTreeSet<String> = s
            .list_in::<Pod>(ns)
            .filter_map(|p| p.status.as_ref().and_then(|s| s.pod_ip.clone()))
            .collect();
        for p in s.list_in::<Pod>(ns) {
            let name = p.metadata.name.clone().unwrap();
            let fqdn = format!("{name}.web.{ns}.svc.cluster.local");
            for r in dns
                .lookup_from_pod(&fqdn, RecordType::A, "default")
                .answer
                .answers
            {
                if let kubesim::network::RData::A(ip) = &r.data {
                    assert!(ips.contains(ip), "{fqdn} answered {ip}, not a pod of {ns}");
                }
            }
        }
    }
}

#[test]
fn two_namespaces_with_same_named_statefulsets_never_share_pods_claims_volumes_or_names() {
    for seed in 0..6u64 {
        let mut rng = SplitMix64::new(seed);
        let mut c = setup();
        for _ in 0..20 {
            act(&mut c, &mut rng);
            let until = c.now() + rng.below(15_000);
            while c.next_event_at().is_some_and(|at| at <= until) {
                c.step();
                check(&c);
            }
            c.run_until(until);
        }
        // both settle with their own pods, and every name resolves in its namespace
        for ns in NAMESPACES {
            c.scale(ns, "web", 2).unwrap();
        }
        c.run_until(c.now() + 120_000);
        check(&c);
        for ns in NAMESPACES {
            for i in 0..2 {
                let fqdn = format!("web-{i}.web.{ns}.svc.cluster.local");
                let pod = c.store().get::<Pod>(ns, &format!("web-{i}")).unwrap();
                let ip = pod.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap();
                assert_eq!(c.resolve(&fqdn), [ip], "{fqdn} (seed {seed})");
            }
        }
        // deleting one namespace takes its content with it, and only its content
        let blue_pods: Vec<_> = c.store().list_in::<Pod>("blue").cloned().collect();
        c.delete(Kind::Namespace, "", "green", DeleteOptions::default())
            .unwrap();
        assert_eq!(
            c.store().namespace("green").map(|n| n.phase()),
            Some("Terminating")
        );
        c.run_until(c.now() + 120_000);
        assert!(c.store().namespace("green").is_none(), "seed {seed}");
        assert_eq!(c.store().list_in::<Pod>("green").count(), 0);
        assert_eq!(
            c.store().list_in::<PersistentVolumeClaim>("green").count(),
            0
        );
        let blue_after: Vec<_> = c.store().list_in::<Pod>("blue").cloned().collect();
        assert_eq!(blue_pods, blue_after, "seed {seed}");
        // the green claims' volumes (reclaim policy Delete) are gone too
        for pv in c.store().list::<PersistentVolume>() {
            let r = pv.spec.as_ref().and_then(|s| s.claim_ref.as_ref()).unwrap();
            assert_eq!(r.namespace.as_deref(), Some("blue"));
        }
        // and nothing new can be made there
        let err = c.apply_yaml(&manifest("green")).unwrap_err();
        assert_eq!(err.to_string(), "namespaces \"green\" not found");
    }
}

/// `default`, `kube-system` and `kube-public` cannot be deleted (the NamespaceLifecycle
/// plugin's immortalNamespaces, `staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/
/// lifecycle/admission.go`); a namespace that was never made is NotFound.
#[test]
fn immortal_namespaces_are_refused_and_unknown_ones_not_found() {
    let mut c = Cluster::default();
    for ns in ["default", "kube-system", "kube-public"] {
        let e = c
            .delete(Kind::Namespace, "", ns, DeleteOptions::default())
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("namespaces \"{ns}\" is forbidden: this namespace may not be deleted")
        );
    }
    let names: Vec<&str> = c.store().namespaces().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        ["default", "kube-node-lease", "kube-public", "kube-system"]
    );
    let e = c
        .delete(Kind::Namespace, "", "nope", DeleteOptions::default())
        .unwrap_err();
    assert_eq!(e.to_string(), "namespaces \"nope\" not found");
    // kube-node-lease is not immortal
    c.delete(
        Kind::Namespace,
        "",
        "kube-node-lease",
        DeleteOptions::default(),
    )
    .unwrap();
    c.run_until(c.now() + 1_000);
    assert!(c.store().namespace("kube-node-lease").is_none());
}
