fn main() {
    let root =
        statefulset_playground::element_by_id("app").expect("index.html has a <div id=\"app\">");
    statefulset_playground::mount(root);
}
