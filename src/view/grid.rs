//! The compact pod grid: above `COMPACT_ABOVE` pods a set's pods are drawn on one canvas
//! instead of one DOM tile each (1,000 tiles cost the page its frame budget in style and
//! layout). The drawing keeps the tiles' encoding: a shape glyph and a border/fill pattern per
//! state (never colour alone), a corner notch for a pod still on an old revision, a dashed
//! outline for a pod beyond the replica count. Positions are stable by ordinal; a tick redraws
//! only the tiles whose state changed. Colours are the page's CSS variables (light and dark,
//! re-read when the system theme changes); HiDPI through `devicePixelRatio`. The canvas draws
//! no motion, so reduced motion has nothing to turn off.
//!
//! Accessible as a widget: the canvas is focusable with a name, a text summary (pods per state,
//! per revision) beside it, arrow keys move a focus ring between pods and a live line reads the
//! focused pod (name, state, node, IP, revision); Enter opens it in the inspector, as a click
//! does; hovering shows the same line next to the tile.

use std::cell::RefCell;
use std::rc::Rc;

use kubesim::overview::{Overview, PodState};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

use super::ViewModel;

/// A tile's size and the cell it sits in (CSS pixels); the cell's margin holds the focus
/// ring and the "beyond replicas" outline.
const TILE: f64 = 20.0;
const CELL: f64 = 25.0;
const INSET: f64 = (CELL - TILE) / 2.0;

/// What a tile shows.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Tile {
    state: PodState,
    old: bool,
    condemned: bool,
}

/// The page's theme as the canvas paints it (its CSS variables).
#[derive(Clone, Default)]
struct Colors {
    panel: String,
    inset: String,
    line: String,
    dim: String,
    accent: String,
    ok: String,
    warn: String,
    err: String,
    ok_bg: String,
    warn_bg: String,
    err_bg: String,
    run_bg: String,
}

