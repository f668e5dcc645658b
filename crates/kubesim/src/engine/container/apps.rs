//! The application models of the images the playground knows: which programs an image ships,
//! nginx answering HTTP from its html root (and writing its access log), the cluster network
//! tools (`nslookup`, `dig`, `getent hosts`, `curl`, `wget`) and a tiny MongoDB replica set.

use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;

use super::sh::{err, say};
use super::{ExecOutput, Target, View};
use crate::engine::statefulset::{is_running_and_ready, ordinal_of};
use crate::engine::{timestamp, Cluster};
use crate::network::dns::{self, RecordType};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Nginx,
    Mongo,
    Busybox,
    Other,
}

/// `registry.k8s.io/nginx-slim:0.21` → Nginx, `mongo:3.4` → Mongo, `busybox:1.28` → Busybox.
pub fn family(image: &str) -> Family {
    let name = image.rsplit('/').next().unwrap_or(image);
    let name = name.split([':', '@']).next().unwrap_or(name);
    match name {
        n if n.starts_with("nginx") => Family::Nginx,
        "mongo" => Family::Mongo,
        "busybox" | "alpine" => Family::Busybox,
        _ => Family::Other,
    }
}

fn tag(image: &str) -> &str {
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split_once(':').map(|(_, t)| t).unwrap_or("latest")
}

/// Does the image ship `prog`? `mongo` (the legacy shell) exists up to MongoDB 5, `mongosh`
/// from 6 on; busybox has no `curl`; everything else is in every image of the playground.
pub fn has_program(image: &str, prog: &str) -> bool {
    match prog {
        "mongo" | "mongosh" => {
            if family(image) != Family::Mongo {
                return false;
            }
            let major: u32 = tag(image)
                .split('.')
                .next()
                .and_then(|m| m.parse().ok())
                .unwrap_or(99);
            (prog == "mongo") == (major < 6)
        }
        "curl" => family(image) != Family::Busybox,
        _ => true,
    }
}

/// Variables the image sets (`docker inspect`'s `Env`).
pub fn image_env(image: &str) -> Vec<(String, String)> {
    match family(image) {
        Family::Nginx if image.starts_with("nginx") => {
            vec![("NGINX_VERSION".into(), tag(image).into())]
        }
        Family::Mongo => vec![("MONGO_VERSION".into(), tag(image).into())],
        _ => Vec::new(),
    }
}

/// The welcome page of the official nginx image (`/usr/share/nginx/html/index.html`).
pub const NGINX_WELCOME: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

fn dns_of(c: &Cluster) -> (Vec<Service>, Vec<EndpointSlice>) {
    (
        c.store.list::<Service>().cloned().collect(),
        c.store
            .list::<crate::network::EndpointSliceRecord>()
            .map(|s| s.to_slice())
            .collect(),
    )
}

/// `nslookup`, `dig`, `getent hosts`, `curl`, `wget` from inside `t`.
pub fn network(
    c: &mut Cluster,
    t: &Target,
    prog: &str,
    args: &[String],
    out: &mut ExecOutput,
) -> i32 {
    let (services, slices) = dns_of(c);
    let d = dns::Dns::new(services.iter(), slices.iter());
    let ns = t.namespace().to_string();
    match prog {
        "nslookup" => {
            let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
                err(out, "Usage: nslookup [HOST] [SERVER]");
                return 1;
            };
            if family(t.image()) == Family::Busybox {
                // busybox's own nslookup (the tutorial's busybox:1.28)
                let server = dns::DNS_SERVER_IP;
                let head = format!("Server:    {server}\nAddress 1: {server} kube-dns.kube-system.svc.cluster.local\n\n");
                let l = d.lookup_from_pod(name, RecordType::A, &ns);
                let ips: Vec<String> = l
                    .answer
                    .answers
                    .iter()
                    .filter(|r| r.type_() == RecordType::A)
                    .map(|r| r.rdata_text())
                    .collect();
                say(out, &head);
                if ips.is_empty() {
                    err(out, &format!("nslookup: can't resolve '{name}'"));
                    return 1;
                }
                let mut s = format!("Name:      {name}\n");
                for (i, ip) in ips.iter().enumerate() {
                    s.push_str(&format!("Address {}: {ip}\n", i + 1));
                }
                say(out, &s);
                return 0;
            }
            let r = dns::nslookup(&d, name, None, &ns);
            say(out, &r.stdout);
            r.exit_code
        }
        "dig" => {
            let when = super::date(c);
            let ctx = dns::DigContext {
                when,
                ..Default::default()
            };
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            let r = dns::dig(&d, &a, &ns, &ctx);
            say(out, &r.stdout);
            r.exit_code
        }
        "getent" => {
            let (Some("hosts" | "ahosts"), Some(name)) =
                (args.first().map(String::as_str), args.get(1))
            else {
                err(out, "getent: the playground knows `getent hosts NAME`");
                return 1;
            };
            match resolve(&d, t, name, &ns) {
                Some((ip, fqdn)) => {
                    say(out, &format!("{ip:<15} {fqdn}\n"));
                    0
                }
                None => 2,
            }
        }
        _ => http(c, &d, t, prog, args, out),
    }
}

