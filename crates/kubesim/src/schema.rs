//! The Kubernetes v1.35 schema of the kinds the playground simulates, and what an editor asks of
//! it: field-name and enum-value completion at a cursor ([`complete`]) and the path, type and
//! description of the key under it ([`hover`]). `kubectl explain` reads the same data
//! ([`crate::kubectl::explain`]).
//!
//! The data is `schema/k8s-v1.35.schema`: upstream's OpenAPI definitions trimmed to what
//! StatefulSet, Service, PersistentVolume, PersistentVolumeClaim, StorageClass, Pod and Namespace reach
//! (Apache-2.0, the Kubernetes Authors; `scripts/schema/gen_k8s_schema.py` says how it was
//! made and documents the line format). The text is given at run time ([`Schema::parse`]): the
//! page fetches it as a separate file on first use, so it is not in the wasm; the native runner
//! and the tests compile it in (feature `embedded-schema`, on by default: [`DATA`],
//! [`Schema::embedded`]). It is never decoded as a whole: [`Schema::parse`] only records where
//! each type's line is (one pass over ~1,000 lines, a few tens of microseconds), and a type's
//! fields are read from its lines when asked for.
//!
//! Offsets are byte offsets into the text given.

use crate::manifest::scan_line;
use std::collections::BTreeMap;

/// The schema text (see the module docs), compiled in with the feature `embedded-schema`.
#[cfg(feature = "embedded-schema")]
pub const DATA: &str = include_str!("../schema/k8s-v1.35.schema");

/// An index over a schema text: each type's name and the byte range of its lines.
#[derive(Clone, Debug)]
pub struct Schema {
    text: &'static str,
    types: BTreeMap<&'static str, (usize, usize)>,
}

/// One type (`T` record) of the schema.
#[derive(Clone, Copy, Debug)]
pub struct TypeDef {
    /// The short name, e.g. `apps.v1.StatefulSet`, `meta.v1.ObjectMeta`.
    pub name: &'static str,
    /// The OpenAPI type: `object`, `string`, … or empty (Quantity, IntOrString).
    pub type_: &'static str,
    /// `group/version/kind` for a top-level kind, else empty.
    pub gvk: &'static str,
    description: &'static str,
    fields: &'static str,
}

/// One field (`F` record) of a type.
#[derive(Clone, Debug)]
pub struct Field {
    pub name: &'static str,
    pub required: bool,
    /// The type expression: a primitive, `@type`, `[]expr` or `{}expr`.
    pub expr: &'static str,
    description: &'static str,
    /// Enum values, when the source document lists them.
    pub enum_values: Vec<&'static str>,
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl TypeDef {
    pub fn description(&self) -> String {
        unescape(self.description)
    }

    /// The last segment of the name, as kubectl prints a reference type (`LabelSelector`).
    pub fn short_name(&self) -> &'static str {
        self.name.rsplit('.').next().unwrap_or(self.name)
    }

    /// The fields, sorted by name.
    pub fn fields(&self) -> impl Iterator<Item = Field> + '_ {
        let mut lines = self.fields.lines().peekable();
        std::iter::from_fn(move || loop {
            let line = lines.next()?;
            let Some(rest) = line.strip_prefix("F ") else {
                continue;
            };
            let mut parts = rest.splitn(4, '\t');
            let name = parts.next().unwrap_or("");
            let required = parts.next() == Some("r");
            let expr = parts.next().unwrap_or("");
            let description = parts.next().unwrap_or("");
            let enum_values = match lines.peek() {
                Some(l) if l.starts_with("E ") => {
                    let l = lines.next().unwrap_or("");
                    l[2..].split('\t').collect()
                }
                _ => Vec::new(),
            };
            return Some(Field {
                name,
                required,
                expr,
                description,
                enum_values,
            });
        })
    }

    pub fn field(&self, name: &str) -> Option<Field> {
        self.fields().find(|f| f.name == name)
    }

    pub fn has_fields(&self) -> bool {
        self.fields.contains("\nF ") || self.fields.starts_with("F ")
    }
}

