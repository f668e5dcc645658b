//! Time: play/pause, step to the next event, speed (0.25×–60×), the simulated clock, and a
//! scrubber over the whole history with the commands as markers. Scrubbing back shows that
//! instant exactly (the page rebuilds it by replaying the command log); acting there forks a
//! new future, and the bar says so.

use crate::i18n::{t, tf};
use kubesim::overview::clock;
use kubesim::overview::timeline::Marker;
use leptos::prelude::*;

/// Simulated-time speeds offered (× real time), with their labels.
pub const SPEEDS: [(&str, f64); 8] = [
    ("0.25", 0.25),
    ("0.5", 0.5),
    ("1", 1.0),
    ("2", 2.0),
    ("5", 5.0),
    ("10", 10.0),
    ("30", 30.0),
    ("60", 60.0),
];

#[component]
pub fn TimeBar(
    playing: RwSignal<bool>,
    speed: RwSignal<f64>,
    step: Callback<()>,
    /// The live cluster's instant.
    present: Signal<u64>,
    /// The instant shown, when it is in the past.
    past: Signal<Option<u64>>,
    /// Show an instant (`None`: the present).
    scrub: Callback<Option<u64>>,
    markers: Signal<Vec<Marker>>,
) -> impl IntoView {
    let shown = move || past.get().unwrap_or_else(|| present.get());
    view! {
        <div class="timebar">
            <div class="clock">
                <button class="play" aria-label=move || if playing.get() { t("time.pause-label") } else { t("time.play-label") }
                    on:click=move |_| playing.update(|p| *p = !*p)>
                    {move || if playing.get() { t("time.pause") } else { t("time.play") }}
                </button>
                <button class="step" aria-label=t("time.step-label") on:click=move |_| step.run(())>{t("time.step")}</button>
                <label class="speed-label">{t("time.speed")}" "
                    <select class="speed" on:change=move |ev| {
                        if let Ok(s) = event_target_value(&ev).parse() {
                            speed.set(s);
                        }
                    }>
                        {SPEEDS.iter().map(|(l, s)| view! { <option value=*l selected=*s == speed.get_untracked()>{format!("{l}×")}</option> }).collect_view()}
                    </select>
                </label>
                <span class="time" aria-live="off">{move || format!("t = {}", clock(shown()))}</span>
            </div>
            <div class="scrub-row">
                <input type="range" class="scrubber" min="0" step="1" aria-label=t("time.scrubber")
                    prop:max=move || present.get().to_string()
                    prop:value=move || shown().to_string()
                    on:input=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<u64>() {
                            let now = present.get_untracked();
                            scrub.run(if v >= now { None } else { Some(v) });
                        }
                    } />
                <div class="scrub-markers">
                    {move || {
                        let now = present.get().max(1) as f64;
                        markers.get().into_iter().map(|m| {
                            let at = m.at;
                            view! {
                                <button class="scrub-marker" style=format!("left:{:.2}%", at as f64 / now * 100.0)
                                    aria-label=tf("time.go-to", &[&clock(at), &m.label]) title=tf("time.at", &[&m.label, &clock(at)])
                                    on:click=move |_| scrub.run(Some(at))></button>
                            }
                        }).collect_view()
                    }}
                </div>
            </div>
            {move || past.get().map(|at| view! {
                <div class="past-banner" role="status">
                    {tf("time.past", &[&clock(at), &clock(present.get())])}
                    <button class="back-to-now" on:click=move |_| scrub.run(None)>{t("time.back")}</button>
                </div>
            })}
        </div>
    }
}
