//! API validation the server applies on create, in the apiserver's own field-error words
//! (`spec.selector: Required value`). k8s-openapi accepts documents that lack required fields,
//! so these checks are ours (`pkg/apis/apps/validation`, `pkg/apis/core/validation`).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::StatefulSetSpec;
use k8s_openapi::api::core::v1::{PodTemplateSpec, ServiceSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use crate::limits;
use crate::manifest::{format_path, path, Object, Segment};

/// One validation failure: where (a field path) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: Vec<Segment>,
    pub message: String,
}

struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, field: &str, what: impl AsRef<str>) {
        let path = path(field);
        let message = format!("{}: {}", format_path(&path), what.as_ref());
        self.0.push(Problem { path, message });
    }
    fn required(&mut self, field: &str) {
        self.add(field, "Required value");
    }
    /// `field: Too many: N: must have at most M items (a playground limit: NAME)`.
    fn too_many(&mut self, field: &str, actual: usize, max: usize, name: &str) {
        if actual > max {
            let what = limits::too_many(actual, max);
            self.add(field, format!("{what} (a playground limit: {name})"));
        }
    }
}

/// The limits on one object's metadata ([`limits`]): label count and annotation bytes.
fn validate_meta_limits(p: &mut Problems, prefix: &str, meta: &ObjectMeta) {
    let labels = meta.labels.as_ref().map_or(0, |l| l.len());
    p.too_many(
        &format!("{prefix}metadata.labels"),
        labels,
        limits::MAX_LABELS,
        "MAX_LABELS",
    );
    let bytes = limits::map_bytes(meta.annotations.as_ref());
    if bytes > limits::MAX_ANNOTATIONS_BYTES {
        p.add(
            &format!("{prefix}metadata.annotations"),
            format!(
                "Too long: must have at most {} bytes (a playground limit: MAX_ANNOTATIONS_BYTES)",
                limits::MAX_ANNOTATIONS_BYTES
            ),
        );
    }
}

/// DNS-1123 label: at most 63 characters of `[a-z0-9-]`, starting and ending alphanumeric.
pub fn is_dns1123_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// DNS-1123 subdomain: dot-separated labels, at most 253 characters.
pub fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns1123_label)
}

fn validate_name(p: &mut Problems, meta: &ObjectMeta, label: bool) {
    match meta.name.as_deref() {
        None | Some("") => p.add(
            "metadata.name",
            "Required value: name or generateName is required",
        ),
        Some(name) => {
            let ok = if label {
                is_dns1123_label(name)
            } else {
                is_dns1123_subdomain(name)
            };
            if !ok {
                let rule = if label {
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
                } else {
                    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
                };
                p.add(
                    "metadata.name",
                    format!("Invalid value: \"{name}\": {rule}"),
                );
            }
        }
    }
}

