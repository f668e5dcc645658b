//! A resolver with CoreDNS `kubernetes`-plugin semantics (kubeadm Corefile:
//! `kubernetes cluster.local in-addr.arpa ip6.arpa { pods insecure; ttl 30 }`) over Services
//! and EndpointSlices, plus `nslookup` (bind9) and `dig` output as seen from a pod.
//!
//! Records served (`kubernetes/dns` spec 1.1.0 as CoreDNS implements it):
//! * `<svc>.<ns>.svc.cluster.local` — ClusterIP services: the cluster IP; headless services:
//!   one A per *ready* endpoint address (ready true or unset), NXDOMAIN when none is ready.
//! * `<ep>.<svc>.<ns>.svc.cluster.local` — `<ep>` is the endpoint hostname, or its IP with
//!   dots (colons) replaced by dashes when it has none.
//! * `_<port>._<proto>.<svc>.<ns>.svc.cluster.local` SRV — priority 0, weight
//!   floor(100/N) (min 1) for N records, target `<ep>.<svc>.<ns>.svc.cluster.local.`, with the
//!   targets' A records as additional section. Ports are addressed by their *name*.
//! * `d.c.b.a.in-addr.arpa` PTR — a service cluster IP, else every ready endpoint with it.
//! * `a-b-c-d.<ns>.pod.cluster.local` A (`pods insecure`), `dns-version.cluster.local` TXT.
//! * ExternalName services answer a CNAME.
//!
//! Names outside `cluster.local` / `in-addr.arpa` get NXDOMAIN (the playground has no
//! upstream resolver). All TTLs are 30 s.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::api::discovery::v1::{Endpoint, EndpointPort, EndpointSlice};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::endpoints_record::EndpointSliceRecord;
use crate::phrase::Phrase;

use super::endpointslice::{
    is_headless, is_pod_ready, selected_pods, service_selects, LABEL_SERVICE_NAME,
};

pub const CLUSTER_DOMAIN: &str = "cluster.local";
/// The kube-dns Service IP of a kubeadm/kind cluster (the pod's `nameserver`).
pub const DNS_SERVER_IP: &str = "10.96.0.10";
pub const TTL: u32 = 30;
/// Serial shown in SOA records (CoreDNS uses a timestamp of the last API change; fixed here).
pub const SOA_SERIAL: u32 = 1_764_028_800;
/// The dig version printed in the banner.
pub const DIG_VERSION: &str = "9.18.33";
/// resolv.conf `options ndots:5`.
pub const NDOTS: usize = 5;

/// Query / record types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordType {
    A,
    Aaaa,
    Srv,
    Ptr,
    Cname,
    Txt,
    Soa,
}

impl RecordType {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::A => "A",
            RecordType::Aaaa => "AAAA",
            RecordType::Srv => "SRV",
            RecordType::Ptr => "PTR",
            RecordType::Cname => "CNAME",
            RecordType::Txt => "TXT",
            RecordType::Soa => "SOA",
        }
    }
    /// Case-insensitive parse of a type name.
    pub fn parse(s: &str) -> Option<RecordType> {
        Some(match s.to_ascii_uppercase().as_str() {
            "A" => RecordType::A,
            "AAAA" => RecordType::Aaaa,
            "SRV" => RecordType::Srv,
            "PTR" => RecordType::Ptr,
            "CNAME" => RecordType::Cname,
            "TXT" => RecordType::Txt,
            "SOA" => RecordType::Soa,
            _ => return None,
        })
    }
}

/// Record data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RData {
    A(String),
    Aaaa(String),
    Srv {
        priority: u16,
        weight: u16,
        port: u16,
        target: String,
    },
    Ptr(String),
    Cname(String),
    Txt(String),
    Soa {
        mname: String,
        rname: String,
        serial: u32,
        refresh: u32,
        retry: u32,
        expire: u32,
        minimum: u32,
    },
}

/// One resource record; `name` is absolute (trailing dot).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub name: String,
    pub ttl: u32,
    pub data: RData,
}

impl Record {
    pub fn type_(&self) -> RecordType {
        match self.data {
            RData::A(_) => RecordType::A,
            RData::Aaaa(_) => RecordType::Aaaa,
            RData::Srv { .. } => RecordType::Srv,
            RData::Ptr(_) => RecordType::Ptr,
            RData::Cname(_) => RecordType::Cname,
            RData::Txt(_) => RecordType::Txt,
            RData::Soa { .. } => RecordType::Soa,
        }
    }

    /// The rdata in presentation format (as dig prints it).
    pub fn rdata_text(&self) -> String {
        match &self.data {
            RData::A(ip) | RData::Aaaa(ip) => ip.clone(),
            RData::Srv {
                priority,
                weight,
                port,
                target,
            } => format!("{priority} {weight} {port} {target}"),
            RData::Ptr(t) | RData::Cname(t) => t.clone(),
            RData::Txt(t) => format!("{t:?}"),
            RData::Soa {
                mname,
                rname,
                serial,
                refresh,
                retry,
                expire,
                minimum,
            } => format!("{mname} {rname} {serial} {refresh} {retry} {expire} {minimum}"),
        }
    }
}

/// Response code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rcode {
    NoError,
    NxDomain,
}

impl Rcode {
    pub fn as_str(self) -> &'static str {
        match self {
            Rcode::NoError => "NOERROR",
            Rcode::NxDomain => "NXDOMAIN",
        }
    }
}

