//! Tests for `kubectl describe`: upstream describe_test.go expectations (exact) and full
//! outputs for the playground's objects.

use super::*;
use crate::kubectl::printers::tests::{now, obj};
use serde_json::json;

fn lb_service(target_port: serde_json::Value, internal: &str) -> Service {
    obj(json!({
        "metadata": {"name": "bar", "namespace": "foo"},
        "spec": {"type": "LoadBalancer",
            "ports": [{"name": "port-tcp", "port": 8080, "protocol": "TCP", "targetPort": target_port, "nodePort": 31111}],
            "selector": {"blah": "heh"}, "clusterIP": "1.2.3.4", "ipFamilies": ["IPv4"],
            "loadBalancerIP": "5.6.7.8", "sessionAffinity": "None", "externalTrafficPolicy": "Local",
            "internalTrafficPolicy": internal, "healthCheckNodePort": 32222},
    }))
}

fn slice(name: &str, proto: &str, endpoints: serde_json::Value) -> EndpointSlice {
    obj(json!({
        "metadata": {"name": name, "namespace": "foo", "labels": {"kubernetes.io/service-name": "bar"}},
        "addressType": "IPv4",
        "endpoints": endpoints,
        "ports": [{"name": "port-tcp", "port": 9527, "protocol": proto}],
    }))
}

#[test]
fn describe_service_upstream_test1() {
    let mut svc = lb_service(json!(9527), "Cluster");
    svc.status = Some(obj(
        json!({"loadBalancer": {"ingress": [{"ip": "5.6.7.8", "ipMode": "VIP"}]}}),
    ));
    let slices = [slice(
        "bar-abcde",
        "TCP",
        json!([
            {"addresses": ["10.244.0.1"], "conditions": {"ready": true}},
            {"addresses": ["10.244.0.2"], "conditions": {"ready": true}},
            {"addresses": ["10.244.0.3"], "conditions": {"ready": true}},
        ]),
    )];
    assert_eq!(
        describe_service(&svc, &slices, Some(&[]), now()),
        "Name:                     bar
Namespace:                foo
Labels:                   <none>
Annotations:              <none>
Selector:                 blah=heh
Type:                     LoadBalancer
IP Families:              IPv4
IP:                       1.2.3.4
IPs:                      <none>
Desired LoadBalancer IP:  5.6.7.8
LoadBalancer Ingress:     5.6.7.8 (VIP)
Port:                     port-tcp  8080/TCP
TargetPort:               9527/TCP
NodePort:                 port-tcp  31111/TCP
Endpoints:                10.244.0.1:9527,10.244.0.2:9527,10.244.0.3:9527
Session Affinity:         None
External Traffic Policy:  Local
Internal Traffic Policy:  Cluster
HealthCheck NodePort:     32222
Events:                   <none>
"
    );
}

#[test]
fn describe_service_upstream_test2_not_ready_endpoints_and_more() {
    let mut svc = lb_service(json!("targetPort"), "Local");
    svc.status = Some(obj(
        json!({"loadBalancer": {"ingress": [{"ip": "5.6.7.8"}]}}),
    ));
    let slices = [
        slice(
            "bar-12345",
            "UDP",
            json!([
                {"addresses": ["10.244.0.1"], "conditions": {"ready": true}},
                {"addresses": ["10.244.0.2"], "conditions": {"ready": true}},
            ]),
        ),
        slice(
            "bar-54321",
            "UDP",
            json!([
                {"addresses": ["10.244.0.3"], "conditions": {"ready": false}},
                {"addresses": ["10.244.0.4"], "conditions": {"ready": true}},
                {"addresses": ["10.244.0.5"], "conditions": {"ready": true}},
            ]),
        ),
    ];
    assert_eq!(
        describe_service(&svc, &slices, Some(&[]), now()),
        "Name:                     bar
Namespace:                foo
Labels:                   <none>
Annotations:              <none>
Selector:                 blah=heh
Type:                     LoadBalancer
IP Families:              IPv4
IP:                       1.2.3.4
IPs:                      <none>
Desired LoadBalancer IP:  5.6.7.8
LoadBalancer Ingress:     5.6.7.8
Port:                     port-tcp  8080/TCP
TargetPort:               targetPort/TCP
NodePort:                 port-tcp  31111/TCP
Endpoints:                10.244.0.1:9527,10.244.0.2:9527,10.244.0.4:9527 + 1 more...
Session Affinity:         None
External Traffic Policy:  Local
Internal Traffic Policy:  Local
HealthCheck NodePort:     32222
Events:                   <none>
"
    );
}

