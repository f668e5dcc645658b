//! Manifests: YAML text in, typed Kubernetes objects and positioned diagnostics out.
//!
//! `parse` never panics and never gives up on the whole file because of one bad document: every
//! `---` document is read on its own, and each problem becomes a [`Diagnostic`] with a 1-based
//! line and column in the original text. The checks mirror what `kubectl apply` against a v1.35
//! API server would reject: syntax errors, wrong types, unknown fields (kubectl's default
//! `--validate=strict`), removed API versions, and the required fields and cross-field rules of
//! API validation that k8s-openapi's deserializers do not enforce.

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{Namespace, PersistentVolume, PersistentVolumeClaim, Service};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::de::DeserializeOwned;

use crate::yaml;

/// A Kubernetes object the playground simulates.
// Objects are few and short-lived (one per manifest document), so boxing the large variants
// would buy nothing but noise at every use.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Object {
    StatefulSet(StatefulSet),
    Service(Service),
    PersistentVolume(PersistentVolume),
    PersistentVolumeClaim(PersistentVolumeClaim),
    StorageClass(StorageClass),
    Namespace(Namespace),
}

impl Object {
    pub fn kind(&self) -> &'static str {
        match self {
            Object::StatefulSet(_) => "StatefulSet",
            Object::Service(_) => "Service",
            Object::PersistentVolume(_) => "PersistentVolume",
            Object::PersistentVolumeClaim(_) => "PersistentVolumeClaim",
            Object::StorageClass(_) => "StorageClass",
            Object::Namespace(_) => "Namespace",
        }
    }

    pub fn metadata(&self) -> &ObjectMeta {
        match self {
            Object::StatefulSet(o) => &o.metadata,
            Object::Service(o) => &o.metadata,
            Object::PersistentVolume(o) => &o.metadata,
            Object::PersistentVolumeClaim(o) => &o.metadata,
            Object::StorageClass(o) => &o.metadata,
            Object::Namespace(o) => &o.metadata,
        }
    }

    /// `metadata.namespace` of a namespaced kind, to read or set (`None`: cluster-scoped).
    pub fn namespace_slot(&mut self) -> Option<&mut Option<String>> {
        match self {
            Object::StatefulSet(o) => Some(&mut o.metadata.namespace),
            Object::Service(o) => Some(&mut o.metadata.namespace),
            Object::PersistentVolumeClaim(o) => Some(&mut o.metadata.namespace),
            Object::PersistentVolume(_) | Object::StorageClass(_) | Object::Namespace(_) => None,
        }
    }

    pub fn metadata_mut(&mut self) -> &mut ObjectMeta {
        match self {
            Object::StatefulSet(o) => &mut o.metadata,
            Object::Service(o) => &mut o.metadata,
            Object::PersistentVolume(o) => &mut o.metadata,
            Object::PersistentVolumeClaim(o) => &mut o.metadata,
            Object::StorageClass(o) => &mut o.metadata,
            Object::Namespace(o) => &mut o.metadata,
        }
    }

    pub fn name(&self) -> &str {
        self.metadata().name.as_deref().unwrap_or("")
    }

    /// kubectl's resource reference for this object, e.g. `statefulset.apps/mongo`.
    pub fn reference(&self) -> String {
        let resource = match self {
            Object::StatefulSet(_) => "statefulset.apps",
            Object::Service(_) => "service",
            Object::PersistentVolume(_) => "persistentvolume",
            Object::PersistentVolumeClaim(_) => "persistentvolumeclaim",
            Object::StorageClass(_) => "storageclass.storage.k8s.io",
            Object::Namespace(_) => "namespace",
        };
        format!("{resource}/{}", self.name())
    }

    /// A one-line description of what the object asks for, for object lists.
    pub fn summary(&self) -> String {
        match self {
            Object::StatefulSet(s) => {
                let spec = s.spec.as_ref();
                let replicas = spec.and_then(|s| s.replicas).unwrap_or(1);
                let service = spec
                    .and_then(|s| s.service_name.clone())
                    .unwrap_or_default();
                let claims = spec
                    .and_then(|s| s.volume_claim_templates.as_ref())
                    .map(|t| t.len())
                    .unwrap_or(0);
                format!(
                    "{replicas} replicas, serviceName {service:?}, {claims} volumeClaimTemplate(s)"
                )
            }
            Object::Service(s) => {
                let spec = s.spec.as_ref();
                let headless = spec.and_then(|s| s.cluster_ip.as_deref()) == Some("None");
                let ports: Vec<String> = spec
                    .and_then(|s| s.ports.as_ref())
                    .map(|ports| ports.iter().map(|p| p.port.to_string()).collect())
                    .unwrap_or_default();
                let kind = if headless { "headless" } else { "ClusterIP" };
                format!("{kind}, ports {}", ports.join(","))
            }
            Object::PersistentVolume(pv) => {
                let spec = pv.spec.as_ref();
                let capacity = spec
                    .and_then(|s| s.capacity.as_ref())
                    .and_then(|c| c.get("storage"))
                    .map(|q| q.0.clone())
                    .unwrap_or_default();
                let modes = access_modes(spec.and_then(|s| s.access_modes.as_deref()));
                format!("{capacity} {modes}")
            }
            Object::PersistentVolumeClaim(pvc) => {
                let spec = pvc.spec.as_ref();
                let request = spec
                    .and_then(|s| s.resources.as_ref())
                    .and_then(|r| r.requests.as_ref())
                    .and_then(|r| r.get("storage"))
                    .map(|q| q.0.clone())
                    .unwrap_or_default();
                let modes = access_modes(spec.and_then(|s| s.access_modes.as_deref()));
                format!("requests {request} {modes}")
            }
            Object::StorageClass(sc) => format!("provisioner {}", sc.provisioner),
            Object::Namespace(_) => "namespace".to_string(),
        }
    }
}

