//! Tests for the per-kind printers: upstream printers_test.go cases (cells) and whole tables
//! (exact bytes) for the outputs quoted in the reference.

use super::*;
use crate::kubectl::table::PrintOptions;
use serde::de::DeserializeOwned;
use serde_json::json;

pub(crate) fn obj<T: DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).expect("test object deserializes")
}

pub(crate) fn now() -> Timestamp {
    "2026-03-01T12:00:00Z".parse().unwrap()
}

/// An RFC 3339 timestamp `secs` seconds before [`now`].
pub(crate) fn ago(secs: i64) -> String {
    let t = now()
        .checked_sub(k8s_openapi::jiff::SignedDuration::from_secs(secs))
        .unwrap();
    t.to_string()
}

fn render<T: Printable>(items: &[T], opts: &PrintOptions) -> String {
    table(items, now()).render(opts)
}

fn cells<T: Printable>(o: &T) -> Vec<String> {
    o.cells(now())
}

// --- pods -------------------------------------------------------------------------------------

fn pod(name: &str, n_containers: usize, status: serde_json::Value) -> Pod {
    let containers: Vec<_> = (0..n_containers)
        .map(|i| json!({"name": format!("c{i}"), "image": "nginx"}))
        .collect();
    obj(json!({
        "metadata": {"name": name},
        "spec": {"containers": containers},
        "status": status,
    }))
}

fn cs(v: serde_json::Value) -> serde_json::Value {
    // the required fields of a ContainerStatus that the printer does not read
    let mut base =
        json!({"name": "c", "image": "nginx", "imageID": "", "ready": false, "restartCount": 0});
    for (k, val) in v.as_object().unwrap() {
        base[k] = val.clone();
    }
    base
}

fn first5(pod: &Pod) -> Vec<String> {
    cells(pod).into_iter().take(5).collect()
}

