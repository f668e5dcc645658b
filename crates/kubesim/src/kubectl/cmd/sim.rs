//! The console's `sim` commands: the playground's own verbs for what a person does to a real
//! cluster outside kubectl (pull a node's plug, lose a disk, start over with another cluster).
//! They go through the engine's recorded commands, so replays and shared sessions reproduce
//! them, and they work in session files and `kubesim run` like any other line.
//!
//! - `sim node down NODE` / `sim node up NODE`: the node's kubelet stops / comes back
//!   ([`Command::NodeDown`](crate::engine::Command::NodeDown)). The node turns NotReady, its
//!   pods Ready=False; after the `node.kubernetes.io/unreachable` toleration's 300 s the
//!   taint-eviction controller marks them for deletion, and they stay (`Unknown`, then
//!   `Terminating` once the node is back and finishes them) because nobody can confirm the
//!   containers stopped. The StatefulSet controller does not replace a pod that still exists:
//!   the at-most-one guarantee of upstream's "Force Delete StatefulSet Pods" task
//!   (kubernetes/website `content/en/docs/tasks/run-application/force-delete-stateful-set-pod.md`);
//!   `kubectl delete pod X --force --grace-period=0` is how a person releases the identity.
//! - `sim pv fail PV` / `sim pv repair PV`: the disk fault (`playground.dev/failed` on the PV,
//!   see `engine/pv_controller.rs`): phase `Failed`, pods using it cannot mount it.
//! - `sim cluster [--profile bare|kind-like] [--nodes N]`: a fresh cluster of that shape (the
//!   files stay; everything in the cluster is gone, as after `kind delete cluster` + `create`).

use crate::engine::profile::Profile;
use crate::engine::{node_is_ready, Cluster, ClusterConfig, Kind};
use crate::kubectl::cli::{CliError, Resource};
use crate::kubectl::exec::objects::not_found;
use crate::kubectl::exec::{Output, Shell};

use k8s_openapi::api::core::v1::{Node, PersistentVolume};

/// Most nodes `sim cluster --nodes` makes (a playground limit, as the page's node menu).
pub const MAX_NODES: usize = 100;

/// A parsed `sim …` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sim {
    NodeDown(String),
    NodeUp(String),
    PvFail(String),
    PvRepair(String),
    /// A fresh cluster; `None` keeps the current cluster's value.
    Cluster {
        profile: Option<Profile>,
        nodes: Option<usize>,
    },
}

/// What `sim` alone (or with words it does not know) prints.
pub const USAGE: &str = "\
sim: the playground's fault and cluster commands (a real cluster has no such verb: they stand
for what a person does to the machines, not to the API)

Usage:
  sim node down NODE    stop NODE's kubelet: NotReady; after 5m its pods are marked for
                        deletion and stay (Unknown) until force-deleted or the node is back
  sim node up NODE      start NODE's kubelet again
  sim pv fail PV        lose PV's disk: phase Failed, pods using it cannot mount it
  sim pv repair PV      replace PV's disk: the volume is usable again
  sim cluster [--profile bare|kind-like] [--nodes N]
                        a fresh cluster of that shape (N from 1 to 100); the objects of the
                        current one are gone, the files stay

Examples:
  sim node down node-2
  kubectl delete pod web-0 --force --grace-period=0
  sim cluster --profile kind-like --nodes 3";

fn usage_error(problem: impl AsRef<str>) -> CliError {
    CliError(format!("error: {}\n\n{USAGE}", problem.as_ref()))
}

/// Parses the words after `sim`.
pub fn parse(args: &[String]) -> Result<Sim, CliError> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        [] => Err(CliError(USAGE.into())),
        ["node", "down", node] => Ok(Sim::NodeDown(node.to_string())),
        ["node", "up", node] => Ok(Sim::NodeUp(node.to_string())),
        ["pv" | "persistentvolume", "fail", pv] => Ok(Sim::PvFail(pv.to_string())),
        ["pv" | "persistentvolume", "repair", pv] => Ok(Sim::PvRepair(pv.to_string())),
        ["node" | "pv" | "persistentvolume", ..] => Err(usage_error(format!(
            "expected \"sim {} {}\"",
            words[0],
            if words[0] == "node" {
                "down|up NODE"
            } else {
                "fail|repair PV"
            }
        ))),
        ["cluster", rest @ ..] => parse_cluster(rest),
        [other, ..] => Err(usage_error(format!("unknown sim command \"{other}\""))),
    }
}

