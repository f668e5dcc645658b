//! The control plane's pods, as `kubectl get pods -n kube-system` shows them on a kind
//! cluster: `coredns-<rs hash>-<5>` ×2 (a Deployment's ReplicaSet), the static pods
//! `etcd-<node>`, `kube-apiserver-<node>`, `kube-controller-manager-<node>`,
//! `kube-scheduler-<node>` (kubeadm's manifests, named after the control-plane node), and the
//! DaemonSets' `kindnet-<5>` and `kube-proxy-<5>` on every node; kind-like adds
//! `local-path-provisioner-<rs hash>-<5>` in `local-path-storage`.
//!
//! The playground's rule (ARCHITECTURE.md, *The control plane's pods*): they are built on read
//! from the cluster's config (seed, node count, profile), never stored. So they write no watch
//! entries, take no resourceVersion or uid from the counters, are not scheduled, do not count
//! against a node's 110-pod capacity (a real node counts them: kind's control-plane node has
//! about ten), and the page's view does not draw them. The first node hosts the control plane;
//! host-network pods (the static ones, kindnet, kube-proxy) show the node's address, coredns
//! and the provisioner take addresses of 10.244.0.0/24 (a kind control-plane node's range),
//! which the playground's nodes (10.244.1.0/24 on) never hand out. Names are drawn from the
//! cluster's seed with apimachinery's random alphabet.

use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateRunning, ContainerStatus, Pod, PodCondition, PodIP,
    PodSpec, PodStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use super::rng::SplitMix64;
use super::{profile::Profile, timestamp, Cluster};

const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

fn random_string(rng: &mut SplitMix64, n: usize) -> String {
    (0..n)
        .map(|_| ALPHANUMS[rng.below(ALPHANUMS.len() as u64) as usize] as char)
        .collect()
}

