//! The editor's diagnostics: everything [`manifest::parse`] reports (the API server's and
//! kubectl's refusals, in their words), plus what only the whole set of files and the simulated
//! cluster can tell:
//!
//! * a removed apiVersion (the seed's `apps/v1beta1`, also `apps/v1beta2`, `extensions/v1beta1`)
//!   gets kubectl's own error (`resource mapping not found for name: … ensure CRDs are installed
//!   first`, kubectl `pkg/cmd/apply` + `pkg/cmd/util/helpers.go`) and a one-click [`Fix`] to the
//!   served version that also adds what `apps/v1` requires (`spec.selector.matchLabels` from the
//!   template's labels);
//! * `spec.replicas` above the playground's limit ([`ClusterConfig::max_replicas`]), as the
//!   engine refuses it;
//! * cross-object warnings: a `serviceName` that names no Service or a Service that is not
//!   headless (no per-pod DNS names), a claim (template) no PersistentVolume can satisfy and no
//!   StorageClass will provision on the cluster profile (it stays Pending), a PV selector nothing
//!   matches, a `storageClassName` that names no StorageClass.
//!
//! Cheap enough to run on every (debounced) edit: one parse per file plus linear scans (numbers in
//! BENCHMARKS.md).

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim, PersistentVolumeStatus};
use k8s_openapi::api::storage::v1::StorageClass;

use crate::engine::ClusterConfig;
use crate::manifest::{self, locate, path, Diagnostic, Object, Severity};
use crate::phrase::Phrase;
use crate::storage::{self, binder, matching};
use crate::validation::selector_matches;

/// A one-click repair: a label for the button and the whole file's new text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub label: String,
    /// The label as a phrase, for the page's language.
    pub phrase: Phrase,
    pub text: String,
}

/// One `---` document of a file: its text and its first line (1-based).
struct Doc<'a> {
    text: &'a str,
    first_line: usize,
    /// Byte offset of the document in the file.
    offset: usize,
}

fn is_marker(line: &str) -> bool {
    let t = line.trim_end_matches(['\n', '\r']);
    ["---", "..."].iter().any(|m| {
        t.strip_prefix(m)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '#']))
    })
}

/// Splits as `manifest::parse` does (markers at column 0).
fn documents(text: &str) -> Vec<Doc<'_>> {
    let mut docs = Vec::new();
    let (mut start, mut start_line, mut offset) = (0, 1, 0);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if is_marker(line) {
            docs.push(Doc {
                text: &text[start..offset],
                first_line: start_line,
                offset: start,
            });
            start = offset + line.len();
            start_line = i + 2;
        }
        offset += line.len();
    }
    docs.push(Doc {
        text: &text[start..],
        first_line: start_line,
        offset: start,
    });
    docs
}

fn doc_at<'a, 'b>(docs: &'b [Doc<'a>], line: usize) -> Option<&'b Doc<'a>> {
    docs.iter().rev().find(|d| d.first_line <= line)
}

fn diag(severity: Severity, (line, column): (usize, usize), phrase: Phrase) -> Diagnostic {
    Diagnostic {
        severity,
        line,
        column,
        message: phrase.to_string(),
        phrase: Some(phrase),
    }
}

/// Where a field path is written, in file coordinates.
fn at(doc: &Doc<'_>, field: &str) -> (usize, usize) {
    let (line, column) = locate(doc.text, &path(field));
    (doc.first_line + line - 1, column)
}

/// The served apiVersion of the kinds whose old versions were removed.
fn served(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "StatefulSet" => "apps/v1",
        "Service" | "PersistentVolume" | "PersistentVolumeClaim" => "v1",
        "StorageClass" => "storage.k8s.io/v1",
        _ => return None,
    })
}

/// The editor's diagnostics for a set of files (name, text), on the default cluster (profile
/// `bare`, the default replica limit). Each comes with its file's name and maybe a [`Fix`].
pub fn diagnostics(files: &[(&str, &str)]) -> Vec<(String, Diagnostic, Option<Fix>)> {
    diagnostics_for(files, &ClusterConfig::default())
}

/// [`diagnostics`] for a cluster configured as `config` (its profile's StorageClasses count,
/// and its `max_replicas`).
pub fn diagnostics_for(
    files: &[(&str, &str)],
    config: &ClusterConfig,
) -> Vec<(String, Diagnostic, Option<Fix>)> {
    let parsed = files
        .iter()
        .map(|(_, text)| manifest::parse(text))
        .collect();
    hints(files, parsed, config)
}

