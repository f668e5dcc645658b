//! Inside a running container: what `kubectl exec` reaches. A small deterministic POSIX-like
//! shell ([`sh`]) over the pod's files ([`super::pod_fs`]), and the application models of the
//! images the playground knows ([`apps`]: nginx serving its html root, the MongoDB replica set,
//! each container's log).
//!
//! Programs: `sh -c`, `hostname`, `echo`, `cat`, `ls`, `mkdir`, `rm`, `touch`, `pwd`, `env`,
//! `printenv`, `true`, `false`, `exit`, `sleep` (returns at once: exec runs at one instant),
//! `date`, `whoami`, `nslookup`, `dig`, `getent hosts`, `curl`, `wget`, `mongo`/`mongosh`.
//! Anything else prints the shell's `sh: NAME: not found` (exit 127).

pub mod apps;
pub mod sh;
pub mod token;

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{Container, Pod, Service};

use super::pod_fs::{self, Backing, Entry, FsError, Mount, Tree};
use super::{timestamp, Cluster};

/// What a command in a container printed, in order, and its exit status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExecOutput {
    /// (is stderr, text) in the order written.
    pub chunks: Vec<(bool, String)>,
    pub exit_code: i32,
    /// Bytes written so far (writes past [`MAX_OUTPUT`] are dropped as they come, so no
    /// command can build a huge string first).
    pub bytes: usize,
}

impl ExecOutput {
    pub fn stdout(&self) -> String {
        self.chunks
            .iter()
            .filter(|(e, _)| !e)
            .map(|(_, t)| t.as_str())
            .collect()
    }

    pub fn text(&self) -> String {
        self.chunks.iter().map(|(_, t)| t.as_str()).collect()
    }
}

/// Largest output one exec returns (the rest is cut with a note).
pub const MAX_OUTPUT: usize = 256 * 1024;

/// A container a command runs in: the pod, the container and its mounts.
#[derive(Clone, Debug)]
pub struct Target {
    pub pod: Arc<Pod>,
    pub container: Container,
    pub mounts: Vec<Mount>,
}

impl Target {
    pub fn find(c: &Cluster, ns: &str, pod: &str, container: &str) -> Result<Target, String> {
        let p = c
            .store
            .get_arc::<Pod>(ns, pod)
            .ok_or_else(|| format!("pods \"{pod}\" not found"))?;
        let ctr = p
            .spec
            .as_ref()
            .and_then(|s| s.containers.iter().find(|k| k.name == container))
            .cloned()
            .ok_or_else(|| format!("container not found (\"{container}\")"))?;
        let mounts = pod_fs::mounts(c, &p, &ctr);
        Ok(Target {
            pod: p,
            container: ctr,
            mounts,
        })
    }

    pub fn uid(&self) -> &str {
        self.pod.metadata.uid.as_deref().unwrap_or_default()
    }

    pub fn namespace(&self) -> &str {
        self.pod.metadata.namespace.as_deref().unwrap_or("default")
    }

    /// `hostname`: the pod's `spec.hostname`, else its name.
    pub fn hostname(&self) -> String {
        self.pod
            .spec
            .as_ref()
            .and_then(|s| s.hostname.clone())
            .or_else(|| self.pod.metadata.name.clone())
            .unwrap_or_default()
    }

    pub fn ip(&self) -> String {
        self.pod
            .status
            .as_ref()
            .and_then(|s| s.pod_ip.clone())
            .unwrap_or_default()
    }

    pub fn image(&self) -> &str {
        self.container.image.as_deref().unwrap_or_default()
    }