/// Access modes as kubectl abbreviates them (`RWO,ROX,RWX,RWOP`, in that order).
pub fn access_modes(modes: Option<&[String]>) -> String {
    let modes = modes.unwrap_or(&[]);
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(long, _)| modes.iter().any(|m| m == long))
    .map(|(_, short)| *short)
    .collect::<Vec<_>>()
    .join(",")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem in the text, at a 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The message as a phrase, when it is the playground's own words (a cross-object hint)
    /// rather than the parser's or the API server's: the page says it in its language.
    pub phrase: Option<crate::phrase::Phrase>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}: {severity}: {}",
            self.line, self.column, self.message
        )
    }
}

/// An object and where its document starts (1-based line).
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub object: Object,
    pub line: usize,
}

/// The result of reading one file: every object that is valid, and every problem found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Manifest {
    pub objects: Vec<Parsed>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Manifest {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// The largest text [`parse`] reads: the API server's request body limit (3 MiB).
pub const MAX_TEXT_BYTES: usize = 3 * 1024 * 1024;

/// The most documents [`parse`] reads from one text.
pub const MAX_DOCUMENTS: usize = 1_000;

/// The most field diagnostics (unknown fields, validation problems) reported per document; the
/// rest are counted in one more diagnostic.
pub const MAX_FIELD_DIAGNOSTICS: usize = 100;

/// Reads a YAML stream of Kubernetes manifests.
pub fn parse(text: &str) -> Manifest {
    read(text, &mut read_document)
}

/// Documents already read, by their text, for [`Cache::parse_all`].
#[derive(Debug, Default)]
pub struct Cache {
    documents: BTreeMap<String, Manifest>,
}

impl Cache {
    /// [`parse`] of each text, reading again only the `---` documents whose text the previous
    /// call did not see (a document's reading depends on its text alone; its lines are shifted
    /// to where it stands). For the editor, which checks every file on every change: a
    /// keystroke re-reads one document. Keeps the documents of the latest call only.
    pub fn parse_all(&mut self, texts: &[&str]) -> Vec<Manifest> {
        let mut previous = std::mem::take(&mut self.documents);
        let documents = &mut self.documents;
        texts
            .iter()
            .map(|text| {
                read(text, &mut |doc| {
                    if let Some(m) = documents.get(doc) {
                        return m.clone();
                    }
                    let m = previous.remove(doc).unwrap_or_else(|| read_document(doc));
                    documents.insert(doc.to_string(), m.clone());
                    m
                })
            })
            .collect()
    }
}

/// One document's reading, as if it started the text (line 1).
fn read_document(text: &str) -> Manifest {
    let mut out = Manifest::default();
    parse_document(
        &Document {
            text,
            first_line: 0,
        },
        &mut out,
    );
    out
}

/// [`parse`], with each document read by `document` (as if it started the text).
fn read(text: &str, document: &mut dyn FnMut(&str) -> Manifest) -> Manifest {
    let mut out = Manifest::default();
    if text.len() > MAX_TEXT_BYTES {
        out.diagnostics.push(diagnostic(
            Severity::Error,
            1,
            1,
            format!(
                "the text is {} bytes, more than the playground's limit of {} bytes (3 MiB, the API server's request size limit)",
                text.len(),
                MAX_TEXT_BYTES
            ),
        ));
        return out;
    }
    let docs = split_documents(text);
    for doc in docs.iter().take(MAX_DOCUMENTS) {
        let read = document(doc.text);
        out.objects.extend(read.objects.into_iter().map(|mut p| {
            p.line += doc.first_line;
            p
        }));
        out.diagnostics
            .extend(read.diagnostics.into_iter().map(|mut d| {
                d.line += doc.first_line;
                d
            }));
    }
    if let Some(extra) = docs.get(MAX_DOCUMENTS) {
        out.diagnostics.push(diagnostic(
            Severity::Error,
            extra.first_line + 1,
            1,
            format!(
                "the text has {} documents, more than the playground's limit of {MAX_DOCUMENTS}; the documents from here on are not read",
                docs.len()
            ),
        ));
    }
    crate::sort::sort_by_key(&mut out.diagnostics, |d| (d.line, d.column, d.severity));
    out
}

/// One `---`-separated document: its text and the 0-based line where it starts.
struct Document<'a> {
    text: &'a str,
    first_line: usize,
}

fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '#', '\r']))
}

/// Splits on document markers at column 0. A `---` at column 0 cannot be scalar content in a
/// block document, so this agrees with the YAML parser for the block style manifests use.
fn split_documents(text: &str) -> Vec<Document<'_>> {
    let mut docs = Vec::new();
    let mut start = 0usize;
    let mut start_line = 0usize;
    let mut offset = 0usize;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end_matches(['\n', '\r']);
        if is_marker(trimmed, "---") || is_marker(trimmed, "...") {
            docs.push(Document {
                text: &text[start..offset],
                first_line: start_line,
            });
            start = offset + line.len();
            start_line = number + 1;
            if trimmed.len() > 3 && !trimmed[3..].trim_start().starts_with('#') {
                // Content after `--- ` on the marker line (`--- |`, a tag) starts the next
                // document on this very line.
                start = offset + 3;
                start_line = number;
            }
            offset += line.len();
            continue;
        }
        offset += line.len();
    }
    docs.push(Document {
        text: &text[start..],
        first_line: start_line,
    });
    docs.retain(|d| {
        d.text
            .lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
    });
    docs
}

