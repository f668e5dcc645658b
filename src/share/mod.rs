//! Sharing and embedding, page side: what the address asks for (a shared workspace in the
//! fragment, embed options in the query), the Share and Embed dialogs, download/upload of the
//! workspace bundle, and the embed's session player.
//!
//! The engine side is `kubesim::workspace` (the bundle, its caps and the replay); the pure
//! address parsing is [`link`]. The browser glue (CompressionStream, clipboard, files) is
//! `glue.js`, so no compression code is in the wasm.
//!
//! A shared link never touches the visitor's saved work: its files are kept under their own
//! local-storage space ([`storage_prefix`]), and "Back to my work" reopens the page without
//! the fragment. An embed saves nothing.

pub mod link;
mod player;

use std::cell::RefCell;

use kubesim::engine::profile::Profile;
use kubesim::kubectl::exec::Shell;
use kubesim::workspace::{self, Workspace};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::i18n::{self, t};
pub use link::{Embed, Pane};
pub use player::{Caption, Player};

use crate::console::{ConsoleLine, LineKind};
use crate::state::{self, storage, Files};

#[wasm_bindgen(module = "/src/share/glue.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn pack(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn unpack(b64: &str, max_bytes: u32) -> Result<JsValue, JsValue>;
    async fn copy_text(text: &str) -> JsValue;
    fn download(name: &str, text: &str, mime: &str);
    #[wasm_bindgen(catch)]
    async fn pick_file(max_bytes: u32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn fetch_text(path: &str, max_bytes: u32) -> Result<JsValue, JsValue>;
    fn reopen(hash: &str);
    fn open_page(query: &str);
    fn reload_on_hash_change();
}

/// The local-storage key of the workspace last opened from a file.
const OPENED_FILE: &str = "sts-playground/opened-file";

/// A workspace the page opened from a link or a file.
#[derive(Clone, Debug)]
pub struct Shared {
    pub workspace: Workspace,
    /// Names its local-storage space.
    pub key: String,
}

/// What the page's address asked for, read once before the app mounts ([`prepare`]).
#[derive(Clone, Debug, Default)]
pub struct Boot {
    pub shared: Option<Shared>,
    /// Why a link (or an embed's session) could not be opened; shown, never as HTML.
    pub notice: Option<String>,
    pub embed: Option<Embed>,
    /// The session an embed plays, and the files it applies.
    pub script: Option<String>,
    pub script_files: Vec<(String, String)>,
    /// The `lang=` option (embedded or not).
    pub lang: Option<String>,
}

thread_local! {
    static BOOT: RefCell<Boot> = RefCell::new(Boot::default());
}

/// What [`prepare`] read.
pub fn boot() -> Boot {
    BOOT.with(|b| b.borrow().clone())
}

fn js_message(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads the page's address: decodes a shared workspace (size-capped, validated), reads the
/// embed options and fetches an embed's session. Call once before mounting the app.
pub async fn prepare() {
    let mut boot = Boot::default();
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return;
    };
    reload_on_hash_change();
    let hash = location.hash().unwrap_or_default();
    let search = location.search().unwrap_or_default();
    boot.lang = link::parse_query(&search).ok().and_then(|(_, e)| e.lang);
    // The page's words: English is built in; another language's file is fetched first.
    let requested = boot.lang.clone().or_else(i18n::browser_language);
    if let Some(code) = requested.as_deref().and_then(i18n::wanted) {
        // Not reachable (offline before it was ever fetched): the page stays in English.
        if let Ok(text) = fetch_text(&format!("lang/{code}.txt"), 256 * 1024).await {
            i18n::set(code, text.as_string().unwrap_or_default());
        }
    }
    let refused = |m: String| format!("{}: {m}. {}", t("link-refused"), t("own-work-kept"));
    let bundle = match link::parse_fragment(&hash) {
        link::Fragment::None => None,
        link::Fragment::Refused(m) => {
            boot.notice = Some(refused(m));
            None
        }
        link::Fragment::Packed(p) => match unpack(&p, workspace::MAX_BUNDLE_BYTES as u32).await {
            Ok(text) => text.as_string().map(|text| (text, link::short_hash(&p))),
            Err(e) => {
                boot.notice = Some(refused(js_message(e)));
                None
            }
        },
        link::Fragment::File => local_storage()
            .and_then(|s| s.get_item(OPENED_FILE).ok().flatten())
            .map(|text| {
                let key = link::short_hash(&text);
                (text, key)
            }),
    };
    if let Some((text, key)) = bundle {
        match workspace::decode(&text) {
            Ok(workspace) => boot.shared = Some(Shared { workspace, key }),
            Err(m) => boot.notice = Some(refused(m)),
        }
    }
    match link::parse_embed(&search) {
        Ok(embed) => boot.embed = embed,
        Err(m) => boot.notice = Some(m),
    }
    if let Some(script) = link::parse_script(&search).ok().flatten() {
        if let Err(m) = load_script(&mut boot, script).await {
            boot.notice = Some(m);
        }
    }
    let class = boot.root_class();
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        if !class.is_empty() {
            root.set_class_name(&class);
        }
    }
    BOOT.with(|b| *b.borrow_mut() = boot);
}

