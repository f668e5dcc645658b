//! `kubectl edit TYPE/NAME`, engine side: the text kubectl puts in the editor, and what saving
//! an edited text does. Ported from kubectl `pkg/cmd/util/editor/editoptions.go` (v1.35):
//! the header (`editHeader.writeTo`), the cancel messages, `editResults.addError`, the
//! `edited`/`skipped` name printers.
//!
//! The page owns the editor: when a console line is `kubectl edit …` ([`requested`]), it calls
//! [`Shell::begin_edit`] and opens [`EditSession::text`] in a tab; saving calls
//! [`Shell::finish_edit`], which prints what kubectl prints when the editor closes and, for an
//! invalid change, returns the session to reopen with the server's reasons in its header (as
//! kubectl reopens the editor). The native runner has no editor: in a session file
//! `kubectl edit` prints an error naming `kubectl patch`/`apply` as the scripted equivalents.

use super::cli::{self, Command, Resource};
use super::exec::{objects, yaml, Output, Shell, Stream};
use crate::manifest::{self, Object, Severity};

/// kubectl's header for `kubectl edit` (NormalEditMode).
pub const HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

/// What the native runner prints for `kubectl edit` (it has no editor).
pub const NO_EDITOR: &str = "error: kubectl edit opens the object in the page's editor; in a session file use kubectl patch or kubectl apply -f instead";

/// An object open in the editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditSession {
    /// A tab title: `edit statefulset.apps/mongo`.
    pub title: String,
    /// The editor's text: the header (with reasons after a failed save) and the object's YAML.
    pub text: String,
    pub resource: Resource,
    pub name: String,
    /// The namespace it was opened in (`kubectl edit -n NS`; `default` without).
    pub namespace: String,
    /// The object's YAML as first opened (what "no changes" compares with).
    original: String,
    /// Reopened after a refused save (kubectl's `containsError`): saving it unchanged again
    /// gives up with `Edit cancelled, no valid changes were saved.`
    retry: bool,
}

impl EditSession {
    /// Was this session reopened after a refused save?
    pub fn is_retry(&self) -> bool {
        self.retry
    }
}

/// What saving did: the console output, and the session to reopen when the change was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditResult {
    pub output: Output,
    pub reopen: Option<EditSession>,
}

/// The resource, name and namespace (its `-n`, else `default`) when `line` is a
/// `kubectl edit` command.
pub fn requested(line: &str) -> Option<(Resource, String, String)> {
    match cli::parse_line(line) {
        Ok((Command::Edit { resource, name }, ns)) => {
            Some((resource, name, ns.unwrap_or_else(|| cli::NAMESPACE.into())))
        }
        _ => None,
    }
}

fn output(chunks: Vec<(Stream, String)>, exit_code: i32) -> Output {
    Output {
        chunks: chunks.into_iter().filter(|(_, t)| !t.is_empty()).collect(),
        exit_code,
        running: false,
    }
}

fn failure(message: String) -> Output {
    output(vec![(Stream::Stderr, format!("{message}\n"))], 1)
}

/// `cmdutil.ManualStrip`: drops the lines that are comments.
fn strip_comments(text: &str) -> String {
    text.split_inclusive('\n')
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect()
}

/// `hashOnLineBreak`: continues a multi-line reason as comment lines.
fn hash_on_line_break(s: &str) -> String {
    s.replace('\n', "\n# ").replace("\n# #", "\n#")
}

/// The header with reasons (`editHeader.writeTo`): `(head, causes)`.
fn header(reasons: &[(String, Vec<String>)]) -> String {
    let mut out = HEADER.to_string();
    for (head, other) in reasons {
        if other.is_empty() {
            out.push_str(&format!("# {}\n", hash_on_line_break(head)));
        } else {
            out.push_str(&format!("# {}:\n", hash_on_line_break(head)));
        }
        for o in other {
            out.push_str(&format!("# * {}\n", hash_on_line_break(o)));
        }
        out.push_str("#\n");
    }
    out
}

fn object_resource(obj: &Object) -> Resource {
    match obj {
        Object::StatefulSet(_) => Resource::StatefulSets,
        Object::Service(_) => Resource::Services,
        Object::PersistentVolume(_) => Resource::PersistentVolumes,
        Object::PersistentVolumeClaim(_) => Resource::PersistentVolumeClaims,
        Object::StorageClass(_) => Resource::StorageClasses,
        Object::Namespace(_) => Resource::Namespaces,
    }
}

