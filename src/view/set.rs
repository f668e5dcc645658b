//! One StatefulSet: its header (kubectl's status counts, revisions, strategy, partition,
//! policy, the controller's "why"), its pods in ordinal order as shapes with their claim
//! linked to the volume it is bound to, and the direct actions (scale, image, partition,
//! per-pod delete / unready / fail), each typed into the console as kubectl.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use kubesim::overview::{ClaimView, PodState, PodView, SetView, VolumeView};
use leptos::prelude::*;

use super::{actions, ViewModel};
use crate::i18n::{say, state_label, t, tf};

/// The revision hash's own part (`mongo-95d65fc97` → `95d65fc97`).
fn short_revision(set: &str, revision: &str) -> String {
    revision
        .strip_prefix(set)
        .and_then(|r| r.strip_prefix('-'))
        .unwrap_or(revision)
        .to_string()
}

/// A slot as drawn: the pod (or its absence) and the volume of each of its claims.
#[derive(Clone, PartialEq, Eq)]
struct Slot {
    set: String,
    namespace: String,
    pod: PodView,
    volumes: Vec<Option<VolumeView>>,
}

/// A text or number field that edits a value the cluster keeps changing: what the person has
/// typed (the draft) wins over the cluster's value until it is committed (Enter / change) or
/// abandoned (blur without a change), so a redraw never wipes an edit in progress.
fn draft_field(
    class: &'static str,
    kind: &'static str,
    value: Signal<String>,
    commit: impl Fn(String) + 'static,
) -> impl IntoView {
    let draft = RwSignal::new(None::<String>);
    view! {
        <input type=kind class=class spellcheck="false" min=(kind == "number").then_some("0")
            prop:value=move || draft.get().unwrap_or_else(|| value.get())
            on:input=move |ev| draft.set(Some(event_target_value(&ev)))
            on:change=move |ev| {
                commit(event_target_value(&ev));
                draft.set(None);
            }
            on:blur=move |_| draft.set(None) />
    }
}

