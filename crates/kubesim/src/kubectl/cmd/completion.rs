//! Tab completion for the console: commands, verbs, flags, kinds, object names, files and
//! DNS names.

use crate::kubectl::cli::{self, Resource};
use crate::kubectl::exec::objects;
use crate::kubectl::exec::Shell;

impl Shell {
    /// Tab completion: candidates for the last word of `line` (the whole word, to replace
    /// the partial one), sorted.
    pub fn completions(&self, line: &str) -> Vec<String> {
        let words = cli::split_words(line).unwrap_or_default();
        let ends_with_space = line.ends_with(' ') || line.is_empty();
        let (done, partial): (&[String], &str) = if ends_with_space {
            (&words[..], "")
        } else {
            match words.split_last() {
                Some((last, rest)) => (rest, last.as_str()),
                None => (&[], ""),
            }
        };
        let mut cands: Vec<String> = self.candidates(done, partial);
        cands.retain(|c| c.starts_with(partial));
        cands.sort();
        cands.dedup();
        cands
    }

    fn candidates(&self, done: &[String], partial: &str) -> Vec<String> {
        let strs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let Some(program) = done.first() else {
            return strs(&["kubectl", "nslookup", "dig", "sleep", "sim"]);
        };
        if program == "nslookup" || program == "dig" {
            return self.dns_names();
        }
        if program == "sim" {
            return self.sim_candidates(&done[1..]);
        }
        if program != "kubectl" && program != "k" {
            return Vec::new();
        }
        if done.last().is_some_and(|w| w == "-n" || w == "--namespace") {
            return self
                .cluster
                .store()
                .namespaces()
                .map(|n| n.name.clone())
                .collect();
        }
        // words that are not flags, nor the value of a `-n`
        let positional: Vec<&String> = done[1..]
            .iter()
            .enumerate()
            .filter(|(i, w)| {
                !w.starts_with('-')
                    && (*i == 0 || !matches!(done[*i].as_str(), "-n" | "--namespace"))
            })
            .map(|(_, w)| w)
            .collect();
        let Some(verb) = positional.first().map(|s| s.as_str()) else {
            return strs(&[
                "annotate", "apply", "cordon", "create", "delete", "describe", "edit", "exec",
                "explain", "get", "label", "logs", "patch", "rollout", "run", "scale", "set",
                "uncordon", "wait",
            ]);
        };
        if done.last().is_some_and(|w| w == "-f" || w == "--filename") {
            let mut f: Vec<String> = self.files.keys().cloned().collect();
            f.push("-".into());
            return f;
        }
        if partial.starts_with('-') {
            return strs(match verb {
                "get" => &[
                    "--all-namespaces",
                    "--namespace",
                    "--no-headers",
                    "--output",
                    "--output-watch-events",
                    "--selector",
                    "--show-labels",
                    "--watch",
                    "--watch-only",
                    "-A",
                    "-l",
                    "-o",
                    "-w",
                ],
                "apply" | "create" => &["--filename", "-f"],
                "delete" => &[
                    "--cascade",
                    "--filename",
                    "--force",
                    "--grace-period",
                    "--now",
                    "--wait",
                    "-f",
                ],
                "scale" => &["--replicas"],
                "label" | "annotate" => &["--overwrite"],
                "wait" => &["--for", "--timeout"],
                "patch" => &["--patch", "--type", "-p"],
                "rollout" => &["--revision", "--to-revision"],
                "exec" => &["--container", "--stdin", "--tty", "-c", "-i", "-t"],
                "logs" => &[
                    "--container",
                    "--follow",
                    "--previous",
                    "--tail",
                    "--timestamps",
                    "-c",
                    "-f",
                ],
                "run" => &[
                    "--command",
                    "--image",
                    "--restart",
                    "--rm",
                    "--stdin",
                    "--tty",
                    "-i",
                    "-t",
                ],
                _ => &[],
            });
        }
        if done.last().is_some_and(|w| w == "-o" || w == "--output") {
            return strs(&["json", "name", "wide", "yaml"]);
        }
        let kinds = || {
            let mut k: Vec<String> = Vec::new();
            for r in Resource::ALL {
                k.push(r.plural().to_string());
            }
            k.extend(strs(&[
                "all",
                "po",
                "pod",
                "sts",
                "statefulset",
                "pvc",
                "pv",
                "svc",
                "service",
                "ep",
                "sc",
                "node",
                "no",
                "ev",
                "event",
            ]));
            k
        };
        let objects_of = |kind: &str, prefix: bool| -> Vec<String> {
            match Resource::from_name(kind) {
                Some(r) => objects::names(&self.cluster, r)
                    .into_iter()
                    .map(|n| if prefix { format!("{kind}/{n}") } else { n })
                    .collect(),
                None => Vec::new(),
            }
        };
        if let Some((kind, _)) = partial.split_once('/') {
            return objects_of(kind, true);
        }
        match verb {
            "cordon" | "uncordon" => objects::names(&self.cluster, Resource::Nodes),
            "exec" | "logs" if positional.len() == 1 => {
                objects::names(&self.cluster, Resource::Pods)
            }
            "rollout" => match positional.get(1) {
                None => strs(&["history", "pause", "restart", "resume", "status", "undo"]),
                Some(_) => objects::names(&self.cluster, Resource::StatefulSets)
                    .into_iter()
                    .map(|n| format!("sts/{n}"))
                    .collect(),
            },
            "set" => match positional.get(1) {
                None => strs(&["image"]),
                Some(_) => objects::names(&self.cluster, Resource::StatefulSets)
                    .into_iter()
                    .map(|n| format!("sts/{n}"))
                    .collect(),
            },
            "get" | "describe" | "delete" | "label" | "annotate" | "scale" | "wait" | "patch"
            | "edit" => match positional.get(1) {
                None => kinds(),
                Some(kind) if !kind.contains('/') => {
                    objects_of(kind.split(',').next().unwrap_or(kind), false)
                }
                Some(_) => Vec::new(),
            },
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::kubectl::exec::tests::seeded;

    #[test]
    fn completion_offers_commands_kinds_names_and_files() {
        let sh = seeded();
        assert_eq!(sh.completions("kub"), ["kubectl"]);
        assert!(sh.completions("kubectl ").contains(&"rollout".to_string()));
        assert_eq!(sh.completions("kubectl ro"), ["rollout"]);
        assert!(sh
            .completions("kubectl get st")
            .contains(&"sts".to_string()));
        let pods = sh.completions("kubectl describe pod mongo-");
        assert_eq!(pods, ["mongo-0"]);
        assert_eq!(sh.completions("kubectl get sts/m"), ["sts/mongo"]);
        assert_eq!(sh.completions("kubectl rollout status "), ["sts/mongo"]);
        assert_eq!(
            sh.completions("kubectl apply -f mongo-s"),
            ["mongo-service.yaml", "mongo-sts.yaml"]
        );
        assert_eq!(
            sh.completions("kubectl cordon node-"),
            ["node-1", "node-2", "node-3"]
        );
        assert!(sh
            .completions("kubectl get pods --w")
            .contains(&"--watch".to_string()));
        assert!(sh
            .completions("nslookup mon")
            .contains(&"mongo".to_string()));
        // namespaces after -n, and -n's value is not taken for the verb
        assert_eq!(
            sh.completions("kubectl get pods -n kube-"),
            ["kube-node-lease", "kube-public", "kube-system"]
        );
        assert_eq!(sh.completions("kubectl --namespace def"), ["default"]);
        assert!(sh
            .completions("kubectl -n default get po")
            .contains(&"pods".to_string()));
    }
}