/// [`diagnostics_for`] as the text changes, call after call: each `---` document is read again
/// only when its text changed ([`manifest::Cache`]); the cross-object hints are recomputed.
/// The same diagnostics as [`diagnostics_for`], for much less work per keystroke.
#[derive(Debug, Default)]
pub struct Checker {
    cache: manifest::Cache,
}

impl Checker {
    pub fn diagnostics_for(
        &mut self,
        files: &[(&str, &str)],
        config: &ClusterConfig,
    ) -> Vec<(String, Diagnostic, Option<Fix>)> {
        let texts: Vec<&str> = files.iter().map(|(_, text)| *text).collect();
        let parsed = self.cache.parse_all(&texts);
        hints(files, parsed, config)
    }

    /// On the default cluster, as [`diagnostics`].
    pub fn diagnostics(
        &mut self,
        files: &[(&str, &str)],
    ) -> Vec<(String, Diagnostic, Option<Fix>)> {
        self.diagnostics_for(files, &ClusterConfig::default())
    }
}

fn hints(
    files: &[(&str, &str)],
    parsed: Vec<manifest::Manifest>,
    config: &ClusterConfig,
) -> Vec<(String, Diagnostic, Option<Fix>)> {
    let mut out = Vec::new();
    // every object of every file, with where it is written
    let mut objects: Vec<(usize, usize, Object)> = Vec::new(); // (file, doc, object)
    let mut all_docs: Vec<Vec<Doc<'_>>> = Vec::new();
    for (fi, ((name, text), m)) in files.iter().zip(parsed).enumerate() {
        let docs = documents(text);
        for d in m.diagnostics {
            let fix_and_message = d
                .message
                .starts_with("no matches for kind")
                .then(|| doc_at(&docs, d.line).and_then(|doc| removed_version(name, text, doc)))
                .flatten();
            match fix_and_message {
                Some((message, fix)) => {
                    out.push((name.to_string(), Diagnostic { message, ..d }, Some(fix)))
                }
                None => out.push((name.to_string(), d, None)),
            }
        }
        for p in m.objects {
            let di = docs
                .iter()
                .rposition(|d| d.first_line <= p.line)
                .unwrap_or(0);
            objects.push((fi, di, p.object));
        }
        all_docs.push(docs);
    }

    let mut push = |fi: usize, d: Diagnostic| out.push((files[fi].0.to_string(), d, None));
    let services: BTreeMap<&str, bool> = objects
        .iter()
        .filter_map(|(_, _, o)| match o {
            Object::Service(s) => Some((
                o.name(),
                s.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()) == Some("None"),
            )),
            _ => None,
        })
        .collect();
    let mut classes: Vec<StorageClass> = config.profile.storage_classes();
    classes.extend(objects.iter().filter_map(|(_, _, o)| match o {
        Object::StorageClass(sc) => Some(sc.clone()),
        _ => None,
    }));
    let volumes: Vec<PersistentVolume> = objects
        .iter()
        .filter_map(|(_, _, o)| match o {
            Object::PersistentVolume(pv) => {
                let mut pv = pv.clone();
                // as the PV controller sees a new volume
                pv.status = Some(PersistentVolumeStatus {
                    phase: Some("Available".into()),
                    ..Default::default()
                });
                Some(pv)
            }
            _ => None,
        })
        .collect();
    let storage = Storage {
        classes: &classes,
        volumes: &volumes,
        profile: config.profile.name(),
    };

    for (fi, di, object) in &objects {
        let doc = &all_docs[*fi][*di];
        match object {
            Object::StatefulSet(set) => {
                statefulset_hints(set, doc, &services, &storage, config, &mut |d| push(*fi, d))
            }
            Object::PersistentVolumeClaim(claim) => {
                for d in storage.claim_hints(claim, 1, doc, "", "persistentvolumeclaim") {
                    push(*fi, d);
                }
            }
            _ => {}
        }
    }
    out
}

