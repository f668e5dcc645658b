//! `kubectl describe` for StatefulSet, Pod, PersistentVolumeClaim, PersistentVolume and
//! Service, ported from `k8s.io/kubectl/pkg/describe/describe.go` (v0.35, i.e. kubectl v1.35).
//!
//! One deliberate addition: `describe statefulset` also prints `Service Name`, `Pod Management
//! Policy` and `Persistent Volume Claim Retention Policy` as upstream kubectl does since
//! kubernetes/kubernetes a8ebac6 (2026, after v1.35); the project's reference lists them.
//!
//! Like upstream, text is written with tab-separated cells through one Go tabwriter
//! (`minwidth 0, padding 2`), so consecutive lines that share a column align together.
//! Timestamps are RFC1123Z in UTC. Events are `core/v1` Events that the caller has already
//! selected for the object (kubectl lists them with a field selector on involvedObject);
//! `None` means `--show-events=false` (no Events section at all), an empty slice prints
//! `Events:  <none>`.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStatus, EnvVar, Event, PersistentVolume,
    PersistentVolumeClaim, Pod, PodTemplateSpec, Probe, ResourceRequirements, Service, Toleration,
    Volume,
};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::printers::{controller_of, pv_class, pvc_class};
use super::tabwriter::TabWriter;
use super::{age, micro_age, rfc1123z, s, Timestamp};
use crate::manifest::access_modes;

const LEVEL_0: usize = 0;
const LEVEL_1: usize = 1;
const LEVEL_2: usize = 2;
const LEVEL_3: usize = 3;

enum Sink {
    Tab(TabWriter),
    Raw(String),
}

/// describe.go's `PrefixWriter`: indentation of two spaces per level.
struct PrefixWriter {
    sink: Sink,
}

impl PrefixWriter {
    /// Output through a tabwriter, as `tabbedString` does.
    fn tabbed() -> Self {
        PrefixWriter {
            sink: Sink::Tab(TabWriter::kubectl_describe()),
        }
    }

    /// Raw output (tabs kept), as `rollout history --revision` prints a pod template.
    fn raw() -> Self {
        PrefixWriter {
            sink: Sink::Raw(String::new()),
        }
    }

    fn push(&mut self, text: &str) {
        match &mut self.sink {
            Sink::Tab(t) => t.write(text),
            Sink::Raw(r) => r.push_str(text),
        }
    }

    fn write(&mut self, level: usize, text: &str) {
        let prefix = "  ".repeat(level);
        self.push(&prefix);
        self.push(text);
    }

    /// `WriteLine`: the text and a newline, no indentation.
    fn line(&mut self, text: &str) {
        self.push(text);
        self.push("\n");
    }

    fn flush(&mut self) {
        if let Sink::Tab(t) = &mut self.sink {
            t.flush();
        }
    }

    fn finish(self) -> String {
        match self.sink {
            Sink::Tab(t) => t.finish(),
            Sink::Raw(r) => r,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// shared helpers

fn go_bool(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// describe.go's `printBool`.
fn print_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// Go's `%v` of a `[]string`: `[a b]`.
fn go_slice(v: Option<&Vec<String>>) -> String {
    format!("[{}]", v.map(|v| v.join(" ")).unwrap_or_default())
}

fn time_rfc(t: Option<&Time>) -> String {
    rfc1123z(t.map(|t| &t.0))
}

fn quantity_str(q: Option<&Quantity>) -> String {
    q.map(|q| q.0.clone())
        .filter(|q| !q.is_empty())
        .unwrap_or_else(|| "0".to_string())
}

fn int_or_string(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// `printLabelsMultilineWithIndent`.
fn print_labels_multiline_with_indent(
    w: &mut PrefixWriter,
    initial_indent: &str,
    title: &str,
    inner_indent: &str,
    labels: Option<&BTreeMap<String, String>>,
) {
    w.write(LEVEL_0, &format!("{initial_indent}{title}:{inner_indent}"));
    let labels = match labels {
        Some(l) if !l.is_empty() => l,
        _ => {
            w.line("<none>");
            return;
        }
    };
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, initial_indent);
            w.write(LEVEL_0, inner_indent);
        }
        w.write(LEVEL_0, &format!("{k}={v}\n"));
    }
}

fn print_labels_multiline(
    w: &mut PrefixWriter,
    title: &str,
    labels: Option<&BTreeMap<String, String>>,
) {
    print_labels_multiline_with_indent(w, "", title, "\t", labels);
}

const MAX_ANNOTATION_LEN: usize = 140;
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

fn shorten(s: &str, max: usize) -> String {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &s[..end])
    } else {
        s.to_string()
    }
}

/// `printAnnotationsMultiline`: sorted, last-applied-configuration skipped, long or multi-line
/// values on their own indented lines.
fn print_annotations_multiline(
    w: &mut PrefixWriter,
    title: &str,
    annotations: Option<&BTreeMap<String, String>>,
) {
    w.write(LEVEL_0, &format!("{title}:\t"));
    let keys: Vec<(&String, &String)> = annotations
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.as_str() != LAST_APPLIED)
        .collect();
    if keys.is_empty() {
        w.line("<none>");
        return;
    }
    let indent = "\t";
    for (i, (key, value)) in keys.into_iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, indent);
        }
        let value = value.strip_suffix('\n').unwrap_or(value);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.write(LEVEL_0, &format!("{key}:\n"));
            for line in value.split('\n') {
                w.write(
                    LEVEL_0,
                    &format!("{indent}  {}\n", shorten(line, MAX_ANNOTATION_LEN - 2)),
                );
            }
        } else {
            w.write(LEVEL_0, &format!("{key}: {value}\n"));
        }
    }
}

/// `printTolerationsMultilineWithIndent`.
fn print_tolerations(
    w: &mut PrefixWriter,
    initial_indent: &str,
    title: &str,
    tolerations: &[Toleration],
) {
    let inner_indent = "\t";
    w.write(LEVEL_0, &format!("{initial_indent}{title}:{inner_indent}"));
    if tolerations.is_empty() {
        w.line("<none>");
        return;
    }
    let mut sorted: Vec<&Toleration> = tolerations.iter().collect();
    crate::sort::sort_by(&mut sorted, |a, b| s(a.key.as_ref()).cmp(s(b.key.as_ref())));
    for (i, t) in sorted.into_iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, initial_indent);
            w.write(LEVEL_0, inner_indent);
        }
        let key = s(t.key.as_ref());
        let value = s(t.value.as_ref());
        let effect = s(t.effect.as_ref());
        w.write(LEVEL_0, key);
        if !value.is_empty() {
            w.write(LEVEL_0, &format!("={value}"));
        }
        if !effect.is_empty() {
            w.write(LEVEL_0, &format!(":{effect}"));
        }
        if t.operator.as_deref() == Some("Exists") && value.is_empty() {
            if !key.is_empty() || !effect.is_empty() {
                w.write(LEVEL_0, " op=Exists");
            } else {
                w.write(LEVEL_0, "op=Exists");
            }
        }
        if let Some(secs) = t.toleration_seconds {
            w.write(LEVEL_0, &format!(" for {secs}s"));
        }
        w.write(LEVEL_0, "\n");
    }
}

