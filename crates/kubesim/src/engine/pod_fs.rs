//! Files inside the simulated pods: one tree per PersistentVolume (keyed by the PV's uid, so
//! the data follows the volume, not the pod or the claim) and one per container (its own
//! writable layer, keyed by the pod's uid) or per pod-level volume (`emptyDir` & co.).
//!
//! A write through a container's mount lands on whatever backs the mount: a claim's bound PV,
//! the pod's own volume, or the container's layer. So data on a PV survives the pod's deletion
//! and re-creation and a scale-down/up (the claim and its PV stay), a `Retain` PV that is
//! `Released` keeps its files, an RWX PV bound by several claims shows the same files to all,
//! and everything else disappears with the pod. Trees are dropped when their PV or pod object
//! is deleted ([`on_deleted`], called by the cluster's dispatcher).
//!
//! Bounded and deterministic: at most [`MAX_FILES`] entries and [`MAX_BYTES`] bytes per tree,
//! [`MAX_FILE_BYTES`] per file; every map is a `BTreeMap`. The cluster holds the whole state
//! behind an `Arc` with one `Arc` per tree, so cloning a cluster stays cheap and a write copies
//! only the tree it changes.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{Container, PersistentVolume, PersistentVolumeClaim, Pod};

use super::{AnyObject, Cluster};

/// Entries (files and directories) one tree may hold.
pub const MAX_FILES: usize = 1_000;
/// Bytes one file may hold.
pub const MAX_FILE_BYTES: usize = 64 * 1024;
/// Bytes all files of one tree may hold.
pub const MAX_BYTES: usize = 1024 * 1024;
/// Lines kept per container log.
pub const MAX_LOG_LINES: usize = 1_000;

/// One entry of a tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    Dir,
    File(String),
    /// A symbolic link, its target relative to the link's directory (the kubelet's
    /// `..data` links of projected volumes: [`super::container::token`]).
    Link(String),
}

/// Links followed in one path before giving up (the kernel's ELOOP, which allows 40).
const MAX_LINKS: usize = 40;

/// A directory tree: paths relative to its root (`a/b.txt`, no leading `/`) → entries. The
/// root itself is implicit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tree {
    entries: BTreeMap<String, Entry>,
    bytes: usize,
    /// Links among the entries (none: paths are looked up as they are).
    links: usize,
}

impl Tree {
    /// The entry at `rel`, links followed (`stat`).
    pub fn get(&self, rel: &str) -> Option<&Entry> {
        self.entries.get(self.follow(rel)?.as_str())
    }

    /// The entry at `rel` itself, a link not followed (`lstat`).
    pub fn entry(&self, rel: &str) -> Option<&Entry> {
        self.entries.get(rel)
    }

    pub fn is_dir(&self, rel: &str) -> bool {
        rel.is_empty()
            || self
                .follow(rel)
                .is_some_and(|p| p.is_empty() || matches!(self.entries.get(&p), Some(Entry::Dir)))
    }

    /// `rel` with every link on the way replaced by its target; `None` past [`MAX_LINKS`].
    fn follow(&self, rel: &str) -> Option<String> {
        if self.links == 0 {
            return Some(rel.to_string());
        }
        let mut todo: Vec<String> = rel.split('/').rev().map(String::from).collect();
        let mut done: Vec<String> = Vec::new();
        let mut links = 0;
        while let Some(part) = todo.pop() {
            match part.as_str() {
                "" | "." => continue,
                ".." => {
                    done.pop();
                    continue;
                }
                _ => {}
            }
            done.push(part);
            if let Some(Entry::Link(target)) = self.entries.get(&done.join("/")) {
                links += 1;
                if links > MAX_LINKS {
                    return None;
                }
                done.pop();
                todo.extend(target.split('/').rev().map(String::from));
            }
        }
        Some(done.join("/"))
    }

    /// Makes `rel` a symbolic link to `target`; the parent directory must exist.
    pub fn link(&mut self, rel: &str, target: &str) -> Result<(), FsError> {
        if self.entries.contains_key(rel) {
            return Err(FsError::Exists);
        }
        if !self.is_dir(parent(rel)) {
            return Err(FsError::NotFound);
        }
        if self.entries.len() >= MAX_FILES {
            return Err(FsError::NoSpace);
        }
        self.entries
            .insert(rel.to_string(), Entry::Link(target.to_string()));
        self.links += 1;
        Ok(())
    }