impl Field {
    pub fn description(&self) -> String {
        unescape(self.description)
    }

    /// The first sentence of the description (up to the first `. ` or newline).
    pub fn summary(&self) -> String {
        first_sentence(&self.description())
    }
}

fn first_sentence(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    match line.find(". ") {
        Some(i) => line[..=i].to_string(),
        None => line.to_string(),
    }
}

#[cfg(feature = "embedded-schema")]
impl Default for Schema {
    fn default() -> Self {
        Schema::embedded()
    }
}

impl Schema {
    /// Indexes the compiled-in data ([`DATA`]).
    #[cfg(feature = "embedded-schema")]
    pub fn embedded() -> Schema {
        Schema::parse(DATA)
    }

    /// Indexes a schema text in the format `scripts/schema/gen_k8s_schema.py` writes (cheap: one
    /// pass recording line positions). Lines that are not records are skipped, so any text
    /// gives a schema (an empty one at worst).
    pub fn parse(text: &'static str) -> Schema {
        let mut types = BTreeMap::new();
        let mut offset = 0;
        let mut current: Option<(&'static str, usize)> = None;
        for line in text.split_inclusive('\n') {
            if let Some(rest) = line.strip_prefix("T ") {
                if let Some((name, start)) = current.take() {
                    types.insert(name, (start, offset));
                }
                let name = rest.split('\t').next().unwrap_or("");
                current = Some((name, offset));
            }
            offset += line.len();
        }
        if let Some((name, start)) = current {
            types.insert(name, (start, offset));
        }
        Schema { text, types }
    }

    /// A type by its short name (`core.v1.PodSpec`).
    pub fn get(&self, name: &str) -> Option<TypeDef> {
        let &(start, end) = self.types.get(name)?;
        let block = &self.text[start..end];
        let (head, fields) = block.split_once('\n').unwrap_or((block, ""));
        let mut parts = head.strip_prefix("T ")?.splitn(4, '\t');
        let name = parts.next()?;
        Some(TypeDef {
            name,
            type_: parts.next().unwrap_or(""),
            gvk: parts.next().unwrap_or(""),
            description: parts.next().unwrap_or(""),
            fields,
        })
    }

    /// The type of a top-level kind, by apiVersion and kind (`apps/v1`, `StatefulSet`).
    pub fn kind(&self, api_version: &str, kind: &str) -> Option<TypeDef> {
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        let gvk = format!("{group}/{version}/{kind}");
        self.kinds().into_iter().find(|t| t.gvk == gvk)
    }

    /// Every top-level kind the schema has.
    pub fn kinds(&self) -> Vec<TypeDef> {
        self.types
            .keys()
            .filter_map(|n| self.get(n))
            .filter(|t| !t.gvk.is_empty())
            .collect()
    }

    /// The type a type expression names, after any `[]`/`{}` wrappers.
    pub fn target(&self, expr: &str) -> Option<TypeDef> {
        let inner = expr.trim_start_matches("[]").trim_start_matches("{}");
        let inner = inner.trim_start_matches("[]").trim_start_matches("{}");
        self.get(inner.strip_prefix('@')?)
    }

    /// kubectl explain's `typeGuess`: `string`, `Object`, `[]Container`, `map[string]string`,
    /// `LabelSelector`, `Quantity` (plaintext.tmpl).
    pub fn type_guess(&self, expr: &str) -> String {
        if let Some(rest) = expr.strip_prefix("[]") {
            return format!("[]{}", self.type_guess(rest));
        }
        if let Some(rest) = expr.strip_prefix("{}") {
            return format!("map[string]{}", self.type_guess(rest));
        }
        if let Some(name) = expr.strip_prefix('@') {
            return match self.get(name) {
                Some(t) if !t.type_.is_empty() && t.type_ != "object" => t.type_.to_string(),
                Some(t) => t.short_name().to_string(),
                None => name.rsplit('.').next().unwrap_or("Object").to_string(),
            };
        }
        match expr {
            "" | "object" => "Object".to_string(),
            other => other.to_string(),
        }
    }
}

// ---- the YAML context at a cursor ---------------------------------------------------------

/// One step of the path from the document root to a cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step<'a> {
    Key(&'a str),
    Item,
}

/// The document (between `---` lines) around `offset`: its byte range.
fn document_at(text: &str, offset: usize) -> (usize, usize) {
    let mut start = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end_matches(['\n', '\r']);
        let marker = trimmed == "---" || trimmed.starts_with("--- ") || trimmed == "...";
        if marker {
            if pos + line.len() > offset && pos <= offset {
                return (pos + line.len(), pos + line.len());
            }
            if pos >= offset {
                return (start, pos);
            }
            start = pos + line.len();
        }
        pos += line.len();
    }
    (start, text.len())
}