fn diagnostic(
    severity: Severity,
    line: usize,
    column: usize,
    message: impl Into<String>,
) -> Diagnostic {
    Diagnostic {
        severity,
        line,
        column,
        message: message.into(),
        phrase: None,
    }
}

/// (apiVersion, kind) pairs the API server of v1.35 serves for the kinds the playground models.
const SERVED: &[(&str, &str)] = &[
    ("apps/v1", "StatefulSet"),
    ("v1", "Service"),
    ("v1", "PersistentVolume"),
    ("v1", "PersistentVolumeClaim"),
    ("storage.k8s.io/v1", "StorageClass"),
    ("v1", "Namespace"),
];

fn parse_document(doc: &Document<'_>, out: &mut Manifest) {
    let at = |line: usize, column: usize| (doc.first_line + line, column);
    // The tree is read first: it refuses hostile documents (deep nesting, alias bombs) before
    // serde_yaml would spend unbounded time or memory on them.
    let tree = match yaml::Tree::read(doc.text) {
        Ok(tree) => Some(tree),
        Err(yaml::Stop::Limit(limit)) => {
            let (line, column) = at(limit.mark.line as usize + 1, limit.mark.column as usize + 1);
            out.diagnostics.push(diagnostic(
                Severity::Error,
                line,
                column,
                format!("YAML syntax: {}", limit.message),
            ));
            return;
        }
        // serde_yaml words syntax errors, just below.
        Err(yaml::Stop::Syntax) => None,
    };
    // What the top level says: read off the tree when serde_yaml would read the same and
    // raise nothing (the common case: half the work), else from serde_yaml, which words the
    // syntax errors and any refusal of its own.
    let top = match tree.as_ref().and_then(|t| top_from_tree(t, doc.text)) {
        Some(top) => top,
        None => {
            let value: serde_yaml::Value = match serde_yaml::from_str(doc.text) {
                Ok(v) => v,
                Err(e) => {
                    let (line, column) = e
                        .location()
                        .map(|l| at(l.line(), l.column()))
                        .unwrap_or(at(1, 1));
                    out.diagnostics.push(diagnostic(
                        Severity::Error,
                        line,
                        column,
                        format!("YAML syntax: {}", strip_location(&e.to_string())),
                    ));
                    return;
                }
            };
            match value.as_mapping() {
                Some(map) => {
                    let field =
                        |name: &str| map.get(name).and_then(|v| v.as_str()).map(str::to_owned);
                    Top::Mapping(field("apiVersion"), field("kind"))
                }
                None if value.is_null() => Top::Null,
                None => Top::Other,
            }
        }
    };
    let Some(tree) = tree else {
        // libyaml refused the text but serde_yaml (the same parser) did not: cannot happen.
        return;
    };
    let locator = Locator::new(doc.text);
    let locate_at = |path: &[Segment]| {
        let (line, column) = locator.locate(path);
        at(line, column)
    };
    let (api_version, kind) = match top {
        Top::Null => return,
        Top::Other => {
            let (line, column) = at(1, 1);
            out.diagnostics.push(diagnostic(
                Severity::Error,
                line,
                column,
                "a manifest must be a mapping with apiVersion, kind and metadata",
            ));
            return;
        }
        Top::Mapping(Some(a), Some(k)) => (a, k),
        Top::Mapping(a, k) => {
            let mut missing = Vec::new();
            if a.is_none() {
                missing.push("apiVersion not set");
            }
            if k.is_none() {
                missing.push("kind not set");
            }
            let (line, column) = at(1, 1);
            out.diagnostics.push(diagnostic(
                Severity::Error,
                line,
                column,
                format!("error validating data: [{}]", missing.join(", ")),
            ));
            return;
        }
    };
    if !SERVED.contains(&(api_version.as_str(), kind.as_str())) {
        let (line, column) = locate_at(&[Segment::Key("apiVersion".into())]);
        let message = match SERVED.iter().find(|(_, k)| *k == kind) {
            Some((served, _)) => format!(
                "no matches for kind \"{kind}\" in version \"{api_version}\": Kubernetes v1.35 serves {kind} as apiVersion: {served}"
            ),
            None => {
                let (line, column) = locate_at(&[Segment::Key("kind".into())]);
                out.diagnostics.push(diagnostic(
                    Severity::Warning,
                    line,
                    column,
                    format!(
                        "kind \"{kind}\" ({api_version}) is not simulated by the playground; this document is ignored (supported: StatefulSet, Service, PersistentVolume, PersistentVolumeClaim, StorageClass)"
                    ),
                ));
                return;
            }
        };
        out.diagnostics
            .push(diagnostic(Severity::Error, line, column, message));
        return;
    }

    let before = out.diagnostics.len();
    let typed = Typed {
        doc,
        tree: &tree,
        locator: &locator,
    };
    let object = match kind.as_str() {
        "StatefulSet" => typed.decode::<StatefulSet>(out).map(Object::StatefulSet),
        "Service" => typed.decode::<Service>(out).map(Object::Service),
        "PersistentVolume" => typed
            .decode::<PersistentVolume>(out)
            .map(Object::PersistentVolume),
        "PersistentVolumeClaim" => typed
            .decode::<PersistentVolumeClaim>(out)
            .map(Object::PersistentVolumeClaim),
        "Namespace" => typed.decode::<Namespace>(out).map(Object::Namespace),
        _ => typed.decode::<StorageClass>(out).map(Object::StorageClass),
    };
    let Some(object) = object else { return };
    // errors (the API server's refusal), then the pod template's problems as warnings
    // (refused only when a pod is created from it), each list bounded
    let lists = [
        (
            crate::validation::validate(&object),
            Severity::Error,
            "problems",
        ),
        (
            crate::validation::template_warnings(&object),
            Severity::Warning,
            "pod template problems",
        ),
    ];
    for (problems, severity, what) in lists {
        for problem in problems.iter().take(MAX_FIELD_DIAGNOSTICS) {
            let (line, column) = locate_at(&problem.path);
            out.diagnostics
                .push(diagnostic(severity, line, column, problem.message.clone()));
        }
        if let Some(next) = problems.get(MAX_FIELD_DIAGNOSTICS) {
            let (line, column) = locate_at(&next.path);
            out.diagnostics.push(diagnostic(
                severity,
                line,
                column,
                format!(
                    "{} more {what} in this document (the playground reports at most {MAX_FIELD_DIAGNOSTICS} per document)",
                    problems.len() - MAX_FIELD_DIAGNOSTICS
                ),
            ));
        }
    }
    if out.diagnostics[before..]
        .iter()
        .all(|d| d.severity != Severity::Error)
    {
        let (line, _) = at(1, 1);
        out.objects.push(Parsed { object, line });
    }
}

