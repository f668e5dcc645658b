//! `kubectl run NAME --image IMAGE [--restart=Never] [--rm] [-i] [-t] [-- ARGS…]` (upstream
//! `pkg/cmd/run/run.go`): a bare pod (label `run=NAME`), scheduled and started like any other.
//! With `-i` kubectl waits for it to run and attaches: with a command, its output is printed;
//! without, the console types into the pod's shell until `exit`. `--rm` deletes it afterwards.

use k8s_openapi::api::core::v1::{Container, Pod, PodSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::engine::{self, DeleteOptions, Kind};
use crate::kubectl::cli::Resource;
use crate::kubectl::exec::{api_error, AttachEnd, Attached, Job, Output, Shell};
use crate::kubectl::printers;

impl Shell {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn run_pod(
        &mut self,
        name: &str,
        image: &str,
        restart: &str,
        rm: bool,
        attach: bool,
        argv: Vec<String>,
        out: &mut Output,
    ) {
        let pod = Pod {
            metadata: ObjectMeta {
                name: Some(name.to_string()),
                namespace: Some(self.namespace.clone()),
                labels: Some([("run".to_string(), name.to_string())].into()),
                ..Default::default()
            },
            spec: Some(PodSpec {
                containers: vec![Container {
                    name: name.to_string(),
                    image: Some(image.to_string()),
                    args: (!argv.is_empty()).then(|| argv.clone()),
                    stdin: attach.then_some(true),
                    tty: attach.then_some(true),
                    ..Default::default()
                }],
                restart_policy: Some(restart.to_string()),
                termination_grace_period_seconds: Some(30),
                ..Default::default()
            }),
            status: None,
        };
        if let Err(e) = self
            .cluster
            .execute(engine::Command::CreatePod(Box::new(pod)))
        {
            out.fail(api_error(&e, None));
            return;
        }
        if !attach {
            out.out(format!("pod/{name} created\n"));
            return;
        }
        self.block(Job::Attach {
            pod: name.to_string(),
            rm,
            argv,
        });
        self.process(out);
    }

    /// The attach job's step: once the pod's container runs, run the command (or attach the
    /// console to its shell).
    pub(in crate::kubectl) fn attach_step(
        &mut self,
        pod: &str,
        rm: bool,
        argv: &[String],
        out: &mut Output,
    ) -> bool {
        let Some(p) = self.cluster.store().get::<Pod>(&self.namespace, pod) else {
            out.fail(format!("error: pod \"{pod}\" was deleted"));
            return true;
        };
        if !super::exec::container_running(p, pod) {
            return false;
        }
        // `-it` with no command, or with a bare shell (`-- sh`, the usual way to type it),
        // attaches to the container's terminal
        let shell = matches!(
            argv.iter().map(String::as_str).collect::<Vec<_>>()[..],
            [] | ["sh" | "bash" | "/bin/sh" | "/bin/bash"]
        );
        // kubectl v1.35 says this on every attach (`-i`), with or without a command
        out.out("All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\nIf you don't see a command prompt, try pressing enter.\n");
        if shell {
            self.attached = Some(Attached {
                pod: pod.to_string(),
                container: pod.to_string(),
                end: if rm {
                    AttachEnd::Delete
                } else {
                    AttachEnd::Resume
                },
            });
            return true;
        }
        self.exec_in(pod, pod, argv.to_vec(), out);
        if rm {
            self.delete_run_pod(pod, out);
        }
        true
    }

    /// A line typed while attached: `exit` detaches, anything else runs in the pod's shell.
    pub(in crate::kubectl) fn attached_line(&mut self, line: &str, out: &mut Output) {
        let Some(Attached {
            pod,
            container,
            end,
        }) = self.attached.clone()
        else {
            return;
        };
        let trimmed = line.trim();
        if trimmed == "exit" || trimmed.starts_with("exit ") {
            self.attached = None;
            let ended = format!("Session ended, resume using 'kubectl attach {pod} -c {container} -i -t' command when the pod is running\n");
            match end {
                AttachEnd::Delete => {
                    out.out(ended);
                    self.delete_run_pod(&pod, out)
                }
                AttachEnd::Resume => out.out(ended),
                AttachEnd::Return => {}
            }
            return;
        }
        let exists = self
            .cluster
            .store()
            .get::<Pod>(&self.namespace, &pod)
            .is_some_and(|p| super::exec::container_running(p, &container));
        if !exists {
            self.attached = None;
            out.fail(format!("error: pod \"{pod}\" is not running any more"));
            return;
        }
        self.exec_in(
            &pod,
            &container,
            vec!["sh".into(), "-c".into(), line.into()],
            out,
        );
        out.exit_code = 0;
    }

    /// `--rm`: deletes the pod and waits for it to be gone, as kubectl does.
    fn delete_run_pod(&mut self, pod: &str, out: &mut Output) {
        let uid = self
            .cluster
            .store()
            .get::<Pod>(&self.namespace, pod)
            .and_then(|p| p.metadata.uid.clone());
        match self
            .cluster
            .delete(Kind::Pod, &self.namespace, pod, DeleteOptions::default())
        {
            Ok(_) => {
                out.out(format!(
                    "{}\n",
                    printers::deleted_line("pod", pod, Some(self.namespace.as_str()), false)
                ));
                self.block(Job::Delete {
                    targets: vec![(Resource::Pods, pod.to_string(), uid)],
                });
            }
            Err(e) => out.fail(api_error(&e, None)),
        }
    }
}