/// Fetches an embed's session and the `-f` files it names that the page does not have (next
/// to the session file).
async fn load_script(boot: &mut Boot, script: link::Script) -> Result<(), String> {
    let max = link::MAX_SCRIPT_BYTES as u32;
    let (text, dir) = match script {
        link::Script::Inline(text) => (text, None),
        link::Script::File(path) => {
            let text = fetch_text(&path, max).await.map_err(js_message)?;
            let dir = path
                .rsplit_once('/')
                .map_or(String::new(), |(d, _)| format!("{d}/"));
            (text.as_string().unwrap_or_default(), Some(dir))
        }
    };
    kubesim::session::parse(&text).map_err(|e| format!("{}: {e}", t("session")))?;
    let known = boot
        .shared
        .as_ref()
        .map(|s| s.workspace.file_map())
        .unwrap_or_else(|| {
            kubesim::examples::MONGODB
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect()
        });
    if let Some(dir) = dir {
        for name in workspace::missing_files(&text, &known)
            .into_iter()
            .take(workspace::MAX_FILES)
        {
            let body = fetch_text(&format!("{dir}{name}"), workspace::MAX_FILE_BYTES as u32)
                .await
                .map_err(js_message)?;
            boot.script_files
                .push((name, body.as_string().unwrap_or_default()));
        }
    }
    boot.script = Some(text);
    Ok(())
}

/// Where the page keeps its files in local storage (a `state::storage` space): the visitor's
/// own work, a shared workspace's own space, or nowhere (an embed or a preset).
pub fn storage_prefix() -> Option<String> {
    BOOT.with(|b| {
        let b = b.borrow();
        if b.embed.is_some() || (b.script.is_some() && b.shared.is_none()) {
            // An embed or a preset never writes over saved work.
            None
        } else if let Some(s) = &b.shared {
            Some(format!("{}shared/{}/", storage::SPACE, s.key))
        } else {
            Some(storage::SPACE.into())
        }
    })
}

impl Boot {
    /// The files the page opens with before anything saved is read: the link's, the embed
    /// session's, or the example.
    pub fn files(&self) -> Files {
        let from =
            |files: Vec<state::File>| Files::from_files(files).unwrap_or_else(Files::example);
        if let Some(s) = &self.shared {
            return from(
                s.workspace
                    .files
                    .iter()
                    .map(|f| state::File {
                        name: f.name.clone(),
                        text: f.text.clone(),
                    })
                    .collect(),
            );
        }
        if let Some(script) = &self.script {
            // The files the session reads: fetched next to it, or the example's.
            let named = workspace::missing_files(script, &Default::default());
            let files: Vec<state::File> = Files::example()
                .files()
                .iter()
                .cloned()
                .chain(self.script_files.iter().map(|(name, text)| state::File {
                    name: name.clone(),
                    text: text.clone(),
                }))
                .filter(|f| named.contains(&f.name))
                .collect();
            if !files.is_empty() {
                return from(files);
            }
        }
        Files::example()
    }

