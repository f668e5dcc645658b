//! The volumes no pod slot draws: the unclaimed pool (Available), and Released or Failed
//! volumes whose claim is gone. Bound volumes appear linked under their pods.

use leptos::prelude::*;

use super::{actions, ViewModel};
use crate::i18n::{t, t_or, tf};

/// Fail / repair a volume's disk (`sim pv fail|repair PV`), next to its chip. A failed disk
/// says so in words on the button and the chip, not by colour alone.
pub(super) fn pv_fault_button(model: ViewModel, pv: String, phase: &str) -> impl IntoView {
    let failed = phase == "Failed";
    view! {
        <button class="pv-fault" class:failed=failed
            aria-label=tf(if failed { "pool.repair-label" } else { "pool.fail-label" }, &[&pv])
            title=if failed { t("pool.repair-title") } else { t("pool.fail-title") }
            on:click=move |_| model.run.run(actions::pv_fault(&pv, !failed))>
            {failed.then(|| view! { <span aria-hidden="true">"⚠ "</span> })}
            {if failed { t("pool.repair") } else { t("pool.fail") }}
        </button>
    }
}

#[component]
pub fn Pool(model: ViewModel) -> impl IntoView {
    let overview = model.overview;
    let volumes = Memo::new(move |_| {
        overview.with(|o| {
            o.volumes
                .iter()
                .filter(|v| v.phase != "Bound")
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let bound = Memo::new(move |_| {
        overview.with(|o| o.volumes.iter().filter(|v| v.phase == "Bound").count())
    });
    view! {
        <section class="pool" aria-labelledby="pool-h">
            <h2 id="pool-h">{t("pool.heading")}</h2>
            <p class="note">
                {move || tf("pool.bound", &[&bound.get()])}
            </p>
            <div class="pv-pool">
                {move || {
                    let vs = volumes.get();
                    if vs.is_empty() {
                        view! { <span class="note">{t("pool.none")}</span> }.into_any()
                    } else {
                        vs.into_iter()
                            .map(|v| {
                                let name = v.name.clone();
                                let fault = pv_fault_button(model, v.name.clone(), &v.phase);
                                view! {
                                    <span class="pv-with-fault">
                                    <button class=format!("pv-chip {}", v.phase.to_ascii_lowercase()) data-pv=v.name.clone()
                                        on:click=move |_| model.open("pv", "default", &name)>
                                        <span class="chip-name">{v.name.clone()}</span>
                                        <span class="chip-detail">{format!("{} · {} · {} · {}", v.phase, v.capacity, v.access_modes, v.reclaim)}</span>
                {(v.file_count > 0).then(|| view! { <span class="chip-detail chip-files" title=t("set.files-title")>{v.files_summary()}</span> })}
                                        {v.claim.clone().map(|c| view! { <span class="chip-detail">{tf("pool.was", &[&c])}</span> })}
                                    </button>
                                    {fault}
                                    </span>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }
                }}
            </div>
            <p class="note">{t_or("pool.tie-break", kubesim::storage::matching::TIE_BREAK_RULE)}</p>
        </section>
    }
}
