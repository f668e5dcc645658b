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

mod objects;
mod patch;
mod yaml;

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::api::core::v1::{
    Event, Node, PersistentVolume, PersistentVolumeClaim, Pod, Service,
};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::de::DeserializeOwned;

use self::objects::{find, not_found, render_any, resource_of, Selector};
use super::cli::{self, Cascade, Command, KeyChange, Resource, Rollout, WaitFor};
use super::table::{self, PrintOptions, WatchPrinter};
use super::{describe, printers, rollout, Timestamp};
use crate::engine::{
    self, AnyObject, ApiError, Cluster, ClusterConfig, DeleteOptions, Kind, Propagation,
    WatchEventType,
};
use crate::manifest::{self, Object, Severity};
use crate::network::dns;

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
    fn out(&mut self, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            self.chunks.push((Stream::Stdout, text));
        }
    }

    /// Writes a line (a newline is added) to stderr.
    fn err(&mut self, line: impl AsRef<str>) {
        let line = line.as_ref();
        if !line.is_empty() {
            self.chunks.push((Stream::Stderr, format!("{line}\n")));
        }
    }

    fn fail(&mut self, line: impl AsRef<str>) {
        self.err(line);
        self.exit_code = 1;
    }

    fn extend(&mut self, other: Output) {
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

/// How a blocking command's output is rendered while it watches.
#[derive(Clone, Debug)]
enum WatchFormat {
    Table(Box<WatchPrinter>),
    Name,
    Yaml { printed: usize },
    Json,
}

#[derive(Clone, Debug)]
enum Job {
    Watch {
        resource: Resource,
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
}

/// A command that keeps running while simulated time passes.
#[derive(Clone, Debug)]
struct Blocking {
    job: Job,
    /// Position in the cluster's watch log up to which events were consumed.
    cursor: usize,
    started: u64,
}

/// Simulated time after which the synchronous runner ends a watch that would run forever.
pub const DEFAULT_WATCH_LIMIT_MS: u64 = 5 * 60 * 1000;

/// Longest `sleep` / `wait --timeout` the console honours (7 simulated days), so a typo
/// cannot keep the simulation busy for years of crash-loop restarts.
pub const MAX_BLOCK_MS: u64 = 7 * 24 * 3600 * 1000;

/// Events one step-through may run before giving up (a guard against runaway loops).
const MAX_STEPS: usize = 2_000_000;

/// The console: a simulated cluster plus the playground's manifest files.
#[derive(Clone, Debug)]
pub struct Shell {
    cluster: Cluster,
    /// The playground's manifest files, name -> text; `-f NAME` reads from here.
    files: BTreeMap<String, String>,
    /// The file `-f -` reads (the editor's current file).
    current_file: Option<String>,
    pending: Option<Blocking>,
    /// Objects made by `kubectl create`, which carry no last-applied configuration: the first
    /// `kubectl apply` of one warns and patches it in.
    created_without_config: std::collections::BTreeSet<String>,
    /// See the module docs; simulated milliseconds.
    pub watch_limit_ms: u64,
    /// Every line started, with its instant (sharing rebuilds the history from it).
    pub history: super::history::History,
}

impl Default for Shell {
    fn default() -> Self {
        Shell::new(ClusterConfig::default(), BTreeMap::new())
    }
}

fn now_ts(c: &Cluster) -> Timestamp {
    engine::timestamp(c.now()).0
}

fn kind_of(resource: Resource) -> Option<Kind> {
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
        Resource::Endpoints => return None,
    })
}

/// `kind[.group]` as the name printer spells it: `pod`, `statefulset.apps`.
fn singular(resource: Resource) -> String {
    let kind = objects::kind_name(resource).to_lowercase();
    if resource.group().is_empty() {
        kind
    } else {
        format!("{kind}.{}", resource.group())
    }
}

/// An API error as kubectl prints it; `context` is e.g. `error when creating "file.yaml"`.
fn api_error(e: &ApiError, context: Option<&str>) -> String {
    let ctx = context.map(|c| format!("{c}: ")).unwrap_or_default();
    let invalid = |m: &str| {
        let m = m.replacen("StatefulSet.apps \"", "StatefulSet \"", 1);
        format!("The {m}")
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

/// One `---` document of a file: its first line (1-based) and its YAML value.
fn documents(text: &str) -> Vec<(usize, serde_yaml::Value)> {
    let mut docs = Vec::new();
    let mut start = 1;
    let mut body = String::new();
    let flush = |start: usize, body: &mut String, docs: &mut Vec<(usize, serde_yaml::Value)>| {
        let v: serde_yaml::Value = serde_yaml::from_str(body).unwrap_or(serde_yaml::Value::Null);
        docs.push((start, v));
        body.clear();
    };
    for (i, line) in text.lines().enumerate() {
        if line == "---" || line.starts_with("--- ") || line.starts_with("---#") {
            flush(start, &mut body, &mut docs);
            start = i + 2;
            continue;
        }
        body.push_str(line);
        body.push('\n');
    }
    flush(start, &mut body, &mut docs);
    docs
}

fn yaml_str(v: &serde_yaml::Value, path: &[&str]) -> String {
    let mut cur = v;
    for p in path {
        match cur.get(p) {
            Some(n) => cur = n,
            None => return String::new(),
        }
    }
    cur.as_str().unwrap_or_default().to_string()
}

fn to_yaml(v: &serde_json::Value) -> String {
    yaml::to_yaml(v)
}

fn to_json(v: &serde_json::Value) -> String {
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

fn list_value(items: Vec<serde_json::Value>) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "v1",
        "items": items,
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    })
}

/// A simple JSONPath (`{.status.readyReplicas}`, `{.spec.containers[0].image}`) on a value.
fn json_path<'a>(v: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    let inner = path.trim().trim_start_matches('{').trim_end_matches('}');
    let mut cur = v;
    for seg in inner.split('.').filter(|s| !s.is_empty()) {
        let (name, idx) = match seg.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (seg, None),
        };
        if !name.is_empty() {
            cur = cur.get(name)?;
        }
        if let Some(i) = idx {
            cur = cur.get(i)?;
        }
    }
    Some(cur)
}

/// Every value a path selects, with `[*]` fanning out over arrays.
fn json_path_all<'a>(v: &'a serde_json::Value, path: &str) -> Option<Vec<&'a serde_json::Value>> {
    let inner = path.trim().trim_start_matches('{').trim_end_matches('}');
    let mut cur = vec![v];
    for seg in inner.split('.').filter(|s| !s.is_empty()) {
        let (name, idx) = match seg.split_once('[') {
            Some((n, rest)) => (n, Some(rest.trim_end_matches(']'))),
            None => (seg, None),
        };
        let mut next = Vec::new();
        for c in cur {
            let c = if name.is_empty() { c } else { c.get(name)? };
            match idx {
                None => next.push(c),
                Some("*") => next.extend(c.as_array()?.iter()),
                Some(i) => next.push(c.get(i.parse::<usize>().ok()?)?),
            }
        }
        cur = next;
    }
    Some(cur)
}