    /// The cluster profile: the workspace's, the embed session's `# cluster:` header, or the
    /// default.
    pub fn profile(&self) -> Profile {
        self.config().profile
    }

    fn config(&self) -> kubesim::engine::ClusterConfig {
        if let Some(s) = &self.shared {
            return s.workspace.config();
        }
        self.script
            .as_deref()
            .and_then(|t| kubesim::session::parse(t).ok())
            .and_then(|l| kubesim::session::cluster_config(&l).ok())
            .unwrap_or_default()
    }

    /// The shell the page starts with and the console's lines: a shared workspace replayed to
    /// its instant, or a fresh cluster.
    pub fn shell(&self, files: &[(&str, String)]) -> (Shell, Vec<ConsoleLine>) {
        if let Some(s) = &self.shared {
            if let Ok(r) = workspace::replay(&s.workspace) {
                return (r.shell, transcript_lines(&r.transcript));
            }
        }
        let files = files
            .iter()
            .map(|(n, t)| (n.to_string(), t.clone()))
            .collect();
        (Shell::new(self.config(), files), Vec::new())
    }

    /// A shared workspace opens paused at its instant; an embed plays when autoplay is on.
    pub fn playing(&self) -> bool {
        match (&self.shared, &self.embed) {
            (_, Some(e)) => e.autoplay,
            (Some(_), None) => self.script.is_some(),
            (None, None) => true,
        }
    }

    /// The clock speed: the embed's, the link's, else 1×; the nearest the time bar offers.
    pub fn speed(&self) -> f64 {
        let wanted = self
            .embed
            .as_ref()
            .and_then(|e| e.speed)
            .or(self.shared.as_ref().map(|s| s.workspace.speed))
            .unwrap_or(1.0);
        crate::view::time::SPEEDS
            .iter()
            .map(|(_, s)| *s)
            .min_by(|a, b| {
                (a.ln() - wanted.ln())
                    .abs()
                    .total_cmp(&(b.ln() - wanted.ln()).abs())
            })
            .unwrap_or(1.0)
    }

    /// The tab to open, by position among `names`.
    pub fn tab(&self, names: &[&str]) -> usize {
        let wanted = self
            .embed
            .as_ref()
            .and_then(|e| e.tab.clone())
            .or(self.shared.as_ref().and_then(|s| s.workspace.tab.clone()));
        wanted
            .and_then(|w| names.iter().position(|n| *n == w))
            .unwrap_or(0)
    }

    /// Classes for the page's root: embed layout, panes shown, theme, read-only.
    pub fn root_class(&self) -> String {
        let Some(e) = &self.embed else {
            return String::new();
        };
        let mut c = vec!["embed".to_string()];
        for p in Pane::ALL {
            if !e.panes.contains(&p) {
                c.push(format!("no-{}", p.name()));
            }
        }
        c.push(if e.dark { "theme-dark" } else { "theme-light" }.into());
        if e.readonly {
            c.push("readonly".into());
        }
        c.join(" ")
    }
}

/// A replay's transcript as console lines (`$ ` lines as commands).
fn transcript_lines(transcript: &str) -> Vec<ConsoleLine> {
    let lines: Vec<&str> = transcript.lines().collect();
    let skip = lines.len().saturating_sub(crate::console::SCROLLBACK);
    lines[skip..]
        .iter()
        .map(|l| ConsoleLine {
            text: l.to_string(),
            kind: if l.starts_with("$ ") {
                LineKind::Command
            } else {
                LineKind::Stdout
            },
        })
        .collect()
}

/// What the page passes to build a workspace of its current state.
pub type Snapshot = Callback<(), Workspace>;

