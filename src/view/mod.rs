//! The cluster view: a picture of the simulated cluster drawn from `kubesim::overview` only
//! (no Kubernetes logic here). One sub-module per part:
//!
//! * `time` — play/pause, step, speed, the simulated clock and the history scrubber;
//! * `set` — each StatefulSet: header (status counts, revisions, strategy, the controller's
//!   why), its pods by ordinal with their claims linked to volumes, direct actions;
//! * `storage` — the volumes no pod slot shows (the unclaimed pool, released volumes);
//! * `network` — Services and the DNS records CoreDNS answers, a resolver box;
//! * `nodes` — nodes as lanes (down, cordoned, full);
//! * `timeline` — the lifecycle timeline, one row per ordinal;
//! * `events` — the latest events; `inspector` — describe / YAML / events of a clicked object;
//! * `actions` — the kubectl command each direct action types into the console.
//!
//! Every direct action is a kubectl command typed into the console (`ViewModel::run`), so
//! the console shows people the command for what they clicked.

pub mod actions;
mod events;
mod grid;
mod inspector;
mod network;
mod nodes;
mod ns_tag;
mod set;
mod storage;
pub mod time;
mod timeline;

use crate::i18n::t;
use kubesim::overview::inspect::Inspection;
use kubesim::overview::timeline::TimelineView;
use kubesim::overview::{Overview, ResolveView};
use leptos::prelude::*;

/// An object the inspector shows: (kubectl resource, namespace, name).
pub type Target = (String, String, String);

/// Pods above which the view switches to its compact layout (small tiles, details on hover
/// or focus, storage summarised).
pub const COMPACT_ABOVE: usize = 40;

/// What the view reads and what it may do; built by the page (`lib.rs`).
#[derive(Clone, Copy)]
pub struct ViewModel {
    pub overview: Memo<Overview>,
    pub timeline: Memo<TimelineView>,
    /// Types a command into the console and runs it.
    pub run: Callback<String>,
    pub inspect: Callback<Target, Inspection>,
    /// (name, record type) → the answer of the cluster's CoreDNS.
    pub resolve: Callback<(String, String), ResolveView>,
    /// The object open in the inspector.
    pub selected: RwSignal<Option<Target>>,
    /// What the editor's Apply button does (offered again while the cluster is empty).
    pub apply: Callback<()>,
}

impl ViewModel {
    /// Opens `resource/name` in the inspector.
    pub fn open(&self, resource: &str, namespace: &str, name: &str) {
        self.selected.set(Some((
            resource.to_string(),
            namespace.to_string(),
            name.to_string(),
        )));
    }
}

#[component]
pub fn ClusterView(model: ViewModel) -> impl IntoView {
    let overview = model.overview;
    // Only which sets exist: a tick that changes a pod must not rebuild the set cards (the
    // 1,000-pod case rebuilt every tile on every tick through this list).
    let set_keys = Memo::new(move |_| {
        overview.with(|o| {
            o.sets
                .iter()
                .map(|s| (s.namespace.clone(), s.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let no_sets = Memo::new(move |_| set_keys.with(Vec::is_empty));
    let compact = Memo::new(move |_| {
        overview.with(|o| o.sets.iter().map(|s| s.pods.len()).sum::<usize>() > COMPACT_ABOVE)
    });
    view! {
        <div class="cluster" class:compact=move || compact.get()>
            <inspector::Inspector model=model />
            <div class="sets">
                {move || {
                    if no_sets.get() {
                        view! {
                            <div class="empty">
                                <p>{t("view.empty")}</p>
                                <button class="apply apply-here" on:click=move |_| model.apply.run(())>{t("view.apply-example")}</button>
                            </div>
                        }
                            .into_any()
                    } else {
                        view! {
                            <For
                                each=move || set_keys.get()
                                key=|k| k.clone()
                                children=move |(namespace, name)| view! {
                                    <set::SetCard model=model namespace=namespace name=name compact=compact.into() />
                                }
                            />
                        }
                            .into_any()
                    }
                }}
            </div>
            <timeline::Timeline model=model />
            <storage::Pool model=model />
            <network::Network model=model />
            <nodes::Nodes model=model />
            <events::Events model=model />
        </div>
    }
}