impl Shell {
    /// `kubectl edit TYPE/NAME`: the live object as kubectl's editor shows it, or what kubectl
    /// prints when it cannot be edited (not found, a kind the playground cannot write).
    pub fn begin_edit(
        &self,
        namespace: &str,
        resource: Resource,
        name: &str,
    ) -> Result<EditSession, Output> {
        let editable = [
            Resource::StatefulSets,
            Resource::Services,
            Resource::PersistentVolumes,
            Resource::PersistentVolumeClaims,
            Resource::StorageClasses,
        ];
        let now = crate::engine::timestamp(self.cluster().now()).0;
        let found = objects::find(
            self.cluster(),
            Some(namespace),
            resource,
            &[name.to_string()],
            &objects::Selector::default(),
            now,
        );
        let Some(mut value) = found.values.into_iter().next() else {
            return Err(failure(objects::not_found(resource, name)));
        };
        if !editable.contains(&resource) {
            return Err(failure(format!(
                "error: the playground edits statefulsets, services, persistentvolumes, persistentvolumeclaims and storageclasses, not {}",
                resource.plural()
            )));
        }
        // --show-managed-fields=false (the default) drops managedFields
        if let Some(meta) = value.get_mut("metadata").and_then(|m| m.as_object_mut()) {
            meta.remove("managedFields");
        }
        let original = yaml::to_yaml(&value);
        Ok(EditSession {
            title: format!("edit {}/{name}", objects::qualified(resource)),
            text: format!("{HEADER}{original}"),
            resource,
            name: name.to_string(),
            namespace: namespace.to_string(),
            original,
            retry: false,
        })
    }