/// A workspace of the page's state (the page's shell, files in tab order, clock and tab).
pub fn snapshot(
    shell: &Shell,
    files: &[(&str, String)],
    profile: Profile,
    speed: f64,
    tab: &str,
) -> Workspace {
    workspace::from_page(
        files
            .iter()
            .map(|(n, t)| workspace::File {
                name: n.to_string(),
                text: t.clone(),
            })
            .collect(),
        profile,
        shell.cluster().config().nodes,
        shell.history.entries(),
        shell.cluster().now(),
        speed,
        Some(tab.to_string()),
    )
}

fn page_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// The page's address without query and fragment.
fn page_base() -> String {
    let url = page_url();
    url.split(['?', '#']).next().unwrap_or_default().to_string()
}

/// The presets: `examples/presets/NAME.session`, each with comments that say what to watch
/// (shown as captions beside the view while it plays).
pub const PRESETS: [&str; 7] = [
    "mongodb",
    "web",
    "kafka",
    "parallel",
    "canary",
    "stuck-rollout",
    "node-failure",
];

fn preset_key(name: &str) -> &'static str {
    match name {
        "mongodb" => "preset-mongodb",
        "web" => "preset-web",
        "kafka" => "preset-kafka",
        "parallel" => "preset-parallel",
        "canary" => "preset-canary",
        "node-failure" => "preset-node-failure",
        _ => "preset-stuck-rollout",
    }
}

/// Which dialog is open.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialog {
    None,
    Share,
    Embed,
}

