//! "Run this on a real cluster": a workspace as one self-contained shell script for `kind`.
//!
//! The script writes a kind cluster config matching the profile (one control plane plus a
//! worker per simulated node), writes the manifests, creates the cluster, then runs the
//! session's commands in order. The playground's `sleep` gaps stood for waiting until the
//! controllers were done (a real cluster pulls images at its own pace), so each becomes what
//! the simulated cluster did meanwhile, as waits: `kubectl rollout status` for every
//! rolling-update StatefulSet, `kubectl wait --for=condition=Ready` for other pods that became
//! Ready, `--for=delete` for pods that went away, `--for=jsonpath=...Bound` for claims that got
//! bound outside a set's rollout; a `sleep` stays only when there is nothing to wait for; a watch runs under
//! `timeout`;
//! `nslookup`/`dig` run in a throwaway dnsutils pod.

use std::fmt::Write as _;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod};

use crate::engine::profile::Profile;
use crate::kubectl::cli::{self, Command};
use crate::kubectl::exec::Shell;
use crate::session::{self, Line};
use crate::workspace::Workspace;

/// The kind cluster config: a control plane and `nodes` workers.
pub fn kind_config(ws: &Workspace) -> String {
    let mut s = String::from(
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n",
    );
    for _ in 0..ws.nodes {
        s.push_str("- role: worker\n");
    }
    s
}