/// A host name as a program resolves it: `localhost`, the pod's own name, or the cluster DNS
/// with the pod's search path. (IP, canonical name).
fn resolve(d: &dns::Dns, t: &Target, host: &str, ns: &str) -> Option<(String, String)> {
    if host == "localhost" || host == "127.0.0.1" {
        return Some(("127.0.0.1".into(), "localhost".into()));
    }
    if host == t.hostname() {
        return Some((t.ip(), host.to_string()));
    }
    if dns::reverse_name(host).is_some() {
        return Some((host.to_string(), host.to_string()));
    }
    let l = d.lookup_from_pod(host, RecordType::A, ns);
    let rec = l
        .answer
        .answers
        .iter()
        .find(|r| r.type_() == RecordType::A)?;
    Some((rec.rdata_text(), rec.name.trim_end_matches('.').to_string()))
}

/// `curl URL` / `wget -qO- URL`: resolves the host, finds the pod behind the address, and asks
/// its application model.
fn http(
    c: &mut Cluster,
    d: &dns::Dns,
    t: &Target,
    prog: &str,
    args: &[String],
    out: &mut ExecOutput,
) -> i32 {
    let Some(url) = args.iter().find(|a| !a.starts_with('-') && *a != "-") else {
        err(out, &format!("{prog}: no URL specified"));
        return if prog == "curl" { 2 } else { 1 };
    };
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or(url);
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match hostport.split_once(':') {
        Some((h, p)) => (h, p.parse::<u16>().unwrap_or(0)),
        None => (hostport, 80),
    };
    let ns = t.namespace().to_string();
    let Some((ip, _)) = resolve(d, t, host, &ns) else {
        if prog == "curl" {
            err(out, &format!("curl: (6) Could not resolve host: {host}"));
            return 6;
        }
        err(out, &format!("wget: bad address '{host}'"));
        return 1;
    };
    // The pod behind the address (a Service's cluster IP goes to its first ready endpoint).
    let pod: Option<Pod> = if ip == "127.0.0.1" {
        Some((*t.pod).clone())
    } else {
        c.store
            .list::<Pod>()
            .find(|p| p.status.as_ref().and_then(|s| s.pod_ip.as_deref()) == Some(ip.as_str()))
            .cloned()
    };
    let server = pod.as_ref().and_then(|p| {
        let running = p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running")
            && p.metadata.deletion_timestamp.is_none();
        let ctr = p
            .spec
            .as_ref()?
            .containers
            .iter()
            .find(|k| family(k.image.as_deref().unwrap_or_default()) == Family::Nginx)?;
        (running && port == 80).then(|| (p.clone(), ctr.name.clone()))
    });
    let Some((pod, ctr)) = server else {
        if prog == "curl" {
            err(
                out,
                &format!("curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"),
            );
            return 7;
        }
        err(
            out,
            &format!("wget: can't connect to remote host ({ip}): Connection refused"),
        );
        return 1;
    };
    let server_target = match Target::find(
        c,
        pod.metadata.namespace.as_deref().unwrap_or("default"),
        pod.metadata.name.as_deref().unwrap_or_default(),
        &ctr,
    ) {
        Ok(s) => s,
        Err(e) => {
            err(out, &e);
            return 1;
        }
    };
    let file = if path.ends_with('/') {
        format!("/usr/share/nginx/html{path}index.html")
    } else {
        format!("/usr/share/nginx/html{path}")
    };
    let client_ip = if ip == "127.0.0.1" {
        "127.0.0.1".to_string()
    } else {
        t.ip()
    };
    let view = View {
        cluster: c,
        target: &server_target,
    };
    let (code, body) = match view.read(&file) {
        Ok(b) => (200, b),
        Err(crate::engine::pod_fs::FsError::NotFound) if path.ends_with('/') => {
            (403, nginx_error(403, "Forbidden", server_target.image()))
        }
        Err(_) => (404, nginx_error(404, "Not Found", server_target.image())),
    };
    let agent = if prog == "curl" {
        "curl/7.88.1"
    } else {
        "Wget"
    };
    let line = format!(
        "{client_ip} - - [{}] \"GET {path} HTTP/1.1\" {code} {} \"-\" \"{agent}\" \"-\"",
        k8s_openapi::jiff::fmt::strtime::format("%d/%b/%Y:%H:%M:%S +0000", timestamp(c.now).0)
            .unwrap_or_default(),
        body.len()
    );
    let now = c.now;
    std::sync::Arc::make_mut(&mut c.fs).append_log(server_target.uid(), &ctr, now, line);
    if prog == "wget" && code != 200 {
        err(
            out,
            &format!(
                "wget: server returned error: HTTP/1.1 {code} {}",
                if code == 403 {
                    "Forbidden"
                } else {
                    "Not Found"
                }
            ),
        );
        return 1;
    }
    say(out, &body);
    0
}