    /// `/etc/hosts`, `/etc/hostname` and `/etc/resolv.conf`, which the kubelet writes.
    fn managed_file(&self, path: &str) -> Option<String> {
        let host = self.hostname();
        match path {
            "/etc/hostname" => Some(format!("{host}\n")),
            "/etc/resolv.conf" => Some(format!(
                "search {}.svc.cluster.local svc.cluster.local cluster.local\nnameserver {}\noptions ndots:5\n",
                self.namespace(),
                crate::network::dns::DNS_SERVER_IP
            )),
            "/etc/hosts" => {
                let sub = self.pod.spec.as_ref().and_then(|s| s.subdomain.as_deref());
                let names = match sub {
                    Some(sub) => format!(
                        "{host}.{sub}.{}.svc.cluster.local\t{host}",
                        self.namespace()
                    ),
                    None => host,
                };
                Some(format!(
                    "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n{}\t{names}\n",
                    self.ip()
                ))
            }
            _ => None,
        }
    }
}

/// The directories (and files) of an image's own filesystem, before any write.
fn image_layer(image: &str) -> Tree {
    let mut t = Tree::default();
    for d in [
        "bin", "dev", "etc", "home", "proc", "root", "sys", "tmp", "usr", "usr/bin", "var",
    ] {
        let _ = t.mkdir(d, true);
    }
    match apps::family(image) {
        apps::Family::Nginx => {
            let _ = t.mkdir("usr/share/nginx/html", true);
            let _ = t.mkdir("etc/nginx/conf.d", true);
            let _ = t.write(
                "usr/share/nginx/html/index.html",
                apps::NGINX_WELCOME,
                false,
            );
        }
        apps::Family::Mongo => {
            let _ = t.mkdir("data/db", true);
            let _ = t.mkdir("data/configdb", true);
        }
        _ => {}
    }
    t
}

/// The cluster's files as one command sees them: reads fall through to the image layer;
/// writes go to the cluster's [`pod_fs::Filesystems`] (copied on write).
pub struct View<'a> {
    pub cluster: &'a mut Cluster,
    pub target: &'a Target,
}