/// One DNS response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The question name, absolute, as asked.
    pub name: String,
    pub qtype: RecordType,
    pub rcode: Rcode,
    /// CoreDNS is authoritative for the cluster zone (flag `aa`).
    pub authoritative: bool,
    pub answers: Vec<Record>,
    pub authority: Vec<Record>,
    pub additional: Vec<Record>,
}

/// The result of resolving a name from inside a pod (search path applied).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lookup {
    /// Every name queried, in order, with its response code and answer count.
    pub tried: Vec<(String, Rcode, usize)>,
    /// The response used: the first with answers, else the last one tried.
    pub answer: Answer,
}

impl Lookup {
    pub fn found(&self) -> bool {
        !self.answer.answers.is_empty()
    }
}

/// (port name, protocol, number); number -1 stands for "no ports" as in CoreDNS.
type PortSpec = (String, String, i32);
/// (endpoint name, address, ports) of one ready endpoint address.
type ReadyEndpoint = (String, String, Vec<PortSpec>);

/// CoreDNS's internal `msg.Service`: a host (IP or name), a port (-1 = none) and the key
/// from which SRV targets are made.
#[derive(Clone, Debug)]
struct Entry {
    host: String,
    port: i32,
    target: String,
}

/// The resolver: a snapshot of Services and EndpointSlices.
#[derive(Clone, Debug)]
pub struct Dns<'a> {
    services: Vec<&'a Service>,
    slices: Vec<SliceRef<'a>>,
    zone: String,
}

/// An EndpointSlice the resolver reads: an API object, or the store's record of one.
#[derive(Clone, Copy, Debug)]
pub enum SliceRef<'a> {
    Api(&'a EndpointSlice),
    Stored(&'a EndpointSliceRecord),
}

impl<'a> From<&'a EndpointSlice> for SliceRef<'a> {
    fn from(s: &'a EndpointSlice) -> Self {
        SliceRef::Api(s)
    }
}

impl<'a> From<&'a EndpointSliceRecord> for SliceRef<'a> {
    fn from(s: &'a EndpointSliceRecord) -> Self {
        SliceRef::Stored(s)
    }
}

impl<'a> SliceRef<'a> {
    fn metadata(self) -> &'a ObjectMeta {
        match self {
            SliceRef::Api(s) => &s.metadata,
            SliceRef::Stored(s) => &s.metadata,
        }
    }

    fn ports(self) -> Option<&'a Vec<EndpointPort>> {
        match self {
            SliceRef::Api(s) => s.ports.as_ref(),
            SliceRef::Stored(s) => s.ports.as_ref(),
        }
    }

    fn endpoints(self) -> Box<dyn Iterator<Item = &'a Endpoint> + 'a> {
        match self {
            SliceRef::Api(s) => Box::new(s.endpoints.iter()),
            SliceRef::Stored(s) => Box::new(s.endpoints.iter().map(|e| &**e)),
        }
    }
}

fn ns_of_svc(s: &Service) -> &str {
    s.metadata.namespace.as_deref().unwrap_or("default")
}

fn name_of_svc(s: &Service) -> &str {
    s.metadata.name.as_deref().unwrap_or("")
}

fn dashed(ip: &str) -> String {
    ip.replace(['.', ':'], "-")
}

fn absolute(name: &str) -> String {
    if name.ends_with('.') {
        name.to_string()
    } else {
        format!("{name}.")
    }
}

/// `matchPortAndProtocol` half: an empty request part matches anything, otherwise
/// case-insensitive equality (current CoreDNS has no `*`/`any` wildcards).
fn matches(req: &str, have: &str) -> bool {
    req.is_empty() || req.eq_ignore_ascii_case(have)
}

fn is_ipv4(s: &str) -> bool {
    s.parse::<std::net::Ipv4Addr>().is_ok()
}

fn is_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

/// `d.c.b.a.in-addr.arpa` for an IPv4 address.
pub fn reverse_name(ip: &str) -> Option<String> {
    let addr: std::net::Ipv4Addr = ip.parse().ok()?;
    let o = addr.octets();
    Some(format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0]))
}

fn ip_from_reverse(name: &str) -> Option<String> {
    let base = name.strip_suffix(".in-addr.arpa")?;
    let parts: Vec<&str> = base.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let ip = format!("{}.{}.{}.{}", parts[3], parts[2], parts[1], parts[0]);
    is_ipv4(&ip).then_some(ip)
}

impl<'a> Dns<'a> {
    pub fn new(
        services: impl IntoIterator<Item = &'a Service>,
        slices: impl IntoIterator<Item = impl Into<SliceRef<'a>>>,
    ) -> Self {
        let mut services: Vec<&Service> = services.into_iter().collect();
        crate::sort::sort_by(&mut services, |a, b| {
            (ns_of_svc(a), name_of_svc(a)).cmp(&(ns_of_svc(b), name_of_svc(b)))
        });
        let mut slices: Vec<SliceRef<'a>> = slices.into_iter().map(Into::into).collect();
        crate::sort::sort_by(&mut slices, |a, b| {
            a.metadata().name.cmp(&b.metadata().name)
        });
        Dns {
            services,
            slices,
            zone: CLUSTER_DOMAIN.to_string(),
        }
    }