    /// Files only, with their paths, in path order.
    pub fn files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().filter_map(|(p, e)| match e {
            Entry::File(t) => Some((p.as_str(), t.as_str())),
            Entry::Dir | Entry::Link(_) => None,
        })
    }

    /// The direct children of directory `rel` (names, in order).
    pub fn children(&self, rel: &str) -> Vec<String> {
        let rel = self.follow(rel).unwrap_or_default();
        let prefix = if rel.is_empty() {
            String::new()
        } else {
            format!("{rel}/")
        };
        self.entries
            .range(prefix.clone()..)
            .take_while(|(p, _)| p.starts_with(&prefix))
            .filter_map(|(p, _)| {
                let rest = &p[prefix.len()..];
                (!rest.is_empty() && !rest.contains('/')).then(|| rest.to_string())
            })
            .collect()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Writes (or appends to) a file; the parent directory must exist.
    pub fn write(&mut self, rel: &str, text: &str, append: bool) -> Result<(), FsError> {
        if rel.is_empty() || self.is_dir(rel) {
            return Err(FsError::IsADirectory);
        }
        if !self.is_dir(parent(rel)) {
            return Err(FsError::NotFound);
        }
        let old = match self.entries.get(rel) {
            Some(Entry::File(t)) => t.as_str(),
            _ => "",
        };
        let new = if append {
            format!("{old}{text}")
        } else {
            text.to_string()
        };
        if new.len() > MAX_FILE_BYTES {
            return Err(FsError::FileTooLarge);
        }
        let bytes = self.bytes - old.len() + new.len();
        if bytes > MAX_BYTES {
            return Err(FsError::NoSpace);
        }
        if !self.entries.contains_key(rel) && self.entries.len() >= MAX_FILES {
            return Err(FsError::NoSpace);
        }
        self.bytes = bytes;
        self.entries.insert(rel.to_string(), Entry::File(new));
        Ok(())
    }

    /// `mkdir` (with `parents`: `mkdir -p`).
    pub fn mkdir(&mut self, rel: &str, parents: bool) -> Result<(), FsError> {
        if rel.is_empty() || self.is_dir(rel) {
            return if parents {
                Ok(())
            } else {
                Err(FsError::Exists)
            };
        }
        if self.entries.contains_key(rel) {
            return Err(FsError::Exists);
        }
        if !self.is_dir(parent(rel)) {
            if !parents {
                return Err(FsError::NotFound);
            }
            self.mkdir(parent(rel), true)?;
        }
        if self.entries.len() >= MAX_FILES {
            return Err(FsError::NoSpace);
        }
        self.entries.insert(rel.to_string(), Entry::Dir);
        Ok(())
    }

    /// `rm` (with `recursive`: `rm -r`).
    pub fn remove(&mut self, rel: &str, recursive: bool) -> Result<(), FsError> {
        match self.entries.get(rel) {
            None => Err(FsError::NotFound),
            Some(Entry::Dir) if !recursive => Err(FsError::IsADirectory),
            Some(_) => {
                let prefix = format!("{rel}/");
                let gone: Vec<String> = self
                    .entries
                    .range(rel.to_string()..)
                    .take_while(|(p, _)| *p == rel || p.starts_with(&prefix))
                    .map(|(p, _)| p.clone())
                    .collect();
                for p in gone {
                    match self.entries.remove(&p) {
                        Some(Entry::File(t)) => self.bytes -= t.len(),
                        Some(Entry::Link(_)) => self.links -= 1,
                        _ => {}
                    }
                }
                Ok(())
            }
        }
    }
}

/// The parent of a relative path (`""` for a top-level entry).
pub fn parent(rel: &str) -> &str {
    rel.rsplit_once('/').map(|(p, _)| p).unwrap_or("")
}

/// Why a file operation failed, in the words of busybox/coreutils (`strerror`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    IsADirectory,
    NotADirectory,
    Exists,
    Busy,
    FileTooLarge,
    NoSpace,
    ReadOnly,
}

impl FsError {
    pub fn message(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::IsADirectory => "Is a directory",
            FsError::NotADirectory => "Not a directory",
            FsError::Exists => "File exists",
            FsError::Busy => "Resource busy",
            FsError::ReadOnly => "Read-only file system",
            FsError::FileTooLarge => "File too large (the playground keeps files up to 64 KiB)",
            FsError::NoSpace => {
                "No space left on device (the playground keeps up to 1,000 entries and 1 MiB per volume)"
            }
        }
    }
}

/// What backs a path in a container.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Backing {
    /// A PersistentVolume, by uid.
    Volume(String),
    /// A pod-level volume (`emptyDir`, …): (pod uid, volume name).
    PodVolume(String, String),
    /// The container's own writable layer: (pod uid, container name).
    Container(String, String),
}