/// A document's top level, as `serde_yaml::Value` tells it: a mapping (with its `apiVersion`
/// and `kind` when they are strings), null (an empty document), or anything else.
#[derive(Debug, PartialEq)]
enum Top {
    Mapping(Option<String>, Option<String>),
    Null,
    Other,
}

/// [`Top`] read off the tree, when serde_yaml's `Value` would read the same document without
/// an error of its own: no tags, no aliases, every mapping key a string and none repeated (its
/// "duplicate entry" refusal), no directive or second document. `None`: ask serde_yaml.
fn top_from_tree(tree: &yaml::Tree, text: &str) -> Option<Top> {
    if text
        .lines()
        .any(|l| l.starts_with("---") || l.starts_with("...") || l.starts_with('%'))
    {
        return None;
    }
    let mut keys: Vec<&str> = Vec::new();
    for node in &tree.nodes {
        if node.tag.is_some() {
            return None;
        }
        match &node.kind {
            yaml::Kind::Alias(_) => return None,
            yaml::Kind::Map(entries) => {
                keys.clear();
                for (k, _) in entries {
                    keys.push(yaml::de::untagged_string(tree.node(*k))?);
                }
                keys.sort_unstable();
                if keys.windows(2).any(|w| w[0] == w[1]) {
                    return None;
                }
            }
            _ => {}
        }
    }
    let root = tree.nodes.first()?;
    Some(match &root.kind {
        yaml::Kind::Map(entries) => {
            let field = |name: &str| {
                entries
                    .iter()
                    .find(|(k, _)| yaml::de::untagged_string(tree.node(*k)) == Some(name))
                    .and_then(|(_, v)| yaml::de::untagged_string(tree.node(*v)))
                    .map(str::to_owned)
            };
            Top::Mapping(field("apiVersion"), field("kind"))
        }
        _ if yaml::de::untagged_null(root) => Top::Null,
        _ => Top::Other,
    })
}

/// A document's tree, for decoding into its k8s-openapi type.
struct Typed<'a> {
    doc: &'a Document<'a>,
    tree: &'a yaml::Tree,
    locator: &'a Locator<'a>,
}

impl Typed<'_> {
    /// Decodes the document, reporting type errors and unknown fields (kubectl's strict
    /// decoding) as serde_yaml and serde_ignored did: the texts and positions are theirs.
    fn decode<T: DeserializeOwned>(&self, out: &mut Manifest) -> Option<T> {
        let mut state = yaml::de::State::new(self.tree, Some(MAX_FIELD_DIAGNOSTICS + 1));
        let result = T::deserialize(state.root());
        let unknown = state.unknown();
        for path in unknown.iter().take(MAX_FIELD_DIAGNOSTICS) {
            let (line, column) = self.locator.locate(path);
            out.diagnostics.push(diagnostic(
                Severity::Error,
                self.doc.first_line + line,
                column,
                format!(
                    "strict decoding error: unknown field \"{}\"",
                    format_path(path)
                ),
            ));
        }
        if let Some(next) = unknown.get(MAX_FIELD_DIAGNOSTICS) {
            let (line, column) = self.locator.locate(next);
            out.diagnostics.push(diagnostic(
                Severity::Error,
                self.doc.first_line + line,
                column,
                format!(
                    "strict decoding error: {} more unknown fields (the playground reports at most {MAX_FIELD_DIAGNOSTICS} per document)",
                    state.ignored - MAX_FIELD_DIAGNOSTICS
                ),
            ));
        }
        match result {
            Ok(v) if state.ignored == 0 => Some(v),
            Ok(_) => None,
            Err(e) => {
                let (line, column) = e.location().unwrap_or((1, 1));
                out.diagnostics.push(diagnostic(
                    Severity::Error,
                    self.doc.first_line + line,
                    column,
                    strip_location(&e.to_string()),
                ));
                None
            }
        }
    }
}

