//! `kubectl explain TYPE[.FIELD...] [--recursive]`, as kubectl v1.35 prints it with its
//! default `plaintext` template over the OpenAPI v3 document.
//!
//! Ported from kubectl `pkg/explain/v2/templates/plaintext.tmpl` (templates `output`,
//! `fieldList`, `fieldDetail`, `description`, `typeGuess`, `extractEnum`), `pkg/explain/v2/funcs.go`
//! (`wrap` = `term.NewWordWrapWriter` = github.com/mitchellh/go-wordwrap v1.0.1 `WrapString`,
//! `indent`) and `pkg/explain/explain.go` (`SplitAndParseResourceRequestWithMatchingPrefix`).
//! The schema is [`crate::schema`]; in v3 a field whose type is a reference is
//! `{"allOf": [{"$ref": T}], "description": D}`, so a field's DESCRIPTION is its own text followed
//! by the type's (the template's `description` walks `allOf`, `items` and
//! `additionalProperties`).

use super::cli::{CliError, Resource};
use crate::schema::{Field, Schema, TypeDef};

/// A schema position as the template sees it.
#[derive(Clone)]
enum Node {
    /// A component schema (a kind or a referenced type).
    Type(TypeDef),
    /// A field's own schema (description + type expression).
    Field(Field),
    /// A nested schema: array items, map values, or `{$ref}` (`@T`).
    Expr(&'static str),
}

/// go-wordwrap v1.0.1 `WrapString`: breaks at whitespace so lines stay within `lim` characters
/// (runes), keeping existing newlines; a word longer than the limit overruns it.
pub fn wrap_string(s: &str, lim: usize) -> String {
    let mut buf = String::with_capacity(s.len() + s.len() / lim.max(1));
    let mut current = 0usize;
    let (mut word, mut space) = (String::new(), String::new());
    let (mut word_len, mut space_len) = (0usize, 0usize);
    for c in s.chars() {
        if c == '\n' {
            if word.is_empty() {
                // (go-wordwrap also resets or advances its column here; a newline follows)
                if current + space_len <= lim {
                    buf.push_str(&space);
                }
                space.clear();
                space_len = 0;
            } else {
                buf.push_str(&space);
                space.clear();
                space_len = 0;
                buf.push_str(&word);
                word.clear();
                word_len = 0;
            }
            buf.push(c);
            current = 0;
        } else if c.is_whitespace() && c != '\u{a0}' {
            if space.is_empty() || !word.is_empty() {
                current += space_len + word_len;
                buf.push_str(&space);
                space.clear();
                space_len = 0;
                buf.push_str(&word);
                word.clear();
                word_len = 0;
            }
            space.push(c);
            space_len += 1;
        } else {
            word.push(c);
            word_len += 1;
            if current + space_len + word_len > lim && word_len < lim {
                buf.push('\n');
                current = 0;
                space.clear();
                space_len = 0;
            }
        }
    }
    if word.is_empty() {
        if current + space_len <= lim {
            buf.push_str(&space);
        }
    } else {
        buf.push_str(&space);
        buf.push_str(&word);
    }
    buf
}

/// The template's `indent`: pads the first line and every line after a newline.
fn indent(amount: usize, s: &str) -> String {
    let pad = " ".repeat(amount);
    format!("{pad}{}", s.replace('\n', &format!("\n{pad}")))
}

struct Explainer<'s> {
    schema: &'s Schema,
}