/// `-o jsonpath=TEMPLATE`: literal text and `{path}` expressions; values of one expression
/// are joined with spaces; no trailing newline (as kubectl).
fn json_path_template(v: &serde_json::Value, template: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open].replace("\\n", "\n"));
        let Some(close) = rest[open..].find('}') else {
            return Err(format!(
                "error: error parsing jsonpath {template}, unclosed action"
            ));
        };
        let expr = &rest[open..open + close + 1];
        let vals = json_path_all(v, expr).ok_or_else(|| {
            format!("error: error executing jsonpath \"{template}\": Error executing template: {} is not found. Printing more information for debugging the template:", expr.trim_matches(|c| c == '{' || c == '}').trim_start_matches('.'))
        })?;
        out.push_str(
            &vals
                .iter()
                .map(|x| value_text(x))
                .collect::<Vec<_>>()
                .join(" "),
        );
        rest = &rest[open + close + 1..];
    }
    out.push_str(&rest.replace("\\n", "\n"));
    Ok(out)
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Shell {
    /// A shell on a fresh cluster, with the playground's files.
    pub fn new(config: ClusterConfig, files: BTreeMap<String, String>) -> Self {
        Shell {
            cluster: Cluster::new(config),
            files,
            current_file: None,
            pending: None,
            created_without_config: Default::default(),
            watch_limit_ms: DEFAULT_WATCH_LIMIT_MS,
            history: Default::default(),
        }
    }

    /// A shell on an existing cluster.
    pub fn with_cluster(cluster: Cluster, files: BTreeMap<String, String>) -> Self {
        Shell {
            cluster,
            files,
            current_file: None,
            pending: None,
            created_without_config: Default::default(),
            watch_limit_ms: DEFAULT_WATCH_LIMIT_MS,
            history: Default::default(),
        }
    }

    pub fn cluster(&self) -> &Cluster {
        &self.cluster
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

    /// Is a blocking command running?
    pub fn is_blocked(&self) -> bool {
        self.pending.is_some()
    }

    /// Runs a line to completion (the native runner): blocking commands drive the simulated
    /// clock themselves (see the module docs).
    pub fn run(&mut self, line: &str) -> Output {
        let mut out = self.start(line);
        if self.pending.is_some() {
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
        match cli::parse(line) {
            Err(e) => {
                out.err(&e.0);
                out.exit_code = if e.0.contains("command not found") {
                    127
                } else {
                    1
                };
            }
            Ok(cmd) => self.execute(cmd, line, &mut out),
        }
        if self.pending.is_none() {
            self.settle();
        }
        out.running = self.pending.is_some();
        out
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
    fn process(&mut self, out: &mut Output) -> bool {
        let Some(mut b) = self.pending.take() else {
            return true;
        };
        let entries: Vec<engine::WatchEntry> = self.cluster.watch_since(b.cursor).to_vec();
        b.cursor += entries.len();
        let mut done = false;
        match &mut b.job {
            Job::Watch {
                resource,
                names,
                selector,
                format,
            } => {
                for e in &entries {
                    if resource_of(&e.object) != *resource
                        || (!names.is_empty() && !names.contains(&e.name))
                    {
                        continue;
                    }
                    let at = engine::timestamp(e.at).0;
                    let (meta, table, name, value) = render_any(&e.object, at);
                    if !selector.matches(meta.labels.as_ref()) {
                        continue;
                    }
                    let ev = match e.event {
                        WatchEventType::Added => table::WatchEventType::Added,
                        WatchEventType::Modified => table::WatchEventType::Modified,
                        WatchEventType::Deleted => table::WatchEventType::Deleted,
                    };
                    match format {
                        WatchFormat::Table(p) => out.out(p.event(ev, &table)),
                        WatchFormat::Name => out.out(format!("{name}\n")),
                        WatchFormat::Yaml { printed } => {
                            if *printed > 0 {
                                out.out("---\n");
                            }
                            *printed += 1;
                            out.out(to_yaml(&value));
                        }
                        WatchFormat::Json => out.out(to_json(&value)),
                    }
                }
            }
            Job::RolloutStatus { name } => {
                for e in &entries {
                    if e.kind != Kind::StatefulSet || &e.name != name {
                        continue;
                    }
                    let AnyObject::StatefulSet(sts) = &e.object else {
                        continue;
                    };
                    if e.event == WatchEventType::Deleted {
                        out.fail(format!("error: {}", rollout::OBJECT_DELETED));
                        done = true;
                        break;
                    }
                    match rollout::statefulset_status(sts) {
                        rollout::RolloutStatus::Message { text, done: d } => {
                            out.out(text);
                            if d {
                                done = true;
                                break;
                            }
                        }
                        rollout::RolloutStatus::Error(m) => {
                            out.fail(format!("error: {m}"));
                            done = true;
                            break;
                        }
                    }
                }
            }
            Job::Wait {
                resource,
                pending,
                for_,
                ..
            } => {
                let (resource, for_) = (*resource, for_.clone());
                let mut still = Vec::new();
                for n in pending.drain(..) {
                    match self.condition(resource, &n, &for_) {
                        Some(line) => out.out(line),
                        None => still.push(n),
                    }
                }
                done = still.is_empty();
                *pending = still;
            }
            Job::Sleep { deadline } => done = self.cluster.now() >= *deadline,
            Job::Delete { targets } => {
                targets.retain(|(r, n, uid)| self.exists(*r, n, uid.as_deref()));
                done = targets.is_empty();
            }
        }
        if !done {
            self.pending = Some(b);
        }
        done
    }

    fn exists(&self, resource: Resource, name: &str, uid: Option<&str>) -> bool {
        let f = find(
            &self.cluster,
            resource,
            &[name.to_string()],
            &Selector::default(),
            now_ts(&self.cluster),
        );
        match f.values.first() {
            None => false,
            Some(v) => match uid {
                Some(u) => v["metadata"]["uid"].as_str() == Some(u),
                None => true,
            },
        }
    }

    /// `Some("pod/x condition met\n")` when the wait condition holds.
    fn condition(&self, resource: Resource, name: &str, for_: &WaitFor) -> Option<String> {
        let f = find(
            &self.cluster,
            resource,
            &[name.to_string()],
            &Selector::default(),
            now_ts(&self.cluster),
        );
        let met = format!("{}/{name} condition met\n", singular(resource));
        let Some(v) = f.values.first() else {
            return matches!(for_, WaitFor::Delete).then_some(met);
        };
        let ok = match for_ {
            WaitFor::Delete => false,
            WaitFor::Condition { name: c, value } => v["status"]["conditions"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|cond| {
                    cond["type"]
                        .as_str()
                        .is_some_and(|t| t.eq_ignore_ascii_case(c))
                        && cond["status"]
                            .as_str()
                            .is_some_and(|s| s.eq_ignore_ascii_case(value))
                }),
            WaitFor::JsonPath { path, value } => match (json_path(v, path), value) {
                (Some(found), Some(want)) => value_text(found) == *want,
                (Some(found), None) => !found.is_null(),
                (None, _) => false,
            },
        };
        ok.then_some(met)
    }

    fn block(&mut self, job: Job) {
        self.pending = Some(Blocking {
            job,
            cursor: self.cluster.watch_end(),
            started: self.cluster.now(),
        });
        self.hold_watch();
    }

    // ---- commands -----------------------------------------------------------------------

    fn execute(&mut self, cmd: Command, line: &str, out: &mut Output) {
        match cmd {
            Command::Apply { files } => self.apply_files(&files, false, out),
            Command::Create { files } => self.apply_files(&files, true, out),
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
            } => self.delete(&files, &selections, cascade, grace_period, force, wait, out),
            Command::Scale {
                resource,
                name,
                replicas,
            } => {
                if resource != Resource::StatefulSets {
                    out.fail(format!(
                        "error: cannot scale {}: only statefulsets are scalable in the playground",
                        resource.plural()
                    ));
                    return;
                }
                match self.cluster.scale(cli::NAMESPACE, &name, replicas) {
                    Ok(()) => out.out(format!("statefulset.apps/{name} scaled\n")),
                    Err(e) => out.fail(api_error(&e, None)),
                }
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
            } => {
                let mut pending = Vec::new();
                for n in names {
                    if !matches!(for_, WaitFor::Delete)
                        && find(
                            &self.cluster,
                            resource,
                            std::slice::from_ref(&n),
                            &Selector::default(),
                            now_ts(&self.cluster),
                        )
                        .values
                        .is_empty()
                    {
                        out.fail(not_found(resource, &n));
                        return;
                    }
                    pending.push(n);
                }
                let timeout = timeout_seconds
                    .unwrap_or(30)
                    .saturating_mul(1000)
                    .min(MAX_BLOCK_MS);
                self.block(Job::Wait {
                    resource,
                    pending,
                    for_,
                    deadline: self.cluster.now() + timeout,
                });
                self.process(out);
            }
            Command::Nslookup { name } => {
                let slices = objects::endpoint_slices(&self.cluster);
                let d = dns::Dns::new(self.cluster.store().list::<Service>(), slices.iter());
                let r = dns::nslookup(&d, &name, None, cli::NAMESPACE);
                out.out(r.stdout);
                out.exit_code = r.exit_code;
            }
            Command::Dig { .. } => {
                let words = cli::split_words(line).unwrap_or_default();
                let args: Vec<&str> = words.iter().skip(1).map(String::as_str).collect();
                let slices = objects::endpoint_slices(&self.cluster);
                let d = dns::Dns::new(self.cluster.store().list::<Service>(), slices.iter());
                let when = k8s_openapi::jiff::fmt::strtime::format(
                    "%a %b %d %H:%M:%S UTC %Y",
                    now_ts(&self.cluster),
                )
                .unwrap_or_default();
                let ctx = dns::DigContext {
                    when,
                    ..Default::default()
                };
                let r = dns::dig(&d, &args, cli::NAMESPACE, &ctx);
                out.out(r.stdout);
                out.exit_code = r.exit_code;
            }
            Command::Sleep { millis } => {
                let deadline = self.cluster.now().saturating_add(millis.min(MAX_BLOCK_MS));
                self.block(Job::Sleep { deadline });
                if millis == 0 {
                    self.pending = None;
                }
            }
        }
    }

    fn read_file(&self, path: &str) -> Result<(String, String), String> {
        if path == "-" {
            return match self.current_file.as_ref().and_then(|f| self.files.get(f)) {
                Some(t) => Ok(("STDIN".into(), t.clone())),
                None => Err("error: no objects passed to apply".into()),
            };
        }
        match self.files.get(path) {
            Some(t) => Ok((path.to_string(), t.clone())),
            None => Err(format!("error: the path \"{path}\" does not exist")),
        }
    }

    /// Parses a file into objects, printing kubectl's errors for documents that cannot be
    /// sent (unknown apiVersion, syntax, validation).
    fn objects_of(&self, label: &str, text: &str, verb: &str, out: &mut Output) -> Vec<Object> {
        let m = manifest::parse(text);
        let docs = documents(text);
        let doc_of = |line: usize| {
            docs.iter()
                .rev()
                .find(|(start, _)| *start <= line)
                .map(|(_, v)| v.clone())
                .unwrap_or(serde_yaml::Value::Null)
        };
        let mut seen_docs: Vec<usize> = Vec::new();
        let mut errors = Vec::new();
        for d in m.diagnostics.iter() {
            let doc_index = docs
                .iter()
                .rposition(|(start, _)| *start <= d.line)
                .unwrap_or(0);
            let doc = doc_of(d.line);
            let kind = yaml_str(&doc, &["kind"]);
            let name = yaml_str(&doc, &["metadata", "name"]);
            let api = yaml_str(&doc, &["apiVersion"]);
            let ns = yaml_str(&doc, &["metadata", "namespace"]);
            if d.severity != Severity::Error {
                if d.message.contains("not simulated") {
                    errors.push(format!(
                        "error: resource mapping not found for name: \"{name}\" namespace: \"{ns}\" from \"{label}\": kind \"{kind}\" in version \"{api}\" is not simulated by the playground"
                    ));
                }
                continue;
            }
            if seen_docs.contains(&doc_index) {
                // one error per object, as the server reports it
                if let Some(last) = errors.last_mut() {
                    if last.starts_with("The ") && !d.message.starts_with("no matches") {
                        last.push_str(&format!(", {}", d.message));
                    }
                }
                continue;
            }
            seen_docs.push(doc_index);
            let msg = &d.message;
            errors.push(if msg.starts_with("no matches for kind") {
                let cut = msg.split(": Kubernetes").next().unwrap_or(msg);
                format!(
                    "error: resource mapping not found for name: \"{name}\" namespace: \"{ns}\" from \"{label}\": {cut}\nensure CRDs are installed first"
                )
            } else if let Some(y) = msg.strip_prefix("YAML syntax: ") {
                format!("error: error parsing {label}: error converting YAML to JSON: yaml: {y}")
            } else if msg.starts_with("strict decoding error") {
                format!(
                    "Error from server (BadRequest): error when {verb} \"{label}\": {kind} in version \"{}\" cannot be handled as a {kind}: {msg}",
                    api.rsplit('/').next().unwrap_or(&api)
                )
            } else if msg.starts_with("error validating data") {
                format!("error: error validating \"{label}\": {msg}; if you choose to ignore these errors, turn validation off with --validate=false")
            } else {
                format!("The {kind} \"{name}\" is invalid: {msg}")
            });
        }
        for e in errors {
            out.fail(e);
        }
        m.objects.into_iter().map(|p| p.object).collect()
    }

    fn apply_files(&mut self, files: &[String], create: bool, out: &mut Output) {
        let verb = if create { "creating" } else { "applying" };
        let mut errors = Output::default();
        for path in files {
            let (label, text) = match self.read_file(path) {
                Ok(f) => f,
                Err(e) => {
                    out.fail(e);
                    return;
                }
            };
            let objs = self.objects_of(&label, &text, "creating", &mut errors);
            for obj in objs {
                if create && self.object_exists(&obj) {
                    errors.fail(format!(
                        "Error from server (AlreadyExists): error when creating \"{label}\": {} \"{}\" already exists",
                        object_resource(&obj),
                        obj.name()
                    ));
                    continue;
                }
                let reference = obj.reference();
                let key = format!("{}/{}", object_resource(&obj), obj.name());
                let exists = self.object_exists(&obj);
                if !exists {
                    self.created_without_config.remove(&key);
                }
                let missing_config = !create && exists && self.created_without_config.remove(&key);
                if missing_config {
                    out.err(format!("Warning: resource {key} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically."));
                }
                match self.cluster.apply(obj) {
                    Ok(o) => {
                        if create {
                            self.created_without_config.insert(key);
                        }
                        // patching in the annotation is a change of its own
                        let o = if missing_config {
                            "configured"
                        } else {
                            o.as_str()
                        };
                        out.out(format!("{reference} {o}\n"))
                    }
                    Err(e) => errors.fail(api_error(
                        &e,
                        Some(&format!("error when {verb} \"{label}\"")),
                    )),
                }
            }
        }
        out.extend(errors);
    }

    fn object_exists(&self, obj: &Object) -> bool {
        let s = self.cluster.store();
        let n = obj.name();
        let ns = obj
            .metadata()
            .namespace
            .clone()
            .unwrap_or_else(|| cli::NAMESPACE.into());
        match obj {
            Object::StatefulSet(_) => s.get::<StatefulSet>(&ns, n).is_some(),
            Object::Service(_) => s.get::<Service>(&ns, n).is_some(),
            Object::PersistentVolume(_) => s.get::<PersistentVolume>("", n).is_some(),
            Object::PersistentVolumeClaim(_) => s.get::<PersistentVolumeClaim>(&ns, n).is_some(),
            Object::StorageClass(_) => s
                .get::<k8s_openapi::api::storage::v1::StorageClass>("", n)
                .is_some(),
        }
    }

    fn get(
        &mut self,
        selections: &[cli::Selection],
        format: &cli::Output,
        selector: Option<&str>,
        options: PrintOptions,
        (watch, watch_only, watch_events): (bool, bool, bool),
        out: &mut Output,
    ) {
        let selector = match selector.map(Selector::parse).transpose() {
            Ok(s) => s.unwrap_or_default(),
            Err(e) => {
                out.fail(e);
                return;
            }
        };
        if watch && selections.len() != 1 {
            out.fail("error: watch is only supported on individual resources and resource collections, but a list of resources is found");
            return;
        }
        let now = now_ts(&self.cluster);
        let mut tables = Vec::new();
        let mut refs = Vec::new();
        let mut values = Vec::new();
        let mut missing = Vec::new();
        let mut namespaced = false;
        for sel in selections {
            if sel.resource == Resource::Endpoints {
                out.err("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice");
            }
            namespaced |= sel.resource.namespaced();
            let f = find(&self.cluster, sel.resource, &sel.names, &selector, now);
            missing.extend(f.missing.iter().map(|n| not_found(sel.resource, n)));
            tables.push(f.table);
            refs.extend(f.refs);
            values.extend(f.values);
        }
        let asked_names = selections.iter().any(|s| !s.names.is_empty());
        if watch {
            let sel = &selections[0];
            if !missing.is_empty() {
                for m in missing {
                    out.fail(m);
                }
                return;
            }
            let mut wf = match format {
                cli::Output::Name => WatchFormat::Name,
                cli::Output::Yaml => WatchFormat::Yaml { printed: 0 },
                cli::Output::Json => WatchFormat::Json,
                _ => WatchFormat::Table(Box::new(WatchPrinter::new(options, watch_events))),
            };
            if !watch_only {
                match &mut wf {
                    WatchFormat::Table(p) => out.out(p.initial(&tables[0])),
                    WatchFormat::Name => {
                        out.out(refs.iter().map(|r| format!("{r}\n")).collect::<String>())
                    }
                    WatchFormat::Yaml { printed } => {
                        for v in &values {
                            if *printed > 0 {
                                out.out("---\n");
                            }
                            *printed += 1;
                            out.out(to_yaml(v));
                        }
                    }
                    WatchFormat::Json => {
                        for v in &values {
                            out.out(to_json(v));
                        }
                    }
                }
            }
            self.block(Job::Watch {
                resource: sel.resource,
                names: sel.names.clone(),
                selector,
                format: wf,
            });
            return;
        }
        let total: usize = tables.iter().map(|t| t.rows.len()).sum();
        if total > 0 {
            match format {
                cli::Output::Name => {
                    out.out(refs.iter().map(|r| format!("{r}\n")).collect::<String>())
                }
                cli::Output::Yaml | cli::Output::Json => {
                    let single = asked_names
                        && values.len() == 1
                        && selections.len() == 1
                        && selections[0].names.len() == 1;
                    let v = if single {
                        values.remove(0)
                    } else {
                        list_value(values)
                    };
                    out.out(if *format == cli::Output::Yaml {
                        to_yaml(&v)
                    } else {
                        to_json(&v)
                    });
                }
                cli::Output::JsonPath(template) => {
                    let single = asked_names && values.len() == 1;
                    let v = if single {
                        values.remove(0)
                    } else {
                        list_value(values)
                    };
                    match json_path_template(&v, template) {
                        Ok(t) => out.out(t),
                        Err(e) => out.fail(e),
                    }
                }
                _ => {
                    let mut kinds: Vec<Resource> = selections.iter().map(|s| s.resource).collect();
                    kinds.sort();
                    kinds.dedup();
                    // kubectl prefixes NAME with the kind whenever several types were asked
                    // for, even if only one of them has objects.
                    let options = PrintOptions {
                        with_kind: kinds.len() > 1,
                        ..options
                    };
                    out.out(table::render_all(&tables, &options))
                }
            }
        } else if !asked_names {
            let ns = (namespaced && !options.with_namespace).then_some(cli::NAMESPACE);
            out.err(table::no_resources_found(ns));
        }
        for m in missing {
            out.fail(m);
        }
    }

    fn events_for(&self, kind: &str, meta: &ObjectMeta) -> Vec<Event> {
        self.cluster.events_where(|e| {
            e.involved_kind() == kind
                && meta.name.as_deref() == Some(e.involved_name())
                && (e.involved_uid().is_none()
                    || meta.uid.is_none()
                    || e.involved_uid() == meta.uid.as_deref())
        })
    }

    fn describe(&mut self, resource: Resource, names: &[String], out: &mut Output) {
        let now = now_ts(&self.cluster);
        let f = find(&self.cluster, resource, names, &Selector::default(), now);
        let store = self.cluster.store();
        let pods: Vec<Pod> = store.list_in::<Pod>(cli::NAMESPACE).cloned().collect();
        let mut texts = Vec::new();
        for v in &f.values {
            fn typed<T: DeserializeOwned>(v: &serde_json::Value) -> Option<T> {
                // Decoded by the manifest parser's deserializer, so the page carries one copy
                // of each type's Deserialize code (SIZE.md).
                manifest::from_json_value(v)
            }
            let text = match resource {
                Resource::StatefulSets => typed::<StatefulSet>(v).map(|o| {
                    let ev = self.events_for("StatefulSet", &o.metadata);
                    describe::describe_statefulset(&o, &pods, Some(&ev), now)
                }),
                Resource::Pods => typed::<Pod>(v).map(|o| {
                    let ev = self.events_for("Pod", &o.metadata);
                    describe::describe_pod(&o, Some(&ev), now)
                }),
                Resource::PersistentVolumeClaims => typed::<PersistentVolumeClaim>(v).map(|o| {
                    let ev = self.events_for("PersistentVolumeClaim", &o.metadata);
                    describe::describe_pvc(&o, &pods, Some(&ev), now)
                }),
                Resource::PersistentVolumes => typed::<PersistentVolume>(v).map(|o| {
                    let ev = self.events_for("PersistentVolume", &o.metadata);
                    describe::describe_pv(&o, Some(&ev), now)
                }),
                Resource::Services => typed::<Service>(v).map(|o| {
                    let slices: Vec<EndpointSlice> = objects::endpoint_slices(&self.cluster)
                        .into_iter()
                        .filter(|s| {
                            s.metadata
                                .labels
                                .as_ref()
                                .and_then(|l| l.get("kubernetes.io/service-name"))
                                == o.metadata.name.as_ref()
                        })
                        .collect();
                    let ev = self.events_for("Service", &o.metadata);
                    describe::describe_service(&o, &slices, Some(&ev), now)
                }),
                _ => {
                    out.fail(format!(
                        "error: the playground describes statefulsets, pods, persistentvolumeclaims, persistentvolumes and services, not {}",
                        resource.plural()
                    ));
                    return;
                }
            };
            texts.extend(text);
        }
        out.out(texts.join("\n\n"));
        if texts.is_empty() && names.is_empty() {
            let ns = resource.namespaced().then_some(cli::NAMESPACE);
            out.err(table::no_resources_found(ns));
        }
        for m in &f.missing {
            out.fail(not_found(resource, m));
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn delete(
        &mut self,
        files: &[String],
        selections: &[cli::Selection],
        cascade: Cascade,
        grace_period: Option<i64>,
        force: bool,
        wait: bool,
        out: &mut Output,
    ) {
        let mut grace = grace_period;
        if grace == Some(0) && !force {
            grace = Some(1);
        }
        if force && grace.is_none_or(|g| g < 0) {
            grace = Some(0);
        }
        let options = DeleteOptions {
            propagation: match cascade {
                Cascade::Background => Propagation::Background,
                Cascade::Foreground => Propagation::Foreground,
                Cascade::Orphan => Propagation::Orphan,
            },
            grace_period: grace,
            force,
        };
        if force {
            out.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.");
        }
        let mut targets: Vec<(Resource, String, Option<String>)> = Vec::new();
        let mut errors = Output::default();
        for path in files {
            let (label, text) = match self.read_file(path) {
                Ok(f) => f,
                Err(e) => {
                    out.fail(e);
                    return;
                }
            };
            for obj in self.objects_of(&label, &text, "deleting", &mut errors) {
                let resource = match obj {
                    Object::StatefulSet(_) => Resource::StatefulSets,
                    Object::Service(_) => Resource::Services,
                    Object::PersistentVolume(_) => Resource::PersistentVolumes,
                    Object::PersistentVolumeClaim(_) => Resource::PersistentVolumeClaims,
                    Object::StorageClass(_) => Resource::StorageClasses,
                };
                targets.push((resource, obj.name().to_string(), Some(label.clone())));
            }
        }
        for sel in selections {
            for n in &sel.names {
                targets.push((sel.resource, n.clone(), None));
            }
        }
        let mut waiting = Vec::new();
        for (resource, name, file) in targets {
            let Some(kind) = kind_of(resource) else {
                // Endpoints are derived from the Service: deleting them is accepted and the
                // endpoints controller writes them again at once.
                if self.exists(resource, &name, None) {
                    out.out(format!(
                        "{}\n",
                        printers::deleted_line(
                            "endpoints",
                            &name,
                            Some(cli::NAMESPACE),
                            grace == Some(0)
                        )
                    ));
                } else {
                    errors.fail(not_found(resource, &name));
                }
                continue;
            };
            let uid = find(
                &self.cluster,
                resource,
                std::slice::from_ref(&name),
                &Selector::default(),
                now_ts(&self.cluster),
            )
            .values
            .first()
            .and_then(|v| v["metadata"]["uid"].as_str().map(str::to_string));
            match self.cluster.delete(kind, cli::NAMESPACE, &name, options) {
                Ok(_) => {
                    let ns = resource.namespaced().then_some(cli::NAMESPACE);
                    out.out(format!(
                        "{}\n",
                        printers::deleted_line(&singular(resource), &name, ns, grace == Some(0))
                    ));
                    waiting.push((resource, name, uid));
                }
                Err(e) => {
                    let ctx = file.map(|f| format!("error when deleting \"{f}\""));
                    errors.fail(api_error(&e, ctx.as_deref()));
                }
            }
        }
        out.extend(errors);
        if wait && !waiting.is_empty() {
            self.block(Job::Delete { targets: waiting });
            self.process(out);
        }
    }

    fn statefulset(&self, name: &str) -> Option<StatefulSet> {
        self.cluster
            .store()
            .get::<StatefulSet>(cli::NAMESPACE, name)
            .cloned()
    }

    fn rollout(&mut self, action: Rollout, resource: Resource, name: &str, out: &mut Output) {
        if resource != Resource::StatefulSets {
            out.fail(format!(
                "error: no {} has been implemented for {{\"{}\" \"{}\"}}",
                match action {
                    Rollout::Status => "status viewer",
                    Rollout::History { .. } => "history viewer",
                    Rollout::Undo { .. } => "rollbacker",
                    Rollout::Restart => "restarter",
                },
                resource.group(),
                objects::kind_name(resource)
            ));
            return;
        }
        let Some(sts) = self.statefulset(name) else {
            out.fail(not_found(resource, name));
            return;
        };
        let revisions: Vec<ControllerRevision> = self
            .cluster
            .store()
            .list_in::<ControllerRevision>(cli::NAMESPACE)
            .cloned()
            .collect();
        match action {
            Rollout::Status => {
                self.block(Job::RolloutStatus {
                    name: name.to_string(),
                });
                // kubectl first sees the object as an ADDED event.
                match rollout::statefulset_status(&sts) {
                    rollout::RolloutStatus::Message { text, done } => {
                        out.out(text);
                        if done {
                            self.pending = None;
                        }
                    }
                    rollout::RolloutStatus::Error(m) => {
                        out.fail(format!("error: {m}"));
                        self.pending = None;
                    }
                }
            }
            Rollout::History { revision } => {
                match rollout::statefulset_history(&sts, &revisions, revision) {
                    Ok(t) => out.out(t),
                    Err(e) => out.fail(format!("error: {e}")),
                }
            }
            Rollout::Undo { to_revision } => {
                let mut history: Vec<&ControllerRevision> = revisions
                    .iter()
                    .filter(|r| rollout::is_controlled_by(r, &sts))
                    .collect();
                history.sort_by_key(|r| r.revision);
                let to = to_revision.unwrap_or(0);
                if to == 0 && history.len() <= 1 {
                    out.fail("error: no last revision to roll back to");
                    return;
                }
                let target = if to == 0 {
                    history.get(history.len() - 2).copied()
                } else {
                    history.iter().find(|r| r.revision == to).copied()
                };
                let Some(template) = target.and_then(rollout::revision_template) else {
                    out.fail(format!(
                        "error: unable to find specified revision {to} in history"
                    ));
                    return;
                };
                let mut new = sts.clone();
                let spec = new.spec.get_or_insert_with(Default::default);
                if objects::to_value(&spec.template) == objects::to_value(&template) {
                    out.out(format!(
                        "statefulset.apps/{name} skipped rollback (current template already matches revision {to})\n"
                    ));
                    return;
                }
                spec.template = template;
                self.apply_statefulset(new, "rolled back", out);
            }
            Rollout::Restart => {
                let mut new = sts.clone();
                let spec = new.spec.get_or_insert_with(Default::default);
                let at = k8s_openapi::jiff::fmt::strtime::format(
                    "%Y-%m-%dT%H:%M:%SZ",
                    now_ts(&self.cluster),
                )
                .unwrap_or_default();
                spec.template
                    .metadata
                    .get_or_insert_with(Default::default)
                    .annotations
                    .get_or_insert_with(Default::default)
                    .insert("kubectl.kubernetes.io/restartedAt".into(), at);
                self.apply_statefulset(new, "restarted", out);
            }
        }
    }

    fn apply_statefulset(&mut self, sts: StatefulSet, verb: &str, out: &mut Output) {
        let name = sts.metadata.name.clone().unwrap_or_default();
        match self.cluster.apply(Object::StatefulSet(sts)) {
            Ok(_) => out.out(format!("statefulset.apps/{name} {verb}\n")),
            Err(e) => out.fail(api_error(&e, None)),
        }
    }

    fn set_image(
        &mut self,
        resource: Resource,
        name: &str,
        images: &[(String, String)],
        out: &mut Output,
    ) {
        if resource != Resource::StatefulSets {
            out.fail(format!(
                "error: the playground sets images on statefulsets, not {}",
                resource.plural()
            ));
            return;
        }
        let Some(mut sts) = self.statefulset(name) else {
            out.fail(not_found(resource, name));
            return;
        };
        let spec = sts.spec.get_or_insert_with(Default::default);
        let pod = spec.template.spec.get_or_insert_with(Default::default);
        for (container, image) in images {
            let mut matched = false;
            for c in pod
                .init_containers
                .iter_mut()
                .flatten()
                .chain(pod.containers.iter_mut())
            {
                if container == "*" || &c.name == container {
                    c.image = Some(image.clone());
                    matched = true;
                }
            }
            if !matched {
                out.fail(format!(
                    "error: unable to find container named \"{container}\""
                ));
                return;
            }
        }
        self.apply_statefulset(sts, "image updated", out);
    }

    fn patch(
        &mut self,
        resource: Resource,
        name: &str,
        patch_text: &str,
        strategic: bool,
        out: &mut Output,
    ) {
        let patch: serde_json::Value = match serde_yaml::from_str(patch_text) {
            Ok(v) => v,
            Err(e) => {
                out.fail(format!("error: unable to parse \"{patch_text}\": {e}"));
                return;
            }
        };
        let now = now_ts(&self.cluster);
        let f = find(
            &self.cluster,
            resource,
            &[name.to_string()],
            &Selector::default(),
            now,
        );
        let Some(old) = f.values.first().cloned() else {
            out.fail(not_found(resource, name));
            return;
        };
        let mut new = old.clone();
        patch::merge_patch(&mut new, &patch, strategic);
        let new = objects::sorted(new);
        let line = |verb: &str| format!("{}/{name} {verb}\n", singular(resource));
        if new == old {
            out.out(line("patched (no change)"));
            return;
        }
        // The patched object is decoded by the manifest parser's deserializer (one copy of the
        // Deserialize code in the page, SIZE.md); the patch itself was already checked as JSON.
        fn decode<T: DeserializeOwned>(v: &serde_json::Value) -> Result<T, String> {
            manifest::from_json_value(v)
                .ok_or_else(|| "error: unable to decode the patched object".to_string())
        }
        fn apply(cluster: &mut Cluster, object: Result<Object, String>) -> Result<(), String> {
            cluster
                .apply(object?)
                .map(|_| ())
                .map_err(|e| api_error(&e, None))
        }
        let result: Result<(), String> = (|| match resource {
            Resource::StatefulSets => {
                apply(&mut self.cluster, decode(&new).map(Object::StatefulSet))
            }
            Resource::Services => apply(&mut self.cluster, decode(&new).map(Object::Service)),
            Resource::PersistentVolumes => apply(
                &mut self.cluster,
                decode(&new).map(Object::PersistentVolume),
            ),
            Resource::PersistentVolumeClaims => apply(
                &mut self.cluster,
                decode(&new).map(Object::PersistentVolumeClaim),
            ),
            Resource::Pods | Resource::Nodes => {
                // Only metadata (and a node's spec.unschedulable) may change.
                let mut rest_old = old.clone();
                let mut rest_new = new.clone();
                for v in [&mut rest_old, &mut rest_new] {
                    if let Some(m) = v.get_mut("metadata").and_then(|m| m.as_object_mut()) {
                        m.remove("labels");
                        m.remove("annotations");
                    }
                    if let Some(s) = v.get_mut("spec").and_then(|m| m.as_object_mut()) {
                        s.remove("unschedulable");
                    }
                }
                if rest_old != rest_new {
                    return Err(if resource == Resource::Pods {
                        format!("The Pod \"{name}\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)")
                    } else {
                        "error: the playground patches a node's labels, annotations and spec.unschedulable only".to_string()
                    });
                }
                let kind = kind_of(resource).unwrap_or(Kind::Pod);
                for (field, annotation) in [("labels", false), ("annotations", true)] {
                    let get = |v: &serde_json::Value| -> BTreeMap<String, String> {
                        serde_json::from_value(v["metadata"][field].clone()).unwrap_or_default()
                    };
                    let (o, n) = (get(&old), get(&new));
                    for k in o
                        .keys()
                        .chain(n.keys())
                        .collect::<std::collections::BTreeSet<_>>()
                    {
                        if o.get(k) != n.get(k) {
                            let value = n.get(k).map(String::as_str);
                            let r = if annotation {
                                self.cluster
                                    .set_annotation(kind, cli::NAMESPACE, name, k, value)
                            } else {
                                self.cluster.set_label(kind, cli::NAMESPACE, name, k, value)
                            };
                            r.map_err(|e| api_error(&e, None))?;
                        }
                    }
                }
                if resource == Resource::Nodes {
                    let u = new["spec"]["unschedulable"].as_bool().unwrap_or(false);
                    self.set_unschedulable(name, u);
                }
                Ok(())
            }
            _ => Err(format!(
                "error: the playground does not patch {}",
                resource.plural()
            )),
        })();
        match result {
            Ok(()) => out.out(line("patched")),
            Err(e) => out.fail(e),
        }
    }

    fn label(
        &mut self,
        resource: Resource,
        name: &str,
        changes: &[KeyChange],
        overwrite: bool,
        annotation: bool,
        out: &mut Output,
    ) {
        let now = now_ts(&self.cluster);
        let f = find(
            &self.cluster,
            resource,
            &[name.to_string()],
            &Selector::default(),
            now,
        );
        let Some(obj) = f.values.first() else {
            out.fail(not_found(resource, name));
            return;
        };
        let Some(kind) = kind_of(resource) else {
            out.fail(format!(
                "error: the playground cannot label {}",
                resource.plural()
            ));
            return;
        };
        let field = if annotation { "annotations" } else { "labels" };
        let current: BTreeMap<String, String> =
            serde_json::from_value(obj["metadata"][field].clone()).unwrap_or_default();
        // validate first: kubectl changes nothing when one key would be overwritten
        for c in changes {
            if let KeyChange::Set(k, v) = c {
                if let Some(old) = current.get(k) {
                    if old != v && !overwrite {
                        out.fail(format!(
                            "error: '{k}' already has a value ({old}), and --overwrite is false"
                        ));
                        return;
                    }
                }
            }
        }
        let mut changed = false;
        for c in changes {
            let (k, v) = match c {
                KeyChange::Set(k, v) => {
                    if current.get(k) == Some(v) {
                        continue;
                    }
                    (k, Some(v.as_str()))
                }
                KeyChange::Remove(k) => {
                    if !current.contains_key(k) {
                        if !annotation {
                            out.out(format!("label \"{k}\" not found.\n"));
                        }
                        continue;
                    }
                    (k, None)
                }
            };
            let r = if annotation {
                self.cluster
                    .set_annotation(kind, cli::NAMESPACE, name, k, v)
            } else {
                self.cluster.set_label(kind, cli::NAMESPACE, name, k, v)
            };
            if let Err(e) = r {
                out.fail(api_error(&e, None));
                return;
            }
            changed = true;
        }
        let verb = match (annotation, changed) {
            (false, true) => "labeled",
            (false, false) => "not labeled",
            (true, true) => "annotated",
            (true, false) => "not annotated",
        };
        out.out(format!("{}/{name} {verb}\n", singular(resource)));
    }

    /// Sets `spec.unschedulable` on a node. The engine has no command for it yet, so this
    /// writes through the store directly (see the report: not in the command log).
    fn set_unschedulable(&mut self, name: &str, unschedulable: bool) {
        let _ = self.cluster.cordon(name, unschedulable);
    }

    fn cordon(&mut self, node: &str, uncordon: bool, out: &mut Output) {
        let Some(n) = self.cluster.store().get::<Node>("", node) else {
            out.fail(not_found(Resource::Nodes, node));
            return;
        };
        let is = n
            .spec
            .as_ref()
            .and_then(|s| s.unschedulable)
            .unwrap_or(false);
        let verb = if uncordon { "uncordoned" } else { "cordoned" };
        if is != uncordon {
            out.out(format!("node/{node} already {verb}\n"));
            return;
        }
        self.set_unschedulable(node, !uncordon);
        out.out(format!("node/{node} {verb}\n"));
    }

    // ---- completion ---------------------------------------------------------------------

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
            return strs(&["kubectl", "nslookup", "dig", "sleep"]);
        };
        if program == "nslookup" || program == "dig" {
            return self.dns_names();
        }
        if program != "kubectl" && program != "k" {
            return Vec::new();
        }
        let positional: Vec<&String> = done[1..].iter().filter(|w| !w.starts_with('-')).collect();
        let Some(verb) = positional.first().map(|s| s.as_str()) else {
            return strs(&[
                "annotate", "apply", "cordon", "create", "delete", "describe", "get", "label",
                "patch", "rollout", "scale", "set", "uncordon", "wait",
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
            "rollout" => match positional.get(1) {
                None => strs(&["history", "restart", "status", "undo"]),
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
            "get" | "describe" | "delete" | "label" | "annotate" | "scale" | "wait" | "patch" => {
                match positional.get(1) {
                    None => kinds(),
                    Some(kind) if !kind.contains('/') => {
                        objects_of(kind.split(',').next().unwrap_or(kind), false)
                    }
                    Some(_) => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }

    fn dns_names(&self) -> Vec<String> {
        let mut out = Vec::new();
        for svc in self.cluster.store().list::<Service>() {
            let Some(name) = svc.metadata.name.clone() else {
                continue;
            };
            out.push(name.clone());
            out.push(format!("{name}.default.svc.cluster.local"));
            for pod in self.cluster.store().list_in::<Pod>(cli::NAMESPACE) {
                let sub = pod.spec.as_ref().and_then(|s| s.subdomain.as_ref());
                if sub == Some(&name) {
                    if let Some(h) = pod.spec.as_ref().and_then(|s| s.hostname.clone()) {
                        out.push(format!("{h}.{name}"));
                    }
                }
            }
        }
        out
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

/// The API resource name of an object, for AlreadyExists messages.
fn object_resource(obj: &Object) -> &'static str {
    match obj {
        Object::StatefulSet(_) => "statefulsets.apps",
        Object::Service(_) => "services",
        Object::PersistentVolume(_) => "persistentvolumes",
        Object::PersistentVolumeClaim(_) => "persistentvolumeclaims",
        Object::StorageClass(_) => "storageclasses.storage.k8s.io",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::MONGODB;

    fn shell() -> Shell {
        let files = MONGODB
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        Shell::new(ClusterConfig::default(), files)
    }

    fn seeded() -> Shell {
        let mut sh = shell();
        for line in [
            "kubectl apply -f pv-demo.yaml",
            "kubectl create -f mongo-service.yaml",
            "kubectl apply -f mongo-sts.yaml",
        ] {
            assert_eq!(sh.run(line).exit_code, 0, "{line}");
        }
        sh
    }

    #[test]
    fn stdout_and_stderr_keep_their_order() {
        let mut sh = seeded();
        let out = sh.run("kubectl get endpoints");
        assert_eq!(out.chunks[0].0, Stream::Stderr);
        assert!(out.chunks[0]
            .1
            .starts_with("Warning: v1 Endpoints is deprecated"));
        assert_eq!(out.chunks[1].0, Stream::Stdout);
        assert!(out.text().starts_with("Warning:"));
        let out = sh.run("kubectl get pods nope");
        assert_eq!(out.exit_code, 1);
        assert_eq!(out.stdout(), "");
        assert_eq!(
            out.stderr(),
            "Error from server (NotFound): pods \"nope\" not found\n"
        );
    }

    #[test]
    fn blocking_commands_can_be_polled_and_cancelled() {
        let mut sh = seeded();
        let first = sh.start("kubectl rollout status sts/mongo");
        assert!(first.running && sh.is_blocked());
        assert_eq!(first.text(), "Waiting for 3 pods to be ready...\n");
        // one simulated second at a time, as the browser's timer would
        let mut text = first.text();
        let mut t = sh.cluster().now();
        let mut finished = false;
        for _ in 0..120 {
            t += 1000;
            let o = sh.poll(t);
            text.push_str(&o.text());
            assert_eq!(sh.cluster().now(), t, "poll advances the clock to `until`");
            if !o.running {
                finished = true;
                break;
            }
        }
        assert!(finished, "{text}");
        assert!(text.ends_with("partitioned roll out complete: 3 new pods have been updated...\n"));
        // the same command run synchronously prints the same lines
        let mut other = seeded();
        assert_eq!(other.run("kubectl rollout status sts/mongo").text(), text);

        // get -w: Ctrl+C ends it with 130
        let w = sh.start("kubectl get pods -w");
        assert!(w.running);
        let c = sh.cancel();
        assert_eq!(c.exit_code, 130);
        assert!(!sh.is_blocked());
    }

    #[test]
    fn wait_times_out_at_its_deadline_when_polled() {
        let mut sh = seeded();
        let start = sh.cluster().now();
        let o = sh.start(
            "kubectl wait --for=jsonpath='{.status.readyReplicas}'=9 sts/mongo --timeout=5s",
        );
        assert!(o.running);
        let o = sh.poll(start + 4_000);
        assert!(o.running);
        let o = sh.poll(start + 6_000);
        assert!(!o.running);
        assert_eq!(o.exit_code, 1);
        assert_eq!(
            o.text(),
            "error: timed out waiting for the condition on statefulsets/mongo\n"
        );
    }

    /// `kubectl get pods -w` prints every change even when the cluster keeps only a few
    /// watch entries: the shell holds what it has not printed yet.
    #[test]
    fn a_watch_prints_every_change_even_with_a_short_watch_history() {
        let burst = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  podManagementPolicy: Parallel\n  replicas: 40\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n";
        let watched = |watch_history: usize| {
            let config = ClusterConfig {
                watch_history,
                ..Default::default()
            };
            let mut sh = Shell::new(config, BTreeMap::new());
            let o = sh.start("kubectl get pods -w --output-watch-events");
            assert!(o.running);
            sh.cluster_mut().apply_yaml(burst).unwrap();
            // The cluster runs on without the shell reading (as the UI's step button does).
            for _ in 0..100 {
                sh.cluster_mut().step();
            }
            let o = sh.poll(sh.cluster().now() + 60_000);
            (o.text(), sh.cluster().watch_log().len())
        };
        let (short, kept) = watched(4);
        let (full, all) = watched(usize::MAX);
        assert!(
            kept < all / 4,
            "the short history was not trimmed ({kept} of {all})"
        );
        assert_eq!(short.matches("ADDED").count(), 40);
        assert!(short.matches("MODIFIED").count() >= 40 * 3);
        assert_eq!(short, full);
    }

    #[test]
    fn get_watch_stops_at_the_watch_limit_when_the_cluster_never_idles() {
        let mut sh = seeded();
        sh.watch_limit_ms = 2_000;
        let start = sh.cluster().now();
        let out = sh.run("kubectl get pods -w");
        assert!(!out.running);
        assert_eq!(sh.cluster().now(), start + 2_000);
    }

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
    }

    #[test]
    fn apply_from_the_editor_and_bad_input_never_panic() {
        let mut sh = shell();
        sh.set_current_file(Some("mongo-service.yaml".into()));
        assert_eq!(
            sh.run("kubectl apply -f -").text(),
            "service/mongo created\n"
        );
        assert_eq!(
            sh.run("kubectl apply -f -").text(),
            "service/mongo unchanged\n"
        );
        sh.set_file("bad.yaml", "apiVersion: v1\nkind: Service\nmetadata: [\n");
        let o = sh.run("kubectl apply -f bad.yaml");
        assert_eq!(o.exit_code, 1);
        assert!(
            o.text().starts_with("error: error parsing bad.yaml"),
            "{}",
            o.text()
        );
        for line in [
            "",
            "kubectl",
            "kubectl get",
            "kubectl patch sts nope -p '{'",
            "kubectl patch svc mongo -p '{not json'",
            "kubectl get pods -l 'a in (b'",
            "kubectl rollout undo sts/mongo",
            "kubectl wait --for=delete pod/none",
            "dig",
            "nslookup",
            "kubectl get pods -o jsonpath='{.items[9].x}'",
            "kubectl label endpoints mongo a=b",
            "kubectl delete endpoints mongo",
        ] {
            let _ = sh.run(line);
        }
    }
}

#[cfg(test)]
mod sleep_tests {
    use super::*;

    #[test]
    fn sleep_blocks_until_its_simulated_time_has_passed() {
        let mut sh = Shell::default();
        let o = sh.start("sleep 10");
        assert!(o.running);
        assert!(sh.poll(5_000).running);
        assert!(!sh.poll(10_000).running);
        assert_eq!(sh.cluster().now(), 10_000);
        sh.run("sleep 2.5");
        assert_eq!(sh.cluster().now(), 12_500);
    }
}
