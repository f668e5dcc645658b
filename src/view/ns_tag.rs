//! The namespace tag the view puts beside an object outside `default` (a set, a Service, an
//! event's object): `default` is the console's namespace, so only the others are named.

use leptos::prelude::*;

/// The page's words about namespaces (one block, to move to the per-language files).
pub(super) mod words {
    /// The tag's tooltip and accessible name prefix: `namespace shop`.
    pub const NAMESPACE: &str = "namespace";
}

/// `<span class="ns-tag">shop</span>` for an object in `shop`; nothing for `default` (or a
/// cluster-scoped object, `""`).
pub(super) fn ns_tag(namespace: &str) -> Option<impl IntoView> {
    (!namespace.is_empty() && namespace != "default").then(|| {
        let label = format!("{} {namespace}", words::NAMESPACE);
        view! { <span class="ns-tag" title=label.clone() aria-label=label>{namespace.to_string()}</span> }
    })
}
