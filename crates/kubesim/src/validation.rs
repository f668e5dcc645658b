//! API validation the server applies on create, in the apiserver's own field-error words
//! (`spec.selector: Required value`). k8s-openapi accepts documents that lack required fields,
//! so these checks are ours (`pkg/apis/apps/validation`, `pkg/apis/core/validation`).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{RollingUpdateStatefulSetStrategy, StatefulSetSpec};
use k8s_openapi::api::core::v1::{PersistentVolumeClaimSpec, Pod, PodSpec, ServiceSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::limits;
use crate::manifest::{path, Object, Segment};

mod update;
use crate::storage::quantity;
pub use update::{
    claim_update, object_meta_update, service_cluster_ip_update, volume_update, Refusal,
};

/// One validation failure: where (a field path) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: Vec<Segment>,
    pub message: String,
}

/// A field error's bad value, rendered as v1.35's `field.Error.ErrorBody` renders it
/// (`k8s.io/apimachinery/pkg/util/validation/field/errors.go`): integers and booleans with
/// `%v` (negative numbers kept), strings with Go's `%q`, anything else (maps, structs,
/// IntOrString, nil) as its JSON encoding.
pub enum Bad {
    Int(i64),
    Str(String),
    Json(serde_json::Value),
    /// JSON already encoded (a Go struct, whose fields keep their declaration order).
    Raw(String),
}

impl Bad {
    fn render(&self) -> String {
        match self {
            Bad::Int(v) => v.to_string(),
            Bad::Str(s) => go_quote(s),
            Bad::Json(v) => go_json(v),
            Bad::Raw(s) => s.clone(),
        }
    }
}

