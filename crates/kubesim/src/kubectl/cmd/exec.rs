//! `kubectl exec POD [-c CONTAINER] [-i] [-t] -- COMMAND…` (upstream `pkg/cmd/exec/exec.go`
//! v1.35; the default container as `pkg/cmd/util/podcmd/podcmd.go`). The command runs in the
//! engine's container model (`engine::container`), recorded as `engine::Command::Exec`.

use k8s_openapi::api::core::v1::Pod;

use crate::engine::{self, CommandOutput};
use crate::kubectl::exec::{api_error, AttachEnd, Attached, Output, Shell, Stream};

/// `podcmd.AllContainerNames`: `a, b, c (init)`.
pub(super) fn all_container_names(pod: &Pod) -> String {
    let Some(spec) = &pod.spec else {
        return String::new();
    };
    spec.containers
        .iter()
        .map(|c| c.name.clone())
        .chain(
            spec.init_containers
                .iter()
                .flatten()
                .map(|c| format!("{} (init)", c.name)),
        )
        .collect::<Vec<_>>()
        .join(", ")
}

/// `FindOrDefaultContainerByName` without a name: the `kubectl.kubernetes.io/default-container`
/// annotation's container, else the first, with kubectl's `Defaulted container` note when the
/// pod has several.
pub(super) fn default_container(pod: &Pod, out: &mut Output) -> Option<String> {
    let spec = pod.spec.as_ref()?;
    if let Some(name) = pod
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("kubectl.kubernetes.io/default-container"))
    {
        if spec.containers.iter().any(|c| &c.name == name) {
            return Some(name.clone());
        }
    }
    let first = spec.containers.first()?.name.clone();
    if spec.containers.len() > 1 || spec.init_containers.as_ref().is_some_and(|i| !i.is_empty()) {
        out.err(format!(
            "Defaulted container \"{first}\" out of: {}",
            all_container_names(pod)
        ));
    }
    Some(first)
}

/// Is the container running (so the kubelet can exec into it)?
pub(super) fn container_running(pod: &Pod, container: &str) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.name == container))
        .and_then(|c| c.state.as_ref())
        .is_some_and(|s| s.running.is_some())
}

impl Shell {
    pub(super) fn exec(
        &mut self,
        pod_name: &str,
        container: Option<&str>,
        stdin: bool,
        argv: Vec<String>,
        out: &mut Output,
    ) {
        let Some(pod) = self
            .cluster
            .store()
            .get::<Pod>(&self.namespace, pod_name)
            .cloned()
        else {
            out.fail(format!(
                "Error from server (NotFound): pods \"{pod_name}\" not found"
            ));
            return;
        };
        let phase = engine::statefulset::pod_phase(&pod);
        if phase == "Succeeded" || phase == "Failed" {
            out.fail(format!(
                "error: cannot exec into a container in a completed pod; current phase is {phase}"
            ));
            return;
        }
        let container = match container {
            Some(c) => c.to_string(),
            None => match default_container(&pod, out) {
                Some(c) => c,
                None => return,
            },
        };
        if pod
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_ref())
            .is_none()
        {
            out.fail(format!(
                "Error from server (BadRequest): pod {pod_name} does not have a host assigned"
            ));
            return;
        }
        if !container_running(&pod, &container) {
            out.fail(format!(
                "error: unable to upgrade connection: container not found (\"{container}\")"
            ));
            return;
        }
        let bare_shell = matches!(
            argv.iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice(),
            ["sh" | "bash" | "/bin/sh" | "/bin/bash"]
        );
        if stdin && bare_shell {
            // `kubectl exec -it POD -- sh`: the console types into the pod until `exit`.
            self.attached = Some(Attached {
                pod: pod_name.to_string(),
                container,
                end: AttachEnd::Return,
            });
            return;
        }
        self.exec_in(pod_name, &container, argv, out);
    }

    /// Runs `argv` in a running container and prints what it printed; a non-zero status is
    /// kubectl's `command terminated with exit code N`.
    pub(super) fn exec_in(
        &mut self,
        pod: &str,
        container: &str,
        argv: Vec<String>,
        out: &mut Output,
    ) {
        match self.cluster.execute(engine::Command::Exec {
            namespace: self.namespace.clone(),
            pod: pod.into(),
            container: container.into(),
            argv,
        }) {
            Ok(CommandOutput::Exec(o)) => {
                for (is_err, text) in o.chunks {
                    let stream = if is_err {
                        Stream::Stderr
                    } else {
                        Stream::Stdout
                    };
                    out.chunks.push((stream, text));
                }
                if o.exit_code != 0 {
                    out.err(format!("command terminated with exit code {}", o.exit_code));
                    out.exit_code = o.exit_code;
                }
            }
            Ok(_) => {}
            Err(e) => out.fail(api_error(&e, None)),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::kubectl::exec::Shell;

    #[test]
    fn exec_errors_are_kubectls() {
        let mut sh = crate::kubectl::exec::tests::seeded();
        let o = sh.run("kubectl exec nope -- hostname");
        assert_eq!(
            o.text(),
            "Error from server (NotFound): pods \"nope\" not found\n"
        );
        let o = sh.run("kubectl exec mongo-0");
        assert_eq!(
            o.text(),
            "error: you must specify at least one command for the container\n"
        );
        let mut fresh = Shell::default();
        let o = fresh.run("kubectl exec web-0 -- ls");
        assert_eq!(o.exit_code, 1);
    }

    #[test]
    fn exec_it_sh_attaches_the_console_until_exit() {
        let mut sh = crate::kubectl::exec::tests::seeded();
        sh.run("kubectl rollout status sts/mongo");
        let o = sh.run("kubectl exec -it mongo-1 -c mongo -- sh");
        assert_eq!((o.text().as_str(), sh.attached_to()), ("", Some("mongo-1")));
        assert_eq!(
            sh.run("hostname && cd /data && pwd").text(),
            "mongo-1\n/data\n"
        );
        assert_eq!(sh.run("exit").text(), "");
        assert_eq!(sh.attached_to(), None);
        assert_eq!(sh.run("hostname").exit_code, 127, "back in the console");
    }
}
