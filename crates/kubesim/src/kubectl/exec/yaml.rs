//! `-o yaml` as kubectl writes it (`sigs.k8s.io/yaml` → go-yaml v2): keys sorted, sequences
//! not indented under their key, strings double-quoted when they would read back as another
//! type (`"24"`, `"yes"`, timestamps, `""`), single-quoted when plain style cannot hold them,
//! literal blocks for multi-line text.

use serde_json::Value;

pub(crate) fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => write_map(&mut out, v, 0),
        Value::Array(a) if !a.is_empty() => write_seq(&mut out, v, 0),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

fn pad(n: usize) -> String {
    " ".repeat(n)
}

fn write_map(out: &mut String, v: &Value, indent: usize) {
    let Value::Object(m) = v else { return };
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    for (i, k) in keys.into_iter().enumerate() {
        // the first key of a map inside a sequence item follows the "- " directly
        if i > 0 || !out.ends_with("- ") {
            out.push_str(&pad(indent));
        }
        out.push_str(&string(k, indent));
        out.push(':');
        write_value(out, &m[k], indent);
    }
}

fn write_seq(out: &mut String, v: &Value, indent: usize) {
    let Value::Array(a) = v else { return };
    for (i, item) in a.iter().enumerate() {
        if i > 0 || !out.ends_with("- ") {
            out.push_str(&pad(indent));
        }
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => write_map(out, item, indent + 2),
            Value::Array(x) if !x.is_empty() => write_seq(out, item, indent + 2),
            other => {
                out.push_str(&scalar(other, indent + 2));
                out.push('\n');
            }
        }
    }
}

/// After `key:`: a nested block on the next lines, or ` scalar`.
fn write_value(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_map(out, v, indent + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            write_seq(out, v, indent);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, indent + 2));
            out.push('\n');
        }
    }
}

fn scalar(v: &Value, indent: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s, indent),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

/// Would go-yaml v2 read this plain scalar as something other than a string?
fn resolves_to_non_string(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "yes",
        "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
        ".inf", ".Inf", ".INF", "+.inf", "-.inf", ".nan", ".NaN", ".NAN",
    ];
    if WORDS.contains(&s) {
        return true;
    }
    let t = s.replace('_', "");
    if t.parse::<i64>().is_ok() || t.parse::<f64>().is_ok() {
        return true;
    }
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("-0x")) {
        if !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()) {
            return true;
        }
    }
    if let Some(b) = t.strip_prefix("0b") {
        if !b.is_empty() && b.chars().all(|c| c == '0' || c == '1') {
            return true;
        }
    }
    // timestamps: 2006-01-02, 2006-01-02T15:04:05Z, ...
    let b = s.as_bytes();
    if b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
    {
        return true;
    }
    // base 60 floats like 1:20
    if s.contains(':')
        && s.split(':')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return true;
    }
    false
}

fn plain_allowed(s: &str) -> bool {
    let first = s.chars().next().unwrap_or(' ');
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        // "-x" and "?x" and ":x" are allowed when followed by a non-space
        let second = s.chars().nth(1);
        if !("-?:".contains(first) && second.is_some_and(|c| c != ' ')) {
            return false;
        }
    }
    if s.starts_with(' ') || s.ends_with(' ') || s.ends_with(':') {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.contains('\t') {
        return false;
    }
    !s.chars().any(|c| c.is_control())
}

fn string(s: &str, indent: usize) -> String {
    if s.contains('\n') {
        let chomp = if s.ends_with('\n') { "" } else { "-" };
        let mut out = format!("|{chomp}");
        for line in s.trim_end_matches('\n').split('\n') {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&pad(indent));
                out.push_str(line);
            }
        }
        return out;
    }
    if resolves_to_non_string(s) {
        return format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    }
    if plain_allowed(s) {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prints_like_go_yaml() {
        let v = json!({
            "metadata": {"resourceVersion": "24", "annotations": {"a/b": "yes"},
                         "creationTimestamp": "2026-01-01T00:00:00Z", "name": "pv001"},
            "spec": {"accessModes": ["ReadWriteMany"], "claimRef": {"name": "x"},
                     "containers": [{"name": "mongo", "command": ["mongod", "--replSet"]}],
                     "empty": {}, "none": [], "text": "a: b", "star": "*x"},
        });
        assert_eq!(
            to_yaml(&v),
            "metadata:\n  annotations:\n    a/b: \"yes\"\n  creationTimestamp: \"2026-01-01T00:00:00Z\"\n  name: pv001\n  resourceVersion: \"24\"\nspec:\n  accessModes:\n  - ReadWriteMany\n  claimRef:\n    name: x\n  containers:\n  - command:\n    - mongod\n    - --replSet\n    name: mongo\n  empty: {}\n  none: []\n  star: '*x'\n  text: 'a: b'\n"
        );
    }
}