/// `serde_json::from_value` for a k8s-openapi type, but decoded by the manifest parser's
/// deserializer (unknown fields ignored, as `from_value` does), with JSON's strings as YAML's
/// double-quoted scalars, as JSON text read as YAML would be. The point is size: a
/// `serde_json::Value` deserializer would instantiate the type's whole Deserialize tree
/// (PodSpec, Volume, … ≈ 190 KB of wasm) a second time, while this reuses the instantiation that
/// [`parse`] already needs. Used for the pod templates stored in ControllerRevisions, describe
/// and patch. See SIZE.md.
pub fn from_json_value<T: DeserializeOwned>(value: &serde_json::Value) -> Option<T> {
    let tree = yaml::Tree::from_json(value);
    let mut state = yaml::de::State::new(&tree, None);
    T::deserialize(state.root()).ok()
}

/// serde_yaml appends " at line L column C" to its messages; the diagnostic carries it instead.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(" column ") => message[..i].to_owned(),
        _ => message.to_owned(),
    }
}

/// One step of a field path: a mapping key or a sequence index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Builds a path from `a.b[0].c` notation (keys must not contain dots or brackets).
pub fn path(dotted: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for part in dotted.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            out.push(Segment::Key(rest[..i].to_owned()));
            rest = &rest[i..];
            while let Some(end) = rest.find(']') {
                if let Ok(n) = rest[1..end].parse() {
                    out.push(Segment::Index(n));
                }
                rest = &rest[end + 1..];
            }
        } else {
            out.push(Segment::Key(rest.to_owned()));
        }
    }
    out
}

/// Formats a path as Kubernetes field paths read: `spec.template.spec.containers[0].name`.
pub fn format_path(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// One line's structure: where its first token is, the columns of its `- ` entries, and its
/// key (column, name, whether a value follows on the line).
#[derive(Debug)]
pub(crate) struct Line<'a> {
    pub(crate) first: usize,
    pub(crate) dashes: Vec<usize>,
    pub(crate) key: Option<(usize, &'a str, bool)>,
}

pub(crate) fn scan_line(line: &str) -> Option<Line<'_>> {
    let bytes = line.as_bytes();
    let mut i = bytes.iter().take_while(|b| **b == b' ').count();
    if i >= bytes.len() || bytes[i] == b'#' || line.trim().is_empty() {
        return None;
    }
    let first = i;
    let mut dashes = Vec::new();
    while i < bytes.len() && bytes[i] == b'-' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
        dashes.push(i);
        i += 1;
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
    }
    let rest = &line[i..];
    let key = key_at(rest).map(|(name, has_value)| (i, name, has_value));
    Some(Line { first, dashes, key })
}

/// `name:` or `name: value` at the start of `rest` (quotes allowed around the name).
fn key_at(rest: &str) -> Option<(&str, bool)> {
    let (name, after) = if let Some(q) = rest.strip_prefix('"') {
        let end = q.find('"')?;
        (&q[..end], &q[end + 1..])
    } else if let Some(q) = rest.strip_prefix('\'') {
        let end = q.find('\'')?;
        (&q[..end], &q[end + 1..])
    } else {
        if rest.starts_with(['{', '[', '|', '>', '&', '*', '!', '#']) {
            return None;
        }
        let end = rest
            .find(": ")
            .or_else(|| rest.find(":\t"))
            .or_else(|| rest.trim_end().strip_suffix(':').map(str::len))?;
        (&rest[..end], &rest[end..])
    };
    let after = after.strip_prefix(':')?;
    let value = after.trim();
    Some((
        name.trim_end(),
        !value.is_empty() && !value.starts_with('#'),
    ))
}

/// Finds where a field path is written in a block-style YAML document, as a 1-based
/// (line, column). Falls back to the deepest ancestor found (or the document start) for paths
/// it cannot follow, such as fields inside flow mappings.
pub fn locate(text: &str, path: &[Segment]) -> (usize, usize) {
    Locator::new(text).locate(path)
}

/// A document's lines read once, for many [`locate`] calls.
struct Locator<'a> {
    lines: Vec<Option<Line<'a>>>,
}

