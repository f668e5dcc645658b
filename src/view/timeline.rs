//! The lifecycle timeline, the playground's signature: one row per ordinal, time to the
//! right, each pod's states as segments (patterned and labelled, not colour alone) with its
//! events as ticks and the commands as markers. OrderedReady's staircase, Parallel's
//! columns, a halted rollout and a top-down update read at a glance.

use kubesim::overview::{clock, PodState};
use leptos::prelude::*;

use super::ViewModel;

/// Rows drawn; more ordinals are counted, not drawn.
const MAX_ROWS: usize = 40;

const LEGEND: [PodState; 8] = [
    PodState::Pending,
    PodState::Creating,
    PodState::Running,
    PodState::Ready,
    PodState::Terminating,
    PodState::Failed,
    PodState::Unknown,
    PodState::CrashLoop,
];

#[component]
pub fn Timeline(model: ViewModel) -> impl IntoView {
    let tl = model.timeline;
    view! {
        <section class="timeline" aria-labelledby="tl-h">
            <h2 id="tl-h">"Lifecycle timeline"</h2>
            <ul class="legend" aria-label="States">
                {LEGEND.iter().map(|s| view! {
                    <li><span class=format!("swatch seg {}", s.as_str()) aria-hidden="true">{s.icon()}</span>{s.label()}</li>
                }).collect_view()}
            </ul>
            {move || tl.with(|v| {
                if v.rows.is_empty() {
                    return view! { <p class="note">"Each pod will get a row here, its states drawn along time."</p> }.into_any();
                }
                let span = (v.end - v.start).max(1) as f64;
                let pct = move |t: u64| (t.saturating_sub(v.start) as f64 / span * 100.0).clamp(0.0, 100.0);
                let rows = v.rows.iter().take(MAX_ROWS).map(|row| {
                    let segments = row.segments.iter().map(|s| {
                        let left = pct(s.from);
                        let right = pct(s.to.unwrap_or(v.end));
                        let width = (right - left).max(0.4);
                        let title = format!(
                            "{} {} from {} to {}",
                            row.pod,
                            s.state.label(),
                            clock(s.from),
                            s.to.map(clock).unwrap_or_else(|| "now".into())
                        );
                        view! {
                            <span class=format!("seg {}", s.state.as_str()) style=format!("left:{left:.2}%;width:{width:.2}%")
                                title=title>
                                {(width > 9.0).then(|| format!("{} {}", s.state.icon(), s.state.label()))}
                            </span>
                        }
                    }).collect_view();
                    let ticks = row.ticks.iter().map(|t| view! {
                        <span class="tick" class:warning=t.warning style=format!("left:{:.2}%", pct(t.at))
                            title=format!("{} at {}", t.reason, clock(t.at))></span>
                    }).collect_view();
                    view! {
                        <div class="tl-row" data-row=row.pod.clone()>
                            <span class="tl-label">{row.pod.clone()}</span>
                            <div class="tl-track">{segments}{ticks}</div>
                        </div>
                    }
                }).collect_view();
                let more = v.rows.len().saturating_sub(MAX_ROWS);
                let markers = v.markers.iter().map(|m| view! {
                    <span class="tl-marker" style=format!("left:{:.2}%", pct(m.at)) title=format!("{} at {}", m.label, clock(m.at))></span>
                }).collect_view();
                view! {
                    <div class="tl-body">
                        <div class="tl-rows">{rows}</div>
                        <div class="tl-markers" aria-hidden="true">{markers}</div>
                    </div>
                    <div class="tl-axis"><span>{clock(v.start)}</span><span>{clock(v.end)}</span></div>
                    {(more > 0).then(|| view! { <p class="note">{format!("… and {more} more ordinals (first {MAX_ROWS} drawn)")}</p> })}
                }.into_any()
            })}
        </section>
    }
}
