//! The console's interpreter: a [`Shell`] runs one command line against the simulated
//! [`Cluster`] and returns what kubectl would print, stdout and stderr interleaved in the order
//! they were written, plus an exit code.
//!
//! # Blocking commands
//!
//! `kubectl rollout status`, `kubectl wait`, `kubectl get -w` and `kubectl delete` (which waits
//! for the object to disappear, as kubectl's default `--wait=true` does) keep running while
//! simulated time passes. Two ways to drive them:
//!
//! * **Incrementally** (the browser console): [`Shell::start`] prints what is known at once and
//!   leaves the command pending ([`Output::running`]); the UI advances the clock with its timers
//!   and calls [`Shell::poll`]`(until)`, which runs the cluster up to `until` and returns the
//!   new output, until a poll reports the command finished. [`Shell::cancel`] is Ctrl+C (exit
//!   code 130). While a command is pending the cluster's clock belongs to `poll`.
//! * **Synchronously** (the native runner, [`Shell::run`]): the cluster runs event by event
//!   until the command is done, stopping the clock at the instant it finished. A command that
//!   would wait forever ends when the cluster has nothing more scheduled, or when
//!   [`Shell::watch_limit_ms`] of simulated time (default 5 minutes) have passed since it
//!   started. `kubectl wait` is the exception: it has a real `--timeout` (default 30s), so the
//!   clock is moved to the deadline and the timeout error is printed. `sleep N` blocks too,
//!   so the browser lets its N simulated seconds pass at the UI clock's pace (the runner
//!   just advances the clock). `kubectl rollout status --timeout` is accepted and ignored.
//!   `sleep` and `wait --timeout` are capped at [`MAX_BLOCK_MS`] (7 simulated days).
//!
//! ```
//! use kubesim::kubectl::exec::Shell;
//! use std::collections::BTreeMap;
//!
//! let files: BTreeMap<String, String> = kubesim::examples::MONGODB
//!     .iter()
//!     .map(|(name, text)| (name.to_string(), text.to_string()))
//!     .collect();
//! let mut shell = Shell::new(Default::default(), files);
//! assert_eq!(shell.run("kubectl create -f mongo-service.yaml").text(), "service/mongo created\n");
//!
//! // the browser console: start, then poll as the UI clock advances, or cancel (Ctrl+C)
//! let out = shell.start("kubectl get pods -w");
//! assert!(out.running);
//! let more = shell.poll(shell.cluster().now() + 1_000);
//! assert!(more.running);
//! assert_eq!(shell.cancel().exit_code, 130);
//! assert_eq!(shell.completions("kubectl get svc m"), ["mongo"]);
//! ```

pub(super) mod jsonpath;
pub(crate) mod objects;
pub(crate) mod yaml;

use std::collections::BTreeMap;

use self::objects::Selector;
use super::cli::{self, Resource, WaitFor};
use super::cmd;
use super::cmd::get::WatchFormat;
use super::Timestamp;
use crate::engine::{self, ApiError, Cluster, ClusterConfig, Kind};

/// Which stream a chunk of output went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// What a command printed, chunk by chunk in the order written, and its exit code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub chunks: Vec<(Stream, String)>,
    pub exit_code: i32,
    /// The command is still running (a blocking command started with [`Shell::start`]).
    pub running: bool,
}

impl Output {
    pub(super) fn out(&mut self, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            self.chunks.push((Stream::Stdout, text));
        }
    }

    /// Writes a line (a newline is added) to stderr.
    pub(super) fn err(&mut self, line: impl AsRef<str>) {
        let line = line.as_ref();
        if !line.is_empty() {
            self.chunks.push((Stream::Stderr, format!("{line}\n")));
        }
    }

    pub(super) fn fail(&mut self, line: impl AsRef<str>) {
        self.err(line);
        self.exit_code = 1;
    }

    pub(super) fn extend(&mut self, other: Output) {
        self.chunks.extend(other.chunks);
        if other.exit_code != 0 {
            self.exit_code = other.exit_code;
        }
        self.running = other.running;
    }

    /// The terminal text: stdout and stderr interleaved as written.
    pub fn text(&self) -> String {
        self.chunks.iter().map(|(_, t)| t.as_str()).collect()
    }

    pub fn stdout(&self) -> String {
        self.of(Stream::Stdout)
    }

    pub fn stderr(&self) -> String {
        self.of(Stream::Stderr)
    }

    fn of(&self, stream: Stream) -> String {
        self.chunks
            .iter()
            .filter(|(s, _)| *s == stream)
            .map(|(_, t)| t.as_str())
            .collect()
    }
}

