fn main() {
    let root =
        statefulset_playground::element_by_id("app").expect("index.html has a <div id=\"app\">");
    // The address is read first (a shared link unpacks asynchronously), then the app mounts.
    wasm_bindgen_futures::spawn_local(async move {
        statefulset_playground::share::prepare().await;
        statefulset_playground::mount(root);
    });
}
