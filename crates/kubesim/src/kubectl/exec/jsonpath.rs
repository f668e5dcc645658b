//! The JSONPath subset `kubectl get -o jsonpath=` and `kubectl wait --for=jsonpath=` use
//! (upstream: client-go `util/jsonpath`): dotted fields, `[i]` and `[*]`.

/// A simple JSONPath (`{.status.readyReplicas}`, `{.spec.containers[0].image}`) on a value.
pub(crate) fn json_path<'a>(v: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    let inner = path.trim().trim_start_matches('{').trim_end_matches('}');
    let mut cur = v;
    for seg in inner.split('.').filter(|s| !s.is_empty()) {
        let (name, idx) = match seg.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (seg, None),
        };
        if !name.is_empty() {
            cur = cur.get(name)?;
        }
        if let Some(i) = idx {
            cur = cur.get(i)?;
        }
    }
    Some(cur)
}

/// Every value a path selects, with `[*]` fanning out over arrays.
fn json_path_all<'a>(v: &'a serde_json::Value, path: &str) -> Option<Vec<&'a serde_json::Value>> {
    let inner = path.trim().trim_start_matches('{').trim_end_matches('}');
    let mut cur = vec![v];
    for seg in inner.split('.').filter(|s| !s.is_empty()) {
        let (name, idx) = match seg.split_once('[') {
            Some((n, rest)) => (n, Some(rest.trim_end_matches(']'))),
            None => (seg, None),
        };
        let mut next = Vec::new();
        for c in cur {
            let c = if name.is_empty() { c } else { c.get(name)? };
            match idx {
                None => next.push(c),
                Some("*") => next.extend(c.as_array()?.iter()),
                Some(i) => next.push(c.get(i.parse::<usize>().ok()?)?),
            }
        }
        cur = next;
    }
    Some(cur)
}

/// `-o jsonpath=TEMPLATE`: literal text and `{path}` expressions; values of one expression
/// are joined with spaces; no trailing newline (as kubectl).
pub(crate) fn json_path_template(v: &serde_json::Value, template: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open].replace("\\n", "\n"));
        let Some(close) = rest[open..].find('}') else {
            return Err(format!(
                "error: error parsing jsonpath {template}, unclosed action"
            ));
        };
        let expr = &rest[open..open + close + 1];
        let vals = json_path_all(v, expr).ok_or_else(|| {
            format!("error: error executing jsonpath \"{template}\": Error executing template: {} is not found. Printing more information for debugging the template:", expr.trim_matches(|c| c == '{' || c == '}').trim_start_matches('.'))
        })?;
        out.push_str(
            &vals
                .iter()
                .map(|x| value_text(x))
                .collect::<Vec<_>>()
                .join(" "),
        );
        rest = &rest[open + close + 1..];
    }
    out.push_str(&rest.replace("\\n", "\n"));
    Ok(out)
}

pub(crate) fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
