//! The page's state model, apart from the components: the manifest files the user edits (names,
//! order, texts, the open one), how they persist in `localStorage`, and how the console's shell
//! is kept reading the same files; `live_edit`: the live object `kubectl edit` opens beside
//! them (not a file). The model is plain data, unit-tested natively.

pub mod live_edit;

use std::collections::BTreeMap;

use crate::i18n::{t, tf};
use kubesim::engine::ClusterConfig;
use kubesim::kubectl::exec::Shell;

/// One manifest file of the set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub text: String,
}

/// A deleted file and where it was, so the deletion can be undone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deleted {
    pub index: usize,
    pub file: File,
}

/// The files the user edits, in tab order, and the one open in the editor. Never empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Files {
    files: Vec<File>,
    active: usize,
}

/// Longest file name accepted.
pub const MAX_NAME: usize = 64;

impl Files {
    /// The MongoDB example's three files, the first open.
    pub fn example() -> Files {
        Files {
            files: kubesim::examples::MONGODB
                .iter()
                .map(|(name, text)| File {
                    name: name.to_string(),
                    text: text.to_string(),
                })
                .collect(),
            active: 0,
        }
    }

    /// The files as last saved: `index` is the saved order (one name a line; none saved = the
    /// example's files), `text` a file's saved text. A file whose text is missing gets the
    /// example's text if it is an example file, else none; invalid or repeated names are
    /// skipped, and an index naming nothing usable gives the example.
    pub fn load(index: Option<&str>, text: impl Fn(&str) -> Option<String>) -> Files {
        Files::load_over(Files::example(), index, text)
    }

    /// As [`Files::load`], over `base` instead of the example (a shared workspace's files).
    pub fn load_over(
        base: Files,
        index: Option<&str>,
        text: impl Fn(&str) -> Option<String>,
    ) -> Files {
        let original = |name: &str| base.position(name).map(|i| base.files[i].text.clone());
        let names: Vec<String> = match index {
            Some(index) => index.lines().map(str::to_string).collect(),
            None => base.names(),
        };
        let mut files: Vec<File> = Vec::new();
        for name in names {
            if check_name(&name).is_err() || files.iter().any(|f| f.name == name) {
                continue;
            }
            let text = text(&name).or_else(|| original(&name)).unwrap_or_default();
            files.push(File { name, text });
        }
        if files.is_empty() {
            return base;
        }
        Files { files, active: 0 }
    }

    /// These files in this order (None when there are none or a name is invalid or repeated).
    pub fn from_files(files: Vec<File>) -> Option<Files> {
        let mut seen = std::collections::BTreeSet::new();
        let valid = !files.is_empty()
            && files
                .iter()
                .all(|f| check_name(&f.name).is_ok() && seen.insert(f.name.clone()));
        valid.then_some(Files { files, active: 0 })
    }

    /// The saved order: one name a line.
    pub fn index(&self) -> String {
        self.names().join("\n")
    }