impl<'a> Locator<'a> {
    fn new(text: &'a str) -> Locator<'a> {
        Locator {
            lines: text.lines().map(scan_line).collect(),
        }
    }

    fn locate(&self, path: &[Segment]) -> (usize, usize) {
        locate_in(&self.lines, path)
    }
}

fn locate_in(lines: &[Option<Line>], path: &[Segment]) -> (usize, usize) {
    let mut best = lines
        .iter()
        .position(Option::is_some)
        .map(|i| (i + 1, lines[i].as_ref().map_or(1, |t| t.first + 1)))
        .unwrap_or((1, 1));
    // The scope is a range of lines; `item` is set when the scope starts at a `- ` entry whose
    // column is the given one, so keys on that line belong to the entry.
    let (mut lo, mut hi) = (0usize, lines.len());
    for segment in path {
        match segment {
            Segment::Key(name) => {
                let level = (lo..hi)
                    .filter_map(|i| lines[i].as_ref()?.key.map(|k| k.0))
                    .min();
                let Some(level) = level else { break };
                let found = (lo..hi).find(|&i| {
                    lines[i]
                        .as_ref()
                        .and_then(|t| t.key)
                        .is_some_and(|(col, k, _)| col == level && k == name)
                });
                let Some(line) = found else { break };
                best = (line + 1, level + 1);
                let end = (line + 1..hi)
                    .find(|&i| {
                        lines[i].as_ref().is_some_and(|t| {
                            t.first < level || (t.first == level && t.dashes.is_empty())
                        })
                    })
                    .unwrap_or(hi);
                lo = line + 1;
                hi = end;
            }
            Segment::Index(index) => {
                let level = (lo..hi)
                    .filter_map(|i| lines[i].as_ref()?.dashes.first().copied())
                    .min();
                let Some(level) = level else { break };
                let items: Vec<usize> = (lo..hi)
                    .filter(|&i| {
                        lines[i]
                            .as_ref()
                            .is_some_and(|t| t.dashes.first() == Some(&level) && t.first == level)
                    })
                    .collect();
                let Some(&line) = items.get(*index) else {
                    break;
                };
                best = (line + 1, level + 1);
                let end = items.get(index + 1).copied().unwrap_or_else(|| {
                    (line + 1..hi)
                        .find(|&i| lines[i].as_ref().is_some_and(|t| t.first <= level))
                        .unwrap_or(hi)
                });
                lo = line;
                hi = end;
                // Keys on the entry's own line sit after the dash; a nested `- - x` is rare.
            }
        }
    }
    best
}

/// Counts objects by kind, for summaries such as "5 PersistentVolumes, 1 Service".
pub fn count_by_kind(objects: &[Parsed]) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for p in objects {
        *counts.entry(p.object.kind()).or_insert(0) += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;

    fn errors(m: &Manifest) -> Vec<String> {
        m.diagnostics.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn from_json_value_matches_serde_json_from_value() {
        use k8s_openapi::api::core::v1::PodTemplateSpec;
        let odd = "tab\t nl\n quote\" bs\\ del\u{7f} nel\u{85} a \u{2028} b\u{2029} \u{fffe} é 😀 : # - {x}";
        let v = serde_json::json!({
            "metadata": {"labels": {"app": "web", "x/y.z": odd, "n": "0123", "b": "true", "e": ""},
                         "annotations": {"null": "null", "tilde": "~"}},
            "spec": {
                "containers": [{"name": "c", "image": "nginx:1.27", "args": [odd, "1e3", "-", "*a", "&b"],
                                "ports": [{"containerPort": 80}],
                                "resources": {"requests": {"cpu": "100m", "memory": "1Gi"}},
                                "env": [{"name": "E", "value": odd}],
                                "livenessProbe": {"httpGet": {"path": "/", "port": "http"}}}],
                "terminationGracePeriodSeconds": 10,
                "nodeSelector": {},
                "volumes": [{"name": "v", "emptyDir": {}}],
                "unknownField": {"$patch": "replace"}
            }
        });
        let want: PodTemplateSpec = serde_json::from_value(v.clone()).unwrap();
        let got: PodTemplateSpec = from_json_value(&v).unwrap();
        assert_eq!(got, want);
        assert_eq!(
            from_json_value::<PodTemplateSpec>(&serde_json::json!({"spec": 3})),
            None
        );
        assert_eq!(
            from_json_value::<PodTemplateSpec>(&serde_json::json!({})),
            serde_json::from_value(serde_json::json!({})).ok()
        );
    }

    /// The decoding as it was before the tree: serde_yaml's deserializer wrapped by
    /// serde_ignored. Returns the object, the unknown-field paths and the error with its
    /// position.
    type Decoded<T> = (
        Option<T>,
        Vec<Vec<Segment>>,
        Option<(String, Option<(usize, usize)>)>,
    );

    fn serde_yaml_decode<T: DeserializeOwned>(text: &str) -> Decoded<T> {
        fn segments(path: &serde_ignored::Path<'_>) -> Vec<Segment> {
            use serde_ignored::Path;
            match path {
                Path::Root => Vec::new(),
                Path::Seq { parent, index } => {
                    let mut v = segments(parent);
                    v.push(Segment::Index(*index));
                    v
                }
                Path::Map { parent, key } => {
                    let mut v = segments(parent);
                    v.push(Segment::Key(key.clone()));
                    v
                }
                Path::Some { parent }
                | Path::NewtypeStruct { parent }
                | Path::NewtypeVariant { parent } => segments(parent),
            }
        }
        let mut unknown = Vec::new();
        let mut record = |path: serde_ignored::Path<'_>| unknown.push(segments(&path));
        let de = serde_yaml::Deserializer::from_str(text);
        let result: Result<T, _> = serde_ignored::deserialize(de, &mut record);
        match result {
            Ok(v) => (Some(v), unknown, None),
            Err(e) => {
                let at = e.location().map(|l| (l.line(), l.column()));
                (None, unknown, Some((strip_location(&e.to_string()), at)))
            }
        }
    }

    fn tree_decode<T: DeserializeOwned>(text: &str) -> Decoded<T> {
        let tree = yaml::Tree::read(text).expect("the document reads");
        let mut state = yaml::de::State::new(&tree, Some(usize::MAX));
        let result = T::deserialize(state.root());
        let unknown = state.unknown().to_vec();
        match result {
            Ok(v) => (Some(v), unknown, None),
            Err(e) => (
                None,
                unknown,
                Some((strip_location(&e.to_string()), e.location())),
            ),
        }
    }

    /// Every line of the seed manifests, with its value replaced by one of many YAML scalars
    /// and collections, or followed by an unknown field, decodes exactly as serde_yaml +
    /// serde_ignored decoded it: same object, unknown fields, error text and position.
    #[test]
    fn the_tree_decoder_matches_serde_yaml_and_serde_ignored() {
        fn check<T: DeserializeOwned + PartialEq + fmt::Debug>(base: &str) -> usize {
            let values = [
                "three",
                "3",
                "-3",
                "+3",
                "0x1F",
                "-0x1F",
                "0o17",
                "0b101",
                "017",
                "-017",
                "1e3",
                "3.5",
                ".inf",
                "-.inf",
                ".nan",
                "99999999999999999999",
                "-99999999999999999999",
                "340282366920938463463374607431768211456",
                "~",
                "null",
                "",
                "true",
                "False",
                "'3'",
                "\"3\"",
                "!!int 3",
                "!!int x",
                "!!str 3",
                "!!bool yes",
                "!!float 2",
                "!!null ~",
                "!!null x",
                "!foo 3",
                "!foo [1]",
                "[1, 2]",
                "[]",
                "{}",
                "{a: 1}",
                "|\n  text",
                "!!int |\n  3",
                "&x 5",
                "[a, {b: c}]",
                "{? [k] : v}",
                "{1: 2}",
                "2026-01-01T00:00:00Z",
                "'2026-01-01T00:00:00Z'",
                "100Mi",
                "0.5",
            ];
            let mut checked = 0;
            let lines: Vec<&str> = base.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let Some(colon) = line
                    .find(": ")
                    .or_else(|| line.strip_suffix(':').map(str::len))
                else {
                    continue;
                };
                let indent = line.len() - line.trim_start_matches([' ', '-']).len();
                let mut variants: Vec<String> = values
                    .iter()
                    .map(|v| {
                        let mut l = lines.clone();
                        let new = format!("{}: {v}", &line[..colon]);
                        l[i] = &new;
                        l.join("\n")
                    })
                    .collect();
                let mut l: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
                l.insert(i + 1, format!("{}colour: blue", " ".repeat(indent)));
                variants.push(l.join("\n"));
                for text in variants {
                    if serde_yaml::from_str::<serde_yaml::Value>(&text).is_err() {
                        continue;
                    }
                    let want = serde_yaml_decode::<T>(&text);
                    let got = tree_decode::<T>(&text);
                    assert_eq!(got, want, "{text}");
                    checked += 1;
                }
            }
            checked
        }
        let mut checked = check::<StatefulSet>(examples::MONGO_STATEFULSET);
        checked += check::<Service>(examples::MONGO_SERVICE);
        let pv = examples::MONGO_PVS.split("---").nth(1).unwrap();
        checked += check::<PersistentVolume>(pv);
        assert!(checked > 1_500, "{checked}");
    }

    /// `top_from_tree` answers only where serde_yaml's `Value` reads the document without an
    /// error, and then answers what the `Value` says (so diagnostics stay serde_yaml's).
    #[test]
    fn the_top_level_read_off_the_tree_is_what_serde_yaml_reads() {
        let values = [
            "v1",
            "apps/v1",
            "'v1'",
            "\"v1\"",
            "1",
            "1.0",
            "true",
            "yes",
            "no",
            "~",
            "null",
            "",
            "0x1f",
            "0o17",
            ".inf",
            "-.5",
            "1e3",
            "!!str 1",
            "!foo v1",
            "&a v1",
            "|\n  v1",
            ">\n  v1",
            "[v1]",
            "{a: b}",
            "2026-01-01",
            "\"\"",
            "Service",
            "<<",
        ];
        let mut docs: Vec<String> = Vec::new();
        for v in values {
            docs.push(format!(
                "apiVersion: {v}\nkind: Service\nmetadata:\n  name: x\n"
            ));
            docs.push(format!("apiVersion: v1\nkind: {v}\n"));
            docs.push(format!("{v}\n"));
            docs.push(format!("kind: Service\n{v}: 2\napiVersion: v1\n"));
            docs.push(format!("kind: Service\nspec:\n  {v}: 1\n  a: 2\n"));
            docs.push(format!("- {v}\n"));
        }
        for d in [
            "a: 1\na: 2\n",
            "a: 1\n'a': 2\n",
            "a: 1\n\"a\": 2\n",
            "kind: x\nspec:\n  b: 1\n  b: 2\n",
            "kind: x\nspec:\n  - b: 1\n    b: 2\n",
            "1: a\n01: b\n",
            "? a\n: 1\n",
            "? [a]\n: 1\n",
            "a: &x {b: 1}\nc: *x\n",
            "a: {b: 1, b: 2}\n",
            "%YAML 1.1\n---\na: 1\n",
            "",
            "# only a comment\n",
            "apiVersion: v1\nkind: Service\napiVersion: v2\n",
        ] {
            docs.push(d.to_string());
        }
        let mut answered = 0;
        for text in &docs {
            let Ok(tree) = yaml::Tree::read(text) else {
                continue;
            };
            let Some(top) = top_from_tree(&tree, text) else {
                continue;
            };
            let value: serde_yaml::Value = serde_yaml::from_str(text).unwrap_or_else(|e| {
                panic!("serde_yaml refuses what the tree answered: {text:?}: {e}")
            });
            let want = match value.as_mapping() {
                Some(map) => {
                    let field = |n: &str| map.get(n).and_then(|v| v.as_str()).map(str::to_owned);
                    Top::Mapping(field("apiVersion"), field("kind"))
                }
                None if value.is_null() => Top::Null,
                None => Top::Other,
            };
            assert_eq!(top, want, "{text:?}");
            answered += 1;
        }
        assert!(answered > 100, "{answered}");
        // and the common case is answered
        let sts = yaml::Tree::read(examples::MONGO_STATEFULSET).unwrap();
        assert_eq!(
            top_from_tree(&sts, examples::MONGO_STATEFULSET),
            Some(Top::Mapping(
                Some("apps/v1".into()),
                Some("StatefulSet".into())
            ))
        );
    }

    #[test]
    fn seed_mongodb_manifests_parse_into_typed_objects() {
        let pvs = parse(examples::MONGO_PVS);
        assert_eq!(errors(&pvs), Vec::<String>::new());
        let names: Vec<&str> = pvs.objects.iter().map(|p| p.object.name()).collect();
        assert_eq!(names, ["pv001", "pv002", "pv003", "pv004", "pv005"]);
        // Each PV document starts after the previous one's `---`.
        let lines: Vec<usize> = pvs.objects.iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 15, 29, 43, 57]);
        assert_eq!(pvs.objects[2].object.summary(), "100Mi RWX");

