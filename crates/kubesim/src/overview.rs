//! A plain-data picture of the cluster for the UI: StatefulSets with their ordinal slots, each
//! pod's state, claims, volumes and DNS name, the nodes, and the latest events.
//!
//! Everything a person sees in the playground's cluster view is computed here, natively
//! testable, so the web shell only maps these structs to DOM.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{Node, PersistentVolume, PersistentVolumeClaim, Pod};

use crate::engine::{self, Cluster};
use crate::kubectl::{self, printers};
use crate::manifest::access_modes;
use crate::network::dns;

/// How a pod slot is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PodState {
    /// The ordinal is in range but no pod exists yet.
    Absent,
    /// Not scheduled yet (e.g. waiting for its claim to bind).
    Pending,
    /// Scheduled; containers are being created.
    Creating,
    /// Containers run but the pod is not Ready.
    Running,
    Ready,
    Terminating,
    Failed,
    /// Its node is gone: kubectl shows `Unknown`.
    Unknown,
}

impl PodState {
    /// A CSS-friendly name.
    pub fn as_str(self) -> &'static str {
        match self {
            PodState::Absent => "absent",
            PodState::Pending => "pending",
            PodState::Creating => "creating",
            PodState::Running => "running",
            PodState::Ready => "ready",
            PodState::Terminating => "terminating",
            PodState::Failed => "failed",
            PodState::Unknown => "unknown",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimView {
    pub name: String,
    /// `Pending`, `Bound`, `Lost`, or `Missing` when the claim does not exist.
    pub phase: String,
    pub volume: Option<String>,
    pub capacity: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodView {
    pub name: String,
    pub ordinal: i64,
    pub state: PodState,
    /// kubectl's READY and STATUS cells (`2/2`, `ContainerCreating`).
    pub ready: String,
    pub status: String,
    pub node: Option<String>,
    pub ip: Option<String>,
    /// The ControllerRevision the pod was made from.
    pub revision: Option<String>,
    pub claims: Vec<ClaimView>,
    /// The pod's own DNS name, present only while CoreDNS would answer for it.
    pub dns: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetView {
    pub name: String,
    pub desired: i32,
    pub ready: i32,
    pub policy: String,
    pub strategy: String,
    pub current_revision: String,
    pub update_revision: String,
    /// What the controller waits for, in plain words.
    pub why: Vec<String>,
    /// Why the pods have no per-pod DNS names, if they have none.
    pub dns_note: Option<String>,
    /// In-range ordinal slots (with absent ones), then condemned pods still present.
    pub pods: Vec<PodView>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeView {
    pub name: String,
    pub ready: bool,
    pub pods: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeView {
    pub name: String,
    pub capacity: String,
    pub access_modes: String,
    pub phase: String,
    pub claim: Option<String>,
    /// Files on the volume (written through a pod's mount, `engine::pod_fs`).
    pub file_count: usize,
    /// The first [`FILES_SHOWN`] of them, by path.
    pub files: Vec<String>,
}

/// How many file paths a [`VolumeView`] lists.
pub const FILES_SHOWN: usize = 5;

impl VolumeView {
    /// `no files`, `1 file: index.html`, `7 files: a, b, c, d, e, …`.
    pub fn files_summary(&self) -> String {
        match self.file_count {
            0 => "no files".to_string(),
            n => {
                let more = if n > self.files.len() { ", …" } else { "" };
                let noun = if n == 1 { "file" } else { "files" };
                format!("{n} {noun}: {}{more}", self.files.join(", "))
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventView {
    pub age: String,
    pub type_: String,
    pub reason: String,
    pub object: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overview {
    /// Simulated time since the cluster started, `h:mm:ss`.
    pub clock: String,
    pub sets: Vec<SetView>,
    pub nodes: Vec<NodeView>,
    pub volumes: Vec<VolumeView>,
    /// The newest events, newest last.
    pub events: Vec<EventView>,
}

fn name(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> String {
    meta.name.clone().unwrap_or_default()
}

fn pod_state(pod: &Pod, status: &str) -> PodState {
    let phase = pod
        .status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("");
    if status == "Unknown" {
        PodState::Unknown
    } else if pod.metadata.deletion_timestamp.is_some() {
        PodState::Terminating
    } else if phase == "Failed" || phase == "Succeeded" {
        PodState::Failed
    } else if engine::statefulset::is_running_and_ready(pod) {
        PodState::Ready
    } else if phase == "Running" {
        PodState::Running
    } else if pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_ref())
        .is_some()
    {
        PodState::Creating
    } else {
        PodState::Pending
    }
}

fn claim_view(store: &engine::Store, ns: &str, claim: &str) -> ClaimView {
    match store.get::<PersistentVolumeClaim>(ns, claim) {
        None => ClaimView {
            name: claim.to_string(),
            phase: "Missing".into(),
            volume: None,
            capacity: None,
        },
        Some(pvc) => {
            let status = pvc.status.as_ref();
            ClaimView {
                name: claim.to_string(),
                phase: if pvc.metadata.deletion_timestamp.is_some() {
                    "Terminating".into()
                } else {
                    status
                        .and_then(|s| s.phase.clone())
                        .unwrap_or_else(|| "Pending".into())
                },
                volume: pvc.spec.as_ref().and_then(|s| s.volume_name.clone()),
                capacity: status
                    .and_then(|s| s.capacity.as_ref())
                    .and_then(|c| c.get("storage"))
                    .map(|q| q.0.clone()),
            }
        }
    }
}

/// Builds the picture of `cluster` at its current instant.
pub fn overview(cluster: &Cluster) -> Overview {
    let store = cluster.store();
    let now = engine::timestamp(cluster.now()).0;
    let pods: Vec<&Pod> = store.list::<Pod>().collect();
    let nodes: Vec<&Node> = store.list::<Node>().collect();
    let resolver = cluster.dns();
    let pod_view = |pod: &Pod, ordinal: i64| {
        let summary = printers::pod_summary(pod, now);
        let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
        let spec = pod.spec.as_ref();
        let claims = spec
            .and_then(|s| s.volumes.as_ref())
            .into_iter()
            .flatten()
            .filter_map(|v| v.persistent_volume_claim.as_ref())
            .map(|c| claim_view(store, ns, &c.claim_name))
            .collect();
        let dns_name = match (
            spec.and_then(|s| s.hostname.as_deref()),
            spec.and_then(|s| s.subdomain.as_deref()),
        ) {
            (Some(host), Some(sub)) if !sub.is_empty() => {
                let fqdn = format!("{host}.{sub}.{ns}.svc.{}", dns::CLUSTER_DOMAIN);
                let answer = resolver.query(&fqdn, dns::RecordType::A);
                (answer.rcode == dns::Rcode::NoError && !answer.answers.is_empty()).then_some(fqdn)
            }
            _ => None,
        };
        PodView {
            name: name(&pod.metadata),
            ordinal,
            state: pod_state(pod, &summary.status),
            ready: summary.ready,
            status: summary.status,
            node: spec.and_then(|s| s.node_name.clone()),
            ip: pod.status.as_ref().and_then(|s| s.pod_ip.clone()),
            revision: pod
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get("controller-revision-hash").cloned()),
            claims,
            dns: dns_name,
        }
    };

    let sets = store
        .list::<StatefulSet>()
        .map(|set| {
            let set_name = name(&set.metadata);
            let ns = set.metadata.namespace.as_deref().unwrap_or("default");
            let spec = set.spec.clone().unwrap_or_default();
            let status = set.status.clone().unwrap_or_default();
            let desired = spec.replicas.unwrap_or(1);
            let start = spec.ordinals.as_ref().and_then(|o| o.start).unwrap_or(0) as i64;
            let mut own: BTreeMap<i64, &Pod> = BTreeMap::new();
            for pod in store.pods_with_parent(ns, &set_name) {
                if let Some(p) = store.get::<Pod>(ns, pod.metadata.name.as_deref().unwrap_or("")) {
                    if let Some((_, ordinal)) = engine::store::parse_ordinal(&name(&p.metadata)) {
                        own.insert(ordinal, p);
                    }
                }
            }
            let templates: Vec<String> = spec
                .volume_claim_templates
                .iter()
                .flatten()
                .map(|t| name(&t.metadata))
                .collect();
            let mut views = Vec::new();
            for ordinal in start..start + desired as i64 {
                match own.remove(&ordinal) {
                    Some(pod) => views.push(pod_view(pod, ordinal)),
                    None => {
                        let pod_name = format!("{set_name}-{ordinal}");
                        views.push(PodView {
                            name: pod_name.clone(),
                            ordinal,
                            state: PodState::Absent,
                            ready: String::new(),
                            status: String::new(),
                            node: None,
                            ip: None,
                            revision: None,
                            claims: templates
                                .iter()
                                .filter(|t| {
                                    store
                                        .get::<PersistentVolumeClaim>(
                                            ns,
                                            &format!("{t}-{pod_name}"),
                                        )
                                        .is_some()
                                })
                                .map(|t| claim_view(store, ns, &format!("{t}-{pod_name}")))
                                .collect(),
                            dns: None,
                        });
                    }
                }
            }
            // Condemned pods (outside the range) still shown while they go away.
            views.extend(own.into_iter().map(|(ordinal, pod)| pod_view(pod, ordinal)));
            let strategy = spec.update_strategy.clone().unwrap_or_default();
            let strategy_text = match strategy.type_.as_deref() {
                Some("OnDelete") => "OnDelete".to_string(),
                _ => {
                    let ru = strategy.rolling_update.unwrap_or_default();
                    format!("RollingUpdate, partition {}", ru.partition.unwrap_or(0))
                }
            };
            SetView {
                desired,
                ready: status.ready_replicas.unwrap_or(0),
                policy: spec
                    .pod_management_policy
                    .clone()
                    .unwrap_or_else(|| "OrderedReady".into()),
                strategy: strategy_text,
                current_revision: status.current_revision.clone().unwrap_or_default(),
                update_revision: status.update_revision.clone().unwrap_or_default(),
                why: cluster.why(ns, &set_name),
                dns_note: cluster.explain_dns(ns, &set_name),
                pods: views,
                name: set_name,
            }
        })
        .collect();

    let nodes_view = nodes
        .iter()
        .map(|node| {
            let node_name = name(&node.metadata);
            NodeView {
                ready: engine::node_is_ready(node),
                pods: pods
                    .iter()
                    .filter(|p| {
                        p.spec.as_ref().and_then(|s| s.node_name.as_deref())
                            == Some(node_name.as_str())
                    })
                    .map(|p| name(&p.metadata))
                    .collect(),
                name: node_name,
            }
        })
        .collect();

    let volumes = store
        .list::<PersistentVolume>()
        .map(|pv| {
            let spec = pv.spec.as_ref();
            let tree = pv
                .metadata
                .uid
                .as_deref()
                .and_then(|uid| cluster.fs().volume(uid));
            let files: Vec<&str> = tree
                .map(|t| t.files().map(|(p, _)| p).collect())
                .unwrap_or_default();
            VolumeView {
                file_count: files.len(),
                files: files
                    .iter()
                    .take(FILES_SHOWN)
                    .map(|p| p.to_string())
                    .collect(),
                name: name(&pv.metadata),
                capacity: spec
                    .and_then(|s| s.capacity.as_ref())
                    .and_then(|c| c.get("storage"))
                    .map(|q| q.0.clone())
                    .unwrap_or_default(),
                access_modes: access_modes(spec.and_then(|s| s.access_modes.as_deref())),
                phase: if pv.metadata.deletion_timestamp.is_some() {
                    "Terminating".into()
                } else {
                    pv.status
                        .as_ref()
                        .and_then(|s| s.phase.clone())
                        .unwrap_or_else(|| "Pending".into())
                },
                claim: spec.and_then(|s| s.claim_ref.as_ref()).map(|r| {
                    format!(
                        "{}/{}",
                        r.namespace.as_deref().unwrap_or(""),
                        r.name.as_deref().unwrap_or("")
                    )
                }),
            }
        })
        .collect();

    let events = cluster
        .latest_events(12)
        .iter()
        .map(|e| EventView {
            age: kubectl::age(
                e.last_timestamp.as_ref().or(e.first_timestamp.as_ref()),
                now,
            ),
            type_: e.type_.clone().unwrap_or_default(),
            reason: e.reason.clone().unwrap_or_default(),
            object: format!(
                "{}/{}",
                e.involved_object
                    .kind
                    .as_deref()
                    .unwrap_or("")
                    .to_ascii_lowercase(),
                e.involved_object.name.as_deref().unwrap_or("")
            ),
            message: e.message.clone().unwrap_or_default(),
        })
        .collect();

    let secs = cluster.now() / 1000;
    Overview {
        clock: format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60),
        sets,
        nodes: nodes_view,
        volumes,
        events,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;
    use crate::manifest;

    fn seeded() -> Cluster {
        let mut cluster = Cluster::default();
        for (_, text) in examples::MONGODB {
            for parsed in manifest::parse(text).objects {
                cluster.apply(parsed.object).unwrap();
            }
        }
        cluster
    }

    #[test]
    fn a_volume_lists_the_files_written_through_a_pods_mount() {
        let mut cluster = seeded();
        cluster.advance(60_000);
        assert_eq!(overview(&cluster).volumes[0].files_summary(), "no files");
        for f in ["a", "b"] {
            cluster
                .execute(crate::engine::Command::Exec {
                    namespace: "default".into(),
                    pod: "mongo-0".into(),
                    container: "mongo".into(),
                    argv: vec!["touch".into(), format!("/data/db/{f}")],
                })
                .unwrap();
        }
        let o = overview(&cluster);
        let pv = o.volumes.iter().find(|v| v.name == "pv001").unwrap();
        assert_eq!(
            (pv.file_count, pv.files_summary().as_str()),
            (2, "2 files: a, b")
        );
        assert_eq!(o.volumes[1].file_count, 0);
    }

    #[test]
    fn right_after_apply_three_slots_wait_and_the_first_pod_is_on_its_way() {
        let mut cluster = seeded();
        cluster.advance(10);
        let o = overview(&cluster);
        assert_eq!(o.sets.len(), 1);
        let set = &o.sets[0];
        assert_eq!((set.name.as_str(), set.desired, set.ready), ("mongo", 3, 0));
        let names: Vec<&str> = set.pods.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["mongo-0", "mongo-1", "mongo-2"]);
        assert_ne!(
            set.pods[0].state,
            PodState::Absent,
            "mongo-0 is created first"
        );
        assert_eq!(
            set.pods[1].state,
            PodState::Absent,
            "OrderedReady: mongo-1 waits"
        );
        assert!(
            set.pods.iter().all(|p| p.dns.is_none()),
            "no pod is Ready yet"
        );
        assert_eq!(o.volumes.len(), 5);
        assert_eq!(o.nodes.len(), 3);
        assert!(!set.why.is_empty());
    }

    #[test]
    fn once_rolled_out_every_pod_is_ready_bound_and_named_in_dns() {
        let mut cluster = seeded();
        cluster.advance(120_000);
        let o = overview(&cluster);
        let set = &o.sets[0];
        assert_eq!(set.ready, 3);
        for (i, pod) in set.pods.iter().enumerate() {
            assert_eq!(pod.state, PodState::Ready, "{pod:?}");
            assert_eq!(pod.ready, "2/2");
            assert_eq!(pod.status, "Running");
            assert_eq!(pod.claims[0].name, format!("mongo-data-mongo-{i}"));
            assert_eq!(pod.claims[0].phase, "Bound");
            assert_eq!(
                pod.claims[0].volume.as_deref(),
                Some(format!("pv00{}", i + 1).as_str())
            );
            assert_eq!(
                pod.dns.as_deref(),
                Some(format!("mongo-{i}.mongo.default.svc.cluster.local").as_str())
            );
        }
        assert_eq!(set.dns_note, None);
        assert_eq!(o.clock, "0:02:00");
        let bound: Vec<&str> = o.volumes.iter().map(|v| v.phase.as_str()).collect();
        assert_eq!(bound, ["Bound", "Bound", "Bound", "Available", "Available"]);
        assert!(!o.events.is_empty() && o.events.len() <= 12);
    }
}