/// The header's Share and Embed buttons, their dialogs, and the banner of a shared workspace
/// or a refused link.
#[component]
pub fn ShareBar(snapshot: Snapshot) -> impl IntoView {
    let b = boot();
    let dialog = RwSignal::new(Dialog::None);
    let link = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let too_long = RwSignal::new(false);
    let bundle = StoredValue::new(String::new());

    let share = move |_| {
        let ws = snapshot.run(());
        let text = workspace::encode_compact(&ws);
        bundle.set_value(workspace::encode(&ws));
        dialog.set(Dialog::Share);
        status.set(t("packing").into());
        leptos::task::spawn_local(async move {
            let packed = pack(&text).await.ok().and_then(|p| p.as_string());
            let Some(packed) = packed else {
                status.set(t("pack-failed").into());
                return;
            };
            let fragment = format!("{}{packed}", link::LINK_PREFIX);
            if fragment.len() > link::SHARE_LIMIT {
                too_long.set(true);
                link.set(String::new());
                status.set(format!(
                    "{} ({} KB > {} KB)",
                    t("too-long"),
                    fragment.len() / 1024,
                    link::SHARE_LIMIT / 1024
                ));
                return;
            }
            too_long.set(false);
            let url = format!("{}{}#{fragment}", page_base(), search_without_embed());
            link.set(url.clone());
            let copied = copy_text(&url).await.as_bool().unwrap_or(false);
            status.set(
                if copied {
                    t("copied")
                } else {
                    t("copy-by-hand")
                }
                .into(),
            );
        });
    };
    let download_bundle = move |_| {
        if bundle.with_value(String::is_empty) {
            bundle.set_value(workspace::encode(&snapshot.run(())));
        }
        bundle.with_value(|b| download("playground-workspace.json", b, "application/json"));
    };
    let upload = move |_| {
        leptos::task::spawn_local(async move {
            match pick_file(workspace::MAX_BUNDLE_BYTES as u32).await {
                Ok(v) => {
                    let Some(text) = v.as_string() else { return };
                    match workspace::decode(&text) {
                        Ok(_) => {
                            if let Some(s) = local_storage() {
                                let _ = s.set_item(OPENED_FILE, &text);
                            }
                            reopen("file");
                        }
                        Err(m) => status.set(format!("{}: {m}", t("file-refused"))),
                    }
                }
                Err(e) => status.set(format!("{}: {}", t("file-refused"), js_message(e))),
            }
        });
    };
    // "Run it on kind": a download made from the page's workspace now.
    let export = move |name: &'static str, mime: &'static str, make: fn(&Workspace) -> String| {
        move |_: web_sys::MouseEvent| download(name, &make(&snapshot.run(())), mime)
    };
    let export_script = export(
        "replay-on-kind.sh",
        "text/x-shellscript",
        kubesim::export::script,
    );
    let export_manifests = export(
        "manifests.yaml",
        "application/yaml",
        kubesim::export::manifests,
    );
    let export_kind = export(
        "kind-config.yaml",
        "application/yaml",
        kubesim::export::kind_config,
    );

    let embed_opts = RwSignal::new(Embed {
        autoplay: false,
        ..Embed::default()
    });
    let with_state = RwSignal::new(true);
    let snippet = RwSignal::new(String::new());
    let open_embed = move |_| {
        dialog.set(Dialog::Embed);
        rebuild_snippet(snapshot, embed_opts, with_state, snippet);
    };
    Effect::new(move |_| {
        embed_opts.track();
        with_state.track();
        if dialog.get_untracked() == Dialog::Embed {
            rebuild_snippet(snapshot, embed_opts, with_state, snippet);
        }
    });

    let preset = b.embed.is_none() && b.shared.is_none() && b.script.is_some();
    let banner = (b.shared.is_some() || preset).then(|| {
        view! {
            <div class="share-banner" role="status">
                <span>{t(if preset { "preset-banner" } else { "shared-banner" })}</span>
                <button class="back-to-my-work" on:click=move |_| open_page("")>{t("back")}</button>
            </div>
        }
    });
    let presets = view! {
        <select
            class="presets"
            aria-label=t("presets")
            title=t("presets-title")
            on:change=move |ev| {
                let name = event_target_value(&ev);
                if PRESETS.contains(&name.as_str()) {
                    open_page(&format!("?session=presets/{name}.session"));
                }
            }
        >
            <option value="" selected>{t("presets")}</option>
            {PRESETS
                .iter()
                .map(|p| view! { <option value=*p>{t(preset_key(p))}</option> })
                .collect_view()}
        </select>
    };
    // An embed links to the full page with the same session and state (a preset there: it saves
    // nothing), so a reader can go on experimenting.
    let open_full = b.embed.as_ref().map(|e| {
        let query = match &e.script {
            Some(link::Script::File(s)) | Some(link::Script::Inline(s)) => {
                format!("?session={}", link::percent_encode(s))
            }
            None => String::new(),
        };
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        let href = format!("{}{query}{hash}", page_base());
        view! {
            <a class="open-full" href=href target="_blank" rel="noopener">{t("open-full")}</a>
        }
    });
    let notice = b.notice.clone().map(|m| {
        view! { <div class="share-notice" role="alert">{m}</div> }
    });
    let pane_box = move |p: Pane| {
        view! {
            <label>
                <input
                    type="checkbox"
                    prop:checked=move || embed_opts.with(|e| e.panes.contains(&p))
                    on:change=move |_| embed_opts.update(|e| {
                        if let Some(i) = e.panes.iter().position(|x| *x == p) {
                            e.panes.remove(i);
                        } else {
                            e.panes.push(p);
                            kubesim::sort::sort_by_key(&mut e.panes, |x| {
                                Pane::ALL.iter().position(|y| y == x)
                            });
                        }
                    })
                />
                {match p {
                    Pane::Editor => t("pane-editor"),
                    Pane::View => t("pane-view"),
                    Pane::Timeline => t("pane-timeline"),
                    Pane::Console => t("pane-console"),
                }}
            </label>
        }
    };

    view! {
        <div class="share-bar">
            {presets}
            <button class="share" title=t("share-title") on:click=share>{t("share")}</button>
            <button class="embed-button" title=t("embed-title") on:click=open_embed>{t("embed")}</button>
        </div>
        {open_full}
        {banner}
        {notice}
        <Show when=move || dialog.get() == Dialog::Share>
            <div class="share-dialog" role="dialog" aria-label=t("share")>
                <h2>{t("share")}</h2>
                <p class="hint">{t("share-hint")}</p>
                <p class="share-status" role="status">{move || status.get()}</p>
                <Show when=move || !link.get().is_empty()>
                    <input
                        class="share-link"
                        readonly
                        aria-label=t("link")
                        prop:value=move || link.get()
                        on:focus=move |ev| {
                            if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                i.select();
                            }
                        }
                    />
                </Show>
                <div class="share-actions">
                    <button class="download-workspace" class:primary=move || too_long.get() on:click=download_bundle>{t("download")}</button>
                    <button class="upload-workspace" on:click=upload>{t("upload")}</button>
                    <button class="export-kind" title=t("export-title") on:click=export_script>{t("export")}</button>
                    <button class="export-manifests" on:click=export_manifests>{t("manifests")}</button>
                    <button class="export-kind-config" on:click=export_kind>{t("kind-config")}</button>
                    <button class="close" on:click=move |_| dialog.set(Dialog::None)>{t("close")}</button>
                </div>
            </div>
        </Show>
        <Show when=move || dialog.get() == Dialog::Embed>
            <div class="share-dialog embed-dialog" role="dialog" aria-label=t("embed")>
                <h2>{t("embed")}</h2>
                <p class="hint">{t("embed-hint")}</p>
                <fieldset>
                    <legend>{t("panes")}</legend>
                    {Pane::ALL.into_iter().map(pane_box).collect_view()}
                </fieldset>
                <fieldset>
                    <label>
                        <input type="checkbox" prop:checked=move || embed_opts.with(|e| !e.dark)
                            on:change=move |_| embed_opts.update(|e| e.dark = !e.dark) />
                        {t("light")}
                    </label>
                    <label>
                        <input type="checkbox" prop:checked=move || embed_opts.with(|e| e.autoplay)
                            on:change=move |_| embed_opts.update(|e| e.autoplay = !e.autoplay) />
                        {t("autoplay")}
                    </label>
                    <label>
                        <input type="checkbox" prop:checked=move || embed_opts.with(|e| e.readonly)
                            on:change=move |_| embed_opts.update(|e| e.readonly = !e.readonly) />
                        {t("readonly")}
                    </label>
                    <label>
                        <input type="checkbox" prop:checked=move || with_state.get()
                            on:change=move |_| with_state.update(|w| *w = !*w) />
                        {t("with-state")}
                    </label>
                </fieldset>
                <textarea class="embed-snippet" readonly aria-label=t("snippet") prop:value=move || snippet.get()></textarea>
                <div class="share-actions">
                    <button class="copy-snippet" on:click=move |_| {
                        let s = snippet.get_untracked();
                        leptos::task::spawn_local(async move { let _ = copy_text(&s).await; });
                    }>{t("copy")}</button>
                    <button class="close" on:click=move |_| dialog.set(Dialog::None)>{t("close")}</button>
                </div>
            </div>
        </Show>
    }
}