#[test]
fn describe_statefulset_upstream_fields() {
    // kubectl v1.35 (staging/src/k8s.io/kubectl/pkg/describe/describe.go at v0.35.0,
    // describeStatefulSet; its describe_test.go TestDescribeStatefulSet): exact lines. The
    // `Service Name`, `Pod Management Policy` and `Persistent Volume Claim Retention Policy`
    // lines only came after release-1.36, so a v1.35 kubectl does not print them.
    let sts: StatefulSet = obj(json!({
        "metadata": {"name": "bar", "namespace": "foo", "labels": {"app": "mytest"},
            "annotations": {"annotation1": "value1"}},
        "spec": {"podManagementPolicy": "Parallel", "replicas": 1,
            "selector": {"matchLabels": {"app": "mytest"}},
            "template": {"spec": {"containers": [{"name": "metest", "image": "mytest-image:latest"}]}},
            "serviceName": "test-service",
            "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Delete", "whenScaled": "Retain"},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 2672}}},
    }));
    let out = describe_statefulset(&sts, &[], Some(&[]), now());
    for line in [
        "Name:               bar",
        "Namespace:          foo",
        "CreationTimestamp:  Mon, 01 Jan 0001 00:00:00 +0000",
        "Selector:           app=mytest",
        "Labels:             app=mytest",
        "Annotations:        annotation1: value1",
        "Replicas:           1 desired | 0 total",
        "Update Strategy:    RollingUpdate",
        "  Partition:        2672",
        "   metest:",
        "    Image:         mytest-image:latest",
    ] {
        assert!(
            out.contains(&format!("{line}\n")),
            "missing {line:?} in\n{out}"
        );
    }
    for later in ["Service Name", "Pod Management Policy", "Retention Policy"] {
        assert!(!out.contains(later), "{later:?} is not in v1.35:\n{out}");
    }
}

#[test]
fn selector_strings() {
    let sel: LabelSelector = obj(json!({
        "matchLabels": {"tier": "db", "app": "mongo"},
        "matchExpressions": [
            {"key": "env", "operator": "In", "values": ["prod", "dev"]},
            {"key": "zone", "operator": "DoesNotExist"},
            {"key": "role", "operator": "Exists"},
            {"key": "b", "operator": "NotIn", "values": ["x"]},
        ],
    }));
    assert_eq!(
        selector_string(Some(&sel)),
        "app=mongo,b notin (x),env in (dev,prod),role,tier=db,!zone"
    );
    assert_eq!(selector_string(None), "");
}

#[test]
fn describe_playground_objects_exactly() {
    let (sts, pods, events, pvc, pv) = fixtures();
    assert_eq!(
        describe_statefulset(&sts, &pods, Some(&events), now()),
        EXPECTED_STS
    );
    assert_eq!(describe_pod(&pods[0], Some(&[]), now()), EXPECTED_POD);
    assert_eq!(describe_pvc(&pvc, &pods, Some(&[]), now()), EXPECTED_PVC);
    assert_eq!(describe_pv(&pv, None, now()), EXPECTED_PV);
}

// Reviewed against describe.go + Go tabwriter semantics: a column block is a run of
// consecutive lines sharing a tab-terminated cell, so `IPs:` splits the pod header and
// `  IP:` aligns with `Controlled By:`; trailing blanks after empty values are real.
const EXPECTED_STS: &str = "Name:               web
Namespace:          default
CreationTimestamp:  Sun, 01 Mar 2026 11:50:00 +0000
Selector:           app=nginx
Labels:             <none>
Annotations:        <none>
Replicas:           2 desired | 2 total
Update Strategy:    RollingUpdate
  Partition:        0
  MaxUnavailable:   1
