//! `kubectl logs POD [-c CONTAINER] [-f] [--previous] [--tail N] [--timestamps]` (upstream
//! `pkg/cmd/logs/logs.go`, `pkg/polymorphichelpers/logsforobject.go` v1.35). The lines come
//! from the engine's application models (`engine::container::apps::container_log`): startup
//! lines at the container's start time, then what the application wrote (nginx's access log).
//! `-f` follows as simulated time passes, until the pod is gone or Ctrl+C.

use k8s_openapi::api::core::v1::Pod;

use super::exec::{all_container_names, default_container};
use crate::engine::container::apps::{container_log, previous_container_log};
use crate::engine::{self, timestamp};
use crate::kubectl::exec::{Job, Output, Shell};

fn line_text(at: u64, line: &str, timestamps: bool) -> String {
    if timestamps {
        let ts = k8s_openapi::jiff::fmt::strtime::format("%Y-%m-%dT%H:%M:%S%.9fZ", timestamp(at).0)
            .unwrap_or_default();
        format!("{ts} {line}\n")
    } else {
        format!("{line}\n")
    }
}

/// The last `tail` lines (all when `None` or negative).
fn print_lines(lines: &[(u64, String)], tail: Option<i64>, timestamps: bool, out: &mut Output) {
    let skip = match tail {
        Some(n) if n >= 0 => lines.len().saturating_sub(n as usize),
        _ => 0,
    };
    for (at, l) in &lines[skip..] {
        out.out(line_text(*at, l, timestamps));
    }
}

impl Shell {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn logs(
        &mut self,
        pod_name: &str,
        container: Option<&str>,
        follow: bool,
        previous: bool,
        tail: Option<i64>,
        timestamps: bool,
        out: &mut Output,
    ) {
        let Some(pod) = self
            .cluster
            .store()
            .get::<Pod>(&self.namespace, pod_name)
            .cloned()
        else {
            out.fail(format!(
                "error: error from server (NotFound): pods \"{pod_name}\" not found in namespace \"{}\"",
                self.namespace
            ));
            return;
        };
        let container = match container {
            Some(c) => {
                let known = pod
                    .spec
                    .as_ref()
                    .is_some_and(|s| s.containers.iter().any(|k| k.name == c));
                if !known {
                    out.fail(format!(
                        "error: container {c} is not valid for pod {pod_name}"
                    ));
                    return;
                }
                c.to_string()
            }
            None => match default_container(&pod, out) {
                Some(c) => c,
                None => return,
            },
        };
        if previous {
            // The kubelet keeps the previous instance of a restarted container.
            let Some(lines) = previous_container_log(self.cluster(), &pod, &container) else {
                out.fail(format!(
                    "Error from server (BadRequest): previous terminated container \"{container}\" in pod \"{pod_name}\" not found"
                ));
                return;
            };
            print_lines(&lines, tail, timestamps, out);
            return;
        }
        // A container waiting to restart (CrashLoopBackOff): the kubelet serves the log of its
        // last instance, as `kubectl logs` on a crash-looping pod shows.
        let current = container_log(self.cluster(), &pod, &container)
            .or_else(|| previous_container_log(self.cluster(), &pod, &container));
        let Some(lines) = current else {
            let reason = pod
                .status
                .as_ref()
                .and_then(|s| s.container_statuses.as_ref())
                .and_then(|cs| cs.iter().find(|c| c.name == container))
                .and_then(|c| c.state.as_ref())
                .and_then(|s| s.waiting.as_ref())
                .and_then(|w| w.reason.clone())
                .unwrap_or_else(|| "ContainerCreating".into());
            if !follow || pod.metadata.deletion_timestamp.is_some() {
                out.fail(format!(
                    "Error from server (BadRequest): container \"{container}\" in pod \"{pod_name}\" is waiting to start: {reason}"
                ));
                return;
            }
            self.follow_logs(&pod, container, 0, timestamps);
            return;
        };
        print_lines(&lines, tail, timestamps, out);
        if follow {
            self.follow_logs(&pod, container, lines.len(), timestamps);
        }
    }

    fn follow_logs(&mut self, pod: &Pod, container: String, printed: usize, timestamps: bool) {
        self.block(Job::Logs {
            pod: pod.metadata.name.clone().unwrap_or_default(),
            uid: pod.metadata.uid.clone().unwrap_or_default(),
            container,
            printed,
            timestamps,
        });
    }

    /// The `-f` job's step: prints lines added since; done when the pod is gone.
    pub(in crate::kubectl) fn logs_step(
        &self,
        pod: &str,
        uid: &str,
        container: &str,
        printed: &mut usize,
        timestamps: bool,
        out: &mut Output,
    ) -> bool {
        let Some(p) = self.cluster.store().get::<Pod>(&self.namespace, pod) else {
            return true;
        };
        if p.metadata.uid.as_deref() != Some(uid) {
            return true;
        }
        if let Some(lines) = container_log(&self.cluster, p, container) {
            for (at, l) in lines.iter().skip(*printed) {
                out.out(line_text(*at, l, timestamps));
            }
            *printed = (*printed).max(lines.len());
        }
        let stopped = engine::statefulset::pod_phase(p) == "Failed"
            || engine::statefulset::pod_phase(p) == "Succeeded";
        stopped && all_container_names(p).is_empty()
    }
}
