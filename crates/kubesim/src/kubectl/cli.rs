//! The kubectl command line: words in, a typed [`Command`] out, or an error in kubectl's words.
//!
//! This is the front half of the interpreter shared by the browser console and the native
//! `kubesim` runner; executing a command against the simulated cluster is the back half. Only
//! the commands and flags the playground supports are accepted; anything else gets the error
//! kubectl (cobra) would print, so a user learns the real tool's vocabulary.

use std::fmt;

/// A resource type as kubectl resolves it from any of its names (`sts`, `statefulset`,
/// `statefulsets`, `statefulsets.apps`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resource {
    Pods,
    StatefulSets,
    PersistentVolumeClaims,
    PersistentVolumes,
    Services,
    Endpoints,
    EndpointSlices,
    StorageClasses,
    Nodes,
    Events,
    ControllerRevisions,
    Namespaces,
}

impl Resource {
    pub const ALL: [Resource; 12] = [
        Resource::Pods,
        Resource::StatefulSets,
        Resource::PersistentVolumeClaims,
        Resource::PersistentVolumes,
        Resource::Services,
        Resource::Endpoints,
        Resource::EndpointSlices,
        Resource::StorageClasses,
        Resource::Nodes,
        Resource::Events,
        Resource::ControllerRevisions,
        Resource::Namespaces,
    ];

    /// The plural resource name, as in `kubectl api-resources`.
    pub fn plural(self) -> &'static str {
        match self {
            Resource::Pods => "pods",
            Resource::StatefulSets => "statefulsets",
            Resource::PersistentVolumeClaims => "persistentvolumeclaims",
            Resource::PersistentVolumes => "persistentvolumes",
            Resource::Services => "services",
            Resource::Endpoints => "endpoints",
            Resource::EndpointSlices => "endpointslices",
            Resource::StorageClasses => "storageclasses",
            Resource::Nodes => "nodes",
            Resource::Events => "events",
            Resource::ControllerRevisions => "controllerrevisions",
            Resource::Namespaces => "namespaces",
        }
    }

    /// The API group ("" for the core group).
    pub fn group(self) -> &'static str {
        match self {
            Resource::StatefulSets | Resource::ControllerRevisions => "apps",
            Resource::EndpointSlices => "discovery.k8s.io",
            Resource::StorageClasses => "storage.k8s.io",
            _ => "",
        }
    }

    /// Singular name and short names, besides the plural and `plural.group`.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Resource::Pods => &["pod", "po"],
            Resource::StatefulSets => &["statefulset", "sts"],
            Resource::PersistentVolumeClaims => &["persistentvolumeclaim", "pvc"],
            Resource::PersistentVolumes => &["persistentvolume", "pv"],
            Resource::Services => &["service", "svc"],
            Resource::Endpoints => &["ep"],
            Resource::EndpointSlices => &["endpointslice"],
            Resource::StorageClasses => &["storageclass", "sc"],
            Resource::Nodes => &["node", "no"],
            Resource::Events => &["event", "ev"],
            Resource::ControllerRevisions => &["controllerrevision"],
            Resource::Namespaces => &["namespace", "ns"],
        }
    }

    /// Is the resource namespaced?
    pub fn namespaced(self) -> bool {
        !matches!(
            self,
            Resource::PersistentVolumes
                | Resource::StorageClasses
                | Resource::Nodes
                | Resource::Namespaces
        )
    }

    /// Resolves any of kubectl's names for a resource type (case-insensitive).
    pub fn from_name(name: &str) -> Option<Resource> {
        let name = name.to_ascii_lowercase();
        Resource::ALL.into_iter().find(|r| {
            let plural = r.plural();
            name == plural
                || r.aliases().contains(&name.as_str())
                || (!r.group().is_empty()
                    && [plural]
                        .iter()
                        .chain(r.aliases())
                        .any(|n| name == format!("{n}.{}", r.group())))
        })
    }
}

/// How `kubectl get` prints.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Output {
    #[default]
    Table,
    Wide,
    Yaml,
    Json,
    Name,
    /// `-o jsonpath=TEMPLATE` (the template, quotes removed).
    JsonPath(String),
}

/// `--cascade`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Cascade {
    #[default]
    Background,
    Foreground,
    Orphan,
}

/// What `get` lists: a type with optional names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    pub resource: Resource,
    pub names: Vec<String>,
}

/// One `KEY=VALUE` or `KEY-` of `kubectl label` / `annotate`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyChange {
    Set(String, String),
    Remove(String),
}

/// `kubectl wait --for=…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WaitFor {
    /// `condition=Ready` (value defaults to `true`).
    Condition {
        name: String,
        value: String,
    },
    /// `jsonpath='{.status.readyReplicas}'=3`.
    JsonPath {
        path: String,
        value: Option<String>,
    },
    Delete,
}

/// `kubectl rollout` subcommands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rollout {
    Status,
    History { revision: Option<i64> },
    Undo { to_revision: Option<i64> },
    Restart,
    Pause,
    Resume,
}