/// Go's `%q` of a string (`strconv.Quote`).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `encoding/json`'s compact encoding: map keys sorted, `<`, `>` and `&` escaped.
pub(crate) fn go_json(v: &serde_json::Value) -> String {
    serde_json::to_string(v)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

struct Problems(Vec<Problem>);

impl Problems {
    /// `field: body`, located at `field` in the document.
    fn add(&mut self, field: &str, body: impl AsRef<str>) {
        self.add_at(field, field, body);
    }
    /// A message naming `shown` (upstream's path, e.g. `spec.resources[storage]`) that the
    /// editor places at `locate` (the document's path to the same value).
    fn add_at(&mut self, locate: &str, shown: &str, body: impl AsRef<str>) {
        let path = path(locate);
        let message = format!("{shown}: {}", body.as_ref());
        self.0.push(Problem { path, message });
    }
    /// `field.Required`: `Required value[: detail]`.
    fn required(&mut self, field: &str) {
        self.add(field, "Required value");
    }
    /// `field.Invalid`: `Invalid value: VALUE: detail`.
    fn invalid(&mut self, field: &str, bad: Bad, detail: &str) {
        self.add(
            field,
            with_detail(format!("Invalid value: {}", bad.render()), detail),
        );
    }
    /// `field.NotSupported`: `Unsupported value: VALUE: supported values: "a", "b"`.
    fn not_supported(&mut self, field: &str, bad: Bad, supported: &[&str]) {
        let quoted: Vec<String> = supported.iter().map(|s| go_quote(s)).collect();
        self.add(
            field,
            format!(
                "Unsupported value: {}: supported values: {}",
                bad.render(),
                quoted.join(", ")
            ),
        );
    }
    /// `field.Forbidden`: `Forbidden: detail`.
    fn forbidden(&mut self, field: &str, detail: &str) {
        self.add(field, format!("Forbidden: {detail}"));
    }
    /// `ValidateNonnegativeField`: `Invalid value: -1: must be greater than or equal to 0`.
    fn nonnegative(&mut self, field: &str, value: Option<i64>) {
        if let Some(v) = value.filter(|v| *v < 0) {
            self.invalid(field, Bad::Int(v), IS_NEGATIVE);
        }
    }
    /// `field: Too many: N: must have at most M items (a playground limit: NAME)`.
    fn too_many(&mut self, field: &str, actual: usize, max: usize, name: &str) {
        if actual > max {
            let what = limits::too_many(actual, max);
            self.add(field, format!("{what} (a playground limit: {name})"));
        }
    }
}

fn with_detail(body: String, detail: &str) -> String {
    if detail.is_empty() {
        body
    } else {
        format!("{body}: {detail}")
    }
}

/// `validation.IsNegativeErrorMsg`.
const IS_NEGATIVE: &str = "must be greater than or equal to 0";

/// `validation.RegexError`: `MSG (e.g. 'a',  or 'b', regex used for validation is 'RE')`.
fn regex_error(msg: &str, re: &str, examples: &[&str]) -> String {
    let mut out = format!("{msg} (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push_str(&format!("'{e}', "));
    }
    out.push_str(&format!("regex used for validation is '{re}')"));
    out
}

const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

fn is_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// `validation.IsQualifiedName` (`k8s.io/apimachinery/pkg/util/validation/validation.go`):
/// a label or annotation key, `[prefix/]name`.
pub fn qualified_name_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    // (One '/' at most; split in place: every label key of every pod created goes through.)
    let name = match value.split_once('/') {
        None => value,
        Some((prefix, name)) if !name.contains('/') => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else if !is_dns1123_subdomain(prefix) {
                errs.push(format!("prefix part {}", subdomain_error()));
            }
            name
        }
        Some(_) => {
            errs.push(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push("name part must be no more than 63 characters".to_string());
    }
    if !is_qualified_name_part(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                QUALIFIED_NAME_MSG,
                QUALIFIED_NAME_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// `validation.IsValidLabelValue`.
pub fn label_value_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    if !value.is_empty() && !is_qualified_name_part(value) {
        errs.push(regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?",
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// `ValidateLabels` (`k8s.io/apimachinery/pkg/apis/meta/v1/validation`): every key a
/// qualified name, every value a label value, reported at the map's path.
fn validate_labels(p: &mut Problems, field: &str, labels: Option<&BTreeMap<String, String>>) {
    for (k, v) in labels.into_iter().flatten() {
        for msg in qualified_name_errors(k) {
            p.invalid(field, Bad::Str(k.clone()), &msg);
        }
        for msg in label_value_errors(v) {
            p.invalid(field, Bad::Str(v.clone()), &msg);
        }
    }
}

/// The API server's total size limit on annotations (`TotalAnnotationSizeLimitB`).
pub const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;

/// `ValidateAnnotations` (`k8s.io/apimachinery/pkg/api/validation/objectmeta.go`): keys are
/// qualified names (checked lower-cased), the total size at most 256 KiB.
fn validate_annotations(
    p: &mut Problems,
    field: &str,
    annotations: Option<&BTreeMap<String, String>>,
) {
    for k in annotations.into_iter().flat_map(|m| m.keys()) {
        for msg in qualified_name_errors(&k.to_lowercase()) {
            p.invalid(field, Bad::Str(k.clone()), &msg);
        }
    }
    if limits::map_bytes(annotations) > TOTAL_ANNOTATION_SIZE_LIMIT {
        p.add(
            field,
            format!("Too long: may not be more than {TOTAL_ANNOTATION_SIZE_LIMIT} bytes"),
        );
    }
}

/// The labels and annotations of an existing object after `kubectl label`/`annotate`,
/// as the API server validates the patched object; `None` when valid.
pub fn metadata_problems(
    labels: Option<&BTreeMap<String, String>>,
    annotations: Option<&BTreeMap<String, String>>,
) -> Option<String> {
    let mut p = Problems(Vec::new());
    validate_labels(&mut p, "metadata.labels", labels);
    validate_annotations(&mut p, "metadata.annotations", annotations);
    (!p.0.is_empty()).then(|| join_causes(p.0.into_iter().map(|p| p.message).collect()))
}

/// `errs.ToAggregate().Error()`: one cause as it is, several as `[a, b]` (duplicates dropped).
pub fn join_causes(mut causes: Vec<String>) -> String {
    let mut seen = std::collections::BTreeSet::new();
    causes.retain(|c| seen.insert(c.clone()));
    if causes.len() == 1 {
        causes.remove(0)
    } else {
        format!("[{}]", causes.join(", "))
    }
}

/// The causes of an `Invalid` message (`K "n" is invalid: [a, b]`), each `field: body`.
pub fn split_causes(causes: &str) -> Vec<String> {
    let inner = match causes.strip_prefix('[').and_then(|c| c.strip_suffix(']')) {
        Some(inner) if starts_cause(inner) => inner,
        _ => return vec![causes.to_string()],
    };
    let mut out: Vec<String> = Vec::new();
    let mut rest = inner;
    let mut current = String::new();
    while let Some(i) = rest.find(", ") {
        let (head, tail) = rest.split_at(i);
        current.push_str(head);
        if starts_cause(&tail[2..]) {
            out.push(std::mem::take(&mut current));
        } else {
            current.push_str(", ");
        }
        rest = &tail[2..];
    }
    current.push_str(rest);
    out.push(current);
    out
}

/// Does this text begin a field error (`a.b[0].c: Invalid value...`)?
fn starts_cause(s: &str) -> bool {
    let Some((field, body)) = s.split_once(": ") else {
        return false;
    };
    !field.is_empty()
        && field
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._[]-/".contains(c))
        && [
            "Invalid value",
            "Unsupported value",
            "Required value",
            "Forbidden",
            "Too long",
            "Too many",
            "Duplicate value",
            "Not found",
            "Internal error",
        ]
        .iter()
        .any(|t| body.starts_with(t))
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
    if bytes > limits::MAX_ANNOTATIONS_BYTES && bytes <= TOTAL_ANNOTATION_SIZE_LIMIT {
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

fn subdomain_error() -> String {
    regex_error(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*",
        &["example.com"],
    )
}

/// `validation.IsDNS1123Label`'s messages.
pub fn dns1123_label_errors(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    let ok = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-');
    if !ok {
        errs.push(regex_error(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?",
            &["my-name", "123-abc"],
        ));
    }
    errs
}

/// `ValidateObjectMeta`: the name (a DNS-1123 label or subdomain), labels, annotations.
/// The rule an object's name follows (`ValidateObjectMeta`'s `nameFn`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum NameRule {
    /// `NameIsDNSSubdomain` (pods, volumes, claims, classes).
    Subdomain,
    /// `NameIsDNSLabel` (StatefulSets).
    Label,
    /// `NameIsDNS1035Label` (Services: a name that starts with a letter).
    Label1035,
}

/// `validation.IsDNS1035Label`'s messages.
fn dns1035_label_errors(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push("must be no more than 63 characters".to_string());
    }
    let ok = s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.ends_with('-');
    if !ok {
        errs.push(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            "[a-z]([-a-z0-9]*[a-z0-9])?",
            &["my-name", "abc-123"],
        ));
    }
    errs
}

fn validate_object_meta(p: &mut Problems, meta: &ObjectMeta, rule: NameRule) {
    match meta.name.as_deref() {
        None | Some("") => p.add(
            "metadata.name",
            "Required value: name or generateName is required",
        ),
        Some(name) => {
            let errs = if rule == NameRule::Label {
                dns1123_label_errors(name)
            } else if rule == NameRule::Label1035 {
                dns1035_label_errors(name)
            } else {
                let mut errs = Vec::new();
                if name.len() > 253 {
                    errs.push("must be no more than 253 characters".to_string());
                }
                if !name.split('.').all(|l| {
                    !l.is_empty()
                        && l.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                        && !l.starts_with('-')
                        && !l.ends_with('-')
                }) {
                    errs.push(subdomain_error());
                }
                errs
            };
            for msg in errs {
                p.invalid("metadata.name", Bad::Str(name.to_string()), &msg);
            }
        }
    }
    validate_labels(p, "metadata.labels", meta.labels.as_ref());
    validate_annotations(p, "metadata.annotations", meta.annotations.as_ref());
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

fn json_of<T: serde::Serialize>(v: &T) -> Bad {
    Bad::Json(serde_json::to_value(v).unwrap_or(serde_json::Value::Null))
}

/// `ValidateLabelSelector` (`k8s.io/apimachinery/pkg/apis/meta/v1/validation`).
fn validate_label_selector(p: &mut Problems, field: &str, selector: &LabelSelector) {
    for (i, e) in selector.match_expressions.iter().flatten().enumerate() {
        let at = format!("{field}.matchExpressions[{i}]");
        let values = e.values.as_deref().unwrap_or(&[]);
        match e.operator.as_str() {
            "In" | "NotIn" => {
                if values.is_empty() {
                    p.add(
                        &format!("{at}.values"),
                        "Required value: must be specified when `operator` is 'In' or 'NotIn'",
                    );
                }
            }
            "Exists" | "DoesNotExist" => {
                if !values.is_empty() {
                    p.forbidden(
                        &format!("{at}.values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    );
                }
            }
            other => p.invalid(
                &format!("{at}.operator"),
                Bad::Str(other.to_string()),
                "not a valid selector operator",
            ),
        }
        for msg in qualified_name_errors(&e.key) {
            p.invalid(&format!("{at}.key"), Bad::Str(e.key.clone()), &msg);
        }
    }
    validate_labels(
        p,
        &format!("{field}.matchLabels"),
        selector.match_labels.as_ref(),
    );
}

/// The API server's internal (Go field name) rendering of a RollingUpdateStatefulSetStrategy:
/// validation runs on internal types, whose JSON has no tags (`{"Partition":0,...}`).
fn internal_rolling_update(ru: &RollingUpdateStatefulSetStrategy) -> String {
    let max = ru.max_unavailable.as_ref().map_or("null".to_string(), |m| {
        go_json(&serde_json::to_value(m).unwrap_or_default())
    });
    format!(
        "{{\"Partition\":{},\"MaxUnavailable\":{max}}}",
        ru.partition.unwrap_or(0)
    )
}

/// `getIntOrPercentValue` (`pkg/apis/apps/validation/validation.go`).
fn int_or_percent_value(v: &IntOrString) -> i64 {
    match v {
        IntOrString::Int(i) => i64::from(*i),
        IntOrString::String(s) => match percent(s) {
            Some(p) => p,
            None => s.parse::<i64>().unwrap_or(0),
        },
    }
}

/// `IsValidPercent`: `[0-9]+%`.
fn percent(s: &str) -> Option<i64> {
    let digits = s.strip_suffix('%')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().unwrap_or(i64::MAX))
}

/// `validateRollingUpdateStatefulSet`: partition non-negative; maxUnavailable a positive
/// int or a percentage, not 0, not over 100 %.
fn validate_rolling_update(p: &mut Problems, ru: &RollingUpdateStatefulSetStrategy) {
    let at = "spec.updateStrategy.rollingUpdate";
    p.nonnegative(&format!("{at}.partition"), ru.partition.map(i64::from));
    let Some(max) = ru.max_unavailable.as_ref() else {
        return;
    };
    let field = format!("{at}.maxUnavailable");
    match max {
        IntOrString::String(s) if percent(s).is_none() => p.invalid(
            &field,
            json_of(max),
            &regex_error(
                "a valid percent string must be a numeric string followed by an ending '%'",
                "[0-9]+%",
                &["1%", "93%"],
            ),
        ),
        IntOrString::String(_) => {}
        IntOrString::Int(i) => p.nonnegative(&field, Some(i64::from(*i))),
    }
    if int_or_percent_value(max) == 0 {
        p.invalid(&field, json_of(max), "cannot be 0");
    }
    if let IntOrString::String(s) = max {
        if percent(s).is_some_and(|v| v > 100) {
            p.invalid(&field, json_of(max), "must not be greater than 100%");
        }
    }
}

/// `ValidateStatefulSetSpec` (`pkg/apis/apps/validation/validation.go`), in upstream's order.
/// The pod template's spec is not validated here (upstream leaves it to pod creation: the
/// controller's `FailedCreate` event carries the Pod's errors), only its labels/annotations.
fn validate_statefulset(p: &mut Problems, spec: &StatefulSetSpec) {
    if let Some(policy) = spec.pod_management_policy.as_deref() {
        if policy != "OrderedReady" && policy != "Parallel" {
            p.invalid(
                "spec.podManagementPolicy",
                Bad::Str(policy.to_string()),
                "must be 'OrderedReady' or 'Parallel'",
            );
        }
    }
    if let Some(strategy) = spec.update_strategy.as_ref() {
        match strategy.type_.as_deref() {
            None | Some("RollingUpdate") => {
                if let Some(ru) = strategy.rolling_update.as_ref() {
                    validate_rolling_update(p, ru);
                }
            }
            Some("OnDelete") => {
                if let Some(ru) = strategy.rolling_update.as_ref() {
                    p.invalid(
                        "spec.updateStrategy.rollingUpdate",
                        Bad::Raw(internal_rolling_update(ru)),
                        "only allowed for updateStrategy 'RollingUpdate'",
                    );
                }
            }
            Some(other) => p.invalid(
                "spec.updateStrategy",
                Bad::Raw(format!(
                    "{{\"Type\":{},\"RollingUpdate\":{}}}",
                    go_json(&serde_json::Value::from(other)),
                    strategy
                        .rolling_update
                        .as_ref()
                        .map_or("null".to_string(), internal_rolling_update)
                )),
                "must be 'RollingUpdate' or 'OnDelete'",
            ),
        }
    }
    if let Some(policy) = spec.persistent_volume_claim_retention_policy.as_ref() {
        for (field, value) in [
            ("whenDeleted", &policy.when_deleted),
            ("whenScaled", &policy.when_scaled),
        ] {
            if let Some(v) = value.as_deref() {
                if v != "Retain" && v != "Delete" {
                    p.not_supported(
                        &format!("spec.persistentVolumeClaimRetentionPolicy.{field}"),
                        Bad::Str(v.to_string()),
                        &["Retain", "Delete"],
                    );
                }
            }
        }
    }
    p.nonnegative("spec.replicas", spec.replicas.map(i64::from));
    p.nonnegative(
        "spec.minReadySeconds",
        spec.min_ready_seconds.map(i64::from),
    );
    // kubernetes#129017: revisionHistoryLimit non-negative, checked after minReadySeconds
    p.nonnegative(
        "spec.revisionHistoryLimit",
        spec.revision_history_limit.map(i64::from),
    );
    if let Some(ordinals) = spec.ordinals.as_ref() {
        p.nonnegative("spec.ordinals.start", ordinals.start.map(i64::from));
    }
    if let Some(limit) = spec.revision_history_limit {
        if limit > limits::MAX_REVISION_HISTORY {
            p.invalid(
                "spec.revisionHistoryLimit",
                Bad::Int(i64::from(limit)),
                &format!(
                    "must be less than or equal to {} (a playground limit: MAX_REVISION_HISTORY)",
                    limits::MAX_REVISION_HISTORY
                ),
            );
        }
    }
    let selector = &spec.selector;
    validate_label_selector(p, "spec.selector", selector);
    let empty = selector.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && selector
            .match_expressions
            .as_ref()
            .is_none_or(|e| e.is_empty());
    if empty {
        p.invalid(
            "spec.selector",
            json_of(selector),
            "empty selector is invalid for statefulset",
        );
    }
    let template_meta = spec.template.metadata.as_ref();
    let labels = template_meta.and_then(|m| m.labels.as_ref());
    if !empty && !selector_matches(selector, labels.unwrap_or(&BTreeMap::new())) {
        p.invalid(
            "spec.template.metadata.labels",
            json_of(&labels),
            "`selector` does not match template `labels`",
        );
    }
    validate_labels(p, "spec.template.labels", labels);
    validate_annotations(
        p,
        "spec.template.annotations",
        template_meta.and_then(|m| m.annotations.as_ref()),
    );
    if let Some(meta) = template_meta {
        validate_meta_limits(p, "spec.template.", meta);
    }
    if let Some(pod) = spec.template.spec.as_ref() {
        if let Some(policy) = pod.restart_policy.as_deref() {
            if policy != "Always" {
                p.not_supported(
                    "spec.template.spec.restartPolicy",
                    Bad::Str(policy.to_string()),
                    &["Always"],
                );
            }
        }
        if pod.active_deadline_seconds.is_some() {
            p.forbidden(
                "spec.template.spec.activeDeadlineSeconds",
                "activeDeadlineSeconds in StatefulSet is not Supported",
            );
        }
        // playground limits: what the simulation can hold, not upstream rules
        p.too_many(
            "spec.template.spec.containers",
            pod.containers.len(),
            limits::MAX_CONTAINERS,
            "MAX_CONTAINERS",
        );
        p.too_many(
            "spec.template.spec.initContainers",
            pod.init_containers.as_ref().map_or(0, Vec::len),
            limits::MAX_CONTAINERS,
            "MAX_CONTAINERS",
        );
    }
    p.too_many(
        "spec.volumeClaimTemplates",
        spec.volume_claim_templates.as_ref().map_or(0, Vec::len),
        limits::MAX_VOLUME_CLAIM_TEMPLATES,
        "MAX_VOLUME_CLAIM_TEMPLATES",
    );
}

/// `ValidatePodSpec`'s rules the playground models (`pkg/apis/core/validation/validation.go`),
/// applied to a Pod as the StatefulSet controller creates it (paths under `spec.`).
fn validate_pod_spec(p: &mut Problems, spec: &PodSpec) {
    if spec.containers.is_empty() {
        p.required("spec.containers");
    }
    let mut names = std::collections::BTreeSet::new();
    let lists = [
        (
            "initContainers",
            spec.init_containers.as_deref().unwrap_or(&[]),
        ),
        ("containers", spec.containers.as_slice()),
    ];
    for (list, containers) in lists {
        for (i, c) in containers.iter().enumerate() {
            let at = format!("spec.{list}[{i}]");
            if c.name.is_empty() {
                p.required(&format!("{at}.name"));
            } else {
                for msg in dns1123_label_errors(&c.name) {
                    p.invalid(&format!("{at}.name"), Bad::Str(c.name.clone()), &msg);
                }
                if !names.insert(c.name.clone()) {
                    p.add(
                        &format!("{at}.name"),
                        format!("Duplicate value: {}", go_quote(&c.name)),
                    );
                }
            }
            if c.image.as_deref().unwrap_or("").trim().is_empty() {
                p.required(&format!("{at}.image"));
            }
            for (probe, field) in [
                (&c.readiness_probe, "readinessProbe"),
                (&c.liveness_probe, "livenessProbe"),
                (&c.startup_probe, "startupProbe"),
            ] {
                let Some(probe) = probe else { continue };
                // `validateProbe`: every count and duration is non-negative; upstream
                // sets no upper bound (the kubelet's arithmetic saturates).
                for (value, name) in [
                    (probe.initial_delay_seconds, "initialDelaySeconds"),
                    (probe.timeout_seconds, "timeoutSeconds"),
                    (probe.period_seconds, "periodSeconds"),
                    (probe.success_threshold, "successThreshold"),
                    (probe.failure_threshold, "failureThreshold"),
                ] {
                    p.nonnegative(&format!("{at}.{field}.{name}"), value.map(i64::from));
                }
            }
        }
    }
    // a negative terminationGracePeriodSeconds is not refused: a Pod's is converted to 1
    // (kubernetes#115606) and a template's draws a warning (`grace_period_warning`)
}

/// `warningsForPodSpecAndMeta` (pkg/api/pod/warnings.go) on a StatefulSet's template: the
/// API server's warning for a negative grace period, which pods then treat as 1 second.
pub fn grace_period_warning(object: &Object) -> Option<String> {
    let Object::StatefulSet(s) = object else {
        return None;
    };
    let grace = s
        .spec
        .as_ref()?
        .template
        .spec
        .as_ref()?
        .termination_grace_period_seconds?;
    (grace < 0).then(|| {
        "spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1".to_string()
    })
}

/// Validates a Pod as the API server does on create (`ValidatePodCreate`): the pods the
/// StatefulSet controller creates from its template. `Err` is the server's message,
/// `Pod "web-0" is invalid: ...`.
pub fn validate_pod(pod: &Pod) -> Result<(), String> {
    let mut p = Problems(Vec::new());
    validate_object_meta(&mut p, &pod.metadata, NameRule::Subdomain);
    match pod.spec.as_ref() {
        Some(spec) => validate_pod_spec(&mut p, spec),
        None => p.required("spec.containers"),
    }
    if p.0.is_empty() {
        return Ok(());
    }
    Err(format!(
        "Pod \"{}\" is invalid: {}",
        pod.metadata.name.as_deref().unwrap_or(""),
        join_causes(p.0.into_iter().map(|p| p.message).collect())
    ))
}

/// What the API server will refuse when the StatefulSet controller creates a pod from this
/// template (`ValidatePodSpec` on the pod): upstream accepts the StatefulSet and then reports
/// these in `FailedCreate` events, so the editor shows them as warnings at the template.
pub fn template_warnings(object: &Object) -> Vec<Problem> {
    let Object::StatefulSet(s) = object else {
        return Vec::new();
    };
    let Some(spec) = s.spec.as_ref().and_then(|s| s.template.spec.as_ref()) else {
        return Vec::new();
    };
    let mut p = Problems(Vec::new());
    validate_pod_spec(&mut p, spec);
    p.0.into_iter()
        .map(|mut problem| {
            let mut full = path("spec.template");
            full.extend(problem.path);
            problem.path = full;
            problem.message = format!(
                "spec.template.{} (the API server accepts the StatefulSet, but refuses each Pod created from this template: FailedCreate)",
                problem.message
            );
            problem
        })
        .collect()
}

/// `ValidateServiceSpec`'s rules the playground models.
fn validate_service(p: &mut Problems, spec: &ServiceSpec) {
    let headless = spec.cluster_ip.as_deref() == Some("None");
    let ports = spec.ports.as_deref().unwrap_or(&[]);
    if let Some(t) = spec.type_.as_deref() {
        const TYPES: [&str; 4] = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
        if !TYPES.contains(&t) {
            p.not_supported("spec.type", Bad::Str(t.to_string()), &TYPES);
        }
    }
    if ports.is_empty() && !headless && spec.type_.as_deref() != Some("ExternalName") {
        p.required("spec.ports");
    }
    // ValidateService's type switch: a NodePort or LoadBalancer Service needs a cluster IP
    if let (true, Some(t @ ("NodePort" | "LoadBalancer"))) = (headless, spec.type_.as_deref()) {
        p.add_at(
            "spec.clusterIP",
            "spec.clusterIPs[0]",
            format!("Invalid value: \"None\": may not be set to 'None' for {t} services"),
        );
    }
    let mut names = std::collections::BTreeSet::new();
    for (i, port) in ports.iter().enumerate() {
        let name = port.name.as_deref().unwrap_or("");
        if ports.len() > 1 && name.is_empty() {
            p.required(&format!("spec.ports[{i}].name"));
        } else if !name.is_empty() {
            for msg in dns1123_label_errors(name) {
                p.invalid(
                    &format!("spec.ports[{i}].name"),
                    Bad::Str(name.to_string()),
                    &msg,
                );
            }
            if !names.insert(name) {
                p.add(
                    &format!("spec.ports[{i}].name"),
                    format!("Duplicate value: {}", go_quote(name)),
                );
            }
        }
        if !(1..=65535).contains(&port.port) {
            p.invalid(
                &format!("spec.ports[{i}].port"),
                Bad::Int(i64::from(port.port)),
                "must be between 1 and 65535, inclusive",
            );
        }
        if let Some(proto) = port.protocol.as_deref() {
            const PROTOCOLS: [&str; 3] = ["SCTP", "TCP", "UDP"];
            if !PROTOCOLS.contains(&proto) {
                p.not_supported(
                    &format!("spec.ports[{i}].protocol"),
                    Bad::Str(proto.to_string()),
                    &PROTOCOLS,
                );
            }
        }
    }
}

const ACCESS_MODES: [&str; 4] = [
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
];

fn validate_access_modes(p: &mut Problems, field: &str, modes: &[String]) {
    for m in modes {
        if !ACCESS_MODES.contains(&m.as_str()) {
            p.not_supported(field, Bad::Str(m.clone()), &ACCESS_MODES);
        }
    }
    if modes.iter().any(|m| m == "ReadWriteOncePod")
        && modes
            .iter()
            .any(|m| m != "ReadWriteOncePod" && ACCESS_MODES.contains(&m.as_str()))
    {
        p.forbidden(
            field,
            "may not use ReadWriteOncePod with other access modes",
        );
    }
}

/// `ValidatePositiveQuantityValue`: `Invalid value: "-1Gi": must be greater than zero`.
fn positive_quantity(p: &mut Problems, locate: &str, shown: &str, q: &Quantity) {
    let amount = quantity::parse(&q.0);
    if amount.is_some_and(|a| a <= quantity::Amount::ZERO) {
        let text = if amount == Some(quantity::Amount::ZERO) {
            "0".to_string()
        } else {
            q.0.trim().to_string()
        };
        p.add_at(
            locate,
            shown,
            format!(
                "Invalid value: {}: must be greater than zero",
                go_quote(&text)
            ),
        );
    }
}

/// The PersistentVolumeClaim spec rules (`ValidatePersistentVolumeClaimSpec`), at `prefix`.
fn validate_claim_spec(p: &mut Problems, prefix: &str, spec: &PersistentVolumeClaimSpec) {
    let modes = spec.access_modes.as_deref().unwrap_or(&[]);
    if modes.is_empty() {
        p.add(
            &format!("{prefix}spec.accessModes"),
            "Required value: at least 1 access mode is required",
        );
    }
    if let Some(selector) = spec.selector.as_ref() {
        validate_label_selector(p, &format!("{prefix}spec.selector"), selector);
    }
    validate_access_modes(p, &format!("{prefix}spec.accessModes"), modes);
    let storage = spec
        .resources
        .as_ref()
        .and_then(|r| r.requests.as_ref())
        .and_then(|r| r.get("storage"));
    let shown = format!("{prefix}spec.resources[storage]");
    match storage {
        None => p.add_at(&format!("{prefix}spec.resources"), &shown, "Required value"),
        Some(q) => positive_quantity(
            p,
            &format!("{prefix}spec.resources.requests.storage"),
            &shown,
            q,
        ),
    }
}

/// `ValidateStorageClassUpdate` (pkg/apis/storage/validation/validation.go): parameters,
/// provisioner and reclaimPolicy cannot change, volumeBindingMode is immutable.
pub fn storage_class_update(
    old: &k8s_openapi::api::storage::v1::StorageClass,
    new: &k8s_openapi::api::storage::v1::StorageClass,
) -> Option<String> {
    let mut p = Problems(Vec::new());
    let params = |sc: &k8s_openapi::api::storage::v1::StorageClass| {
        sc.parameters.clone().filter(|m| !m.is_empty())
    };
    if params(old) != params(new) {
        p.forbidden("parameters", "updates to parameters are forbidden.");
    }
    if old.provisioner != new.provisioner {
        p.forbidden("provisioner", "updates to provisioner are forbidden.");
    }
    if old.reclaim_policy != new.reclaim_policy {
        p.forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden.");
    }
    if old.volume_binding_mode != new.volume_binding_mode {
        p.invalid(
            "volumeBindingMode",
            json_of(&new.volume_binding_mode),
            "field is immutable",
        );
    }
    (!p.0.is_empty()).then(|| join_causes(p.0.into_iter().map(|p| p.message).collect()))
}

/// The quantities of an object that the API server could not decode: `Some(error)` with
/// `resource.ErrFormatWrong`'s text and where, refused before any validation runs.
fn quantity_problem(object: &Object) -> Option<Problem> {
    fn check<'a>(
        found: &mut Option<Problem>,
        at: &str,
        map: impl IntoIterator<Item = (&'a String, &'a Quantity)>,
    ) {
        for (k, q) in map {
            if found.is_none() {
                if let Some(e) = quantity::parse_error(&q.0) {
                    *found = Some(Problem {
                        path: path(&format!("{at}.{k}")),
                        message: e.to_string(),
                    });
                }
            }
        }
    }
    let mut found = None;
    let claim =
        |found: &mut Option<Problem>, at: &str, spec: Option<&PersistentVolumeClaimSpec>| {
            if let Some(r) = spec.and_then(|s| s.resources.as_ref()) {
                check(
                    found,
                    &format!("{at}.resources.requests"),
                    r.requests.iter().flatten(),
                );
                check(
                    found,
                    &format!("{at}.resources.limits"),
                    r.limits.iter().flatten(),
                );
            }
        };
    match object {
        Object::PersistentVolume(pv) => {
            if let Some(c) = pv.spec.as_ref().and_then(|s| s.capacity.as_ref()) {
                check(&mut found, "spec.capacity", c);
            }
        }
        Object::PersistentVolumeClaim(pvc) => claim(&mut found, "spec", pvc.spec.as_ref()),
        Object::StatefulSet(s) => {
            let spec = s.spec.as_ref()?;
            for (i, t) in spec.volume_claim_templates.iter().flatten().enumerate() {
                claim(
                    &mut found,
                    &format!("spec.volumeClaimTemplates[{i}].spec"),
                    t.spec.as_ref(),
                );
            }
            for (i, c) in spec
                .template
                .spec
                .iter()
                .flat_map(|s| s.containers.iter())
                .enumerate()
            {
                if let Some(r) = c.resources.as_ref() {
                    let at = format!("spec.template.spec.containers[{i}].resources");
                    check(
                        &mut found,
                        &format!("{at}.requests"),
                        r.requests.iter().flatten(),
                    );
                    check(
                        &mut found,
                        &format!("{at}.limits"),
                        r.limits.iter().flatten(),
                    );
                }
            }
        }
        Object::Service(_) | Object::StorageClass(_) | Object::Namespace(_) => {}
    }
    found
}

/// Is this message a decode-time refusal (the request could not be read as the type)?
pub fn is_decode_error(message: &str) -> bool {
    message == quantity::ERR_FORMAT_WRONG || message == quantity::ERR_SUFFIX
}

/// Validates an object as the API server does on create: decode errors first (a bad
/// quantity is refused before validation, as `Quantity.UnmarshalJSON` fails), then the
/// kind's rules in upstream's order.
pub fn validate(object: &Object) -> Vec<Problem> {
    if let Some(problem) = quantity_problem(object) {
        return vec![problem];
    }
    let mut p = Problems(Vec::new());
    match object {
        Object::StatefulSet(s) => {
            validate_object_meta(&mut p, &s.metadata, NameRule::Label);
            match s.spec.as_ref() {
                Some(spec) => validate_statefulset(&mut p, spec),
                None => p.required("spec"),
            }
        }
        Object::Service(s) => {
            validate_object_meta(&mut p, &s.metadata, NameRule::Label1035);
            if let Some(spec) = s.spec.as_ref() {
                validate_service(&mut p, spec);
            }
        }
        Object::PersistentVolume(pv) => {
            validate_object_meta(&mut p, &pv.metadata, NameRule::Subdomain);
            match pv.spec.as_ref() {
                None => p.required("spec"),
                Some(spec) => {
                    let modes = spec.access_modes.as_deref().unwrap_or(&[]);
                    if modes.is_empty() {
                        p.required("spec.accessModes");
                    }
                    validate_access_modes(&mut p, "spec.accessModes", modes);
                    let capacity = spec.capacity.as_ref();
                    if capacity.is_none_or(|c| c.is_empty()) {
                        p.required("spec.capacity");
                    }
                    if let Some(c) = capacity.filter(|c| !c.contains_key("storage") || c.len() > 1)
                    {
                        p.not_supported("spec.capacity", json_of(c), &["storage"]);
                    }
                    for (r, q) in capacity.into_iter().flatten() {
                        let locate = format!("spec.capacity.{r}");
                        let shown = format!("spec.capacity[{r}]");
                        if let Some(a) =
                            quantity::parse(&q.0).filter(|a| *a < quantity::Amount::ZERO)
                        {
                            let v = i64::try_from(a.value()).unwrap_or(i64::MIN);
                            p.add_at(
                                &locate,
                                &shown,
                                format!("Invalid value: {v}: must be a valid resource quantity"),
                            );
                        }
                        positive_quantity(&mut p, &locate, &shown, q);
                    }
                    if let Some(policy) = spec.persistent_volume_reclaim_policy.as_deref() {
                        const POLICIES: [&str; 3] = ["Delete", "Recycle", "Retain"];
                        if !POLICIES.contains(&policy) {
                            p.not_supported(
                                "spec.persistentVolumeReclaimPolicy",
                                Bad::Str(policy.to_string()),
                                &POLICIES,
                            );
                        }
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
            validate_object_meta(&mut p, &pvc.metadata, NameRule::Subdomain);
            match pvc.spec.as_ref() {
                None => p.required("spec"),
                Some(spec) => validate_claim_spec(&mut p, "", spec),
            }
        }
        // ValidateNamespace: the name is a DNS-1123 label (`pkg/apis/core/validation`)
        Object::Namespace(n) => validate_object_meta(&mut p, &n.metadata, NameRule::Label),
        Object::StorageClass(sc) => {
            validate_object_meta(&mut p, &sc.metadata, NameRule::Subdomain);
            if sc.provisioner.is_empty() {
                p.required("provisioner");
            }
            if let Some(policy) = sc.reclaim_policy.as_deref() {
                if policy != "Delete" && policy != "Retain" {
                    p.not_supported(
                        "reclaimPolicy",
                        Bad::Str(policy.to_string()),
                        &["Delete", "Retain"],
                    );
                }
            }
            if let Some(mode) = sc.volume_binding_mode.as_deref() {
                if mode != "Immediate" && mode != "WaitForFirstConsumer" {
                    p.not_supported(
                        "volumeBindingMode",
                        Bad::Str(mode.to_string()),
                        &["Immediate", "WaitForFirstConsumer"],
                    );
                }
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

/// The object's size as JSON, counted on its `serde_json::Value` (the same bytes: only the
/// keys' order differs). Going through the value reuses the one `Serialize` instantiation per
/// kind that kubectl's printers and the revision hashes already need; counting the typed
/// object directly added a second copy of every kind's serializer to the wasm (SIZE.md,
/// session 10). Runs once per applied or edited document, not per engine event.
pub fn object_size(object: &Object) -> usize {
    fn size<T: serde::Serialize>(o: &T) -> usize {
        serde_json::to_value(o).map_or(0, |v| limits::json_size(&v))
    }
    match object {
        Object::StatefulSet(o) => size(o),
        Object::Service(o) => size(o),
        Object::PersistentVolume(o) => size(o),
        Object::PersistentVolumeClaim(o) => size(o),
        Object::StorageClass(o) => size(o),
        Object::Namespace(o) => size(o),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // k8s.io/apimachinery/pkg/util/validation/field/errors.go (v1.35 ErrorBody): integers with
    // %v, strings with %q, composite values as JSON.
    #[test]
    fn field_error_values_render_as_the_v1_35_error_body() {
        let mut p = Problems(Vec::new());
        p.invalid("spec.replicas", Bad::Int(-3), IS_NEGATIVE);
        p.invalid("a", Bad::Str("x\"y\n".into()), "d");
        let labels: BTreeMap<String, String> =
            [("b".into(), "<2>".into()), ("a".into(), "1".into())]
                .into_iter()
                .collect();
        p.invalid("spec.template.metadata.labels", json_of(&labels), "m");
        p.invalid("n", json_of(&None::<BTreeMap<String, String>>), "m");
        p.not_supported("t", Bad::Str("X".into()), &["A", "B"]);
        let messages: Vec<&str> = p.0.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "spec.replicas: Invalid value: -3: must be greater than or equal to 0",
                "a: Invalid value: \"x\\\"y\\n\": d",
                "spec.template.metadata.labels: Invalid value: {\"a\":\"1\",\"b\":\"\\u003c2\\u003e\"}: m",
                "n: Invalid value: null: m",
                "t: Unsupported value: \"X\": supported values: \"A\", \"B\"",
            ]
        );
    }

    #[test]
    fn object_size_is_the_length_of_the_object_as_json() {
        let text = [
            crate::examples::MONGO_PVS,
            crate::examples::MONGO_SERVICE,
            crate::examples::MONGO_STATEFULSET,
        ]
        .join("\n---\n");
        let objects = crate::manifest::parse(&text).objects;
        assert_eq!(objects.len(), 7);
        for parsed in &objects {
            let json = match &parsed.object {
                Object::StatefulSet(o) => serde_json::to_string(o),
                Object::Service(o) => serde_json::to_string(o),
                Object::PersistentVolume(o) => serde_json::to_string(o),
                Object::PersistentVolumeClaim(o) => serde_json::to_string(o),
                Object::StorageClass(o) => serde_json::to_string(o),
                Object::Namespace(o) => serde_json::to_string(o),
            };
            assert_eq!(object_size(&parsed.object), json.unwrap().len());
        }
    }

    // staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go: ParseQuantity's errors.
    #[test]
    fn quantities_are_refused_with_parse_quantity_errors() {
        assert_eq!(
            quantity::parse_error("1.5.5Gi"),
            Some(quantity::ERR_FORMAT_WRONG)
        );
        assert_eq!(quantity::parse_error(""), Some(quantity::ERR_FORMAT_WRONG));
        assert_eq!(
            quantity::parse_error("1Gb"),
            Some(quantity::ERR_FORMAT_WRONG)
        );
        assert_eq!(quantity::parse_error("1iG"), Some(quantity::ERR_SUFFIX));
        assert_eq!(quantity::parse_error("-1Gi"), None);
        assert_eq!(quantity::parse_error(" 100Mi "), None);
    }

    #[test]
    fn causes_split_only_where_a_field_error_begins() {
        let one = "spec.x: Unsupported value: \"a\": supported values: \"Retain\", \"Delete\"";
        assert_eq!(split_causes(one), [one]);
        let two = format!(
            "[{one}, spec.replicas: Invalid value: -1: must be greater than or equal to 0]"
        );
        assert_eq!(
            split_causes(&two),
            [
                one,
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0"
            ]
        );
        assert_eq!(join_causes(vec![one.into(), one.into()]), one);
    }

    // k8s.io/apimachinery/pkg/util/validation/validation.go: IsQualifiedName, IsValidLabelValue.
    #[test]
    fn label_keys_and_values_follow_is_qualified_name() {
        assert!(qualified_name_errors("app.kubernetes.io/name").is_empty());
        assert_eq!(qualified_name_errors("bad key!").len(), 1);
        assert_eq!(
            qualified_name_errors("/x")[0],
            "prefix part must be non-empty"
        );
        assert!(qualified_name_errors("a/b/c")[0].starts_with("a qualified name must consist"));
        assert!(label_value_errors("").is_empty());
        assert_eq!(
            label_value_errors(&"v".repeat(64))[0],
            "must be no more than 63 characters"
        );
    }
}