#[derive(Clone, Debug)]
pub(super) enum Job {
    Watch {
        resource: Resource,
        /// `None` under `-A`.
        namespace: Option<String>,
        names: Vec<String>,
        selector: Selector,
        format: WatchFormat,
    },
    RolloutStatus {
        name: String,
    },
    Wait {
        resource: Resource,
        /// Names whose condition is not met yet, in argument order.
        pending: Vec<String>,
        for_: WaitFor,
        deadline: u64,
    },
    /// `sleep N`: simulated time passes (in the browser, at the UI clock's pace).
    Sleep {
        deadline: u64,
    },
    /// `kubectl delete` waiting for objects to be gone.
    Delete {
        targets: Vec<(Resource, String, Option<String>)>,
    },
    /// `kubectl logs -f`: lines printed so far of one container of one pod (by uid).
    Logs {
        pod: String,
        uid: String,
        container: String,
        printed: usize,
        timestamps: bool,
    },
    /// `kubectl run -i`: waiting for the pod to run, then attaching.
    Attach {
        pod: String,
        rm: bool,
        argv: Vec<String>,
    },
}

/// The pod shell the console is attached to.
#[derive(Clone, Debug)]
pub(super) struct Attached {
    pub(super) pod: String,
    pub(super) container: String,
    /// How the session ends: `run --rm` deletes the pod, `run` prints how to re-attach,
    /// `exec` just returns.
    pub(super) end: AttachEnd,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum AttachEnd {
    Delete,
    Resume,
    Return,
}

/// A command that keeps running while simulated time passes.
#[derive(Clone, Debug)]
pub(super) struct Blocking {
    job: Job,
    /// Position in the cluster's watch log up to which events were consumed.
    cursor: usize,
    started: u64,
    /// Bytes a watch has printed so far (it stops at `MAX_WATCH_OUTPUT_BYTES`).
    printed: usize,
}

/// Simulated time after which the synchronous runner ends a watch that would run forever.
pub const DEFAULT_WATCH_LIMIT_MS: u64 = 5 * 60 * 1000;

/// Longest `sleep` / `wait --timeout` the console honours (7 simulated days), so a typo
/// cannot keep the simulation busy for years of crash-loop restarts.
pub const MAX_BLOCK_MS: u64 = 7 * 24 * 3600 * 1000;

/// Events one step-through may run before giving up (a guard against runaway loops).
const MAX_STEPS: usize = 2_000_000;

fn default_schema() -> Option<crate::schema::Schema> {
    #[cfg(feature = "embedded-schema")]
    return Some(crate::schema::Schema::embedded());
    #[cfg(not(feature = "embedded-schema"))]
    None
}

/// What `kubectl explain` prints while a shell has no schema (the page waits for it instead).
pub const NO_SCHEMA: &str = "error: the OpenAPI schema has not been loaded yet";

/// The console: a simulated cluster plus the playground's manifest files.
#[derive(Clone, Debug)]
pub struct Shell {
    pub(super) cluster: Cluster,
    /// The playground's manifest files, name -> text; `-f NAME` reads from here.
    pub(super) files: BTreeMap<String, String>,
    /// The file `-f -` reads (the editor's current file).
    pub(super) current_file: Option<String>,
    pub(super) pending: Option<Blocking>,
    /// `kubectl run -it` / `kubectl exec -it POD -- sh`: the console types into this pod's
    /// shell until `exit`.
    pub(super) attached: Option<Attached>,
    /// See the module docs; simulated milliseconds.
    pub watch_limit_ms: u64,
    /// Every line started, with its instant (sharing rebuilds the history from it).
    pub history: super::history::History,
    /// How many times a command (`sim cluster`) replaced the cluster with a fresh one.
    pub(super) resets: u64,
    /// The namespace the running command works in (its `-n`, else the context's `default`);
    /// a blocking command keeps it while it runs (no other command runs meanwhile).
    pub(super) namespace: String,
    /// Whether `-n/--namespace` named it (kubectl's `EnforceNamespace`).
    pub(super) namespace_flag: bool,
    /// The schema `kubectl explain` reads: the compiled-in one with the feature
    /// `embedded-schema`, else none until [`Shell::set_schema`] (the page fetches it).
    pub(super) schema: Option<crate::schema::Schema>,
}

impl Default for Shell {
    fn default() -> Self {
        Shell::new(ClusterConfig::default(), BTreeMap::new())
    }
}

pub(super) fn now_ts(c: &Cluster) -> Timestamp {
    engine::timestamp(c.now()).0
}

pub(super) fn kind_of(resource: Resource) -> Option<Kind> {
    Some(match resource {
        Resource::Pods => Kind::Pod,
        Resource::StatefulSets => Kind::StatefulSet,
        Resource::PersistentVolumeClaims => Kind::PersistentVolumeClaim,
        Resource::PersistentVolumes => Kind::PersistentVolume,
        Resource::Services => Kind::Service,
        Resource::StorageClasses => Kind::StorageClass,
        Resource::Nodes => Kind::Node,
        Resource::Events => Kind::Event,
        Resource::ControllerRevisions => Kind::ControllerRevision,
        Resource::EndpointSlices => Kind::EndpointSlice,
        Resource::Namespaces => Kind::Namespace,
        Resource::Endpoints => return None,
    })
}

/// `kind[.group]` as the name printer spells it: `pod`, `statefulset.apps`.
pub(super) fn singular(resource: Resource) -> String {
    let kind = objects::kind_name(resource).to_lowercase();
    if resource.group().is_empty() {
        kind
    } else {
        format!("{kind}.{}", resource.group())
    }
}

/// An API error as kubectl prints it; `context` is e.g. `error when creating "file.yaml"`.
pub(super) fn api_error(e: &ApiError, context: Option<&str>) -> String {
    let ctx = context.map(|c| format!("{c}: ")).unwrap_or_default();
    // kubectl's checkErr (`pkg/cmd/util/helpers.go`): `The KIND "name" is invalid: ` and the
    // status causes, one per line after `* ` when there are several (MultilineError)
    let invalid = |m: &str| {
        // details.Kind only: `StatefulSet.apps "web"` is printed `The StatefulSet "web"`
        let m = match m.split_once(' ') {
            Some((kind, rest)) if kind.contains('.') => {
                format!("{} {rest}", kind.split('.').next().unwrap_or(kind))
            }
            _ => m.to_string(),
        };
        match m.split_once(" is invalid: ") {
            Some((head, causes)) => invalid_causes(
                &format!("The {head} is invalid"),
                crate::validation::split_causes(causes),
            ),
            None => format!("The {m}"),
        }
    };
    match e {
        ApiError::NotFound { .. } => format!("Error from server (NotFound): {ctx}{e}"),
        ApiError::AlreadyExists { .. } => format!("Error from server (AlreadyExists): {ctx}{e}"),
        ApiError::Invalid(m) | ApiError::Forbidden(m) if m.contains(" is invalid: ") => invalid(m),
        ApiError::Forbidden(m) if m.starts_with("Operation cannot be fulfilled") => {
            format!("Error from server (Conflict): {ctx}{m}")
        }
        ApiError::Forbidden(m) => format!("Error from server (Forbidden): {ctx}{m}"),
        ApiError::Invalid(m) => format!("error: {ctx}{m}"),
    }
}
/// `MultilineError(prefix + ": ", causes)`: one cause on the line, several as `* ` lines.
pub(super) fn invalid_causes(prefix: &str, mut causes: Vec<String>) -> String {
    let mut seen = std::collections::BTreeSet::new();
    causes.retain(|c| seen.insert(c.clone()));
    if causes.len() == 1 {
        format!("{prefix}: {}", causes[0])
    } else {
        let lines: Vec<String> = causes.iter().map(|c| format!("* {c}")).collect();
        format!("{prefix}: \n{}", lines.join("\n"))
    }
}

pub(super) fn to_yaml(v: &serde_json::Value) -> String {
    yaml::to_yaml(v)
}

pub(super) fn to_json(v: &serde_json::Value) -> String {
    use serde::Serialize;
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if v.serialize(&mut ser).is_err() {
        return String::new();
    }
    let mut s = String::from_utf8(buf).unwrap_or_default();
    s.push('\n');
    s
}

impl Shell {
    /// A shell on a fresh cluster, with the playground's files.
    pub fn new(config: ClusterConfig, files: BTreeMap<String, String>) -> Self {
        Shell {
            cluster: Cluster::new(config),
            files,
            current_file: None,
            pending: None,
            attached: None,
            watch_limit_ms: DEFAULT_WATCH_LIMIT_MS,
            history: Default::default(),
            resets: 0,
            namespace: cli::NAMESPACE.into(),
            namespace_flag: false,
            schema: default_schema(),
        }
    }