/// A parsed command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Apply {
        files: Vec<String>,
    },
    Create {
        files: Vec<String>,
    },
    /// `kubectl create namespace NAME` (`pkg/cmd/create/create_namespace.go`).
    CreateNamespace {
        name: String,
    },
    Get {
        selections: Vec<Selection>,
        output: Output,
        selector: Option<String>,
        all_namespaces: bool,
        watch: bool,
        watch_only: bool,
        output_watch_events: bool,
        show_labels: bool,
        no_headers: bool,
        /// `-L KEY,...`: a column per label key.
        label_columns: Vec<String>,
    },
    Describe {
        resource: Resource,
        names: Vec<String>,
    },
    Delete {
        files: Vec<String>,
        selections: Vec<Selection>,
        cascade: Cascade,
        grace_period: Option<i64>,
        force: bool,
        /// `--wait` (default true): wait for the objects to be gone.
        wait: bool,
        /// `-l SELECTOR`, or `--all` (an empty selector: everything of the kinds named).
        selector: Option<String>,
    },
    Scale {
        resource: Resource,
        name: String,
        replicas: i32,
        /// `--current-replicas` (-1: no precondition) and `--resource-version` ("": none).
        current_replicas: i64,
        resource_version: String,
    },
    Rollout {
        action: Rollout,
        resource: Resource,
        name: String,
    },
    SetImage {
        resource: Resource,
        name: String,
        images: Vec<(String, String)>,
    },
    Patch {
        resource: Resource,
        name: String,
        patch: String,
        strategic: bool,
    },
    Label {
        resource: Resource,
        name: String,
        changes: Vec<KeyChange>,
        overwrite: bool,
    },
    Annotate {
        resource: Resource,
        name: String,
        changes: Vec<KeyChange>,
        overwrite: bool,
    },
    Cordon {
        node: String,
        uncordon: bool,
    },
    Wait {
        resource: Resource,
        names: Vec<String>,
        for_: WaitFor,
        timeout_seconds: Option<u64>,
    },
    Nslookup {
        name: String,
    },
    Dig {
        name: String,
        qtype: String,
    },
    Sleep {
        /// Simulated time to let pass, in milliseconds.
        millis: u64,
    },
    /// `kubectl exec POD [-c C] [-i] [-t] -- ARGV…`
    Exec {
        pod: String,
        container: Option<String>,
        /// `-i`: with a bare shell (`-- sh`), the console attaches to it until `exit`.
        stdin: bool,
        argv: Vec<String>,
    },
    /// `kubectl logs POD [-c C] [-f] [--previous] [--tail N] [--timestamps]`
    Logs {
        pod: String,
        container: Option<String>,
        follow: bool,
        previous: bool,
        tail: Option<i64>,
        timestamps: bool,
    },
    /// `kubectl run NAME --image IMAGE [--restart=Never] [--rm] [-i] [-t] [-- ARGV…]`
    Run {
        name: String,
        image: String,
        restart: String,
        rm: bool,
        attach: bool,
        argv: Vec<String>,
    },
    /// `kubectl explain TYPE[.FIELD...] [--recursive]` (see `explain.rs`).
    Explain {
        target: String,
        recursive: bool,
    },
    /// `kubectl edit TYPE/NAME` (see `edit.rs`).
    Edit {
        resource: Resource,
        name: String,
    },
    /// The playground's `sim …` fault and cluster commands (see `cmd/sim.rs`).
    Sim(Sim),
}

pub use super::cmd::sim::Sim;

/// A command line's error, printed as kubectl prints it (on stderr, exit code 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CliError(pub String);

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The namespace of the console's context: commands without `-n` run in it.
pub const NAMESPACE: &str = "default";

/// Splits a command line into words as a POSIX shell would for simple cases: whitespace
/// separates, single quotes are literal, double quotes allow `\"`, and a backslash escapes.
pub fn split_words(line: &str) -> Result<Vec<String>, CliError> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => {
                            return Err(CliError(
                                "unexpected EOF while looking for matching `''".into(),
                            ))
                        }
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => break,
                        },
                        Some(c) => word.push(c),
                        None => {
                            return Err(CliError(
                                "unexpected EOF while looking for matching `\"'".into(),
                            ))
                        }
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(c) = chars.next() {
                    word.push(c);
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// Flags of one command: which take a value, which are switches.
struct FlagSpec {
    /// (long name, short letter or ' ', takes a value)
    flags: &'static [(&'static str, char, bool)],
}

const GLOBAL_FLAGS: &[(&str, char, bool)] = &[("namespace", 'n', true)];