        let svc = parse(examples::MONGO_SERVICE);
        assert!(svc.diagnostics.is_empty());
        assert_eq!(svc.objects[0].object.summary(), "headless, ports 27017");

        let sts = parse(examples::MONGO_STATEFULSET);
        assert!(sts.diagnostics.is_empty(), "{:?}", errors(&sts));
        let Object::StatefulSet(set) = &sts.objects[0].object else {
            panic!("not a StatefulSet")
        };
        let spec = set.spec.as_ref().unwrap();
        assert_eq!(spec.replicas, Some(3));
        assert_eq!(spec.template.spec.as_ref().unwrap().containers.len(), 2);
        assert_eq!(sts.objects[0].object.reference(), "statefulset.apps/mongo");
    }

    #[test]
    fn the_seeds_removed_apps_v1beta1_is_rejected_with_kubectls_words() {
        let text = examples::MONGO_STATEFULSET.replace("apps/v1", "apps/v1beta1");
        let m = parse(&text);
        assert!(m.objects.is_empty());
        assert_eq!(
            errors(&m),
            ["1:1: error: no matches for kind \"StatefulSet\" in version \"apps/v1beta1\": Kubernetes v1.35 serves StatefulSet as apiVersion: apps/v1"]
        );
    }

    #[test]
    fn syntax_errors_point_at_the_line_and_column_in_the_whole_file() {
        let text = format!("{}---\nkind: Service\n  bad: [\n", examples::MONGO_SERVICE);
        let m = parse(&text);
        assert_eq!(m.objects.len(), 1, "the good document is kept");
        assert_eq!(m.diagnostics.len(), 1);
        let d = &m.diagnostics[0];
        assert_eq!(d.severity, Severity::Error);
        assert!(d.message.starts_with("YAML syntax: "), "{}", d.message);
        assert!(
            d.line >= 16,
            "error is reported in the second document, got line {}",
            d.line
        );
    }

    #[test]
    fn a_wrong_type_is_reported_with_its_field_path_and_position() {
        let text = examples::MONGO_STATEFULSET.replace("replicas: 3", "replicas: three");
        let m = parse(&text);
        assert!(m.objects.is_empty());
        let d = &m.diagnostics[0];
        assert_eq!((d.line, d.column), (7, 13), "{d}");
        assert!(
            d.message
                .contains("spec.replicas: invalid type: string \"three\""),
            "{d}"
        );
    }

    #[test]
    fn unknown_fields_are_strict_decoding_errors_at_the_field() {
        let text = examples::MONGO_STATEFULSET.replace(
            "          image: cvallance/mongo-k8s-sidecar",
            "          image: cvallance/mongo-k8s-sidecar\n          colour: blue",
        );
        let m = parse(&text);
        assert_eq!(
            errors(&m),
            ["37:11: error: strict decoding error: unknown field \"spec.template.spec.containers[1].colour\""]
        );
    }

    #[test]
    fn required_fields_and_selector_mismatch_are_validated() {
        let text = examples::MONGO_STATEFULSET
            .replace(
                "      labels:\n        role: mongo\n        environment: test\n",
                "      labels:\n        role: db\n",
            )
            .replace("          image: mongo:3.4\n", "");
        let m = parse(&text);
        let all = errors(&m);
        assert!(m.objects.is_empty());
        assert!(
            all.iter().any(|e| e
                .starts_with("14:7: error: spec.template.metadata.labels: Invalid value")
                && e.ends_with("`selector` does not match template `labels`")),
            "{all:?}"
        );
        // upstream validates the template only when a pod is created from it
        // (pkg/apis/apps/validation/validation.go, ValidatePodTemplateSpecForStatefulSet):
        // the editor warns, the API server's refusal comes in the FailedCreate event
        let warnings: Vec<String> = m
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
            .collect();
        assert!(
            warnings.iter().any(|e| e.starts_with(
                "19:9: spec.template.spec.containers[0].image: Required value (the API server accepts"
            )),
            "{warnings:?}"
        );
    }

    #[test]
    fn unsupported_kinds_are_ignored_with_a_warning() {
        let m = parse("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n");
        assert!(m.objects.is_empty());
        assert!(!m.has_errors());
        assert_eq!(m.diagnostics[0].line, 2);
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "",
            "---",
            "- a\n- b",
            "a: [",
            ":\n:",
            "apiVersion: v1\nkind: Service",
            "\t\u{0}",
            "--- |\n  x",
        ] {
            let _ = parse(text);
        }
    }

    #[test]
    fn locate_follows_keys_and_sequence_items() {
        let text = "a:\n  b:\n  - x: 1\n    y: 2\n  - x: 3\n    z:\n      w: 4\nc: 5\n";
        assert_eq!(locate(text, &path("a.b[1].z.w")), (7, 7));
        assert_eq!(locate(text, &path("a.b[0].y")), (4, 5));
        assert_eq!(locate(text, &path("c")), (8, 1));
        assert_eq!(locate(text, &path("a.missing")), (1, 1));
        assert_eq!(
            format_path(&path("spec.containers[0].name")),
            "spec.containers[0].name"
        );
    }
}