    pub fn files(&self) -> &[File] {
        &self.files
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn names(&self) -> Vec<String> {
        self.files.iter().map(|f| f.name.clone()).collect()
    }

    /// `(name, text)` pairs in tab order (what Apply and the shell read).
    pub fn pairs(&self) -> Vec<(&str, String)> {
        self.files
            .iter()
            .map(|f| (f.name.as_str(), f.text.clone()))
            .collect()
    }

    pub fn active_index(&self) -> usize {
        self.active
    }

    pub fn active(&self) -> &File {
        &self.files[self.active]
    }

    pub fn position(&self, name: &str) -> Option<usize> {
        self.files.iter().position(|f| f.name == name)
    }

    /// Opens file `i` (ignored when out of range).
    pub fn select(&mut self, i: usize) {
        if i < self.files.len() {
            self.active = i;
        }
    }

    /// Replaces the text of the file named `name`; false when there is none.
    pub fn set_text(&mut self, name: &str, text: String) -> bool {
        match self.files.iter_mut().find(|f| f.name == name) {
            Some(f) => {
                f.text = text;
                true
            }
            None => false,
        }
    }

    /// Adds an empty file after the last one with a free `untitled….yaml` name and opens it;
    /// returns its name.
    pub fn add(&mut self) -> String {
        let name = (1..)
            .map(|n| match n {
                1 => "untitled.yaml".to_string(),
                n => format!("untitled-{n}.yaml"),
            })
            .find(|n| self.position(n).is_none())
            .expect("a free name exists");
        self.files.push(File {
            name: name.clone(),
            text: String::new(),
        });
        self.active = self.files.len() - 1;
        name
    }

    /// Renames file `i`, keeping its text and place. The error says why a name is refused.
    pub fn rename(&mut self, i: usize, name: &str) -> Result<(), String> {
        let name = name.trim();
        check_name(name)?;
        if self
            .files
            .iter()
            .enumerate()
            .any(|(j, f)| j != i && f.name == name)
        {
            return Err(tf("files.exists", &[&name]));
        }
        let file = self.files.get_mut(i).ok_or("no such file")?;
        file.name = name.to_string();
        Ok(())
    }

    /// Deletes file `i`, returning what `restore` needs to undo it. The last file cannot be
    /// deleted (the editor always shows one).
    pub fn delete(&mut self, i: usize) -> Option<Deleted> {
        if self.files.len() <= 1 || i >= self.files.len() {
            return None;
        }
        let file = self.files.remove(i);
        if self.active > i || self.active == self.files.len() {
            self.active -= 1;
        }
        Some(Deleted { index: i, file })
    }

    /// Undoes a deletion: the file comes back at its place (opened), unless a file of that
    /// name was made meanwhile (then it is refused).
    pub fn restore(&mut self, deleted: Deleted) -> Result<(), String> {
        if self.position(&deleted.file.name).is_some() {
            return Err(tf("files.exists", &[&deleted.file.name]));
        }
        let at = deleted.index.min(self.files.len());
        self.files.insert(at, deleted.file);
        self.active = at;
        Ok(())
    }

    /// Moves file `i` by `delta` places (clamped), keeping the same file open.
    pub fn move_by(&mut self, i: usize, delta: isize) {
        if i >= self.files.len() {
            return;
        }
        let to = (i as isize + delta).clamp(0, self.files.len() as isize - 1) as usize;
        let open = self.active().name.clone();
        let file = self.files.remove(i);
        self.files.insert(to, file);
        self.active = self.position(&open).unwrap_or(0);
    }
}

/// Why `name` cannot name a file, if it cannot: it is typed after `kubectl apply -f`, so it
/// is one word of letters, digits, `.`, `_` and `-`, not starting with `-`.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(t("files.no-name").into());
    }
    if name.len() > MAX_NAME {
        return Err(tf("files.too-long", &[&MAX_NAME]));
    }
    if name.starts_with('-') || name == "." || name == ".." {
        return Err(tf("files.bad-name", &[&name]));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(tf("files.bad-char", &[&format!("{c:?}")]));
    }
    Ok(())
}

/// Makes the shell's `-f` files exactly the user's files (so `kubectl apply -f NAME` reads the
/// tab named NAME, and a deleted or renamed-away name is not found), with `current` as `-f -`.
pub fn sync_shell(shell: &mut Shell, files: &Files) {
    let stale = shell
        .files()
        .keys()
        .any(|name| files.position(name).is_none());
    if stale {
        // Stand-in until kubesim's Shell can forget a file (`Shell::remove_file`): a shell on
        // the same cluster with the new file set. Skipped while a command runs (a watch), to
        // keep it: the stale name goes at the next change.
        if !shell.is_blocked() {
            let watch_limit_ms = shell.watch_limit_ms;
            let cluster = std::mem::replace(
                shell.cluster_mut(),
                kubesim::engine::Cluster::new(ClusterConfig::default()),
            );
            let texts: BTreeMap<String, String> = files
                .files()
                .iter()
                .map(|f| (f.name.clone(), f.text.clone()))
                .collect();
            *shell = Shell::with_cluster(cluster, texts);
            shell.watch_limit_ms = watch_limit_ms;
        }
    }
    for f in files.files() {
        if shell.files().get(&f.name) != Some(&f.text) {
            shell.set_file(f.name.clone(), f.text.clone());
        }
    }
    shell.set_current_file(Some(files.active().name.clone()));
}