    /// A shell on an existing cluster.
    pub fn with_cluster(cluster: Cluster, files: BTreeMap<String, String>) -> Self {
        Shell {
            cluster,
            files,
            current_file: None,
            pending: None,
            attached: None,
            watch_limit_ms: DEFAULT_WATCH_LIMIT_MS,
            history: Default::default(),
            resets: 0,
            namespace: cli::NAMESPACE.into(),
            namespace_flag: false,
            schema: default_schema(),
        }
    }

    /// Gives `kubectl explain` its schema (the page, once it has fetched the text).
    pub fn set_schema(&mut self, schema: crate::schema::Schema) {
        self.schema = Some(schema);
    }

    /// Does `kubectl explain` have a schema to read?
    pub fn has_schema(&self) -> bool {
        self.schema.is_some()
    }

    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// Counts the fresh clusters commands made (`sim cluster`): a caller that keeps state about
    /// the cluster (the page's timeline) starts over when it changes.
    pub fn cluster_resets(&self) -> u64 {
        self.resets
    }

    /// Mutable access (the UI's fault buttons, node down/up). Do not use while a command is
    /// pending unless you also [`Shell::poll`] afterwards.
    pub fn cluster_mut(&mut self) -> &mut Cluster {
        &mut self.cluster
    }

    pub fn files(&self) -> &BTreeMap<String, String> {
        &self.files
    }