    pub fn zone(&self) -> &str {
        &self.zone
    }

    fn soa(&self) -> Record {
        Record {
            name: format!("{}.", self.zone),
            ttl: TTL,
            data: RData::Soa {
                mname: format!("ns.dns.{}.", self.zone),
                rname: format!("hostmaster.{}.", self.zone),
                serial: SOA_SERIAL,
                refresh: 7200,
                retry: 1800,
                expire: 86400,
                minimum: TTL,
            },
        }
    }

    fn slices_of(&self, svc: &Service) -> impl Iterator<Item = SliceRef<'a>> + '_ {
        let ns = ns_of_svc(svc).to_string();
        let name = name_of_svc(svc).to_string();
        self.slices.iter().copied().filter(move |s| {
            s.metadata().namespace.as_deref().unwrap_or("default") == ns
                && s.metadata()
                    .labels
                    .as_ref()
                    .and_then(|l| l.get(LABEL_SERVICE_NAME))
                    == Some(&name)
        })
    }

    /// Ready endpoint addresses of a service: (endpoint name, ip, ports as (name, proto, port)).
    fn ready_endpoints(&self, svc: &Service) -> Vec<ReadyEndpoint> {
        let mut out = Vec::new();
        for slice in self.slices_of(svc) {
            let mut ports: Vec<(String, String, i32)> = slice
                .ports()
                .into_iter()
                .flatten()
                .map(|p| {
                    (
                        p.name.clone().unwrap_or_default(),
                        p.protocol.clone().unwrap_or_else(|| "TCP".into()),
                        p.port.unwrap_or(-1),
                    )
                })
                .collect();
            if ports.is_empty() {
                ports.push((String::new(), String::new(), -1));
            }
            for ep in slice.endpoints() {
                let ready = ep.conditions.as_ref().and_then(|c| c.ready).unwrap_or(true);
                if !ready {
                    continue;
                }
                for addr in &ep.addresses {
                    let name = ep
                        .hostname
                        .clone()
                        .filter(|h| !h.is_empty())
                        .unwrap_or_else(|| dashed(addr));
                    out.push((name, addr.clone(), ports.clone()));
                }
            }
        }
        out
    }

    fn cluster_ips(svc: &Service) -> Vec<String> {
        let Some(spec) = svc.spec.as_ref() else {
            return Vec::new();
        };
        let mut ips: Vec<String> = spec.cluster_ips.clone().unwrap_or_default();
        if ips.is_empty() {
            ips.extend(spec.cluster_ip.clone());
        }
        ips.retain(|ip| is_ip(ip));
        ips
    }

    /// `findServices`: the entries a service-zone request yields (empty = NXDOMAIN).
    fn find_services(
        &self,
        endpoint: &str,
        service: &str,
        namespace: &str,
        port: &str,
        protocol: &str,
    ) -> Vec<Entry> {
        let mut out = Vec::new();
        for svc in &self.services {
            if !name_of_svc(svc).eq_ignore_ascii_case(service)
                || !ns_of_svc(svc).eq_ignore_ascii_case(namespace)
            {
                continue;
            }
            let base = format!("{}.{}.svc.{}.", name_of_svc(svc), ns_of_svc(svc), self.zone);
            let spec = svc.spec.clone().unwrap_or_default();
            if spec.type_.as_deref() == Some("ExternalName") {
                if !endpoint.is_empty() || !port.is_empty() || !protocol.is_empty() {
                    continue;
                }
                if let Some(ext) = spec.external_name.filter(|e| !e.is_empty()) {
                    out.push(Entry {
                        host: ext,
                        port: -1,
                        target: base,
                    });
                }
                continue;
            }
            if is_headless(svc) || !endpoint.is_empty() {
                for (ep_name, ip, ports) in self.ready_endpoints(svc) {
                    if !endpoint.is_empty() && !matches(endpoint, &ep_name) {
                        continue;
                    }
                    for (pname, pproto, pnum) in &ports {
                        if !(matches(port, pname) && matches(protocol, pproto)) {
                            continue;
                        }
                        out.push(Entry {
                            host: ip.clone(),
                            port: *pnum,
                            target: format!("{ep_name}.{base}"),
                        });
                    }
                }
                continue;
            }
            let svc_ports: Vec<(String, String, i32)> = spec
                .ports
                .iter()
                .flatten()
                .map(|p| {
                    (
                        p.name.clone().unwrap_or_default(),
                        p.protocol.clone().unwrap_or_else(|| "TCP".into()),
                        p.port,
                    )
                })
                .collect();
            for ip in Self::cluster_ips(svc) {
                for (pname, pproto, pnum) in &svc_ports {
                    if !(matches(port, pname) && matches(protocol, pproto)) {
                        continue;
                    }
                    out.push(Entry {
                        host: ip.clone(),
                        port: *pnum,
                        target: base.clone(),
                    });
                }
            }
        }
        out
    }