impl View<'_> {
    fn tree_of(&self, b: &Backing) -> Option<Tree> {
        match self.cluster.fs.tree(b) {
            Some(t) => Some(t.clone()),
            None => match b {
                Backing::Container(..) => Some(image_layer(self.target.image())),
                Backing::PodVolume(_, v) if token::is_token_volume(&self.target.pod, v) => {
                    Some(token::tree(self.cluster, &self.target.pod))
                }
                _ => None,
            },
        }
    }

    fn with_tree<R>(&self, b: &Backing, f: impl FnOnce(&Tree) -> R) -> R {
        match self.cluster.fs.tree(b) {
            Some(t) => f(t),
            None => f(&self.tree_of(b).unwrap_or_default()),
        }
    }

    /// The kubelet's projected token volume is mounted read-only (admission's `readOnly: true`).
    fn writable(&self, path: &str) -> Result<(Backing, String), FsError> {
        let (b, rel) = self.backing(path).map_err(|_| FsError::NotFound)?;
        match &b {
            Backing::PodVolume(_, v) if token::is_token_volume(&self.target.pod, v) => {
                Err(FsError::ReadOnly)
            }
            _ => Ok((b, rel)),
        }
    }

    fn tree_mut(&mut self, b: &Backing) -> &mut Tree {
        if self.cluster.fs.tree(b).is_none() {
            if let Some(base) = self.tree_of(b) {
                *Arc::make_mut(&mut self.cluster.fs).tree_mut(b) = base;
            }
        }
        Arc::make_mut(&mut self.cluster.fs).tree_mut(b)
    }

    fn backing(&self, path: &str) -> Result<(Backing, String), String> {
        let (m, rel) = pod_fs::resolve(&self.target.mounts, path);
        m.backing.clone().map(|b| (b, rel))
    }

    /// Mount points directly under directory `path` (they show in `ls`).
    fn mount_children(&self, path: &str) -> Vec<String> {
        let dir = pod_fs::normalize(path);
        let prefix = if dir == "/" {
            "/".to_string()
        } else {
            format!("{dir}/")
        };
        self.target
            .mounts
            .iter()
            .filter_map(|m| m.path.strip_prefix(&prefix))
            .filter(|rest| !rest.is_empty())
            .map(|rest| rest.split('/').next().unwrap_or(rest).to_string())
            .collect()
    }

    pub fn read(&self, path: &str) -> Result<String, FsError> {
        if let Some(t) = self.target.managed_file(&pod_fs::normalize(path)) {
            return Ok(t);
        }
        let (b, rel) = self.backing(path).map_err(|_| FsError::NotFound)?;
        self.with_tree(&b, |t| match t.get(&rel) {
            Some(Entry::File(s)) => Ok(s.clone()),
            Some(Entry::Dir) => Err(FsError::IsADirectory),
            // a link `get` could not follow (a loop, or pointing nowhere)
            Some(Entry::Link(_)) => Err(FsError::NotFound),
            None if t.is_dir(&rel) || !self.mount_children(path).is_empty() => {
                Err(FsError::IsADirectory)
            }
            None => Err(FsError::NotFound),
        })
    }

    /// The target of the symbolic link at `path` (not followed), if it is one.
    pub fn link_target(&self, path: &str) -> Option<String> {
        let (b, rel) = self.backing(path).ok()?;
        self.with_tree(&b, |t| match t.entry(&rel) {
            Some(Entry::Link(target)) => Some(target.clone()),
            _ => None,
        })
    }

    pub fn is_dir(&self, path: &str) -> bool {
        let norm = pod_fs::normalize(path);
        if self.target.mounts.iter().any(|m| m.path == norm) || norm == "/" {
            return true;
        }
        match self.backing(path) {
            Ok((b, rel)) => self.with_tree(&b, |t| t.is_dir(&rel)),
            Err(_) => false,
        }
    }

    pub fn exists(&self, path: &str) -> bool {
        self.is_dir(path) || self.read(path).is_ok()
    }

    /// Names in a directory (mount points included), sorted.
    pub fn list(&self, path: &str) -> Result<Vec<String>, FsError> {
        if !self.is_dir(path) {
            return if self.read(path).is_ok() {
                Err(FsError::NotADirectory)
            } else {
                Err(FsError::NotFound)
            };
        }
        let (b, rel) = self.backing(path).map_err(|_| FsError::NotFound)?;
        let mut names = self.with_tree(&b, |t| t.children(&rel));
        names.extend(self.mount_children(path));
        if pod_fs::normalize(path) == "/etc" {
            names.extend(["hostname", "hosts", "resolv.conf"].map(String::from));
        }
        names.sort();
        names.dedup();
        Ok(names)
    }

    pub fn write(&mut self, path: &str, text: &str, append: bool) -> Result<(), FsError> {
        if self.is_dir(path) {
            return Err(FsError::IsADirectory);
        }
        let (b, rel) = self.writable(path)?;
        let parent = pod_fs::normalize(path);
        let parent = parent.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
        if !self.is_dir(if parent.is_empty() { "/" } else { parent }) {
            return Err(FsError::NotFound);
        }
        self.tree_mut(&b).write(&rel, text, append)
    }

    pub fn mkdir(&mut self, path: &str, parents: bool) -> Result<(), FsError> {
        if self.is_dir(path) {
            return if parents {
                Ok(())
            } else {
                Err(FsError::Exists)
            };
        }
        let (b, rel) = self.writable(path)?;
        self.tree_mut(&b).mkdir(&rel, parents)
    }

    pub fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        let norm = pod_fs::normalize(path);
        if self.target.mounts.iter().any(|m| m.path == norm) {
            return Err(FsError::Busy);
        }
        let (b, rel) = self.writable(path)?;
        if self.with_tree(&b, |t| t.entry(&rel).is_none()) {
            return Err(FsError::NotFound);
        }
        self.tree_mut(&b).remove(&rel, recursive)
    }
}