/// The lines of a document, with their absolute start offsets.
fn lines_of(text: &str, (start, end): (usize, usize)) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut pos = start;
    for line in text[start..end].split_inclusive('\n') {
        out.push((pos, line.trim_end_matches(['\n', '\r'])));
        pos += line.len();
    }
    out
}

/// The path of the mapping that holds a key at `column` on line `index` (keys, and `Item` for
/// each sequence entry passed through), from the root.
fn parent_path<'a>(
    lines: &[(usize, &'a str)],
    index: usize,
    column: usize,
    dash: Option<usize>,
) -> Vec<Step<'a>> {
    let mut path = Vec::new();
    let mut col = column;
    // A `- ` on the cursor's own line: the key is inside a sequence entry.
    if let Some(d) = dash {
        path.push(Step::Item);
        col = d;
    }
    let mut after_dash = dash.is_some();
    for &(_, text) in lines[..index].iter().rev() {
        if col == 0 && !after_dash {
            break;
        }
        let Some(line) = scan_line(text) else {
            continue;
        };
        // Keys of this line that could hold the cursor: the key itself, then its dashes.
        if let Some((kcol, name, _)) = line.key {
            let parent = kcol < col || (after_dash && kcol == col && line.dashes.is_empty());
            if parent {
                path.push(Step::Key(name));
                col = kcol;
                after_dash = false;
                if let Some(&d) = line.dashes.iter().rev().find(|d| **d < col) {
                    path.push(Step::Item);
                    col = d;
                    after_dash = true;
                }
                continue;
            }
        }
        if let Some(&d) = line.dashes.iter().rev().find(|d| **d < col) {
            path.push(Step::Item);
            col = d;
            after_dash = true;
        } else if line.first < col && line.key.is_none() {
            // a scalar line less indented: not a mapping we can be in
            col = line.first;
        }
    }
    path.reverse();
    path
}

/// `apiVersion` and `kind` of the document (top-level keys).
fn document_kind<'a>(lines: &[(usize, &'a str)]) -> (Option<&'a str>, Option<&'a str>) {
    let mut api = None;
    let mut kind = None;
    for &(_, text) in lines {
        let value = |key: &str| {
            text.strip_prefix(key)
                .and_then(|r| r.strip_prefix(':'))
                .map(|v| {
                    v.split(" #")
                        .next()
                        .unwrap_or("")
                        .trim()
                        .trim_matches(['"', '\''])
                })
        };
        if let Some(v) = value("apiVersion") {
            api = Some(v);
        }
        if let Some(v) = value("kind") {
            kind = Some(v);
        }
    }
    (api, kind)
}

/// Where a path leads in the schema: the type expression at its end.
fn resolve(schema: &Schema, root: &TypeDef, path: &[Step<'_>]) -> Option<String> {
    let mut expr = format!("@{}", root.name);
    for step in path {
        match step {
            Step::Item => {
                expr = expr.strip_prefix("[]")?.to_string();
            }
            Step::Key(name) => {
                if let Some(rest) = expr.strip_prefix("{}") {
                    expr = rest.to_string();
                    continue;
                }
                let t = schema.get(expr.strip_prefix('@')?)?;
                expr = t.field(name)?.expr.to_string();
            }
        }
    }
    Some(expr)
}

/// A completion candidate (the editor's shape).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    /// The type, e.g. `integer`, `Object`, `[]Container`.
    pub detail: String,
    /// The first sentence of the description.
    pub info: String,
    /// The text to insert.
    pub apply: String,
    /// Byte offset where the replaced word starts (it ends at the cursor).
    pub from: usize,
}

