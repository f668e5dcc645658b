//! Update validation: what the API server refuses when an existing object is changed
//! (`kubectl apply`, `patch`, `edit`), in v1.35's words. The create rules are in the parent.

use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim, ServiceSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::{go_quote, join_causes, Bad};
use crate::storage::quantity;

/// `ValidateImmutableField`'s detail (`apimachinery/pkg/api/validation/generic.go`).
const FIELD_IMMUTABLE: &str = "field is immutable";

/// `ValidateObjectMetaAccessorUpdate` (staging/src/k8s.io/apimachinery/pkg/api/validation/
/// objectmeta.go) as far as a request can fail it: the uid. Name and namespace select the
/// object (a patch that changes them is refused before, by the patch handler's `checkName`);
/// an empty uid is filled in and creationTimestamp/deletionTimestamp/
/// deletionGracePeriodSeconds are copied from the stored object by `BeforeUpdate`
/// (apiserver/pkg/registry/rest/update.go), so they never differ here.
pub fn object_meta_update(old: &ObjectMeta, new: &ObjectMeta) -> Option<String> {
    let uid = new.uid.as_deref().filter(|u| !u.is_empty())?;
    (old.uid.as_deref() != Some(uid)).then(|| {
        format!(
            "metadata.uid: Invalid value: {}: {FIELD_IMMUTABLE}",
            Bad::Str(uid.to_string()).render()
        )
    })
}

/// `validateUpgradeDowngradeClusterIPs` (pkg/apis/core/validation/validation.go) for the
/// single-stack Services of the playground: the primary cluster IP may not change (the value
/// shown is the new `clusterIPs`, which the registry fills from `clusterIP`). ExternalName on
/// either side and headless to headless are left alone; a request without a cluster IP keeps
/// the allocated one (`patchAllocatedValues`).
pub fn service_cluster_ip_update(old: &ServiceSpec, new: &ServiceSpec) -> Option<String> {
    let external = |s: &ServiceSpec| s.type_.as_deref() == Some("ExternalName");
    if external(old) || external(new) {
        return None;
    }
    // normalizeClusterIPs (pkg/registry/core/service/storage/storage.go): a changed clusterIP
    // becomes clusterIPs[0]
    let new_ip = new
        .cluster_ip
        .as_ref()
        .filter(|ip| !ip.is_empty())
        .or_else(|| new.cluster_ips.as_ref().and_then(|ips| ips.first()))
        .filter(|ip| !ip.is_empty())?;
    let old_ip = old.cluster_ip.as_deref().unwrap_or_default();
    if old_ip == "None" && new_ip == "None" || old_ip == new_ip {
        return None;
    }
    Some(format!(
        "spec.clusterIPs[0]: Invalid value: {}: may not change once set",
        Bad::Json(serde_json::json!([new_ip])).render()
    ))
}

/// Why an update is refused: by validation (422, `is invalid: CAUSES`) or by an admission
/// plugin (403, `is forbidden: WHY`).
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    Invalid(String),
    Forbidden(String),
}

