//! `kubectl edit`'s tab: a live object open in the editor beside the files.
//!
//! It is not a manifest file: never saved to `localStorage`, not a `-f` name, not applied by
//! Apply or Ctrl/Cmd+Enter as a file. The console's `kubectl edit KIND/NAME` opens it
//! ([`begin`]: the object as kubectl's editor shows it, with kubectl's header); saving or
//! cancelling ends it ([`finish`]: `Shell::finish_edit` prints what kubectl prints when its
//! editor closes, and a refused change comes back with the server's reasons at the top, as
//! kubectl reopens its editor). One at a time, as one terminal runs one `kubectl edit`.

use crate::i18n::{t, tf};
use kubesim::kubectl::cli::Resource;
use kubesim::kubectl::edit::EditSession;
use kubesim::kubectl::exec::{Output, Shell, Stream};

/// The live object being edited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveEdit {
    /// What the engine opened (or reopened after a refused save).
    pub session: EditSession,
    /// The text as edited so far.
    pub text: String,
    /// Shown in the editor (else the open file is).
    pub shown: bool,
}

impl LiveEdit {
    pub fn open(session: EditSession) -> LiveEdit {
        LiveEdit {
            text: session.text.clone(),
            session,
            shown: true,
        }
    }

    /// The name the code editor keeps its state under: the tab's title
    /// (`edit statefulsets.apps/mongo`), which no file can be named (`check_name`).
    pub fn key(&self) -> &str {
        &self.session.title
    }

    /// Edited since it was (re)opened?
    pub fn changed(&self) -> bool {
        self.text != self.session.text
    }
}

fn note(text: String, exit_code: i32) -> Output {
    Output {
        chunks: vec![(Stream::Stderr, format!("{text}\n"))],
        exit_code,
        running: false,
    }
}

/// `kubectl edit RESOURCE NAME` typed in the console: opens the live object in `edit` and
/// returns what the console prints (a note saying where it opened, or kubectl's error). While
/// an edit is open another one is refused (and the open one shown), so no edit is ever lost.
pub fn begin(
    shell: &Shell,
    edit: &mut Option<LiveEdit>,
    (namespace, resource): (&str, Resource),
    name: &str,
) -> Output {
    if let Some(open) = edit {
        open.shown = true;
        return note(tf("edit.still-open", &[&open.key()]), 1);
    }
    match shell.begin_edit(namespace, resource, name) {
        Ok(session) => {
            let opened = note(t("edit.opened").into(), 0);
            *edit = Some(LiveEdit::open(session));
            opened
        }
        Err(output) => output,
    }
}

/// Save (`Some(text)`) or cancel (`None`: kubectl's editor closed without a change) the open
/// edit: kubectl's output, and `edit` is the reopened session (shown) or gone.
pub fn finish(shell: &mut Shell, edit: &mut Option<LiveEdit>, text: Option<&str>) -> Output {
    let Some(open) = edit.take() else {
        return Output::default();
    };
    let text = text.unwrap_or(&open.session.text);
    let result = shell.finish_edit(&open.session, text);
    *edit = result.reopen.map(LiveEdit::open);
    result.output
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{check_name, Files};

    fn seeded() -> Shell {
        let files = Files::example();
        let mut shell = crate::new_shell(&files.pairs(), Default::default());
        for f in files.names() {
            assert_eq!(shell.run(&format!("kubectl apply -f {f}")).exit_code, 0);
        }
        shell
    }

    #[test]
    fn an_edit_opens_shown_and_never_collides_with_a_file() {
        let shell = seeded();
        let mut edit = None;
        let out = begin(
            &shell,
            &mut edit,
            ("default", Resource::StatefulSets),
            "mongo",
        );
        assert_eq!(out.exit_code, 0);
        assert_eq!(
            out.stderr(),
            "# edit it in the editor, then Save (Ctrl+S) or Cancel\n"
        );
        let open = edit.clone().unwrap();
        assert!(open.shown && !open.changed());
        assert!(open.text.starts_with(kubesim::kubectl::edit::HEADER));
        assert!(check_name(open.key()).is_err(), "no file can take its name");

        // a second edit is refused while one is open, and the open one is shown again
        edit.as_mut().unwrap().shown = false;
        let out = begin(&shell, &mut edit, ("default", Resource::Services), "mongo");
        assert_eq!(
            out.stderr(),
            "error: edit statefulsets.apps/mongo is still open in the editor: save or cancel it first\n"
        );
        assert!(edit.as_ref().unwrap().shown);

        // not found: kubectl's error, nothing opened
        let mut none = None;
        let out = begin(
            &shell,
            &mut none,
            ("default", Resource::StatefulSets),
            "web",
        );
        assert_eq!(
            out.stderr(),
            "Error from server (NotFound): statefulsets.apps \"web\" not found\n"
        );
        assert_eq!(none, None);
    }

    #[test]
    fn cancel_save_and_a_refused_save_then_fixed() {
        let mut shell = seeded();
        let mut edit = None;
        begin(
            &shell,
            &mut edit,
            ("default", Resource::StatefulSets),
            "mongo",
        );
        let out = finish(&mut shell, &mut edit, None);
        assert_eq!(out.stderr(), "Edit cancelled, no changes made.\n");
        assert_eq!(edit, None);

        begin(
            &shell,
            &mut edit,
            ("default", Resource::StatefulSets),
            "mongo",
        );
        let bad = edit
            .as_ref()
            .unwrap()
            .text
            .replace("\n  replicas: 3\n", "\n  replicas: -1\n");
        let out = finish(&mut shell, &mut edit, Some(&bad));
        assert_eq!(
            out.stderr(),
            "error: statefulsets.apps \"mongo\" is invalid\n"
        );
        let reopened = edit.clone().expect("reopened");
        assert!(reopened.shown);
        assert!(reopened.text.contains("# * spec.replicas: Invalid value: "));
        let good = reopened
            .text
            .replace("\n  replicas: -1\n", "\n  replicas: 5\n");
        let out = finish(&mut shell, &mut edit, Some(&good));
        assert_eq!(out.stdout(), "statefulset.apps/mongo edited\n");
        assert_eq!(edit, None);
        assert_eq!(
            shell
                .run("kubectl get sts mongo -o jsonpath={.spec.replicas}")
                .stdout(),
            "5"
        );
        // nothing open: nothing to do
        assert_eq!(finish(&mut shell, &mut edit, None), Output::default());
    }
}