    /// Adds or replaces a file of the set.
    pub fn set_file(&mut self, name: impl Into<String>, text: impl Into<String>) {
        self.files.insert(name.into(), text.into());
    }

    /// The file `-f -` reads (the editor's current tab).
    pub fn set_current_file(&mut self, name: Option<String>) {
        self.current_file = name;
    }

    /// The pod the console is attached to (`kubectl run -it`), if any: the UI may show it.
    pub fn attached_to(&self) -> Option<&str> {
        self.attached.as_ref().map(|a| a.pod.as_str())
    }

    /// Is a blocking command running?
    pub fn is_blocked(&self) -> bool {
        self.pending.is_some()
    }

    /// Runs a line to completion (the native runner): blocking commands drive the simulated
    /// clock themselves (see the module docs).
    pub fn run(&mut self, line: &str) -> Output {
        let mut out = self.start(line);
        // (a job may hand over to another: `run --rm` attaches, then waits for the deletion)
        while self.pending.is_some() {
            out.extend(self.finish_sync());
            self.settle();
        }
        out.running = false;
        out
    }

    /// Starts a line. For a blocking command, returns the first output with `running` set;
    /// then drive it with [`Shell::poll`]. A pending command is cancelled first.
    pub fn start(&mut self, line: &str) -> Output {
        let mut out = Output::default();
        if self.pending.is_some() {
            out.extend(self.cancel());
            out.exit_code = 0;
        }
        if line.trim().is_empty() {
            return out;
        }
        self.history.record(self.cluster.now(), line, &self.files);
        if self.attached.is_some() {
            self.attached_line(line, &mut out);
        } else {
            self.parse_and_execute(line, &mut out);
        }
        if self.pending.is_none() {
            self.settle();
        }
        out.running = self.pending.is_some();
        out
    }

    fn parse_and_execute(&mut self, line: &str, out: &mut Output) {
        match cli::parse_line(line) {
            Err(e) => {
                out.err(&e.0);
                out.exit_code = if e.0.contains("command not found") {
                    127
                } else {
                    1
                };
            }
            Ok((cmd, namespace)) => {
                self.namespace_flag = namespace.is_some();
                self.namespace = namespace.unwrap_or_else(|| cli::NAMESPACE.into());
                self.execute(cmd, line, out)
            }
        }
    }