impl Explainer<'_> {
    fn expr_of(node: &Node) -> Option<&'static str> {
        match node {
            Node::Type(_) => None,
            Node::Field(f) => Some(f.expr),
            Node::Expr(e) => Some(e),
        }
    }

    /// The `description` template.
    fn description(&self, node: &Node) -> String {
        let mut out = String::new();
        match node {
            Node::Type(t) => {
                let d = t.description();
                if !d.is_empty() {
                    out.push_str(&d);
                    out.push('\n');
                }
            }
            Node::Field(f) => {
                let d = f.description();
                if !d.is_empty() {
                    out.push_str(&d);
                    out.push('\n');
                }
                out.push_str(&self.description(&Node::Expr(f.expr)));
            }
            Node::Expr(e) => {
                if let Some(rest) = e.strip_prefix("[]").or_else(|| e.strip_prefix("{}")) {
                    out.push_str(&self.description(&Node::Expr(rest)));
                } else if let Some(t) = e.strip_prefix('@').and_then(|n| self.schema.get(n)) {
                    out.push_str(&self.description(&Node::Type(t)));
                }
            }
        }
        out
    }

    /// `extractEnum`: the short (field list) or long (FIELD:) form.
    fn extract_enum(field: &Field, long: bool, indent_amount: usize) -> String {
        if field.enum_values.is_empty() {
            return String::new();
        }
        let mut out = if long {
            "ENUM:".to_string()
        } else {
            format!("\n{}enum: ", " ".repeat(indent_amount))
        };
        for (i, v) in field.enum_values.iter().enumerate() {
            if !long && i >= 4 {
                out.push_str(", ....");
                break;
            }
            if long {
                out.push_str("\n    ");
            } else if i > 0 {
                out.push_str(", ");
            }
            out.push_str(v);
        }
        out
    }

    /// `fieldDetail`.
    fn field_detail(&self, field: &Field, required: bool, short: bool, level: usize) -> String {
        let indent_amount = level * 2;
        let mut out = format!(
            "{}\t<{}>",
            indent(indent_amount, field.name),
            self.schema.type_guess(field.expr)
        );
        if required {
            out.push_str(" -required-");
        }
        out.push_str(&Self::extract_enum(field, false, indent_amount));
        out.push('\n');
        if !short {
            let d = field.description();
            let d = if d.is_empty() {
                "<no description>".to_string()
            } else {
                d
            };
            out.push_str(&indent(
                indent_amount + 2,
                &wrap_string(&d, 78usize.saturating_sub(indent_amount)),
            ));
            out.push_str("\n\n");
        }
        out
    }

    /// `fieldList`; `history` holds the references on the way (cycle guard).
    fn field_list(&self, node: &Node, level: usize, recursive: bool, history: &[&str]) -> String {
        let mut out = String::new();
        let expr = Self::expr_of(node);
        // A bare reference (`{$ref}`) is checked against, and added to, the history.
        if let Some(name) = expr.and_then(|e| e.strip_prefix('@')) {
            if history.contains(&name) {
                return out;
            }
            let Some(t) = self.schema.get(name) else {
                return out;
            };
            let mut next = history.to_vec();
            next.push(name);
            for field in t.fields() {
                out.push_str(&self.field_detail(&field, field.required, recursive, level));
                if recursive {
                    out.push_str(&self.field_list(
                        &Node::Field(field),
                        level + 1,
                        recursive,
                        &next,
                    ));
                }
            }
            return out;
        }
        match node {
            Node::Type(t) => {
                for field in t.fields() {
                    out.push_str(&self.field_detail(&field, field.required, recursive, level));
                    if recursive {
                        out.push_str(&self.field_list(
                            &Node::Field(field),
                            level + 1,
                            recursive,
                            history,
                        ));
                    }
                }
            }
            Node::Field(_) | Node::Expr(_) => {
                let e = expr.unwrap_or("");
                if let Some(rest) = e.strip_prefix("[]").or_else(|| e.strip_prefix("{}")) {
                    out.push_str(&self.field_list(&Node::Expr(rest), level, recursive, history));
                }
            }
        }
        out
    }

    /// `output`: follows the field path, then prints DESCRIPTION and FIELDS. `None` when the
    /// path leads nowhere.
    fn output(
        &self,
        node: &Node,
        path: &[String],
        recursive: bool,
        history: &[&str],
    ) -> Option<String> {
        // resolve a bare reference
        let reference = match node {
            Node::Expr(e) => e.strip_prefix('@'),
            _ => None,
        };
        let resolved = match reference.and_then(|n| self.schema.get(n)) {
            Some(t) => Node::Type(t),
            None => node.clone(),
        };
        let Some((first, rest)) = path.split_first() else {
            let description = self.description(&resolved);
            let description = if description.is_empty() {
                "<empty>".to_string()
            } else {
                description
            };
            let mut out = format!(
                "DESCRIPTION:\n{}\n",
                indent(4, &wrap_string(&description, 76))
            );
            let fields = self.field_list(&resolved, 1, recursive, &[]);
            if !fields.is_empty() {
                out.push_str("FIELDS:\n");
                out.push_str(&fields);
            }
            return Some(out);
        };
        if let Some(r) = reference {
            if history.contains(&r) {
                return None;
            }
        }
        let mut next = history.to_vec();
        if let Some(r) = reference {
            next.push(r);
        }
        if let Node::Type(t) = &resolved {
            let field = t.field(first)?;
            let mut out = String::new();
            if rest.is_empty() {
                out.push_str(&format!(
                    "FIELD: {first} <{}>\n{}\n\n",
                    self.schema.type_guess(field.expr),
                    Self::extract_enum(&field, true, 0)
                ));
            }
            out.push_str(&self.output(&Node::Field(field), rest, recursive, &[])?);
            return Some(out);
        }
        // items, additionalProperties, then the allOf reference
        let e = Self::expr_of(&resolved).unwrap_or("");
        let inner = e.strip_prefix("[]").or_else(|| e.strip_prefix("{}"));
        match inner {
            Some(inner) => self.output(&Node::Expr(inner), path, recursive, &next),
            None if e.starts_with('@') => self.output(&Node::Expr(e), path, recursive, &next),
            None => None,
        }
    }
}