/// `ValidatePersistentVolumeClaimUpdate` (pkg/apis/core/validation/validation.go), then the
/// `PersistentVolumeClaimResize` admission plugin (plugin/pkg/admission/storage/
/// persistentvolume/resize/admission.go), which validates after the strategy:
/// * the spec is immutable except a bound claim's storage request (binding fills in
///   `volumeName` and the default class `storageClassName`: a manifest without them keeps them);
/// * a bound claim's request may shrink only while it stays above `status.capacity`
///   (RecoverVolumeExpansionFailure, GA in 1.34);
/// * it may grow only when its StorageClass has `allowVolumeExpansion: true`.
///
/// The immutable-spec message goes on with `diff.Diff` of the two internal specs, as v1.35
/// renders it ([`go_diff`]).
pub fn claim_update(
    old: &PersistentVolumeClaim,
    new: &PersistentVolumeClaim,
    expandable: impl Fn(&str) -> bool,
) -> Option<Refusal> {
    let bound = old.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound");
    let storage = |p: &PersistentVolumeClaim| {
        p.spec
            .as_ref()
            .and_then(|s| s.resources.as_ref())
            .and_then(|r| r.requests.as_ref())
            .and_then(|r| r.get("storage"))
            .cloned()
    };
    let mut old_clone = old.spec.clone().unwrap_or_default();
    let mut new_clone = new.spec.clone().unwrap_or_default();
    // what a manifest leaves out, kubectl's patch leaves alone (binding's volumeName, the
    // defaulted class and volumeMode)
    if new_clone.volume_name.is_none() {
        new_clone.volume_name = old_clone.volume_name.clone();
    }
    if new_clone.storage_class_name.is_none() {
        new_clone.storage_class_name = old_clone.storage_class_name.clone();
    }
    if new_clone.volume_mode.is_none() {
        new_clone.volume_mode = old_clone.volume_mode.clone();
    }
    // volumeName may be set once; a class may be set on a claim that had none
    if old_clone
        .volume_name
        .as_deref()
        .unwrap_or_default()
        .is_empty()
    {
        old_clone.volume_name = new_clone.volume_name.clone();
    }
    if old_clone.storage_class_name.is_none() {
        new_clone.storage_class_name = None;
    }
    // a bound claim's storage request and the attributes class are compared elsewhere
    if bound {
        if let Some(r) = new_clone
            .resources
            .as_mut()
            .and_then(|r| r.requests.as_mut())
        {
            match storage(old) {
                Some(q) => r.insert("storage".into(), q),
                None => r.remove("storage"),
            };
        }
    }
    new_clone.volume_attributes_class_name = old_clone.volume_attributes_class_name.clone();
    if old_clone != new_clone {
        return Some(Refusal::Invalid(format!(
            "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n{}",
            go_diff(&internal_claim_spec(&old_clone), &internal_claim_spec(&new_clone))
        )));
    }
    let (Some(was), Some(now)) = (storage(old), storage(new)) else {
        return None;
    };
    match quantity::cmp(&now, &was) {
        std::cmp::Ordering::Equal => None,
        std::cmp::Ordering::Less => {
            let capacity = old
                .status
                .as_ref()
                .and_then(|s| s.capacity.as_ref())
                .and_then(|c| c.get("storage"));
            capacity
                .filter(|cap| quantity::cmp(&now, cap) != std::cmp::Ordering::Greater)
                .map(|_| {
                    Refusal::Invalid(
                        "spec.resources.requests.storage: Forbidden: field can not be less than status.capacity".into(),
                    )
                })
        }
        std::cmp::Ordering::Greater => {
            if !bound {
                return Some(Refusal::Forbidden(
                    "Only bound persistent volume claims can be expanded".into(),
                ));
            }
            let class = old
                .spec
                .as_ref()
                .and_then(|s| s.storage_class_name.as_deref());
            let new_class = new
                .spec
                .as_ref()
                .and_then(|s| s.storage_class_name.as_deref())
                .or(class);
            match class {
                Some(c) if !c.is_empty() && Some(c) == new_class && expandable(c) => None,
                _ => Some(Refusal::Forbidden(
                    "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize".into(),
                )),
            }
        }
    }
}

/// `ValidatePersistentVolumeUpdate`: the volume source (`spec.persistentvolumesource`, every
/// source field of the spec) and `volumeMode` are immutable. The source message goes on with
/// `diff.Diff` of the two internal sources when they are of the kinds the playground's volumes
/// use (nfs, hostPath, local); for others it stops at the sentence.
pub fn volume_update(old: &PersistentVolume, new: &PersistentVolume) -> Option<String> {
    let source = |v: &PersistentVolume| {
        v.spec.clone().map(|mut s| {
            s.access_modes = None;
            s.capacity = None;
            s.claim_ref = None;
            s.mount_options = None;
            s.node_affinity = None;
            s.persistent_volume_reclaim_policy = None;
            s.storage_class_name = None;
            s.volume_mode = None;
            s.volume_attributes_class_name = None;
            s
        })
    };
    let mut causes = Vec::new();
    if source(old) != source(new) {
        let diff = match (internal_volume_source(old), internal_volume_source(new)) {
            (Some(a), Some(b)) => format!("\n{}", go_diff(&a, &b)),
            _ => String::new(),
        };
        causes.push(format!(
            "spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation{diff}"
        ));
    }
    let mode = |v: &PersistentVolume| v.spec.as_ref().and_then(|s| s.volume_mode.clone());
    if let Some(m) = mode(new).filter(|m| Some(m) != mode(old).as_ref()) {
        // the path is upstream's: `field.NewPath("volumeMode")`, without `spec.`
        causes.push(format!(
            "volumeMode: Invalid value: {}: {FIELD_IMMUTABLE}",
            go_quote(&m)
        ));
    }
    (!causes.is_empty()).then(|| join_causes(causes))
}