    /// Advances the clock to `until` (ms since the engine's epoch), running every due event,
    /// and returns what the pending command printed meanwhile. When no command is pending, just
    /// advances the clock.
    pub fn poll(&mut self, until: u64) -> Output {
        let mut out = Output::default();
        if let Some(b) = &self.pending {
            let deadline = self.deadline(b);
            let limit = until.min(deadline.unwrap_or(u64::MAX));
            let done = self.step_until(limit, &mut out);
            if !done {
                if let Some(d) = deadline.filter(|d| *d <= until) {
                    self.cluster.run_until(d);
                    self.timeout(&mut out);
                }
            }
        }
        self.hold_watch();
        self.cluster.run_until(until.max(self.cluster.now()));
        out.running = self.pending.is_some();
        out
    }

    /// [`Shell::poll`] in slices, for a caller with a time budget (the page's frame): runs
    /// the due instants one at a time up to `until`, asking `more()` after each, and returns
    /// what the pending command printed and the instant reached (`until` when it got there).
    /// Slicing changes nothing the cluster does: stopping early and polling on later gives
    /// the same history as one `poll`.
    pub fn poll_while(&mut self, until: u64, mut more: impl FnMut() -> bool) -> (Output, u64) {
        let mut out = Output::default();
        loop {
            let next = self.cluster.next_event_at().filter(|at| *at < until);
            let at = next.unwrap_or(until).max(self.cluster.now());
            let slice = self.poll(at);
            out.chunks.extend(slice.chunks);
            if slice.exit_code != 0 {
                out.exit_code = slice.exit_code;
            }
            out.running = slice.running;
            if at >= until || !more() {
                return (out, at);
            }
        }
    }

    /// Runs the work due at the current instant (controllers react to a write at once), so
    /// the next prompt sees a settled cluster.
    fn settle(&mut self) {
        self.hold_watch();
        let now = self.cluster.now();
        self.cluster.run_until(now);
    }

    /// Keeps the watch entries the pending command has not consumed yet while the cluster
    /// runs (the cluster's watch log is bounded); releases them when nothing is pending.
    fn hold_watch(&mut self) {
        let cursor = self.pending.as_ref().map(|b| b.cursor);
        self.cluster.hold_watch(cursor);
    }

    /// Ctrl+C: ends the pending command (exit code 130).
    pub fn cancel(&mut self) -> Output {
        let mut out = Output::default();
        if self.pending.take().is_some() {
            out.exit_code = 130;
        }
        out
    }

    fn deadline(&self, b: &Blocking) -> Option<u64> {
        match &b.job {
            Job::Wait { deadline, .. } | Job::Sleep { deadline } => Some(*deadline),
            _ => None,
        }
    }

    /// Steps events up to `limit`, feeding the pending command; true when it finished.
    fn step_until(&mut self, limit: u64, out: &mut Output) -> bool {
        if self.pending.is_none() {
            return true;
        }
        if self.process(out) {
            return true;
        }
        let mut steps = 0;
        while let Some(at) = self.cluster.next_event_at() {
            if at > limit || steps >= MAX_STEPS {
                break;
            }
            steps += 1;
            self.hold_watch();
            self.cluster.step();
            if self.process(out) {
                return true;
            }
        }
        false
    }

    /// The synchronous path: run until done, idle, or the limit.
    fn finish_sync(&mut self) -> Output {
        let mut out = Output::default();
        let Some(b) = &self.pending else {
            return out;
        };
        let deadline = self.deadline(b);
        let limit = deadline.unwrap_or(b.started.saturating_add(self.watch_limit_ms));
        if self.step_until(limit, &mut out) {
            return out;
        }
        let idle = self.cluster.next_event_at().is_none();
        if deadline.is_some() || !idle {
            self.hold_watch();
            self.cluster.run_until(limit);
        }
        if deadline.is_some() {
            self.timeout(&mut out);
        }
        self.pending = None;
        out
    }

    fn timeout(&mut self, out: &mut Output) {
        if let Some(Blocking {
            job: Job::Sleep { .. },
            ..
        }) = &self.pending
        {
            self.pending = None;
            return;
        }
        if let Some(Blocking {
            job: Job::Wait {
                resource, pending, ..
            },
            ..
        }) = self.pending.take()
        {
            if let Some(n) = pending.first() {
                out.fail(format!(
                    "error: timed out waiting for the condition on {}/{n}",
                    resource.plural()
                ));
            }
        }
    }