    fn respond(&self, qname: &str, qtype: RecordType, entries: Vec<Entry>) -> Answer {
        let mut answer = Answer {
            name: qname.to_string(),
            qtype,
            rcode: Rcode::NoError,
            authoritative: true,
            answers: Vec::new(),
            authority: Vec::new(),
            additional: Vec::new(),
        };
        if entries.is_empty() {
            answer.rcode = Rcode::NxDomain;
            answer.authority.push(self.soa());
            return answer;
        }
        match qtype {
            RecordType::A | RecordType::Aaaa | RecordType::Cname => {
                let mut seen = BTreeSet::new();
                for e in &entries {
                    let data = if is_ipv4(&e.host) {
                        if qtype != RecordType::A {
                            continue;
                        }
                        RData::A(e.host.clone())
                    } else if is_ip(&e.host) {
                        if qtype != RecordType::Aaaa {
                            continue;
                        }
                        RData::Aaaa(e.host.clone())
                    } else {
                        RData::Cname(absolute(&e.host))
                    };
                    if seen.insert(e.host.clone()) {
                        answer.answers.push(Record {
                            name: qname.to_string(),
                            ttl: TTL,
                            data,
                        });
                    }
                }
            }
            RecordType::Srv => {
                // `Services()` drops CNAME (ExternalName) entries for SRV; the weight is
                // floor(100 / (100 * N) * 100) in float64 over all remaining entries,
                // port -1 ("no ports") ones included.
                let entries: Vec<&Entry> = entries.iter().filter(|e| is_ip(&e.host)).collect();
                let n = entries.len().max(1) as f64;
                let weight = ((100.0 / (100.0 * n)) * 100.0).floor().max(1.0) as u16;
                let mut seen_srv = BTreeSet::new();
                let mut seen_extra = BTreeSet::new();
                for e in entries {
                    if e.port < 0 {
                        continue;
                    }
                    let port = u16::try_from(e.port).unwrap_or(0);
                    if seen_srv.insert((e.target.clone(), port)) {
                        answer.answers.push(Record {
                            name: qname.to_string(),
                            ttl: TTL,
                            data: RData::Srv {
                                priority: 0,
                                weight,
                                port,
                                target: e.target.clone(),
                            },
                        });
                    }
                    if seen_extra.insert((e.target.clone(), e.host.clone())) {
                        answer.additional.push(Record {
                            name: e.target.clone(),
                            ttl: TTL,
                            data: if is_ipv4(&e.host) {
                                RData::A(e.host.clone())
                            } else {
                                RData::Aaaa(e.host.clone())
                            },
                        });
                    }
                }
            }
            _ => {}
        }
        if answer.answers.is_empty() {
            answer.authority.push(self.soa());
        }
        answer
    }

    fn ptr(&self, qname: &str, ip: &str) -> Answer {
        let mut targets = Vec::new();
        if let Some(svc) = self
            .services
            .iter()
            .find(|s| !is_headless(s) && Self::cluster_ips(s).iter().any(|c| c == ip))
        {
            targets.push(format!(
                "{}.{}.svc.{}.",
                name_of_svc(svc),
                ns_of_svc(svc),
                self.zone
            ));
        } else {
            for svc in &self.services {
                for (ep_name, addr, _) in self.ready_endpoints(svc) {
                    if addr == ip {
                        let t = format!(
                            "{ep_name}.{}.{}.svc.{}.",
                            name_of_svc(svc),
                            ns_of_svc(svc),
                            self.zone
                        );
                        if !targets.contains(&t) {
                            targets.push(t);
                        }
                    }
                }
            }
        }
        Answer {
            name: qname.to_string(),
            qtype: RecordType::Ptr,
            rcode: if targets.is_empty() {
                Rcode::NxDomain
            } else {
                Rcode::NoError
            },
            authoritative: !targets.is_empty(),
            answers: targets
                .into_iter()
                .map(|t| Record {
                    name: qname.to_string(),
                    ttl: TTL,
                    data: RData::Ptr(t),
                })
                .collect(),
            authority: Vec::new(),
            additional: Vec::new(),
        }
    }

    fn nxdomain(&self, qname: &str, qtype: RecordType, in_zone: bool) -> Answer {
        Answer {
            name: qname.to_string(),
            qtype,
            rcode: Rcode::NxDomain,
            authoritative: in_zone,
            answers: Vec::new(),
            authority: if in_zone {
                vec![self.soa()]
            } else {
                Vec::new()
            },
            additional: Vec::new(),
        }
    }

    fn nodata(&self, qname: &str, qtype: RecordType) -> Answer {
        let mut a = self.nxdomain(qname, qtype, true);
        a.rcode = Rcode::NoError;
        a
    }