fn parse_cluster(rest: &[&str]) -> Result<Sim, CliError> {
    let (mut profile, mut nodes) = (None, None);
    let mut i = 0;
    while i < rest.len() {
        let (flag, inline) = match rest[i].split_once('=') {
            Some((f, v)) => (f, Some(v.to_string())),
            None => (rest[i], None),
        };
        let value = |i: &mut usize| -> Result<String, CliError> {
            if let Some(v) = &inline {
                return Ok(v.clone());
            }
            *i += 1;
            rest.get(*i)
                .map(|v| v.to_string())
                .ok_or_else(|| usage_error(format!("flag needs an argument: {flag}")))
        };
        match flag {
            "--profile" => {
                let v = value(&mut i)?;
                profile = Some(Profile::from_name(&v).ok_or_else(|| {
                    usage_error(format!(
                        "unknown profile \"{v}\" (the profiles: bare, kind-like)"
                    ))
                })?);
            }
            "--nodes" => {
                let v = value(&mut i)?;
                nodes = Some(
                    v.parse::<usize>()
                        .ok()
                        .filter(|n| (1..=MAX_NODES).contains(n))
                        .ok_or_else(|| {
                            usage_error(format!(
                                "invalid node count \"{v}\": from 1 to {MAX_NODES} (a playground limit)"
                            ))
                        })?,
                );
            }
            other => return Err(usage_error(format!("unknown flag: {other}"))),
        }
        i += 1;
    }
    Ok(Sim::Cluster { profile, nodes })
}

impl Shell {
    pub(super) fn sim(&mut self, sim: Sim, out: &mut Output) {
        match sim {
            Sim::NodeDown(name) | Sim::NodeUp(name) if self.node(&name).is_none() => {
                out.fail(not_found(Resource::Nodes, &name));
            }
            Sim::NodeDown(name) => {
                let was_ready = self.node(&name).is_some_and(node_is_ready);
                let _ = self.cluster.node_down(&name);
                let state = if was_ready { "down" } else { "already down" };
                out.out(format!("node/{name} {state}\n"));
            }
            Sim::NodeUp(name) => {
                let was_ready = self.node(&name).is_some_and(node_is_ready);
                let _ = self.cluster.node_up(&name);
                let state = if was_ready { "already up" } else { "up" };
                out.out(format!("node/{name} {state}\n"));
            }
            Sim::PvFail(name) | Sim::PvRepair(name) if self.volume(&name).is_none() => {
                out.fail(not_found(Resource::PersistentVolumes, &name));
            }
            Sim::PvFail(name) => {
                let failed = self.volume(&name).is_some_and(volume_is_faulted);
                if !failed {
                    let _ = self.cluster.fail_volume(&name);
                }
                let state = if failed { "already failed" } else { "failed" };
                out.out(format!("persistentvolume/{name} {state}\n"));
            }
            Sim::PvRepair(name) => {
                let failed = self.volume(&name).is_some_and(volume_is_faulted);
                if failed {
                    let _ = self.cluster.set_annotation(
                        Kind::PersistentVolume,
                        "",
                        &name,
                        crate::engine::pv_controller::FAULT_VOLUME_FAILED,
                        None,
                    );
                }
                let state = if failed { "repaired" } else { "not failed" };
                out.out(format!("persistentvolume/{name} {state}\n"));
            }
            Sim::Cluster { profile, nodes } => {
                let config = ClusterConfig {
                    profile: profile.unwrap_or(self.cluster.config().profile),
                    nodes: nodes.unwrap_or(self.cluster.config().nodes),
                    ..self.cluster.config().clone()
                };
                let line = format!(
                    "cluster created: profile {}, {} node{} (node-1{})\n",
                    config.profile.name(),
                    config.nodes,
                    if config.nodes == 1 { "" } else { "s" },
                    if config.nodes == 1 {
                        String::new()
                    } else {
                        format!(" to node-{}", config.nodes)
                    }
                );
                self.reset_cluster(Cluster::new(config));
                out.out(line);
            }
        }
    }