fn row(v: [&str; 5]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn print_pod_upstream_cases() {
    // TestPrintPod test1..test5
    let p = pod(
        "test1",
        2,
        json!({"phase": "podPhase", "containerStatuses": [
            cs(json!({"ready": true, "restartCount": 3, "state": {"running": {}}})),
            cs(json!({"restartCount": 3})),
        ]}),
    );
    assert_eq!(
        first5(&p),
        row(["test1", "1/2", "podPhase", "6", "<unknown>"])
    );

    let p = pod(
        "test2",
        2,
        json!({"phase": "podPhase", "containerStatuses": [
            cs(json!({"ready": true, "restartCount": 3, "state": {"running": {}}})),
            cs(json!({"restartCount": 3, "state": {"waiting": {"reason": "ContainerWaitingReason"}}})),
        ]}),
    );
    assert_eq!(
        first5(&p),
        row(["test2", "1/2", "ContainerWaitingReason", "6", "<unknown>"])
    );

    // the first container overwrites the rest (statuses are scanned backwards)
    let p = pod(
        "test3",
        2,
        json!({"phase": "podPhase", "containerStatuses": [
            cs(json!({"restartCount": 3, "state": {"waiting": {"reason": "ContainerWaitingReason"}}})),
            cs(json!({"restartCount": 3, "state": {"terminated": {"reason": "ContainerTerminatedReason", "exitCode": 0}}})),
        ]}),
    );
    assert_eq!(
        first5(&p),
        row(["test3", "0/2", "ContainerWaitingReason", "6", "<unknown>"])
    );

    let p = pod(
        "test4",
        2,
        json!({"phase": "podPhase", "containerStatuses": [
            cs(json!({"ready": true, "restartCount": 3, "state": {"running": {}}})),
            cs(json!({"ready": true, "restartCount": 3})),
        ]}),
    );
    assert_eq!(
        first5(&p),
        row(["test4", "1/2", "podPhase", "6", "<unknown>"])
    );

    let p = pod(
        "test5",
        2,
        json!({"reason": "podReason", "phase": "podPhase", "containerStatuses": [
            cs(json!({"ready": true, "restartCount": 3, "state": {"running": {}}})),
            cs(json!({"ready": true, "restartCount": 3})),
        ]}),
    );
    assert_eq!(
        first5(&p),
        row(["test5", "1/2", "podReason", "6", "<unknown>"])
    );
}

#[test]
fn print_pod_completed_container_next_to_running_one() {
    let statuses = json!([
        cs(
            json!({"ready": true, "restartCount": 3, "state": {"terminated": {"reason": "Completed", "exitCode": 0}}})
        ),
        cs(json!({"ready": true, "restartCount": 3, "state": {"running": {}}})),
    ]);
    let p = pod(
        "test6",
        2,
        json!({"phase": "Running", "containerStatuses": statuses}),
    );
    assert_eq!(
        first5(&p),
        row(["test6", "1/2", "NotReady", "6", "<unknown>"])
    );
    let p = pod(
        "test6",
        2,
        json!({"phase": "Running", "containerStatuses": statuses,
        "conditions": [{"type": "Ready", "status": "True"}]}),
    );
    assert_eq!(
        first5(&p),
        row(["test6", "1/2", "Running", "6", "<unknown>"])
    );
}

fn init_pod(name: &str, n_init: usize, status: serde_json::Value) -> Pod {
    let init: Vec<_> = (0..n_init)
        .map(|i| json!({"name": format!("init{i}")}))
        .collect();
    obj(json!({
        "metadata": {"name": name},
        "spec": {"initContainers": init, "containers": [{"name": "c"}]},
        "status": status,
    }))
}

#[test]
fn print_pod_init_containers() {
    let restarting = |finished: i64, restarts: i32| {
        cs(
            json!({"name": "init0", "restartCount": restarts, "state": {"running": {}},
            "lastState": {"terminated": {"exitCode": 1, "finishedAt": ago(finished)}}}),
        )
    };
    let waiting_main = json!([cs(json!({"state": {"waiting": {}}}))]);
    // test7
    let p = init_pod(
        "test7",
        1,
        json!({"phase": "podPhase",
        "initContainerStatuses": [restarting(10, 3)], "containerStatuses": waiting_main}),
    );
    assert_eq!(
        first5(&p),
        row(["test7", "0/1", "Init:0/1", "3 (10s ago)", "<unknown>"])
    );
    // test8
    let p = init_pod(
        "test8",
        2,
        json!({"phase": "podPhase",
        "initContainerStatuses": [restarting(10, 3), cs(json!({"name": "init1", "state": {"waiting": {}}}))],
        "containerStatuses": waiting_main}),
    );
    assert_eq!(
        first5(&p),
        row(["test8", "0/1", "Init:0/2", "3 (10s ago)", "<unknown>"])
    );
    // test10: completed init container with restarts, then a restarting one
    let p = init_pod(
        "test10",
        2,
        json!({"phase": "podPhase",
        "initContainerStatuses": [
            cs(json!({"name": "init0", "restartCount": 2, "state": {"terminated": {"exitCode": 0}},
                "lastState": {"terminated": {"exitCode": 1, "finishedAt": ago(120)}}})),
            restarting(10, 3),
        ],
        "containerStatuses": waiting_main}),
    );
    assert_eq!(
        first5(&p),
        row(["test10", "0/1", "Init:1/2", "5 (10s ago)", "<unknown>"])
    );
    // test11: once initialized only the app containers' restarts count
    let p = init_pod(
        "test11",
        1,
        json!({"phase": "Running",
        "initContainerStatuses": [
            cs(json!({"name": "init0", "restartCount": 2, "state": {"terminated": {"exitCode": 0}},
                "lastState": {"terminated": {"exitCode": 1, "finishedAt": ago(120)}}})),
        ],
        "containerStatuses": [cs(json!({"restartCount": 4, "state": {"running": {}},
            "lastState": {"terminated": {"exitCode": 1, "finishedAt": ago(20)}}}))]}),
    );
    assert_eq!(
        first5(&p),
        row(["test11", "0/1", "Running", "4 (20s ago)", "<unknown>"])
    );
    // failed init container
    let p = init_pod(
        "init-failed",
        1,
        json!({"phase": "Pending",
        "initContainerStatuses": [cs(json!({"name": "init0", "state": {"terminated": {"exitCode": 2}}}))]}),
    );
    assert_eq!(first5(&p)[2], "Init:ExitCode:2");
    let p = init_pod(
        "init-crash",
        1,
        json!({"phase": "Pending",
        "initContainerStatuses": [cs(json!({"name": "init0", "state": {"waiting": {"reason": "CrashLoopBackOff"}}}))]}),
    );
    assert_eq!(first5(&p)[2], "Init:CrashLoopBackOff");
}

#[test]
fn print_pod_restartable_init_containers_count_as_containers() {
    // TestPrintPodWithRestartableInitContainer test1 (second case)
    let p: Pod = obj(json!({
        "metadata": {"name": "test1"},
        "spec": {"initContainers": [
            {"name": "restartable-init-1", "restartPolicy": "Always"},
            {"name": "restartable-init-2", "restartPolicy": "Always"},
        ], "containers": [{"name": "c"}]},
        "status": {"phase": "Pending",
            "initContainerStatuses": [
                cs(json!({"name": "restartable-init-1", "restartCount": 3, "state": {"running": {}}, "started": true,
                    "lastState": {"terminated": {"exitCode": 1, "finishedAt": ago(10)}}})),
                cs(json!({"name": "restartable-init-2", "state": {"running": {}}, "started": false})),
            ],
            "containerStatuses": [cs(json!({"state": {"waiting": {}}}))],
            "conditions": [{"type": "Initialized", "status": "False"}]},
    }));
    assert_eq!(
        first5(&p),
        row(["test1", "0/3", "Init:1/2", "3 (10s ago)", "<unknown>"])
    );
}

#[test]
fn print_pod_restart_age_and_phases() {
    // test12..test14
    let p = pod(
        "test12",
        1,
        json!({"phase": "Running", "containerStatuses": [
        cs(json!({"ready": true, "restartCount": 3, "state": {"running": {}},
            "lastState": {"terminated": {"exitCode": 1, "finishedAt": ago(5 * 86400)}}}))]}),
    );
    assert_eq!(
        first5(&p),
        row(["test12", "1/1", "Running", "3 (5d ago)", "<unknown>"])
    );
    let p = pod(
        "test14",
        2,
        json!({"phase": "Running", "containerStatuses": [
        cs(json!({"ready": true, "restartCount": 6, "state": {"running": {}},
            "lastState": {"terminated": {"exitCode": 1, "finishedAt": ago(5 * 86400)}}})),
        cs(json!({"ready": true, "restartCount": 3, "state": {"running": {}},
            "lastState": {"terminated": {"exitCode": 1, "finishedAt": ago(20 * 86400)}}}))]}),
    );
    assert_eq!(
        first5(&p),
        row(["test14", "2/2", "Running", "9 (5d ago)", "<unknown>"])
    );
    // test15: SchedulingGated
    let p = pod(
        "test15",
        2,
        json!({"phase": "podPhase", "conditions": [
        {"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}),
    );
    assert_eq!(
        first5(&p),
        row(["test15", "0/2", "SchedulingGated", "0", "<unknown>"])
    );
    // test16/test17: Completed / Error
    let p = pod(
        "test16",
        1,
        json!({"phase": "Succeeded", "containerStatuses": [
        cs(json!({"state": {"terminated": {"reason": "Completed", "exitCode": 0}}}))]}),
    );
    assert_eq!(
        first5(&p),
        row(["test16", "0/1", "Completed", "0", "<unknown>"])
    );
    let p = pod(
        "test17",
        1,
        json!({"phase": "Failed", "containerStatuses": [
        cs(json!({"state": {"terminated": {"reason": "Error", "exitCode": 1}}}))]}),
    );
    assert_eq!(
        first5(&p),
        row(["test17", "0/1", "Error", "0", "<unknown>"])
    );
    // no reason: ExitCode / Signal
    let p = pod(
        "sig",
        1,
        json!({"phase": "Running", "containerStatuses": [
        cs(json!({"state": {"terminated": {"exitCode": 137, "signal": 9}}}))]}),
    );
    assert_eq!(first5(&p)[2], "Signal:9");
    let p = pod(
        "exit",
        1,
        json!({"phase": "Running", "containerStatuses": [
        cs(json!({"state": {"terminated": {"exitCode": 3}}}))]}),
    );
    assert_eq!(first5(&p)[2], "ExitCode:3");
}

#[test]
fn print_pod_deletion() {
    let with_deletion = |phase: &str, state: serde_json::Value, reason: Option<&str>| -> Pod {
        let mut status =
            json!({"phase": phase, "containerStatuses": [cs(json!({"state": state}))]});
        if let Some(r) = reason {
            status["reason"] = json!(r);
        }
        obj(json!({
            "metadata": {"name": "p", "deletionTimestamp": ago(10)},
            "spec": {"containers": [{"name": "c"}]},
            "status": status,
        }))
    };
    // test18: terminal phase keeps its status
    let p = with_deletion(
        "Succeeded",
        json!({"terminated": {"reason": "Completed", "exitCode": 0}}),
        None,
    );
    assert_eq!(first5(&p)[2], "Completed");
    // test19/test20
    let p = with_deletion("Running", json!({"running": {}}), None);
    assert_eq!(
        first5(&p)[1..3],
        ["0/1".to_string(), "Terminating".to_string()]
    );
    let p = with_deletion("Pending", json!({}), None);
    assert_eq!(first5(&p)[2], "Terminating");
    // node lost
    let p = with_deletion("Running", json!({"running": {}}), Some("NodeLost"));
    assert_eq!(first5(&p)[2], "Unknown");
}

#[test]
fn pods_table_statefulset_rollout_with_wide_columns() {
    let pods: Vec<Pod> = vec![
        obj(json!({
            "metadata": {"name": "web-0", "namespace": "default", "creationTimestamp": ago(125)},
            "spec": {"nodeName": "kind-worker", "containers": [{"name": "nginx"}]},
            "status": {"phase": "Running", "podIP": "10.244.1.5", "podIPs": [{"ip": "10.244.1.5"}],
                "conditions": [{"type": "Ready", "status": "True"}],
                "containerStatuses": [cs(json!({"name": "nginx", "ready": true, "restartCount": 1,
                    "state": {"running": {"startedAt": ago(60)}},
                    "lastState": {"terminated": {"exitCode": 137, "finishedAt": ago(61)}}}))]},
        })),
        obj(json!({
            "metadata": {"name": "web-1", "namespace": "default", "creationTimestamp": ago(5)},
            "spec": {"nodeName": "kind-worker2", "containers": [{"name": "nginx"}]},
            "status": {"phase": "Pending", "containerStatuses": [cs(json!({"name": "nginx",
                "state": {"waiting": {"reason": "ContainerCreating"}}}))]},
        })),
        obj(json!({
            "metadata": {"name": "web-2", "namespace": "default", "creationTimestamp": ago(0)},
            "spec": {"containers": [{"name": "nginx"}]},
            "status": {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False",
                "reason": "Unschedulable"}]},
        })),
    ];
    assert_eq!(
        render(&pods, &PrintOptions::default()),
        "NAME    READY   STATUS              RESTARTS      AGE\n\
         web-0   1/1     Running             1 (61s ago)   2m5s\n\
         web-1   0/1     ContainerCreating   0             5s\n\
         web-2   0/1     Pending             0             0s\n"
    );
    assert_eq!(
        render(&pods, &PrintOptions { wide: true, ..Default::default() }),
        "NAME    READY   STATUS              RESTARTS      AGE    IP           NODE           NOMINATED NODE   READINESS GATES\n\
         web-0   1/1     Running             1 (61s ago)   2m5s   10.244.1.5   kind-worker    <none>           <none>\n\
         web-1   0/1     ContainerCreating   0             5s     <none>       kind-worker2   <none>           <none>\n\
         web-2   0/1     Pending             0             0s     <none>       <none>         <none>           <none>\n"
    );
    assert_eq!(name_output(&pods), "pod/web-0\npod/web-1\npod/web-2\n");
}

#[test]
fn pod_readiness_gates_and_crashloop() {
    let p: Pod = obj(json!({
        "metadata": {"name": "gated"},
        "spec": {"containers": [{"name": "c"}],
            "readinessGates": [{"conditionType": "example.com/a"}, {"conditionType": "example.com/b"}]},
        "status": {"phase": "Running", "nominatedNodeName": "node-2",
            "conditions": [{"type": "example.com/a", "status": "True"}, {"type": "example.com/b", "status": "False"}],
            "containerStatuses": [cs(json!({"restartCount": 5,
                "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                "lastState": {"terminated": {"exitCode": 1, "finishedAt": ago(100)}}}))]},
    }));
    assert_eq!(
        cells(&p),
        [
            "gated",
            "0/1",
            "CrashLoopBackOff",
            "5 (100s ago)",
            "<unknown>",
            "<none>",
            "<none>",
            "node-2",
            "1/2"
        ]
    );
}

#[test]
fn pod_with_nothing_set_does_not_panic() {
    let p: Pod = obj(json!({}));
    assert_eq!(
        cells(&p),
        [
            "",
            "0/0",
            "",
            "0",
            "<unknown>",
            "<none>",
            "<none>",
            "<none>",
            "<none>"
        ]
    );
}

// --- statefulsets and revisions ---------------------------------------------------------------

#[test]
fn statefulset_table() {
    let sts: Vec<StatefulSet> = vec![obj(json!({
        "metadata": {"name": "web", "namespace": "default", "creationTimestamp": ago(600)},
        "spec": {"replicas": 3, "serviceName": "nginx",
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {"metadata": {"labels": {"app": "nginx"}}, "spec": {"containers": [
                {"name": "nginx", "image": "registry.k8s.io/nginx-slim:0.24"},
                {"name": "sidecar", "image": "busybox"}]}}},
        "status": {"replicas": 3, "readyReplicas": 2},
    }))];
    assert_eq!(
        render(&sts, &PrintOptions::default()),
        "NAME   READY   AGE\nweb    2/3     10m\n"
    );
    assert_eq!(
        render(
            &sts,
            &PrintOptions {
                wide: true,
                ..Default::default()
            }
        ),
        "NAME   READY   AGE   CONTAINERS      IMAGES\n\
         web    2/3     10m   nginx,sidecar   registry.k8s.io/nginx-slim:0.24,busybox\n"
    );
    assert_eq!(name_output(&sts), "statefulset.apps/web\n");
    assert_eq!(table(&sts, now()).resource, "statefulset.apps");
    assert_eq!(
        render(
            &sts,
            &PrintOptions {
                with_namespace: true,
                show_labels: true,
                ..Default::default()
            }
        ),
        "NAMESPACE   NAME   READY   AGE   LABELS\ndefault     web    2/3     10m   <none>\n"
    );
    assert_eq!(
        operation_line(&sts[0], "scaled", None),
        "statefulset.apps/web scaled"
    );
    assert_eq!(
        operation_line(&sts[0], "configured", Some("server dry run")),
        "statefulset.apps/web configured (server dry run)"
    );
}

#[test]
fn controllerrevision_table() {
    let revs: Vec<ControllerRevision> = vec![
        obj(json!({
            "metadata": {"name": "web-6b8f7d8c9f", "creationTimestamp": ago(300),
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web",
                    "uid": "1", "controller": true}]},
            "revision": 1,
        })),
        obj(
            json!({"metadata": {"name": "orphan-1", "creationTimestamp": ago(30)}, "revision": 12}),
        ),
    ];
    assert_eq!(
        render(&revs, &PrintOptions::default()),
        "NAME             CONTROLLER             REVISION   AGE\n\
         web-6b8f7d8c9f   statefulset.apps/web   1          5m\n\
         orphan-1         <none>                 12         30s\n"
    );
}

// --- storage ----------------------------------------------------------------------------------

#[test]
fn pvc_table_matches_the_seed_output() {
    let pvcs: Vec<PersistentVolumeClaim> = vec![obj(json!({
        "metadata": {"name": "mongo-data-mongo-0", "namespace": "default", "creationTimestamp": ago(19 * 60 + 30)},
        "spec": {"accessModes": ["ReadWriteMany"], "storageClassName": "", "volumeName": "pv001",
            "resources": {"requests": {"storage": "50Mi"}}},
        "status": {"phase": "Bound", "accessModes": ["ReadWriteMany"], "capacity": {"storage": "100Mi"}},
    }))];
    assert_eq!(
        render(&pvcs, &PrintOptions::default()),
        "NAME                 STATUS   VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n\
         mongo-data-mongo-0   Bound    pv001    100Mi      RWX                           <unset>                 19m\n"
    );
}

#[test]
fn pvc_pending_terminating_and_wide() {
    let pvcs: Vec<PersistentVolumeClaim> = vec![
        obj(json!({
            "metadata": {"name": "www-web-0", "creationTimestamp": ago(3)},
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "standard",
                "resources": {"requests": {"storage": "1Gi"}}},
            "status": {"phase": "Pending"},
        })),
        obj(json!({
            "metadata": {"name": "www-web-1", "creationTimestamp": ago(7200), "deletionTimestamp": ago(1),
                "finalizers": ["kubernetes.io/pvc-protection"]},
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "standard", "volumeName": "pvc-1234",
                "volumeMode": "Filesystem", "resources": {"requests": {"storage": "1Gi"}}},
            "status": {"phase": "Bound", "accessModes": ["ReadWriteOnce", "ReadWriteOncePod"],
                "capacity": {"storage": "1Gi"}},
        })),
    ];
    assert_eq!(
        render(&pvcs, &PrintOptions { wide: true, ..Default::default() }),
        "NAME        STATUS        VOLUME     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE    VOLUMEMODE\n\
         www-web-0   Pending                                            standard       <unset>                 3s     <unset>\n\
         www-web-1   Terminating   pvc-1234   1Gi        RWO,RWOP       standard       <unset>                 120m   Filesystem\n"
    );
}

#[test]
fn pv_table() {
    let pvs: Vec<PersistentVolume> = vec![
        obj(json!({
            "metadata": {"name": "pv001", "creationTimestamp": ago(25 * 60)},
            "spec": {"capacity": {"storage": "100Mi"}, "accessModes": ["ReadWriteMany", "ReadWriteOnce"],
                "persistentVolumeReclaimPolicy": "Retain", "hostPath": {"path": "/data/pv001"},
                "claimRef": {"namespace": "default", "name": "mongo-data-mongo-0"}},
            "status": {"phase": "Bound"},
        })),
        obj(json!({
            "metadata": {"name": "pv002", "creationTimestamp": ago(25 * 60),
                "annotations": {"volume.beta.kubernetes.io/storage-class": "slow"}},
            "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadOnlyMany"],
                "persistentVolumeReclaimPolicy": "Delete", "storageClassName": "fast",
                "volumeAttributesClassName": "gold"},
            "status": {"phase": "Available"},
        })),
    ];
    assert_eq!(
        render(&pvs, &PrintOptions::default()),
        "NAME    CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS      CLAIM                        STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE\n\
         pv001   100Mi      RWO,RWX        Retain           Bound       default/mongo-data-mongo-0                  <unset>                          25m\n\
         pv002   1Gi        ROX            Delete           Available                                slow           gold                             25m\n"
    );
    assert_eq!(name_output(&pvs[..1]), "persistentvolume/pv001\n");
    let t = table(&pvs, now());
    assert_eq!(t.resource, "persistentvolume");
    assert!(t.cluster_scoped);
    // -A adds no NAMESPACE column to a cluster-scoped kind
    assert!(t
        .render(&PrintOptions {
            with_namespace: true,
            ..Default::default()
        })
        .starts_with("NAME    CAPACITY"));
}

#[test]
fn storageclass_table() {
    let classes: Vec<StorageClass> = vec![
        obj(json!({
            "metadata": {"name": "standard", "creationTimestamp": ago(4 * 86400),
                "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
            "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete",
            "volumeBindingMode": "WaitForFirstConsumer",
        })),
        obj(json!({
            "metadata": {"name": "fast", "creationTimestamp": ago(60)},
            "provisioner": "kubernetes.io/no-provisioner", "allowVolumeExpansion": true,
        })),
    ];
    assert_eq!(
        render(&classes, &PrintOptions::default()),
        "NAME                 PROVISIONER                    RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE\n\
         standard (default)   rancher.io/local-path          Delete          WaitForFirstConsumer   false                  4d\n\
         fast                 kubernetes.io/no-provisioner   Delete          Immediate              true                   60s\n"
    );
    assert_eq!(
        name_output(&classes[..1]),
        "storageclass.storage.k8s.io/standard\n"
    );
}

// --- networking -------------------------------------------------------------------------------

#[test]
fn service_table_headless_and_nodeport() {
    let svcs: Vec<Service> = vec![
        obj(json!({
            "metadata": {"name": "nginx", "namespace": "default", "creationTimestamp": ago(5),
                "labels": {"app": "nginx"}},
            "spec": {"clusterIP": "None", "clusterIPs": ["None"], "type": "ClusterIP",
                "selector": {"app": "nginx"}, "ports": [{"name": "web", "port": 80, "protocol": "TCP"}]},
        })),
        obj(json!({
            "metadata": {"name": "np", "namespace": "default", "creationTimestamp": ago(5)},
            "spec": {"clusterIP": "10.96.12.7", "type": "NodePort",
                "ports": [{"port": 80, "nodePort": 30080}, {"port": 53, "protocol": "UDP"}]},
        })),
        obj(json!({
            "metadata": {"name": "noports", "namespace": "default", "creationTimestamp": ago(5)},
            "spec": {"clusterIP": "None"},
        })),
    ];
    assert_eq!(
        render(&svcs, &PrintOptions::default()),
        "NAME      TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)               AGE\n\
         nginx     ClusterIP   None         <none>        80/TCP                5s\n\
         np        NodePort    10.96.12.7   <none>        80:30080/TCP,53/UDP   5s\n\
         noports   ClusterIP   None         <none>        <none>                5s\n"
    );
    assert_eq!(cells(&svcs[0])[6], "app=nginx");
    assert_eq!(cells(&svcs[1])[6], "<none>");
    assert_eq!(
        operation_line(&svcs[0], "created", None),
        "service/nginx created"
    );
}

#[test]
fn service_load_balancer_upstream_cases() {
    // TestPrintServiceLoadBalancer: pending, and elided when not wide
    let pending: Service = obj(json!({"metadata": {"name": "service2"},
        "spec": {"clusterIPs": ["1.3.4.5"], "type": "LoadBalancer",
            "ports": [{"port": 80, "protocol": "TCP"}, {"port": 8090, "protocol": "UDP"},
                {"port": 8000, "protocol": "TCP"}, {"port": 7777, "protocol": "SCTP"}]}}));
    assert_eq!(
        cells(&pending)[..6],
        [
            "service2",
            "LoadBalancer",
            "1.3.4.5",
            "<pending>",
            "80/TCP,8090/UDP,8000/TCP,7777/SCTP",
            "<unknown>"
        ]
    );
    let long: Service = obj(json!({"metadata": {"name": "service4"},
        "spec": {"clusterIPs": ["1.5.6.7"], "type": "LoadBalancer", "ports": [{"port": 80, "protocol": "TCP"}]},
        "status": {"loadBalancer": {"ingress": [{"ip": "2.3.4.5"}, {"ip": "3.4.5.6"},
            {"ip": "5.6.7.8", "hostname": "host5678"}]}}}));
    assert_eq!(cells(&long)[3], "2.3.4.5,3.4.5...");
}

#[test]
fn endpoints_table() {
    let eps: Vec<Endpoints> = vec![
        obj(json!({
            "metadata": {"name": "nginx", "creationTimestamp": ago(90)},
            "subsets": [{
                "addresses": [{"ip": "10.244.1.5"}, {"ip": "10.244.2.4"}, {"ip": "10.244.1.6"}, {"ip": "10.244.2.5"}],
                "notReadyAddresses": [{"ip": "10.244.1.7"}],
                "ports": [{"name": "web", "port": 80, "protocol": "TCP"}],
            }],
        })),
        obj(json!({
            "metadata": {"name": "only-not-ready", "creationTimestamp": ago(90)},
            "subsets": [{"notReadyAddresses": [{"ip": "10.244.1.7"}], "ports": [{"port": 80}]}],
        })),
        obj(json!({"metadata": {"name": "empty", "creationTimestamp": ago(90)}})),
        obj(json!({
            "metadata": {"name": "no-ports", "creationTimestamp": ago(90)},
            "subsets": [{"addresses": [{"ip": "fd00::1"}, {"ip": "10.0.0.2"}]}],
        })),
    ];
    assert_eq!(
        render(&eps, &PrintOptions::default()),
        "NAME             ENDPOINTS                                               AGE\n\
         nginx            10.244.1.5:80,10.244.2.4:80,10.244.1.6:80 + 1 more...   90s\n\
         only-not-ready                                                           90s\n\
         empty            <none>                                                  90s\n\
         no-ports         fd00::1,10.0.0.2                                        90s\n"
    );
    let v6: Endpoints = obj(json!({"metadata": {"name": "v6"},
        "subsets": [{"addresses": [{"ip": "fd00::1"}], "ports": [{"port": 80}, {"port": 443}]}]}));
    assert_eq!(format_endpoints(&v6), "[fd00::1]:80,[fd00::1]:443");
}

#[test]
fn endpointslice_table() {
    let slices: Vec<EndpointSlice> = vec![
        obj(json!({
            "metadata": {"name": "nginx-abc12", "creationTimestamp": ago(90)},
            "addressType": "IPv4",
            "ports": [{"name": "web", "port": 80, "protocol": "TCP"}],
            "endpoints": [
                {"addresses": ["10.244.1.5"], "conditions": {"ready": true}},
                {"addresses": ["10.244.2.4"], "conditions": {"ready": false}},
                {"addresses": ["10.244.1.6"]},
                {"addresses": ["10.244.2.5"]},
            ],
        })),
        obj(json!({
            "metadata": {"name": "empty-xyz", "creationTimestamp": ago(90)},
            "addressType": "IPv4", "ports": [{}], "endpoints": [],
        })),
        obj(json!({
            "metadata": {"name": "none", "creationTimestamp": ago(90)},
            "addressType": "IPv6", "endpoints": [],
        })),
    ];
    assert_eq!(
        render(&slices, &PrintOptions::default()),
        "NAME          ADDRESSTYPE   PORTS     ENDPOINTS                                      AGE\n\
         nginx-abc12   IPv4          80        10.244.1.5,10.244.2.4,10.244.1.6 + 1 more...   90s\n\
         empty-xyz     IPv4          *         <unset>                                        90s\n\
         none          IPv6          <unset>   <unset>                                        90s\n"
    );
    assert_eq!(
        name_output(&slices[..1]),
        "endpointslice.discovery.k8s.io/nginx-abc12\n"
    );
}

// --- nodes and events -------------------------------------------------------------------------

#[test]
fn node_table() {
    let nodes: Vec<Node> = vec![
        obj(json!({
            "metadata": {"name": "kind-control-plane", "creationTimestamp": ago(4 * 86400),
                "labels": {"node-role.kubernetes.io/control-plane": ""}},
            "status": {"conditions": [{"type": "Ready", "status": "True"}],
                "addresses": [{"type": "InternalIP", "address": "172.18.0.2"}],
                "nodeInfo": {"kubeletVersion": "v1.35.0", "osImage": "Debian GNU/Linux 12 (bookworm)",
                    "kernelVersion": "6.1.0", "containerRuntimeVersion": "containerd://2.1.1",
                    "architecture": "", "bootID": "", "kubeProxyVersion": "", "machineID": "",
                    "operatingSystem": "", "systemUUID": ""}},
        })),
        obj(json!({
            "metadata": {"name": "kind-worker", "creationTimestamp": ago(4 * 86400),
                "labels": {"kubernetes.io/role": "db"}},
            "spec": {"unschedulable": true},
            "status": {"conditions": [{"type": "Ready", "status": "Unknown"}]},
        })),
    ];
    assert_eq!(
        render(&nodes, &PrintOptions::default()),
        "NAME                 STATUS                        ROLES           AGE   VERSION\n\
         kind-control-plane   Ready                         control-plane   4d    v1.35.0\n\
         kind-worker          NotReady,SchedulingDisabled   db              4d    \n"
    );
    assert_eq!(
        cells(&nodes[0])[5..],
        [
            "172.18.0.2",
            "<none>",
            "Debian GNU/Linux 12 (bookworm)",
            "6.1.0",
            "containerd://2.1.1"
        ]
    );
    // TestPrintNodeStatus: no conditions at all
    let bare: Node = obj(json!({"metadata": {"name": "foo1"}}));
    assert_eq!(
        cells(&bare),
        [
            "foo1",
            "Unknown",
            "<none>",
            "<unknown>",
            "",
            "<none>",
            "<none>",
            "<unknown>",
            "<unknown>",
            "<unknown>"
        ]
    );
}

#[test]
fn event_table() {
    let events: Vec<Event> = vec![
        obj(json!({
            "metadata": {"name": "web-0.1812a", "namespace": "default"},
            "involvedObject": {"kind": "StatefulSet", "name": "web", "namespace": "default"},
            "reason": "SuccessfulCreate", "type": "Normal",
            "message": "create Pod web-0 in StatefulSet web successful",
            "source": {"component": "statefulset-controller"},
            "firstTimestamp": ago(120), "lastTimestamp": ago(120), "count": 1,
        })),
        obj(json!({
            "metadata": {"name": "web-0.1812b", "namespace": "default"},
            "involvedObject": {"kind": "Pod", "name": "web-0", "namespace": "default",
                "fieldPath": "spec.containers{nginx}"},
            "reason": "BackOff", "type": "Warning",
            "message": "Back-off restarting failed container nginx in pod web-0_default(1234)\n",
            "source": {"component": "kubelet", "host": "kind-worker"},
            "firstTimestamp": ago(300), "lastTimestamp": ago(7), "count": 12,
        })),
        obj(json!({
            "metadata": {"name": "www-web-0.1812c", "namespace": "default"},
            "involvedObject": {"kind": "PersistentVolumeClaim", "name": "www-web-0"},
            "reason": "WaitForFirstConsumer", "type": "Normal",
            "message": "waiting for first consumer to be created before binding",
            "reportingComponent": "persistentvolume-controller",
            "eventTime": ago(61),
            "series": {"count": 3, "lastObservedTime": ago(2)},
        })),
    ];
    assert_eq!(
        render(&events, &PrintOptions::default()),
        "LAST SEEN   TYPE      REASON                 OBJECT                            MESSAGE\n\
         2m          Normal    SuccessfulCreate       statefulset/web                   create Pod web-0 in StatefulSet web successful\n\
         7s          Warning   BackOff                pod/web-0                         Back-off restarting failed container nginx in pod web-0_default(1234)\n\
         2s          Normal    WaitForFirstConsumer   persistentvolumeclaim/www-web-0   waiting for first consumer to be created before binding\n"
    );
    assert_eq!(
        cells(&events[1]),
        [
            "7s",
            "Warning",
            "BackOff",
            "pod/web-0",
            "spec.containers{nginx}",
            "kubelet, kind-worker",
            "Back-off restarting failed container nginx in pod web-0_default(1234)",
            "5m",
            "12",
            "web-0.1812b"
        ]
    );
    assert_eq!(
        cells(&events[2])[7..9],
        ["61s".to_string(), "3".to_string()]
    );
}

#[test]
fn delete_lines() {
    assert_eq!(
        deleted_line("pod", "web-0", Some("default"), false),
        "pod \"web-0\" deleted from default namespace"
    );
    assert_eq!(
        deleted_line("persistentvolume", "pv001", None, true),
        "persistentvolume \"pv001\" force deleted"
    );
}
