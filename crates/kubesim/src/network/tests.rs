//! Tests for endpoint slices, legacy Endpoints and the DNS resolver (seed case: headless
//! Service `mongo` with pods mongo-0..2).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{StatefulSet, StatefulSetSpec};
use k8s_openapi::api::core::v1::{
    Container, ContainerPort, Node, Pod, PodCondition, PodIP, PodSpec, PodStatus, PodTemplateSpec,
    Service, ServicePort, ServiceSpec,
};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::dns::column;
use super::*;

fn labels(pairs: &[(&str, &str)]) -> Option<BTreeMap<String, String>> {
    Some(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

fn headless(name: &str, port: Option<(&str, i32, Option<IntOrString>)>) -> Service {
    Service {
        metadata: ObjectMeta {
            name: Some(name.into()),
            namespace: Some("default".into()),
            uid: Some(format!("uid-svc-{name}")),
            labels: labels(&[("app", name)]),
            ..Default::default()
        },
        spec: Some(ServiceSpec {
            cluster_ip: Some("None".into()),
            selector: labels(&[("app", name)]),
            ports: port.map(|(n, p, t)| {
                vec![ServicePort {
                    name: Some(n.into()),
                    port: p,
                    target_port: t,
                    protocol: Some("TCP".into()),
                    ..Default::default()
                }]
            }),
            ..Default::default()
        }),
        status: None,
    }
}

fn mongo_service() -> Service {
    headless("mongo", Some(("mongodb", 27017, None)))
}

fn mongo_pod(i: usize, ready: bool) -> Pod {
    Pod {
        metadata: ObjectMeta {
            name: Some(format!("mongo-{i}")),
            namespace: Some("default".into()),
            uid: Some(format!("uid-mongo-{i}")),
            labels: labels(&[("app", "mongo")]),
            ..Default::default()
        },
        spec: Some(PodSpec {
            hostname: Some(format!("mongo-{i}")),
            subdomain: Some("mongo".into()),
            node_name: Some(format!("node-{i}")),
            containers: vec![Container {
                name: "mongo".into(),
                ports: Some(vec![ContainerPort {
                    name: Some("peer".into()),
                    container_port: 27018,
                    ..Default::default()
                }]),
                ..Default::default()
            }],
            ..Default::default()
        }),
        status: Some(PodStatus {
            phase: Some("Running".into()),
            pod_ip: Some(format!("10.244.{}.{}", i + 1, i + 5)),
            pod_ips: Some(vec![PodIP {
                ip: format!("10.244.{}.{}", i + 1, i + 5),
            }]),
            conditions: Some(vec![PodCondition {
                type_: "Ready".into(),
                status: if ready { "True" } else { "False" }.into(),
                ..Default::default()
            }]),
            ..Default::default()
        }),
    }
}

fn nodes() -> Vec<Node> {
    (0..3)
        .map(|i| Node {
            metadata: ObjectMeta {
                name: Some(format!("node-{i}")),
                labels: labels(&[(LABEL_ZONE, &format!("zone-{}", i % 2))]),
                ..Default::default()
            },
            ..Default::default()
        })
        .collect()
}

fn slice(svc: &Service, pods: &[Pod]) -> EndpointSlice {
    endpoint_slice_for(svc, pods, &nodes()).expect("managed slice")
}

#[test]
fn slice_for_the_seed_case() {
    let svc = mongo_service();
    let pods: Vec<Pod> = (0..3).map(|i| mongo_pod(i, true)).collect();
    let s = slice(&svc, &pods);
    let name = s.metadata.name.clone().unwrap();
    assert!(
        name.starts_with("mongo-") && name.len() == "mongo-".len() + 5,
        "{name}"
    );
    assert_eq!(name, slice_name(&svc, 0), "deterministic");
    assert_eq!(s.metadata.generate_name.as_deref(), Some("mongo-"));
    let l = s.metadata.labels.as_ref().unwrap();
    assert_eq!(l[LABEL_SERVICE_NAME], "mongo");
    assert_eq!(l[LABEL_MANAGED_BY], "endpointslice-controller.k8s.io");
    assert_eq!(l[LABEL_HEADLESS], "");
    assert_eq!(l["app"], "mongo");
    let owner = &s.metadata.owner_references.as_ref().unwrap()[0];
    assert_eq!(
        (owner.kind.as_str(), owner.controller),
        ("Service", Some(true))
    );
    assert_eq!(s.address_type, "IPv4");
    let ports = s.ports.as_ref().unwrap();
    assert_eq!(ports[0].name.as_deref(), Some("mongodb"));
    assert_eq!(ports[0].port, Some(27017));
    assert_eq!(ports[0].protocol.as_deref(), Some("TCP"));
    assert_eq!(s.endpoints.len(), 3);
    let e1 = &s.endpoints[1];
    assert_eq!(e1.addresses, vec!["10.244.2.6".to_string()]);
    assert_eq!(e1.hostname.as_deref(), Some("mongo-1"));
    assert_eq!(e1.node_name.as_deref(), Some("node-1"));
    assert_eq!(e1.zone.as_deref(), Some("zone-1"));
    let tr = e1.target_ref.as_ref().unwrap();
    assert_eq!(
        (tr.kind.as_deref(), tr.name.as_deref(), tr.uid.as_deref()),
        (Some("Pod"), Some("mongo-1"), Some("uid-mongo-1"))
    );
    let c = e1.conditions.as_ref().unwrap();
    assert_eq!(
        (c.ready, c.serving, c.terminating),
        (Some(true), Some(true), Some(false))
    );
}

#[test]
fn slice_conditions_for_unready_and_terminating_pods() {
    let svc = mongo_service();
    let mut terminating = mongo_pod(0, true);
    terminating.metadata.deletion_timestamp = Some(Time(Default::default()));
    let pods = vec![terminating, mongo_pod(1, false)];
    let s = slice(&svc, &pods);
    let c0 = s.endpoints[0].conditions.as_ref().unwrap();
    assert_eq!(
        (c0.ready, c0.serving, c0.terminating),
        (Some(false), Some(true), Some(true))
    );
    let c1 = s.endpoints[1].conditions.as_ref().unwrap();
    assert_eq!(
        (c1.ready, c1.serving, c1.terminating),
        (Some(false), Some(false), Some(false))
    );

    // publishNotReadyAddresses: ready regardless
    let mut publish = svc.clone();
    publish.spec.as_mut().unwrap().publish_not_ready_addresses = Some(true);
    let s = slice(&publish, &pods);
    assert!(s
        .endpoints
        .iter()
        .all(|e| e.conditions.as_ref().unwrap().ready == Some(true)));
}

#[test]
fn legacy_endpoints_drop_terminating_pods_and_split_not_ready() {
    let svc = mongo_service();
    let mut terminating = mongo_pod(0, true);
    terminating.metadata.deletion_timestamp = Some(Time(Default::default()));
    let pods = vec![terminating, mongo_pod(1, false), mongo_pod(2, true)];
    let ep = endpoints_for(&svc, &pods).unwrap();
    assert_eq!(ep.metadata.name.as_deref(), Some("mongo"));
    assert_eq!(ep.metadata.labels.as_ref().unwrap()[LABEL_HEADLESS], "");
    let subsets = ep.subsets.as_ref().unwrap();
    assert_eq!(subsets.len(), 1);
    let ready: Vec<&str> = subsets[0]
        .addresses
        .iter()
        .flatten()
        .map(|a| a.ip.as_str())
        .collect();
    let not_ready: Vec<&str> = subsets[0]
        .not_ready_addresses
        .iter()
        .flatten()
        .map(|a| a.ip.as_str())
        .collect();
    assert_eq!(ready, vec!["10.244.3.7"]);
    assert_eq!(not_ready, vec!["10.244.2.6"]);
    assert_eq!(
        subsets[0].addresses.as_ref().unwrap()[0]
            .hostname
            .as_deref(),
        Some("mongo-2")
    );
    assert_eq!(subsets[0].ports.as_ref().unwrap()[0].port, 27017);

    let mut publish = svc.clone();
    publish.spec.as_mut().unwrap().publish_not_ready_addresses = Some(true);
    let ep = endpoints_for(&publish, &pods).unwrap();
    assert_eq!(
        ep.subsets.as_ref().unwrap()[0]
            .addresses
            .as_ref()
            .unwrap()
            .len(),
        3
    );

    // no pods: subsets null
    assert!(endpoints_for(&svc, &[]).unwrap().subsets.is_none());
    // headless without ports still lists addresses
    let portless = headless("mongo", None);
    let ep = endpoints_for(&portless, &pods[2..]).unwrap();
    let sub = &ep.subsets.as_ref().unwrap()[0];
    assert!(sub.ports.is_none());
    assert_eq!(sub.addresses.as_ref().unwrap().len(), 1);
}

#[test]
fn legacy_addresses_sort_by_ip_string() {
    let svc = mongo_service();
    let mut a = mongo_pod(0, true);
    a.status.as_mut().unwrap().pod_ips = Some(vec![PodIP {
        ip: "10.244.10.1".into(),
    }]);
    let b = mongo_pod(1, true); // 10.244.2.6
    let ep = endpoints_for(&svc, &[b, a]).unwrap();
    let ips: Vec<String> = ep.subsets.unwrap()[0]
        .addresses
        .clone()
        .unwrap()
        .into_iter()
        .map(|a| a.ip)
        .collect();
    assert_eq!(ips, vec!["10.244.10.1", "10.244.2.6"]);
}

#[test]
fn hostname_only_when_subdomain_names_the_service() {
    let svc = mongo_service();
    let mut other = mongo_pod(0, true);
    other.spec.as_mut().unwrap().subdomain = Some("mongo-headless".into());
    let mut no_hostname = mongo_pod(1, true);
    no_hostname.spec.as_mut().unwrap().hostname = None;
    let s = slice(&svc, &[other.clone(), no_hostname]);
    assert!(s.endpoints.iter().all(|e| e.hostname.is_none()));
    // a pod in another namespace is not selected at all
    other.metadata.namespace = Some("prod".into());
    assert!(slice(&svc, &[other]).endpoints.is_empty());
}

#[test]
fn pods_without_ip_or_finished_are_left_out() {
    let svc = mongo_service();
    let mut pending = mongo_pod(0, false);
    pending.status.as_mut().unwrap().pod_ip = None;
    pending.status.as_mut().unwrap().pod_ips = None;
    let mut failed = mongo_pod(1, false);
    failed.status.as_mut().unwrap().phase = Some("Failed".into());
    let s = slice(&svc, &[pending, failed]);
    assert!(s.endpoints.is_empty());
    assert!(s.ports.is_none(), "placeholder slice");
}

#[test]
fn named_target_port_resolves_against_container_ports() {
    let svc = headless(
        "mongo",
        Some(("peer", 80, Some(IntOrString::String("peer".into())))),
    );
    let s = slice(&svc, &[mongo_pod(0, true)]);
    assert_eq!(s.ports.as_ref().unwrap()[0].port, Some(27018));
    let svc = headless(
        "mongo",
        Some(("x", 80, Some(IntOrString::String("nope".into())))),
    );
    let s = slice(&svc, &[mongo_pod(0, true)]);
    assert_eq!(
        s.ports.as_ref().unwrap().len(),
        0,
        "unresolvable port dropped"
    );
    let svc = headless("mongo", Some(("x", 80, Some(IntOrString::Int(8080)))));
    assert_eq!(
        slice(&svc, &[mongo_pod(0, true)]).ports.unwrap()[0].port,
        Some(8080)
    );
}

#[test]
fn services_without_selector_get_nothing() {
    let mut svc = mongo_service();
    svc.spec.as_mut().unwrap().selector = None;
    assert!(endpoint_slice_for(&svc, &[mongo_pod(0, true)], &[]).is_none());
    assert!(endpoints_for(&svc, &[mongo_pod(0, true)]).is_none());
}

struct Cluster {
    services: Vec<Service>,
    slices: Vec<EndpointSlice>,
}

fn cluster(ready: [bool; 3]) -> Cluster {
    let svc = mongo_service();
    let pods: Vec<Pod> = (0..3).map(|i| mongo_pod(i, ready[i])).collect();
    let mut web = Service {
        metadata: ObjectMeta {
            name: Some("web".into()),
            namespace: Some("default".into()),
            ..Default::default()
        },
        spec: Some(ServiceSpec {
            cluster_ip: Some("10.96.14.2".into()),
            cluster_ips: Some(vec!["10.96.14.2".into()]),
            selector: labels(&[("app", "mongo")]),
            ports: Some(vec![ServicePort {
                name: Some("http".into()),
                port: 80,
                ..Default::default()
            }]),
            ..Default::default()
        }),
        status: None,
    };
    web.metadata.uid = Some("uid-web".into());
    let slices = vec![slice(&svc, &pods), slice(&web, &pods)];
    Cluster {
        services: vec![svc, web],
        slices,
    }
}

fn a_records(ans: &Answer) -> Vec<String> {
    ans.answers.iter().map(|r| r.rdata_text()).collect()
}

#[test]
fn per_pod_name_resolves_to_its_ip() {
    let c = cluster([true; 3]);
    let dns = Dns::new(&c.services, &c.slices);
    let ans = dns.query("mongo-1.mongo.default.svc.cluster.local", RecordType::A);
    assert_eq!(ans.rcode, Rcode::NoError);
    assert_eq!(a_records(&ans), vec!["10.244.2.6"]);
    assert_eq!(ans.answers[0].ttl, 30);
    let all = dns.query("mongo.default.svc.cluster.local.", RecordType::A);
    assert_eq!(
        a_records(&all),
        vec!["10.244.1.5", "10.244.2.6", "10.244.3.7"]
    );
    // case-insensitive
    assert_eq!(
        a_records(&dns.query("MONGO-1.Mongo.default.svc.cluster.local", RecordType::A)),
        vec!["10.244.2.6"]
    );
}

#[test]
fn unready_pods_are_invisible_and_none_ready_is_nxdomain() {
    let c = cluster([true, false, true]);
    let dns = Dns::new(&c.services, &c.slices);
    assert_eq!(
        dns.query("mongo-1.mongo.default.svc.cluster.local", RecordType::A)
            .rcode,
        Rcode::NxDomain
    );
    assert_eq!(
        a_records(&dns.query("mongo.default.svc.cluster.local", RecordType::A)),
        vec!["10.244.1.5", "10.244.3.7"]
    );

    let c = cluster([false; 3]);
    let dns = Dns::new(&c.services, &c.slices);
    let ans = dns.query("mongo.default.svc.cluster.local", RecordType::A);
    assert_eq!(ans.rcode, Rcode::NxDomain);
    assert_eq!(ans.authority[0].type_(), RecordType::Soa);
    // the ClusterIP service still answers with its virtual IP
    assert_eq!(
        a_records(&dns.query("web.default.svc.cluster.local", RecordType::A)),
        vec!["10.96.14.2"]
    );
}

#[test]
fn search_path_resolves_short_names_from_a_pod() {
    let c = cluster([true; 3]);
    let dns = Dns::new(&c.services, &c.slices);
    let l = dns.lookup_from_pod("mongo-0.mongo", RecordType::A, "default");
    assert!(l.found());
    assert_eq!(l.tried[0].0, "mongo-0.mongo.default.svc.cluster.local.");
    assert_eq!(
        l.answer.answers[0].name,
        "mongo-0.mongo.default.svc.cluster.local."
    );
    assert_eq!(a_records(&l.answer), vec!["10.244.1.5"]);
    // from another namespace the short name fails; adding the namespace works
    let l = dns.lookup_from_pod("mongo-0.mongo", RecordType::A, "prod");
    assert!(!l.found());
    assert_eq!(l.tried.len(), 4);
    let l = dns.lookup_from_pod("mongo-0.mongo.default", RecordType::A, "prod");
    assert!(l.found());
    assert_eq!(l.tried[1].0, "mongo-0.mongo.default.svc.cluster.local.");
    // 5+ dots: tried as is first
    let l = dns.lookup_from_pod(
        "mongo-0.mongo.default.svc.cluster.local",
        RecordType::A,
        "prod",
    );
    assert_eq!(l.tried.len(), 1);
}

#[test]
fn srv_weights_are_floor_of_100_over_n() {
    for (ready, weight) in [
        ([true; 3], 33),
        ([true, true, false], 50),
        ([true, false, false], 100),
    ] {
        let c = cluster(ready);
        let dns = Dns::new(&c.services, &c.slices);
        let ans = dns.query(
            "_mongodb._tcp.mongo.default.svc.cluster.local",
            RecordType::Srv,
        );
        let n = ready.iter().filter(|r| **r).count();
        assert_eq!(ans.answers.len(), n);
        for r in &ans.answers {
            let RData::Srv {
                priority,
                weight: w,
                port,
                target,
            } = &r.data
            else {
                panic!()
            };
            assert_eq!((*priority, *w, *port), (0, weight, 27017));
            assert!(target.ends_with(".mongo.default.svc.cluster.local."));
        }
        assert_eq!(ans.additional.len(), n);
    }
    let c = cluster([true; 3]);
    let dns = Dns::new(&c.services, &c.slices);
    assert_eq!(
        dns.query(
            "_http._tcp.mongo.default.svc.cluster.local",
            RecordType::Srv
        )
        .rcode,
        Rcode::NxDomain
    );
    let web = dns.query("_http._tcp.web.default.svc.cluster.local", RecordType::Srv);
    assert_eq!(
        web.answers[0].rdata_text(),
        "0 100 80 web.default.svc.cluster.local."
    );
}

#[test]
fn ptr_and_dashed_ip_names() {
    let c = cluster([true; 3]);
    let dns = Dns::new(&c.services, &c.slices);
    let ptr = dns.query("6.2.244.10.in-addr.arpa", RecordType::Ptr);
    let targets = a_records(&ptr);
    assert!(targets.contains(&"mongo-1.mongo.default.svc.cluster.local.".to_string()));
    // the ClusterIP service's slice has no hostnames: dashed-IP name
    assert!(targets.contains(&"10-244-2-6.web.default.svc.cluster.local.".to_string()));
    assert_eq!(
        a_records(&dns.query("10-244-2-6.web.default.svc.cluster.local", RecordType::A)),
        vec!["10.244.2.6"]
    );
    assert_eq!(
        a_records(&dns.query("2.14.96.10.in-addr.arpa", RecordType::Ptr)),
        vec!["web.default.svc.cluster.local."]
    );
    assert_eq!(
        dns.query("9.9.9.10.in-addr.arpa", RecordType::Ptr).rcode,
        Rcode::NxDomain
    );
    assert_eq!(
        a_records(&dns.query("10-1-2-3.default.pod.cluster.local", RecordType::A)),
        vec!["10.1.2.3"]
    );
    assert_eq!(
        a_records(&dns.query("dns-version.cluster.local", RecordType::Txt)),
        vec!["\"1.1.0\""]
    );
}

#[test]
fn nslookup_output_matches_bind9_layout() {
    let c = cluster([true; 3]);
    let dns = Dns::new(&c.services, &c.slices);
    let out = nslookup(&dns, "mongo-0.mongo", None, "default");
    assert_eq!(out.exit_code, 0);
    assert_eq!(
        out.stdout,
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tmongo-0.mongo.default.svc.cluster.local\nAddress: 10.244.1.5\n\n"
    );
    let out = nslookup(&dns, "mongo-9.mongo", None, "default");
    assert_eq!(out.exit_code, 1);
    assert!(
        out.stdout
            .ends_with("** server can't find mongo-9.mongo: NXDOMAIN\n\n"),
        "{}",
        out.stdout
    );
    let out = nslookup(&dns, "10.244.1.5", None, "default");
    assert!(
        out.stdout
            .contains("5.1.244.10.in-addr.arpa\tname = mongo-0.mongo.default.svc.cluster.local.\n"),
        "{}",
        out.stdout
    );
    let out = nslookup(
        &dns,
        "_mongodb._tcp.mongo",
        Some(RecordType::Srv),
        "default",
    );
    assert!(out.stdout.contains("_mongodb._tcp.mongo.default.svc.cluster.local\tservice = 0 33 27017 mongo-0.mongo.default.svc.cluster.local.\n"), "{}", out.stdout);
    let all = nslookup(&dns, "mongo", None, "default");
    assert_eq!(
        all.stdout
            .matches("Name:\tmongo.default.svc.cluster.local\n")
            .count(),
        3
    );
}

#[test]
fn dig_output_layout_and_no_search_by_default() {
    let c = cluster([true; 3]);
    let dns = Dns::new(&c.services, &c.slices);
    let ctx = DigContext {
        when: "Wed Nov 25 20:40:00 UTC 2026".into(),
        id: Some(4242),
        ..Default::default()
    };
    let out = dig(
        &dns,
        &["mongo-0.mongo.default.svc.cluster.local"],
        "default",
        &ctx,
    );
    let expected = "\n; <<>> DiG 9.18.33 <<>> mongo-0.mongo.default.svc.cluster.local\n;; global options: +cmd\n;; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4242\n;; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n;; WARNING: recursion requested but not available\n\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;mongo-0.mongo.default.svc.cluster.local. IN A\n\n;; ANSWER SECTION:\nmongo-0.mongo.default.svc.cluster.local. 30 IN A 10.244.1.5\n\n;; Query time: 0 msec\n;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n;; WHEN: Wed Nov 25 20:40:00 UTC 2026\n;; MSG SIZE  rcvd: 84\n\n";
    assert_eq!(out.stdout, expected);
    // 12 header + 41 qname + 4 + (2 + 10 + 4) answer + 11 OPT = 84
    let mut line = "kubernetes.default.svc.cluster.local.".to_string();
    column(&mut line, 24);
    line.push_str("30");
    column(&mut line, 32);
    line.push_str("IN");
    column(&mut line, 40);
    line.push('A');
    column(&mut line, 48);
    assert_eq!(
        line, "kubernetes.default.svc.cluster.local. 30 IN A\t",
        "as seen from real clusters"
    );
    let mut short = "google.com.".to_string();
    column(&mut short, 24);
    assert_eq!(short, "google.com.\t\t");

    let short = dig(&dns, &["+short", "mongo-0.mongo"], "default", &ctx);
    assert_eq!(short.stdout, "", "dig does not search by default");
    let short = dig(
        &dns,
        &["+short", "+search", "mongo-0.mongo"],
        "default",
        &ctx,
    );
    assert_eq!(short.stdout, "10.244.1.5\n");
    let srv = dig(
        &dns,
        &[
            "SRV",
            "_mongodb._tcp.mongo.default.svc.cluster.local",
            "+short",
        ],
        "default",
        &ctx,
    );
    assert_eq!(srv.stdout.lines().count(), 3);
    let rev = dig(&dns, &["-x", "10.244.1.5", "+short"], "default", &ctx);
    assert_eq!(
        rev.stdout,
        "mongo-0.mongo.default.svc.cluster.local.\n10-244-1-5.web.default.svc.cluster.local.\n",
        "one PTR per service that has the address as a ready endpoint"
    );
    let nx = dig(
        &dns,
        &["nothing.default.svc.cluster.local"],
        "default",
        &ctx,
    );
    assert!(nx.stdout.contains("status: NXDOMAIN"));
    assert!(nx.stdout.contains(";; AUTHORITY SECTION:\ncluster.local.\t\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 1764028800 7200 1800 86400 30\n"), "{}", nx.stdout);
    assert_eq!(nx.exit_code, 0);
}

fn mongo_set(service_name: Option<&str>) -> StatefulSet {
    StatefulSet {
        metadata: ObjectMeta {
            name: Some("mongo".into()),
            namespace: Some("default".into()),
            ..Default::default()
        },
        spec: Some(StatefulSetSpec {
            service_name: service_name.map(String::from),
            selector: LabelSelector {
                match_labels: labels(&[("app", "mongo")]),
                match_expressions: None,
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: labels(&[("app", "mongo")]),
                    ..Default::default()
                }),
                spec: None,
            },
            ..Default::default()
        }),
        status: None,
    }
}