    /// Answers one query for an exact name (relative names are taken as absolute).
    pub fn query(&self, name: &str, qtype: RecordType) -> Answer {
        let qname = absolute(name);
        let lower = qname.trim_end_matches('.').to_ascii_lowercase();
        if let Some(ip) = ip_from_reverse(&lower) {
            if qtype == RecordType::Ptr {
                return self.ptr(&qname, &ip);
            }
            return self.nxdomain(&qname, qtype, false);
        }
        let zone = self.zone.clone();
        let base = if lower == zone {
            ""
        } else if let Some(b) = lower.strip_suffix(&format!(".{zone}")) {
            b
        } else {
            return self.nxdomain(&qname, qtype, false);
        };
        if base.is_empty() {
            if qtype == RecordType::Soa {
                let mut a = self.nodata(&qname, qtype);
                a.answers = std::mem::take(&mut a.authority);
                return a;
            }
            return self.nodata(&qname, qtype);
        }
        if base == "dns-version" {
            if qtype == RecordType::Txt {
                let mut a = self.nodata(&qname, qtype);
                a.authority.clear();
                a.answers.push(Record {
                    name: qname.clone(),
                    ttl: TTL,
                    data: RData::Txt("1.1.0".into()),
                });
                return a;
            }
            return self.nodata(&qname, qtype);
        }
        let labels: Vec<&str> = base.split('.').collect();
        let (kind, rest) = labels.split_last().unwrap_or((&"", &[]));
        match *kind {
            "pod" => {
                // a-b-c-d.<ns>.pod.<zone> (`pods insecure`)
                if rest.len() != 2 {
                    return self.nxdomain(&qname, qtype, true);
                }
                let ip = rest[0].replace('-', ".");
                if !is_ipv4(&ip) {
                    return self.nxdomain(&qname, qtype, true);
                }
                if qtype != RecordType::A {
                    return self.nodata(&qname, qtype);
                }
                let mut a = self.nodata(&qname, qtype);
                a.authority.clear();
                a.answers.push(Record {
                    name: qname.clone(),
                    ttl: TTL,
                    data: RData::A(ip),
                });
                a
            }
            "svc" => {
                let (endpoint, port, protocol, service, namespace) = match rest {
                    [] => return self.nodata(&qname, qtype),
                    [ns] => {
                        let known = self.services.iter().any(|s| ns_of_svc(s) == *ns);
                        return if known {
                            self.nodata(&qname, qtype)
                        } else {
                            self.nxdomain(&qname, qtype, true)
                        };
                    }
                    [svc, ns] => ("", "", "", *svc, *ns),
                    [ep, svc, ns] => (*ep, "", "", *svc, *ns),
                    [port, proto, svc, ns] => (
                        "",
                        port.trim_start_matches('_'),
                        proto.trim_start_matches('_'),
                        *svc,
                        *ns,
                    ),
                    _ => return self.nxdomain(&qname, qtype, true),
                };
                let entries = self.find_services(endpoint, service, namespace, port, protocol);
                self.respond(&qname, qtype, entries)
            }
            _ => self.nxdomain(&qname, qtype, true),
        }
    }

    /// The names a pod's resolver tries for `name` (resolv.conf `search <ns>.svc.cluster.local
    /// svc.cluster.local cluster.local`, `ndots:5`): absolute names as is; names with at least
    /// 5 dots first as is, then with the search suffixes; others the reverse.
    pub fn search_candidates(&self, name: &str, pod_namespace: &str) -> Vec<String> {
        if name.ends_with('.') {
            return vec![name.to_string()];
        }
        let search = [
            format!("{pod_namespace}.svc.{}", self.zone),
            format!("svc.{}", self.zone),
            self.zone.clone(),
        ];
        let with_search: Vec<String> = search.iter().map(|s| format!("{name}.{s}.")).collect();
        let bare = format!("{name}.");
        if name.matches('.').count() >= NDOTS {
            std::iter::once(bare).chain(with_search).collect()
        } else {
            with_search
                .into_iter()
                .chain(std::iter::once(bare))
                .collect()
        }
    }

    /// Resolves `name` as a program in a pod of `pod_namespace` would (search path applied).
    pub fn lookup_from_pod(&self, name: &str, qtype: RecordType, pod_namespace: &str) -> Lookup {
        let mut tried = Vec::new();
        let mut last = None;
        for candidate in self.search_candidates(name, pod_namespace) {
            let answer = self.query(&candidate, qtype);
            tried.push((candidate, answer.rcode, answer.answers.len()));
            let found = !answer.answers.is_empty();
            last = Some(answer);
            if found {
                break;
            }
        }
        let answer = last.unwrap_or_else(|| self.nxdomain(&absolute(name), qtype, false));
        Lookup { tried, answer }
    }
}

/// What a command prints and its exit status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandOutput {
    pub stdout: String,
    /// What the tool wrote to stderr (a name it refused), empty otherwise.
    pub stderr: String,
    pub exit_code: i32,
}

/// Longest name on the wire (RFC 1035 §2.3.4: 255 octets, i.e. 253 characters of text).
pub const MAX_NAME_WIRE_BYTES: usize = 255;
/// Longest label (RFC 1035 §2.3.4).
pub const MAX_LABEL_BYTES: usize = 63;

/// Why bind's `dns_name_fromtext` refuses `name`, in `isc_result_totext`'s words, or `None`
/// for a legal name: a label of more than 63 bytes (`label too long`), an empty label
/// (`empty label`), more than 255 bytes on the wire (`ran out of space`). Read left to
/// right like bind does, so the first problem met is the one told; linear in the name.
pub fn name_error(name: &str) -> Option<&'static str> {
    if name == "." {
        return None;
    }
    let text = name.strip_suffix('.').unwrap_or(name);
    let mut wire = 0usize;
    for label in text.split('.') {
        if label.is_empty() {
            return Some("empty label");
        }
        wire += 1;
        for (i, _) in label.bytes().enumerate() {
            if i >= MAX_LABEL_BYTES {
                return Some("label too long");
            }
            wire += 1;
            if wire >= MAX_NAME_WIRE_BYTES {
                return Some("ran out of space");
            }
        }
    }
    None
}

/// The refusal of a tool (`dig`, `nslookup`) given an illegal name: bind's dighost prints
/// `<tool>: '<name>' is not a legal name (<reason>)` on stderr and exits (10 for dig, whose
/// `digexit` raises the exit code to 10).
fn illegal_name(tool: &str, name: &str, reason: &str, stdout: String, code: i32) -> CommandOutput {
    CommandOutput {
        stdout,
        stderr: format!("{tool}: '{name}' is not a legal name ({reason})\n"),
        exit_code: code,
    }
}