/// Does `selector` select an object with these labels? (matchLabels and matchExpressions)
pub fn selector_matches(selector: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    let labels_ok = selector
        .match_labels
        .iter()
        .flatten()
        .all(|(k, v)| labels.get(k) == Some(v));
    let exprs_ok = selector.match_expressions.iter().flatten().all(|e| {
        let values = e.values.as_deref().unwrap_or(&[]);
        let value = labels.get(&e.key);
        match e.operator.as_str() {
            "In" => value.is_some_and(|v| values.contains(v)),
            "NotIn" => !value.is_some_and(|v| values.contains(v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        }
    });
    labels_ok && exprs_ok
}

fn go_map(labels: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
    format!("map[string]string{{{}}}", pairs.join(", "))
}

fn validate_template(p: &mut Problems, template: &PodTemplateSpec) {
    let Some(spec) = template.spec.as_ref() else {
        p.required("spec.template.spec");
        return;
    };
    if spec.containers.is_empty() {
        p.required("spec.template.spec.containers");
    }
    p.too_many(
        "spec.template.spec.containers",
        spec.containers.len(),
        limits::MAX_CONTAINERS,
        "MAX_CONTAINERS",
    );
    p.too_many(
        "spec.template.spec.initContainers",
        spec.init_containers.as_ref().map_or(0, Vec::len),
        limits::MAX_CONTAINERS,
        "MAX_CONTAINERS",
    );
    if let Some(meta) = template.metadata.as_ref() {
        validate_meta_limits(p, "spec.template.", meta);
    }
    for (i, c) in spec.containers.iter().enumerate() {
        if c.name.is_empty() {
            p.required(&format!("spec.template.spec.containers[{i}].name"));
        }
        if c.image.as_deref().unwrap_or("").is_empty() {
            p.required(&format!("spec.template.spec.containers[{i}].image"));
        }
        for (probe, field) in [
            (&c.readiness_probe, "readinessProbe"),
            (&c.liveness_probe, "livenessProbe"),
            (&c.startup_probe, "startupProbe"),
        ] {
            let Some(probe) = probe else { continue };
            // `validateProbe` (pkg/apis/core/validation): every count and duration is
            // non-negative; upstream sets no upper bound (the kubelet's arithmetic saturates).
            for (value, name) in [
                (probe.initial_delay_seconds, "initialDelaySeconds"),
                (probe.timeout_seconds, "timeoutSeconds"),
                (probe.period_seconds, "periodSeconds"),
                (probe.success_threshold, "successThreshold"),
                (probe.failure_threshold, "failureThreshold"),
            ] {
                if let Some(v) = value.filter(|v| *v < 0) {
                    p.add(
                        &format!("spec.template.spec.containers[{i}].{field}.{name}"),
                        format!("Invalid value: {v}: must be greater than or equal to 0"),
                    );
                }
            }
        }
    }
    if let Some(policy) = spec.restart_policy.as_deref() {
        if policy != "Always" {
            p.add(
                "spec.template.spec.restartPolicy",
                format!("Unsupported value: \"{policy}\": supported values: \"Always\""),
            );
        }
    }
    if spec.active_deadline_seconds.is_some() {
        p.add(
            "spec.template.spec.activeDeadlineSeconds",
            "Forbidden: activeDeadlineSeconds in StatefulSet is not Supported",
        );
    }
}

fn validate_statefulset(p: &mut Problems, spec: &StatefulSetSpec) {
    if spec.replicas.is_some_and(|r| r < 0) {
        p.add(
            "spec.replicas",
            "Invalid value: must be greater than or equal to 0",
        );
    }
    if spec.min_ready_seconds.is_some_and(|r| r < 0) {
        p.add(
            "spec.minReadySeconds",
            "Invalid value: must be greater than or equal to 0",
        );
    }
    if let Some(limit) = spec.revision_history_limit {
        if limit < 0 {
            p.add(
                "spec.revisionHistoryLimit",
                format!("Invalid value: {limit}: must be greater than or equal to 0"),
            );
        } else if limit > limits::MAX_REVISION_HISTORY {
            p.add(
                "spec.revisionHistoryLimit",
                format!(
                    "Invalid value: {limit}: must be less than or equal to {} (a playground limit: MAX_REVISION_HISTORY)",
                    limits::MAX_REVISION_HISTORY
                ),
            );
        }
    }
    if let Some(policy) = spec.pod_management_policy.as_deref() {
        if policy != "OrderedReady" && policy != "Parallel" {
            p.add("spec.podManagementPolicy", format!("Unsupported value: \"{policy}\": supported values: \"OrderedReady\", \"Parallel\""));
        }
    }
    if let Some(strategy) = spec.update_strategy.as_ref() {
        match strategy.type_.as_deref() {
            None | Some("RollingUpdate") => {}
            Some("OnDelete") => {
                if strategy.rolling_update.is_some() {
                    p.add(
                        "spec.updateStrategy.rollingUpdate",
                        "Invalid value: only allowed for updateStrategy 'RollingUpdate'",
                    );
                }
            }
            Some(other) => p.add(
                "spec.updateStrategy",
                format!("Invalid value: \"{other}\": must be 'RollingUpdate' or 'OnDelete'"),
            ),
        }
        if let Some(ru) = strategy.rolling_update.as_ref() {
            if ru.partition.is_some_and(|x| x < 0) {
                p.add(
                    "spec.updateStrategy.rollingUpdate.partition",
                    "Invalid value: must be greater than or equal to 0",
                );
            }
        }
    }
    if let Some(ordinals) = spec.ordinals.as_ref() {
        if ordinals.start.is_some_and(|s| s < 0) {
            p.add(
                "spec.ordinals.start",
                "Invalid value: must be greater than or equal to 0",
            );
        }
    }
    if let Some(policy) = spec.persistent_volume_claim_retention_policy.as_ref() {
        for (field, value) in [
            ("whenDeleted", &policy.when_deleted),
            ("whenScaled", &policy.when_scaled),
        ] {
            if let Some(v) = value.as_deref() {
                if v != "Retain" && v != "Delete" {
                    p.add(
                        &format!("spec.persistentVolumeClaimRetentionPolicy.{field}"),
                        format!(
                            "Unsupported value: \"{v}\": supported values: \"Retain\", \"Delete\""
                        ),
                    );
                }
            }
        }
    }
    let selector = &spec.selector;
    if selector.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && selector
            .match_expressions
            .as_ref()
            .is_none_or(|e| e.is_empty())
    {
        p.add(
            "spec.selector",
            "Invalid value: \"null\": empty selector is invalid for statefulset",
        );
    } else {
        let labels = spec
            .template
            .metadata
            .as_ref()
            .and_then(|m| m.labels.clone())
            .unwrap_or_default();
        if !selector_matches(selector, &labels) {
            p.add(
                "spec.template.metadata.labels",
                format!(
                    "Invalid value: {}: `selector` does not match template `labels`",
                    go_map(&labels)
                ),
            );
        }
    }
    validate_template(p, &spec.template);
    p.too_many(
        "spec.volumeClaimTemplates",
        spec.volume_claim_templates.as_ref().map_or(0, Vec::len),
        limits::MAX_VOLUME_CLAIM_TEMPLATES,
        "MAX_VOLUME_CLAIM_TEMPLATES",
    );
    for (i, t) in spec.volume_claim_templates.iter().flatten().enumerate() {
        if t.metadata.name.as_deref().unwrap_or("").is_empty() {
            p.required(&format!("spec.volumeClaimTemplates[{i}].metadata.name"));
        }
    }
}

fn validate_service(p: &mut Problems, spec: &ServiceSpec) {
    let headless = spec.cluster_ip.as_deref() == Some("None");
    let ports = spec.ports.as_deref().unwrap_or(&[]);
    if ports.is_empty() && !headless && spec.type_.as_deref() != Some("ExternalName") {
        p.required("spec.ports");
    }
    for (i, port) in ports.iter().enumerate() {
        if !(1..=65535).contains(&port.port) {
            p.add(
                &format!("spec.ports[{i}].port"),
                format!(
                    "Invalid value: {}: must be between 1 and 65535, inclusive",
                    port.port
                ),
            );
        }
        if ports.len() > 1 && port.name.as_deref().unwrap_or("").is_empty() {
            p.required(&format!("spec.ports[{i}].name"));
        }
    }
}

/// Validates an object as the API server does on create.
pub fn validate(object: &Object) -> Vec<Problem> {
    let mut p = Problems(Vec::new());
    match object {
        Object::StatefulSet(s) => {
            validate_name(&mut p, &s.metadata, true);
            match s.spec.as_ref() {
                Some(spec) => validate_statefulset(&mut p, spec),
                None => p.required("spec"),
            }
        }
        Object::Service(s) => {
            validate_name(&mut p, &s.metadata, true);
            if let Some(spec) = s.spec.as_ref() {
                validate_service(&mut p, spec);
            }
        }
        Object::PersistentVolume(pv) => {
            validate_name(&mut p, &pv.metadata, false);
            match pv.spec.as_ref() {
                None => p.required("spec"),
                Some(spec) => {
                    if spec
                        .capacity
                        .as_ref()
                        .and_then(|c| c.get("storage"))
                        .is_none()
                    {
                        p.required("spec.capacity");
                    }
                    if spec.access_modes.as_ref().is_none_or(|m| m.is_empty()) {
                        p.required("spec.accessModes");
                    }
                    let sources = [
                        spec.nfs.is_some(),
                        spec.host_path.is_some(),
                        spec.local.is_some(),
                        spec.csi.is_some(),
                        spec.iscsi.is_some(),
                        spec.fc.is_some(),
                        spec.cephfs.is_some(),
                        spec.rbd.is_some(),
                        spec.glusterfs.is_some(),
                        spec.aws_elastic_block_store.is_some(),
                        spec.gce_persistent_disk.is_some(),
                        spec.azure_disk.is_some(),
                        spec.azure_file.is_some(),
                    ];
                    if !sources.contains(&true) {
                        p.add("spec", "Required value: must specify a volume type");
                    }
                }
            }
        }
        Object::PersistentVolumeClaim(pvc) => {
            validate_name(&mut p, &pvc.metadata, false);
            match pvc.spec.as_ref() {
                None => p.required("spec"),
                Some(spec) => {
                    if spec.access_modes.as_ref().is_none_or(|m| m.is_empty()) {
                        p.add(
                            "spec.accessModes",
                            "Required value: at least 1 access mode is required",
                        );
                    }
                    let storage = spec
                        .resources
                        .as_ref()
                        .and_then(|r| r.requests.as_ref())
                        .and_then(|r| r.get("storage"));
                    if storage.is_none() {
                        p.required("spec.resources.requests.storage");
                    }
                }
            }
        }
        Object::StorageClass(sc) => {
            validate_name(&mut p, &sc.metadata, false);
            if sc.provisioner.is_empty() {
                p.required("provisioner");
            }
        }
    }
    validate_meta_limits(&mut p, "", object.metadata());
    let size = object_size(object);
    if size > limits::MAX_OBJECT_BYTES {
        p.0.push(Problem {
            path: Vec::new(),
            message: format!(
                "Request entity too large: {size} bytes as JSON, the playground stores objects of at most {} bytes (a playground limit: MAX_OBJECT_BYTES)",
                limits::MAX_OBJECT_BYTES
            ),
        });
    }
    p.0
}

/// The object's size as JSON.
pub fn object_size(object: &Object) -> usize {
    match object {
        Object::StatefulSet(o) => limits::json_size(o),
        Object::Service(o) => limits::json_size(o),
        Object::PersistentVolume(o) => limits::json_size(o),
        Object::PersistentVolumeClaim(o) => limits::json_size(o),
        Object::StorageClass(o) => limits::json_size(o),
    }
}
