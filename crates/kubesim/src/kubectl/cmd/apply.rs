//! `kubectl apply -f` and `kubectl create -f` (upstream `pkg/cmd/apply/apply.go`,
//! `pkg/cmd/create/create.go`): reading the playground's files, kubectl's errors per document
//! (unknown kinds, YAML syntax, strict decoding, validation), the last-applied warning.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim, Service};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::kubectl::cli;
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
    ) -> Vec<(Object, serde_yaml::Value)> {
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
                crate::sort::sort_by_key(&mut list, |m| {
                    order.iter().position(|o| o == m).unwrap_or(usize::MAX)
                });
            }
            errors[i] = invalid_causes(&errors[i], list);
        }
        for e in errors {
            out.fail(e);
        }
        m.objects
            .into_iter()
            .map(|p| {
                let doc = doc_of(p.line);
                (p.object, doc)
            })
            .collect()
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
            for (mut obj, doc) in objs {
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
                let live = self.live_meta(&obj);
                if create && live.is_some() {
                    errors.fail(format!(
                        "Error from server (AlreadyExists): error when creating \"{label}\": {} \"{}\" already exists",
                        object_resource(&obj),
                        obj.name()
                    ));
                    continue;
                }
                let reference = obj.reference();
                let key = format!("{}/{}", object_resource(&obj), obj.name());
                // the playground keeps a Namespace's name and labels only: no annotation to
                // keep the last applied manifest in, so no three-way merge for it either.
                // `kubectl apply` of an object that exists without the annotation (made by
                // `kubectl create`): upstream's warning, then the patch adds it.
                let tracks_config = !matches!(obj, Object::Namespace(_));
                let missing_config = tracks_config
                    && !create
                    && live.as_ref().is_some_and(|m| last_applied(m).is_none());
                if missing_config {
                    out.err(format!("Warning: resource {key} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically."));
                }
                if !create && tracks_config {
                    annotate_applied(&mut obj, &doc, live.as_ref());
                }
                if let Some(w) = crate::validation::grace_period_warning(&obj) {
                    out.err(format!("Warning: {w}"));
                }
                match self.cluster.apply(obj) {
                    Ok(o) => {
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
                            if live.is_some() { verb } else { "creating" }
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

    /// The stored object's metadata, if it exists.
    fn live_meta(&self, obj: &Object) -> Option<ObjectMeta> {
        let s = self.cluster.store();
        let n = obj.name();
        let ns = obj
            .metadata()
            .namespace
            .clone()
            .unwrap_or_else(|| self.namespace.clone());
        match obj {
            Object::StatefulSet(_) => s.get::<StatefulSet>(&ns, n).map(|o| o.metadata.clone()),
            Object::Service(_) => s.get::<Service>(&ns, n).map(|o| o.metadata.clone()),
            Object::PersistentVolume(_) => {
                s.get::<PersistentVolume>("", n).map(|o| o.metadata.clone())
            }
            Object::PersistentVolumeClaim(_) => s
                .get::<PersistentVolumeClaim>(&ns, n)
                .map(|o| o.metadata.clone()),
            Object::StorageClass(_) => s
                .get::<k8s_openapi::api::storage::v1::StorageClass>("", n)
                .map(|o| o.metadata.clone()),
            Object::Namespace(_) => s.namespace(n).map(|ns| ObjectMeta {
                name: Some(ns.name.clone()),
                ..ObjectMeta::default()
            }),
        }
    }
}

/// The annotation `kubectl apply` keeps its last applied manifest in.
pub(crate) const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

fn last_applied(meta: &ObjectMeta) -> Option<&str> {
    meta.annotations
        .as_ref()?
        .get(LAST_APPLIED)
        .map(String::as_str)
}

/// The annotation's value for a manifest, as kubectl v1.35 writes it
/// (`GetModifiedConfiguration`, staging/src/k8s.io/kubectl/pkg/util/apply.go): the document
/// as kubectl read it, with the namespace the builder defaulted (namespaced kinds) and its
/// annotations without this one — an empty map when it has none, as `SetAnnotations` leaves
/// it —, encoded by the unstructured JSON encoder: compact, keys sorted (Go's map order),
/// `<`, `>`, `&` escaped, and the encoder's newline at the end.
pub(crate) fn last_applied_configuration(obj: &Object, doc: &serde_yaml::Value) -> Option<String> {
    let mut json = serde_json::to_value(doc).ok()?;
    let meta = json.get_mut("metadata")?.as_object_mut()?;
    let mut annotations = meta
        .get("annotations")
        .and_then(|a| a.as_object())
        .cloned()
        .unwrap_or_default();
    annotations.remove(LAST_APPLIED);
    meta.insert("annotations".into(), serde_json::Value::Object(annotations));
    let namespaced = !matches!(obj, Object::PersistentVolume(_) | Object::StorageClass(_));
    if namespaced
        && meta
            .get("namespace")
            .and_then(|n| n.as_str())
            .is_none_or(str::is_empty)
    {
        let ns = obj
            .metadata()
            .namespace
            .as_deref()
            .unwrap_or(cli::NAMESPACE);
        meta.insert("namespace".into(), ns.into());
    }
    Some(format!("{}\n", crate::validation::go_json(&json)))
}

/// What `kubectl apply`'s three-way merge (`CreateThreeWayMergePatch`, original = the last
/// applied manifest, modified = this one, current = the live object) makes of a map: the live
/// entries, less those the last manifest had and this one dropped, plus this one's.
fn three_way(
    live: Option<&BTreeMap<String, String>>,
    original: Option<&serde_json::Value>,
    modified: Option<&BTreeMap<String, String>>,
) -> Option<BTreeMap<String, String>> {
    let mut out = live.cloned().unwrap_or_default();
    for key in original
        .and_then(|o| o.as_object())
        .into_iter()
        .flat_map(|o| o.keys())
    {
        if modified.is_none_or(|m| !m.contains_key(key)) {
            out.remove(key);
        }
    }
    out.extend(modified.cloned().unwrap_or_default());
    (!out.is_empty()).then_some(out)
}

/// Writes the new last-applied configuration into `obj` and merges its labels and
/// annotations three ways with the live object's (fields others set survive an apply; those
/// the previous manifest set and this one dropped are removed).
fn annotate_applied(obj: &mut Object, doc: &serde_yaml::Value, live: Option<&ObjectMeta>) {
    let Some(config) = last_applied_configuration(obj, doc) else {
        return;
    };
    let original: Option<serde_json::Value> = live
        .and_then(last_applied)
        .and_then(|t| serde_json::from_str(t).ok());
    let original_meta = |field: &str| original.as_ref().map(|o| &o["metadata"][field]);
    let meta = obj.metadata_mut();
    let mut manifest_annotations = meta.annotations.clone().unwrap_or_default();
    manifest_annotations.remove(LAST_APPLIED);
    meta.labels = three_way(
        live.and_then(|l| l.labels.as_ref()),
        original_meta("labels"),
        meta.labels.as_ref(),
    );
    let mut annotations = three_way(
        live.and_then(|l| l.annotations.as_ref()),
        original_meta("annotations"),
        Some(&manifest_annotations),
    )
    .unwrap_or_default();
    annotations.insert(LAST_APPLIED.into(), config);
    meta.annotations = Some(annotations);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> (Object, serde_yaml::Value) {
        let m = manifest::parse(text);
        (
            m.objects[0].object.clone(),
            serde_yaml::from_str(text).unwrap(),
        )
    }

    #[test]
    fn last_applied_configuration_is_kubectls_encoding() {
        // staging/src/k8s.io/kubectl/pkg/util/apply.go GetModifiedConfiguration: the manifest
        // with "annotations":{} (SetAnnotations of an empty map), the builder's namespace, keys
        // sorted, json.Encoder's HTML escaping and trailing newline.
        let (obj, d) = doc("kind: Service\napiVersion: v1\nmetadata:\n  name: a\nspec:\n  selector: {x: \"<&>\"}\n  ports:\n  - port: 80\n");
        assert_eq!(
            last_applied_configuration(&obj, &d).unwrap(),
            "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"annotations\":{},\"name\":\"a\",\"namespace\":\"default\"},\"spec\":{\"ports\":[{\"port\":80}],\"selector\":{\"x\":\"\\u003c\\u0026\\u003e\"}}}\n"
        );
        // cluster-scoped kinds get no namespace
        let (obj, d) = doc("apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: p\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: /x}\n");
        assert!(!last_applied_configuration(&obj, &d)
            .unwrap()
            .contains("namespace"));
    }

    #[test]
    fn the_three_way_merge_keeps_what_others_set() {
        let map = |kv: &[(&str, &str)]| -> BTreeMap<String, String> {
            kv.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let live = map(&[("app", "db"), ("tier", "backend"), ("owner", "ops")]);
        let original = serde_json::json!({"app": "db", "tier": "backend"});
        let modified = map(&[("app", "web")]);
        assert_eq!(
            three_way(Some(&live), Some(&original), Some(&modified)),
            Some(map(&[("app", "web"), ("owner", "ops")]))
        );
        // nothing left: the field goes
        assert_eq!(three_way(None, Some(&original), None), None);
    }
}
