//! Nodes as lanes: status (Ready, NotReady, cordoned, full) in words, the pods on each, and
//! cordon / uncordon and take down / bring up (`sim node down|up`) typed into the console.

use leptos::prelude::*;

use super::{actions, ViewModel};
use crate::i18n::{t, tf};

/// Pods listed by name on a lane before the lane only counts them.
const NAMES_UP_TO: usize = 24;

#[component]
pub fn Nodes(model: ViewModel) -> impl IntoView {
    let overview = model.overview;
    let nodes = Memo::new(move |_| overview.with(|o| o.nodes.clone()));
    view! {
        <section class="nodes-pane" aria-labelledby="nodes-h">
            <h2 id="nodes-h">{t("nodes.heading")}</h2>
            <div class="nodes">
                {move || nodes.get().into_iter().map(|n| {
                    let (name, name2, name3) = (n.name.clone(), n.name.clone(), n.name.clone());
                    let down = !n.ready;
                    let cordoned = n.cordoned;
                    let pods = if n.pods.len() <= NAMES_UP_TO {
                        n.pods.join(" ")
                    } else {
                        tf("nodes.pods", &[&n.pods.len()])
                    };
                    view! {
                        <div class="node" class:down=!n.ready class:cordoned=n.cordoned class:full=n.full data-node=n.name.clone()>
                            <div class="node-head">
                                <button class="link node-name" on:click=move |_| model.open("node", "default", &name)>{n.name.clone()}</button>
                                <span class="node-status">{n.status.clone()}</span>
                                {down.then(|| view! { <span class="badge down">{t("nodes.down")}</span> })}
                                {n.full.then(|| view! { <span class="badge full">{t("nodes.full")}</span> })}
                                <span class="node-load">{tf("nodes.load", &[&n.pods.len(), &n.capacity])}</span>
                                <button class="cordon" aria-label=tf(if cordoned { "nodes.uncordon-label" } else { "nodes.cordon-label" }, &[&n.name])
                                    on:click=move |_| model.run.run(actions::cordon(&name2, !cordoned))>
                                    {if cordoned { t("nodes.uncordon") } else { t("nodes.cordon") }}
                                </button>
                                <button class="node-power" aria-label=tf(if down { "nodes.up-label" } else { "nodes.down-label" }, &[&n.name])
                                    title=if down { t("nodes.up-title") } else { t("nodes.down-title") }
                                    on:click=move |_| model.run.run(actions::node_power(&name3, down))>
                                    {if down { t("nodes.up") } else { t("nodes.take-down") }}
                                </button>
                            </div>
                            <div class="node-pods">{pods}</div>
                        </div>
                    }
                }).collect_view()}
            </div>
        </section>
    }
}