/// A set's header, built once per set: every part reads the set's memo on its own, so a
/// status change updates the text it changes and nothing else (the fields keep focus, caret
/// and what is being typed).
#[component]
fn Header(
    model: ViewModel,
    set: Memo<Option<SetView>>,
    namespace: String,
    name: String,
) -> impl IntoView {
    let tag = super::ns_tag::ns_tag(&namespace);
    let get = move |f: fn(&SetView) -> String| {
        move || set.with(|s| s.as_ref().map(f).unwrap_or_default())
    };
    let num =
        move |f: fn(&SetView) -> i32| move || set.with(|s| s.as_ref().map(f).unwrap_or_default());
    let rolling = Memo::new(move |_| {
        set.with(|s| {
            s.as_ref().is_some_and(|s| {
                !s.update_revision.is_empty() && s.current_revision != s.update_revision
            })
        })
    });
    let nm = name.clone();
    let revisions = move || {
        set.with(|s| {
            let Some(s) = s else { return String::new() };
            if rolling.get() {
                tf(
                    "set.revisions",
                    &[
                        &short_revision(&nm, &s.current_revision),
                        &short_revision(&nm, &s.update_revision),
                    ],
                )
            } else {
                tf("set.revision", &[&short_revision(&nm, &s.current_revision)])
            }
        })
    };
    let why =
        Memo::new(move |_| set.with(|s| s.as_ref().map(|s| s.why.clone()).unwrap_or_default()));
    let done = move || {
        set.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.ready == s.desired && s.updated == s.desired)
        }) && !rolling.get()
    };
    let desired =
        move || set.with_untracked(|s| s.as_ref().map(|s| i64::from(s.desired)).unwrap_or(0));
    let container = Memo::new(move |_| {
        set.with(|s| {
            s.as_ref()
                .and_then(|s| s.images.first().cloned())
                .unwrap_or_default()
        })
    });
    let partition = Memo::new(move |_| set.with(|s| s.as_ref().and_then(|s| s.partition)));
    let (n1, n2, n3, n4, n5, n6) = (
        name.clone(),
        name.clone(),
        name.clone(),
        name.clone(),
        name.clone(),
        name.clone(),
    );
    let (s1, s2, s3, s4, s5, s6) = (
        namespace.clone(),
        namespace.clone(),
        namespace.clone(),
        namespace.clone(),
        namespace.clone(),
        namespace,
    );
    let replicas_field = draft_field(
        "replicas-input",
        "number",
        Signal::derive(get(|s| s.desired.to_string())),
        move |v| {
            if let Ok(n) = v.trim().parse::<i64>() {
                model.run.run(actions::scale(&s3, &n3, n));
            }
        },
    );
    let image_field = draft_field(
        "image-input",
        "text",
        Signal::derive(move || container.get().1),
        move |v| {
            if !v.trim().is_empty() {
                let c = container.get_untracked().0;
                model.run.run(actions::set_image(&s5, &n5, &c, v.trim()));
            }
        },
    );
    let partition_field = draft_field(
        "partition-input",
        "number",
        Signal::derive(move || partition.get().unwrap_or(0).to_string()),
        move |v| {
            if let Ok(n) = v.trim().parse::<i64>() {
                model.run.run(actions::partition(&s6, &n6, n));
            }
        },
    );
    view! {
        <div class="sts-head">
            <h2>
                <button class="link sts-name" on:click=move |_| model.open("statefulset", &s1, &n1)>
                    {format!("statefulset/{name}")}
                </button>
                {tag}
                <span class="ready-count" class:all-ready=move || num(|s| s.ready)() == num(|s| s.desired)()>
                    {move || format!("READY {}/{}", num(|s| s.ready)(), num(|s| s.desired)())}
                </span>
            </h2>
            <dl class="counts">
                <div><dt>{t("set.replicas")}</dt><dd>{num(|s| s.replicas)}</dd></div>
                <div><dt>{t("set.ready")}</dt><dd>{num(|s| s.ready)}</dd></div>
                <div><dt>{t("set.current")}</dt><dd>{num(|s| s.current)}</dd></div>
                <div><dt>{t("set.updated")}</dt><dd>{num(|s| s.updated)}</dd></div>
                <div><dt>{t("set.available")}</dt><dd>{num(|s| s.available)}</dd></div>
            </dl>
            <div class="sts-meta">
                <span class="policy">{get(|s| s.policy.clone())}</span>
                " · "
                <span class="strategy">{get(|s| s.strategy.clone())}</span>
                " · "
                <span class="revisions" class:rolling=move || rolling.get()>{revisions}</span>
            </div>
            <ul class="why" class:done=done aria-label=t("set.why")>
                {move || {
                    let why = why.get();
                    if why.is_empty() {
                        view! { <li>{t("set.nothing-to-wait")}</li> }.into_any()
                    } else {
                        why.into_iter().map(|w| view! { <li>{say(&w)}</li> }).collect_view().into_any()
                    }
                }}
            </ul>
            <div class="sts-actions">
                <button class="scale-down" aria-label=tf("set.scale-down", &[&n2])
                    on:click=move |_| model.run.run(actions::scale(&s2, &n2, desired() - 1))>"−"</button>
                <label class="replicas">{t("set.replicas")}" " {replicas_field}</label>
                <button class="scale-up" aria-label=tf("set.scale-up", &[&n4])
                    on:click=move |_| model.run.run(actions::scale(&s4, &n4, desired() + 1))>"+"</button>
                <label class="image">{move || tf("set.image", &[&container.get().0])} {image_field}</label>
                <label class="partition" class:hidden=move || partition.get().is_none()>{t("set.partition")}" " {partition_field}</label>
            </div>
        </div>
    }
}

fn claim_chain(
    model: ViewModel,
    ns: &str,
    claim: ClaimView,
    volume: Option<VolumeView>,
) -> impl IntoView {
    let bound = claim.phase == "Bound";
    let (ns1, ns2) = (ns.to_string(), ns.to_string());
    let claim_name = claim.name.clone();
    let pv = volume.map(|v| {
        let name = v.name.clone();
        let ns = ns2.clone();
        view! {
            <span class="link-line" class:bound=bound aria-hidden="true"></span>
            <button class=format!("pv-chip {}", v.phase.to_ascii_lowercase()) data-pv=v.name.clone()
                on:click=move |_| model.open("pv", &ns, &name)>
                <span class="chip-name">{v.name.clone()}</span>
                <span class="chip-detail">{format!("{} · {} · {} · {}", v.phase, v.capacity, v.access_modes, v.reclaim)}</span>
                {(v.file_count > 0).then(|| view! { <span class="chip-detail chip-files" title=t("set.files-title")>{v.files_summary()}</span> })}
            </button>
            {super::storage::pv_fault_button(model, v.name.clone(), &v.phase)}
        }
    });
    let why = (!bound).then(|| claim.why.clone()).flatten();
    view! {
        <div class="chain" class:bound=bound>
            <span class="link-line" class:bound=bound aria-hidden="true"></span>
            <button class=format!("pvc-chip {}", claim.phase.to_ascii_lowercase()) data-claim=claim.name.clone()
                on:click=move |_| model.open("pvc", &ns1, &claim_name)>
                <span class="chip-name">{claim.name.clone()}</span>
                <span class="chip-detail">{if bound { format!("Bound · {}", claim.capacity.clone().unwrap_or_default()) } else { tf("set.unbound", &[&claim.phase]) }}</span>
            </button>
            {pv}
            {why.map(|w| view! { <p class="claim-why">{format!("⚠ {}", say(&w))}</p> })}
        </div>
    }
}