    /// Tab completion after `sim`.
    pub(super) fn sim_candidates(&self, done: &[String]) -> Vec<String> {
        let names = |v: Vec<Option<String>>| v.into_iter().flatten().collect();
        let words: Vec<&str> = done.iter().map(String::as_str).collect();
        let strs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        match words.as_slice() {
            [] => strs(&["cluster", "node", "pv"]),
            ["node"] => strs(&["down", "up"]),
            ["pv"] => strs(&["fail", "repair"]),
            ["node", _] => names(
                self.cluster
                    .store()
                    .list::<Node>()
                    .map(|n| n.metadata.name.clone())
                    .collect(),
            ),
            ["pv", _] => names(
                self.cluster
                    .store()
                    .list::<PersistentVolume>()
                    .map(|n| n.metadata.name.clone())
                    .collect(),
            ),
            ["cluster", .., "--profile"] => strs(&["bare", "kind-like"]),
            ["cluster", ..] => strs(&["--nodes", "--profile"]),
            _ => Vec::new(),
        }
    }

    fn node(&self, name: &str) -> Option<&Node> {
        self.cluster.store().get::<Node>("", name)
    }

    fn volume(&self, name: &str) -> Option<&PersistentVolume> {
        self.cluster.store().get::<PersistentVolume>("", name)
    }

    /// Starts over on `cluster`, keeping the files (as the page's "new cluster" does).
    fn reset_cluster(&mut self, cluster: Cluster) {
        let files = std::mem::take(&mut self.files);
        let current = self.current_file.take();
        let limit = self.watch_limit_ms;
        let resets = self.resets + 1;
        *self = Shell::with_cluster(cluster, files);
        self.current_file = current;
        self.watch_limit_ms = limit;
        self.resets = resets;
    }
}

fn volume_is_faulted(pv: &PersistentVolume) -> bool {
    crate::engine::pv_controller::volume_is_faulted(pv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::exec::Shell;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn sim_parses_the_fault_and_cluster_commands() {
        assert_eq!(
            parse(&words("node down node-2")),
            Ok(Sim::NodeDown("node-2".into()))
        );
        assert_eq!(
            parse(&words("pv repair pv001")),
            Ok(Sim::PvRepair("pv001".into()))
        );
        assert_eq!(
            parse(&words("cluster --profile kind-like --nodes=5")),
            Ok(Sim::Cluster {
                profile: Some(Profile::KindLike),
                nodes: Some(5)
            })
        );
        for bad in [
            "",
            "node",
            "node reboot node-1",
            "pv fail",
            "cluster --nodes 0",
            "cluster --profile gke",
            "cluster --nodes",
            "frobnicate",
        ] {
            let e = parse(&words(bad)).unwrap_err().0;
            assert!(e.contains("Usage:\n  sim node down NODE"), "{bad}: {e}");
        }
    }

    #[test]
    fn sim_cluster_starts_over_with_the_chosen_profile_and_nodes_keeping_the_files() {
        let mut sh = Shell::default();
        sh.set_file("a.yaml", "x");
        let o = sh.run("sim cluster --profile kind-like --nodes 5");
        assert_eq!(
            o.text(),
            "cluster created: profile kind-like, 5 nodes (node-1 to node-5)\n"
        );
        assert_eq!(sh.cluster().config().profile, Profile::KindLike);
        assert_eq!(sh.cluster().store().list::<Node>().count(), 5);
        assert!(sh.files().contains_key("a.yaml"));
        // the profile is kept when only the size changes
        sh.run("sim cluster --nodes 1");
        assert_eq!(sh.cluster().config().profile, Profile::KindLike);
        assert_eq!(sh.cluster().store().list::<Node>().count(), 1);
        // each fresh cluster is counted, so the page restarts its timeline; a refused one is not
        assert_eq!(sh.cluster_resets(), 2);
        sh.run("sim cluster --nodes 0");
        sh.run("sim node down node-1");
        assert_eq!(sh.cluster_resets(), 2);
    }

    #[test]
    fn sim_node_and_pv_commands_name_missing_objects_as_kubectl_does() {
        let mut sh = Shell::default();
        let o = sh.run("sim node down node-9");
        assert_eq!(
            o.text(),
            "Error from server (NotFound): nodes \"node-9\" not found\n"
        );
        assert_eq!(o.exit_code, 1);
        let o = sh.run("sim pv fail pv009");
        assert_eq!(
            o.text(),
            "Error from server (NotFound): persistentvolumes \"pv009\" not found\n"
        );
        assert_eq!(sh.run("sim node down node-1").text(), "node/node-1 down\n");
        assert_eq!(
            sh.run("sim node down node-1").text(),
            "node/node-1 already down\n"
        );
        assert_eq!(sh.run("sim node up node-1").text(), "node/node-1 up\n");
    }
}