/// The path, type and description of a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    /// e.g. `StatefulSet.spec.updateStrategy.rollingUpdate.partition`.
    pub path: String,
    pub type_name: String,
    pub description: String,
    /// The key's byte range.
    pub from: usize,
    pub to: usize,
}

/// Values the API server accepts for enum-typed fields (its validation's "supported values"),
/// by `type.field`. Release-1.35's OpenAPI lists no `enum`s for these kinds, so the values come
/// from the validation code (pkg/apis/*/validation), as `validation.rs` checks them.
const ENUMS: &[(&str, &[&str])] = &[
    (
        "apps.v1.StatefulSetSpec.podManagementPolicy",
        &["OrderedReady", "Parallel"],
    ),
    (
        "apps.v1.StatefulSetUpdateStrategy.type",
        &["RollingUpdate", "OnDelete"],
    ),
    (
        "apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy.whenDeleted",
        &["Retain", "Delete"],
    ),
    (
        "apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy.whenScaled",
        &["Retain", "Delete"],
    ),
    (
        "core.v1.PersistentVolumeClaimSpec.accessModes",
        ACCESS_MODES,
    ),
    ("core.v1.PersistentVolumeSpec.accessModes", ACCESS_MODES),
    (
        "core.v1.PersistentVolumeClaimSpec.volumeMode",
        &["Filesystem", "Block"],
    ),
    (
        "core.v1.PersistentVolumeSpec.volumeMode",
        &["Filesystem", "Block"],
    ),
    (
        "core.v1.PersistentVolumeSpec.persistentVolumeReclaimPolicy",
        &["Retain", "Delete", "Recycle"],
    ),
    (
        "core.v1.ServiceSpec.type",
        &["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"],
    ),
    ("core.v1.ServiceSpec.sessionAffinity", &["None", "ClientIP"]),
    (
        "core.v1.ServiceSpec.externalTrafficPolicy",
        &["Cluster", "Local"],
    ),
    (
        "core.v1.ServiceSpec.internalTrafficPolicy",
        &["Cluster", "Local"],
    ),
    (
        "core.v1.ServiceSpec.ipFamilyPolicy",
        &["SingleStack", "PreferDualStack", "RequireDualStack"],
    ),
    ("core.v1.ServicePort.protocol", PROTOCOLS),
    ("core.v1.ContainerPort.protocol", PROTOCOLS),
    (
        "core.v1.Container.imagePullPolicy",
        &["Always", "IfNotPresent", "Never"],
    ),
    (
        "core.v1.Container.terminationMessagePolicy",
        &["File", "FallbackToLogsOnError"],
    ),
    (
        "core.v1.PodSpec.restartPolicy",
        &["Always", "OnFailure", "Never"],
    ),
    (
        "core.v1.PodSpec.dnsPolicy",
        &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
    ),
    (
        "storage.v1.StorageClass.volumeBindingMode",
        &["Immediate", "WaitForFirstConsumer"],
    ),
    (
        "storage.v1.StorageClass.reclaimPolicy",
        &["Delete", "Retain"],
    ),
    (
        "meta.v1.LabelSelectorRequirement.operator",
        &["In", "NotIn", "Exists", "DoesNotExist"],
    ),
];
const ACCESS_MODES: &[&str] = &[
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOncePod",
];
const PROTOCOLS: &[&str] = &["TCP", "UDP", "SCTP"];