/// The container's environment, as `env` prints it: `PATH`, `HOSTNAME`, the container's own
/// `env` (values and the downward API's pod fields), the Service links of the namespace's
/// Services with a cluster IP (`<NAME>_SERVICE_HOST`…, as the kubelet adds them), the image's
/// variables, `HOME`.
pub fn environment(c: &Cluster, t: &Target) -> Vec<(String, String)> {
    let mut env = vec![
        (
            "PATH".to_string(),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
        ),
        ("HOSTNAME".to_string(), t.hostname()),
    ];
    for e in t.container.env.iter().flatten() {
        let v = match (&e.value, &e.value_from) {
            (Some(v), _) => v.clone(),
            (None, Some(from)) => match from.field_ref.as_ref().map(|f| f.field_path.as_str()) {
                Some("metadata.name") => t.pod.metadata.name.clone().unwrap_or_default(),
                Some("metadata.namespace") => t.namespace().to_string(),
                Some("status.podIP") => t.ip(),
                Some("spec.nodeName") => t
                    .pod
                    .spec
                    .as_ref()
                    .and_then(|s| s.node_name.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            },
            _ => String::new(),
        };
        env.push((e.name.clone(), v));
    }
    let mut links: BTreeMap<String, String> = BTreeMap::new();
    let mut add = |name: &str, ip: &str, ports: Vec<(i32, String)>| {
        let n = name.to_uppercase().replace('-', "_");
        links.insert(format!("{n}_SERVICE_HOST"), ip.to_string());
        if let Some((port, proto)) = ports.first() {
            links.insert(format!("{n}_SERVICE_PORT"), port.to_string());
            links.insert(
                format!("{n}_PORT"),
                format!("{}://{ip}:{port}", proto.to_lowercase()),
            );
        }
        for (port, proto) in ports {
            let p = format!("{n}_PORT_{port}_{}", proto.to_uppercase());
            links.insert(format!("{p}_PROTO"), proto.to_lowercase());
            links.insert(format!("{p}_PORT"), port.to_string());
            links.insert(format!("{p}_ADDR"), ip.to_string());
            links.insert(p, format!("{}://{ip}:{port}", proto.to_lowercase()));
        }
    };
    add("kubernetes", "10.96.0.1", vec![(443, "TCP".into())]);
    for svc in c.store.list_in::<Service>(t.namespace()) {
        let Some(spec) = &svc.spec else { continue };
        let ip = spec.cluster_ip.as_deref().unwrap_or("None");
        if ip == "None" || ip.is_empty() {
            continue;
        }
        let ports = spec
            .ports
            .iter()
            .flatten()
            .map(|p| (p.port, p.protocol.clone().unwrap_or_else(|| "TCP".into())))
            .collect();
        add(svc.metadata.name.as_deref().unwrap_or_default(), ip, ports);
    }
    env.extend(links);
    env.extend(apps::image_env(t.image()));
    env.push(("HOME".to_string(), "/root".to_string()));
    env
}

/// Runs `argv` in the container `container` of pod `ns/pod` (the cluster's `Exec` command).
pub(crate) fn exec(
    c: &mut Cluster,
    ns: &str,
    pod: &str,
    container: &str,
    argv: &[String],
) -> Result<ExecOutput, String> {
    let target = Target::find(c, ns, pod, container)?;
    if let Some(prog) = argv.first() {
        // Without a shell, the runtime itself reports a missing program.
        if !sh::PROGRAMS.contains(&prog.as_str()) || !apps::has_program(target.image(), prog) {
            return Err(format!("Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: \"{prog}\": executable file not found in $PATH: unknown"));
        }
    }
    let mut out = ExecOutput::default();
    let mut shell = sh::Shell::new(c, &target);
    out.exit_code = shell.run_argv(argv, &mut out);
    if out.bytes > MAX_OUTPUT {
        out.chunks.push((
            true,
            "(output cut: the playground keeps 256 KiB per command)\n".into(),
        ));
    }
    Ok(out)
}

/// `date`'s output at the cluster's instant (`Thu Jan  1 00:00:00 UTC 2026`).
pub fn date(c: &Cluster) -> String {
    k8s_openapi::jiff::fmt::strtime::format("%a %b %e %H:%M:%S UTC %Y", timestamp(c.now).0)
        .unwrap_or_default()
}
