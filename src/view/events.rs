//! The latest events, newest last.

use leptos::prelude::*;

use super::ViewModel;

#[component]
pub fn Events(model: ViewModel) -> impl IntoView {
    let overview = model.overview;
    let events = Memo::new(move |_| overview.with(|o| o.events.clone()));
    view! {
        <section class="events-pane" aria-labelledby="events-h">
            <h2 id="events-h">"Events (newest last)"</h2>
            <table class="events">
                <thead><tr><th>"age"</th><th>"type"</th><th>"reason"</th><th>"object"</th><th>"message"</th></tr></thead>
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