/// `kubectl explain` arguments → the command (kubectl's `Validate` errors).
pub fn command(positional: &[String], recursive: bool) -> Result<super::cli::Command, CliError> {
    match positional {
        [target] => Ok(super::cli::Command::Explain {
            target: target.clone(),
            recursive,
        }),
        [] => Err(CliError("error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.".into())),
        _ => Err(CliError("error: We accept only this format: explain RESOURCE".into())),
    }
}

/// The resource kinds the playground's schema covers, as (resource, apiVersion, kind).
const KINDS: &[(Resource, &str, &str)] = &[
    (Resource::Pods, "v1", "Pod"),
    (Resource::Services, "v1", "Service"),
    (Resource::PersistentVolumes, "v1", "PersistentVolume"),
    (
        Resource::PersistentVolumeClaims,
        "v1",
        "PersistentVolumeClaim",
    ),
    (Resource::StatefulSets, "apps/v1", "StatefulSet"),
    (
        Resource::StorageClasses,
        "storage.k8s.io/v1",
        "StorageClass",
    ),
    (Resource::Namespaces, "v1", "Namespace"),
];

/// Is `line` a `kubectl explain` command (the page fetches the schema before running it)?
pub fn requested(line: &str) -> bool {
    let mut words = line.split_whitespace();
    words.next() == Some("kubectl") && words.find(|w| !w.starts_with('-')) == Some("explain")
}

/// `kubectl explain ARG [--recursive]` over the compiled-in schema.
#[cfg(feature = "embedded-schema")]
pub fn explain(arg: &str, recursive: bool) -> Result<String, CliError> {
    explain_with(&Schema::embedded(), arg, recursive)
}

