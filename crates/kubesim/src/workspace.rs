//! Workspaces: the whole state of a playground page, to share as a link or a file.
//!
//! A [`Workspace`] holds the manifest files, the cluster (profile and node count), the modelled
//! Kubernetes version, what the console ran and when (as a session: `$ COMMAND` lines with
//! `$ sleep N` for the gaps, the format `kubesim run` reads), the instant the clock showed, the
//! clock speed and the selected tab. The engine is deterministic, so running that session on a
//! fresh cluster rebuilds the same cluster history, event for event ([`replay`]).
//!
//! # The bundle (format version 1)
//!
//! [`encode`] writes readable JSON:
//!
//! ```json
//! {
//!   "format": "statefulset-playground/workspace",
//!   "version": 1,
//!   "kubernetes": "v1.35",
//!   "cluster": { "profile": "bare", "nodes": 3 },
//!   "clock": { "at_ms": 12500, "speed": 1 },
//!   "tab": "mongo-sts.yaml",
//!   "files": [ { "name": "mongo-sts.yaml", "text": "..." } ],
//!   "session": "$ kubectl apply -f mongo-sts.yaml\n$ sleep 12.5\n$ kubectl get pods\n",
//!   "file_versions": [ { "before_command": 0, "name": "mongo-sts.yaml", "text": "..." } ]
//! }
//! ```
//!
//! `file_versions` (optional) holds a file's text as an earlier command read it, when it
//! differs from the final text in `files` (edit, apply, edit, apply): replay puts it in place
//! before command number `before_command` (0-based, counting `$` lines).
//!
//! [`decode`] treats its input as a stranger's: it refuses input over [`MAX_BUNDLE_BYTES`]
//! before parsing, then checks every field against the caps below, with a message that says
//! what is wrong. It never panics. A bundle of an older format version is migrated
//! ([`migrate`]) so an old link keeps its meaning; a newer one is refused with a clear message.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::engine::profile::Profile;
use crate::engine::ClusterConfig;
use crate::kubectl::exec::{file_args, Shell};
use crate::kubectl::history::Entry;
use crate::session::{self, Line};

/// The `format` field of every bundle.
pub const FORMAT: &str = "statefulset-playground/workspace";
/// The format version [`encode`] writes.
pub const VERSION: u64 = 1;
/// Largest bundle [`decode`] reads (bytes of JSON), checked before parsing.
pub const MAX_BUNDLE_BYTES: usize = 1 << 20;
/// Most files a workspace holds.
pub const MAX_FILES: usize = 32;
/// Largest file text.
pub const MAX_FILE_BYTES: usize = 256 * 1024;
/// Most `$` lines in a workspace's session.
pub const MAX_COMMANDS: usize = 2_000;
/// Latest instant a workspace may show, and most simulated time its session may sleep in
/// total (one simulated day): replay stays quick.
pub const MAX_SPAN_MS: u64 = 24 * 3600 * 1000;
/// Clock speeds a workspace may ask for (× real time): the page's time bar's range. Format 1
/// wrote whole numbers; a fraction reads the same way (a JSON number either way).
pub const MIN_SPEED: f64 = 0.25;
pub const MAX_SPEED: f64 = 60.0;

/// One manifest file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub name: String,
    pub text: String,
}

/// A file's text as command number `before_command` read it (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileVersion {
    pub before_command: usize,
    pub name: String,
    pub text: String,
}