struct Flags {
    values: Vec<(&'static str, String)>,
    positional: Vec<String>,
}

impl Flags {
    fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
    fn all(&self, name: &str) -> Vec<String> {
        self.values
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
    fn switch(&self, name: &str) -> Result<bool, CliError> {
        match self.get(name) {
            None => Ok(false),
            Some("" | "true") => Ok(true),
            Some("false") => Ok(false),
            Some(v) => Err(CliError(format!(
                "error: invalid argument \"{v}\" for \"--{name}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax"
            ))),
        }
    }
}

fn usage_hint(command: &str) -> String {
    format!("See 'kubectl {command} --help' for usage.")
}

fn parse_flags(command: &str, spec: &FlagSpec, args: &[String]) -> Result<Flags, CliError> {
    let lookup_long = |name: &str| {
        spec.flags
            .iter()
            .chain(GLOBAL_FLAGS)
            .find(|(long, _, _)| *long == name)
            .copied()
    };
    let lookup_short = |c: char| {
        spec.flags
            .iter()
            .chain(GLOBAL_FLAGS)
            .find(|(_, short, _)| *short == c)
            .copied()
    };
    let mut values = Vec::new();
    let mut positional = Vec::new();
    let mut i = 0;
    let mut only_positional = false;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if only_positional || arg == "-" || !arg.starts_with('-') {
            positional.push(arg.clone());
            continue;
        }
        if arg == "--" {
            only_positional = true;
            continue;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some((flag, _, takes)) = lookup_long(name) else {
                return Err(CliError(format!(
                    "error: unknown flag: --{name}\n{}",
                    usage_hint(command)
                )));
            };
            let value = match (takes, inline) {
                (_, Some(v)) => v,
                (false, None) => String::new(),
                (true, None) => match args.get(i) {
                    Some(v) => {
                        i += 1;
                        v.clone()
                    }
                    None => {
                        return Err(CliError(format!(
                            "error: flag needs an argument: --{name}\n{}",
                            usage_hint(command)
                        )))
                    }
                },
            };
            values.push((flag, value));
        } else {
            // Short flags: -A, -n ns, -nns, -owide, -o=wide, and clusters like -wA.
            let shorts: Vec<char> = arg[1..].chars().collect();
            let mut j = 0;
            while j < shorts.len() {
                let c = shorts[j];
                j += 1;
                let Some((flag, _, takes)) = lookup_short(c) else {
                    return Err(CliError(format!(
                        "error: unknown shorthand flag: '{c}' in {arg}\n{}",
                        usage_hint(command)
                    )));
                };
                if !takes {
                    values.push((flag, String::new()));
                    continue;
                }
                let rest: String = shorts[j..].iter().collect();
                let value = if !rest.is_empty() {
                    rest.strip_prefix('=').unwrap_or(&rest).to_string()
                } else {
                    match args.get(i) {
                        Some(v) => {
                            i += 1;
                            v.clone()
                        }
                        None => {
                            return Err(CliError(format!(
                                "error: flag needs an argument: '{c}' in -{c}\n{}",
                                usage_hint(command)
                            )))
                        }
                    }
                };
                values.push((flag, value));
                break;
            }
        }
    }
    Ok(Flags { values, positional })
}

fn unknown_resource(name: &str) -> CliError {
    CliError(format!(
        "error: the server doesn't have a resource type \"{name}\""
    ))
}

/// Parses `TYPE NAME...`, `TYPE/NAME...` and `TYPE1,TYPE2` forms as `kubectl get` reads them.
fn selections(args: &[String]) -> Result<Vec<Selection>, CliError> {
    let mut out: Vec<Selection> = Vec::new();
    if args.iter().any(|a| a.contains('/')) {
        for arg in args {
            let Some((kind, name)) = arg.split_once('/') else {
                return Err(CliError(
                    "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into(),
                ));
            };
            let resource = Resource::from_name(kind).ok_or_else(|| unknown_resource(kind))?;
            match out.iter_mut().find(|s| s.resource == resource) {
                Some(s) => s.names.push(name.to_string()),
                None => out.push(Selection {
                    resource,
                    names: vec![name.to_string()],
                }),
            }
        }
        return Ok(out);
    }
    let Some((kinds, names)) = args.split_first() else {
        return Ok(out);
    };
    for kind in kinds.split(',').filter(|k| !k.is_empty()) {
        if kind == "all" {
            // the `all` category, restricted to the kinds the playground simulates, in
            // kubectl's order (pods, services, ..., statefulsets)
            for resource in [Resource::Pods, Resource::Services, Resource::StatefulSets] {
                out.push(Selection {
                    resource,
                    names: names.to_vec(),
                });
            }
            continue;
        }
        let resource = Resource::from_name(kind).ok_or_else(|| unknown_resource(kind))?;
        out.push(Selection {
            resource,
            names: names.to_vec(),
        });
    }
    Ok(out)
}

/// One resource and one name, from `TYPE NAME` or `TYPE/NAME`.
fn single(command: &str, args: &[String]) -> Result<(Resource, String), CliError> {
    let sel = selections(args)?;
    match sel.as_slice() {
        [Selection { resource, names }] if names.len() == 1 => Ok((*resource, names[0].clone())),
        [] => Err(CliError(format!(
            "error: you must specify the type of resource and its name\n{}",
            usage_hint(command)
        ))),
        _ => Err(CliError(format!(
            "error: exactly one NAME is required, got {}\n{}",
            sel.iter().map(|s| s.names.len()).sum::<usize>(),
            usage_hint(command)
        ))),
    }
}

fn key_changes(command: &str, args: &[String]) -> Result<Vec<KeyChange>, CliError> {
    if args.is_empty() {
        return Err(CliError(format!(
            "error: at least one {command} update is required"
        )));
    }
    args.iter()
        .map(|a| {
            if let Some((k, v)) = a.split_once('=') {
                Ok(KeyChange::Set(k.to_string(), v.to_string()))
            } else if let Some(k) = a.strip_suffix('-') {
                Ok(KeyChange::Remove(k.to_string()))
            } else {
                Err(CliError(format!("error: invalid {command} format: {a}")))
            }
        })
        .collect()
}

fn int_flag<T: std::str::FromStr>(flags: &Flags, name: &str) -> Result<Option<T>, CliError> {
    flags
        .get(name)
        .map(|v| {
            v.parse().map_err(|_| {
                CliError(format!(
                    "error: invalid argument \"{v}\" for \"--{name}\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax"
                ))
            })
        })
        .transpose()
}

/// Go duration strings as `--timeout` takes them: `30s`, `5m`, `1h30m`, `0` (seconds).
fn go_duration_seconds(v: &str) -> Option<u64> {
    if v == "0" {
        return Some(0);
    }
    let mut total = 0f64;
    let mut number = String::new();
    for c in v.chars() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let n: f64 = number.parse().ok()?;
        number.clear();
        total += n * match c {
            'h' => 3600.0,
            'm' => 60.0,
            's' => 1.0,
            _ => return None,
        };
    }
    number.is_empty().then_some(total as u64)
}

const GET: FlagSpec = FlagSpec {
    flags: &[
        ("output", 'o', true),
        ("selector", 'l', true),
        ("all-namespaces", 'A', false),
        ("watch", 'w', false),
        ("watch-only", ' ', false),
        ("output-watch-events", ' ', false),
        ("show-labels", ' ', false),
        ("no-headers", ' ', false),
        ("label-columns", 'L', true),
    ],
};
const FILES: FlagSpec = FlagSpec {
    flags: &[("filename", 'f', true)],
};
const DELETE: FlagSpec = FlagSpec {
    flags: &[
        ("filename", 'f', true),
        ("cascade", ' ', true),
        ("grace-period", ' ', true),
        ("force", ' ', false),
        ("now", ' ', false),
        ("wait", ' ', false),
        ("selector", 'l', true),
        ("all", ' ', false),
    ],
};
const EXEC: FlagSpec = FlagSpec {
    flags: &[
        ("container", 'c', true),
        ("stdin", 'i', false),
        ("tty", 't', false),
        ("quiet", 'q', false),
    ],
};
const LOGS: FlagSpec = FlagSpec {
    flags: &[
        ("container", 'c', true),
        ("follow", 'f', false),
        ("previous", 'p', false),
        ("tail", ' ', true),
        ("timestamps", ' ', false),
    ],
};
const RUN: FlagSpec = FlagSpec {
    flags: &[
        ("image", ' ', true),
        ("restart", ' ', true),
        ("rm", ' ', false),
        ("stdin", 'i', false),
        ("tty", 't', false),
        ("command", ' ', false),
    ],
};