/// The manifests as one YAML stream for `kubectl apply -f`: each file's documents after a
/// `# file: NAME` comment, files separated by `---`.
pub fn manifests(ws: &Workspace) -> String {
    let mut out = String::new();
    for (i, f) in ws.files.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        let _ = writeln!(out, "# file: {}", f.name);
        out.push_str(f.text.strip_prefix("---\n").unwrap_or(&f.text));
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

fn heredoc(out: &mut String, path: &str, text: &str) {
    let mut tag = String::from("PLAYGROUND_EOF");
    while text.lines().any(|l| l == tag) {
        tag.push('_');
    }
    let _ = writeln!(out, "cat > '{path}' <<'{tag}'");
    out.push_str(text);
    if !text.ends_with('\n') {
        out.push('\n');
    }
    let _ = writeln!(out, "{tag}");
}

fn quote(word: &str) -> String {
    if word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./=:,".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// What a real cluster can be waited on for, read from the simulated one: the StatefulSets
/// (rolling update or on-delete), the pods and whether each is Ready, the claims and whether
/// each is Bound.
struct Waits {
    sets: Vec<(String, bool)>,
    pods: Vec<(String, bool)>,
    claims: Vec<(String, bool)>,
}

impl Waits {
    fn of(shell: &Shell) -> Waits {
        let store = shell.cluster().store();
        let name = |m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| {
            m.name.clone().unwrap_or_default()
        };
        Waits {
            sets: store
                .list::<StatefulSet>()
                .map(|s| {
                    let on_delete = s
                        .spec
                        .as_ref()
                        .and_then(|s| s.update_strategy.as_ref())
                        .and_then(|u| u.type_.as_deref())
                        == Some("OnDelete");
                    (name(&s.metadata), !on_delete)
                })
                .collect(),
            pods: store
                .list::<Pod>()
                .map(|p| {
                    let ready = p.metadata.deletion_timestamp.is_none()
                        && p.status
                            .as_ref()
                            .and_then(|s| s.conditions.as_ref())
                            .is_some_and(|c| {
                                c.iter().any(|c| c.type_ == "Ready" && c.status == "True")
                            });
                    (name(&p.metadata), ready)
                })
                .collect(),
            claims: store
                .list::<PersistentVolumeClaim>()
                .map(|c| {
                    let bound = c.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound");
                    (name(&c.metadata), bound)
                })
                .collect(),
        }
    }

    /// The waits that stand for going from `self` to `after` (the playground's `sleep`): every
    /// rolling-update set's `rollout status` (kubectl refuses it for OnDelete); the pods an
    /// OnDelete set made Ready meanwhile; the pods that went away; the claims that got bound.
    fn until(&self, after: &Waits) -> Vec<String> {
        let had = |list: &[(String, bool)], n: &str, state: bool| {
            list.iter().any(|(m, s)| m == n && *s == state)
        };
        let mut waits = Vec::new();
        for (s, rolling) in &after.sets {
            if *rolling {
                waits.push(format!(
                    "kubectl rollout status statefulset/{s} --timeout=10m"
                ));
            }
        }
        let rolled = |pod: &str| {
            after.sets.iter().any(|(s, rolling)| {
                *rolling
                    && pod
                        .strip_prefix(s.as_str())
                        .and_then(|r| r.strip_prefix('-'))
                        .is_some_and(|o| o.parse::<u32>().is_ok())
            })
        };
        for (p, ready) in &after.pods {
            if *ready && !had(&self.pods, p, true) && !rolled(p) {
                waits.push(format!(
                    "kubectl wait --for=condition=Ready pod/{p} --timeout=10m"
                ));
            }
        }
        for (p, _) in &self.pods {
            if !after.pods.iter().any(|(q, _)| q == p) {
                waits.push(format!("kubectl wait --for=delete pod/{p} --timeout=10m"));
            }
        }
        for (c, bound) in &after.claims {
            let templated = after.pods.iter().any(|(p, _)| {
                rolled(p) && c.strip_suffix(p.as_str()).is_some_and(|t| t.ends_with('-'))
            });
            if *bound && !had(&self.claims, c, true) && !templated {
                waits.push(format!(
                    "kubectl wait --for=jsonpath='{{.status.phase}}'=Bound pvc/{c} --timeout=10m"
                ));
            }
        }
        waits
    }
}

/// The script (bash). Manifests go to a `playground/` directory next to where it runs.
pub fn script(ws: &Workspace) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "#!/usr/bin/env bash\n\
         # Replays a StatefulSet Playground workspace on a real cluster made with kind\n\
         # (https://kind.sigs.k8s.io). Needs kind, kubectl and docker. The playground modelled\n\
         # Kubernetes {}, profile {}, {} node(s).\n\
         set -euo pipefail\n\
         mkdir -p playground && cd playground",
        ws.kubernetes,
        ws.profile.name(),
        ws.nodes
    );
    heredoc(&mut out, "kind.yaml", &kind_config(ws));
    for f in &ws.files {
        heredoc(&mut out, &f.name, &f.text);
    }
    out.push_str("kind create cluster --name playground --config kind.yaml\n");
    if ws.profile == Profile::Bare {
        out.push_str(
            "# The playground's bare profile has no StorageClass: claims bind to the PVs you create.\n\
             kubectl delete storageclass standard\n",
        );
    }
    let lines = session::parse(&ws.session).unwrap_or_default();
    let mut shell = Shell::new(ws.config(), ws.file_map());
    let mut index = 0usize;
    for line in lines {
        let command = match line {
            Line::Text(t) => {
                let _ = writeln!(out, "{t}");
                continue;
            }
            Line::Command(c) => c,
        };
        for v in ws
            .file_versions
            .iter()
            .filter(|v| v.before_command == index)
        {
            let _ = writeln!(out, "# {} as this command read it:", v.name);
            heredoc(&mut out, &v.name, &v.text);
        }
        index += 1;
        let parsed = cli::parse(&command);
        match &parsed {
            Ok(Command::Sleep { millis }) => {
                let before = Waits::of(&shell);
                shell.run(&command);
                let waits = before.until(&Waits::of(&shell));
                if waits.is_empty() {
                    let _ = writeln!(out, "sleep {}", millis.div_ceil(1000));
                }
                for w in waits {
                    let _ = writeln!(out, "{w}");
                }
                continue;
            }
            Ok(Command::Get { watch, .. }) if *watch => {
                let _ = writeln!(out, "timeout 60 {command} || true");
            }
            Ok(Command::Nslookup { .. }) | Ok(Command::Dig { .. }) => {
                let words: Vec<String> = cli::split_words(&command)
                    .unwrap_or_default()
                    .iter()
                    .map(|w| quote(w))
                    .collect();
                let _ = writeln!(
                    out,
                    "kubectl run dnsutils-$RANDOM -i --rm --restart=Never --image=registry.k8s.io/e2e-test-images/jessie-dnsutils:1.7 -- {}",
                    words.join(" ")
                );
            }
            _ => {
                // Errors are part of a playground session; the script goes on past them.
                let _ = writeln!(out, "{command} || true");
            }
        }
        shell.run(&command);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifests_are_one_stream_that_applies_every_file() {
        let ws = Workspace {
            files: crate::examples::MONGODB
                .iter()
                .map(|(n, t)| crate::workspace::File {
                    name: n.to_string(),
                    text: t.to_string(),
                })
                .collect(),
            ..Workspace::default()
        };
        let stream = manifests(&ws);
        assert!(stream.starts_with("# file: pv-demo.yaml\n"));
        assert!(stream.contains("---\n# file: mongo-sts.yaml\n"));
        // The same objects as applying the files one by one.
        let parsed = crate::manifest::parse(&stream);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        assert_eq!(parsed.objects.len(), 7);
        assert_eq!(
            kind_config(&Workspace { nodes: 1, ..Workspace::default() }),
            "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n"
        );
    }

    #[test]
    fn the_script_rebuilds_the_session_on_kind() {
        let ws = Workspace {
            files: vec![crate::workspace::File {
                name: "mongo-sts.yaml".into(),
                text: crate::examples::MONGO_STATEFULSET.into(),
            }],
            nodes: 2,
            session: "# make it\n$ kubectl apply -f mongo-sts.yaml\n$ sleep 30\n$ kubectl get pods -w\n$ nslookup mongo-0.mongo\n".into(),
            ..Workspace::default()
        };
        let s = script(&ws);
        assert!(
            s.contains("- role: control-plane\n- role: worker\n- role: worker\nPLAYGROUND_EOF\n")
        );
        assert!(s.contains("cat > 'mongo-sts.yaml' <<'PLAYGROUND_EOF'\napiVersion: apps/v1\n"));
        assert!(s.contains("kubectl delete storageclass standard\n"));
        assert!(s.ends_with(
            "# make it\nkubectl apply -f mongo-sts.yaml || true\n\
             kubectl rollout status statefulset/mongo --timeout=10m\n\
             timeout 60 kubectl get pods -w || true\n\
             kubectl run dnsutils-$RANDOM -i --rm --restart=Never --image=registry.k8s.io/e2e-test-images/jessie-dnsutils:1.7 -- nslookup mongo-0.mongo\n"
        ), "{s}");
    }

    #[test]
    fn the_script_waits_for_what_the_session_waited_for() {
        let web = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  replicas: 2\n  updateStrategy:\n    type: OnDelete\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n";
        // No StorageClass on the bare profile: the claim binds to the PV beside it.
        let claim = "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv-1\nspec:\n  capacity:\n    storage: 1Gi\n  accessModes: [ReadWriteOnce]\n  hostPath:\n    path: /tmp/pv-1\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: scratch\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n";
        let ws = Workspace {
            files: vec![
                crate::workspace::File { name: "web.yaml".into(), text: web.into() },
                crate::workspace::File { name: "claim.yaml".into(), text: claim.into() },
            ],
            profile: Profile::Bare,
            nodes: 1,
            session: "$ sleep 5\n$ kubectl apply -f web.yaml\n$ kubectl apply -f claim.yaml\n$ sleep 60\n$ kubectl scale sts web --replicas=1\n$ sleep 60\n".into(),
            ..Workspace::default()
        };
        let s = script(&ws);
        // Nothing existed yet: the first sleep stays a sleep. An OnDelete set has no rollout
        // status (kubectl: "rollout status is only available for RollingUpdate strategy
        // type"), so its pods are waited for one by one; the scale-down waits for web-1 to go.
        assert!(
            s.ends_with(
                "sleep 5\n\
                 kubectl apply -f web.yaml || true\n\
                 kubectl apply -f claim.yaml || true\n\
                 kubectl wait --for=condition=Ready pod/web-0 --timeout=10m\n\
                 kubectl wait --for=condition=Ready pod/web-1 --timeout=10m\n\
                 kubectl wait --for=jsonpath='{.status.phase}'=Bound pvc/scratch --timeout=10m\n\
                 kubectl scale sts web --replicas=1 || true\n\
                 kubectl wait --for=delete pod/web-1 --timeout=10m\n"
            ),
            "{s}"
        );
        assert!(!s.contains("rollout status"), "{s}");
    }
}
