//! kubectl's verbs, one module per verb group as kubectl's own `pkg/cmd/<verb>` packages
//! (kubernetes/kubectl, `staging/src/k8s.io/kubectl/pkg/cmd/`). Each module adds the verb's
//! methods to [`Shell`]; [`Shell::execute`] below dispatches a parsed [`Command`] to them. A
//! blocking verb starts a [`Job`](super::exec::Job) with `Shell::block`, and its step (run
//! by `Shell::process` as watch events arrive) lives with the verb too.
//!
//! - [`apply`] — `apply -f` / `create -f` (reading files, kubectl's errors per document)
//! - [`get`] — `get` (`-o`, `-l`, `-w`, jsonpath) and the watch printer's step
//! - [`describe`] — `describe`
//! - [`delete`] — `delete` (cascade, grace period, force; waits for the objects to be gone)
//! - [`scale`] — `scale`
//! - [`rollout`] — `rollout status|history|undo|restart`
//! - [`set`] — `set image`
//! - [`patch`] — `patch` (merge and strategic merge)
//! - [`label`] — `label` and `annotate`
//! - [`cordon`] — `cordon` / `uncordon`
//! - [`wait`] — `wait --for`
//! - [`exec`] — `exec` (into the container's shell model, `engine::container`)
//! - [`logs`] — `logs` (`-c`, `-f`, `--previous`, `--tail`, `--timestamps`)
//! - [`run`] — `run` (a bare pod; `-it` attaches the console to its shell until `exit`)
//! - [`dns`] — the console's `nslookup` and `dig`
//! - [`sleep`] — the console's `sleep`
//! - [`sim`] — the console's `sim` (node down/up, PV fail/repair, a fresh cluster)
//! - [`completion`] — Tab completion

pub(super) mod apply;
pub(super) mod completion;
pub(super) mod cordon;
pub(super) mod delete;
pub(super) mod describe;
pub(super) mod dns;
pub(super) mod exec;
pub(super) mod get;
pub(super) mod label;
pub(super) mod logs;
pub(super) mod patch;
pub(super) mod rollout;
pub(super) mod run;
pub(super) mod scale;
pub(super) mod set;
pub(super) mod sim;
pub(super) mod sleep;
pub(super) mod wait;

use super::cli::{self, Command};
use super::exec::{Output, Shell};
use super::table::PrintOptions;

impl Shell {
    /// Runs one parsed command line (`line` is its text, for verbs that read raw words).
    pub(super) fn execute(&mut self, cmd: Command, line: &str, out: &mut Output) {
        match cmd {
            Command::Apply { files } => self.apply_files(&files, false, out),
            Command::Create { files } => self.apply_files(&files, true, out),
            Command::CreateNamespace { name } => self.create_namespace(&name, out),
            Command::Get {
                selections,
                output,
                selector,
                all_namespaces,
                watch,
                watch_only,
                output_watch_events,
                show_labels,
                no_headers,
                label_columns,
            } => {
                let options = PrintOptions {
                    wide: output == cli::Output::Wide,
                    with_namespace: all_namespaces,
                    show_labels,
                    no_headers,
                    column_labels: label_columns,
                    ..Default::default()
                };
                self.get(
                    &selections,
                    &output,
                    selector.as_deref(),
                    options,
                    (watch || watch_only, watch_only, output_watch_events),
                    out,
                )
            }
            Command::Describe { resource, names } => self.describe(resource, &names, out),
            Command::Delete {
                files,
                selections,
                cascade,
                grace_period,
                force,
                wait,
                selector,
            } => {
                let how = (cascade, grace_period, force, wait);
                self.delete(&files, &selections, selector.as_deref(), how, out)
            }
            Command::Scale {
                resource,
                name,
                replicas,
                current_replicas,
                resource_version,
            } => {
                let precondition = (current_replicas, resource_version.as_str());
                self.scale(resource, &name, replicas, precondition, out)
            }
            Command::Rollout {
                action,
                resource,
                name,
            } => self.rollout(action, resource, &name, out),
            Command::SetImage {
                resource,
                name,
                images,
            } => self.set_image(resource, &name, &images, out),
            Command::Patch {
                resource,
                name,
                patch,
                strategic,
            } => self.patch(resource, &name, &patch, strategic, out),
            Command::Label {
                resource,
                name,
                changes,
                overwrite,
            } => self.label(resource, &name, &changes, overwrite, false, out),
            Command::Annotate {
                resource,
                name,
                changes,
                overwrite,
            } => self.label(resource, &name, &changes, overwrite, true, out),
            Command::Cordon { node, uncordon } => self.cordon(&node, uncordon, out),
            Command::Wait {
                resource,
                names,
                for_,
                timeout_seconds,
            } => self.wait(resource, names, for_, timeout_seconds, out),
            Command::Nslookup { name } => self.nslookup(&name, out),
            Command::Dig { .. } => self.dig(line, out),
            Command::Sleep { millis } => self.sleep(millis),
            Command::Explain { target, recursive } => match &self.schema {
                Some(schema) => {
                    match crate::kubectl::explain::explain_with(schema, &target, recursive) {
                        Ok(text) => out.out(text),
                        Err(e) => out.fail(e.0),
                    }
                }
                None => out.fail(super::exec::NO_SCHEMA),
            },
            Command::Edit { .. } => out.fail(crate::kubectl::edit::NO_EDITOR),
            Command::Sim(sim) => self.sim(sim, out),
            Command::Exec {
                pod,
                container,
                stdin,
                argv,
            } => self.exec(&pod, container.as_deref(), stdin, argv, out),
            Command::Logs {
                pod,
                container,
                follow,
                previous,
                tail,
                timestamps,
            } => self.logs(
                &pod,
                container.as_deref(),
                follow,
                previous,
                tail,
                timestamps,
                out,
            ),
            Command::Run {
                name,
                image,
                restart,
                rm,
                attach,
                argv,
            } => self.run_pod(&name, &image, &restart, rm, attach, argv, out),
        }
    }
}