fn display(name: &str) -> &str {
    name.strip_suffix('.').unwrap_or(name)
}

/// `nslookup NAME` (bind9 nslookup) run in a pod of `pod_namespace`. An IPv4 address is
/// looked up as PTR; `qtype` defaults to A (`-type=srv` etc. pass `Some`).
///
/// `Server:\t\t10.96.0.10`, `Address:\t10.96.0.10#53`, a blank line, then per A record
/// `Name:\t<fqdn>` and `Address: <ip>`, and a final blank line (SRV: `<owner>\tservice =
/// <prio> <weight> <port> <target>`; PTR: `<owner>\tname = <target>`).
/// NXDOMAIN prints `** server can't find NAME: NXDOMAIN` (exit 1); an empty answer
/// `*** Can't find NAME: No answer` (exit 1).
pub fn nslookup(
    dns: &Dns,
    name: &str,
    qtype: Option<RecordType>,
    pod_namespace: &str,
) -> CommandOutput {
    if let Some(reason) = name_error(name) {
        return illegal_name("nslookup", name, reason, String::new(), 1);
    }
    let mut out = format!("Server:\t\t{DNS_SERVER_IP}\nAddress:\t{DNS_SERVER_IP}#53\n\n");
    let (asked, lookup) = match reverse_name(name) {
        Some(rev) if qtype.is_none() || qtype == Some(RecordType::Ptr) => {
            let answer = dns.query(&rev, RecordType::Ptr);
            (
                rev.clone(),
                Lookup {
                    tried: vec![(absolute(&rev), answer.rcode, answer.answers.len())],
                    answer,
                },
            )
        }
        _ => (
            name.to_string(),
            dns.lookup_from_pod(name, qtype.unwrap_or(RecordType::A), pod_namespace),
        ),
    };
    let answer = &lookup.answer;
    if answer.answers.is_empty() {
        if lookup.tried.iter().any(|t| t.1 == Rcode::NoError) {
            out.push_str(&format!("*** Can't find {asked}: No answer\n\n"));
        } else {
            out.push_str(&format!("** server can't find {asked}: NXDOMAIN\n\n"));
        }
        return CommandOutput {
            stdout: out,
            stderr: String::new(),
            exit_code: 1,
        };
    }
    for r in &answer.answers {
        let owner = display(&r.name);
        match &r.data {
            RData::A(ip) | RData::Aaaa(ip) => {
                out.push_str(&format!("Name:\t{owner}\nAddress: {ip}\n"));
            }
            RData::Srv { .. } => {
                out.push_str(&format!("{owner}\tservice = {}\n", r.rdata_text()));
            }
            RData::Ptr(t) => out.push_str(&format!("{owner}\tname = {t}\n")),
            RData::Cname(t) => out.push_str(&format!("{owner}\tcanonical name = {t}\n")),
            RData::Txt(_) => out.push_str(&format!("{owner}\ttext = {}\n", r.rdata_text())),
            RData::Soa { .. } => {
                out.push_str(&format!("{owner}\n\torigin = ...\n"));
            }
        }
    }
    out.push('\n');
    CommandOutput {
        stdout: out,
        stderr: String::new(),
        exit_code: 0,
    }
}

/// Fixed parts of the `dig` transcript: server, clock line and message id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DigContext {
    pub server: String,
    /// The `;; WHEN:` text (e.g. `Wed Nov 25 20:40:00 UTC 2026`); the line is omitted when empty.
    pub when: String,
    /// Message id; `None` derives one from the question.
    pub id: Option<u16>,
}

impl Default for DigContext {
    fn default() -> Self {
        DigContext {
            server: DNS_SERVER_IP.to_string(),
            when: String::new(),
            id: None,
        }
    }
}

/// bind's `indent()` (lib/dns/masterdump.c): from the current column to `target` (at least
/// one column further), tabs while a tab stop is crossed, then spaces. dig's default style
/// puts TTL at 24, class at 32, type at 40, rdata at 48.
pub(crate) fn column(line: &mut String, target: usize) {
    let from = line.chars().fold(0usize, |col, c| {
        if c == '\t' {
            (col / 8 + 1) * 8
        } else {
            col + 1
        }
    });
    let to = target.max(from + 1);
    let tabs = to / 8 - from / 8;
    let mut at = from;
    if tabs > 0 {
        line.extend(std::iter::repeat_n('\t', tabs));
        at = (to / 8) * 8;
    }
    line.extend(std::iter::repeat_n(' ', to - at));
}

fn format_record(r: &Record) -> String {
    let mut line = r.name.clone();
    column(&mut line, 24);
    line.push_str(&r.ttl.to_string());
    column(&mut line, 32);
    line.push_str("IN");
    column(&mut line, 40);
    line.push_str(r.type_().as_str());
    column(&mut line, 48);
    line.push_str(&r.rdata_text());
    line
}