/// A Go value as `encoding/json` writes it, fields in declaration order.
enum GoJson {
    Null,
    Bool(bool),
    Str(String),
    Arr(Vec<GoJson>),
    Obj(Vec<(&'static str, GoJson)>),
    /// A Go map: keys sorted.
    Map(Vec<(String, GoJson)>),
}

impl GoJson {
    fn opt_str(s: Option<&String>) -> GoJson {
        s.map_or(GoJson::Null, |s| GoJson::Str(s.clone()))
    }

    fn str_map(m: Option<&std::collections::BTreeMap<String, String>>) -> GoJson {
        m.map_or(GoJson::Null, |m| {
            GoJson::Map(
                m.iter()
                    .map(|(k, v)| (k.clone(), GoJson::Str(v.clone())))
                    .collect(),
            )
        })
    }

    /// `json.MarshalIndent(v, "", " ")`.
    fn indent(&self, depth: usize, out: &mut String) {
        let pad = |n: usize, out: &mut String| out.extend(std::iter::repeat_n(' ', n));
        let entries =
            |items: Vec<(Option<String>, &GoJson)>, open: char, close: char, out: &mut String| {
                if items.is_empty() {
                    out.push(open);
                    out.push(close);
                    return;
                }
                out.push(open);
                let n = items.len();
                for (i, (key, value)) in items.into_iter().enumerate() {
                    out.push('\n');
                    pad(depth + 1, out);
                    if let Some(k) = key {
                        out.push_str(&super::go_json(&serde_json::Value::String(k)));
                        out.push_str(": ");
                    }
                    value.indent(depth + 1, out);
                    if i + 1 < n {
                        out.push(',');
                    }
                }
                out.push('\n');
                pad(depth, out);
                out.push(close);
            };
        match self {
            GoJson::Null => out.push_str("null"),
            GoJson::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            GoJson::Str(s) => out.push_str(&super::go_json(&serde_json::Value::String(s.clone()))),
            GoJson::Arr(items) => entries(items.iter().map(|v| (None, v)).collect(), '[', ']', out),
            GoJson::Obj(fields) => entries(
                fields
                    .iter()
                    .map(|(k, v)| (Some(k.to_string()), v))
                    .collect(),
                '{',
                '}',
                out,
            ),
            GoJson::Map(fields) => entries(
                fields.iter().map(|(k, v)| (Some(k.clone()), v)).collect(),
                '{',
                '}',
                out,
            ),
        }
    }
}

/// The internal `core.PersistentVolumeClaimSpec` (pkg/apis/core/types.go: no json tags, so
/// Go's field names) as `encoding/json` writes it.
fn internal_claim_spec(spec: &k8s_openapi::api::core::v1::PersistentVolumeClaimSpec) -> GoJson {
    let strings = |v: Option<&Vec<String>>| {
        v.map_or(GoJson::Null, |v| {
            GoJson::Arr(v.iter().map(|s| GoJson::Str(s.clone())).collect())
        })
    };
    let quantities = |m: Option<
        &std::collections::BTreeMap<
            String,
            k8s_openapi::apimachinery::pkg::api::resource::Quantity,
        >,
    >| {
        m.map_or(GoJson::Null, |m| {
            GoJson::Map(
                m.iter()
                    .map(|(k, q)| (k.clone(), GoJson::Str(q.0.clone())))
                    .collect(),
            )
        })
    };
    // metav1.LabelSelector has json tags (omitempty)
    let selector = spec.selector.as_ref().map_or(GoJson::Null, |s| {
        let mut fields = Vec::new();
        if let Some(m) = s.match_labels.as_ref().filter(|m| !m.is_empty()) {
            fields.push(("matchLabels", GoJson::str_map(Some(m))));
        }
        if let Some(e) = s.match_expressions.as_ref().filter(|e| !e.is_empty()) {
            let exprs = e
                .iter()
                .map(|r| {
                    let mut f = vec![
                        ("key", GoJson::Str(r.key.clone())),
                        ("operator", GoJson::Str(r.operator.clone())),
                    ];
                    if let Some(v) = r.values.as_ref().filter(|v| !v.is_empty()) {
                        f.push(("values", strings(Some(v))));
                    }
                    GoJson::Obj(f)
                })
                .collect();
            fields.push(("matchExpressions", GoJson::Arr(exprs)));
        }
        GoJson::Obj(fields)
    });
    let resources = spec.resources.as_ref();
    GoJson::Obj(vec![
        ("AccessModes", strings(spec.access_modes.as_ref())),
        ("Selector", selector),
        (
            "Resources",
            GoJson::Obj(vec![
                (
                    "Limits",
                    quantities(resources.and_then(|r| r.limits.as_ref())),
                ),
                (
                    "Requests",
                    quantities(resources.and_then(|r| r.requests.as_ref())),
                ),
            ]),
        ),
        (
            "VolumeName",
            GoJson::Str(spec.volume_name.clone().unwrap_or_default()),
        ),
        (
            "StorageClassName",
            GoJson::opt_str(spec.storage_class_name.as_ref()),
        ),
        ("VolumeMode", GoJson::opt_str(spec.volume_mode.as_ref())),
        (
            "DataSource",
            spec.data_source.as_ref().map_or(GoJson::Null, |d| {
                GoJson::Obj(vec![
                    ("APIGroup", GoJson::opt_str(d.api_group.as_ref())),
                    ("Kind", GoJson::Str(d.kind.clone())),
                    ("Name", GoJson::Str(d.name.clone())),
                ])
            }),
        ),
        (
            "DataSourceRef",
            spec.data_source_ref.as_ref().map_or(GoJson::Null, |d| {
                GoJson::Obj(vec![
                    ("APIGroup", GoJson::opt_str(d.api_group.as_ref())),
                    ("Kind", GoJson::Str(d.kind.clone())),
                    ("Name", GoJson::Str(d.name.clone())),
                    ("Namespace", GoJson::opt_str(d.namespace.as_ref())),
                ])
            }),
        ),
        (
            "VolumeAttributesClassName",
            GoJson::opt_str(spec.volume_attributes_class_name.as_ref()),
        ),
    ])
}

/// The internal `core.PersistentVolumeSource` (pkg/apis/core/types.go, fields in declaration
/// order, all pointers) when the volume's source is nfs, hostPath or local.
fn internal_volume_source(v: &PersistentVolume) -> Option<GoJson> {
    let spec = v.spec.as_ref()?;
    // any other source set: not rendered
    let mut rest = spec.clone();
    rest.nfs = None;
    rest.host_path = None;
    rest.local = None;
    let mut bare = rest.clone();
    bare.access_modes = None;
    bare.capacity = None;
    bare.claim_ref = None;
    bare.mount_options = None;
    bare.node_affinity = None;
    bare.persistent_volume_reclaim_policy = None;
    bare.storage_class_name = None;
    bare.volume_mode = None;
    bare.volume_attributes_class_name = None;
    if bare != Default::default() {
        return None;
    }
    let mut nfs = spec.nfs.as_ref().map_or(GoJson::Null, |n| {
        GoJson::Obj(vec![
            ("Server", GoJson::Str(n.server.clone())),
            ("Path", GoJson::Str(n.path.clone())),
            ("ReadOnly", GoJson::Bool(n.read_only.unwrap_or(false))),
        ])
    });
    let mut host_path = spec.host_path.as_ref().map_or(GoJson::Null, |h| {
        GoJson::Obj(vec![
            ("Path", GoJson::Str(h.path.clone())),
            ("Type", GoJson::opt_str(h.type_.as_ref())),
        ])
    });
    let mut local = spec.local.as_ref().map_or(GoJson::Null, |l| {
        GoJson::Obj(vec![
            ("Path", GoJson::Str(l.path.clone())),
            ("FSType", GoJson::opt_str(l.fs_type.as_ref())),
        ])
    });
    let take = |v: &mut GoJson| std::mem::replace(v, GoJson::Null);
    let fields = [
        "GCEPersistentDisk",
        "AWSElasticBlockStore",
        "HostPath",
        "Glusterfs",
        "NFS",
        "RBD",
        "Quobyte",
        "ISCSI",
        "FlexVolume",
        "Cinder",
        "CephFS",
        "FC",
        "Flocker",
        "AzureFile",
        "VsphereVolume",
        "AzureDisk",
        "PhotonPersistentDisk",
        "PortworxVolume",
        "ScaleIO",
        "Local",
        "StorageOS",
        "CSI",
    ]
    .into_iter()
    .map(|name| {
        let value = match name {
            "HostPath" => take(&mut host_path),
            "NFS" => take(&mut nfs),
            "Local" => take(&mut local),
            _ => GoJson::Null,
        };
        (name, value)
    })
    .collect();
    Some(GoJson::Obj(fields))
}

/// `diff.Diff(a, b)` of k8s.io/apimachinery v0.35 (pkg/util/diff/diff.go, built without the
/// `usegocmp` tag): a unified diff (go-difflib: 3 lines of context, no file header) of the two
/// values' `json.MarshalIndent(v, "", " ")`.
fn go_diff(a: &GoJson, b: &GoJson) -> String {
    let text = |v: &GoJson| {
        let mut s = String::new();
        v.indent(0, &mut s);
        // difflib.SplitLines: split after each newline, the last line gets one too
        // difflib.SplitLines: every line with its newline (MarshalIndent's text has none at
        // the end, SplitLines adds it)
        s.push('\n');
        s.split_inclusive('\n')
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let a_lines = text(a);
    let b_lines = text(b);
    let mut out = String::new();
    for group in grouped_opcodes(&a_lines, &b_lines, 3) {
        let (first, last) = (group[0], group[group.len() - 1]);
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            unified_range(first.1, last.2),
            unified_range(first.3, last.4)
        ));
        for (tag, i1, i2, j1, j2) in group {
            if tag == 'e' {
                a_lines[i1..i2]
                    .iter()
                    .for_each(|l| out.push_str(&format!(" {l}")));
                continue;
            }
            if tag == 'r' || tag == 'd' {
                a_lines[i1..i2]
                    .iter()
                    .for_each(|l| out.push_str(&format!("-{l}")));
            }
            if tag == 'r' || tag == 'i' {
                b_lines[j1..j2]
                    .iter()
                    .for_each(|l| out.push_str(&format!("+{l}")));
            }
        }
    }
    out
}

/// go-difflib's `formatRangeUnified`.
fn unified_range(start: usize, stop: usize) -> String {
    let length = stop - start;
    match length {
        1 => format!("{}", start + 1),
        0 => format!("{start},0"),
        _ => format!("{},{length}", start + 1),
    }
}

type OpCode = (char, usize, usize, usize, usize);

/// go-difflib's `SequenceMatcher` (Python's difflib) over lines: no junk; autojunk only from
/// 200 lines, which these specs never reach.
fn opcodes(a: &[String], b: &[String]) -> Vec<OpCode> {
    let mut b2j: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (j, line) in b.iter().enumerate() {
        b2j.entry(line.as_str()).or_default().push(j);
    }
    if b.len() >= 200 {
        let ntest = b.len() / 100 + 1;
        b2j.retain(|_, js| js.len() <= ntest);
    }
    let longest = |alo: usize, ahi: usize, blo: usize, bhi: usize| {
        let (mut besti, mut bestj, mut bestsize) = (alo, blo, 0);
        let mut j2len: std::collections::HashMap<usize, usize> = Default::default();
        for (i, line) in a.iter().enumerate().take(ahi).skip(alo) {
            let mut next: std::collections::HashMap<usize, usize> = Default::default();
            for &j in b2j
                .get(line.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                if j < blo {
                    continue;
                }
                if j >= bhi {
                    break;
                }
                let k = j
                    .checked_sub(1)
                    .and_then(|p| j2len.get(&p))
                    .copied()
                    .unwrap_or(0)
                    + 1;
                next.insert(j, k);
                if k > bestsize {
                    (besti, bestj, bestsize) = (i + 1 - k, j + 1 - k, k);
                }
            }
            j2len = next;
        }
        while besti > alo && bestj > blo && a[besti - 1] == b[bestj - 1] {
            (besti, bestj, bestsize) = (besti - 1, bestj - 1, bestsize + 1);
        }
        while besti + bestsize < ahi
            && bestj + bestsize < bhi
            && a[besti + bestsize] == b[bestj + bestsize]
        {
            bestsize += 1;
        }
        (besti, bestj, bestsize)
    };
    let mut matched = Vec::new();
    // the recursion of GetMatchingBlocks, in its order (left part, match, right part)
    fn blocks(
        longest: &dyn Fn(usize, usize, usize, usize) -> (usize, usize, usize),
        (alo, ahi, blo, bhi): (usize, usize, usize, usize),
        out: &mut Vec<(usize, usize, usize)>,
    ) {
        let (i, j, k) = longest(alo, ahi, blo, bhi);
        if k > 0 {
            if alo < i && blo < j {
                blocks(longest, (alo, i, blo, j), out);
            }
            out.push((i, j, k));
            if i + k < ahi && j + k < bhi {
                blocks(longest, (i + k, ahi, j + k, bhi), out);
            }
        }
    }
    blocks(&longest, (0, a.len(), 0, b.len()), &mut matched);
    let mut merged: Vec<(usize, usize, usize)> = Vec::new();
    let (mut i1, mut j1, mut k1) = (0, 0, 0);
    for (i2, j2, k2) in matched {
        if i1 + k1 == i2 && j1 + k1 == j2 {
            k1 += k2;
        } else {
            if k1 > 0 {
                merged.push((i1, j1, k1));
            }
            (i1, j1, k1) = (i2, j2, k2);
        }
    }
    if k1 > 0 {
        merged.push((i1, j1, k1));
    }
    merged.push((a.len(), b.len(), 0));
    let (mut i, mut j) = (0, 0);
    let mut codes = Vec::new();
    for (ai, bj, size) in merged {
        let tag = match (i < ai, j < bj) {
            (true, true) => Some('r'),
            (true, false) => Some('d'),
            (false, true) => Some('i'),
            _ => None,
        };
        if let Some(t) = tag {
            codes.push((t, i, ai, j, bj));
        }
        (i, j) = (ai + size, bj + size);
        if size > 0 {
            codes.push(('e', ai, i, bj, j));
        }
    }
    codes
}

/// `GetGroupedOpCodes(n)`.
fn grouped_opcodes(a: &[String], b: &[String], n: usize) -> Vec<Vec<OpCode>> {
    let mut codes = opcodes(a, b);
    if codes.is_empty() {
        codes = vec![('e', 0, 1, 0, 1)];
    }
    if let Some(c) = codes.first_mut().filter(|c| c.0 == 'e') {
        *c = (
            'e',
            c.1.max(c.2.saturating_sub(n)),
            c.2,
            c.3.max(c.4.saturating_sub(n)),
            c.4,
        );
    }
    if let Some(c) = codes.last_mut().filter(|c| c.0 == 'e') {
        *c = ('e', c.1, c.2.min(c.1 + n), c.3, c.4.min(c.3 + n));
    }
    let nn = n + n;
    let mut groups = Vec::new();
    let mut group = Vec::new();
    for (tag, mut i1, i2, mut j1, j2) in codes {
        if tag == 'e' && i2 - i1 > nn {
            group.push((tag, i1, i2.min(i1 + n), j1, j2.min(j1 + n)));
            groups.push(std::mem::take(&mut group));
            i1 = i1.max(i2.saturating_sub(n));
            j1 = j1.max(j2.saturating_sub(n));
        }
        group.push((tag, i1, i2, j1, j2));
    }
    if !(group.is_empty() || group.len() == 1 && group[0].0 == 'e') {
        groups.push(group);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{PersistentVolumeClaimSpec, VolumeResourceRequirements};
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

    fn spec(modes: &[&str], class: Option<&str>) -> PersistentVolumeClaimSpec {
        PersistentVolumeClaimSpec {
            access_modes: Some(modes.iter().map(|m| m.to_string()).collect()),
            resources: Some(VolumeResourceRequirements {
                requests: Some([("storage".to_string(), Quantity("100Mi".into()))].into()),
                ..Default::default()
            }),
            volume_name: Some("pv001".into()),
            volume_mode: Some("Filesystem".into()),
            volume_attributes_class_name: class.map(String::from),
            ..Default::default()
        }
    }

    #[test]
    fn spec_diffs_are_difflibs_unified_diff_of_the_indented_json() {
        // apimachinery v0.35 pkg/util/diff/diff.go: difflib.UnifiedDiff{Context: 3} over
        // json.MarshalIndent(v, "", " "); the expected text is Python difflib's unified_diff
        // (which go-difflib ports) without its file header.
        let a = internal_claim_spec(&spec(&["ReadWriteMany"], None));
        let b = internal_claim_spec(&spec(&["ReadWriteOnce", "ReadOnlyMany"], Some("gold")));
        assert_eq!(
            go_diff(&a, &b),
            "@@ -1,6 +1,7 @@\n {\n  \"AccessModes\": [\n-  \"ReadWriteMany\"\n+  \"ReadWriteOnce\",\n+  \"ReadOnlyMany\"\n  ],\n  \"Selector\": null,\n  \"Resources\": {\n@@ -14,5 +15,5 @@\n  \"VolumeMode\": \"Filesystem\",\n  \"DataSource\": null,\n  \"DataSourceRef\": null,\n- \"VolumeAttributesClassName\": null\n+ \"VolumeAttributesClassName\": \"gold\"\n }\n"
        );
        assert_eq!(
            go_diff(&a, &internal_claim_spec(&spec(&["ReadWriteMany"], None))),
            ""
        );
    }
}