#[test]
fn explain_why_a_set_has_no_pod_dns() {
    let svc = mongo_service();
    let pods: Vec<Pod> = (0..3).map(|i| mongo_pod(i, i != 2)).collect();
    let ready: Vec<Pod> = (0..3).map(|i| mongo_pod(i, true)).collect();
    let services = [svc.clone()];
    assert_eq!(
        explain_no_pod_dns(&mongo_set(Some("mongo")), &services, &ready),
        None
    );
    assert!(explain_no_pod_dns(&mongo_set(None), &services, &ready)
        .unwrap()
        .contains("no spec.serviceName"));
    assert!(
        explain_no_pod_dns(&mongo_set(Some("db")), &services, &ready)
            .unwrap()
            .contains("no Service named db")
    );
    let mut not_headless = svc.clone();
    not_headless.spec.as_mut().unwrap().cluster_ip = Some("10.96.0.55".into());
    assert!(
        explain_no_pod_dns(&mongo_set(Some("mongo")), &[not_headless], &ready)
            .unwrap()
            .contains("not headless (it has clusterIP 10.96.0.55)")
    );
    let mut wrong_sel = svc.clone();
    wrong_sel.spec.as_mut().unwrap().selector = labels(&[("app", "mysql")]);
    assert!(
        explain_no_pod_dns(&mongo_set(Some("mongo")), &[wrong_sel], &ready)
            .unwrap()
            .contains("does not match")
    );
    assert!(
        explain_no_pod_dns(&mongo_set(Some("mongo")), &services, &[])
            .unwrap()
            .contains("no pods selected")
    );
    let why = explain_no_pod_dns(&mongo_set(Some("mongo")), &services, &pods).unwrap();
    assert!(why.starts_with("Pod mongo-2 is not Ready"), "{why}");
    let mut publish = svc;
    publish.spec.as_mut().unwrap().publish_not_ready_addresses = Some(true);
    assert_eq!(
        explain_no_pod_dns(&mongo_set(Some("mongo")), &[publish], &pods),
        None
    );
}

#[test]
fn odd_objects_do_not_panic() {
    let svc = Service::default();
    let pod = Pod::default();
    assert!(endpoint_slice_for(&svc, [&pod], []).is_none());
    assert!(endpoints_for(&svc, [&pod]).is_none());
    let slice = EndpointSlice::default();
    let dns = Dns::new([&svc], [&slice]);
    for name in [
        "",
        ".",
        "svc.cluster.local",
        "a.b.c.d.e.f.svc.cluster.local",
        "x.in-addr.arpa",
        "1.2.3.4.5.in-addr.arpa",
        "-.pod.cluster.local",
    ] {
        for t in [
            RecordType::A,
            RecordType::Srv,
            RecordType::Ptr,
            RecordType::Soa,
        ] {
            let _ = dns.query(name, t);
        }
        let _ = nslookup(&dns, name, None, "default");
        let _ = dig(&dns, &[name], "default", &DigContext::default());
    }
    let _ = dig(&dns, &[], "default", &DigContext::default());
    let _ = dig(&dns, &["-x"], "default", &DigContext::default());
    assert_eq!(
        explain_no_pod_dns(&StatefulSet::default(), [&svc], [&pod]),
        None
    );
}