/// The page's query without embed options (a shared link opens the full page).
fn search_without_embed() -> String {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    match link::parse_embed(&search) {
        Ok(None) => search,
        _ => String::new(),
    }
}

fn rebuild_snippet(
    snapshot: Snapshot,
    opts: RwSignal<Embed>,
    with_state: RwSignal<bool>,
    snippet: RwSignal<String>,
) {
    let mut embed = opts.get_untracked();
    if !with_state.get_untracked() {
        snippet.set(link::iframe_snippet(&page_base(), &embed, None));
        return;
    }
    // The page as it is: its clock speed and open tab.
    let ws = snapshot.run(());
    embed.speed = Some(ws.speed);
    embed.tab = embed.tab.or(ws.tab.clone());
    let text = workspace::encode_compact(&ws);
    leptos::task::spawn_local(async move {
        let fragment = pack(&text)
            .await
            .ok()
            .and_then(|p| p.as_string())
            .map(|p| format!("{}{p}", link::LINK_PREFIX))
            .filter(|f| f.len() <= link::SHARE_LIMIT);
        snippet.set(match fragment {
            Some(f) => link::iframe_snippet(&page_base(), &embed, Some(&f)),
            None => format!(
                "<!-- {} -->\n{}",
                t("too-long"),
                link::iframe_snippet(&page_base(), &embed, None)
            ),
        });
    });
}