fn nginx_error(code: u16, text: &str, image: &str) -> String {
    let server = match tag(image) {
        t if t.starts_with("1.") => format!("nginx/{t}"),
        _ => "nginx".to_string(),
    };
    format!(
        "<html>\n<head><title>{code} {text}</title></head>\n<body>\n<center><h1>{code} {text}</h1></center>\n<hr><center>{server}</center>\n</body>\n</html>\n"
    )
}

// ---- logs -------------------------------------------------------------------------------

/// The log of a container, oldest first: (instant, line). Startup lines from the image's
/// model at the container's start time, then lines the application wrote (nginx's access
/// log). `None` when the container has not started.
pub fn container_log(c: &Cluster, pod: &Pod, container: &str) -> Option<Vec<(u64, String)>> {
    let status = pod
        .status
        .as_ref()?
        .container_statuses
        .iter()
        .flatten()
        .find(|s| s.name == container)?;
    let state = status.state.as_ref()?;
    let started = state
        .running
        .as_ref()
        .and_then(|r| r.started_at.as_ref())
        .or_else(|| {
            state
                .terminated
                .as_ref()
                .and_then(|t| t.started_at.as_ref())
        })?;
    let at = crate::engine::instant_of(started);
    let spec = pod
        .spec
        .as_ref()?
        .containers
        .iter()
        .find(|k| k.name == container)?;
    let image = spec.image.as_deref().unwrap_or_default();
    let host = pod
        .spec
        .as_ref()
        .and_then(|s| s.hostname.clone())
        .or_else(|| pod.metadata.name.clone())
        .unwrap_or_default();
    let mut lines: Vec<(u64, String)> = Vec::new();
    let ts = |ms: u64, fmt: &str| {
        k8s_openapi::jiff::fmt::strtime::format(fmt, timestamp(ms).0).unwrap_or_default()
    };
    match family(image) {
        Family::Nginx if image.starts_with("nginx") => {
            for l in [
                "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
                "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
                "/docker-entrypoint.sh: Configuration complete; ready for start up",
            ] {
                lines.push((at, l.to_string()));
            }
            let t = ts(at, "%Y/%m/%d %H:%M:%S");
            lines.push((
                at,
                format!("{t} [notice] 1#1: using the \"epoll\" event method"),
            ));
            lines.push((at, format!("{t} [notice] 1#1: {}", nginx_version(image))));
            lines.push((at, format!("{t} [notice] 1#1: start worker processes")));
        }
        Family::Mongo => {
            let t = ts(at, "%Y-%m-%dT%H:%M:%S%.3f+0000");
            for l in [
                format!("{t} I CONTROL  [initandlisten] MongoDB starting : pid=1 port=27017 dbpath=/data/db 64-bit host={host}"),
                format!("{t} I CONTROL  [initandlisten] db version v{}", tag(image)),
                format!("{t} I CONTROL  [initandlisten] options: {{ net: {{ bindIp: \"0.0.0.0\" }}, replication: {{ replSet: \"rs0\" }} }}"),
                format!("{t} I NETWORK  [thread1] waiting for connections on port 27017"),
            ] {
                lines.push((at, l));
            }
        }
        _ => {
            // A busybox-style command: what its `echo`s print.
            let words: Vec<String> = spec
                .command
                .iter()
                .flatten()
                .chain(spec.args.iter().flatten())
                .cloned()
                .collect();
            if !words.is_empty() {
                let mut scratch = c.clone();
                if let Ok(t) = Target::find(
                    &scratch,
                    pod.metadata.namespace.as_deref().unwrap_or("default"),
                    pod.metadata.name.as_deref().unwrap_or_default(),
                    container,
                ) {
                    let mut o = ExecOutput::default();
                    super::sh::Shell::new(&mut scratch, &t).run_argv(&words, &mut o);
                    for l in o.text().lines() {
                        lines.push((at, l.to_string()));
                    }
                }
            }
        }
    }
    // What the application wrote while this container instance ran (a restarted container
    // starts a new log; `--previous` reads the one before: `previous_container_log`).
    let finished = state
        .terminated
        .as_ref()
        .and_then(|t| t.finished_at.as_ref())
        .map_or(u64::MAX, crate::engine::instant_of);
    let uid = pod.metadata.uid.as_deref().unwrap_or_default();
    lines.extend(
        c.fs.log(uid, container)
            .iter()
            .filter(|(t, _)| (at..=finished).contains(t))
            .cloned(),
    );
    Some(lines)
}

