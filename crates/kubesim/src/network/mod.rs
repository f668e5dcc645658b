//! Network identity of StatefulSet pods: the EndpointSlices / Endpoints the controllers
//! write for a Service, and a CoreDNS-semantics resolver over them with `nslookup` / `dig`
//! style output.

pub mod dns;
pub mod endpoints_record;
pub mod endpointslice;
#[cfg(test)]
mod tests;

pub use dns::*;
pub use endpoints_record::*;
pub use endpointslice::*;
