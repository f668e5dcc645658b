//! The Kubernetes schema for the editor's completion and hover and the console's
//! `kubectl explain`, fetched on first use instead of compiled into the wasm (issue 16: ~60 KB
//! gzip off the page's first load). The file is `crates/kubesim/schema/k8s-v1.35.schema`,
//! copied next to the page by `index.html` (`dist/k8s-v1.35.schema`).
//!
//! [`load`] starts the fetch once (later calls share it; a failed fetch is retried by the next
//! call) and gives a promise the editor's JS awaits before asking for completions or a hover;
//! [`ready`] is the same for Rust. [`get`] is the schema once it is there. The page calls
//! [`prefetch`] after its first paint, so the first completion rarely waits and the service
//! worker keeps a copy for offline use.

use std::cell::RefCell;

use js_sys::Promise;
use kubesim::schema::Schema;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

#[wasm_bindgen(module = "/src/share/glue.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn fetch_text(path: &str, max_bytes: u32) -> Result<JsValue, JsValue>;
}

/// The file, relative to the page.
pub const PATH: &str = "k8s-v1.35.schema";
/// Larger than this is not our schema (it is ~250 KB).
const MAX_BYTES: u32 = 4 << 20;
/// Real milliseconds after mounting before the schema is fetched unasked.
const PREFETCH_AFTER_MS: u32 = 1_500;

thread_local! {
    static LOADED: RefCell<Option<Schema>> = const { RefCell::new(None) };
    static PENDING: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Has the schema arrived?
pub fn loaded() -> bool {
    LOADED.with(|l| l.borrow().is_some())
}

/// The schema, once fetched.
pub fn get() -> Option<Schema> {
    LOADED.with(|l| l.borrow().clone())
}

/// Runs `f` on the schema, if it is there.
pub fn with<R>(f: impl FnOnce(&Schema) -> R) -> Option<R> {
    LOADED.with(|l| l.borrow().as_ref().map(f))
}

/// A promise settled when the schema is there (rejected with a message if it cannot be had).
pub fn load() -> Promise {
    if loaded() {
        return Promise::resolve(&JsValue::UNDEFINED);
    }
    PENDING.with(|p| {
        p.borrow_mut()
            .get_or_insert_with(|| {
                future_to_promise(async {
                    let result = fetch().await;
                    if result.is_err() {
                        // let the next use try again
                        PENDING.with(|p| p.borrow_mut().take());
                    }
                    result.map(|()| JsValue::UNDEFINED).map_err(JsValue::from)
                })
            })
            .clone()
    })
}

/// Waits for the schema ([`load`]); `Err` says why it could not be had.
pub async fn ready() -> Result<Schema, String> {
    JsFuture::from(load())
        .await
        .map_err(|e| e.as_string().unwrap_or_else(|| format!("{e:?}")))?;
    get().ok_or_else(|| "the schema did not load".to_string())
}

/// Fetches the schema a little after the first paint.
pub fn prefetch() {
    gloo_timers::callback::Timeout::new(PREFETCH_AFTER_MS, || {
        // a failure here is reported when the schema is next needed (handled, so the browser
        // logs no unhandled rejection)
        let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
        let _ = load().catch(&ignore);
        ignore.forget();
    })
    .forget();
}

async fn fetch() -> Result<(), String> {
    let text = fetch_text(PATH, MAX_BYTES).await.map_err(|e| {
        js_sys::Error::from(e)
            .message()
            .as_string()
            .unwrap_or_else(|| "the schema could not be fetched".into())
    })?;
    let text = text.as_string().unwrap_or_default();
    // Kept for the page's lifetime: the index and every type borrow from it.
    let text: &'static str = Box::leak(text.into_boxed_str());
    let schema = Schema::parse(text);
    if schema.kinds().is_empty() {
        return Err(format!("{PATH} is not the Kubernetes schema"));
    }
    LOADED.with(|l| *l.borrow_mut() = Some(schema));
    Ok(())
}
