//! `kubectl cordon` / `uncordon`: a cordoned node takes no new pods (the scheduler's
//! NodeUnschedulable filter), and uncordoning lets waiting pods be scheduled.

use std::collections::BTreeMap;

use kubesim::engine::ClusterConfig;
use kubesim::kubectl::exec::Shell;

const WEB: &str = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
";

#[test]
fn a_fully_cordoned_cluster_schedules_nothing_until_a_node_is_uncordoned() {
    let files = BTreeMap::from([("web.yaml".to_string(), WEB.to_string())]);
    let mut sh = Shell::new(ClusterConfig::default(), files);
    for n in 1..=3 {
        assert_eq!(
            sh.run(&format!("kubectl cordon node-{n}")).text(),
            format!("node/node-{n} cordoned\n")
        );
    }
    assert_eq!(
        sh.run("kubectl cordon node-1").text(),
        "node/node-1 already cordoned\n"
    );
    assert!(sh
        .run("kubectl get nodes")
        .text()
        .contains("node-2   Ready,SchedulingDisabled"));
    sh.run("kubectl apply -f web.yaml");
    sh.run("sleep 10");
    let pods = sh.run("kubectl get pods").text();
    assert!(pods.contains("web-0   0/1     Pending"), "{pods}");
    let describe = sh.run("kubectl describe pod web-0").text();
    assert!(
        describe.contains("0/3 nodes are available: 3 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."),
        "{describe}"
    );

    assert_eq!(
        sh.run("kubectl uncordon node-2").text(),
        "node/node-2 uncordoned\n"
    );
    sh.run("sleep 10");
    let wide = sh.run("kubectl get pods -o wide").text();
    let row = wide.lines().find(|l| l.starts_with("web-0")).unwrap();
    assert!(
        row.contains("1/1     Running") && row.contains("node-2"),
        "{wide}"
    );
}