/// The whole state of a page (see the module docs).
#[derive(Clone, Debug, PartialEq)]
pub struct Workspace {
    pub files: Vec<File>,
    pub profile: Profile,
    pub nodes: usize,
    /// The Kubernetes version the sender's playground modelled (`v1.35`).
    pub kubernetes: String,
    /// `$ COMMAND` lines (and `#` comments) as `kubesim run` reads them, without the
    /// `# cluster:` header ([`Workspace::session_file`] adds it).
    pub session: String,
    pub file_versions: Vec<FileVersion>,
    /// The instant the clock showed (ms since the engine's epoch).
    pub at_ms: u64,
    /// Clock speed (× real time).
    pub speed: f64,
    /// The selected file tab.
    pub tab: Option<String>,
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace {
            files: Vec::new(),
            profile: Profile::default(),
            nodes: ClusterConfig::default().nodes,
            kubernetes: crate::KUBERNETES_VERSION.to_string(),
            session: String::new(),
            file_versions: Vec::new(),
            at_ms: 0,
            speed: 1.0,
            tab: None,
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClusterV1 {
    profile: String,
    nodes: usize,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockV1 {
    at_ms: u64,
    speed: f64,
}

/// The bundle as written (format version 1).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BundleV1 {
    format: String,
    version: u64,
    kubernetes: String,
    cluster: ClusterV1,
    clock: ClockV1,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tab: Option<String>,
    files: Vec<File>,
    session: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    file_versions: Vec<FileVersion>,
}

impl Workspace {
    /// The cluster this workspace runs on.
    pub fn config(&self) -> ClusterConfig {
        ClusterConfig {
            nodes: self.nodes,
            ..ClusterConfig::with_profile(self.profile)
        }
    }

    /// The session as a file for `kubesim run`: the `# cluster:` header (when the cluster is
    /// not the default one), then the commands.
    pub fn session_file(&self) -> String {
        let default = ClusterConfig::default();
        let mut out = String::new();
        if self.profile != default.profile || self.nodes != default.nodes {
            out.push_str(&format!(
                "{} profile={} nodes={}\n",
                session::CLUSTER_HEADER,
                self.profile.name(),
                self.nodes
            ));
        }
        out.push_str(&self.session);
        out
    }

    /// The files as a name → text map (the shell's `-f` files).
    pub fn file_map(&self) -> BTreeMap<String, String> {
        self.files
            .iter()
            .map(|f| (f.name.clone(), f.text.clone()))
            .collect()
    }
}

/// The readable bundle (pretty JSON, ends with a newline).
pub fn encode(ws: &Workspace) -> String {
    let mut s = serde_json::to_string_pretty(&bundle(ws)).unwrap_or_default();
    s.push('\n');
    s
}

/// The bundle on one line (for a link: compresses a little better).
pub fn encode_compact(ws: &Workspace) -> String {
    serde_json::to_string(&bundle(ws)).unwrap_or_default()
}

fn bundle(ws: &Workspace) -> BundleV1 {
    BundleV1 {
        format: FORMAT.into(),
        version: VERSION,
        kubernetes: ws.kubernetes.clone(),
        cluster: ClusterV1 {
            profile: ws.profile.name().into(),
            nodes: ws.nodes,
        },
        clock: ClockV1 {
            at_ms: ws.at_ms,
            speed: ws.speed,
        },
        tab: ws.tab.clone(),
        files: ws.files.clone(),
        session: ws.session.clone(),
        file_versions: ws.file_versions.clone(),
    }
}

/// Reads a bundle of any known format version; every problem is a message for the visitor.
pub fn decode(text: &str) -> Result<Workspace, String> {
    if text.len() > MAX_BUNDLE_BYTES {
        return Err(format!(
            "the workspace is {} KB, more than the {} KB a playground workspace may hold",
            text.len() / 1024,
            MAX_BUNDLE_BYTES / 1024
        ));
    }
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| format!("this is not a playground workspace (not JSON: {e})"))?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(format!(
            "this is not a playground workspace (no \"format\": \"{FORMAT}\")"
        ));
    }
    let version = value
        .get("version")
        .and_then(|v| v.as_u64())
        .ok_or("the workspace has no format version")?;
    if version > VERSION {
        return Err(format!(
            "this workspace was written by a newer playground (format version {version}; this one reads up to {VERSION})"
        ));
    }
    let value = migrate(value, version)?;
    let b: BundleV1 =
        serde_json::from_value(value).map_err(|e| format!("the workspace is malformed: {e}"))?;
    let ws = Workspace {
        profile: Profile::from_name(&b.cluster.profile).ok_or_else(|| {
            format!(
                "unknown cluster profile {:?} (bare or kind-like)",
                b.cluster.profile
            )
        })?,
        nodes: b.cluster.nodes,
        kubernetes: b.kubernetes,
        files: b.files,
        session: b.session,
        file_versions: b.file_versions,
        at_ms: b.clock.at_ms,
        speed: b.clock.speed,
        tab: b.tab,
    };
    validate(&ws)?;
    Ok(ws)
}