    /// Consumes new watch events and checks the pending command; true when it finished.
    pub(super) fn process(&mut self, out: &mut Output) -> bool {
        let Some(mut b) = self.pending.take() else {
            return true;
        };
        // The new entries are read in place (no copy per step: a `sleep` polled for a
        // simulated week runs this after every event).
        let cursor = b.cursor;
        b.cursor = self.cluster.watch_end();
        // each job's step lives with its verb (cmd/<verb>.rs)
        let done = match &mut b.job {
            Job::Watch {
                resource,
                namespace,
                names,
                selector,
                format,
            } => {
                let limit = crate::limits::MAX_WATCH_OUTPUT_BYTES;
                // A few entries at a time, so the limit stops the watch close to it however
                // many changes one step brings.
                for batch in self.cluster.watch_since(cursor).chunks(8) {
                    let chunks = out.chunks.len();
                    let ns = namespace.as_deref();
                    cmd::get::watch_events(*resource, ns, names, selector, format, batch, out);
                    b.printed += out.chunks[chunks..]
                        .iter()
                        .map(|(_, t)| t.len())
                        .sum::<usize>();
                    if b.printed > limit {
                        break;
                    }
                }
                if b.printed > limit {
                    out.fail(format!(
                        "error: the watch stopped after printing more than {limit} bytes (a playground limit: MAX_WATCH_OUTPUT_BYTES)"
                    ));
                }
                b.printed > limit
            }
            Job::RolloutStatus { name } => {
                cmd::rollout::status_events(name, self.cluster.watch_since(cursor), out)
            }
            Job::Wait {
                resource,
                pending,
                for_,
                ..
            } => self.wait_step(*resource, pending, for_, out),
            Job::Sleep { deadline } => self.cluster.now() >= *deadline,
            Job::Delete { targets } => self.delete_step(targets),
            Job::Logs {
                pod,
                uid,
                container,
                printed,
                timestamps,
            } => self.logs_step(pod, uid, container, printed, *timestamps, out),
            Job::Attach { pod, rm, argv } => {
                let (pod, rm, argv) = (pod.clone(), *rm, argv.clone());
                self.attach_step(&pod, rm, &argv, out)
            }
        };
        if !done {
            self.pending = Some(b);
        }
        done
    }

    /// Counts what a watch printed before it started blocking (`get -w` lists first)
    /// against its `MAX_WATCH_OUTPUT_BYTES`.
    pub(in crate::kubectl) fn count_printed(&mut self, out: &Output) {
        if let Some(b) = &mut self.pending {
            b.printed = out.chunks.iter().map(|(_, t)| t.len()).sum();
        }
    }

    pub(super) fn block(&mut self, job: Job) {
        self.pending = Some(Blocking {
            job,
            cursor: self.cluster.watch_end(),
            started: self.cluster.now(),
            printed: 0,
        });
        self.hold_watch();
    }
}

/// Runs a session file's text on a fresh shell and returns the transcript. `load` reads a
/// manifest named by a `-f` argument (the runner resolves it relative to the session file).
pub fn run_session(text: &str, load: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let lines = crate::session::parse(text)?;
    let mut files = BTreeMap::new();
    for line in &lines {
        if let crate::session::Line::Command(cmd) = line {
            for f in file_args(cmd) {
                if let Some(t) = load(&f) {
                    files.insert(f, t);
                }
            }
        }
    }
    let mut shell = Shell::new(crate::session::cluster_config(&lines)?, files);
    Ok(crate::session::transcript(&lines, |cmd| {
        shell.run(cmd).text()
    }))
}

/// The `-f` arguments of a command line.
pub fn file_args(cmd: &str) -> Vec<String> {
    let words = cli::split_words(cmd).unwrap_or_default();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if (w == "-f" || w == "--filename") && i + 1 < words.len() {
            out.push(words[i + 1].clone());
            i += 1;
        } else if let Some(v) = w.strip_prefix("--filename=") {
            out.push(v.to_string());
        } else if let Some(v) = w.strip_prefix("-f").filter(|v| !v.is_empty()) {
            out.push(v.trim_start_matches('=').to_string());
        }
        i += 1;
    }
    out
}

#[cfg(test)]
pub(super) mod tests;