/// Wire size of a name given the names already in the message (RFC 1035 compression).
fn name_wire_len(name: &str, seen: &mut BTreeSet<String>, compress: bool) -> usize {
    let trimmed = name.trim_end_matches('.');
    if trimmed.is_empty() {
        return 1;
    }
    let labels: Vec<&str> = trimmed.split('.').collect();
    let mut len = 0;
    let mut result = None;
    for i in 0..labels.len() {
        let suffix = labels[i..].join(".").to_ascii_lowercase();
        if compress && seen.contains(&suffix) {
            result = Some(len + 2);
            break;
        }
        len += labels[i].len() + 1;
    }
    for i in 0..labels.len() {
        seen.insert(labels[i..].join(".").to_ascii_lowercase());
    }
    result.unwrap_or(len + 1)
}

fn record_wire_len(r: &Record, seen: &mut BTreeSet<String>) -> usize {
    let owner = name_wire_len(&r.name, seen, true);
    let rdata = match &r.data {
        RData::A(_) => 4,
        RData::Aaaa(_) => 16,
        RData::Srv { target, .. } => 6 + name_wire_len(target, seen, false),
        RData::Ptr(t) | RData::Cname(t) => name_wire_len(t, seen, true),
        RData::Txt(t) => 1 + t.len(),
        RData::Soa { mname, rname, .. } => {
            name_wire_len(mname, seen, true) + name_wire_len(rname, seen, true) + 20
        }
    };
    owner + 10 + rdata
}

/// Size of the response on the wire: header, question, records (names compressed except SRV
/// targets, as CoreDNS's `miekg/dns` packs them) and an 11-byte EDNS0 OPT record.
pub fn message_size(answer: &Answer) -> usize {
    let mut seen = BTreeSet::new();
    let mut size = 12 + name_wire_len(&answer.name, &mut seen, true) + 4;
    for r in answer
        .answers
        .iter()
        .chain(&answer.authority)
        .chain(&answer.additional)
    {
        size += record_wire_len(r, &mut seen);
    }
    size + 11
}

fn derive_id(name: &str) -> u16 {
    let h = name.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    (h >> 16) as u16 ^ (h as u16)
}

/// `dig ARGS...` run in a pod of `pod_namespace`. Understood arguments: a name, a type
/// (`A`, `AAAA`, `SRV`, `PTR`, `TXT`, `SOA`, `CNAME`), `-x IP`, `+short`, `+search` /
/// `+nosearch` (dig does **not** apply the search path by default, so `dig web-0.nginx`
/// is NXDOMAIN while `nslookup web-0.nginx` works); other `+options` are ignored.
///
/// Fixed parts (documented simplifications): banner version [`DIG_VERSION`], `;; global
/// options: +cmd`, an EDNS `udp: 1232` pseudosection without cookie, `Query time: 0 msec`,
/// `(UDP)`; flags `qr aa rd` plus the "recursion requested but not available" warning for
/// answers from the cluster zone, `qr rd ra` otherwise. Exit status 0 even for NXDOMAIN.
pub fn dig(dns: &Dns, args: &[&str], pod_namespace: &str, ctx: &DigContext) -> CommandOutput {
    let mut name: Option<String> = None;
    let mut qtype: Option<RecordType> = None;
    let mut short = false;
    let mut search = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        match a {
            "+short" => short = true,
            "+search" => search = true,
            "+nosearch" => search = false,
            "-x" => {
                if let Some(ip) = args.get(i + 1) {
                    name = reverse_name(ip).or_else(|| Some(ip.to_string()));
                    qtype = Some(RecordType::Ptr);
                    i += 1;
                }
            }
            _ if a.starts_with('+') || a.starts_with('@') => {}
            _ => match RecordType::parse(a) {
                Some(t) if qtype.is_none() => qtype = Some(t),
                _ if name.is_none() => name = Some(a.to_string()),
                _ => {}
            },
        }
        i += 1;
    }
    let name = name.unwrap_or_else(|| ".".to_string());
    let qtype = qtype.unwrap_or(RecordType::A);
    if let Some(reason) = name_error(&name) {
        // dig prints its greeting (not with +short) before it builds the query.
        let greeting = if short {
            String::new()
        } else {
            format!(
                "\n; <<>> DiG {DIG_VERSION} <<>> {}\n;; global options: +cmd\n",
                args.join(" ")
            )
        };
        return illegal_name("dig", &name, reason, greeting, 10);
    }
    let answer = if search {
        dns.lookup_from_pod(&name, qtype, pod_namespace).answer
    } else {
        dns.query(&name, qtype)
    };
    if short {
        let stdout: String = answer
            .answers
            .iter()
            .map(|r| format!("{}\n", r.rdata_text()))
            .collect();
        return CommandOutput {
            stdout,
            stderr: String::new(),
            exit_code: 0,
        };
    }
    let id = ctx.id.unwrap_or_else(|| derive_id(&answer.name));
    let flags = if answer.authoritative {
        "qr aa rd"
    } else {
        "qr rd ra"
    };
    let mut out = String::new();
    out.push_str(&format!(
        "\n; <<>> DiG {DIG_VERSION} <<>> {}\n;; global options: +cmd\n;; Got answer:\n",
        args.join(" ")
    ));
    out.push_str(&format!(
        ";; ->>HEADER<<- opcode: QUERY, status: {}, id: {id}\n",
        answer.rcode.as_str()
    ));
    out.push_str(&format!(
        ";; flags: {flags}; QUERY: 1, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: {}\n",
        answer.answers.len(),
        answer.authority.len(),
        answer.additional.len() + 1
    ));
    if answer.authoritative {
        out.push_str(";; WARNING: recursion requested but not available\n");
    }
    out.push_str("\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n");
    out.push_str(";; QUESTION SECTION:\n");
    let mut q = format!(";{}", answer.name);
    column(&mut q, 32);
    q.push_str("IN");
    column(&mut q, 40);
    q.push_str(qtype.as_str());
    out.push_str(&q);
    out.push('\n');
    for (title, records) in [
        ("ANSWER", &answer.answers),
        ("AUTHORITY", &answer.authority),
        ("ADDITIONAL", &answer.additional),
    ] {
        if records.is_empty() {
            continue;
        }
        out.push_str(&format!("\n;; {title} SECTION:\n"));
        for r in records {
            out.push_str(&format_record(r));
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "\n;; Query time: 0 msec\n;; SERVER: {0}#53({0}) (UDP)\n",
        ctx.server
    ));
    if !ctx.when.is_empty() {
        out.push_str(&format!(";; WHEN: {}\n", ctx.when));
    }
    out.push_str(&format!(";; MSG SIZE  rcvd: {}\n\n", message_size(&answer)));
    CommandOutput {
        stdout: out,
        stderr: String::new(),
        exit_code: 0,
    }
}