fn statefulset_hints(
    set: &StatefulSet,
    doc: &Doc<'_>,
    services: &BTreeMap<&str, bool>,
    storage: &Storage<'_>,
    config: &ClusterConfig,
    push: &mut dyn FnMut(Diagnostic),
) {
    let Some(spec) = set.spec.as_ref() else {
        return;
    };
    let name = set.metadata.name.as_deref().unwrap_or("");
    let replicas = spec.replicas.unwrap_or(1);
    if replicas > config.max_replicas {
        push(diag(
            Severity::Error,
            at(doc, "spec.replicas"),
            Phrase::new(
                "hint.replicas",
                [replicas.to_string(), config.max_replicas.to_string()],
            ),
        ));
    }
    if let Some(service) = spec.service_name.as_deref().filter(|s| !s.is_empty()) {
        match services.get(service) {
            None => push(diag(
                Severity::Warning,
                at(doc, "spec.serviceName"),
                Phrase::new("hint.no-service", [service, name]),
            )),
            Some(false) => push(diag(
                Severity::Warning,
                at(doc, "spec.serviceName"),
                Phrase::new("hint.not-headless", [service, name]),
            )),
            Some(true) => {}
        }
    }
    for (i, template) in spec.volume_claim_templates.iter().flatten().enumerate() {
        let prefix = format!("spec.volumeClaimTemplates[{i}].");
        for d in storage.claim_hints(
            template,
            replicas.max(0) as usize,
            doc,
            &prefix,
            "volumeClaimTemplate",
        ) {
            push(d);
        }
    }
}

struct Storage<'a> {
    classes: &'a [StorageClass],
    volumes: &'a [PersistentVolume],
    profile: &'a str,
}

impl Storage<'_> {
    /// Warnings for a claim (or a template that makes `count` claims): its class, its
    /// selector, and whether volumes or provisioning can serve it.
    fn claim_hints(
        &self,
        claim: &PersistentVolumeClaim,
        count: usize,
        doc: &Doc<'_>,
        prefix: &str,
        what: &str,
    ) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let claim_name = claim.metadata.name.as_deref().unwrap_or("");
        let mut claim = claim.clone();
        // DefaultStorageClass admission: a claim without a class gets the default one
        if !storage::claim_has_class(&claim) {
            if let Some(default) = binder::default_storage_class(self.classes.iter()) {
                claim
                    .spec
                    .get_or_insert_with(Default::default)
                    .storage_class_name = default.metadata.name.clone();
            }
        }
        let class = storage::claim_class(&claim);
        let class_exists = self
            .classes
            .iter()
            .any(|c| c.metadata.name.as_deref() == Some(class.as_str()));
        if !class.is_empty() && class_exists {
            // the class's provisioner makes a volume for each claim, unless it refuses it
            let provisioner = self
                .classes
                .iter()
                .find(|c| c.metadata.name.as_deref() == Some(class.as_str()))
                .map_or("", |c| c.provisioner.as_str());
            if let Some(refusal) = binder::provisioner_refusal(&claim, provisioner) {
                let modes = manifest::access_modes(
                    claim.spec.as_ref().and_then(|s| s.access_modes.as_deref()),
                );
                out.push(diag(
                    Severity::Warning,
                    at(doc, &format!("{prefix}spec.accessModes")),
                    Phrase::new(
                        "hint.class-refuses",
                        [class.as_str(), provisioner, what, claim_name, &modes],
                    )
                    .with(Phrase::verbatim(refusal)),
                ));
            }
            return out;
        }
        let candidates: Vec<&PersistentVolume> = self
            .volumes
            .iter()
            .filter(|v| matching::access_modes_satisfied(v, &claim))
            .collect();
        if let Some(selector) = claim.spec.as_ref().and_then(|s| s.selector.as_ref()) {
            let empty = BTreeMap::new();
            if !self
                .volumes
                .iter()
                .any(|v| selector_matches(selector, v.metadata.labels.as_ref().unwrap_or(&empty)))
            {
                out.push(diag(
                    Severity::Warning,
                    at(doc, &format!("{prefix}spec.selector")),
                    Phrase::new("hint.selector", [what, claim_name]),
                ));
                return out;
            }
        }
        let mut taken = BTreeSet::new();
        let mut bound = 0;
        while bound < count {
            match matching::find_matching_volume(
                &claim,
                candidates.iter().copied(),
                None,
                &taken,
                false,
            ) {
                Some(v) => {
                    taken.insert(v.metadata.name.clone().unwrap_or_default());
                    bound += 1;
                }
                None => break,
            }
        }
        if bound == count {
            return out;
        }
        if !class.is_empty() && !class_exists {
            out.push(diag(
                Severity::Warning,
                at(doc, &format!("{prefix}spec.storageClassName")),
                Phrase::new(
                    "hint.no-class",
                    [class.as_str(), self.profile, what, claim_name],
                ),
            ));
            return out;
        }
        let request = claim
            .spec
            .as_ref()
            .and_then(|s| s.resources.as_ref())
            .and_then(|r| r.requests.as_ref())
            .and_then(|r| r.get("storage"))
            .map(|q| q.0.clone())
            .unwrap_or_default();
        let modes =
            manifest::access_modes(claim.spec.as_ref().and_then(|s| s.access_modes.as_deref()));
        let message = if bound == 0 {
            Phrase::new(
                "hint.no-volume",
                [what, claim_name, &request, &modes, self.profile],
            )
        } else {
            Phrase::new(
                "hint.few-volumes",
                [
                    bound.to_string(),
                    what.to_string(),
                    claim_name.to_string(),
                    request,
                    modes,
                    count.to_string(),
                    self.profile.to_string(),
                ],
            )
        };
        out.push(diag(
            Severity::Warning,
            at(doc, &format!("{prefix}metadata.name")),
            message,
        ));
        out
    }
}