impl Colors {
    fn read(el: &web_sys::Element) -> Colors {
        let Some(style) = web_sys::window().and_then(|w| w.get_computed_style(el).ok().flatten())
        else {
            return Colors::default();
        };
        let v = |name: &str| {
            style
                .get_property_value(name)
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        Colors {
            panel: v("--panel"),
            inset: v("--inset"),
            line: v("--line"),
            dim: v("--dim"),
            accent: v("--accent"),
            ok: v("--ok"),
            warn: v("--warn"),
            err: v("--err"),
            ok_bg: v("--ok-bg"),
            warn_bg: v("--warn-bg"),
            err_bg: v("--err-bg"),
            run_bg: v("--run-bg"),
        }
    }
}

/// Border pattern of a state (as the DOM tiles' CSS: dashed, dotted, solid, thick).
enum Border {
    Solid,
    Dashed,
    Dotted,
    Thick,
}

/// Fill, border colour and pattern, glyph colour of a state.
fn paint(state: PodState, c: &Colors) -> (&str, &str, Border, &str) {
    match state {
        PodState::Absent => (&c.panel, &c.line, Border::Dashed, &c.dim),
        PodState::Pending => (&c.panel, &c.dim, Border::Dashed, &c.warn),
        PodState::Creating => (&c.inset, &c.warn, Border::Solid, &c.warn),
        PodState::Running => (&c.run_bg, &c.accent, Border::Solid, &c.accent),
        PodState::Ready => (&c.ok_bg, &c.ok, Border::Solid, &c.ok),
        PodState::Terminating => (&c.panel, &c.err, Border::Dotted, &c.err),
        PodState::Failed | PodState::Unknown | PodState::CrashLoop => {
            (&c.err_bg, &c.err, Border::Thick, &c.err)
        }
    }
}

fn dash(ctx: &CanvasRenderingContext2d, pattern: &[f64]) {
    let a = js_sys::Array::new();
    for p in pattern {
        a.push(&JsValue::from_f64(*p));
    }
    let _ = ctx.set_line_dash(&a);
}

/// Draws tile `i` (or clears its cell when `tile` is None) at its place in `cols` columns.
fn draw_tile(
    ctx: &CanvasRenderingContext2d,
    c: &Colors,
    cols: usize,
    i: usize,
    tile: Option<Tile>,
    focused: bool,
) {
    let (x, y) = ((i % cols) as f64 * CELL, (i / cols) as f64 * CELL);
    ctx.clear_rect(x, y, CELL, CELL);
    let Some(t) = tile else { return };
    let (fill, border, pattern, glyph) = paint(t.state, c);
    let (tx, ty) = (x + INSET, y + INSET);
    ctx.set_global_alpha(if t.state == PodState::Absent {
        0.7
    } else {
        1.0
    });
    ctx.set_fill_style_str(fill);
    ctx.fill_rect(tx, ty, TILE, TILE);
    if t.state == PodState::Creating {
        // The DOM tile's diagonal stripes.
        ctx.save();
        ctx.begin_path();
        ctx.rect(tx, ty, TILE, TILE);
        ctx.clip();
        ctx.set_stroke_style_str(&c.warn_bg);
        ctx.set_line_width(3.0);
        dash(ctx, &[]);
        let mut k = -TILE;
        while k < TILE {
            ctx.begin_path();
            ctx.move_to(tx + k, ty + TILE);
            ctx.line_to(tx + k + TILE, ty);
            ctx.stroke();
            k += 6.0;
        }
        ctx.restore();
    }
    let (width, pat): (f64, &[f64]) = match pattern {
        Border::Solid => (1.5, &[]),
        Border::Dashed => (1.5, &[3.0, 2.0]),
        Border::Dotted => (1.5, &[1.5, 1.5]),
        Border::Thick => (3.0, &[]),
    };
    ctx.set_stroke_style_str(border);
    ctx.set_line_width(width);
    dash(ctx, pat);
    let h = width / 2.0;
    ctx.stroke_rect(tx + h, ty + h, TILE - width, TILE - width);
    ctx.set_fill_style_str(glyph);
    let _ = ctx.fill_text(t.state.icon(), x + CELL / 2.0, y + CELL / 2.0 + 0.5);
    ctx.set_global_alpha(1.0);
    if t.old {
        // An old revision: a notch in the top-right corner.
        ctx.set_fill_style_str(&c.warn);
        ctx.begin_path();
        ctx.move_to(tx + TILE - 8.0, ty);
        ctx.line_to(tx + TILE, ty);
        ctx.line_to(tx + TILE, ty + 8.0);
        ctx.close_path();
        ctx.fill();
    }
    if t.condemned {
        ctx.set_stroke_style_str(&c.err);
        ctx.set_line_width(1.0);
        dash(ctx, &[2.0, 2.0]);
        ctx.stroke_rect(x + 0.5, y + 0.5, CELL - 1.0, CELL - 1.0);
    }
    if focused {
        ctx.set_stroke_style_str(&c.accent);
        ctx.set_line_width(2.5);
        dash(ctx, &[]);
        ctx.stroke_rect(x + 1.25, y + 1.25, CELL - 2.5, CELL - 2.5);
    }
}

/// What the canvas holds now, to redraw only what changed.
#[derive(Default)]
struct Drawn {
    tiles: Vec<Tile>,
    cols: usize,
    width: f64,
    dpr: f64,
    theme: u32,
    focus: Option<usize>,
}

/// Listens to a media query's changes for the component's life.
fn on_media_change(query: &str, f: impl Fn() + 'static) {
    let Some(mq) = web_sys::window().and_then(|w| w.match_media(query).ok().flatten()) else {
        return;
    };
    let cb = Closure::<dyn Fn()>::new(f);
    let _ = mq.add_event_listener_with_callback("change", cb.as_ref().unchecked_ref());
    let keep = send_wrapper((mq, cb));
    on_cleanup(move || {
        let keep = keep;
        let (mq, cb) = &keep.0;
        let _ = mq.remove_event_listener_with_callback("change", cb.as_ref().unchecked_ref());
    });
}

/// Leptos asks cleanups to be `Send`; the page is single-threaded wasm.
struct Local<T>(T);
// SAFETY: wasm32 without threads: there is one thread.
unsafe impl<T> Send for Local<T> {}
unsafe impl<T> Sync for Local<T> {}
fn send_wrapper<T>(t: T) -> Local<T> {
    Local(t)
}

#[component]
pub fn PodGrid(model: ViewModel, namespace: String, name: String) -> impl IntoView {
    let overview = model.overview;
    let (ns, nm) = (namespace.clone(), name.clone());
    let find = move |o: &Overview| {
        o.sets
            .iter()
            .position(|s| s.namespace == ns && s.name == nm)
    };
    let find1 = find.clone();
    let tiles = Memo::new(move |_| {
        overview.with(|o| {
            find1(o)
                .map(|i| {
                    o.sets[i]
                        .pods
                        .iter()
                        .map(|p| Tile {
                            state: p.state,
                            old: p.revision.is_some() && !p.updated,
                            condemned: p.condemned,
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let canvas = NodeRef::<html::Canvas>::new();
    let wrap = NodeRef::<html::Div>::new();
    let width = RwSignal::new(0.0f64);
    let theme = RwSignal::new(0u32);
    let cursor = RwSignal::new(0usize);
    let focused = RwSignal::new(false);
    let hover = RwSignal::new(None::<usize>);
    let cols = Memo::new(move |_| ((width.get() / CELL).floor() as usize).max(1));

    // The wrapper's width, without forcing a layout from a tick.
    Effect::new(move |_| {
        let Some(el) = wrap.get() else { return };
        let cb = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if let Ok(e) = entries.get(0).dyn_into::<web_sys::ResizeObserverEntry>() {
                width.set(e.content_rect().width().floor());
            }
        });
        let Ok(ro) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) else {
            return;
        };
        ro.observe(&el);
        let keep = send_wrapper((ro, cb));
        on_cleanup(move || {
            let keep = keep;
            keep.0 .0.disconnect();
        });
    });
    on_media_change("(prefers-color-scheme: dark)", move || {
        theme.update(|t| *t += 1)
    });

    let drawn = Rc::new(RefCell::new(Drawn::default()));
    let colors = Rc::new(RefCell::new(Colors::default()));
    Effect::new(move |_| {
        let width = width.get();
        let cols = cols.get();
        let theme = theme.get();
        let focus = focused.get().then(|| cursor.get());
        let Some(el) = canvas.get() else { return };
        if width <= 0.0 {
            return;
        }
        tiles.with(|tiles| {
            let dpr = web_sys::window()
                .map(|w| w.device_pixel_ratio())
                .unwrap_or(1.0);
            let mut d = drawn.borrow_mut();
            let rows = tiles.len().div_ceil(cols).max(1);
            let full = d.cols != cols
                || d.width != width
                || d.dpr != dpr
                || d.theme != theme
                || d.tiles.len().div_ceil(cols).max(1) != rows;
            if full {
                *colors.borrow_mut() = Colors::read(&el);
                let h = rows as f64 * CELL;
                el.set_width((width * dpr).round() as u32);
                el.set_height((h * dpr).round() as u32);
                let _ = el
                    .unchecked_ref::<web_sys::HtmlElement>()
                    .style()
                    .set_property("height", &format!("{h}px"));
            }
            let Some(ctx) = el
                .get_context("2d")
                .ok()
                .flatten()
                .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
            else {
                return;
            };
            let c = colors.borrow();
            if full {
                let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
                ctx.set_font("12px system-ui, sans-serif");
                ctx.set_text_align("center");
                ctx.set_text_baseline("middle");
            }
            let n = tiles.len().max(d.tiles.len());
            for i in 0..n {
                let now = tiles.get(i).copied();
                let changed = full
                    || now != d.tiles.get(i).copied()
                    || (focus == Some(i)) != (d.focus == Some(i));
                if changed {
                    draw_tile(&ctx, &c, cols, i, now, focus == Some(i));
                }
            }
            *d = Drawn {
                tiles: tiles.clone(),
                cols,
                width,
                dpr,
                theme,
                focus,
            };
        });
    });

    // The pod under the pointer or the focus ring, as words.
    let (ns, nm) = (namespace.clone(), name.clone());
    let describe = move |i: usize| {
        overview.with(|o| {
            find(o).and_then(|s| {
                let set = &o.sets[s];
                set.pods.get(i).map(|p| super::set::pod_label(&set.name, p))
            })
        })
    };
    let describe2 = describe.clone();
    let focus_line = Memo::new(move |_| {
        if focused.get() {
            describe(cursor.get()).unwrap_or_default()
        } else {
            String::new()
        }
    });
    let hover_line = Memo::new(move |_| hover.get().and_then(&describe2));
    let summary = Memo::new(move |_| {
        tiles.with(|tiles| {
            let mut counts: Vec<(PodState, usize)> = Vec::new();
            let (mut old, mut condemned) = (0, 0);
            for t in tiles {
                match counts.iter_mut().find(|(s, _)| *s == t.state) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((t.state, 1)),
                }
                old += usize::from(t.old);
                condemned += usize::from(t.condemned);
            }
            // In lifecycle order, the ordinals without a pod last.
            counts.sort_by_key(|(s, _)| match s {
                PodState::Absent => u8::MAX,
                s => *s as u8,
            });
            let mut parts: Vec<String> = counts
                .iter()
                .map(|(s, n)| format!("{} {n} {}", s.icon(), crate::i18n::state_label(*s)))
                .collect();
            let existing = tiles.iter().filter(|t| t.state != PodState::Absent).count();
            if old > 0 {
                parts.push(format!(
                    "{} {}, {old} {}",
                    existing - old,
                    crate::i18n::t("grid.update-revision"),
                    crate::i18n::t("grid.old-revision")
                ));
            }
            if condemned > 0 {
                parts.push(format!("{condemned} {}", crate::i18n::t("grid.condemned")));
            }
            format!(
                "{} {}: {}",
                tiles.len(),
                crate::i18n::t("grid.pods"),
                parts.join(" · ")
            )
        })
    });

    let index_at = move |ev: &web_sys::MouseEvent| -> Option<usize> {
        let (x, y) = (f64::from(ev.offset_x()), f64::from(ev.offset_y()));
        let cols = cols.get_untracked();
        let col = (x / CELL).floor() as usize;
        if col >= cols {
            return None;
        }
        let i = (y / CELL).floor() as usize * cols + col;
        (i < tiles.with_untracked(Vec::len)).then_some(i)
    };
    let (ns1, nm1) = (ns.clone(), nm.clone());
    let open = move |i: usize| {
        overview.with_untracked(|o| {
            let pod = o
                .sets
                .iter()
                .find(|s| s.namespace == ns1 && s.name == nm1)
                .and_then(|s| s.pods.get(i))
                .filter(|p| p.state != PodState::Absent)
                .map(|p| p.name.clone());
            if let Some(pod) = pod {
                model.open("pod", &ns1, &pod);
            }
        })
    };
    let open2 = open.clone();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let n = tiles.with_untracked(Vec::len);
        if n == 0 {
            return;
        }
        let cols = cols.get_untracked();
        let at = cursor.get_untracked().min(n - 1);
        let to = match ev.key().as_str() {
            "ArrowRight" => (at + 1).min(n - 1),
            "ArrowLeft" => at.saturating_sub(1),
            "ArrowDown" => (at + cols).min(n - 1),
            "ArrowUp" => at.saturating_sub(cols),
            "Home" => 0,
            "End" => n - 1,
            "Enter" | " " => {
                ev.prevent_default();
                open(at);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        cursor.set(to);
    };
    let id = format!("grid-summary-{ns}-{nm}");
    let tip_style = move || {
        hover.get().map(|i| {
            let cols = cols.get_untracked();
            let (x, y) = (
                (i % cols) as f64 * CELL,
                (i / cols) as f64 * CELL + CELL + 2.0,
            );
            format!("left: {x}px; top: {y}px")
        })
    };
    view! {
        <div class="pod-grid">
            <p class="grid-summary" id=id.clone()>{move || summary.get()}</p>
            <div class="grid-wrap" node_ref=wrap>
                <canvas node_ref=canvas class="grid-canvas" tabindex="0" role="application"
                    aria-label=crate::i18n::tf("grid.name", &[&name]) aria-describedby=id
                    data-pods=move || tiles.with(Vec::len).to_string()
                    on:focus=move |_| focused.set(true)
                    on:blur=move |_| focused.set(false)
                    on:keydown=on_key
                    on:mousemove=move |ev| {
                        let at = index_at(&ev);
                        if hover.get_untracked() != at {
                            hover.set(at);
                        }
                    }
                    on:mouseleave=move |_| hover.set(None)
                    on:click=move |ev| {
                        if let Some(i) = index_at(&ev) {
                            cursor.set(i);
                            open2(i);
                        }
                    }></canvas>
                {move || hover_line.get().map(|t| view! {
                    <div class="grid-tip" aria-hidden="true" style=tip_style>{t}</div>
                })}
            </div>
            <p class="grid-focus" aria-live="polite">
                {move || {
                    let line = focus_line.get();
                    if line.is_empty() { crate::i18n::t("grid.hint").to_string() } else { line }
                }}
            </p>
        </div>
    }
}