/// A container's log: (instant, line), oldest first.
pub type Log = Vec<(u64, String)>;

/// Every tree of the cluster, plus the containers' logs (lost with the pod too).
#[derive(Clone, Debug, Default)]
pub struct Filesystems {
    trees: BTreeMap<Backing, Arc<Tree>>,
    /// (pod uid, container) → lines written by the application model (access logs…).
    logs: BTreeMap<(String, String), Arc<Log>>,
}

impl Filesystems {
    pub fn tree(&self, b: &Backing) -> Option<&Tree> {
        self.trees.get(b).map(|t| &**t)
    }

    /// The tree behind `b`, created empty on first write.
    pub fn tree_mut(&mut self, b: &Backing) -> &mut Tree {
        Arc::make_mut(self.trees.entry(b.clone()).or_default())
    }

    /// The files of a PersistentVolume (by uid).
    pub fn volume(&self, pv_uid: &str) -> Option<&Tree> {
        self.tree(&Backing::Volume(pv_uid.to_string()))
    }

    pub fn log(&self, pod_uid: &str, container: &str) -> &[(u64, String)] {
        self.logs
            .get(&(pod_uid.to_string(), container.to_string()))
            .map(|l| l.as_slice())
            .unwrap_or_default()
    }

    pub fn append_log(&mut self, pod_uid: &str, container: &str, at: u64, line: String) {
        let l = Arc::make_mut(
            self.logs
                .entry((pod_uid.to_string(), container.to_string()))
                .or_default(),
        );
        if l.len() >= MAX_LOG_LINES {
            l.remove(0);
        }
        l.push((at, line));
    }

    fn drop_pod(&mut self, uid: &str) {
        self.trees.retain(|b, _| match b {
            Backing::Volume(_) => true,
            Backing::PodVolume(u, _) | Backing::Container(u, _) => u != uid,
        });
        self.logs.retain(|(u, _), _| u != uid);
    }

    fn drop_volume(&mut self, uid: &str) {
        self.trees.remove(&Backing::Volume(uid.to_string()));
    }
}

/// The dispatcher's hook: a deleted pod takes its containers' layers, pod volumes and logs
/// with it; a deleted PV its files.
pub(crate) fn on_deleted(c: &mut Cluster, object: &AnyObject) {
    let uid = match object {
        AnyObject::Pod(p) => p.metadata.uid.as_deref(),
        AnyObject::PersistentVolume(v) => v.metadata.uid.as_deref(),
        _ => None,
    };
    let Some(uid) = uid else { return };
    let fs = &c.fs;
    let known = fs.trees.keys().any(|b| match b {
        Backing::Volume(u) | Backing::PodVolume(u, _) | Backing::Container(u, _) => u == uid,
    }) || fs.logs.keys().any(|(u, _)| u == uid);
    if !known {
        return;
    }
    let fs = Arc::make_mut(&mut c.fs);
    match object {
        AnyObject::Pod(_) => fs.drop_pod(uid),
        _ => fs.drop_volume(uid),
    }
}

/// One mount of a container: its path (no trailing `/`, `""` for the root) and what backs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    pub path: String,
    pub backing: Result<Backing, String>,
}

/// The mounts of `container` in `pod`, root first, longest paths last. A claim that is missing
/// or not bound gives an `Err` backing with the reason.
pub fn mounts(c: &Cluster, pod: &Pod, container: &Container) -> Vec<Mount> {
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
    let mut out = vec![Mount {
        path: String::new(),
        backing: Ok(Backing::Container(uid.clone(), container.name.clone())),
    }];
    let volumes = pod
        .spec
        .as_ref()
        .and_then(|s| s.volumes.as_ref())
        .map(Vec::as_slice)
        .unwrap_or_default();
    for m in container.volume_mounts.iter().flatten() {
        let path = normalize(&m.mount_path);
        let backing = match volumes.iter().find(|v| v.name == m.name) {
            Some(v) => match &v.persistent_volume_claim {
                Some(claim) => claim_volume(c, ns, &claim.claim_name),
                None => Ok(Backing::PodVolume(uid.clone(), v.name.clone())),
            },
            None => Err(format!("volume \"{}\" not found", m.name)),
        };
        out.push(Mount {
            path: path.trim_end_matches('/').to_string(),
            backing,
        });
    }
    out.sort_by_key(|m| m.path.len());
    out
}