/// Splits `ARGS -- COMMAND…` at the first `--`.
fn split_dashdash(rest: &[String]) -> (Vec<String>, Vec<String>) {
    match rest.iter().position(|a| a == "--") {
        Some(i) => (rest[..i].to_vec(), rest[i + 1..].to_vec()),
        None => (rest.to_vec(), Vec::new()),
    }
}

const SCALE: FlagSpec = FlagSpec {
    flags: &[
        ("replicas", ' ', true),
        ("current-replicas", ' ', true),
        ("resource-version", ' ', true),
    ],
};
const ROLLOUT: FlagSpec = FlagSpec {
    flags: &[
        ("revision", ' ', true),
        ("to-revision", ' ', true),
        ("watch", 'w', false),
        ("timeout", ' ', true),
    ],
};
const PATCH: FlagSpec = FlagSpec {
    flags: &[("patch", 'p', true), ("type", ' ', true)],
};
const KEYS: FlagSpec = FlagSpec {
    flags: &[("overwrite", ' ', false)],
};
const WAIT: FlagSpec = FlagSpec {
    flags: &[("for", ' ', true), ("timeout", ' ', true)],
};
const NONE: FlagSpec = FlagSpec { flags: &[] };
const EXPLAIN: FlagSpec = FlagSpec {
    flags: &[("recursive", ' ', false)],
};

fn files(flags: &Flags, command: &str) -> Result<Vec<String>, CliError> {
    let files = flags.all("filename");
    if files.is_empty() {
        return Err(CliError(format!(
            "error: must specify one of -f and -k\n\n{}",
            usage_hint(command)
        )));
    }
    Ok(files)
}

/// Parses one console line (`kubectl …`, `nslookup NAME`, `dig NAME [TYPE]`, `sleep N`, `sim …`).
pub fn parse(line: &str) -> Result<Command, CliError> {
    parse_line(line).map(|(command, _)| command)
}

/// [`parse`], with the namespace the line's `-n/--namespace` names (`None`: the context's,
/// `default`).
pub fn parse_line(line: &str) -> Result<(Command, Option<String>), CliError> {
    let words = split_words(line)?;
    let Some((program, args)) = words.split_first() else {
        return Err(CliError(String::new()));
    };
    if let "kubectl" | "k" = program.as_str() {
        return parse_kubectl(args);
    }
    parse_other(program, args).map(|c| (c, None))
}

fn parse_other(program: &str, args: &[String]) -> Result<Command, CliError> {
    match program {
        "sim" => super::cmd::sim::parse(args).map(Command::Sim),
        "nslookup" => match args {
            [name] => Ok(Command::Nslookup { name: name.clone() }),
            _ => Err(CliError("usage: nslookup NAME".into())),
        },
        "dig" => {
            let mut name = None;
            let mut qtype = "A".to_string();
            let mut reverse = false;
            for a in args
                .iter()
                .filter(|a| !a.starts_with('+') && !a.starts_with('@'))
            {
                let upper = a.to_ascii_uppercase();
                if a == "-x" {
                    // `dig -x IP`: a reverse (PTR) lookup of the address that follows
                    reverse = true;
                    qtype = "PTR".to_string();
                } else if reverse && name.is_none() {
                    name = Some(a.clone());
                } else if ["A", "AAAA", "SRV", "PTR", "TXT", "ANY"].contains(&upper.as_str()) {
                    qtype = upper;
                } else if name.is_none() {
                    name = Some(a.clone());
                } else {
                    return Err(CliError("usage: dig NAME [A|SRV|PTR]".into()));
                }
            }
            let name = name.ok_or_else(|| CliError("usage: dig NAME [A|SRV|PTR]".into()))?;
            Ok(Command::Dig { name, qtype })
        }
        "sleep" => match args {
            [n] => {
                let seconds = n
                    .parse::<f64>()
                    .ok()
                    .or_else(|| go_duration_seconds(n).map(|s| s as f64))
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .ok_or_else(|| CliError(format!("sleep: invalid time interval '{n}'")))?;
                let millis = (seconds * 1000.0).round() as u64;
                // A week of simulated time is the most a console command may take (a tab
                // would otherwise simulate years of crash loops); say so rather than cap it.
                if millis > super::exec::MAX_BLOCK_MS {
                    return Err(CliError(format!(
                        "sleep: invalid time interval '{n}': the console sleeps at most 7 days (a playground limit: MAX_BLOCK_MS)"
                    )));
                }
                Ok(Command::Sleep { millis })
            }
            _ => Err(CliError("sleep: missing operand".into())),
        },
        other => Err(CliError(format!(
            "{other}: command not found (the console speaks kubectl, nslookup, dig, sleep and sim)"
        ))),
    }
}