/// What one system pod is made of.
struct Spec {
    name: String,
    namespace: &'static str,
    node: usize,
    image: &'static str,
    container: &'static str,
    labels: Vec<(&'static str, String)>,
    owner: (&'static str, &'static str, String),
    host_network: bool,
    priority: (&'static str, i32),
}

fn node_name(i: usize) -> String {
    format!("node-{i}")
}

fn node_ip(i: usize) -> String {
    format!("192.168.49.{}", i + 1)
}

/// The system pods of a cluster with this seed, node count and profile, in (namespace, name)
/// order.
pub fn system_pods(c: &Cluster) -> Vec<Pod> {
    let config = &c.config;
    let mut rng = SplitMix64::new(config.seed ^ 0x6b75_6265_2d73_7973);
    let cp = 1;
    let cp_name = node_name(cp);
    let mut specs = Vec::new();
    let critical = ("system-cluster-critical", 2_000_000_000);
    let node_critical = ("system-node-critical", 2_000_001_000);
    let coredns_hash = random_string(&mut rng, 10);
    for _ in 0..2 {
        specs.push(Spec {
            name: format!("coredns-{coredns_hash}-{}", random_string(&mut rng, 5)),
            namespace: "kube-system",
            node: cp,
            image: "registry.k8s.io/coredns/coredns:v1.12.1",
            container: "coredns",
            labels: vec![
                ("k8s-app", "kube-dns".into()),
                ("pod-template-hash", coredns_hash.clone()),
            ],
            owner: ("apps/v1", "ReplicaSet", format!("coredns-{coredns_hash}")),
            host_network: false,
            priority: critical,
        });
    }
    for (component, image) in [
        ("etcd", "registry.k8s.io/etcd:3.6.5-0"),
        ("kube-apiserver", "registry.k8s.io/kube-apiserver:v1.35.0"),
        (
            "kube-controller-manager",
            "registry.k8s.io/kube-controller-manager:v1.35.0",
        ),
        ("kube-scheduler", "registry.k8s.io/kube-scheduler:v1.35.0"),
    ] {
        specs.push(Spec {
            name: format!("{component}-{cp_name}"),
            namespace: "kube-system",
            node: cp,
            image,
            container: component,
            labels: vec![
                ("component", component.into()),
                ("tier", "control-plane".into()),
            ],
            owner: ("v1", "Node", cp_name.clone()),
            host_network: true,
            priority: node_critical,
        });
    }
    for (ds, image, label) in [
        (
            "kindnet",
            "docker.io/kindest/kindnetd:v20250512-df8de77b",
            ("app", "kindnet"),
        ),
        (
            "kube-proxy",
            "registry.k8s.io/kube-proxy:v1.35.0",
            ("k8s-app", "kube-proxy"),
        ),
    ] {
        let revision_hash = random_string(&mut rng, 10);
        for node in 1..=config.nodes {
            specs.push(Spec {
                name: format!("{ds}-{}", random_string(&mut rng, 5)),
                namespace: "kube-system",
                node,
                image,
                container: if ds == "kindnet" { "kindnet-cni" } else { ds },
                labels: vec![
                    (label.0, label.1.into()),
                    ("controller-revision-hash", revision_hash.clone()),
                    ("pod-template-generation", "1".into()),
                ],
                owner: ("apps/v1", "DaemonSet", ds.to_string()),
                host_network: true,
                priority: node_critical,
            });
        }
    }
    if config.profile == Profile::KindLike {
        let hash = random_string(&mut rng, 10);
        specs.push(Spec {
            name: format!(
                "local-path-provisioner-{hash}-{}",
                random_string(&mut rng, 5)
            ),
            namespace: "local-path-storage",
            node: cp,
            image: "docker.io/kindest/local-path-provisioner:v20250214-acbabc1a",
            container: "local-path-provisioner",
            labels: vec![
                ("app", "local-path-provisioner".into()),
                ("pod-template-hash", hash.clone()),
            ],
            owner: (
                "apps/v1",
                "ReplicaSet",
                format!("local-path-provisioner-{hash}"),
            ),
            host_network: false,
            priority: ("", 0),
        });
    }
    let mut pod_ips = 2;
    let mut pods: Vec<Pod> = specs
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let ip = if s.host_network {
                node_ip(s.node)
            } else {
                pod_ips += 1;
                format!("10.244.0.{}", pod_ips - 1)
            };
            build(c, i, s, ip)
        })
        .collect();
    pods.sort_by(|a, b| {
        (&a.metadata.namespace, &a.metadata.name).cmp(&(&b.metadata.namespace, &b.metadata.name))
    });
    pods
}

