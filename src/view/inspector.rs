//! The inspector: what `kubectl describe`, `kubectl get -o yaml` and the object's events print
//! for the clicked object, kept up to date as the cluster changes.

use leptos::prelude::*;

use super::ViewModel;
use crate::i18n;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Describe,
    Yaml,
    Events,
}

#[component]
pub fn Inspector(model: ViewModel) -> impl IntoView {
    let tab = RwSignal::new(Tab::Describe);
    let inspection = Memo::new(move |_| {
        model.overview.track();
        model.selected.get().map(|t| model.inspect.run(t))
    });
    let tab_button = move |t: Tab, label: &'static str| {
        view! {
            <button role="tab" class="inspector-tab" aria-selected=move || (tab.get() == t).to_string()
                on:click=move |_| tab.set(t)>{label}</button>
        }
    };
    view! {
        {move || inspection.get().map(|i| view! {
            <aside class="inspector" aria-label=i18n::tf("inspector.label", &[&i.title])>
                <div class="inspector-head">
                    <h2>{i.title.clone()}</h2>
                    <div role="tablist" aria-label=i18n::t("inspector.what")>
                        {tab_button(Tab::Describe, i18n::t("inspector.describe"))}
                        {tab_button(Tab::Yaml, "YAML")}
                        {tab_button(Tab::Events, i18n::t("inspector.events"))}
                    </div>
                    <button class="close" aria-label=i18n::t("inspector.close") on:click=move |_| model.selected.set(None)>"✕"</button>
                </div>
                <pre class="inspector-body" tabindex="0">{move || match tab.get() {
                    Tab::Describe => i.describe.clone(),
                    Tab::Yaml => i.yaml.clone(),
                    Tab::Events => i.events.clone(),
                }}</pre>
            </aside>
        })}
    }
}