/// The PV (by uid) a claim is bound to.
pub fn claim_volume(c: &Cluster, ns: &str, claim: &str) -> Result<Backing, String> {
    let pvc = c
        .store
        .get::<PersistentVolumeClaim>(ns, claim)
        .ok_or_else(|| format!("persistentvolumeclaim \"{claim}\" not found"))?;
    let pv_name = pvc
        .spec
        .as_ref()
        .and_then(|s| s.volume_name.as_deref())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| format!("persistentvolumeclaim \"{claim}\" is not bound"))?;
    let pv = c
        .store
        .get::<PersistentVolume>("", pv_name)
        .ok_or_else(|| format!("persistentvolume \"{pv_name}\" not found"))?;
    Ok(Backing::Volume(pv.metadata.uid.clone().unwrap_or_default()))
}

/// Resolves `.` and `..` and repeated slashes of an absolute path (relative paths are taken
/// from `/`). The result starts with `/`.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The mount that holds `path` (normalized) and the path relative to the mount's root.
pub fn resolve<'a>(mounts: &'a [Mount], path: &str) -> (&'a Mount, String) {
    let path = normalize(path);
    let m = mounts
        .iter()
        .rev()
        .find(|m| m.path.is_empty() || path == m.path || path.starts_with(&format!("{}/", m.path)))
        .unwrap_or(&mounts[0]);
    let rel = path[m.path.len()..].trim_start_matches('/').to_string();
    (m, rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_writes_lists_and_removes_within_its_bounds() {
        let mut t = Tree::default();
        assert_eq!(t.write("a/b", "x", false), Err(FsError::NotFound));
        t.mkdir("a/b", true).unwrap();
        assert_eq!(t.mkdir("a", false), Err(FsError::Exists));
        t.write("a/b/c.txt", "one\n", false).unwrap();
        t.write("a/b/c.txt", "two\n", true).unwrap();
        assert_eq!(t.get("a/b/c.txt"), Some(&Entry::File("one\ntwo\n".into())));
        assert_eq!(t.children(""), ["a"]);
        assert_eq!(t.children("a/b"), ["c.txt"]);
        assert_eq!(t.remove("a", false), Err(FsError::IsADirectory));
        t.remove("a", true).unwrap();
        assert!(t.is_empty());
        assert_eq!(
            t.write("big", &"x".repeat(MAX_FILE_BYTES + 1), false),
            Err(FsError::FileTooLarge)
        );
        for i in 0..MAX_FILES {
            t.write(&format!("f{i}"), "", false).unwrap();
        }
        assert_eq!(t.write("one-more", "", false), Err(FsError::NoSpace));
    }

    #[test]
    fn links_are_followed_as_the_atomic_writer_lays_them_out() {
        // pkg/volume/util/atomic_writer.go: ..data -> ..<stamp>, each file -> ..data/<file>
        let mut t = Tree::default();
        t.mkdir("..2026_01_01_00_00_05.1", false).unwrap();
        t.write("..2026_01_01_00_00_05.1/token", "jwt", false)
            .unwrap();
        t.link("..data", "..2026_01_01_00_00_05.1").unwrap();
        t.link("token", "..data/token").unwrap();
        assert_eq!(t.get("token"), Some(&Entry::File("jwt".into())));
        assert_eq!(t.entry("token"), Some(&Entry::Link("..data/token".into())));
        assert!(t.is_dir("..data"));
        assert_eq!(t.children("..data"), vec!["token".to_string()]);
        // files() lists each file once, under its real path
        assert_eq!(t.files().count(), 1);
        // a loop gives up instead of spinning
        t.link("a", "b").unwrap();
        t.link("b", "a").unwrap();
        assert_eq!(t.get("a"), None);
        t.remove("a", false).unwrap();
        t.remove("b", false).unwrap();
        t.remove("token", false).unwrap();
        t.remove("..data", false).unwrap();
        assert_eq!(t.links, 0);
    }

    #[test]
    fn paths_resolve_to_the_longest_mount() {
        let mounts = vec![
            Mount {
                path: String::new(),
                backing: Ok(Backing::Container("u".into(), "c".into())),
            },
            Mount {
                path: "/usr/share/nginx/html".into(),
                backing: Ok(Backing::Volume("pv".into())),
            },
        ];
        let (m, rel) = resolve(&mounts, "/usr/share/nginx/html/./index.html");
        assert_eq!(m.path, "/usr/share/nginx/html");
        assert_eq!(rel, "index.html");
        let (m, rel) = resolve(&mounts, "/usr/share/nginx/htmlx");
        assert_eq!(
            (m.path.as_str(), rel.as_str()),
            ("", "usr/share/nginx/htmlx")
        );
        assert_eq!(normalize("a//b/../c/"), "/a/c");
    }
}