/// kubectl's error for a document whose apiVersion no longer serves its kind, and the fix.
fn removed_version(file: &str, text: &str, doc: &Doc<'_>) -> Option<(String, Fix)> {
    let value: serde_yaml::Value = serde_yaml::from_str(doc.text).ok()?;
    let api = value.get("apiVersion")?.as_str()?;
    let kind = value.get("kind")?.as_str()?;
    let meta = value.get("metadata");
    let name = meta
        .and_then(|m| m.get("name"))
        .and_then(|n| n.as_str())
        .unwrap_or("");
    let ns = meta
        .and_then(|m| m.get("namespace"))
        .and_then(|n| n.as_str())
        .unwrap_or("");
    let target = served(kind)?;
    let message = format!(
        "resource mapping not found for name: \"{name}\" namespace: \"{ns}\" from \"{file}\": no matches for kind \"{kind}\" in version \"{api}\"\nensure CRDs are installed first"
    );
    // the new document text: apiVersion replaced, the selector added when apps/v1 needs it
    let mut new_doc = String::with_capacity(doc.text.len() + 80);
    let spec = value.get("spec");
    let needs_selector = kind == "StatefulSet" && spec.and_then(|s| s.get("selector")).is_none();
    let labels = spec
        .and_then(|s| s.get("template"))
        .and_then(|t| t.get("metadata"))
        .and_then(|m| m.get("labels"))
        .and_then(|l| l.as_mapping())
        .filter(|l| !l.is_empty());
    let lines: Vec<&str> = doc.text.split_inclusive('\n').collect();
    let child_indent = |from: usize| {
        lines[from + 1..]
            .iter()
            .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map(|l| l.len() - l.trim_start_matches(' ').len())
            .filter(|n| *n > 0)
            .unwrap_or(2)
    };
    let mut added_selector = false;
    for (i, line) in lines.iter().enumerate() {
        if let Some(rest) = line.strip_prefix("apiVersion:") {
            let newline = if rest.ends_with('\n') { "\n" } else { "" };
            new_doc.push_str(&format!("apiVersion: {target}{newline}"));
            continue;
        }
        new_doc.push_str(line);
        if needs_selector && line.trim_end() == "spec:" && !line.starts_with(' ') {
            if let Some(labels) = labels {
                if !line.ends_with('\n') {
                    new_doc.push('\n');
                }
                let unit = child_indent(i);
                let pad = |n: usize| " ".repeat(unit * n);
                new_doc.push_str(&format!("{}selector:\n{}matchLabels:\n", pad(1), pad(2)));
                for (k, v) in labels {
                    let key = serde_yaml::to_string(k).unwrap_or_default();
                    let value = serde_yaml::to_string(v).unwrap_or_default();
                    new_doc.push_str(&format!(
                        "{}{}: {}\n",
                        pad(3),
                        key.trim_end(),
                        value.trim_end()
                    ));
                }
                added_selector = true;
            }
        }
    }
    let new_text = format!(
        "{}{new_doc}{}",
        &text[..doc.offset],
        &text[doc.offset + doc.text.len()..]
    );
    let phrase = Phrase::new(
        if added_selector {
            "hint.fix-api-selector"
        } else {
            "hint.fix-api"
        },
        [target],
    );
    Some((
        message,
        Fix {
            label: phrase.to_string(),
            phrase,
            text: new_text,
        },
    ))
}

#[cfg(test)]
mod tests;