fn build(c: &Cluster, i: usize, s: Spec, ip: String) -> Pod {
    let created = Some(timestamp(0));
    let uid = c.store.uid_before_offset(1_000 + i as u64);
    let container_id = super::ids::container_id(&uid, s.container, 0);
    let ready = |type_: &str| PodCondition {
        type_: type_.into(),
        status: "True".into(),
        last_transition_time: created.clone(),
        ..Default::default()
    };
    Pod {
        metadata: ObjectMeta {
            name: Some(s.name),
            namespace: Some(s.namespace.into()),
            uid: Some(uid),
            creation_timestamp: created.clone(),
            labels: Some(
                s.labels
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            ),
            owner_references: Some(vec![OwnerReference {
                api_version: s.owner.0.into(),
                kind: s.owner.1.into(),
                name: s.owner.2,
                uid: c.store.uid_before_offset(2_000 + i as u64),
                controller: Some(true),
                block_owner_deletion: (s.owner.1 != "Node").then_some(true),
            }]),
            ..Default::default()
        },
        spec: Some(PodSpec {
            containers: vec![Container {
                name: s.container.into(),
                image: Some(s.image.into()),
                image_pull_policy: Some("IfNotPresent".into()),
                ..Default::default()
            }],
            node_name: Some(node_name(s.node)),
            host_network: s.host_network.then_some(true),
            priority_class_name: (!s.priority.0.is_empty()).then(|| s.priority.0.into()),
            priority: Some(s.priority.1),
            restart_policy: Some("Always".into()),
            ..Default::default()
        }),
        status: Some(PodStatus {
            phase: Some("Running".into()),
            host_ip: Some(node_ip(s.node)),
            pod_ip: Some(ip.clone()),
            pod_ips: Some(vec![PodIP { ip }]),
            start_time: created.clone(),
            qos_class: Some("Burstable".into()),
            conditions: Some(vec![
                ready("PodReadyToStartContainers"),
                ready("Initialized"),
                ready("Ready"),
                ready("ContainersReady"),
                ready("PodScheduled"),
            ]),
            container_statuses: Some(vec![ContainerStatus {
                name: s.container.into(),
                image: s.image.into(),
                image_id: super::ids::image_id(s.image),
                container_id: Some(container_id),
                ready: true,
                started: Some(true),
                restart_count: 0,
                state: Some(ContainerState {
                    running: Some(ContainerStateRunning {
                        started_at: created.clone(),
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            }]),
            ..Default::default()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ClusterConfig;

    fn names(c: &Cluster) -> Vec<String> {
        system_pods(c)
            .into_iter()
            .map(|p| {
                format!(
                    "{}/{}",
                    p.metadata.namespace.unwrap(),
                    p.metadata.name.unwrap()
                )
            })
            .collect()
    }

    /// kind's kube-system (kubernetes-sigs/kind: kubeadm's static pods named after the node,
    /// coredns's Deployment ×2, the kindnet and kube-proxy DaemonSets on every node), and
    /// local-path-storage's provisioner on kind-like.
    #[test]
    fn a_kind_cluster_s_system_pods_per_node_and_profile() {
        let bare = Cluster::new(ClusterConfig {
            nodes: 4,
            ..Default::default()
        });
        let n = names(&bare);
        assert_eq!(n.len(), 2 + 4 + 2 * 4);
        assert!(n.iter().all(|n| n.starts_with("kube-system/")));
        for static_pod in [
            "etcd",
            "kube-apiserver",
            "kube-controller-manager",
            "kube-scheduler",
        ] {
            assert!(n.contains(&format!("kube-system/{static_pod}-node-1")));
        }
        let coredns: Vec<&String> = n.iter().filter(|n| n.contains("/coredns-")).collect();
        assert_eq!(coredns.len(), 2);
        // coredns-<10>-<5>: one ReplicaSet, two random suffixes
        let rs = |n: &str| n.rsplit_once('-').unwrap().0.to_string();
        assert_eq!(rs(coredns[0]), rs(coredns[1]));
        assert_eq!(coredns[0].len(), "kube-system/coredns-".len() + 10 + 1 + 5);
        let kind = Cluster::new(ClusterConfig {
            profile: Profile::KindLike,
            ..Default::default()
        });
        let k = names(&kind);
        assert_eq!(k.len(), 2 + 4 + 2 * 3 + 1);
        assert!(k
            .last()
            .unwrap()
            .starts_with("local-path-storage/local-path-provisioner-"));
    }

    #[test]
    fn names_are_the_seed_s_and_uids_never_collide_with_stored_objects() {
        let a = Cluster::default();
        assert_eq!(names(&a), names(&Cluster::default()));
        let b = Cluster::new(ClusterConfig {
            seed: 7,
            ..Default::default()
        });
        assert_ne!(names(&a), names(&b));
        let stored: Vec<String> = a
            .store()
            .list::<k8s_openapi::api::core::v1::Node>()
            .filter_map(|n| n.metadata.uid.clone())
            .collect();
        let mut uids: Vec<String> = system_pods(&a)
            .into_iter()
            .filter_map(|p| p.metadata.uid)
            .collect();
        assert!(uids.iter().all(|u| !stored.contains(u)));
        let len = uids.len();
        uids.sort();
        uids.dedup();
        assert_eq!(uids.len(), len);
    }
}
