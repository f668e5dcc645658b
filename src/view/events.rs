//! The latest events, newest last.

use leptos::prelude::*;

use super::ViewModel;
use crate::i18n::t;

#[component]
pub fn Events(model: ViewModel) -> impl IntoView {
    let overview = model.overview;
    let events = Memo::new(move |_| overview.with(|o| o.events.clone()));
    view! {
        <section class="events-pane" aria-labelledby="events-h">
            <h2 id="events-h">{t("events.heading")}</h2>
            <table class="events">
                <thead><tr><th>{t("events.age")}</th><th>{t("events.type")}</th><th>{t("events.reason")}</th><th>{t("events.object")}</th><th>{t("events.message")}</th></tr></thead>
                <tbody>
                    {move || events.get().into_iter().map(|e| { let warning = e.type_ == "Warning"; view! {
                        <tr class:warning=warning>
                            <td>{e.age}</td><td>{e.type_}</td><td>{e.reason}</td><td>{e.object}{super::ns_tag::ns_tag(&e.namespace)}</td><td>{e.message}</td>
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