    /// Saves an edited text as kubectl does when the editor closes: `<kind>.<group>/<name>
    /// edited`, `Edit cancelled, no changes made.`, or the API server's refusal (then
    /// [`EditResult::reopen`] holds the text to edit again, its header listing the causes).
    pub fn finish_edit(&mut self, session: &EditSession, text: &str) -> EditResult {
        let done = |output| EditResult {
            output,
            reopen: None,
        };
        let edited = strip_comments(text);
        // editoptions.go: a retry saved without a change gives up (kubectl also names the temp
        // file it kept; the page has none)
        if session.retry && edited == strip_comments(&session.text) {
            return done(failure(
                "error: Edit cancelled, no valid changes were saved.".into(),
            ));
        }
        // compared with the object as first shown, not the previous attempt
        if edited == strip_comments(&session.original) {
            return done(output(
                vec![(Stream::Stderr, "Edit cancelled, no changes made.\n".into())],
                0,
            ));
        }
        if edited.lines().all(|l| l.trim().is_empty()) {
            return done(output(
                vec![(
                    Stream::Stderr,
                    "Edit cancelled, saved file was empty.\n".into(),
                )],
                0,
            ));
        }
        let reopen = |reasons: &[(String, Vec<String>)]| EditSession {
            text: format!("{}{edited}", header(reasons)),
            retry: true,
            ..session.clone()
        };
        let qualified = objects::qualified(session.resource);
        let name = &session.name;
        let parsed = manifest::parse(&edited);
        let errors: Vec<&manifest::Diagnostic> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        if let Some(syntax) = errors
            .iter()
            .find(|d| d.message.starts_with("YAML syntax: "))
        {
            // kubectl reopens the editor at once, saying why in the header
            let reason = format!(
                "The edited file had a syntax error: error converting YAML to JSON: yaml: line {}: {}",
                syntax.line,
                &syntax.message["YAML syntax: ".len()..]
            );
            return EditResult {
                output: Output::default(),
                reopen: Some(reopen(&[(reason, Vec::new())])),
            };
        }
        let invalid = |causes: Vec<String>| EditResult {
            output: failure(format!("error: {qualified} \"{name}\" is invalid")),
            reopen: Some(reopen(&[(
                format!("{qualified} \"{name}\" was not valid"),
                causes,
            )])),
        };
        let not_patched = |why: &str| {
            done(failure(format!(
                "error: {qualified} \"{name}\" could not be patched: {why}"
            )))
        };
        if !errors.is_empty() {
            let (validation, other): (Vec<&manifest::Diagnostic>, Vec<&manifest::Diagnostic>) =
                errors.iter().copied().partition(|d| {
                    !d.message.starts_with("strict decoding")
                        && !d.message.starts_with("no matches")
                        && !d.message.starts_with("error validating")
                });
            if other.is_empty() {
                return invalid(validation.iter().map(|d| d.message.clone()).collect());
            }
            return not_patched(&other[0].message);
        }
        let Some(object) = parsed.objects.into_iter().next().map(|p| p.object) else {
            return not_patched("At least one of apiVersion, kind and name was changed");
        };
        if object_resource(&object) != session.resource || object.name() != session.name {
            return not_patched("At least one of apiVersion, kind and name was changed");
        }
        // deleted while the editor was open: kubectl's patch finds nothing (editResults'
        // notfound; kubectl also names the temp file it kept, the page has none)
        let now = crate::engine::timestamp(self.cluster().now()).0;
        let live = objects::find(
            self.cluster(),
            Some(&session.namespace),
            session.resource,
            std::slice::from_ref(name),
            &objects::Selector::default(),
            now,
        );
        if live.values.is_empty() {
            return done(failure(format!(
                "error: {qualified} \"{name}\" could not be found on the server"
            )));
        }
        let reference = object.reference();
        match self.cluster_mut().apply(object) {
            Ok(crate::engine::ApplyOutcome::Unchanged) => done(output(
                vec![(Stream::Stdout, format!("{reference} skipped\n"))],
                0,
            )),
            Ok(_) => {
                // the controllers react at once, as after any console command
                let now = self.cluster().now();
                self.cluster_mut().run_until(now);
                done(output(
                    vec![(Stream::Stdout, format!("{reference} edited\n"))],
                    0,
                ))
            }
            Err(e) => {
                let message = e.to_string();
                match message.split_once(" is invalid: ") {
                    Some((_, causes)) => invalid(crate::validation::split_causes(causes)),
                    None => not_patched(&message),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn seeded() -> Shell {
        let files: BTreeMap<String, String> = crate::examples::MONGODB
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let mut shell = Shell::new(Default::default(), files);
        for f in ["pv-demo.yaml", "mongo-service.yaml", "mongo-sts.yaml"] {
            assert_eq!(shell.run(&format!("kubectl apply -f {f}")).exit_code, 0);
        }
        shell
    }

    #[test]
    fn edit_is_recognised_on_the_command_line() {
        assert_eq!(
            requested("kubectl edit sts/mongo"),
            Some((Resource::StatefulSets, "mongo".into(), "default".into()))
        );
        assert_eq!(
            requested("kubectl edit statefulset mongo"),
            Some((Resource::StatefulSets, "mongo".into(), "default".into()))
        );
        // kubectl edit honours -n (pkg/cmd/edit/edit.go through editor.EditOptions' namespace)
        assert_eq!(
            requested("kubectl edit sts/mongo -n shop"),
            Some((Resource::StatefulSets, "mongo".into(), "shop".into()))
        );
        assert_eq!(requested("kubectl get sts"), None);
        assert_eq!(
            seeded().run("kubectl edit sts/mongo").stderr(),
            format!("{NO_EDITOR}\n")
        );
    }

    /// An edit opened with `-n shop` reads and saves the object of that namespace, not
    /// `default`'s namesake.
    #[test]
    fn an_edit_in_another_namespace_saves_there() {
        let mut shell = seeded();
        shell.run("kubectl create namespace shop");
        let mut s = shell.begin_edit("shop", Resource::StatefulSets, "mongo");
        assert!(s.is_err(), "nothing named mongo in shop yet");
        shell.run("kubectl apply -f mongo-sts.yaml -n shop");
        s = shell.begin_edit("shop", Resource::StatefulSets, "mongo");
        let s = s.unwrap();
        assert!(s.text.contains("\n  namespace: shop\n"), "{}", s.text);
        let edited = s.text.replace("replicas: 3", "replicas: 1");
        let r = shell.finish_edit(&s, &edited);
        assert_eq!(r.output.stdout(), "statefulset.apps/mongo edited\n");
        let replicas = |ns: &str| {
            let c = shell.cluster();
            let set = c
                .store()
                .get::<k8s_openapi::api::apps::v1::StatefulSet>(ns, "mongo")
                .unwrap();
            set.spec.as_ref().unwrap().replicas
        };
        assert_eq!((replicas("shop"), replicas("default")), (Some(1), Some(3)));
    }

    #[test]
    fn opening_shows_kubectls_header_and_the_live_object() {
        let shell = seeded();
        let s = shell
            .begin_edit("default", Resource::StatefulSets, "mongo")
            .unwrap();
        assert_eq!(s.title, "edit statefulsets.apps/mongo");
        assert!(s.text.starts_with(HEADER), "{}", s.text);
        assert!(
            s.text[HEADER.len()..].starts_with("apiVersion: apps/v1\nkind: StatefulSet\n"),
            "{}",
            s.text
        );
        assert!(s.text.contains("\n  replicas: 3\n"), "{}", s.text);
        let e = shell
            .begin_edit("default", Resource::StatefulSets, "nope")
            .unwrap_err();
        assert_eq!(
            e.stderr(),
            "Error from server (NotFound): statefulsets.apps \"nope\" not found\n"
        );
        assert_eq!(e.exit_code, 1);
    }

    #[test]
    fn saving_unchanged_text_cancels() {
        let mut shell = seeded();
        let s = shell
            .begin_edit("default", Resource::StatefulSets, "mongo")
            .unwrap();
        let r = shell.finish_edit(&s, &s.text);
        assert_eq!(r.output.stderr(), "Edit cancelled, no changes made.\n");
        assert_eq!(r.output.exit_code, 0);
        // comments do not count as changes
        let r = shell.finish_edit(&s, &format!("# a note\n{}", s.text));
        assert_eq!(r.output.stderr(), "Edit cancelled, no changes made.\n");
        let r = shell.finish_edit(&s, "# nothing\n\n");
        assert_eq!(r.output.stderr(), "Edit cancelled, saved file was empty.\n");
    }

    #[test]
    fn a_valid_change_is_applied_and_reported_as_edited() {
        let mut shell = seeded();
        let s = shell
            .begin_edit("default", Resource::StatefulSets, "mongo")
            .unwrap();
        let text = s.text.replace("\n  replicas: 3\n", "\n  replicas: 5\n");
        let r = shell.finish_edit(&s, &text);
        assert_eq!(r.output.stdout(), "statefulset.apps/mongo edited\n");
        assert_eq!(r.reopen, None);
        let out = shell.run("kubectl get sts mongo -o jsonpath={.spec.replicas}");
        assert_eq!(out.stdout(), "5");
    }

    #[test]
    fn an_invalid_change_prints_the_servers_refusal_and_reopens() {
        let mut shell = seeded();
        let s = shell
            .begin_edit("default", Resource::StatefulSets, "mongo")
            .unwrap();
        let text = s.text.replace("\n  replicas: 3\n", "\n  replicas: -1\n");
        let r = shell.finish_edit(&s, &text);
        assert_eq!(
            r.output.stderr(),
            "error: statefulsets.apps \"mongo\" is invalid\n"
        );
        assert_eq!(r.output.exit_code, 1);
        let again = r.reopen.unwrap();
        assert!(
            again.text.starts_with(&format!("{HEADER}# statefulsets.apps \"mongo\" was not valid:\n# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n#\napiVersion: apps/v1\n")),
            "{}",
            again.text
        );
        // beyond the playground's limit: the engine's refusal, as a cause
        let text = s.text.replace("\n  replicas: 3\n", "\n  replicas: 5000\n");
        let r = shell.finish_edit(&s, &text);
        let again = r.reopen.unwrap();
        assert!(again.text.contains("# * spec.replicas: Invalid value: 5000: the playground simulates at most 1000 replicas\n"), "{}", again.text);
        // renaming is refused
        let text = s.text.replace("\n  name: mongo\n", "\n  name: other\n");
        let r = shell.finish_edit(&s, &text);
        assert_eq!(r.output.stderr(), "error: statefulsets.apps \"mongo\" could not be patched: At least one of apiVersion, kind and name was changed\n");
        // a syntax error reopens at once with the reason in the header
        let r = shell.finish_edit(&s, &format!("{}\n  bad: [\n", s.text));
        assert!(r.output.chunks.is_empty());
        assert!(r
            .reopen
            .unwrap()
            .text
            .contains("# The edited file had a syntax error: "));
    }

    /// editoptions.go's loop after a refused save: the reopened file saved unchanged gives up
    /// (`containsError` and no change since the last attempt); put back as it was first shown,
    /// it is "no changes made"; fixed, it is edited.
    #[test]
    fn a_reopened_edit_can_be_given_up_reverted_or_fixed() {
        let mut shell = seeded();
        let s = shell
            .begin_edit("default", Resource::StatefulSets, "mongo")
            .unwrap();
        assert!(!s.is_retry());
        let bad = s.text.replace("\n  replicas: 3\n", "\n  replicas: -1\n");
        let again = shell.finish_edit(&s, &bad).reopen.unwrap();
        assert!(again.is_retry());
        let r = shell.finish_edit(&again, &again.text);
        assert_eq!(
            r.output.stderr(),
            "error: Edit cancelled, no valid changes were saved.\n"
        );
        assert_eq!((r.output.exit_code, r.reopen), (1, None));
        let reverted = again
            .text
            .replace("\n  replicas: -1\n", "\n  replicas: 3\n");
        let r = shell.finish_edit(&again, &reverted);
        assert_eq!(r.output.stderr(), "Edit cancelled, no changes made.\n");
        let fixed = again
            .text
            .replace("\n  replicas: -1\n", "\n  replicas: 4\n");
        // deleted meanwhile: nothing to patch, nothing created
        let mut gone = seeded();
        assert_eq!(gone.run("kubectl delete sts mongo").exit_code, 0);
        let r = gone.finish_edit(&again, &fixed);
        assert_eq!(
            r.output.stderr(),
            "error: statefulsets.apps \"mongo\" could not be found on the server\n"
        );
        assert_eq!((r.output.exit_code, r.reopen), (1, None));
        assert_eq!(gone.run("kubectl get sts -o name").stdout(), "");
        let r = shell.finish_edit(&again, &fixed);
        assert_eq!(r.output.stdout(), "statefulset.apps/mongo edited\n");
        assert_eq!(r.reopen, None);
    }
}