/// `kubectl logs --previous`: the log of the container's previous instance (its
/// `lastState.terminated`), `None` when it never restarted.
pub fn previous_container_log(
    c: &Cluster,
    pod: &Pod,
    container: &str,
) -> Option<Vec<(u64, String)>> {
    let mut p = pod.clone();
    let cs = p
        .status
        .as_mut()?
        .container_statuses
        .iter_mut()
        .flatten()
        .find(|s| s.name == container)?;
    let last = cs.last_state.take().filter(|l| l.terminated.is_some())?;
    cs.state = Some(last);
    container_log(c, &p, container)
}

fn nginx_version(image: &str) -> String {
    match tag(image) {
        t if t.starts_with("1.") => format!("nginx/{t}"),
        _ => "nginx/1.27.3".to_string(),
    }
}

// ---- MongoDB ----------------------------------------------------------------------------

/// The replica set as the sidecar configures it: the Ready pods of the pod's StatefulSet in
/// ordinal order, by DNS name; the lowest Ready ordinal is PRIMARY.
fn members(c: &Cluster, t: &Target) -> Vec<(i64, String, String)> {
    let ns = t.namespace();
    let Some(set) = t
        .pod
        .metadata
        .owner_references
        .iter()
        .flatten()
        .find(|r| r.kind == "StatefulSet")
        .map(|r| r.name.clone())
    else {
        return vec![(0, format!("{}:27017", t.hostname()), t.uid().to_string())];
    };
    let sub = t
        .pod
        .spec
        .as_ref()
        .and_then(|s| s.subdomain.clone())
        .unwrap_or_default();
    let mut m: Vec<(i64, String, String)> = c
        .store
        .pods_with_parent(ns, &set)
        .into_iter()
        .filter(|p| is_running_and_ready(p))
        .filter_map(|p| {
            let name = p.metadata.name.clone()?;
            let ord = ordinal_of(&p).unwrap_or(0);
            Some((
                ord,
                format!("{name}.{sub}.{ns}.svc.cluster.local:27017"),
                p.metadata.uid.clone().unwrap_or_default(),
            ))
        })
        .collect();
    m.sort();
    m
}