/// The values a field accepts: the source's enum, the validation's list, or true/false.
fn values_of(schema: &Schema, owner: &TypeDef, field: &Field) -> Vec<String> {
    if !field.enum_values.is_empty() {
        return field.enum_values.iter().map(|s| s.to_string()).collect();
    }
    let key = format!("{}.{}", owner.name, field.name);
    if let Some((_, values)) = ENUMS.iter().find(|(k, _)| *k == key) {
        return values.iter().map(|s| s.to_string()).collect();
    }
    let inner = field.expr.trim_start_matches("[]");
    if inner == "boolean" {
        return vec!["true".into(), "false".into()];
    }
    let _ = schema;
    Vec::new()
}

/// [`Schema::complete`] over the compiled-in schema.
#[cfg(feature = "embedded-schema")]
pub fn complete(text: &str, offset: usize) -> Vec<Completion> {
    Schema::embedded().complete(text, offset)
}

/// [`Schema::hover`] over the compiled-in schema.
#[cfg(feature = "embedded-schema")]
pub fn hover(text: &str, offset: usize) -> Option<Hover> {
    Schema::embedded().hover(text, offset)
}

impl Schema {
    /// Field names valid at the cursor, or the values of the enum-typed field whose value is
    /// being typed. `offset` is a byte offset into `text` (clamped; a non-boundary is moved back).
    pub fn complete(&self, text: &str, offset: usize) -> Vec<Completion> {
        complete_in(self, text, offset)
    }

    /// The path, type and description of the key at `offset`.
    pub fn hover(&self, text: &str, offset: usize) -> Option<Hover> {
        hover_in(self, text, offset)
    }
}

fn complete_in(schema: &Schema, text: &str, offset: usize) -> Vec<Completion> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let range = document_at(text, offset);
    let lines = lines_of(text, range);
    let Some(index) = lines.iter().rposition(|(start, _)| *start <= offset) else {
        return top_level(schema, None, offset, offset);
    };
    let (line_start, line) = lines[index];
    let col = offset - line_start;
    if col > line.len() {
        return Vec::new();
    }
    let before = &line[..col];
    let (api, kind) = document_kind(&lines);
    let root = match (api, kind) {
        (Some(a), Some(k)) => schema.kind(a, k),
        _ => None,
    };

    // A value: `key: partial` or `key: [A, partial` or `- partial` under an enum list.
    if let Some(colon) = value_colon(before) {
        let key_part = &before[..colon];
        let indent = key_part.len() - key_part.trim_start_matches([' ', '-']).len();
        let name = key_part
            .trim_start_matches([' ', '-'])
            .trim()
            .trim_matches(['"', '\'']);
        let dash = key_part
            .trim_start()
            .starts_with("- ")
            .then(|| key_part.find('-').unwrap_or(0));
        let mut value = before[colon + 1..].trim_start();
        if let Some(list) = value.strip_prefix('[') {
            value = list.rsplit(',').next().unwrap_or("").trim_start();
        }
        let partial = value.trim_start_matches(['"', '\'']);
        if partial.contains([' ', '"', '\'', '[', ']', '{', '}']) {
            return Vec::new();
        }
        let from = offset - partial.len();
        if dash.is_none() && indent == 0 && root.is_none() {
            return top_values(schema, name, partial, from);
        }
        let Some(root) = root else { return Vec::new() };
        let path = parent_path(&lines, index, indent, dash);
        let Some(owner) = resolve(schema, &root, &path)
            .filter(|e| e.starts_with('@'))
            .and_then(|e| schema.target(&e))
        else {
            return Vec::new();
        };
        let Some(field) = owner.field(name) else {
            return Vec::new();
        };
        return values_of(schema, &owner, &field)
            .into_iter()
            .filter(|v| {
                v.to_ascii_lowercase()
                    .starts_with(&partial.to_ascii_lowercase())
            })
            .map(|v| Completion {
                label: v.clone(),
                detail: schema.type_guess(field.expr),
                info: field.summary(),
                apply: v,
                from,
            })
            .collect();
    }

    // A key: only spaces, dashes and a partial word before the cursor.
    let trimmed = before.trim_start_matches(' ');
    let mut dash = None;
    let mut rest = trimmed;
    let mut at = before.len() - trimmed.len();
    while let Some(r) = rest
        .strip_prefix("- ")
        .or_else(|| rest.strip_prefix('-').filter(|r| r.is_empty()))
    {
        dash = Some(at);
        let skipped = rest.len() - r.trim_start_matches(' ').len();
        at += skipped;
        rest = r.trim_start_matches(' ');
    }
    if !rest
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' || c == '/')
    {
        return Vec::new();
    }
    let from = line_start + at;
    let key_col = at;
    let Some(root) = root.filter(|_| key_col > 0 || dash.is_some()) else {
        if key_col == 0 && dash.is_none() {
            return top_level(schema, root.as_ref(), from, offset)
                .into_iter()
                .filter(|c| c.label.starts_with(rest))
                .collect();
        }
        return Vec::new();
    };
    let path = parent_path(&lines, index, key_col, dash);
    let Some(expr) = resolve(schema, &root, &path) else {
        return Vec::new();
    };
    if !expr.starts_with('@') {
        // `- partial` in a list of scalars (accessModes): the list field's values
        return list_values(schema, &root, &path, rest, from);
    }
    let Some(owner) = expr.strip_prefix('@').and_then(|n| schema.get(n)) else {
        return Vec::new();
    };
    let present = sibling_keys(&lines, index, key_col);
    owner
        .fields()
        .filter(|f| {
            f.name
                .to_ascii_lowercase()
                .starts_with(&rest.to_ascii_lowercase())
        })
        .filter(|f| !present.contains(&f.name) && f.name != "status")
        .map(|f| field_completion(schema, &f, key_col, from))
        .collect()
}