/// Brings a bundle of format version `from` to the current version, field by field, so an old
/// link keeps its meaning. Each format change adds one step here (`1 => { ...; 2 }`) and a
/// fixture test of the old version.
pub fn migrate(value: serde_json::Value, from: u64) -> Result<serde_json::Value, String> {
    match from {
        // The current version. A format 2 would add: `1 => migrate(v1_to_v2(value)?, 2)`.
        VERSION => Ok(value),
        other => Err(format!("unknown workspace format version {other}")),
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name != "-"
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Checks a workspace against the caps (a decoded one, or one about to be shared).
pub fn validate(ws: &Workspace) -> Result<(), String> {
    if ws.kubernetes != crate::KUBERNETES_VERSION {
        return Err(format!(
            "the workspace was made for Kubernetes {:.20}; this playground models {}",
            ws.kubernetes,
            crate::KUBERNETES_VERSION
        ));
    }
    if !(1..=session::MAX_NODES).contains(&ws.nodes) {
        return Err(format!(
            "the cluster must have 1 to {} nodes, not {}",
            session::MAX_NODES,
            ws.nodes
        ));
    }
    if !(MIN_SPEED..=MAX_SPEED).contains(&ws.speed) {
        return Err(format!(
            "the clock speed must be {MIN_SPEED} to {MAX_SPEED}, not {}",
            ws.speed
        ));
    }
    if ws.at_ms > MAX_SPAN_MS {
        return Err("the clock is past one simulated day, the longest a workspace may run".into());
    }
    if ws.files.len() > MAX_FILES {
        return Err(format!(
            "the workspace has {} files, more than {MAX_FILES}",
            ws.files.len()
        ));
    }
    let mut names = BTreeSet::new();
    let files = ws.files.iter().map(|f| (&f.name, &f.text));
    let versions = ws.file_versions.iter().map(|f| (&f.name, &f.text));
    for (name, text) in files.clone().chain(versions) {
        if !valid_name(name) {
            return Err(format!(
                "bad file name {:?} (letters, digits, '.', '_' and '-', at most 100)",
                truncate(name)
            ));
        }
        if text.len() > MAX_FILE_BYTES {
            return Err(format!(
                "file {name} is {} KB, more than {} KB",
                text.len() / 1024,
                MAX_FILE_BYTES / 1024
            ));
        }
    }
    for (name, _) in files {
        if !names.insert(name.as_str()) {
            return Err(format!("file {name} appears twice"));
        }
    }
    if let Some(tab) = &ws.tab {
        if !names.contains(tab.as_str()) {
            return Err(format!(
                "the selected tab {:?} is not a file",
                truncate(tab)
            ));
        }
    }
    let lines = session::parse(&ws.session).map_err(|e| format!("session: {e}"))?;
    let commands: Vec<&str> = lines
        .iter()
        .filter_map(|l| match l {
            Line::Command(c) => Some(c.as_str()),
            Line::Text(_) => None,
        })
        .collect();
    if commands.len() > MAX_COMMANDS {
        return Err(format!(
            "the session has {} commands, more than {MAX_COMMANDS}",
            commands.len()
        ));
    }
    let slept: u64 = commands.iter().filter_map(|c| sleep_ms(c)).sum();
    if slept > MAX_SPAN_MS {
        return Err("the session sleeps more than one simulated day in total".into());
    }
    if let Some(v) = ws
        .file_versions
        .iter()
        .find(|v| v.before_command >= commands.len())
    {
        return Err(format!(
            "file version of {} is for command {}, but the session has {}",
            v.name,
            v.before_command,
            commands.len()
        ));
    }
    Ok(())
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

/// The simulated milliseconds a `sleep` line sleeps.
fn sleep_ms(command: &str) -> Option<u64> {
    match crate::kubectl::cli::parse(command) {
        Ok(crate::kubectl::cli::Command::Sleep { millis }) => Some(millis),
        _ => None,
    }
}

/// `sleep` for a gap in milliseconds, in seconds with up to three decimals (`12.5`).
pub fn sleep_line(ms: u64) -> String {
    let mut s = format!("sleep {}.{:03}", ms / 1000, ms % 1000);
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    s
}

/// What a replay built: the shell (cluster at the workspace's instant) and the console's
/// transcript.
pub struct Replay {
    pub shell: Shell,
    pub transcript: String,
}

/// Runs the workspace's session on a fresh cluster, as `kubesim run` does (each command runs
/// to completion; `sleep` lets time pass), with each `file_versions` text in place before its
/// command, then lets the clock run to `at_ms`. The files end as `files`.
pub fn replay(ws: &Workspace) -> Result<Replay, String> {
    validate(ws)?;
    let lines = session::parse(&ws.session)?;
    let mut shell = Shell::new(ws.config(), ws.file_map());
    let mut index = 0usize;
    let transcript = session::transcript(&lines, |command| {
        for v in ws
            .file_versions
            .iter()
            .filter(|v| v.before_command == index)
        {
            shell.set_file(v.name.clone(), v.text.clone());
        }
        index += 1;
        shell.run(command).text()
    });
    for f in &ws.files {
        shell.set_file(f.name.clone(), f.text.clone());
    }
    let at = ws.at_ms.max(shell.cluster().now());
    shell.poll(at);
    Ok(Replay { shell, transcript })
}

/// Turns what a page's console ran (`entries`, from the shell's history) into the session a
/// workspace holds, and the earlier file versions it needs. `files` are the final texts;
/// `at_ms` is the instant the page shows.
///
/// Commands run in the session as `kubesim run` runs them: a blocking command keeps the
/// clock until it is done. A command the page interrupted (Ctrl+C, or a new line typed while
/// it ran) and that would still run at the next line's instant is written so the session
/// keeps the timing: `kubectl delete` with `--wait=false` (the deletion happened when it was
/// typed; only the waiting is dropped), any other (a watch, `rollout status`, `wait`,
/// `sleep`: they change nothing) as a `# interrupted: ...` comment. Everything the cluster did
/// is the same; only those commands' output is not in the replayed console.
pub fn session_from_history(
    config: ClusterConfig,
    files: &BTreeMap<String, String>,
    entries: &[Entry],
    at_ms: u64,
) -> (String, Vec<FileVersion>) {
    let mut shell = Shell::new(config, files.clone());
    let mut out = String::new();
    let mut versions = Vec::new();
    let mut commands = 0usize;
    for (i, entry) in entries.iter().enumerate() {
        let next = entries.get(i + 1).map_or(at_ms.max(entry.at), |e| e.at);
        let now = shell.cluster().now();
        if entry.at > now {
            let sleep = sleep_line(entry.at - now);
            shell.run(&sleep);
            out.push_str(&format!("$ {sleep}\n"));
            commands += 1;
        }
        for (name, text) in &entry.files {
            if files.get(name) != Some(text) {
                versions.push(FileVersion {
                    before_command: commands,
                    name: name.clone(),
                    text: text.clone(),
                });
            }
            shell.set_file(name.clone(), text.clone());
        }
        let before = shell.clone();
        shell.run(&entry.line);
        if shell.cluster().now() <= next {
            out.push_str(&format!("$ {}\n", entry.line));
            commands += 1;
            continue;
        }
        shell = before;
        if matches!(
            crate::kubectl::cli::parse(&entry.line),
            Ok(crate::kubectl::cli::Command::Delete { .. })
        ) {
            let line = format!("{} --wait=false", entry.line);
            shell.run(&line);
            out.push_str(&format!("$ {line}\n"));
            commands += 1;
        } else {
            // A comment is not a command: versions recorded for it move to the next one.
            out.push_str(&format!("# interrupted: {}\n", entry.line));
        }
    }
    versions.retain(|v| v.before_command < commands);
    (out, versions)
}

/// A workspace of a page's state: its files (in tab order), cluster, console history, clock.
#[allow(clippy::too_many_arguments)]
pub fn from_page(
    files: Vec<File>,
    profile: Profile,
    nodes: usize,
    entries: &[Entry],
    at_ms: u64,
    speed: f64,
    tab: Option<String>,
) -> Workspace {
    let mut ws = Workspace {
        files,
        profile,
        nodes,
        at_ms,
        speed,
        tab,
        ..Workspace::default()
    };
    let (session, file_versions) =
        session_from_history(ws.config(), &ws.file_map(), entries, at_ms);
    ws.session = session;
    ws.file_versions = file_versions;
    ws
}

/// When each line of a session runs under `kubesim run` (on `config`, with `files`): the
/// instant every `$` line starts, and comments and blank lines at the instant of the line
/// after them. A page that starts each line at its instant and lets the clock run in between
/// (the embed's player) builds the same cluster history as `kubesim run`, and prints the same
/// output.
pub fn schedule(
    text: &str,
    config: ClusterConfig,
    files: &BTreeMap<String, String>,
) -> Result<Vec<(u64, Line)>, String> {
    let lines = session::parse(text)?;
    let mut shell = Shell::new(config, files.clone());
    Ok(lines
        .into_iter()
        .map(|line| {
            let at = shell.cluster().now();
            if let Line::Command(c) = &line {
                shell.run(c);
            }
            (at, line)
        })
        .collect())
}

/// The `-f` files a session names that are not in `files` (so a page can say which are
/// missing before it plays a session).
pub fn missing_files(session_text: &str, files: &BTreeMap<String, String>) -> Vec<String> {
    let mut missing = BTreeSet::new();
    for line in session::parse(session_text).unwrap_or_default() {
        if let Line::Command(c) = line {
            missing.extend(
                file_args(&c)
                    .into_iter()
                    .filter(|f| f != "-" && !files.contains_key(f)),
            );
        }
    }
    missing.into_iter().collect()
}

#[cfg(test)]
mod tests;