/// Why the pods of a StatefulSet have no `<pod>.<serviceName>.<ns>.svc.cluster.local`
/// names, or `None` when they all resolve. Checks, in order: `spec.serviceName` is set; a
/// Service of that name exists in the set's namespace; it is headless; it has a selector
/// that selects the pod template's labels; and (when `pods` are given) which of the set's
/// pods are not Ready (CoreDNS serves only ready endpoints unless the Service sets
/// `publishNotReadyAddresses`). In English; [`explain_no_pod_dns_phrase`] for the page.
pub fn explain_no_pod_dns<'a>(
    set: &StatefulSet,
    services: impl IntoIterator<Item = &'a Service>,
    pods: impl IntoIterator<Item = &'a Pod>,
) -> Option<String> {
    explain_no_pod_dns_phrase(set, services, pods).map(|p| p.to_string())
}

/// [`explain_no_pod_dns`] as a phrase.
pub fn explain_no_pod_dns_phrase<'a>(
    set: &StatefulSet,
    services: impl IntoIterator<Item = &'a Service>,
    pods: impl IntoIterator<Item = &'a Pod>,
) -> Option<Phrase> {
    let set_name = set.metadata.name.as_deref().unwrap_or("");
    let ns = set.metadata.namespace.as_deref().unwrap_or("default");
    let spec = set.spec.as_ref()?;
    let service_name = spec.service_name.as_deref().unwrap_or("");
    if service_name.is_empty() {
        return Some(Phrase::new("dns.no-service-name", [set_name]));
    }
    let services: Vec<&Service> = services.into_iter().collect();
    let Some(svc) = services
        .iter()
        .find(|s| name_of_svc(s) == service_name && ns_of_svc(s) == ns)
    else {
        return Some(Phrase::new(
            "dns.no-service",
            [
                format!("{service_name:?}"),
                service_name.to_string(),
                ns.to_string(),
            ],
        ));
    };
    if !is_headless(svc) {
        let ip = svc
            .spec
            .as_ref()
            .and_then(|s| s.cluster_ip.clone())
            .unwrap_or_default();
        let fqdn = format!("{service_name}.{ns}.svc.{CLUSTER_DOMAIN}");
        return Some(if ip.is_empty() {
            Phrase::new("dns.not-headless-any", [service_name, &fqdn])
        } else {
            Phrase::new("dns.not-headless", [service_name, &ip, &fqdn])
        });
    }
    let template_labels: BTreeMap<String, String> = spec
        .template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    let has_selector = svc
        .spec
        .as_ref()
        .and_then(|s| s.selector.as_ref())
        .is_some_and(|s| !s.is_empty());
    if !has_selector {
        return Some(Phrase::new("dns.no-selector", [service_name]));
    }
    if !service_selects(svc, &template_labels) {
        return Some(Phrase::new(
            "dns.selector-mismatch",
            [service_name, set_name],
        ));
    }
    let publish = svc
        .spec
        .as_ref()
        .and_then(|s| s.publish_not_ready_addresses)
        .unwrap_or(false);
    let owned: Vec<&Pod> = selected_pods(svc, pods)
        .into_iter()
        .filter(|p| {
            p.metadata.owner_references.as_ref().is_none_or(|refs| {
                refs.is_empty()
                    || refs
                        .iter()
                        .any(|r| r.kind == "StatefulSet" && r.name == set_name)
            })
        })
        .collect();
    if owned.is_empty() {
        let replicas = spec.replicas.unwrap_or(1);
        return (replicas > 0).then(|| Phrase::new("dns.no-pods", [set_name, service_name]));
    }
    if publish {
        return None;
    }
    let not_ready: Vec<String> = owned
        .iter()
        .filter(|p| !is_pod_ready(p))
        .filter_map(|p| p.metadata.name.clone())
        .collect();
    if not_ready.is_empty() {
        return None;
    }
    Some(Phrase::new(
        if not_ready.len() > 1 {
            "dns.pods-not-ready"
        } else {
            "dns.pod-not-ready"
        },
        [not_ready.join(", "), service_name.to_string()],
    ))
}