/// Where a pod runs, as a tile shows it (`node · IP`).
fn placement(pod: &PodView) -> String {
    match (&pod.node, &pod.ip) {
        (Some(n), Some(ip)) => format!("{n} · {ip}"),
        (Some(n), None) => n.clone(),
        _ => "—".to_string(),
    }
}

/// A pod in words: name, state, READY/STATUS, node and IP, revision (the tile's accessible
/// name; the compact grid's hover and focus line).
pub(super) fn pod_label(set: &str, pod: &PodView) -> String {
    let exists = pod.state != PodState::Absent;
    let revision = pod
        .revision
        .as_deref()
        .map(|r| short_revision(set, r))
        .unwrap_or_default();
    format!(
        "{}: {}{}{}{}",
        pod.name,
        state_label(pod.state),
        if exists {
            let at = match (&pod.node, &pod.ip) {
                (Some(n), Some(ip)) => tf("set.at-node-ip", &[n, ip]),
                (Some(n), None) => tf("set.at-node", &[n]),
                _ => t("set.not-scheduled").to_string(),
            };
            format!(", {} {}, {at}", pod.ready, pod.status)
        } else {
            String::new()
        },
        if pod.condemned {
            format!(", {}", t("set.condemned"))
        } else {
            String::new()
        },
        if revision.is_empty() {
            String::new()
        } else {
            tf(
                if pod.updated {
                    "set.pod-revision-update"
                } else {
                    "set.pod-revision-old"
                },
                &[&revision],
            )
        }
    )
}

fn pod_tile(model: ViewModel, slot: Slot) -> impl IntoView {
    let Slot {
        set,
        namespace,
        pod,
        volumes,
    } = slot;
    let state = pod.state;
    let exists = state != PodState::Absent;
    let revision = pod
        .revision
        .as_deref()
        .map(|r| short_revision(&set, r))
        .unwrap_or_default();
    let status_text = if exists {
        format!("{} {}", pod.ready, pod.status)
    } else {
        t("state.absent").to_string()
    };
    let placement = placement(&pod);
    let label = pod_label(&set, &pod);
    let class = format!(
        "pod {}{}",
        state.as_str(),
        if pod.condemned { " condemned" } else { "" }
    );
    let name = pod.name.clone();
    let (n1, n2, n3, n4) = (name.clone(), name.clone(), name.clone(), name.clone());
    let (s1, s2, s3, s4) = (
        namespace.clone(),
        namespace.clone(),
        namespace.clone(),
        namespace.clone(),
    );
    let unready = state == PodState::Running;
    let chains = pod
        .claims
        .into_iter()
        .zip(volumes)
        .map(|(c, v)| claim_chain(model, &namespace, c, v))
        .collect_view();
    let dns = pod.dns.clone();
    view! {
        <div class="slot" data-slot=name.clone()>
            <div class=class data-pod=name.clone() data-state=state.as_str() aria-label=label>
                <div class="pod-top">
                    <span class="shape" aria-hidden="true">{state.icon()}</span>
                    <button class="link pod-name" on:click=move |_| model.open("pod", &s1, &n1)>{name.clone()}</button>
                </div>
                <div class="pod-status">{state_label(state)}</div>
                {exists.then(|| view! {
                    <div class="pod-ready">{status_text.clone()}</div>
                    <div class="pod-node">{placement.clone()}</div>
                    <div class="pod-meta">
                        {(!revision.is_empty()).then(|| view! {
                            <span class="rev" class:old=!pod.updated>
                                {format!("rev {revision} {}", if pod.updated { "✓" } else { t("set.old") })}
                            </span>
                        })}
                        <span class="restarts">{format!("↻ {}", pod.restarts)}</span>
                    </div>
                })}
                {pod.condemned.then(|| view! { <div class="condemned-note">{t("set.condemned")}</div> })}
                {exists.then(|| view! {
                    <div class="pod-actions">
                        <button class="delete-pod" aria-label=tf("set.delete-pod", &[&n2]) title="kubectl delete pod"
                            on:click=move |_| model.run.run(actions::delete_pod(&s2, &n2))>{t("set.delete")}</button>
                        <button class="unready-pod" aria-label=tf(if unready { "set.make-ready" } else { "set.make-unready" }, &[&n3])
                            title="kubectl annotate pod … playground.dev/unready"
                            on:click=move |_| model.run.run(actions::set_unready(&s3, &n3, !unready))>
                            {if unready { t("set.ready-button") } else { t("set.unready-button") }}
                        </button>
                        <button class="fail-pod" aria-label=tf("set.fail-pod", &[&n4]) title="kubectl annotate pod … playground.dev/fail=true"
                            on:click=move |_| model.run.run(actions::fail(&s4, &n4))>{t("set.fail")}</button>
                    </div>
                })}
            </div>
            {dns.map(|d| view! { <div class="pod-dns" title=t("set.dns-title")>{d}</div> })}
            {chains}
        </div>
    }
    .into_any()
}