/// `mongo --eval 'JS'` / `mongosh --eval 'JS'`.
pub fn mongo_shell(view: &mut View, prog: &str, args: &[String], out: &mut ExecOutput) -> i32 {
    let eval = args
        .iter()
        .position(|a| a == "--eval")
        .and_then(|i| args.get(i + 1))
        .cloned()
        .or_else(|| {
            args.iter()
                .find_map(|a| a.strip_prefix("--eval=").map(String::from))
        });
    let Some(js) = eval else {
        err(out, &format!("{prog}: the playground runs `{prog} --eval 'JS'` (rs.status(), db.COLLECTION.insert({{…}}), db.COLLECTION.find())"));
        return 1;
    };
    let quiet = args.iter().any(|a| a == "--quiet");
    let t = view.target;
    let now = view.cluster.now;
    let version = tag(t.image()).to_string();
    if !quiet && prog == "mongo" {
        say(
            out,
            &format!("MongoDB shell version v{version}\nconnecting to: mongodb://127.0.0.1:27017\nMongoDB server version: {version}\n"),
        );
    }
    let members = members(view.cluster, t);
    let me = t.uid().to_string();
    let primary = members.first().map(|m| m.2.clone());
    let i_am_primary = primary.as_deref() == Some(me.as_str());
    let mut status = 0;
    for stmt in js.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        if stmt == "rs.status()" || stmt == "printjson(rs.status())" {
            if !members.iter().any(|m| m.2 == me) {
                say(out, "{\n\t\"ok\" : 0,\n\t\"errmsg\" : \"no replset config has been received\",\n\t\"code\" : 94,\n\t\"codeName\" : \"NotYetInitialized\"\n}\n");
                status = 0;
                continue;
            }
            let date =
                k8s_openapi::jiff::fmt::strtime::format("%Y-%m-%dT%H:%M:%S%.3fZ", timestamp(now).0)
                    .unwrap_or_default();
            let mut s = format!(
                "{{\n\t\"set\" : \"rs0\",\n\t\"date\" : ISODate(\"{date}\"),\n\t\"myState\" : {},\n\t\"members\" : [\n",
                if i_am_primary { 1 } else { 2 }
            );
            for (i, (_, name, uid)) in members.iter().enumerate() {
                let primary = i == 0;
                s.push_str(&format!(
                    "\t\t{{\n\t\t\t\"_id\" : {i},\n\t\t\t\"name\" : \"{name}\",\n\t\t\t\"health\" : 1,\n\t\t\t\"state\" : {},\n\t\t\t\"stateStr\" : \"{}\"{}\n\t\t}}{}\n",
                    if primary { 1 } else { 2 },
                    if primary { "PRIMARY" } else { "SECONDARY" },
                    if *uid == me { ",\n\t\t\t\"self\" : true" } else { "" },
                    if i + 1 < members.len() { "," } else { "" }
                ));
            }
            s.push_str("\t],\n\t\"ok\" : 1\n}\n");
            say(out, &s);
            continue;
        }
        let Some(rest) = stmt.strip_prefix("db.") else {
            err(out, &unsupported(stmt));
            status = 1;
            break;
        };
        let Some((coll, call)) = rest.split_once('.') else {
            err(out, &unsupported(stmt));
            status = 1;
            break;
        };
        let valid_coll = !coll.is_empty()
            && coll
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-');
        let file = format!("/data/db/{coll}.json");
        if valid_coll
            && (call.starts_with("insert(") || call.starts_with("insertOne("))
            && call.ends_with(')')
        {
            let arg = &call[call.find('(').unwrap_or(0) + 1..call.len() - 1];
            let Some(doc) = parse_doc(arg) else {
                err(out, &format!("{} E QUERY    [thread1] SyntaxError: the playground's shell reads a document like {{name: \"x\", n: 1}}", "uncaught"));
                status = 1;
                break;
            };
            if !i_am_primary {
                say(out, "WriteResult({\n\t\"nInserted\" : 0,\n\t\"writeError\" : {\n\t\t\"code\" : 10107,\n\t\t\"errmsg\" : \"not master\"\n\t}\n})\n");
                status = 1;
                continue;
            }
            // The primary applies it; the secondaries replicate it into their own volumes.
            let ns = t.namespace().to_string();
            let existing = view.read(&file).unwrap_or_default();
            let n = existing.lines().count();
            // ObjectId: seconds since the Unix epoch, then a counter (deterministic).
            let unix = 1_767_225_600 + now / 1000;
            let id = format!("{unix:08x}{:016x}", n as u64 + 1);
            let body = doc.trim();
            let inner = body[1..body.len() - 1].trim();
            let line = if inner.is_empty() {
                format!("{{\"_id\":{{\"$oid\":\"{id}\"}}}}\n")
            } else {
                format!("{{\"_id\":{{\"$oid\":\"{id}\"}},{inner}}}\n")
            };
            let peers: Vec<String> = members.iter().map(|m| m.2.clone()).collect();
            let mut failed = None;
            for uid in peers {
                let Some(r) = view.cluster.store.object_by_uid(&uid).cloned() else {
                    continue;
                };
                let Ok(peer) = Target::find(view.cluster, &ns, &r.name, &t.container.name) else {
                    continue;
                };
                let mut pv = View {
                    cluster: view.cluster,
                    target: &peer,
                };
                if let Err(e) = pv.write(&file, &line, true) {
                    failed = Some(e);
                }
            }
            if let Some(e) = failed {
                err(out, &format!("WriteResult: {}", e.message()));
                status = 1;
                break;
            }
            say(out, "WriteResult({ \"nInserted\" : 1 })\n");
        } else if valid_coll && (call == "find()" || call == "find().pretty()" || call == "count()")
        {
            if !i_am_primary {
                say(out, "Error: error: {\n\t\"ok\" : 0,\n\t\"errmsg\" : \"not master and slaveOk=false\",\n\t\"code\" : 13435,\n\t\"codeName\" : \"NotMasterNoSlaveOk\"\n}\n");
                status = 1;
                continue;
            }
            let text = view.read(&file).unwrap_or_default();
            if call == "count()" {
                say(out, &format!("{}\n", text.lines().count()));
                continue;
            }
            for l in text.lines() {
                say(out, &format!("{}\n", shell_json(l)));
            }
        } else {
            err(out, &unsupported(stmt));
            status = 1;
            break;
        }
    }
    status
}