/// Persistence in the browser's `localStorage`: the order under `INDEX_KEY`, each file's text
/// under `FILE_PREFIX` + name (the layout older pages used for the example's files). That is the
/// visitor's own work; a workspace opened from a link keeps its files in a space of its own
/// (`SPACE` + `shared/KEY/`), and an embed saves nothing ([`use_space`]).
pub mod storage {
    use std::cell::RefCell;

    use super::Files;

    /// The visitor's own work.
    pub const SPACE: &str = "sts-playground/";
    pub const INDEX_KEY: &str = "sts-playground/files";
    pub const FILE_PREFIX: &str = "sts-playground/file/";

    thread_local! {
        static CURRENT: RefCell<Option<String>> = RefCell::new(Some(SPACE.to_string()));
    }

    /// Where this page keeps its files from now on: a key prefix (`SPACE` for the visitor's
    /// own work), or None to save nothing. Set once before the app reads its files.
    pub fn use_space(space: Option<String>) {
        CURRENT.with(|c| *c.borrow_mut() = space);
    }

    fn key(suffix: &str) -> Option<String> {
        CURRENT.with(|c| c.borrow().as_ref().map(|space| format!("{space}{suffix}")))
    }

    fn local() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    fn get(suffix: &str) -> Option<String> {
        local()?.get_item(&key(suffix)?).ok().flatten()
    }

    fn set(suffix: &str, text: &str) {
        if let (Some(s), Some(k)) = (local(), key(suffix)) {
            // Quota errors only lose persistence, never the edit in the page.
            let _ = s.set_item(&k, text);
        }
    }

    fn remove(suffix: &str) {
        if let (Some(s), Some(k)) = (local(), key(suffix)) {
            let _ = s.remove_item(&k);
        }
    }

    /// The files as saved (the example when nothing is).
    pub fn load() -> Files {
        load_over(Files::example())
    }

    /// The files as saved in this space, over `base` when nothing is.
    pub fn load_over(base: Files) -> Files {
        Files::load_over(base, get("files").as_deref(), |name| {
            get(&format!("file/{name}"))
        })
    }

    /// Saves one file's text.
    pub fn save_text(name: &str, text: &str) {
        set(&format!("file/{name}"), text);
    }

    /// Saves the order and every text, and forgets the texts of names no longer in the set.
    pub fn save_all(files: &Files, forget: &[String]) {
        for name in forget {
            if files.position(name).is_none() {
                remove(&format!("file/{name}"));
            }
        }
        set("files", &files.index());
        for f in files.files() {
            save_text(&f.name, &f.text);
        }
    }

