//! The lifecycle timeline, the playground's signature: one row per ordinal, time to the
//! right, each pod's states as segments (patterned and labelled, not colour alone) with its
//! events as ticks and the commands as markers. OrderedReady's staircase, Parallel's
//! columns, a halted rollout and a top-down update read at a glance.
//!
//! Cheap to keep alive while the clock runs: rows are keyed by their content, so a tick
//! re-renders only the rows whose pod changed state. Segments, ticks and markers carry their
//! instants as CSS variables (`--a` from, `--b` to) and the body carries the window (`--t0`,
//! `--t1`, `--span`); CSS turns them into positions. The window's right end moves in steps
//! (`TimelineView::axis_end`), so a running clock restyles only the open segments (whose `--b`
//! is now) on a tick, and the whole timeline only when the axis steps.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use kubesim::overview::timeline::TimelineRow;
use kubesim::overview::{clock, PodState};
use leptos::prelude::*;

use super::ViewModel;
use crate::i18n::{state_label, t, tf};

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

/// A row's identity for the keyed list: its content (an unchanged row keeps its DOM).
fn row_key(row: &TimelineRow) -> u64 {
    let mut h = DefaultHasher::new();
    row.pod.hash(&mut h);
    for s in &row.segments {
        (s.from, s.to, s.state.as_str()).hash(&mut h);
    }
    for t in &row.ticks {
        (t.at, &t.reason, t.warning).hash(&mut h);
    }
    h.finish()
}

fn row_view(row: TimelineRow, now: Memo<u64>) -> impl IntoView {
    let segments = row
        .segments
        .iter()
        .map(|s| {
            let title = tf(
                "tl.segment",
                &[
                    &row.pod,
                    &state_label(s.state),
                    &clock(s.from),
                    &s.to.map(clock).unwrap_or_else(|| t("tl.now").into()),
                ],
            );
            let (from, to) = (s.from, s.to);
            let style = move || format!("--a:{from};--b:{}", to.unwrap_or_else(|| now.get()));
            view! {
                <span class=format!("seg {}", s.state.as_str()) class:open=s.to.is_none() style=style title=title>
                    <span class="seg-label">{format!("{} {}", s.state.icon(), state_label(s.state))}</span>
                </span>
            }
        })
        .collect_view();
    let ticks = row
        .ticks
        .iter()
        .map(|t| {
            view! {
                <span class="tick" class:warning=t.warning style=format!("--a:{}", t.at)
                    title=tf("time.at", &[&t.reason, &clock(t.at)])></span>
            }
        })
        .collect_view();
    view! {
        <div class="tl-row" data-row=row.pod.clone()>
            <span class="tl-label">{row.pod.clone()}</span>
            <div class="tl-track">{segments}{ticks}</div>
        </div>
    }
}

#[component]
pub fn Timeline(model: ViewModel) -> impl IntoView {
    let tl = model.timeline;
    let empty = Memo::new(move |_| tl.with(|v| v.rows.is_empty()));
    let rows =
        Memo::new(move |_| tl.with(|v| v.rows.iter().take(MAX_ROWS).cloned().collect::<Vec<_>>()));
    let more = Memo::new(move |_| tl.with(|v| v.rows.len().saturating_sub(MAX_ROWS)));
    let window = Memo::new(move |_| tl.with(|v| (v.start, v.axis_end)));
    let now = Memo::new(move |_| tl.with(|v| v.end));
    let markers = Memo::new(move |_| tl.with(|v| v.markers.clone()));
    let vars = move || {
        let (start, end) = window.get();
        format!(
            "--t0:{start};--t1:{end};--span:{}",
            end.saturating_sub(start).max(1)
        )
    };
    view! {
        <section class="timeline" aria-labelledby="tl-h">
            <h2 id="tl-h">{t("tl.heading")}</h2>
            <ul class="legend" aria-label=t("tl.states")>
                {LEGEND.iter().map(|s| view! {
                    <li><span class=format!("swatch seg {}", s.as_str()) aria-hidden="true">{s.icon()}</span>{state_label(*s)}</li>
                }).collect_view()}
            </ul>
            <p class="note" class:hidden=move || !empty.get()>{t("tl.empty")}</p>
            <div class="tl-window" class:hidden=move || empty.get() style=vars>
                <div class="tl-body">
                    <div class="tl-rows">
                        <For each=move || rows.get() key=row_key children=move |row| row_view(row, now) />
                    </div>
                    <div class="tl-markers" aria-hidden="true">
                        {move || markers.get().into_iter().map(|m| view! {
                            <span class="tl-marker" style=format!("--a:{}", m.at) title=tf("time.at", &[&m.label, &clock(m.at)])></span>
                        }).collect_view()}
                    </div>
                </div>
                <div class="tl-axis"><span>{move || clock(window.get().0)}</span><span>{move || clock(window.get().1)}</span></div>
            </div>
            <p class="note" class:hidden=move || more.get() == 0>
                {move || tf("tl.more", &[&more.get(), &MAX_ROWS])}
            </p>
        </section>
    }
}