fn unsupported(stmt: &str) -> String {
    format!("E QUERY    [thread1] Error: `{stmt}` is not simulated: the playground's mongo shell knows rs.status(), db.COLLECTION.insert({{…}}), db.COLLECTION.find() and db.COLLECTION.count()")
}

/// A stored document as the mongo shell prints it: `{ "_id" : ObjectId("…"), "k" : v }`
/// (fields in insertion order: the stored JSON text is rewritten, not re-serialized).
fn shell_json(line: &str) -> String {
    let mut out = outside_strings(line, |c, out| match c {
        ':' => out.push_str(" : "),
        ',' => out.push_str(", "),
        '{' => out.push_str("{ "),
        '}' => out.push_str(" }"),
        '[' => out.push_str("[ "),
        ']' => out.push_str(" ]"),
        c => out.push(c),
    });
    // {"$oid" : "…"} → ObjectId("…")
    while let Some(i) = out.find("{ \"$oid\" : \"") {
        let start = i + "{ \"$oid\" : \"".len();
        let Some(len) = out[start..].find('"') else {
            break;
        };
        let id = out[start..start + len].to_string();
        let end = start + len + "\" }".len();
        out.replace_range(i..end.min(out.len()), &format!("ObjectId(\"{id}\")"));
    }
    out
}

/// A mongo-shell document literal (`{name: 'x', n: 1}`: unquoted keys, single quotes) as JSON.
fn parse_doc(s: &str) -> Option<String> {
    let mut json = String::new();
    let chars: Vec<char> = s.trim().chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' | '"' => {
                let end = chars[i + 1..].iter().position(|&x| x == c)?;
                let inner: String = chars[i + 1..i + 1 + end].iter().collect();
                json.push_str(&serde_json::Value::String(inner).to_string());
                i += end + 2;
            }
            c if c.is_ascii_alphabetic() || c == '_' || c == '$' => {
                let n = chars[i..]
                    .iter()
                    .take_while(|x| x.is_ascii_alphanumeric() || **x == '_' || **x == '$')
                    .count();
                let word: String = chars[i..i + n].iter().collect();
                if matches!(word.as_str(), "true" | "false" | "null") {
                    json.push_str(&word);
                } else {
                    json.push_str(&format!("\"{word}\""));
                }
                i += n;
            }
            c => {
                json.push(c);
                i += 1;
            }
        }
    }
    let v: serde_json::Value = serde_json::from_str(&json).ok()?;
    let obj = v.as_object()?;
    // `_id` is the server's; compact JSON (no spaces) for the stored line
    if obj.contains_key("_id") || json.contains('\n') {
        return None;
    }
    Some(compact(&json))
}

/// JSON text without whitespace outside strings, field order kept.
fn compact(json: &str) -> String {
    outside_strings(json, |c, out| {
        if !c.is_whitespace() {
            out.push(c);
        }
    })
}

/// Copies JSON text, its strings (quotes and escapes included) as they are and every other
/// character through `other`.
fn outside_strings(json: &str, mut other: impl FnMut(char, &mut String)) -> String {
    let mut out = String::new();
    let mut in_str = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_str {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
        } else if c == '"' {
            in_str = true;
            out.push(c);
        } else {
            other(c, &mut out);
        }
    }
    out
}
