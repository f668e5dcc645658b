//! The kubectl command each direct action on the picture types into the console, so a person
//! learns the command by clicking. Pure functions, tested natively against kubectl's parser.

fn ns_flag(namespace: &str) -> String {
    if namespace == "default" {
        String::new()
    } else {
        format!(" -n {namespace}")
    }
}

pub fn scale(namespace: &str, set: &str, replicas: i64) -> String {
    format!(
        "kubectl scale statefulset {set} --replicas={}{}",
        replicas.max(0),
        ns_flag(namespace)
    )
}

pub fn delete_pod(namespace: &str, pod: &str) -> String {
    format!("kubectl delete pod {pod}{}", ns_flag(namespace))
}

/// Fails (or heals) the pod's readiness probe: the playground's fault annotation.
pub fn set_unready(namespace: &str, pod: &str, unready: bool) -> String {
    if unready {
        format!(
            "kubectl annotate pod {pod} playground.dev/unready=true --overwrite{}",
            ns_flag(namespace)
        )
    } else {
        format!(
            "kubectl annotate pod {pod} playground.dev/unready-{}",
            ns_flag(namespace)
        )
    }
}

/// Makes the pod's containers exit 1 (phase Failed): the playground's fault annotation.
pub fn fail(namespace: &str, pod: &str) -> String {
    format!(
        "kubectl annotate pod {pod} playground.dev/fail=true --overwrite{}",
        ns_flag(namespace)
    )
}

pub fn cordon(node: &str, cordon: bool) -> String {
    let verb = if cordon { "cordon" } else { "uncordon" };
    format!("kubectl {verb} {node}")
}

/// Stops (or restarts) a node's kubelet: the playground's `sim` fault command.
pub fn node_power(node: &str, up: bool) -> String {
    format!("sim node {} {node}", if up { "up" } else { "down" })
}

/// Breaks (or repairs) a PersistentVolume's disk: the playground's `sim` fault command.
pub fn pv_fault(pv: &str, fail: bool) -> String {
    format!("sim pv {} {pv}", if fail { "fail" } else { "repair" })
}

pub fn set_image(namespace: &str, set: &str, container: &str, image: &str) -> String {
    format!(
        "kubectl set image statefulset/{set} {container}={}{}",
        image.trim(),
        ns_flag(namespace)
    )
}

pub fn partition(namespace: &str, set: &str, partition: i64) -> String {
    format!(
        "kubectl patch statefulset {set} -p '{{\"spec\":{{\"updateStrategy\":{{\"type\":\"RollingUpdate\",\"rollingUpdate\":{{\"partition\":{}}}}}}}}}'{}",
        partition.max(0),
        ns_flag(namespace)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubesim::kubectl::cli;

    #[test]
    fn every_action_is_a_command_kubectl_understands() {
        let lines = [
            scale("default", "mongo", 5),
            scale("default", "mongo", -1),
            delete_pod("default", "mongo-1"),
            set_unready("default", "mongo-1", true),
            set_unready("default", "mongo-1", false),
            fail("default", "mongo-2"),
            cordon("node-1", true),
            cordon("node-1", false),
            set_image("default", "mongo", "mongo", " mongo:3.6 "),
            partition("default", "mongo", 2),
        ];
        for line in &lines {
            assert!(cli::parse(line).is_ok(), "{line}: {:?}", cli::parse(line));
        }
        assert_eq!(lines[0], "kubectl scale statefulset mongo --replicas=5");
        assert_eq!(lines[1], "kubectl scale statefulset mongo --replicas=0");
        assert_eq!(delete_pod("db", "a-0"), "kubectl delete pod a-0 -n db");
        assert_eq!(
            lines[4],
            "kubectl annotate pod mongo-1 playground.dev/unready-"
        );
        assert_eq!(
            lines[8],
            "kubectl set image statefulset/mongo mongo=mongo:3.6"
        );
        assert_eq!(
            lines[9],
            r#"kubectl patch statefulset mongo -p '{"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":2}}}}'"#
        );
    }

    #[test]
    fn actions_change_the_cluster_as_kubectl_would() {
        let files: Vec<(&str, String)> = kubesim::examples::MONGODB
            .iter()
            .map(|(n, t)| (*n, t.to_string()))
            .collect();
        let mut shell = crate::new_shell(&files, Default::default());
        for (name, _) in &files {
            shell.run(&format!("kubectl apply -f {name}"));
        }
        shell.cluster_mut().advance(120_000);
        assert_eq!(
            shell.run(&partition("default", "mongo", 2)).text(),
            "statefulset.apps/mongo patched\n"
        );
        assert_eq!(
            shell.run(&set_unready("default", "mongo-1", true)).text(),
            "pod/mongo-1 annotated\n"
        );
        assert_eq!(
            shell.run(&cordon("node-1", true)).text(),
            "node/node-1 cordoned\n"
        );
        let o = kubesim::overview::overview(shell.cluster());
        assert_eq!(o.sets[0].partition, Some(2));
        assert!(o.nodes[0].cordoned);
        // The fault buttons: a node down turns NotReady, a failed disk's phase is Failed, and
        // the opposite command undoes each.
        assert_eq!(node_power("node-2", false), "sim node down node-2");
        assert_eq!(pv_fault("pv001", true), "sim pv fail pv001");
        assert_eq!(shell.run(&node_power("node-2", false)).exit_code, 0);
        assert_eq!(shell.run(&pv_fault("pv001", true)).exit_code, 0);
        shell.cluster_mut().advance(60_000);
        let o = kubesim::overview::overview(shell.cluster());
        let node2 = o.nodes.iter().find(|n| n.name == "node-2").unwrap();
        assert!(!node2.ready && node2.status == "NotReady", "{node2:?}");
        let pv1 = o.volumes.iter().find(|v| v.name == "pv001").unwrap();
        assert_eq!(pv1.phase, "Failed");
        assert_eq!(shell.run(&node_power("node-2", true)).exit_code, 0);
        assert_eq!(shell.run(&pv_fault("pv001", false)).exit_code, 0);
        shell.cluster_mut().advance(60_000);
        let o = kubesim::overview::overview(shell.cluster());
        assert!(o.nodes.iter().all(|n| n.ready));
        assert_ne!(
            o.volumes.iter().find(|v| v.name == "pv001").unwrap().phase,
            "Failed"
        );
    }
}