fn list_values(
    schema: &Schema,
    root: &TypeDef,
    path: &[Step<'_>],
    partial: &str,
    from: usize,
) -> Vec<Completion> {
    let [parent @ .., Step::Key(name), Step::Item] = path else {
        return Vec::new();
    };
    let Some(owner) =
        resolve(schema, root, parent).and_then(|e| e.strip_prefix('@').and_then(|n| schema.get(n)))
    else {
        return Vec::new();
    };
    let Some(field) = owner.field(name) else {
        return Vec::new();
    };
    values_of(schema, &owner, &field)
        .into_iter()
        .filter(|v| {
            v.to_ascii_lowercase()
                .starts_with(&partial.to_ascii_lowercase())
        })
        .map(|v| Completion {
            label: v.clone(),
            detail: schema.type_guess(field.expr.trim_start_matches("[]")),
            info: field.summary(),
            apply: v,
            from,
        })
        .collect()
}

/// The byte index of the `: ` that separates a key from the value being typed, if any.
fn value_colon(before: &str) -> Option<usize> {
    let t = before.trim_start_matches([' ', '-']);
    let skip = before.len() - t.len();
    let key_end = if t.starts_with('"') || t.starts_with('\'') {
        let q = t.as_bytes()[0] as char;
        t[1..].find(q).map(|i| i + 2)?
    } else {
        t.find(": ").or_else(|| t.strip_suffix(':').map(str::len))?
    };
    (t.as_bytes().get(key_end) == Some(&b':')).then_some(skip + key_end)
}

fn field_completion(schema: &Schema, f: &Field, column: usize, from: usize) -> Completion {
    let pad = " ".repeat(column + 2);
    let apply = if f.expr.starts_with("[]") {
        format!("{}:\n{pad}- ", f.name)
    } else if f.expr.starts_with("{}") || schema.target(f.expr).is_some_and(|t| t.type_ == "object")
    {
        format!("{}:\n{pad}", f.name)
    } else {
        format!("{}: ", f.name)
    };
    Completion {
        label: f.name.to_string(),
        detail: schema.type_guess(f.expr),
        info: f.summary(),
        apply,
        from,
    }
}

/// Keys already written in the mapping of the key at `column` on line `index`.
fn sibling_keys<'a>(lines: &[(usize, &'a str)], index: usize, column: usize) -> Vec<&'a str> {
    let mut keys = Vec::new();
    for &(_, text) in lines[..index].iter().rev() {
        let Some(line) = scan_line(text) else {
            continue;
        };
        match line.key {
            Some((kcol, name, _)) if kcol == column => {
                keys.push(name);
                if line.first < column {
                    break; // the `- ` that starts this entry
                }
            }
            _ if line.first < column => break,
            _ => {}
        }
    }
    for &(_, text) in &lines[index + 1..] {
        let Some(line) = scan_line(text) else {
            continue;
        };
        if line.first < column {
            break;
        }
        if let Some((kcol, name, _)) = line.key {
            if kcol == column && line.dashes.is_empty() {
                keys.push(name);
            }
        }
    }
    keys
}