    /// Forgets everything saved (Reset example).
    pub fn clear(names: &[String]) {
        remove("files");
        for name in names {
            remove(&format!("file/{name}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(f: &Files) -> Vec<String> {
        f.names()
    }

    #[test]
    fn the_example_is_three_files_with_the_pvs_open() {
        let f = Files::example();
        assert_eq!(
            names(&f),
            ["pv-demo.yaml", "mongo-service.yaml", "mongo-sts.yaml"]
        );
        assert!(f.active().text.contains("name: pv001"));
    }

    #[test]
    fn load_keeps_saved_order_and_texts_and_falls_back_to_the_example() {
        // Older pages saved only texts, under the same keys: nothing lost.
        let f = Files::load(None, |n| {
            (n == "mongo-sts.yaml").then(|| "replicas: three".to_string())
        });
        assert_eq!(f.files()[2].text, "replicas: three");
        assert!(f.files()[0].text.contains("pv001"));

        let f = Files::load(
            Some("mine.yaml\nmongo-sts.yaml\nmine.yaml\nbad name"),
            |n| (n == "mine.yaml").then(|| "kind: Service".to_string()),
        );
        assert_eq!(names(&f), ["mine.yaml", "mongo-sts.yaml"]);
        assert_eq!(f.files()[0].text, "kind: Service");
        assert!(f.files()[1].text.contains("kind: StatefulSet"));

        assert_eq!(Files::load(Some(""), |_| None), Files::example());
    }

    #[test]
    fn a_shared_workspace_loads_over_its_own_files_not_the_example() {
        let file = |n: &str, t: &str| File {
            name: n.into(),
            text: t.into(),
        };
        let shared =
            Files::from_files(vec![file("web.yaml", "kind: Service"), file("b.yaml", "")]).unwrap();
        // First visit: nothing saved in its space, the link's files.
        assert_eq!(Files::load_over(shared.clone(), None, |_| None), shared);
        // Later: the visitor's edits in that space win; the link's text fills the gaps.
        let f = Files::load_over(shared.clone(), Some("web.yaml"), |n| {
            (n == "web.yaml").then(|| "kind: Pod".to_string())
        });
        assert_eq!(names(&f), ["web.yaml"]);
        assert_eq!(f.files()[0].text, "kind: Pod");
        // Names a link may not bring.
        assert_eq!(Files::from_files(vec![]), None);
        assert_eq!(Files::from_files(vec![file("../x", "")]), None);
        assert_eq!(
            Files::from_files(vec![file("a.yaml", ""), file("a.yaml", "")]),
            None
        );
    }

    #[test]
    fn add_rename_delete_undo_and_move() {
        let mut f = Files::example();
        assert_eq!(f.add(), "untitled.yaml");
        assert_eq!(f.add(), "untitled-2.yaml");
        assert_eq!(f.active().name, "untitled-2.yaml");
        assert_eq!(f.len(), 5);

        assert_eq!(
            f.rename(4, "mongo-sts.yaml"),
            Err("there is already a file named mongo-sts.yaml".into())
        );
        assert_eq!(
            f.rename(4, "my file.yaml"),
            Err("' ' is not allowed in a file name (letters, digits, '.', '_' and '-')".into())
        );
        assert_eq!(f.rename(4, "-f"), Err("-f cannot name a file".into()));
        assert_eq!(f.rename(4, " web.yaml "), Ok(()));
        assert_eq!(f.active().name, "web.yaml");
        assert_eq!(f.rename(4, "web.yaml"), Ok(()), "its own name is fine");

        f.set_text("web.yaml", "kind: Pod".into());
        f.select(1);
        let deleted = f.delete(4).expect("deleted");
        assert_eq!(
            f.active().name,
            "mongo-service.yaml",
            "the open file stays open"
        );
        assert_eq!(deleted.file.text, "kind: Pod");
        f.restore(deleted).unwrap();
        assert_eq!(f.files()[4].name, "web.yaml");
        assert_eq!(f.files()[4].text, "kind: Pod", "undo loses nothing");

        // Deleting the open last file opens the one before it.
        let d = f.delete(4).unwrap();
        assert_eq!(f.active().name, "untitled.yaml");
        f.add();
        f.rename(4, "web.yaml").unwrap();
        assert!(f.restore(d).is_err(), "a new file took the name meanwhile");

        f.select(2);
        f.move_by(2, -1);
        assert_eq!(
            names(&f)[..3],
            ["pv-demo.yaml", "mongo-sts.yaml", "mongo-service.yaml"]
        );
        assert_eq!(f.active().name, "mongo-sts.yaml");
        f.move_by(0, 10);
        assert_eq!(names(&f)[4], "pv-demo.yaml");
        assert_eq!(f.active().name, "mongo-sts.yaml");
        assert_eq!(f.index().lines().count(), 5);
    }

    #[test]
    fn the_last_file_cannot_be_deleted() {
        let mut f = Files::example();
        assert!(f.delete(0).is_some());
        assert!(f.delete(0).is_some());
        assert_eq!(f.delete(0), None);
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn the_shell_reads_exactly_the_users_files() {
        let mut f = Files::example();
        let mut shell = crate::new_shell(&f.pairs(), Default::default());
        f.rename(1, "svc.yaml").unwrap();
        f.delete(0);
        sync_shell(&mut shell, &f);
        assert_eq!(
            shell.files().keys().collect::<Vec<_>>(),
            ["mongo-sts.yaml", "svc.yaml"]
        );
        assert_eq!(
            shell.run("kubectl apply -f svc.yaml").text(),
            "service/mongo created\n"
        );
        assert_eq!(
            shell.run("kubectl apply -f pv-demo.yaml").text(),
            "error: the path \"pv-demo.yaml\" does not exist\n"
        );
        // The cluster is kept across the change.
        f.add();
        f.delete(0);
        sync_shell(&mut shell, &f);
        assert!(shell.run("kubectl get svc mongo").text().contains("mongo"));
    }
}