fn parse_kubectl(args: &[String]) -> Result<(Command, Option<String>), CliError> {
    // Global flags may come before the verb (`kubectl -n kube-system get pods`).
    let mut verb_at = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "-n" || a == "--namespace" {
            i += 2;
        } else if a.starts_with('-') {
            i += 1;
        } else {
            verb_at = Some(i);
            break;
        }
    }
    let Some(verb_at) = verb_at else {
        return Err(CliError(
            "kubectl controls the Kubernetes cluster manager.\n\nerror: a command is required"
                .into(),
        ));
    };
    let verb = args[verb_at].as_str();
    let mut namespace = parse_flags(verb, &NONE, &args[..verb_at])?
        .get("namespace")
        .map(str::to_string);
    let rest: Vec<String> = args[verb_at + 1..].to_vec();
    // every verb's flags are read through here, which keeps the `-n` it names
    let mut pf = |c: &str, spec: &FlagSpec, a: &[String]| -> Result<Flags, CliError> {
        let f = parse_flags(c, spec, a)?;
        if let Some(ns) = f.get("namespace") {
            namespace = Some(ns.to_string());
        }
        Ok(f)
    };
    let command = match verb {
        "apply" => {
            let f = pf(verb, &FILES, &rest)?;
            Ok(Command::Apply {
                files: files(&f, verb)?,
            })
        }
        "create" => {
            let f = pf(verb, &FILES, &rest)?;
            match f.positional.split_first() {
                Some((sub, names)) if sub == "namespace" || sub == "ns" => match names {
                    [name] => Ok(Command::CreateNamespace { name: name.clone() }),
                    _ => Err(CliError(format!(
                        "error: exactly one NAME is required, got {}\n{}",
                        names.len(),
                        usage_hint("create namespace")
                    ))),
                },
                Some((sub, _)) => Err(CliError(format!(
                    "error: unknown command \"{sub}\" for \"kubectl create\" (the playground creates from files, and namespaces)"
                ))),
                None => Ok(Command::Create {
                    files: files(&f, verb)?,
                }),
            }
        }
        "get" => {
            let f = pf(verb, &GET, &rest)?;
            if f.positional.is_empty() {
                return Err(CliError("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples".into()));
            }
            let output = match f.get("output") {
                None => Output::Table,
                Some("wide") => Output::Wide,
                Some("yaml") => Output::Yaml,
                Some("json") => Output::Json,
                Some("name") => Output::Name,
                Some(j) if j.starts_with("jsonpath=") => Output::JsonPath(
                    j["jsonpath=".len()..]
                        .trim_matches(|c| c == '\'' || c == '"')
                        .to_string(),
                ),
                Some(other) => {
                    return Err(CliError(format!(
                        "error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: json,jsonpath,name,wide,yaml"
                    )))
                }
            };
            Ok(Command::Get {
                selections: selections(&f.positional)?,
                output,
                selector: f.get("selector").map(str::to_string),
                all_namespaces: f.switch("all-namespaces")?,
                watch: f.switch("watch")?,
                watch_only: f.switch("watch-only")?,
                output_watch_events: f.switch("output-watch-events")?,
                show_labels: f.switch("show-labels")?,
                no_headers: f.switch("no-headers")?,
                label_columns: f
                    .all("label-columns")
                    .iter()
                    .flat_map(|v| v.split(','))
                    .filter(|k| !k.is_empty())
                    .map(str::to_string)
                    .collect(),
            })
        }
        "describe" => {
            let f = pf(verb, &NONE, &rest)?;
            let sel = selections(&f.positional)?;
            match sel.as_slice() {
                [s] => Ok(Command::Describe { resource: s.resource, names: s.names.clone() }),
                [] => Err(CliError("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.".into())),
                _ => Err(CliError("error: describe one resource type at a time".into())),
            }
        }
        "delete" => {
            let f = pf(verb, &DELETE, &rest)?;
            let cascade = match f.get("cascade") {
                None | Some("background" | "true") => Cascade::Background,
                Some("foreground") => Cascade::Foreground,
                Some("orphan" | "false") => Cascade::Orphan,
                Some(other) => {
                    return Err(CliError(format!(
                        "error: invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
                    )))
                }
            };
            let mut grace_period = int_flag::<i64>(&f, "grace-period")?;
            let force = f.switch("force")?;
            if f.switch("now")? {
                grace_period = Some(1);
            }
            let files = f.all("filename");
            let selections = selections(&f.positional)?;
            // upstream pkg/cmd/delete/delete.go (Complete): a selector or --all picks the
            // objects, so names are refused beside them.
            let selector = match (f.get("selector"), f.switch("all")?) {
                (Some(s), _) => Some(s.to_string()),
                (None, true) => Some(String::new()),
                (None, false) => None,
            };
            if selector.is_some() && selections.iter().any(|s| !s.names.is_empty()) {
                return Err(CliError(
                    "error: name cannot be provided when a selector is specified".into(),
                ));
            }
            if files.is_empty()
                && (selections.is_empty()
                    || (selector.is_none() && selections.iter().all(|s| s.names.is_empty())))
            {
                return Err(CliError(if selections.is_empty() {
                    "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'".to_string()
                } else {
                    "error: resource(s) were provided, but no name was specified".to_string()
                }));
            }
            let wait = match f.get("wait") {
                None => true,
                Some(_) => f.switch("wait")?,
            };
            Ok(Command::Delete {
                files,
                selections,
                cascade,
                grace_period,
                force,
                wait,
                selector,
            })
        }
        "scale" => {
            let f = pf(verb, &SCALE, &rest)?;
            let replicas = int_flag::<i32>(&f, "replicas")?
                .ok_or_else(|| CliError("error: required flag(s) \"replicas\" not set".into()))?;
            if replicas < 0 {
                return Err(CliError("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0".into()));
            }
            let (resource, name) = single(verb, &f.positional)?;
            Ok(Command::Scale {
                resource,
                name,
                replicas,
                current_replicas: int_flag::<i64>(&f, "current-replicas")?.unwrap_or(-1),
                resource_version: f.get("resource-version").unwrap_or_default().to_string(),
            })
        }
        "rollout" => {
            let Some((sub, sub_args)) = rest.split_first() else {
                return Err(CliError(
                    "error: rollout needs a subcommand: status, history, undo, restart, pause or resume".into(),
                ));
            };
            let f = pf(&format!("rollout {sub}"), &ROLLOUT, sub_args)?;
            let action = match sub.as_str() {
                "status" => Rollout::Status,
                "history" => Rollout::History {
                    revision: int_flag(&f, "revision")?,
                },
                "undo" => Rollout::Undo {
                    to_revision: int_flag(&f, "to-revision")?,
                },
                "restart" => Rollout::Restart,
                "pause" => Rollout::Pause,
                "resume" => Rollout::Resume,
                other => {
                    return Err(CliError(format!(
                        "error: unknown command \"{other}\" for \"kubectl rollout\""
                    )))
                }
            };
            let (resource, name) = single(&format!("rollout {sub}"), &f.positional)?;
            Ok(Command::Rollout {
                action,
                resource,
                name,
            })
        }
        "set" => {
            let Some((sub, sub_args)) = rest.split_first() else {
                return Err(CliError("error: set needs a subcommand: image".into()));
            };
            if sub != "image" {
                return Err(CliError(format!(
                    "error: unknown command \"{sub}\" for \"kubectl set\""
                )));
            }
            let f = pf("set image", &NONE, sub_args)?;
            let (targets, pairs): (Vec<String>, Vec<String>) =
                f.positional.iter().cloned().partition(|a| !a.contains('='));
            let (resource, name) = single("set image", &targets)?;
            if pairs.is_empty() {
                return Err(CliError(
                    "error: at least one image update is required".into(),
                ));
            }
            let images = pairs
                .iter()
                .map(|p| {
                    let (c, i) = p.split_once('=').unwrap_or((p, ""));
                    (c.to_string(), i.to_string())
                })
                .collect();
            Ok(Command::SetImage {
                resource,
                name,
                images,
            })
        }
        "patch" => {
            let f = pf(verb, &PATCH, &rest)?;
            let (resource, name) = single(verb, &f.positional)?;
            let patch = f
                .get("patch")
                .ok_or_else(|| CliError("error: must specify -p to patch".into()))?
                .to_string();
            let strategic = match f.get("type") {
                None | Some("strategic") => true,
                Some("merge") => false,
                Some("json") => {
                    return Err(CliError(
                        "error: the playground applies --type=merge and --type=strategic patches; JSON patches (--type=json) are not supported".into(),
                    ))
                }
                Some(other) => {
                    return Err(CliError(format!(
                        "error: --type must be one of [json merge strategic], not \"{other}\""
                    )))
                }
            };
            Ok(Command::Patch {
                resource,
                name,
                patch,
                strategic,
            })
        }
        "label" | "annotate" => {
            let f = pf(verb, &KEYS, &rest)?;
            let (targets, changes): (Vec<String>, Vec<String>) = f
                .positional
                .iter()
                .cloned()
                .partition(|a| !a.contains('=') && !a.ends_with('-'));
            let (resource, name) = single(verb, &targets)?;
            let changes = key_changes(verb, &changes)?;
            let overwrite = f.switch("overwrite")?;
            Ok(if verb == "label" {
                Command::Label {
                    resource,
                    name,
                    changes,
                    overwrite,
                }
            } else {
                Command::Annotate {
                    resource,
                    name,
                    changes,
                    overwrite,
                }
            })
        }
        "exec" => {
            let (before, argv) = split_dashdash(&rest);
            let f = pf(verb, &EXEC, &before)?;
            let pod = match f.positional.as_slice() {
                [] => {
                    return Err(CliError(format!(
                        "error: pod, type/name or --filename must be specified\n{}",
                        usage_hint(verb)
                    )))
                }
                [p] => p.trim_start_matches("pod/").trim_start_matches("pods/").to_string(),
                _ => {
                    return Err(CliError(format!(
                        "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\n{}",
                        usage_hint(verb)
                    )))
                }
            };
            if argv.is_empty() {
                return Err(CliError(
                    "error: you must specify at least one command for the container".into(),
                ));
            }
            Ok(Command::Exec {
                pod,
                container: f.get("container").map(str::to_string),
                stdin: f.switch("stdin")?,
                argv,
            })
        }
        "logs" => {
            let f = pf(verb, &LOGS, &rest)?;
            let (pod, container) = match f.positional.as_slice() {
                [p] => (p.clone(), f.get("container").map(str::to_string)),
                [p, c] if f.get("container").is_none() => (p.clone(), Some(c.clone())),
                [_, _] => {
                    return Err(CliError(
                        "error: only one of -c or an inline [CONTAINER] arg is allowed".into(),
                    ))
                }
                _ => {
                    return Err(CliError(format!(
                        "error: expected POD_NAME or TYPE/NAME (at most one of them)\n{}",
                        usage_hint(verb)
                    )))
                }
            };
            Ok(Command::Logs {
                pod: pod
                    .trim_start_matches("pod/")
                    .trim_start_matches("pods/")
                    .to_string(),
                container,
                follow: f.switch("follow")?,
                previous: f.switch("previous")?,
                tail: int_flag::<i64>(&f, "tail")?,
                timestamps: f.switch("timestamps")?,
            })
        }
        "run" => {
            let (before, argv) = split_dashdash(&rest);
            let f = pf(verb, &RUN, &before)?;
            let name = match f.positional.as_slice() {
                [n] => n.clone(),
                _ => {
                    return Err(CliError(format!(
                        "error: NAME is required for run\n{}",
                        usage_hint(verb)
                    )))
                }
            };
            let image = f
                .get("image")
                .filter(|i| !i.is_empty())
                .ok_or_else(|| CliError("error: required flag(s) \"image\" not set".into()))?
                .to_string();
            let restart = f.get("restart").unwrap_or("Always").to_string();
            if !["Always", "OnFailure", "Never"].contains(&restart.as_str()) {
                return Err(CliError(format!(
                    "error: invalid restart policy: {restart}"
                )));
            }
            let attach = f.switch("stdin")?;
            let rm = f.switch("rm")?;
            if rm && !attach {
                return Err(CliError(
                    "error: --rm should only be used for attached containers".into(),
                ));
            }
            Ok(Command::Run {
                name,
                image,
                restart,
                rm,
                attach,
                argv,
            })
        }
        "cordon" | "uncordon" => {
            let f = pf(verb, &NONE, &rest)?;
            match f.positional.as_slice() {
                [node] => Ok(Command::Cordon {
                    node: node.clone(),
                    uncordon: verb == "uncordon",
                }),
                _ => Err(CliError(format!(
                    "error: USAGE: {verb} NODE [flags]\n{}",
                    usage_hint(verb)
                ))),
            }
        }
        "wait" => {
            let f = pf(verb, &WAIT, &rest)?;
            let spec = f
                .get("for")
                .ok_or_else(|| CliError("error: --for must be specified".into()))?;
            let for_ = if spec == "delete" {
                WaitFor::Delete
            } else if let Some(c) = spec.strip_prefix("condition=") {
                let (name, value) = c.split_once('=').unwrap_or((c, "true"));
                WaitFor::Condition {
                    name: name.to_string(),
                    value: value.to_string(),
                }
            } else if let Some(j) = spec.strip_prefix("jsonpath=") {
                let j = j.trim_matches('\'');
                match j.rfind("}=") {
                    Some(i) => WaitFor::JsonPath {
                        path: j[..=i].to_string(),
                        value: Some(j[i + 2..].to_string()),
                    },
                    None => WaitFor::JsonPath {
                        path: j.to_string(),
                        value: None,
                    },
                }
            } else {
                return Err(CliError(format!(
                    "error: unrecognized condition: \"{spec}\""
                )));
            };
            let timeout_seconds = match f.get("timeout") {
                None => None,
                Some(t) => Some(go_duration_seconds(t).ok_or_else(|| {
                    CliError(format!("error: invalid argument \"{t}\" for \"--timeout\" flag: time: invalid duration \"{t}\""))
                })?),
            };
            let sel = selections(&f.positional)?;
            match sel.as_slice() {
                [s] if !s.names.is_empty() => Ok(Command::Wait {
                    resource: s.resource,
                    names: s.names.clone(),
                    for_,
                    timeout_seconds,
                }),
                _ => Err(CliError("error: resource name may not be empty".into())),
            }
        }
        "explain" => {
            let f = pf(verb, &EXPLAIN, &rest)?;
            super::explain::command(&f.positional, f.switch("recursive")?)
        }
        "edit" => {
            let f = pf(verb, &NONE, &rest)?;
            let (resource, name) = single(verb, &f.positional)?;
            Ok(Command::Edit { resource, name })
        }
        "top" => match rest.first().map(String::as_str) {
            // pkg/cmd/top/top_pod.go and top_node.go ask discovery for metrics.k8s.io first;
            // a cluster without metrics-server (kind's default, the playground's) has none
            Some("pod" | "pods" | "po" | "node" | "nodes" | "no") => {
                Err(CliError("error: Metrics API not available".into()))
            }
            Some(other) => Err(CliError(format!(
                "error: unknown command \"{other}\" for \"kubectl top\""
            ))),
            None => Err(CliError(
                "error: top needs a subcommand: node or pod".into(),
            )),
        },
        other => Err(CliError(format!(
            "error: unknown command \"{other}\" for \"kubectl\""
        ))),
    }?;
    // `-n ""` is the context's namespace (clientcmd's ToRawKubeConfigLoader)
    let namespace = namespace.filter(|n| !n.is_empty());
    if let Command::Get {
        all_namespaces: true,
        selections,
        ..
    } = &command
    {
        // cli-runtime `pkg/resource/builder.go` (visitByResource): names need one namespace
        if selections
            .iter()
            .any(|s| s.resource.namespaced() && !s.names.is_empty())
        {
            return Err(CliError(
                "error: a resource cannot be retrieved by name across all namespaces".into(),
            ));
        }
    }
    Ok((command, namespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(line: &str) -> Command {
        parse(line).unwrap_or_else(|e| panic!("{line}: {e}"))
    }
    fn err(line: &str) -> String {
        parse(line).expect_err(line).0
    }

    #[test]
    fn the_seed_walkthrough_commands_parse() {
        assert_eq!(
            ok("kubectl apply -f pv-demo.yaml"),
            Command::Apply {
                files: vec!["pv-demo.yaml".into()]
            }
        );
        assert_eq!(
            ok("kubectl create -f mongo-service.yaml"),
            Command::Create {
                files: vec!["mongo-service.yaml".into()]
            }
        );
        // Both argument orders of scale.
        let scale = Command::Scale {
            resource: Resource::StatefulSets,
            name: "mongo".into(),
            replicas: 5,
            current_replicas: -1,
            resource_version: String::new(),
        };
        assert_eq!(ok("kubectl scale --replicas=5 sts mongo"), scale);
        assert_eq!(ok("kubectl scale sts mongo --replicas 5"), scale);
        assert_eq!(ok("kubectl scale statefulset/mongo --replicas=5"), scale);
        let Command::Get {
            selections, watch, ..
        } = ok("kubectl get pods -w")
        else {
            panic!()
        };
        assert!(watch);
        assert_eq!(
            selections,
            [Selection {
                resource: Resource::Pods,
                names: vec![]
            }]
        );
    }

    #[test]
    fn resource_names_resolve_like_kubectl() {
        for name in [
            "sts",
            "statefulset",
            "statefulsets",
            "statefulsets.apps",
            "StatefulSet",
            "statefulset.apps",
        ] {
            assert_eq!(
                Resource::from_name(name),
                Some(Resource::StatefulSets),
                "{name}"
            );
        }
        assert_eq!(Resource::from_name("po"), Some(Resource::Pods));
        assert_eq!(
            Resource::from_name("pvc"),
            Some(Resource::PersistentVolumeClaims)
        );
        assert_eq!(Resource::from_name("sc"), Some(Resource::StorageClasses));
        assert_eq!(
            Resource::from_name("storageclasses.storage.k8s.io"),
            Some(Resource::StorageClasses)
        );
        assert_eq!(Resource::from_name("deployments"), None);
    }

    #[test]
    fn get_takes_several_types_and_names_and_flags() {
        let Command::Get {
            selections,
            output,
            selector,
            all_namespaces,
            show_labels,
            ..
        } = ok("kubectl get sts,pods -o wide -l role=mongo -A --show-labels")
        else {
            panic!()
        };
        assert_eq!(selections.len(), 2);
        assert_eq!(output, Output::Wide);
        assert_eq!(selector.as_deref(), Some("role=mongo"));
        assert!(all_namespaces && show_labels);
        let Command::Get {
            selections, output, ..
        } = ok("kubectl get pod/mongo-0 pod/mongo-1 -oyaml")
        else {
            panic!()
        };
        assert_eq!(output, Output::Yaml);
        assert_eq!(selections[0].names, ["mongo-0", "mongo-1"]);
    }

    #[test]
    fn errors_are_kubectls_own_words() {
        assert_eq!(
            err("kubectl get foo"),
            "error: the server doesn't have a resource type \"foo\""
        );
        assert_eq!(
            err("kubectl get pods --colour"),
            "error: unknown flag: --colour\nSee 'kubectl get --help' for usage."
        );
        assert_eq!(
            err("kubectl get pods -z"),
            "error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage."
        );
        assert_eq!(
            err("kubectl frobnicate"),
            "error: unknown command \"frobnicate\" for \"kubectl\""
        );
        assert_eq!(
            err("kubectl scale sts mongo"),
            "error: required flag(s) \"replicas\" not set"
        );
        assert!(err("kubectl get").starts_with("You must specify the type of resource to get."));
        assert!(err("kubectl get pods -o tree")
            .contains("unable to match a printer suitable for the output format \"tree\""));
    }

    #[test]
    fn delete_label_wait_rollout_and_shell_words() {
        assert_eq!(
            ok("kubectl delete pod mongo-0 --force --grace-period=0"),
            Command::Delete {
                files: vec![],
                selections: vec![Selection {
                    resource: Resource::Pods,
                    names: vec!["mongo-0".into()]
                }],
                cascade: Cascade::Background,
                grace_period: Some(0),
                force: true,
                wait: true,
                selector: None,
            }
        );
        let Command::Delete { cascade, .. } = ok("kubectl delete sts mongo --cascade=orphan")
        else {
            panic!()
        };
        assert_eq!(cascade, Cascade::Orphan);
        assert_eq!(
            ok("kubectl label pod mongo-1 playground.dev/unready=true tier-"),
            Command::Label {
                resource: Resource::Pods,
                name: "mongo-1".into(),
                changes: vec![
                    KeyChange::Set("playground.dev/unready".into(), "true".into()),
                    KeyChange::Remove("tier".into())
                ],
                overwrite: false,
            }
        );
        assert_eq!(
            ok("kubectl wait --for=condition=Ready pod/mongo-0 --timeout=60s"),
            Command::Wait {
                resource: Resource::Pods,
                names: vec!["mongo-0".into()],
                for_: WaitFor::Condition {
                    name: "Ready".into(),
                    value: "true".into()
                },
                timeout_seconds: Some(60),
            }
        );
        let Command::Wait { for_, .. } =
            ok("kubectl wait sts/mongo --for=jsonpath='{.status.readyReplicas}'=3")
        else {
            panic!()
        };
        assert_eq!(
            for_,
            WaitFor::JsonPath {
                path: "{.status.readyReplicas}".into(),
                value: Some("3".into())
            }
        );
        assert_eq!(
            ok("kubectl rollout undo sts/mongo --to-revision=1"),
            Command::Rollout {
                action: Rollout::Undo {
                    to_revision: Some(1)
                },
                resource: Resource::StatefulSets,
                name: "mongo".into()
            }
        );
        assert_eq!(
            ok(r#"kubectl patch sts mongo -p '{"spec":{"replicas":2}}'"#),
            Command::Patch {
                resource: Resource::StatefulSets,
                name: "mongo".into(),
                patch: r#"{"spec":{"replicas":2}}"#.into(),
                strategic: true
            }
        );
        assert_eq!(
            split_words(r#"a "b c" 'd e' f\ g"#).unwrap(),
            ["a", "b c", "d e", "f g"]
        );
        assert_eq!(
            ok("dig _mongo._tcp.mongo srv"),
            Command::Dig {
                name: "_mongo._tcp.mongo".into(),
                qtype: "SRV".into()
            }
        );
        assert_eq!(ok("sleep 5"), Command::Sleep { millis: 5000 });
        assert_eq!(ok("sleep 1.5"), Command::Sleep { millis: 1500 });
        assert_eq!(ok("sleep 2m"), Command::Sleep { millis: 120_000 });
        assert_eq!(
            ok("sleep 168h"),
            Command::Sleep {
                millis: 604_800_000
            }
        );
        assert_eq!(
            parse("sleep 1e308").unwrap_err().0,
            "sleep: invalid time interval '1e308': the console sleeps at most 7 days (a playground limit: MAX_BLOCK_MS)"
        );
        assert!(parse("sleep 168h1s")
            .unwrap_err()
            .0
            .contains("MAX_BLOCK_MS"));
    }

    /// `-n/--namespace` is kubectl's global flag (kubernetes/kubectl
    /// `pkg/cmd/cmd.go` adds the kubeconfig flags to every command): before or after the verb,
    /// in any of pflag's spellings; the last one wins.
    #[test]
    fn the_namespace_flag_is_read_before_and_after_the_verb() {
        let ns = |line: &str| parse_line(line).unwrap_or_else(|e| panic!("{line}: {e}")).1;
        assert_eq!(ns("kubectl get pods"), None);
        assert_eq!(
            ns("kubectl get pods -n kube-system").as_deref(),
            Some("kube-system")
        );
        assert_eq!(ns("kubectl -n shop get pods").as_deref(), Some("shop"));
        assert_eq!(
            ns("kubectl --namespace shop get pods").as_deref(),
            Some("shop")
        );
        assert_eq!(
            ns("kubectl get pods --namespace=shop").as_deref(),
            Some("shop")
        );
        assert_eq!(ns("kubectl get pods -nshop").as_deref(), Some("shop"));
        assert_eq!(ns("kubectl -n a get pods -n b").as_deref(), Some("b"));
        assert_eq!(
            ns("kubectl -n shop rollout status sts/web").as_deref(),
            Some("shop")
        );
        assert_eq!(
            ns("kubectl exec web-0 -n shop -- ls -n x").as_deref(),
            Some("shop")
        );
        assert_eq!(ok("kubectl -n shop get pods"), ok("kubectl get pods"));
        assert_eq!(
            ok("kubectl create namespace shop"),
            Command::CreateNamespace {
                name: "shop".into()
            }
        );
        assert_eq!(
            ok("kubectl create ns shop"),
            Command::CreateNamespace {
                name: "shop".into()
            }
        );
        assert!(err("kubectl create namespace").contains("exactly one NAME is required, got 0"));
        assert_eq!(
            err("kubectl get pods web-0 -A"),
            "error: a resource cannot be retrieved by name across all namespaces"
        );
        assert_eq!(ns("kubectl get pods -n ''"), None);
        assert!(matches!(
            ok("kubectl get ns"),
            Command::Get { ref selections, .. } if selections[0].resource == Resource::Namespaces
        ));
    }
}