/// Completions of a document's top level when its kind is unknown (or known).
fn top_level(
    schema: &Schema,
    root: Option<&TypeDef>,
    from: usize,
    _offset: usize,
) -> Vec<Completion> {
    match root {
        Some(root) => root
            .fields()
            .filter(|f| f.name != "status")
            .map(|f| field_completion(schema, &f, 0, from))
            .collect(),
        None => ["apiVersion", "kind", "metadata", "spec"]
            .iter()
            .map(|name| Completion {
                label: name.to_string(),
                detail: if *name == "metadata" || *name == "spec" {
                    "Object"
                } else {
                    "string"
                }
                .to_string(),
                info: String::new(),
                apply: if *name == "metadata" || *name == "spec" {
                    format!("{name}:\n  ")
                } else {
                    format!("{name}: ")
                },
                from,
            })
            .collect(),
    }
}

/// Values for `apiVersion:` and `kind:` at the top of a document of unknown kind.
fn top_values(schema: &Schema, key: &str, partial: &str, from: usize) -> Vec<Completion> {
    let mut out = Vec::new();
    for t in schema.kinds() {
        let mut parts = t.gvk.split('/');
        let (group, version, kind) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        let api = if group.is_empty() {
            version.to_string()
        } else {
            format!("{group}/{version}")
        };
        let value = match key {
            "apiVersion" => api.clone(),
            "kind" => kind.to_string(),
            _ => continue,
        };
        if out.iter().any(|c: &Completion| c.label == value) || !value.starts_with(partial) {
            continue;
        }
        out.push(Completion {
            label: value.clone(),
            detail: "string".into(),
            info: first_sentence(&t.description()),
            apply: value,
            from,
        });
    }
    out
}

fn hover_in(schema: &Schema, text: &str, offset: usize) -> Option<Hover> {
    let offset = offset.min(text.len());
    let lines = lines_of(text, document_at(text, offset));
    let index = lines.iter().rposition(|(start, _)| *start <= offset)?;
    let (start, line_text) = lines[index];
    let line = scan_line(line_text)?;
    let (kcol, name, _) = line.key?;
    let from = start + kcol;
    let to = from + name.len();
    if offset < from || offset > to {
        return None;
    }
    let (api, kind) = document_kind(&lines);
    let root = schema.kind(api?, kind?)?;
    let dash = line.dashes.last().copied();
    let path = parent_path(&lines, index, kcol, dash);
    let owner_expr = resolve(schema, &root, &path)?;
    let mut names: Vec<&str> = vec![root.short_name()];
    names.extend(path.iter().filter_map(|s| match s {
        Step::Key(k) => Some(*k),
        Step::Item => None,
    }));
    names.push(name);
    if let Some(value_expr) = owner_expr.strip_prefix("{}") {
        // a key of a map (labels, requests): the map's value type
        return Some(Hover {
            path: names.join("."),
            type_name: schema.type_guess(value_expr),
            description: String::new(),
            from,
            to,
        });
    }
    let owner = schema.get(owner_expr.strip_prefix('@')?)?;
    let field = owner.field(name)?;
    let mut description = field.description();
    if description.is_empty() {
        description = schema
            .target(field.expr)
            .map(|t| t.description())
            .unwrap_or_default();
    }
    Some(Hover {
        path: names.join("."),
        type_name: schema.type_guess(field.expr),
        description,
        from,
        to,
    })
}

#[cfg(test)]
mod tests;