/// `kubectl explain ARG [--recursive]`: the text kubectl prints, or its error.
pub fn explain_with(schema: &Schema, arg: &str, recursive: bool) -> Result<String, CliError> {
    let arg = arg.trim_end_matches('.');
    let (head, _) = arg.split_once('.').unwrap_or((arg, ""));
    let resource = Resource::from_name(head).ok_or_else(|| {
        CliError(format!(
            "error: the server doesn't have a resource type \"{head}\""
        ))
    })?;
    // `statefulsets.apps.spec`: a group-qualified resource is a prefix, not a field
    let qualified = format!("{}.{}", resource.plural(), resource.group());
    let rest = if !resource.group().is_empty() && arg.starts_with(&qualified) {
        &arg[qualified.len()..]
    } else {
        &arg[head.len()..]
    };
    let path: Vec<String> = rest
        .split('.')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let Some(&(_, api_version, kind)) = KINDS.iter().find(|(r, _, _)| *r == resource) else {
        return Err(CliError(format!(
            "error: the playground's schema covers pods, services, persistentvolumes, persistentvolumeclaims, statefulsets, storageclasses and namespaces, not {}",
            resource.plural()
        )));
    };
    let root = schema.kind(api_version, kind).ok_or_else(|| {
        CliError(format!(
            "error: GVK {api_version}, Kind={kind} not found in OpenAPI schema"
        ))
    })?;
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let mut out = String::new();
    if !group.is_empty() {
        out.push_str(&format!("GROUP:      {group}\n"));
    }
    out.push_str(&format!("KIND:       {kind}\nVERSION:    {version}\n\n"));
    let explainer = Explainer { schema };
    match explainer.output(&Node::Type(root), &path, recursive, &[]) {
        Some(body) => out.push_str(&body),
        None => {
            let last = path.last().cloned().unwrap_or_default();
            return Err(CliError(format!("error: field \"{last}\" does not exist")));
        }
    }
    out.push('\n');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_matches_go_wordwrap() {
        // go-wordwrap v1.0.1: breaks at spaces, keeps newlines, never splits a word, nbsp is no space
        assert_eq!(wrap_string("foo", 4), "foo");
        assert_eq!(wrap_string("foobarbaz", 4), "foobarbaz");
        assert_eq!(wrap_string("foo bar baz", 4), "foo\nbar\nbaz");
        assert_eq!(wrap_string("foo bars bazzes", 10), "foo bars\nbazzes");
        assert_eq!(wrap_string("foo\nb ar baz", 4), "foo\nb ar\nbaz");
        assert_eq!(wrap_string("foo\n\nbar", 4), "foo\n\nbar");
        assert_eq!(
            wrap_string("\u{a0}foo\u{a0}bar\u{a0}baz", 4),
            "\u{a0}foo\u{a0}bar\u{a0}baz"
        );
    }

    #[test]
    fn unknown_fields_and_resources_are_errors_in_kubectls_words() {
        assert_eq!(
            explain("sts.spec.foo", false).unwrap_err().0,
            "error: field \"foo\" does not exist"
        );
        // the template names the path's last element, whichever one was missing
        assert_eq!(
            explain("sts.spec.foo.bar", false).unwrap_err().0,
            "error: field \"bar\" does not exist"
        );
        assert_eq!(
            explain("frobs", false).unwrap_err().0,
            "error: the server doesn't have a resource type \"frobs\""
        );
    }

    #[test]
    fn a_primitive_field_has_a_description_and_no_fields() {
        // "... identity. If unspecified, defaults" would be 77 runes: wrap 76 breaks before it
        let out = explain("sts.spec.replicas", false).unwrap();
        assert_eq!(
            out,
            "GROUP:      apps\nKIND:       StatefulSet\nVERSION:    v1\n\nFIELD: replicas <integer>\n\n\nDESCRIPTION:\n    replicas is the desired number of replicas of the given Template. These are\n    replicas in the sense that they are instantiations of the same Template, but\n    individual replicas also have a consistent identity. If unspecified,\n    defaults to 1.\n    \n\n"
        );
    }

    /// v1.35 publishes no `enum` for the simulated kinds, so the ENUM block is checked on a
    /// schema text made for it (the format `gen_k8s_schema.py` writes).
    const WITH_ENUMS: &str = "T core.v1.Pod\tobject\t/v1/Pod\tPod is a collection of containers.\n\
        F spec\t\t@core.v1.PodSpec\tSpecification of the pod.\n\
        T core.v1.PodSpec\tobject\t\tPodSpec is a description of a pod.\n\
        F dnsPolicy\t\tstring\tSet DNS policy for the pod.\n\
        E \"\"\tClusterFirst\tClusterFirstWithHostNet\tDefault\tNone\n\
        F restartPolicy\tr\tstring\tRestart policy for all containers within the pod.\n\
        E Always\tNever\tOnFailure\n";

    #[test]
    fn enum_fields_print_kubectls_enum_lines() {
        let schema = Schema::parse(WITH_ENUMS);
        // plaintext.tmpl extractEnum, long view: `ENUM:` then a value a line, "" for the empty one
        assert_eq!(
            explain_with(&schema, "pods.spec.dnsPolicy", false).unwrap(),
            "KIND:       Pod\nVERSION:    v1\n\nFIELD: dnsPolicy <string>\nENUM:\n    \"\"\n    ClusterFirst\n    ClusterFirstWithHostNet\n    Default\n    None\n\nDESCRIPTION:\n    Set DNS policy for the pod.\n    \n\n"
        );
        // short view in FIELDS: `enum: ` and at most four values, then `, ....`
        let out = explain_with(&schema, "pods.spec", false).unwrap();
        assert!(
            out.contains("  dnsPolicy\t<string>\n  enum: \"\", ClusterFirst, ClusterFirstWithHostNet, Default, ....\n    Set DNS policy for the pod.\n\n"),
            "{out}"
        );
        assert!(
            out.contains(
                "  restartPolicy\t<string> -required-\n  enum: Always, Never, OnFailure\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn a_shell_without_the_schema_says_so_and_explains_once_given_it() {
        // as the page's shell starts (kubesim without `embedded-schema`)
        let mut shell = crate::kubectl::exec::Shell {
            schema: None,
            ..Default::default()
        };
        assert!(!shell.has_schema());
        let out = shell.run("kubectl explain sts.spec.replicas").text();
        assert_eq!(out.trim_end(), crate::kubectl::exec::NO_SCHEMA);
        shell.set_schema(Schema::parse(crate::schema::DATA));
        let out = shell.run("kubectl explain sts.spec.replicas").text();
        assert!(out.starts_with("GROUP:      apps\n"), "{out}");
        assert!(requested("kubectl explain sts"));
        assert!(requested("  kubectl --recursive explain sts"));
        assert!(!requested("kubectl get explain"));
        assert!(!requested("kubectlexplain"));
    }

    #[test]
    fn aliases_and_qualified_names_reach_the_same_kind() {
        let a = explain("statefulset.spec.updateStrategy.rollingUpdate", false).unwrap();
        assert_eq!(
            a,
            explain("sts.spec.updateStrategy.rollingUpdate", false).unwrap()
        );
        assert_eq!(
            a,
            explain("statefulsets.apps.spec.updateStrategy.rollingUpdate", false).unwrap()
        );
        for (alias, kind) in [
            ("po", "Pod"),
            ("svc", "Service"),
            ("pv", "PersistentVolume"),
            ("pvc", "PersistentVolumeClaim"),
            ("sc", "StorageClass"),
            ("ns", "Namespace"),
        ] {
            assert!(
                explain(alias, false)
                    .unwrap()
                    .contains(&format!("KIND:       {kind}\n")),
                "{alias}"
            );
        }
        assert!(explain("sc", false)
            .unwrap()
            .starts_with("GROUP:      storage.k8s.io\n"));
        assert!(explain("svc", false)
            .unwrap()
            .starts_with("KIND:       Service\n"));
    }
}
