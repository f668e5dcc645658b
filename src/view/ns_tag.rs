//! The namespace tag the view puts beside an object outside `default` (a set, a Service, an
//! event's object): `default` is the console's namespace, so only the others are named.

use leptos::prelude::*;

/// `<span class="ns-tag">shop</span>` for an object in `shop`; nothing for `default` (or a
/// cluster-scoped object, `""`).
pub(super) fn ns_tag(namespace: &str) -> Option<impl IntoView> {
    (!namespace.is_empty() && namespace != "default").then(|| {
        let label = crate::i18n::tf("view.ns-tag", &[&namespace]);
        view! { <span class="ns-tag" title=label.clone() aria-label=label>{namespace.to_string()}</span> }
    })
}
