//! `kubectl apply -f` and `kubectl create -f` (upstream `pkg/cmd/apply/apply.go`,
//! `pkg/cmd/create/create.go`): reading the playground's files, kubectl's errors per document
//! (unknown kinds, YAML syntax, strict decoding, validation), the last-applied warning.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim, Service};

use crate::kubectl::exec::{api_error, invalid_causes, Output, Shell};
use crate::manifest::{self, Object, Severity};

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

/// The messages of `validation::validate` for a document, in the API server's order.
fn validation_order(doc: &serde_yaml::Value) -> Option<Vec<String>> {
    let json = serde_json::to_value(doc).ok()?;
    let object = match json["kind"].as_str()? {
        "StatefulSet" => Object::StatefulSet(manifest::from_json_value(&json)?),
        "Service" => Object::Service(manifest::from_json_value(&json)?),
        "PersistentVolume" => Object::PersistentVolume(manifest::from_json_value(&json)?),
        "PersistentVolumeClaim" => Object::PersistentVolumeClaim(manifest::from_json_value(&json)?),
        "StorageClass" => Object::StorageClass(manifest::from_json_value(&json)?),
        _ => return None,
    };
    Some(
        crate::validation::validate(&object)
            .into_iter()
            .map(|p| p.message)
            .collect(),
    )
}

impl Shell {
    pub(super) fn read_file(&self, path: &str) -> Result<(String, String), String> {
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
    pub(super) fn objects_of(
        &self,
        label: &str,
        text: &str,
        verb: &str,
        out: &mut Output,
    ) -> Vec<Object> {
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
        // the causes of the one `The KIND "name" is invalid` error per document
        let mut causes: Vec<(usize, Vec<String>)> = Vec::new();
        let mut errors_doc: BTreeMap<usize, usize> = BTreeMap::new();
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
                if let Some((i, list)) = causes.last_mut() {
                    if *i + 1 == errors.len() && !d.message.starts_with("no matches") {
                        list.push(d.message.clone());
                    }
                }
                continue;
            }
            seen_docs.push(doc_index);
            let msg = &d.message;
            let decode = crate::validation::is_decode_error(msg);
            errors.push(if msg.starts_with("no matches for kind") {
                let cut = msg.split(": Kubernetes").next().unwrap_or(msg);
                format!(
                    "error: resource mapping not found for name: \"{name}\" namespace: \"{ns}\" from \"{label}\": {cut}\nensure CRDs are installed first"
                )
            } else if let Some(y) = msg.strip_prefix("YAML syntax: ") {
                format!("error: error parsing {label}: error converting YAML to JSON: yaml: {y}")
            } else if msg.starts_with("strict decoding error") || decode {
                format!(
                    "Error from server (BadRequest): error when {verb} \"{label}\": {kind} in version \"{}\" cannot be handled as a {kind}: {msg}",
                    api.rsplit('/').next().unwrap_or(&api)
                )
            } else if msg.starts_with("error validating data") {
                format!("error: error validating \"{label}\": {msg}; if you choose to ignore these errors, turn validation off with --validate=false")
            } else {
                causes.push((errors.len(), vec![msg.clone()]));
                errors_doc.insert(errors.len(), d.line);
                format!("The {kind} \"{name}\" is invalid")
            });
        }
        for (i, mut list) in causes {
            // the editor sorts diagnostics by line; the API server lists them in the order
            // its validation found them
            if let Some(order) = errors_doc
                .get(&i)
                .and_then(|line| validation_order(&doc_of(*line)))
            {
                list.sort_by_key(|m| order.iter().position(|o| o == m).unwrap_or(usize::MAX));
            }
            errors[i] = invalid_causes(&errors[i], list);
        }
        for e in errors {
            out.fail(e);
        }
        m.objects.into_iter().map(|p| p.object).collect()
    }

    pub(super) fn apply_files(&mut self, files: &[String], create: bool, out: &mut Output) {
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
            for mut obj in objs {
                // cli-runtime's resource visitor (`pkg/resource/visitor.go`, SetNamespace /
                // RequireNamespace): a namespaced object without a namespace takes the
                // command's; one naming another namespace than an explicit `-n` is refused
                if let Some(ns) = obj.namespace_slot() {
                    match ns {
                        None => *ns = Some(self.namespace.clone()),
                        Some(theirs) if self.namespace_flag && *theirs != self.namespace => {
                            errors.fail(namespace_mismatch(theirs, &self.namespace));
                            continue;
                        }
                        Some(_) => {}
                    }
                }
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
                if let Some(w) = crate::validation::grace_period_warning(&obj) {
                    out.err(format!("Warning: {w}"));
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
                    // apply creates an object it did not find (`pkg/cmd/apply/apply.go`:
                    // AddSourceToErr("creating", ...))
                    Err(e) => errors.fail(api_error(
                        &e,
                        Some(&format!(
                            "error when {} \"{label}\"",
                            if exists { verb } else { "creating" }
                        )),
                    )),
                }
            }
        }
        out.extend(errors);
    }

    /// `kubectl create namespace NAME`: `namespace/NAME created`, or the server's error.
    pub(super) fn create_namespace(&mut self, name: &str, out: &mut Output) {
        let command = crate::engine::Command::CreateNamespace(name.to_string());
        match self.cluster.execute(command) {
            Ok(_) => out.out(format!("namespace/{name} created\n")),
            Err(e) => out.fail(api_error(&e, None)),
        }
    }

    fn object_exists(&self, obj: &Object) -> bool {
        let s = self.cluster.store();
        let n = obj.name();
        let ns = obj
            .metadata()
            .namespace
            .clone()
            .unwrap_or_else(|| self.namespace.clone());
        match obj {
            Object::StatefulSet(_) => s.get::<StatefulSet>(&ns, n).is_some(),
            Object::Service(_) => s.get::<Service>(&ns, n).is_some(),
            Object::PersistentVolume(_) => s.get::<PersistentVolume>("", n).is_some(),
            Object::PersistentVolumeClaim(_) => s.get::<PersistentVolumeClaim>(&ns, n).is_some(),
            Object::StorageClass(_) => s
                .get::<k8s_openapi::api::storage::v1::StorageClass>("", n)
                .is_some(),
            Object::Namespace(_) => s.namespace(n).is_some(),
        }
    }
}

/// cli-runtime's RequireNamespace refusal (`pkg/resource/visitor.go`): a manifest's namespace
/// against an explicit `-n`.
pub(super) fn namespace_mismatch(theirs: &str, ours: &str) -> String {
    format!(
        "error: the namespace from the provided object \"{theirs}\" does not match the namespace \"{ours}\". You must pass '--namespace={theirs}' to perform this operation."
    )
}

/// The API resource name of an object, for AlreadyExists messages.
fn object_resource(obj: &Object) -> &'static str {
    match obj {
        Object::StatefulSet(_) => "statefulsets.apps",
        Object::Service(_) => "services",
        Object::PersistentVolume(_) => "persistentvolumes",
        Object::PersistentVolumeClaim(_) => "persistentvolumeclaims",
        Object::StorageClass(_) => "storageclasses.storage.k8s.io",
        Object::Namespace(_) => "namespaces",
    }
}
