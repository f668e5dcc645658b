//! The playground mounted in real headless Chromium (wasm-bindgen-test): the pipeline from YAML
//! through k8s-openapi types to the rendered DOM, as a user drives it.
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a fresh app (with no saved edits) into its own container.
async fn mount() -> HtmlElement {
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
    let document = window.document().unwrap();
    let container: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&container).unwrap();
    statefulset_playground::mount(container.clone());
    settle().await;
    container
}

/// Lets Leptos run its scheduled effects.
async fn settle() {
    TimeoutFuture::new(0).await;
}

fn all(root: &HtmlElement, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

fn one(root: &HtmlElement, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .unchecked_into()
}

fn texts(root: &HtmlElement, selector: &str) -> Vec<String> {
    all(root, selector)
        .iter()
        .map(|e| e.text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn apply_creates_the_mongodb_example_in_the_simulated_cluster() {
    let app = mount().await;
    assert_eq!(
        texts(&app, ".tab"),
        ["pv-demo.yaml", "mongo-service.yaml", "mongo-sts.yaml"]
    );
    let editor: HtmlTextAreaElement = one(&app, "textarea.editor").unchecked_into();
    assert!(
        editor.value().contains("name: pv001"),
        "the PV file is open first"
    );
    assert_eq!(all(&app, ".sts").len(), 0, "the cluster starts empty");

    // Pause the clock so the test steps through events itself.
    one(&app, "button.play").click();
    one(&app, "button.apply").click();
    settle().await;

    // Apply types one `kubectl apply -f` per file into the console, which prints kubectl's lines.
    assert_eq!(
        texts(&app, ".console-output div"),
        [
            "$ kubectl apply -f pv-demo.yaml",
            "persistentvolume/pv001 created",
            "persistentvolume/pv002 created",
            "persistentvolume/pv003 created",
            "persistentvolume/pv004 created",
            "persistentvolume/pv005 created",
            "$ kubectl apply -f mongo-service.yaml",
            "service/mongo created",
            "$ kubectl apply -f mongo-sts.yaml",
            "statefulset.apps/mongo created",
        ]
    );
    assert!(one(&app, ".sts h2")
        .text_content()
        .unwrap()
        .starts_with("statefulset/mongo"));
    let states = || {
        all(&app, ".sts .pod[data-pod]")
            .iter()
            .map(|p| p.get_attribute("data-state").unwrap_or_default())
            .collect::<Vec<_>>()
    };
    // The controller's first pass runs at the instant of the apply: one slot per ordinal, and
    // OrderedReady creates mongo-0 only.
    assert_eq!(
        states(),
        ["pending", "absent", "absent"],
        "OrderedReady: mongo-0 first"
    );
    assert_eq!(
        all(&app, ".sts .pod[data-pod]")[0]
            .get_attribute("data-pod")
            .unwrap(),
        "mongo-0"
    );
    assert_eq!(
        all(&app, ".pv-pool .pv-chip").len(),
        5,
        "no claim is bound yet: the five volumes wait in the pool"
    );
    assert_eq!(all(&app, ".nodes .node").len(), 3);

    // More steps: the scheduler places mongo-0 and the kubelet creates its containers,
    // while mongo-1 still waits for mongo-0 to be Ready.
    for _ in 0..20 {
        if states()[0] == "creating" {
            break;
        }
        one(&app, "button.step").click();
        settle().await;
    }
    assert_eq!(states(), ["creating", "absent", "absent"]);
    assert!(one(&app, ".pod[data-pod=mongo-0] .pod-node")
        .text_content()
        .unwrap()
        .starts_with("node-"));
}

#[wasm_bindgen_test]
async fn a_typing_error_shows_at_line_and_column_and_blocks_apply() {
    let app = mount().await;
    all(&app, ".tab")[2].unchecked_ref::<HtmlElement>().click();
    settle().await;
    let editor: HtmlTextAreaElement = one(&app, "textarea.editor").unchecked_into();
    assert!(editor.value().contains("kind: StatefulSet"));
    assert!(texts(&app, ".diagnostics.live li").is_empty());

    editor.set_value(&editor.value().replace("replicas: 3", "replicas: three"));
    let input = web_sys::Event::new("input").unwrap();
    editor.dispatch_event(&input).unwrap();
    // Diagnostics wait for typing to pause.
    settle().await;
    assert!(
        texts(&app, ".diagnostics.live li").is_empty(),
        "typing never waits for them"
    );
    TimeoutFuture::new(statefulset_playground::editor::CHECK_DELAY_MS + 50).await;

    let live = texts(&app, ".diagnostics.live li");
    assert_eq!(live.len(), 1, "{live:?}");
    assert!(
        live[0].starts_with(
            "mongo-sts.yaml:7:13: error: spec.replicas: invalid type: string \"three\""
        ),
        "{}",
        live[0]
    );

    one(&app, "button.apply").click();
    settle().await;
    assert!(
        all(&app, ".apply-output li").is_empty(),
        "nothing is applied"
    );
    assert!(all(&app, ".sts").is_empty());
    assert_eq!(texts(&app, ".apply-errors .diagnostics li"), live);

    // The edit survives switching files and is saved for a reload.
    all(&app, ".tab")[0].unchecked_ref::<HtmlElement>().click();
    settle().await;
    all(&app, ".tab")[2].unchecked_ref::<HtmlElement>().click();
    settle().await;
    assert!(editor.value().contains("replicas: three"));
    let saved = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("sts-playground/file/mongo-sts.yaml")
        .unwrap();
    assert!(saved.unwrap().contains("replicas: three"));
}