fn retained_slot(
    model: ViewModel,
    set: &str,
    ns: &str,
    ordinal: i64,
    claim: ClaimView,
    volume: Option<VolumeView>,
) -> impl IntoView {
    view! {
        <div class="slot retained" data-slot=format!("{set}-{ordinal}")>
            <div class="pod ghost" aria-label=tf("set.retained-label", &[&set, &ordinal])>
                <div class="pod-top"><span class="shape" aria-hidden="true">"○"</span><span class="pod-name">{format!("{set}-{ordinal}")}</span></div>
                <div class="pod-status">{t("set.retained")}</div>
            </div>
            {claim_chain(model, ns, claim, volume)}
        </div>
    }
}

#[component]
pub fn SetCard(
    model: ViewModel,
    namespace: String,
    name: String,
    compact: Signal<bool>,
) -> impl IntoView {
    let overview = model.overview;
    let (ns, nm) = (namespace.clone(), name.clone());
    // Finds this set in the overview (without cloning it).
    let find = move |o: &'_ kubesim::overview::Overview| -> Option<usize> {
        o.sets
            .iter()
            .position(|s| s.namespace == ns && s.name == nm)
    };
    let (find1, find2) = (find.clone(), find.clone());
    let set = Memo::new(move |_| overview.with(|o| find1(o).map(|i| o.sets[i].head())));
    // The slot list as the keyed list sees it: a content hash per ordinal (and its index), so
    // a tick clones nothing and re-renders only the tiles whose pod or volumes changed.
    let find3 = find.clone();
    let slot_at = move |o: &kubesim::overview::Overview, i: usize| -> Option<Slot> {
        let set = &o.sets[find3(o)?];
        let pod = set.pods.get(i)?;
        Some(Slot {
            set: set.name.clone(),
            namespace: set.namespace.clone(),
            volumes: pod
                .claims
                .iter()
                .map(|c| {
                    let v = c.volume.as_deref()?;
                    o.volumes
                        .iter()
                        .find(|pv| pv.name == v)
                        .map(|pv| (**pv).clone())
                })
                .collect(),
            pod: (**pod).clone(),
        })
    };
    // Compact, the pods are drawn on the grid's canvas: no tiles.
    let slots = Memo::new(move |_| {
        if compact.get() {
            return Vec::new();
        }
        overview.with(|o| {
            let Some(set) = find2(o).map(|i| &o.sets[i]) else {
                return Vec::new();
            };
            let by_name: std::collections::BTreeMap<&str, &VolumeView> =
                o.volumes.iter().map(|v| (v.name.as_str(), &**v)).collect();
            set.pods
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let mut h = DefaultHasher::new();
                    (&set.name, &set.namespace, p).hash(&mut h);
                    for c in &p.claims {
                        c.volume
                            .as_deref()
                            .and_then(|v| by_name.get(v))
                            .hash(&mut h);
                    }
                    (h.finish(), i)
                })
                .collect::<Vec<_>>()
        })
    });
    let retained = Memo::new(move |_| {
        overview.with(|o| {
            find(o)
                .map(|i| {
                    let s = &o.sets[i];
                    s.retained_claims
                        .iter()
                        .map(|(ord, c)| {
                            let v = c
                                .volume
                                .as_ref()
                                .and_then(|v| o.volumes.iter().find(|pv| &pv.name == v))
                                .map(|pv| (**pv).clone());
                            (s.name.clone(), s.namespace.clone(), *ord, c.clone(), v)
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let (grid_ns, grid_name) = (namespace.clone(), name.clone());
    view! {
        <section class="sts" data-sts=name.clone() aria-label=format!("StatefulSet {name}")>
            <Header model=model set=set namespace=namespace.clone() name=name.clone() />
            {move || compact.get().then(|| view! {
                <super::grid::PodGrid model=model namespace=grid_ns.clone() name=grid_name.clone() />
            })}
            <div class="slots" class:hidden=move || compact.get()>
                <For
                    each=move || slots.get()
                    key=|(key, _)| *key
                    children=move |(_, i)| {
                        let slot = overview.with_untracked(|o| slot_at(o, i));
                        slot.map(|slot| pod_tile(model, slot))
                    }
                />
                {move || (!compact.get()).then(|| retained
                    .get()
                    .into_iter()
                    .map(|(set, ns, ord, c, v)| retained_slot(model, &set, &ns, ord, c, v))
                    .collect_view())}
            </div>
            {move || set.get().and_then(|s| s.dns_note).map(|n| view! { <p class="dns-note">{say(&n)}</p> })}
        </section>
    }
}