/// `labels.Selector.String()` of a `LabelSelector` (`LabelSelectorAsSelector`): requirements
/// sorted by key; `k=v`, `k in (a,b)`, `k notin (a)`, `k`, `!k`. Empty for an empty selector.
pub fn selector_string(selector: Option<&LabelSelector>) -> String {
    let Some(sel) = selector else {
        return String::new();
    };
    let mut reqs: Vec<(String, String)> = Vec::new();
    for (k, v) in sel.match_labels.iter().flatten() {
        reqs.push((k.clone(), format!("{k}={v}")));
    }
    for e in sel.match_expressions.iter().flatten() {
        let mut values = e.values.clone().unwrap_or_default();
        values.sort();
        values.dedup();
        let text = match e.operator.as_str() {
            "In" => format!("{} in ({})", e.key, values.join(",")),
            "NotIn" => format!("{} notin ({})", e.key, values.join(",")),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            other => format!("{} {} ({})", e.key, other.to_lowercase(), values.join(",")),
        };
        reqs.push((e.key.clone(), text));
    }
    crate::sort::sort_by(&mut reqs, |a, b| a.0.cmp(&b.0));
    reqs.into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(",")
}

// ---------------------------------------------------------------------------------------------
// events

/// `DescribeEvents`: sorted by lastTimestamp (stable), Age `<last> (xN over <first>)` for
/// repeated events, From the source component (or reportingController).
fn describe_events(events: &[Event], w: &mut PrefixWriter, now: Timestamp) {
    if events.is_empty() {
        w.write(LEVEL_0, "Events:\t<none>\n");
        return;
    }
    w.flush();
    let mut sorted: Vec<&Event> = events.iter().collect();
    crate::sort::sort_by(&mut sorted, |a, b| {
        let ka = a.last_timestamp.as_ref().map(|t| t.0);
        let kb = b.last_timestamp.as_ref().map(|t| t.0);
        ka.cmp(&kb)
    });
    w.write(LEVEL_0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(LEVEL_1, "----\t------\t----\t----\t-------\n");
    for e in sorted {
        let first = match &e.event_time {
            Some(t) => micro_age(Some(t), now),
            None => age(e.first_timestamp.as_ref(), now),
        };
        let count = e.count.unwrap_or(0);
        let interval = if let Some(series) = &e.series {
            format!(
                "{} (x{} over {first})",
                micro_age(series.last_observed_time.as_ref(), now),
                series.count.unwrap_or(0)
            )
        } else if count > 1 {
            format!(
                "{} (x{count} over {first})",
                age(e.last_timestamp.as_ref(), now)
            )
        } else {
            first
        };
        let source = e
            .source
            .as_ref()
            .and_then(|s| s.component.clone())
            .filter(|c| !c.is_empty())
            .or_else(|| e.reporting_component.clone())
            .unwrap_or_default();
        let mut message = s(e.message.as_ref()).trim().to_string();
        if let Some(fp) = e
            .involved_object
            .field_path
            .as_deref()
            .filter(|f| !f.is_empty())
        {
            message = format!("{fp}: {message}");
        }
        w.write(
            LEVEL_1,
            &format!(
                "{}\t{}\t{interval}\t{source}\t{message}\n",
                s(e.type_.as_ref()),
                s(e.reason.as_ref())
            ),
        );
    }
}

fn maybe_events(events: Option<&[Event]>, w: &mut PrefixWriter, now: Timestamp) {
    if let Some(events) = events {
        describe_events(events, w, now);
    }
}

// ---------------------------------------------------------------------------------------------
// containers and volumes

fn describe_probe(p: &Probe) -> String {
    // Unset fields print the API defaults (the API server always fills them).
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    );
    if let Some(exec) = &p.exec {
        return format!("exec {} {attrs}", go_slice(exec.command.as_ref()));
    }
    if let Some(h) = &p.http_get {
        let scheme = h.scheme.as_deref().unwrap_or("HTTP").to_lowercase();
        let port = int_or_string(&h.port);
        let host = s(h.host.as_ref());
        let host = if port.is_empty() {
            host.to_string()
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        return format!("http-get {scheme}://{host}{} {attrs}", s(h.path.as_ref()));
    }
    if let Some(t) = &p.tcp_socket {
        return format!(
            "tcp-socket {}:{} {attrs}",
            s(t.host.as_ref()),
            int_or_string(&t.port)
        );
    }
    if let Some(g) = &p.grpc {
        return format!("grpc <pod>:{} {} {attrs}", g.port, s(g.service.as_ref()));
    }
    format!("unknown {attrs}")
}

fn describe_status(w: &mut PrefixWriter, state_name: &str, state: Option<&ContainerState>) {
    let state = state.cloned().unwrap_or_default();
    if let Some(r) = &state.running {
        w.write(LEVEL_2, &format!("{state_name}:\tRunning\n"));
        w.write(
            LEVEL_3,
            &format!("Started:\t{}\n", time_rfc(r.started_at.as_ref())),
        );
    } else if let Some(wt) = &state.waiting {
        w.write(LEVEL_2, &format!("{state_name}:\tWaiting\n"));
        if let Some(r) = wt.reason.as_deref().filter(|r| !r.is_empty()) {
            w.write(LEVEL_3, &format!("Reason:\t{r}\n"));
        }
    } else if let Some(t) = &state.terminated {
        w.write(LEVEL_2, &format!("{state_name}:\tTerminated\n"));
        if let Some(r) = t.reason.as_deref().filter(|r| !r.is_empty()) {
            w.write(LEVEL_3, &format!("Reason:\t{r}\n"));
        }
        if let Some(m) = t.message.as_deref().filter(|m| !m.is_empty()) {
            w.write(LEVEL_3, &format!("Message:\t{m}\n"));
        }
        w.write(LEVEL_3, &format!("Exit Code:\t{}\n", t.exit_code));
        if let Some(sig) = t.signal.filter(|s| *s > 0) {
            w.write(LEVEL_3, &format!("Signal:\t{sig}\n"));
        }
        w.write(
            LEVEL_3,
            &format!("Started:\t{}\n", time_rfc(t.started_at.as_ref())),
        );
        w.write(
            LEVEL_3,
            &format!("Finished:\t{}\n", time_rfc(t.finished_at.as_ref())),
        );
    } else {
        w.write(LEVEL_2, &format!("{state_name}:\tWaiting\n"));
    }
}

fn describe_resources(w: &mut PrefixWriter, r: Option<&ResourceRequirements>, level: usize) {
    let Some(r) = r else { return };
    if let Some(l) = r.limits.as_ref().filter(|l| !l.is_empty()) {
        w.write(level, "Limits:\n");
        for (name, q) in l {
            w.write(level + 1, &format!("{name}:\t{}\n", q.0));
        }
    }
    if let Some(l) = r.requests.as_ref().filter(|l| !l.is_empty()) {
        w.write(level, "Requests:\n");
        for (name, q) in l {
            w.write(level + 1, &format!("{name}:\t{}\n", q.0));
        }
    }
}

/// The value a `fieldRef` env var resolves to for the fields a StatefulSet pod commonly uses.
fn resolve_field_ref(pod: &Pod, path: &str) -> String {
    let m = &pod.metadata;
    match path {
        "metadata.name" => m.name.clone().unwrap_or_default(),
        "metadata.namespace" => m.namespace.clone().unwrap_or_default(),
        "metadata.uid" => m.uid.clone().unwrap_or_default(),
        "spec.nodeName" => pod
            .spec
            .as_ref()
            .and_then(|s| s.node_name.clone())
            .unwrap_or_default(),
        "spec.serviceAccountName" => pod
            .spec
            .as_ref()
            .and_then(|s| s.service_account_name.clone())
            .unwrap_or_default(),
        "status.podIP" => pod
            .status
            .as_ref()
            .and_then(|s| s.pod_ip.clone())
            .unwrap_or_default(),
        "status.hostIP" => pod
            .status
            .as_ref()
            .and_then(|s| s.host_ip.clone())
            .unwrap_or_default(),
        _ => {
            let label = |prefix: &str, map: Option<&BTreeMap<String, String>>| {
                path.strip_prefix(prefix)
                    .and_then(|k| k.strip_suffix("']"))
                    .and_then(|k| map.and_then(|m| m.get(k)).cloned())
            };
            label("metadata.labels['", m.labels.as_ref())
                .or_else(|| label("metadata.annotations['", m.annotations.as_ref()))
                .unwrap_or_default()
        }
    }
}

fn describe_env(w: &mut PrefixWriter, c: &Container, pod: Option<&Pod>) {
    let env: &[EnvVar] = c.env.as_deref().unwrap_or(&[]);
    if let Some(from) = c.env_from.as_ref().filter(|f| !f.is_empty()) {
        w.write(LEVEL_2, "Environment Variables from:\n");
        for e in from {
            let prefix = s(e.prefix.as_ref());
            let (name, kind, optional) = if let Some(cm) = &e.config_map_ref {
                (cm.name.clone(), "ConfigMap", cm.optional.unwrap_or(false))
            } else if let Some(sec) = &e.secret_ref {
                (sec.name.clone(), "Secret", sec.optional.unwrap_or(false))
            } else {
                continue;
            };
            if prefix.is_empty() {
                w.write(
                    LEVEL_3,
                    &format!("{name}\t{kind}\tOptional: {}\n", go_bool(optional)),
                );
            } else {
                w.write(
                    LEVEL_3,
                    &format!(
                        "{name}\t{kind} with prefix '{prefix}'\tOptional: {}\n",
                        go_bool(optional)
                    ),
                );
            }
        }
    }
    let none = if env.is_empty() { "\t<none>" } else { "" };
    w.write(LEVEL_2, &format!("Environment:{none}\n"));
    for e in env {
        match &e.value_from {
            None => {
                for (i, line) in s(e.value.as_ref()).split('\n').enumerate() {
                    if i == 0 {
                        w.write(LEVEL_3, &format!("{}:\t{line}\n", e.name));
                    } else {
                        w.write(LEVEL_3, &format!("\t{line}\n"));
                    }
                }
            }
            Some(from) => {
                if let Some(f) = &from.field_ref {
                    let value = pod
                        .map(|p| resolve_field_ref(p, &f.field_path))
                        .unwrap_or_default();
                    let api_version = f.api_version.as_deref().unwrap_or("v1");
                    w.write(
                        LEVEL_3,
                        &format!("{}:\t{value} ({api_version}:{})\n", e.name, f.field_path),
                    );
                } else if let Some(r) = &from.resource_field_ref {
                    w.write(LEVEL_3, &format!("{}:\t ({})\n", e.name, r.resource));
                } else if let Some(k) = &from.secret_key_ref {
                    w.write(
                        LEVEL_3,
                        &format!(
                            "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                            e.name,
                            k.key,
                            k.name,
                            go_bool(k.optional.unwrap_or(false))
                        ),
                    );
                } else if let Some(k) = &from.config_map_key_ref {
                    w.write(
                        LEVEL_3,
                        &format!(
                            "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                            e.name,
                            k.key,
                            k.name,
                            go_bool(k.optional.unwrap_or(false))
                        ),
                    );
                }
            }
        }
    }
}

fn ports_string(c: &Container, host: bool) -> String {
    c.ports
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .map(|p| {
            let n = if host {
                p.host_port.unwrap_or(0)
            } else {
                p.container_port
            };
            let proto = p.protocol.as_deref().unwrap_or("TCP");
            match p.name.as_deref().filter(|n| !n.is_empty()) {
                Some(name) => format!("{n}/{proto} ({name})"),
                None => format!("{n}/{proto}"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe_containers(
    w: &mut PrefixWriter,
    label: &str,
    containers: &[Container],
    statuses: Option<&[ContainerStatus]>,
    pod: Option<&Pod>,
    space: &str,
) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.write(LEVEL_0, &format!("{space}{label}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in containers {
        let status = statuses.and_then(|st| st.iter().find(|s| s.name == c.name));
        w.write(LEVEL_1, &format!("{name_indent}{}:\n", c.name));
        if let Some(st) = status {
            w.write(
                LEVEL_2,
                &format!("Container ID:\t{}\n", s(st.container_id.as_ref())),
            );
        }
        w.write(LEVEL_2, &format!("Image:\t{}\n", s(c.image.as_ref())));
        if let Some(st) = status {
            w.write(LEVEL_2, &format!("Image ID:\t{}\n", st.image_id));
        }
        let ports = ports_string(c, false);
        if ports.contains(',') {
            w.write(LEVEL_2, &format!("Ports:\t{ports}\n"));
        } else {
            w.write(LEVEL_2, &format!("Port:\t{}\n", or_none(&ports)));
        }
        let host_ports = ports_string(c, true);
        if host_ports.contains(',') {
            w.write(LEVEL_2, &format!("Host Ports:\t{host_ports}\n"));
        } else {
            w.write(LEVEL_2, &format!("Host Port:\t{}\n", or_none(&host_ports)));
        }
        let profile = c.security_context.as_ref();
        describe_seccomp(
            w,
            profile.and_then(|sc| sc.seccomp_profile.as_ref()),
            LEVEL_2,
            LEVEL_3,
        );
        if let Some(cmd) = c.command.as_ref().filter(|c| !c.is_empty()) {
            w.write(LEVEL_2, "Command:\n");
            for line in cmd.iter().flat_map(|c| c.split('\n')) {
                w.write(LEVEL_3, &format!("{line}\n"));
            }
        }
        if let Some(args) = c.args.as_ref().filter(|a| !a.is_empty()) {
            w.write(LEVEL_2, "Args:\n");
            for line in args.iter().flat_map(|c| c.split('\n')) {
                w.write(LEVEL_3, &format!("{line}\n"));
            }
        }
        if let Some(st) = status {
            describe_status(w, "State", st.state.as_ref());
            if let Some(last) = st.last_state.as_ref().filter(|l| l.terminated.is_some()) {
                describe_status(w, "Last State", Some(last));
            }
            w.write(LEVEL_2, &format!("Ready:\t{}\n", print_bool(st.ready)));
            w.write(LEVEL_2, &format!("Restart Count:\t{}\n", st.restart_count));
        }
        describe_resources(w, c.resources.as_ref(), LEVEL_2);
        if let Some(p) = &c.liveness_probe {
            w.write(LEVEL_2, &format!("Liveness:\t{}\n", describe_probe(p)));
        }
        if let Some(p) = &c.readiness_probe {
            w.write(LEVEL_2, &format!("Readiness:\t{}\n", describe_probe(p)));
        }
        if let Some(p) = &c.startup_probe {
            w.write(LEVEL_2, &format!("Startup:\t{}\n", describe_probe(p)));
        }
        describe_env(w, c, pod);
        let mut mounts: Vec<_> = c.volume_mounts.clone().unwrap_or_default();
        let none = if mounts.is_empty() { "\t<none>" } else { "" };
        w.write(LEVEL_2, &format!("Mounts:{none}\n"));
        crate::sort::sort_by(&mut mounts, |a, b| a.mount_path.cmp(&b.mount_path));
        for m in &mounts {
            let mut flags = vec![if m.read_only.unwrap_or(false) {
                "ro"
            } else {
                "rw"
            }
            .to_string()];
            if let Some(sp) = m.sub_path.as_deref().filter(|p| !p.is_empty()) {
                flags.push(format!("path={sp:?}"));
            }
            w.write(
                LEVEL_3,
                &format!("{} from {} ({})\n", m.mount_path, m.name, flags.join(",")),
            );
        }
        if let Some(devices) = c.volume_devices.as_ref().filter(|d| !d.is_empty()) {
            w.write(LEVEL_2, &format!("Devices:{none}\n"));
            let mut devices = devices.clone();
            crate::sort::sort_by(&mut devices, |a, b| a.device_path.cmp(&b.device_path));
            for d in devices {
                w.write(LEVEL_3, &format!("{} from {}\n", d.device_path, d.name));
            }
        }
    }
}

/// The `SeccompProfile` (and `LocalhostProfile`) lines of a pod or a container.
fn describe_seccomp(
    w: &mut PrefixWriter,
    profile: Option<&k8s_openapi::api::core::v1::SeccompProfile>,
    level: usize,
    localhost_level: usize,
) {
    let Some(sp) = profile else { return };
    w.write(level, &format!("SeccompProfile:\t{}\n", sp.type_));
    if sp.type_ == "Localhost" {
        w.write(
            localhost_level,
            &format!("LocalhostProfile:\t{}\n", s(sp.localhost_profile.as_ref())),
        );
    }
}

fn or_none(v: &str) -> String {
    if v.is_empty() {
        "<none>".to_string()
    } else {
        v.to_string()
    }
}

fn describe_volumes(w: &mut PrefixWriter, volumes: &[Volume], space: &str) {
    if volumes.is_empty() {
        w.write(LEVEL_0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.write(LEVEL_0, &format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in volumes {
        w.write(LEVEL_1, &format!("{name_indent}{}:\n", v.name));
        if let Some(h) = &v.host_path {
            w.write(
                LEVEL_2,
                &format!(
                    "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                    h.path,
                    h.type_.as_deref().unwrap_or("<none>")
                ),
            );
        } else if let Some(e) = &v.empty_dir {
            let size = e
                .size_limit
                .as_ref()
                .map(|q| q.0.clone())
                .filter(|q| !q.is_empty() && q != "0")
                .unwrap_or_else(|| "<unset>".to_string());
            w.write(
                LEVEL_2,
                &format!(
                    "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n",
                    s(e.medium.as_ref())
                ),
            );
        } else if let Some(sec) = &v.secret {
            w.write(
                LEVEL_2,
                &format!(
                    "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                    s(sec.secret_name.as_ref()),
                    go_bool(sec.optional.unwrap_or(false))
                ),
            );
        } else if let Some(cm) = &v.config_map {
            w.write(
                LEVEL_2,
                &format!(
                    "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                    cm.name,
                    go_bool(cm.optional.unwrap_or(false))
                ),
            );
        } else if let Some(pvc) = &v.persistent_volume_claim {
            w.write(
                LEVEL_2,
                &format!(
                    "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                    pvc.claim_name,
                    go_bool(pvc.read_only.unwrap_or(false))
                ),
            );
        } else if let Some(p) = &v.projected {
            w.write(
                LEVEL_2,
                "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
            );
            for src in p.sources.as_deref().unwrap_or(&[]) {
                if let Some(sec) = &src.secret {
                    w.write(
                        LEVEL_2,
                        &format!(
                            "SecretName:\t{}\n    Optional:\t{}\n",
                            sec.name,
                            go_bool(sec.optional.unwrap_or(false))
                        ),
                    );
                } else if src.downward_api.is_some() {
                    w.write(LEVEL_2, "DownwardAPI:\ttrue\n");
                } else if let Some(cm) = &src.config_map {
                    w.write(
                        LEVEL_2,
                        &format!(
                            "ConfigMapName:\t{}\n    Optional:\t{}\n",
                            cm.name,
                            go_bool(cm.optional.unwrap_or(false))
                        ),
                    );
                } else if let Some(t) = &src.service_account_token {
                    w.write(
                        LEVEL_2,
                        &format!(
                            "TokenExpirationSeconds:\t{}\n",
                            t.expiration_seconds.unwrap_or(3607)
                        ),
                    );
                }
            }
        } else if let Some(n) = &v.nfs {
            w.write(
                LEVEL_2,
                &format!(
                    "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                    n.server,
                    n.path,
                    go_bool(n.read_only.unwrap_or(false))
                ),
            );
        } else if v.ephemeral.is_some() {
            w.write(
                LEVEL_2,
                "Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n",
            );
        } else {
            w.write(LEVEL_1, "<unknown>\n");
        }
    }
}

/// `describeTopologySpreadConstraints`: sorted by topology key, nothing when there are none.
fn describe_topology_spread(
    w: &mut PrefixWriter,
    constraints: Option<&[k8s_openapi::api::core::v1::TopologySpreadConstraint]>,
    space: &str,
) {
    let Some(list) = constraints.filter(|c| !c.is_empty()) else {
        return;
    };
    let mut sorted: Vec<_> = list.iter().collect();
    crate::sort::sort_by(&mut sorted, |a, b| a.topology_key.cmp(&b.topology_key));
    w.write(LEVEL_0, &format!("{space}Topology Spread Constraints:\t"));
    for (i, t) in sorted.into_iter().enumerate() {
        if i != 0 {
            w.write(LEVEL_0, &format!("{space}\t"));
        }
        let mut line = format!(
            "{}:{} when max skew {} is exceeded",
            t.topology_key, t.when_unsatisfiable, t.max_skew
        );
        if let Some(sel) = &t.label_selector {
            let text = selector_string(Some(sel));
            line.push_str(&format!(" for selector {}", or_none(&text)));
        }
        w.write(LEVEL_0, &format!("{line}\n"));
    }
}

fn describe_pod_template_into(w: &mut PrefixWriter, template: &PodTemplateSpec) {
    w.write(LEVEL_0, "Pod Template:\n");
    let meta = template.metadata.clone().unwrap_or_default();
    print_labels_multiline(w, "  Labels", meta.labels.as_ref());
    if meta.annotations.as_ref().is_some_and(|a| !a.is_empty()) {
        print_annotations_multiline(w, "  Annotations", meta.annotations.as_ref());
    }
    let spec = template.spec.clone().unwrap_or_default();
    if let Some(sa) = spec
        .service_account_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.write(LEVEL_1, &format!("Service Account:\t{sa}\n"));
    }
    if let Some(init) = spec.init_containers.as_ref().filter(|i| !i.is_empty()) {
        describe_containers(w, "Init Containers", init, None, None, "  ");
    }
    describe_containers(w, "Containers", &spec.containers, None, None, "  ");
    describe_volumes(w, spec.volumes.as_deref().unwrap_or(&[]), "  ");
    describe_topology_spread(w, spec.topology_spread_constraints.as_deref(), "  ");
    if let Some(pc) = spec
        .priority_class_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.write(LEVEL_1, &format!("Priority Class Name:\t{pc}\n"));
    }
    print_labels_multiline(w, "  Node-Selectors", spec.node_selector.as_ref());
    print_tolerations(
        w,
        "",
        "  Tolerations",
        spec.tolerations.as_deref().unwrap_or(&[]),
    );
}

/// `DescribePodTemplate` written without a tabwriter (tabs kept), as `kubectl rollout history
/// --revision=N` prints it.
pub fn pod_template_raw(template: &PodTemplateSpec) -> String {
    let mut w = PrefixWriter::raw();
    describe_pod_template_into(&mut w, template);
    w.finish()
}

// ---------------------------------------------------------------------------------------------
// StatefulSet

/// `kubectl describe statefulset`. `pods` are the pods to count in `Pods Status` (those whose
/// controller reference is this StatefulSet are counted; others are ignored).
pub fn describe_statefulset(
    sts: &StatefulSet,
    pods: &[Pod],
    events: Option<&[Event]>,
    now: Timestamp,
) -> String {
    let mut w = PrefixWriter::tabbed();
    let meta = &sts.metadata;
    let spec = sts.spec.clone().unwrap_or_default();
    let status = sts.status.clone().unwrap_or_default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", s(meta.name.as_ref())));
    w.write(
        LEVEL_0,
        &format!("Namespace:\t{}\n", s(meta.namespace.as_ref())),
    );
    w.write(
        LEVEL_0,
        &format!(
            "CreationTimestamp:\t{}\n",
            time_rfc(meta.creation_timestamp.as_ref())
        ),
    );
    w.write(
        LEVEL_0,
        &format!("Selector:\t{}\n", selector_string(Some(&spec.selector))),
    );
    print_labels_multiline(&mut w, "Labels", meta.labels.as_ref());
    print_annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    // No `Service Name`, `Pod Management Policy` or `Persistent Volume Claim Retention Policy`
    // lines: kubectl v1.35's describeStatefulSet does not print them (they came after
    // release-1.36 in staging/src/k8s.io/kubectl/pkg/describe/describe.go).
    w.write(
        LEVEL_0,
        &format!(
            "Replicas:\t{} desired | {} total\n",
            spec.replicas.unwrap_or(1),
            status.replicas
        ),
    );
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    w.write(
        LEVEL_0,
        &format!("Update Strategy:\t{}\n", s(strategy.type_.as_ref())),
    );
    if let Some(ru) = &strategy.rolling_update {
        if let Some(partition) = ru.partition {
            w.write(LEVEL_1, &format!("Partition:\t{partition}\n"));
            if let Some(mu) = &ru.max_unavailable {
                w.write(
                    LEVEL_1,
                    &format!("MaxUnavailable:\t{}\n", int_or_string(mu)),
                );
            }
        }
    }
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    for pod in pods {
        let owned = controller_of(&pod.metadata).is_some_and(|r| match (&meta.uid, &r.uid) {
            (Some(a), b) if !a.is_empty() && !b.is_empty() => a == b,
            _ => r.kind == "StatefulSet" && Some(&r.name) == meta.name.as_ref(),
        });
        if !owned {
            continue;
        }
        match pod.status.as_ref().and_then(|s| s.phase.as_deref()) {
            Some("Running") => running += 1,
            Some("Pending") => waiting += 1,
            Some("Succeeded") => succeeded += 1,
            Some("Failed") => failed += 1,
            _ => {}
        }
    }
    w.write(
        LEVEL_0,
        &format!(
            "Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"
        ),
    );
    describe_pod_template_into(&mut w, &spec.template);
    // describeVolumeClaimTemplates
    let templates = spec.volume_claim_templates.clone().unwrap_or_default();
    if templates.is_empty() {
        w.write(LEVEL_0, "Volume Claims:\t<none>\n");
    } else {
        w.write(LEVEL_0, "Volume Claims:\n");
        for pvc in &templates {
            w.write(
                LEVEL_1,
                &format!("Name:\t{}\n", s(pvc.metadata.name.as_ref())),
            );
            w.write(LEVEL_1, &format!("StorageClass:\t{}\n", pvc_class(pvc)));
            print_labels_multiline_with_indent(
                &mut w,
                "  ",
                "Labels",
                "\t",
                pvc.metadata.labels.as_ref(),
            );
            print_labels_multiline_with_indent(
                &mut w,
                "  ",
                "Annotations",
                "\t",
                pvc.metadata.annotations.as_ref(),
            );
            let pvc_spec = pvc.spec.clone().unwrap_or_default();
            let capacity = pvc_spec
                .resources
                .as_ref()
                .and_then(|r| r.requests.as_ref())
                .and_then(|r| r.get("storage"))
                .map(|q| q.0.clone())
                .unwrap_or_else(|| "<default>".to_string());
            w.write(LEVEL_1, &format!("Capacity:\t{capacity}\n"));
            w.write(
                LEVEL_1,
                &format!(
                    "Access Modes:\t{}\n",
                    go_slice(pvc_spec.access_modes.as_ref())
                ),
            );
        }
    }
    maybe_events(events, &mut w, now);
    w.finish()
}

// ---------------------------------------------------------------------------------------------
// Pod

/// `qos.GetPodQOS`: the status's class, else computed as the API server does.
fn qos_class(pod: &Pod) -> String {
    if let Some(q) = pod
        .status
        .as_ref()
        .and_then(|s| s.qos_class.clone())
        .filter(|q| !q.is_empty())
    {
        return q;
    }
    crate::engine::admission::qos_class(&pod.spec.clone().unwrap_or_default()).to_string()
}

/// `kubectl describe pod`.
pub fn describe_pod(pod: &Pod, events: Option<&[Event]>, now: Timestamp) -> String {
    let mut w = PrefixWriter::tabbed();
    let meta = &pod.metadata;
    let spec = pod.spec.clone().unwrap_or_default();
    let status = pod.status.clone().unwrap_or_default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", s(meta.name.as_ref())));
    w.write(
        LEVEL_0,
        &format!("Namespace:\t{}\n", s(meta.namespace.as_ref())),
    );
    if let Some(p) = spec.priority {
        w.write(LEVEL_0, &format!("Priority:\t{p}\n"));
    }
    if let Some(p) = spec
        .priority_class_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.write(LEVEL_0, &format!("Priority Class Name:\t{p}\n"));
    }
    if let Some(p) = spec.runtime_class_name.as_deref().filter(|s| !s.is_empty()) {
        w.write(LEVEL_0, &format!("Runtime Class Name:\t{p}\n"));
    }
    if let Some(sa) = spec
        .service_account_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.write(LEVEL_0, &format!("Service Account:\t{sa}\n"));
    }
    match spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        None => w.write(LEVEL_0, "Node:\t<none>\n"),
        Some(node) => w.write(
            LEVEL_0,
            &format!("Node:\t{node}/{}\n", s(status.host_ip.as_ref())),
        ),
    }
    if let Some(t) = &status.start_time {
        w.write(LEVEL_0, &format!("Start Time:\t{}\n", time_rfc(Some(t))));
    }
    print_labels_multiline(&mut w, "Labels", meta.labels.as_ref());
    print_annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    let phase = s(status.phase.as_ref()).to_string();
    match &meta.deletion_timestamp {
        Some(dt) if phase != "Failed" && phase != "Succeeded" => {
            w.write(
                LEVEL_0,
                &format!("Status:\tTerminating (lasts {})\n", age(Some(dt), now)),
            );
            w.write(
                LEVEL_0,
                &format!(
                    "Termination Grace Period:\t{}s\n",
                    meta.deletion_grace_period_seconds.unwrap_or(30)
                ),
            );
        }
        _ => w.write(LEVEL_0, &format!("Status:\t{phase}\n")),
    }
    if let Some(r) = status.reason.as_deref().filter(|r| !r.is_empty()) {
        w.write(LEVEL_0, &format!("Reason:\t{r}\n"));
    }
    if let Some(m) = status.message.as_deref().filter(|m| !m.is_empty()) {
        w.write(LEVEL_0, &format!("Message:\t{m}\n"));
    }
    let profile = spec.security_context.as_ref();
    describe_seccomp(
        &mut w,
        profile.and_then(|c| c.seccomp_profile.as_ref()),
        LEVEL_0,
        LEVEL_0,
    );
    w.write(LEVEL_0, &format!("IP:\t{}\n", s(status.pod_ip.as_ref())));
    match status.pod_ips.as_ref().filter(|ips| !ips.is_empty()) {
        None => w.write(LEVEL_0, "IPs:\t<none>\n"),
        Some(ips) => {
            w.write(LEVEL_0, "IPs:\n");
            for ip in ips {
                w.write(LEVEL_1, &format!("IP:\t{}\n", ip.ip));
            }
        }
    }
    if let Some(r) = controller_of(meta) {
        w.write(LEVEL_0, &format!("Controlled By:\t{}/{}\n", r.kind, r.name));
    }
    if let Some(n) = status
        .nominated_node_name
        .as_deref()
        .filter(|n| !n.is_empty())
    {
        w.write(LEVEL_0, &format!("NominatedNodeName:\t{n}\n"));
    }
    if let Some(r) = &spec.resources {
        w.write(LEVEL_0, "Resources:\n");
        describe_resources(&mut w, Some(r), LEVEL_1);
    }
    if let Some(init) = spec.init_containers.as_ref().filter(|i| !i.is_empty()) {
        describe_containers(
            &mut w,
            "Init Containers",
            init,
            status.init_container_statuses.as_deref(),
            Some(pod),
            "",
        );
    }
    describe_containers(
        &mut w,
        "Containers",
        &spec.containers,
        status.container_statuses.as_deref(),
        Some(pod),
        "",
    );
    let conditions = status.conditions.clone().unwrap_or_default();
    if let Some(gates) = spec.readiness_gates.as_ref().filter(|g| !g.is_empty()) {
        w.write(LEVEL_0, "Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let st = conditions
                .iter()
                .find(|c| c.type_ == g.condition_type)
                .map(|c| c.status.clone())
                .unwrap_or_else(|| "<none>".to_string());
            w.write(LEVEL_1, &format!("{} \t{st} \n", g.condition_type));
        }
    }
    if !conditions.is_empty() {
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\n");
        for c in &conditions {
            w.write(LEVEL_1, &format!("{} \t{} \n", c.type_, c.status));
        }
    }
    describe_volumes(&mut w, spec.volumes.as_deref().unwrap_or(&[]), "");
    w.write(LEVEL_0, &format!("QoS Class:\t{}\n", qos_class(pod)));
    print_labels_multiline(&mut w, "Node-Selectors", spec.node_selector.as_ref());
    print_tolerations(
        &mut w,
        "",
        "Tolerations",
        spec.tolerations.as_deref().unwrap_or(&[]),
    );
    describe_topology_spread(&mut w, spec.topology_spread_constraints.as_deref(), "");
    maybe_events(events, &mut w, now);
    w.finish()
}

// ---------------------------------------------------------------------------------------------
// Storage

fn terminating_or_phase(meta: &ObjectMeta, phase: Option<&String>, now: Timestamp) -> String {
    match &meta.deletion_timestamp {
        Some(dt) => format!("Terminating (lasts {})", age(Some(dt), now)),
        None => s(phase).to_string(),
    }
}

/// `kubectl describe pvc`. `pods` are the namespace's pods; those mounting the claim (or owning
/// it) are listed under `Used By`, as `getPodsForPVC` does.
pub fn describe_pvc(
    pvc: &PersistentVolumeClaim,
    pods: &[Pod],
    events: Option<&[Event]>,
    now: Timestamp,
) -> String {
    let mut w = PrefixWriter::tabbed();
    let meta = &pvc.metadata;
    let spec = pvc.spec.clone().unwrap_or_default();
    let status = pvc.status.clone().unwrap_or_default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", s(meta.name.as_ref())));
    w.write(
        LEVEL_0,
        &format!("Namespace:\t{}\n", s(meta.namespace.as_ref())),
    );
    w.write(LEVEL_0, &format!("StorageClass:\t{}\n", pvc_class(pvc)));
    w.write(
        LEVEL_0,
        &format!(
            "Status:\t{}\n",
            terminating_or_phase(meta, status.phase.as_ref(), now)
        ),
    );
    w.write(
        LEVEL_0,
        &format!("Volume:\t{}\n", s(spec.volume_name.as_ref())),
    );
    print_labels_multiline(&mut w, "Labels", meta.labels.as_ref());
    print_annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    w.write(
        LEVEL_0,
        &format!("Finalizers:\t{}\n", go_slice(meta.finalizers.as_ref())),
    );
    let (capacity, modes) = if spec.volume_name.as_deref().is_some_and(|v| !v.is_empty()) {
        (
            quantity_str(status.capacity.as_ref().and_then(|c| c.get("storage"))),
            access_modes(status.access_modes.as_deref()),
        )
    } else {
        (String::new(), String::new())
    };
    w.write(LEVEL_0, &format!("Capacity:\t{capacity}\n"));
    w.write(LEVEL_0, &format!("Access Modes:\t{modes}\n"));
    if let Some(m) = &spec.volume_mode {
        w.write(LEVEL_0, &format!("VolumeMode:\t{m}\n"));
    }
    if let Some(ds) = &spec.data_source {
        w.write(LEVEL_0, "DataSource:\n");
        if let Some(g) = &ds.api_group {
            w.write(LEVEL_1, &format!("APIGroup:\t{g}\n"));
        }
        w.write(LEVEL_1, &format!("Kind:\t{}\n", ds.kind));
        w.write(LEVEL_1, &format!("Name:\t{}\n", ds.name));
    }
    // getPodsForPVC: pods mounting the claim, then owner pods not yet listed
    let claim = s(meta.name.as_ref());
    let mut used_by: Vec<&Pod> = Vec::new();
    for pod in pods {
        for v in pod
            .spec
            .as_ref()
            .and_then(|s| s.volumes.as_ref())
            .into_iter()
            .flatten()
        {
            if v.persistent_volume_claim
                .as_ref()
                .is_some_and(|c| c.claim_name == claim)
            {
                used_by.push(pod);
            }
        }
    }
    for owner in meta
        .owner_references
        .iter()
        .flatten()
        .filter(|o| o.kind == "Pod")
    {
        if let Some(pod) = pods
            .iter()
            .find(|p| p.metadata.uid.as_deref() == Some(owner.uid.as_str()))
        {
            if !used_by.iter().any(|u| u.metadata.uid == pod.metadata.uid) {
                used_by.push(pod);
            }
        }
    }
    w.write(LEVEL_0, "Used By:\t");
    if used_by.is_empty() {
        w.line("<none>");
    } else {
        let mut names: Vec<&str> = used_by
            .iter()
            .map(|p| s(p.metadata.name.as_ref()))
            .collect();
        names.sort();
        for (i, n) in names.into_iter().enumerate() {
            if i != 0 {
                w.write(LEVEL_0, "\t");
            }
            w.write(LEVEL_0, &format!("{n}\n"));
        }
    }
    if let Some(conds) = status.conditions.as_ref().filter(|c| !c.is_empty()) {
        w.write(LEVEL_0, "Conditions:\n");
        w.write(
            LEVEL_1,
            "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.write(
            LEVEL_1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for c in conds {
            w.write(
                LEVEL_1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    c.type_,
                    c.status,
                    time_rfc(c.last_probe_time.as_ref()),
                    time_rfc(c.last_transition_time.as_ref()),
                    s(c.reason.as_ref()),
                    s(c.message.as_ref())
                ),
            );
        }
    }
    maybe_events(events, &mut w, now);
    w.finish()
}

/// `kubectl describe pv`.
/// `describeNamespace` (`pkg/describe/describe.go`): the cluster serves ResourceQuotas and
/// LimitRanges and has none, so both lists are there and empty.
pub fn describe_namespace(ns: &k8s_openapi::api::core::v1::Namespace) -> String {
    let mut w = PrefixWriter::tabbed();
    let meta = &ns.metadata;
    w.write(LEVEL_0, &format!("Name:\t{}\n", s(meta.name.as_ref())));
    print_labels_multiline(&mut w, "Labels", meta.labels.as_ref());
    print_annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    let phase = ns.status.as_ref().and_then(|s| s.phase.as_ref());
    w.write(LEVEL_0, &format!("Status:\t{}\n", s(phase)));
    w.write(LEVEL_0, "\n");
    w.write(LEVEL_0, "No resource quota.\n");
    w.write(LEVEL_0, "\n");
    w.write(LEVEL_0, "No LimitRange resource.\n");
    w.finish()
}

pub fn describe_pv(pv: &PersistentVolume, events: Option<&[Event]>, now: Timestamp) -> String {
    let mut w = PrefixWriter::tabbed();
    let meta = &pv.metadata;
    let spec = pv.spec.clone().unwrap_or_default();
    let status = pv.status.clone().unwrap_or_default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", s(meta.name.as_ref())));
    print_labels_multiline(&mut w, "Labels", meta.labels.as_ref());
    print_annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    w.write(
        LEVEL_0,
        &format!("Finalizers:\t{}\n", go_slice(meta.finalizers.as_ref())),
    );
    w.write(LEVEL_0, &format!("StorageClass:\t{}\n", pv_class(pv)));
    w.write(
        LEVEL_0,
        &format!(
            "Status:\t{}\n",
            terminating_or_phase(meta, status.phase.as_ref(), now)
        ),
    );
    let claim = spec
        .claim_ref
        .as_ref()
        .map(|r| format!("{}/{}", s(r.namespace.as_ref()), s(r.name.as_ref())))
        .unwrap_or_default();
    w.write(LEVEL_0, &format!("Claim:\t{claim}\n"));
    w.write(
        LEVEL_0,
        &format!(
            "Reclaim Policy:\t{}\n",
            s(spec.persistent_volume_reclaim_policy.as_ref())
        ),
    );
    w.write(
        LEVEL_0,
        &format!(
            "Access Modes:\t{}\n",
            access_modes(spec.access_modes.as_deref())
        ),
    );
    if let Some(m) = &spec.volume_mode {
        w.write(LEVEL_0, &format!("VolumeMode:\t{m}\n"));
    }
    w.write(
        LEVEL_0,
        &format!(
            "Capacity:\t{}\n",
            quantity_str(spec.capacity.as_ref().and_then(|c| c.get("storage")))
        ),
    );
    // printVolumeNodeAffinity
    w.write(LEVEL_0, "Node Affinity:\t");
    match spec
        .node_affinity
        .as_ref()
        .and_then(|a| a.required.as_ref())
    {
        None => w.line("<none>"),
        Some(req) => {
            w.line("");
            w.write(LEVEL_1, "Required Terms:\t");
            if req.node_selector_terms.is_empty() {
                w.line("<none>");
            } else {
                w.line("");
                for (i, term) in req.node_selector_terms.iter().enumerate() {
                    w.write(LEVEL_2, &format!("Term {i}:\t"));
                    let exprs = term.match_expressions.as_deref().unwrap_or(&[]);
                    if exprs.is_empty() {
                        w.line("<none>");
                        continue;
                    }
                    for (j, e) in exprs.iter().enumerate() {
                        if j != 0 {
                            w.write(LEVEL_2, "\t");
                        }
                        let mut text = format!("{} {}", e.key, e.operator.to_lowercase());
                        if let Some(v) = e.values.as_ref().filter(|v| !v.is_empty()) {
                            text = format!("{text} [{}]", v.join(", "));
                        }
                        w.write(LEVEL_0, &format!("{text}\n"));
                    }
                }
            }
        }
    }
    w.write(
        LEVEL_0,
        &format!("Message:\t{}\n", s(status.message.as_ref())),
    );
    w.write(LEVEL_0, "Source:\n");
    if let Some(h) = &spec.host_path {
        w.write(
            LEVEL_2,
            &format!(
                "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                h.path,
                h.type_.as_deref().unwrap_or("<none>")
            ),
        );
    } else if let Some(n) = &spec.nfs {
        w.write(
            LEVEL_2,
            &format!(
                "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                n.server,
                n.path,
                go_bool(n.read_only.unwrap_or(false))
            ),
        );
    } else if let Some(l) = &spec.local {
        w.write(
            LEVEL_2,
            &format!(
                "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t{}\n",
                l.path
            ),
        );
    } else if let Some(c) = &spec.csi {
        w.write(
            LEVEL_2,
            &format!(
                "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    VolumeHandle:\t{}\n    ReadOnly:\t{}\n",
                c.driver,
                s(c.fs_type.as_ref()),
                c.volume_handle,
                go_bool(c.read_only.unwrap_or(false))
            ),
        );
        w.write(LEVEL_2, "VolumeAttributes:\t");
        match c.volume_attributes.as_ref().filter(|a| !a.is_empty()) {
            None => w.line("<none>"),
            Some(attrs) => {
                for (i, (k, v)) in attrs.iter().enumerate() {
                    if i != 0 {
                        w.write(LEVEL_2, "");
                        w.write(LEVEL_2, "\t");
                    }
                    let line = format!("{k}={v}");
                    w.write(
                        LEVEL_2,
                        &format!("{}\n", shorten(&line, MAX_ANNOTATION_LEN)),
                    );
                }
            }
        }
    } else {
        w.write(LEVEL_1, "<unknown>\n");
    }
    maybe_events(events, &mut w, now);
    w.finish()
}

// ---------------------------------------------------------------------------------------------
// Service

/// describe.go's `formatEndpointSlices(slices, {portName})`: ready (or unknown) endpoints of
/// the slices' ports with that name, first three as `ip:port`, then ` + N more...`.
fn format_endpoint_slices(slices: &[EndpointSlice], port_name: &str) -> String {
    if slices.is_empty() {
        return "<none>".to_string();
    }
    let max = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0usize;
    let ready = |e: &k8s_openapi::api::discovery::v1::Endpoint| {
        e.conditions.as_ref().and_then(|c| c.ready).unwrap_or(true)
    };
    for slice in slices {
        let ports = slice.ports.as_deref().unwrap_or(&[]);
        if ports.is_empty() {
            for e in &slice.endpoints {
                if list.len() == max {
                    more = true;
                }
                if !ready(e) {
                    continue;
                }
                if !more {
                    list.push(e.addresses.first().cloned().unwrap_or_default());
                }
                count += 1;
            }
        } else {
            for port in ports {
                if port.name.as_deref().unwrap_or("") != port_name {
                    continue;
                }
                for e in &slice.endpoints {
                    if list.len() == max {
                        more = true;
                    }
                    if !ready(e) {
                        continue;
                    }
                    if !more {
                        let addr = e.addresses.first().cloned().unwrap_or_default();
                        let p = port.port.unwrap_or(0);
                        list.push(if addr.contains(':') {
                            format!("[{addr}]:{p}")
                        } else {
                            format!("{addr}:{p}")
                        });
                    }
                    count += 1;
                }
            }
        }
    }
    let ret = list.join(",");
    if more {
        format!("{ret} + {} more...", count - max)
    } else {
        ret
    }
}

/// `kubectl describe service`. `slices` are the EndpointSlices labelled
/// `kubernetes.io/service-name=<service>`.
pub fn describe_service(
    svc: &Service,
    slices: &[EndpointSlice],
    events: Option<&[Event]>,
    now: Timestamp,
) -> String {
    let mut w = PrefixWriter::tabbed();
    let meta = &svc.metadata;
    let spec = svc.spec.clone().unwrap_or_default();
    w.write(LEVEL_0, &format!("Name:\t{}\n", s(meta.name.as_ref())));
    w.write(
        LEVEL_0,
        &format!("Namespace:\t{}\n", s(meta.namespace.as_ref())),
    );
    print_labels_multiline(&mut w, "Labels", meta.labels.as_ref());
    print_annotations_multiline(&mut w, "Annotations", meta.annotations.as_ref());
    w.write(
        LEVEL_0,
        &format!(
            "Selector:\t{}\n",
            selector_map_string(spec.selector.as_ref())
        ),
    );
    w.write(LEVEL_0, &format!("Type:\t{}\n", s(spec.type_.as_ref())));
    if let Some(p) = &spec.ip_family_policy {
        w.write(LEVEL_0, &format!("IP Family Policy:\t{p}\n"));
    }
    match spec.ip_families.as_ref().filter(|f| !f.is_empty()) {
        Some(f) => w.write(LEVEL_0, &format!("IP Families:\t{}\n", f.join(","))),
        None => w.write(LEVEL_0, "IP Families:\t<none>\n"),
    }
    w.write(LEVEL_0, &format!("IP:\t{}\n", s(spec.cluster_ip.as_ref())));
    match spec.cluster_ips.as_ref().filter(|f| !f.is_empty()) {
        Some(ips) => w.write(LEVEL_0, &format!("IPs:\t{}\n", ips.join(","))),
        None => w.write(LEVEL_0, "IPs:\t<none>\n"),
    }
    if let Some(ips) = spec.external_ips.as_ref().filter(|f| !f.is_empty()) {
        w.write(LEVEL_0, &format!("External IPs:\t{}\n", ips.join(",")));
    }
    if let Some(ip) = spec.load_balancer_ip.as_deref().filter(|s| !s.is_empty()) {
        w.write(LEVEL_0, &format!("Desired LoadBalancer IP:\t{ip}\n"));
    }
    if let Some(n) = spec.external_name.as_deref().filter(|s| !s.is_empty()) {
        w.write(LEVEL_0, &format!("External Name:\t{n}\n"));
    }
    let ingress = svc
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.clone())
        .unwrap_or_default();
    if !ingress.is_empty() {
        let list = ingress
            .iter()
            .map(|i| match i.ip.as_deref().filter(|ip| !ip.is_empty()) {
                Some(ip) => match &i.ip_mode {
                    Some(mode) => format!("{ip} ({mode})"),
                    None => ip.to_string(),
                },
                None => s(i.hostname.as_ref()).to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ");
        w.write(LEVEL_0, &format!("LoadBalancer Ingress:\t{list}\n"));
    }
    for sp in spec.ports.as_deref().unwrap_or(&[]) {
        let name = sp
            .name
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "<unset>".to_string());
        let proto = sp.protocol.as_deref().unwrap_or("TCP");
        w.write(LEVEL_0, &format!("Port:\t{name}\t{}/{proto}\n", sp.port));
        let target = sp
            .target_port
            .as_ref()
            .map(int_or_string)
            .unwrap_or_else(|| sp.port.to_string());
        w.write(LEVEL_0, &format!("TargetPort:\t{target}/{proto}\n"));
        if let Some(np) = sp.node_port.filter(|n| *n != 0) {
            w.write(LEVEL_0, &format!("NodePort:\t{name}\t{np}/{proto}\n"));
        }
        w.write(
            LEVEL_0,
            &format!(
                "Endpoints:\t{}\n",
                format_endpoint_slices(slices, s(sp.name.as_ref()))
            ),
        );
    }
    w.write(
        LEVEL_0,
        &format!(
            "Session Affinity:\t{}\n",
            spec.session_affinity.as_deref().unwrap_or("None")
        ),
    );
    if let Some(p) = spec
        .external_traffic_policy
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.write(LEVEL_0, &format!("External Traffic Policy:\t{p}\n"));
    }
    if let Some(p) = &spec.internal_traffic_policy {
        w.write(LEVEL_0, &format!("Internal Traffic Policy:\t{p}\n"));
    }
    if let Some(p) = spec.health_check_node_port.filter(|p| *p != 0) {
        w.write(LEVEL_0, &format!("HealthCheck NodePort:\t{p}\n"));
    }
    if let Some(r) = spec
        .load_balancer_source_ranges
        .as_ref()
        .filter(|r| !r.is_empty())
    {
        w.write(
            LEVEL_0,
            &format!("LoadBalancer Source Ranges:\t{}\n", r.join(",")),
        );
    }
    if let Some(t) = &spec.traffic_distribution {
        w.write(LEVEL_0, &format!("Traffic Distribution:\t{t}\n"));
    }
    maybe_events(events, &mut w, now);
    w.finish()
}

/// `labels.FormatLabels` of a plain map, as the Service `Selector:` line prints it.
fn selector_map_string(m: Option<&BTreeMap<String, String>>) -> String {
    super::format_labels(m)
}

#[cfg(test)]
#[path = "describe_tests.rs"]
mod tests;
