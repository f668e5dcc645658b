//! The cluster view: each StatefulSet as a row of ordinal slots (pod state, claim, volume, DNS
//! name), what its controller waits for, the nodes, the PersistentVolumes and the latest events.
//! It maps `kubesim::overview` structs to DOM and nothing more; CSS transitions animate the
//! state changes.

use kubesim::overview::{EventView, NodeView, Overview, PodView, SetView, VolumeView};
use leptos::prelude::*;

fn pod_card(pod: PodView) -> impl IntoView {
    let claims = pod
        .claims
        .into_iter()
        .map(|c| {
            let bound = c.phase == "Bound";
            let text = match (&c.volume, &c.capacity) {
                (Some(v), Some(cap)) if bound => format!("{} → {v} ({cap})", c.name),
                _ => format!("{} ({})", c.name, c.phase),
            };
            view! { <div class="claim" class:bound=bound>{text}</div> }
        })
        .collect_view();
    let placement = match (&pod.node, &pod.ip) {
        (Some(n), Some(ip)) => format!("{n} · {ip}"),
        (Some(n), None) => n.clone(),
        _ => String::new(),
    };
    let status = if pod.status.is_empty() {
        "not created".to_string()
    } else {
        format!("{} {}", pod.ready, pod.status)
    };
    let class = format!("pod {}", pod.state.as_str());
    let name = pod.name.clone();
    view! {
        <div class=class data-pod=pod.name title=pod.revision.unwrap_or_default()>
            <div class="pod-name">{name}</div>
            <div class="pod-status">{status}</div>
            <div class="pod-node">{placement}</div>
            {claims}
            {pod.dns.map(|d| view! { <div class="dns" title="resolves in cluster DNS">{d}</div> })}
        </div>
    }
}

fn set_card(set: SetView) -> impl IntoView {
    let revisions = if set.current_revision == set.update_revision || set.update_revision.is_empty()
    {
        format!("revision {}", set.current_revision)
    } else {
        format!("rolling {} → {}", set.current_revision, set.update_revision)
    };
    let why = set
        .why
        .into_iter()
        .map(|w| view! { <li>{w}</li> })
        .collect_view();
    view! {
        <div class="sts" data-sts=set.name.clone()>
            <h3>
                {format!("statefulset/{}", set.name)}
                <span class="ready-count">{format!("{}/{} ready", set.ready, set.desired)}</span>
            </h3>
            <div class="sts-meta">{format!("{} · {} · {}", set.policy, set.strategy, revisions)}</div>
            <div class="slots">{set.pods.into_iter().map(pod_card).collect_view()}</div>
            <ul class="why">{why}</ul>
            {set.dns_note.map(|n| view! { <p class="dns-note">{n}</p> })}
        </div>
    }
}

fn node_card(node: NodeView) -> impl IntoView {
    view! {
        <div class="node" class:down=!node.ready>
            <b>{node.name}</b>
            <span>{if node.ready { "Ready" } else { "NotReady" }}</span>
            <span class="node-pods">{node.pods.join(" ")}</span>
        </div>
    }
}

fn volume_row(v: VolumeView) -> impl IntoView {
    let class = format!("pv {}", v.phase.to_ascii_lowercase());
    let files = v.files_summary();
    view! {
        <tr class=class>
            <td>{v.name}</td>
            <td>{v.capacity}</td>
            <td>{v.access_modes}</td>
            <td class="phase">{v.phase}</td>
            <td>{v.claim.unwrap_or_default()}</td>
            <td class="files">{files}</td>
        </tr>
    }
}

fn event_row(e: EventView) -> impl IntoView {
    view! {
        <tr class:warning=e.type_ == "Warning">
            <td>{e.age}</td>
            <td>{e.reason}</td>
            <td>{e.object}</td>
            <td>{e.message}</td>
        </tr>
    }
}

#[component]
pub fn ClusterView(overview: Memo<Overview>) -> impl IntoView {
    // Separate memos so a tick that only moves the clock re-renders nothing else.
    let sets = Memo::new(move |_| overview.with(|o| o.sets.clone()));
    let nodes = Memo::new(move |_| overview.with(|o| o.nodes.clone()));
    let volumes = Memo::new(move |_| overview.with(|o| o.volumes.clone()));
    let events = Memo::new(move |_| overview.with(|o| o.events.clone()));
    view! {
        <div class="cluster">
            <div class="sets">
                {move || {
                    let sets = sets.get();
                    if sets.is_empty() {
                        view! {
                            <p class="empty">
                                "No StatefulSet yet. Press Apply to create the example's volumes, Service and StatefulSet."
                            </p>
                        }
                            .into_any()
                    } else {
                        sets.into_iter().map(set_card).collect_view().into_any()
                    }
                }}
            </div>
            <h4>"Nodes"</h4>
            <div class="nodes">{move || nodes.get().into_iter().map(node_card).collect_view()}</div>
            <h4>"PersistentVolumes"</h4>
            <table class="volumes">
                <tbody>{move || volumes.get().into_iter().map(volume_row).collect_view()}</tbody>
            </table>
            <p class="note">{kubesim::storage::matching::TIE_BREAK_RULE}</p>
            <h4>"Events"</h4>
            <table class="events">
                <tbody>{move || events.get().into_iter().map(event_row).collect_view()}</tbody>
            </table>
        </div>
    }
}