Pods Status:        1 Running / 1 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=nginx
  Containers:
   nginx:
    Image:        registry.k8s.io/nginx-slim:0.24
    Port:         80/TCP (web)
    Host Port:    0/TCP (web)
    Environment:  <none>
    Mounts:
      /usr/share/nginx/html from www (rw)
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Volume Claims:
  Name:          www
  StorageClass:  
  Labels:        <none>
  Annotations:   <none>
  Capacity:      1Gi
  Access Modes:  [ReadWriteOnce]
Events:
  Type    Reason            Age               From                    Message
  ----    ------            ----              ----                    -------
  Normal  SuccessfulCreate  5m (x3 over 10m)  statefulset-controller  create Pod web-0 in StatefulSet web successful
  Normal  SuccessfulCreate  2s                statefulset-controller  create Claim www-web-1 Pod web-1 in StatefulSet web success
";

const EXPECTED_POD: &str = "Name:             web-0
Namespace:        default
Service Account:  default
Node:             kind-worker/172.18.0.3
Start Time:       Sun, 01 Mar 2026 11:50:01 +0000
Labels:           app=nginx
                  apps.kubernetes.io/pod-index=0
                  controller-revision-hash=web-6b8f7d8c9f
                  statefulset.kubernetes.io/pod-name=web-0
Annotations:      <none>
Status:           Running
IP:               10.244.1.5
IPs:
  IP:           10.244.1.5
Controlled By:  StatefulSet/web
Containers:
  nginx:
    Container ID:   containerd://4b1c
    Image:          registry.k8s.io/nginx-slim:0.24
    Image ID:       registry.k8s.io/nginx-slim@sha256:0f2f
    Port:           80/TCP (web)
    Host Port:      0/TCP (web)
    State:          Running
      Started:      Sun, 01 Mar 2026 11:50:05 +0000
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:
      /usr/share/nginx/html from www (rw)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:
  www:
    Type:        PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
    ClaimName:   www-web-0
    ReadOnly:    false
QoS Class:       BestEffort
Node-Selectors:  <none>
Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:          <none>
";

const EXPECTED_PVC: &str = "Name:          www-web-0
Namespace:     default
StorageClass:  
Status:        Bound
Volume:        pv-a
Labels:        app=nginx
Annotations:   pv.kubernetes.io/bind-completed: yes
               pv.kubernetes.io/bound-by-controller: yes
Finalizers:    [kubernetes.io/pvc-protection]
Capacity:      5Gi
Access Modes:  RWO
VolumeMode:    Filesystem
Used By:       web-0
Events:        <none>
";

const EXPECTED_PV: &str = "Name:            pv-a
Labels:          <none>
Annotations:     pv.kubernetes.io/bound-by-controller: yes
Finalizers:      [kubernetes.io/pv-protection]
StorageClass:    
Status:          Bound
Claim:           default/www-web-0
Reclaim Policy:  Retain
Access Modes:    RWO
VolumeMode:      Filesystem
Capacity:        5Gi
Node Affinity:   <none>
Message:         
Source:
    Type:          HostPath (bare host directory volume)
    Path:          /mnt/data/a
    HostPathType:  
";

