//! Services and the DNS records CoreDNS answers for them right now, the pod names that do not
//! resolve (and why), and a resolver box: type a name, see the cluster's answer.

use leptos::prelude::*;

use super::ViewModel;
use crate::i18n::{say, t, tf};

/// Records (and names that do not resolve) listed per Service; the rest are counted, and the
/// resolver box answers any of them. At 1,000 pods the full lists are 3,000 rows.
const LISTED: usize = 12;

#[component]
pub fn Network(model: ViewModel) -> impl IntoView {
    let overview = model.overview;
    // The services as listed: the first LISTED records and unresolved names, and how many
    // more there are (so a tick that readies the 500th pod does not redraw the list).
    let services = Memo::new(move |_| {
        overview.with(|o| {
            o.services
                .iter()
                .map(|s| {
                    let more = s.records.len().saturating_sub(LISTED)
                        + s.not_resolving.len().saturating_sub(LISTED);
                    let s = kubesim::overview::ServiceView {
                        records: s.records.iter().take(LISTED).cloned().collect(),
                        not_resolving: s.not_resolving.iter().take(LISTED).cloned().collect(),
                        name: s.name.clone(),
                        namespace: s.namespace.clone(),
                        headless: s.headless,
                        cluster_ip: s.cluster_ip.clone(),
                        ports: s.ports.clone(),
                        srv_note: s.srv_note.clone(),
                    };
                    (s, more)
                })
                .collect::<Vec<_>>()
        })
    });
    let query = RwSignal::new(String::from("mongo-0.mongo"));
    let qtype = RwSignal::new(String::from("A"));
    let answer = Memo::new(move |_| {
        overview.track();
        model.resolve.run((query.get(), qtype.get()))
    });
    view! {
        <section class="network" aria-labelledby="net-h">
            <h2 id="net-h">{t("net.heading")}</h2>
            {move || services.get().into_iter().map(|(svc, more)| {
                let (ns, name) = (svc.namespace.clone(), svc.name.clone());
                let records = svc.records.iter().map(|r| view! {
                    <li class="record"><code>{r.name.clone()}</code>" "<span class="rtype">{r.rtype.clone()}</span>" "<code>{r.data.clone()}</code></li>
                }).collect_view();
                let missing = svc.not_resolving.iter().map(|(n, why)| view! {
                    <li class="record nx"><code><s>{n.clone()}</s></code>" "<span class="rtype">"NXDOMAIN"</span>" "{say(why)}</li>
                }).collect_view();
                view! {
                    <div class="svc" data-svc=svc.name.clone()>
                        <div class="svc-head">
                            <button class="link" on:click=move |_| model.open("service", &ns, &name)>{format!("service/{}", svc.name)}</button>
                            {super::ns_tag::ns_tag(&svc.namespace)}
                            <span>{if svc.headless { t("net.headless").to_string() } else { format!("clusterIP {}", svc.cluster_ip) }}</span>
                            <span>{svc.ports.join(", ")}</span>
                        </div>
                        <ul class="records">{records}{missing}</ul>
                        {(more > 0).then(|| view! { <p class="note">{tf("net.more", &[&more])}</p> })}
                        {svc.srv_note.clone().map(|n| view! { <p class="note">{say(&n)}</p> })}
                    </div>
                }
            }).collect_view()}
            <form class="resolver" on:submit=move |ev| ev.prevent_default()>
                <label>{t("net.resolve")}" "
                    <input type="text" class="resolver-name" spellcheck="false" prop:value=move || query.get()
                        on:input=move |ev| query.set(event_target_value(&ev)) />
                </label>
                <label>" "{t("net.type")}" "
                    <select class="resolver-type" on:change=move |ev| qtype.set(event_target_value(&ev))>
                        <option value="A">"A"</option>
                        <option value="SRV">"SRV"</option>
                        <option value="PTR">"PTR"</option>
                    </select>
                </label>
                <div class="resolver-answer" aria-live="polite">
                    {move || {
                        let a = answer.get();
                        if a.rcode.is_empty() {
                            return view! { <span class="note">{t("net.type-a-name")}</span> }.into_any();
                        }
                        let tried = a.tried.iter().map(|(n, r)| format!("{n}: {r}")).collect::<Vec<_>>().join("\n");
                        view! {
                            <div>
                                <span class="rcode" class:nx=a.rcode != "NOERROR">{a.rcode.clone()}</span>
                                <ul class="records">
                                    {a.answers.iter().map(|r| view! {
                                        <li class="record"><code>{r.name.clone()}</code>" "<span class="rtype">{r.rtype.clone()}</span>" "<code>{r.data.clone()}</code></li>
                                    }).collect_view()}
                                </ul>
                                <details><summary>{t("net.tried")}</summary><pre>{tried}</pre></details>
                            </div>
                        }.into_any()
                    }}
                </div>
            </form>
        </section>
    }
}