pub(crate) fn fixtures() -> (
    StatefulSet,
    Vec<Pod>,
    Vec<Event>,
    PersistentVolumeClaim,
    PersistentVolume,
) {
    let sts: StatefulSet = obj(json!({
        "metadata": {"name": "web", "namespace": "default", "uid": "sts-uid",
            "creationTimestamp": "2026-03-01T11:50:00Z", "generation": 1,
            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}\n"}},
        "spec": {"replicas": 2, "serviceName": "nginx", "podManagementPolicy": "OrderedReady",
            "selector": {"matchLabels": {"app": "nginx"}},
            "revisionHistoryLimit": 10,
            "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0, "maxUnavailable": 1}},
            "template": {"metadata": {"labels": {"app": "nginx"}}, "spec": {"containers": [{
                "name": "nginx", "image": "registry.k8s.io/nginx-slim:0.24",
                "ports": [{"name": "web", "containerPort": 80, "protocol": "TCP"}],
                "volumeMounts": [{"name": "www", "mountPath": "/usr/share/nginx/html"}]}]}},
            "volumeClaimTemplates": [{"metadata": {"name": "www"}, "spec": {
                "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]},
        "status": {"replicas": 2, "readyReplicas": 1, "observedGeneration": 1},
    }));
    let owner = json!([{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web", "uid": "sts-uid",
        "controller": true, "blockOwnerDeletion": true}]);
    let pods: Vec<Pod> = vec![
        obj(json!({
            "metadata": {"name": "web-0", "namespace": "default", "uid": "pod-0",
                "creationTimestamp": "2026-03-01T11:50:01Z", "ownerReferences": owner,
                "labels": {"app": "nginx", "apps.kubernetes.io/pod-index": "0",
                    "controller-revision-hash": "web-6b8f7d8c9f",
                    "statefulset.kubernetes.io/pod-name": "web-0"}},
            "spec": {"nodeName": "kind-worker", "hostname": "web-0", "subdomain": "nginx",
                "serviceAccountName": "default",
                "containers": [{"name": "nginx", "image": "registry.k8s.io/nginx-slim:0.24",
                    "ports": [{"name": "web", "containerPort": 80, "protocol": "TCP"}],
                    "volumeMounts": [{"name": "www", "mountPath": "/usr/share/nginx/html"}]}],
                "volumes": [{"name": "www", "persistentVolumeClaim": {"claimName": "www-web-0"}}],
                "tolerations": [
                    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]},
            "status": {"phase": "Running", "hostIP": "172.18.0.3", "podIP": "10.244.1.5",
                "podIPs": [{"ip": "10.244.1.5"}], "startTime": "2026-03-01T11:50:01Z", "qosClass": "BestEffort",
                "conditions": [
                    {"type": "PodReadyToStartContainers", "status": "True"},
                    {"type": "Initialized", "status": "True"},
                    {"type": "Ready", "status": "True"},
                    {"type": "ContainersReady", "status": "True"},
                    {"type": "PodScheduled", "status": "True"}],
                "containerStatuses": [{"name": "nginx", "ready": true, "restartCount": 0, "started": true,
                    "image": "registry.k8s.io/nginx-slim:0.24",
                    "imageID": "registry.k8s.io/nginx-slim@sha256:0f2f",
                    "containerID": "containerd://4b1c",
                    "state": {"running": {"startedAt": "2026-03-01T11:50:05Z"}}}]},
        })),
        obj(json!({
            "metadata": {"name": "web-1", "namespace": "default", "uid": "pod-1",
                "creationTimestamp": "2026-03-01T11:59:58Z", "ownerReferences": owner},
            "spec": {"containers": [{"name": "nginx", "image": "registry.k8s.io/nginx-slim:0.24"}],
                "volumes": [{"name": "www", "persistentVolumeClaim": {"claimName": "www-web-1"}}]},
            "status": {"phase": "Pending"},
        })),
    ];
    let events: Vec<Event> = vec![
        obj(json!({
            "metadata": {"name": "web.1", "namespace": "default"},
            "involvedObject": {"kind": "StatefulSet", "name": "web", "namespace": "default"},
            "reason": "SuccessfulCreate", "type": "Normal",
            "message": "create Claim www-web-1 Pod web-1 in StatefulSet web success",
            "source": {"component": "statefulset-controller"},
            "firstTimestamp": "2026-03-01T11:59:58Z", "lastTimestamp": "2026-03-01T11:59:58Z", "count": 1,
        })),
        obj(json!({
            "metadata": {"name": "web.0", "namespace": "default"},
            "involvedObject": {"kind": "StatefulSet", "name": "web", "namespace": "default"},
            "reason": "SuccessfulCreate", "type": "Normal",
            "message": "create Pod web-0 in StatefulSet web successful",
            "source": {"component": "statefulset-controller"},
            "firstTimestamp": "2026-03-01T11:50:00Z", "lastTimestamp": "2026-03-01T11:55:00Z", "count": 3,
        })),
    ];
    let pvc: PersistentVolumeClaim = obj(json!({
        "metadata": {"name": "www-web-0", "namespace": "default",
            "labels": {"app": "nginx"},
            "annotations": {"pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes"},
            "finalizers": ["kubernetes.io/pvc-protection"], "creationTimestamp": "2026-03-01T11:50:00Z"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
            "volumeName": "pv-a", "storageClassName": "", "volumeMode": "Filesystem"},
        "status": {"phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "5Gi"}},
    }));
    let pv: PersistentVolume = obj(json!({
        "metadata": {"name": "pv-a", "finalizers": ["kubernetes.io/pv-protection"],
            "annotations": {"pv.kubernetes.io/bound-by-controller": "yes"}},
        "spec": {"capacity": {"storage": "5Gi"}, "accessModes": ["ReadWriteOnce"],
            "persistentVolumeReclaimPolicy": "Retain", "volumeMode": "Filesystem",
            "hostPath": {"path": "/mnt/data/a", "type": ""},
            "claimRef": {"kind": "PersistentVolumeClaim", "namespace": "default", "name": "www-web-0"}},
        "status": {"phase": "Bound"},
    }));
    (sts, pods, events, pvc, pv)
}

#[test]
fn describe_terminating_crashlooping_pod() {
    let pod: Pod = obj(json!({
        "metadata": {"name": "mongo-1", "namespace": "db", "deletionTimestamp": "2026-03-01T12:00:30Z",
            "deletionGracePeriodSeconds": 30},
        "spec": {"containers": [{"name": "mongo", "image": "mongo:7",
            "command": ["mongod", "--replSet\nrs0"],
            "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                {"name": "MODE", "value": "a\nb"},
                {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "pw"}}}],
            "resources": {"limits": {"memory": "512Mi", "cpu": "1"}, "requests": {"cpu": "500m", "memory": "512Mi"}},
            "readinessProbe": {"exec": {"command": ["mongosh", "--eval", "db.ping()"]}},
            "livenessProbe": {"tcpSocket": {"port": 27017}, "initialDelaySeconds": 5},
            "startupProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 2},
            "volumeMounts": [{"name": "data", "mountPath": "/data/db", "subPath": "db"},
                {"name": "conf", "mountPath": "/etc/mongo", "readOnly": true}]}],
            "volumes": [{"name": "conf", "configMap": {"name": "mongo-conf"}},
                {"name": "scratch", "emptyDir": {}}]},
        "status": {"phase": "Running",
            "containerStatuses": [{"name": "mongo", "ready": false, "restartCount": 4, "image": "mongo:7",
                "imageID": "", "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                "lastState": {"terminated": {"exitCode": 14, "reason": "Error",
                    "startedAt": "2026-03-01T11:59:00Z", "finishedAt": "2026-03-01T11:59:01Z"}}}]},
    }));
    let events: Vec<Event> = vec![obj(json!({
        "metadata": {"name": "e"},
        "involvedObject": {"kind": "Pod", "name": "mongo-1", "fieldPath": "spec.containers{mongo}"},
        "type": "Warning", "reason": "BackOff", "message": " Back-off restarting failed container ",
        "reportingComponent": "kubelet",
        "eventTime": "2026-03-01T11:58:00.000000Z",
        "series": {"count": 7, "lastObservedTime": "2026-03-01T11:59:50.000000Z"},
    }))];
    let out = describe_pod(&pod, Some(&events), now());
    let expected_tail = "\
Status:                    Terminating (lasts <invalid>)
Termination Grace Period:  30s
IP:                        
IPs:                       <none>
Containers:
  mongo:
    Container ID:  
    Image:         mongo:7
    Image ID:      
    Port:          <none>
    Host Port:     <none>
    Command:
      mongod
      --replSet
      rs0
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    14
      Started:      Sun, 01 Mar 2026 11:59:00 +0000
      Finished:     Sun, 01 Mar 2026 11:59:01 +0000
    Ready:          False
    Restart Count:  4
    Limits:
      cpu:     1
      memory:  512Mi
    Requests:
      cpu:      500m
      memory:   512Mi
    Liveness:   tcp-socket :27017 delay=5s timeout=1s period=10s #success=1 #failure=3
    Readiness:  exec [mongosh --eval db.ping()] delay=0s timeout=1s period=10s #success=1 #failure=3
    Startup:    http-get http://:http/healthz delay=0s timeout=1s period=2s #success=1 #failure=3
    Environment:
      POD_NAME:  mongo-1 (v1:metadata.name)
      MODE:      a
                 b
      PASSWORD:  <set to the key 'pw' in secret 'creds'>  Optional: false
    Mounts:
      /data/db from data (rw,path=\"db\")
      /etc/mongo from conf (ro)
Volumes:
  conf:
    Type:      ConfigMap (a volume populated by a ConfigMap)
    Name:      mongo-conf
    Optional:  false
  scratch:
    Type:        EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:      
    SizeLimit:   <unset>
QoS Class:       Burstable
Node-Selectors:  <none>
Tolerations:     <none>
Events:
  Type     Reason   Age               From     Message
  ----     ------   ----              ----     -------
  Warning  BackOff  10s (x7 over 2m)  kubelet  spec.containers{mongo}: Back-off restarting failed container
";
    assert!(
        out.ends_with(expected_tail),
        "got:\n{out}\nwant tail:\n{expected_tail}"
    );
    assert!(out.starts_with("Name:                      mongo-1\nNamespace:                 db\nNode:                      <none>\nLabels:                    <none>\nAnnotations:               <none>\n"));
}

#[test]
fn describe_topology_spread_constraints_upstream() {
    // describe_test.go TestDescribeTopologySpreadConstraints (kubectl v0.35.0)
    let pod: Pod = obj(json!({
        "metadata": {"name": "bar", "namespace": "foo"},
        "spec": {"containers": [], "topologySpreadConstraints": [
            {"maxSkew": 3, "topologyKey": "topology.kubernetes.io/test1",
             "whenUnsatisfiable": "DoNotSchedule",
             "labelSelector": {"matchLabels": {"key1": "val1", "key2": "val2"}}},
            {"maxSkew": 1, "topologyKey": "topology.kubernetes.io/test2",
             "whenUnsatisfiable": "ScheduleAnyway"},
        ]},
    }));
    let out = describe_pod(&pod, None, now());
    assert!(
        out.contains("topology.kubernetes.io/test1:DoNotSchedule when max skew 3 is exceeded for selector key1=val1,key2=val2\n"),
        "{out}"
    );
    assert!(
        out.contains("topology.kubernetes.io/test2:ScheduleAnyway when max skew 1 is exceeded\n"),
        "{out}"
    );
}

#[test]
fn describe_seccomp_profile_upstream() {
    // describe_test.go TestDescribeSeccompProfile (kubectl v0.35.0), pod and container level
    for (spec, expect) in [
        (
            json!({"securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "lauseafoodpod"}}, "containers": []}),
            [
                "SeccompProfile:",
                "Localhost",
                "LocalhostProfile:",
                "lauseafoodpod",
            ],
        ),
        (
            json!({"containers": [{"name": "c", "securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "tikkamasalaconatiner"}}}]}),
            [
                "SeccompProfile:",
                "Localhost",
                "LocalhostProfile:",
                "tikkamasalaconatiner",
            ],
        ),
        (
            json!({"containers": [{"name": "c", "securityContext": {"seccompProfile": {"type": "Unconfined"}}}]}),
            ["SeccompProfile:", "Unconfined", "", ""],
        ),
    ] {
        let pod: Pod = obj(json!({"metadata": {"name": "p", "namespace": "foo"}, "spec": spec}));
        let out = describe_pod(&pod, None, now());
        for e in expect {
            assert!(out.contains(e), "{e:?} in\n{out}");
        }
    }
}
