//! The objects the endpoint controllers write, as the store keeps them: the legacy
//! `Endpoints` object and `EndpointSlice`s with the same fields as the API objects, each
//! address (endpoint) behind an `Arc` shared between versions.
//!
//! The endpoints controller rewrites the Endpoints object (up to
//! [`super::endpointslice::MAX_ENDPOINTS_CAPACITY`] addresses) whenever one address changes,
//! as upstream does, and the EndpointSlice controller rewrites a slice (up to
//! [`super::endpointslice::MAX_ENDPOINTS_PER_SLICE`] endpoints) whenever one of its endpoints
//! changes. As `k8s_openapi` objects, each version was a deep copy of every address (seven
//! heap strings each) — a 1,000-pod rollout with a headless Service spent four fifths of its
//! time copying, comparing and freeing them. A record version copies only pointers: the
//! addresses that did not change are the previous version's, and two versions compare
//! pointer by pointer. The API object is built on read ([`EndpointsRecord::to_endpoints`],
//! [`EndpointSliceRecord::to_slice`]), field for field what was stored, like
//! [`crate::engine::events::EventRecord`] for events.

use std::sync::Arc;

use k8s_openapi::api::core::v1::{EndpointAddress, EndpointPort, EndpointSubset, Endpoints};
use k8s_openapi::api::discovery::v1::{self as discovery, Endpoint, EndpointSlice};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// An address shared between the controller's cache and the stored versions.
pub type SharedAddress = Arc<EndpointAddress>;
/// An EndpointSlice endpoint shared between the controller's cache and the stored versions.
pub type SharedEndpoint = Arc<Endpoint>;

/// One stored `Endpoints` object (see the module documentation).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EndpointsRecord {
    pub metadata: ObjectMeta,
    pub subsets: Option<Vec<SubsetRecord>>,
}

/// One subset of an [`EndpointsRecord`]: `EndpointSubset` with shared addresses.
#[derive(Clone, Debug, Default)]
pub struct SubsetRecord {
    pub addresses: Option<Vec<SharedAddress>>,
    pub not_ready_addresses: Option<Vec<SharedAddress>>,
    pub ports: Option<Vec<EndpointPort>>,
}

/// Equal lists; an element shared by both is not compared field by field.
fn same_list<T: PartialEq>(a: &[Arc<T>], b: &[Arc<T>]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| Arc::ptr_eq(x, y) || **x == **y)
}

fn same_addresses(a: &Option<Vec<SharedAddress>>, b: &Option<Vec<SharedAddress>>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same_list(a, b),
        _ => false,
    }
}

impl PartialEq for SubsetRecord {
    fn eq(&self, other: &Self) -> bool {
        self.ports == other.ports
            && same_addresses(&self.addresses, &other.addresses)
            && same_addresses(&self.not_ready_addresses, &other.not_ready_addresses)
    }
}

fn owned(list: &Option<Vec<SharedAddress>>) -> Option<Vec<EndpointAddress>> {
    list.as_ref()
        .map(|l| l.iter().map(|a| (**a).clone()).collect())
}

fn shared(list: Option<Vec<EndpointAddress>>) -> Option<Vec<SharedAddress>> {
    list.map(|l| l.into_iter().map(Arc::new).collect())
}

impl EndpointsRecord {
    /// The API object (`kubectl get endpoints -o yaml`, watch, describe).
    pub fn to_endpoints(&self) -> Endpoints {
        Endpoints {
            metadata: self.metadata.clone(),
            subsets: self.subsets.as_ref().map(|s| {
                s.iter()
                    .map(|s| EndpointSubset {
                        addresses: owned(&s.addresses),
                        not_ready_addresses: owned(&s.not_ready_addresses),
                        ports: s.ports.clone(),
                    })
                    .collect()
            }),
        }
    }
}

impl From<Endpoints> for EndpointsRecord {
    fn from(ep: Endpoints) -> Self {
        EndpointsRecord {
            metadata: ep.metadata,
            subsets: ep.subsets.map(|s| {
                s.into_iter()
                    .map(|s| SubsetRecord {
                        addresses: shared(s.addresses),
                        not_ready_addresses: shared(s.not_ready_addresses),
                        ports: s.ports,
                    })
                    .collect()
            }),
        }
    }
}

/// One stored `EndpointSlice` (see the module documentation).
#[derive(Clone, Debug, Default)]
pub struct EndpointSliceRecord {
    pub metadata: ObjectMeta,
    pub address_type: String,
    pub endpoints: Vec<SharedEndpoint>,
    pub ports: Option<Vec<discovery::EndpointPort>>,
}

impl PartialEq for EndpointSliceRecord {
    fn eq(&self, other: &Self) -> bool {
        self.address_type == other.address_type
            && self.ports == other.ports
            && same_list(&self.endpoints, &other.endpoints)
            && self.metadata == other.metadata
    }
}

impl EndpointSliceRecord {
    /// The API object (`kubectl get endpointslices -o yaml`, watch, describe).
    pub fn to_slice(&self) -> EndpointSlice {
        EndpointSlice {
            metadata: self.metadata.clone(),
            address_type: self.address_type.clone(),
            endpoints: self.endpoints.iter().map(|e| (**e).clone()).collect(),
            ports: self.ports.clone(),
        }
    }
}

impl From<EndpointSlice> for EndpointSliceRecord {
    fn from(s: EndpointSlice) -> Self {
        EndpointSliceRecord {
            metadata: s.metadata,
            address_type: s.address_type,
            endpoints: s.endpoints.into_iter().map(Arc::new).collect(),
            ports: s.ports,
        }
    }
}

/// `k8s_openapi::Resource` and `Metadata` as the API type's, so the store keeps a record like
/// any object.
macro_rules! like_api_object {
    ($record:ty, $api:ty) => {
        impl k8s_openapi::Resource for $record {
            const API_VERSION: &'static str = <$api as k8s_openapi::Resource>::API_VERSION;
            const GROUP: &'static str = <$api as k8s_openapi::Resource>::GROUP;
            const KIND: &'static str = <$api as k8s_openapi::Resource>::KIND;
            const VERSION: &'static str = <$api as k8s_openapi::Resource>::VERSION;
            const URL_PATH_SEGMENT: &'static str =
                <$api as k8s_openapi::Resource>::URL_PATH_SEGMENT;
            type Scope = <$api as k8s_openapi::Resource>::Scope;
        }

        impl k8s_openapi::Metadata for $record {
            type Ty = ObjectMeta;

            fn metadata(&self) -> &ObjectMeta {
                &self.metadata
            }

            fn metadata_mut(&mut self) -> &mut ObjectMeta {
                &mut self.metadata
            }
        }
    };
}

like_api_object!(EndpointsRecord, Endpoints);
like_api_object!(EndpointSliceRecord, EndpointSlice);

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::ObjectReference;

    fn address(ip: &str) -> EndpointAddress {
        EndpointAddress {
            ip: ip.into(),
            hostname: Some("web-0".into()),
            node_name: Some("node-1".into()),
            target_ref: Some(ObjectReference {
                kind: Some("Pod".into()),
                name: Some("web-0".into()),
                ..Default::default()
            }),
        }
    }

    #[test]
    fn the_api_object_round_trips_with_empty_and_absent_lists_kept_apart() {
        let ep = Endpoints {
            metadata: ObjectMeta {
                name: Some("web".into()),
                ..Default::default()
            },
            subsets: Some(vec![
                EndpointSubset {
                    addresses: Some(vec![address("10.1.0.1"), address("10.1.0.2")]),
                    not_ready_addresses: Some(Vec::new()),
                    ports: None,
                },
                EndpointSubset::default(),
            ]),
        };
        assert_eq!(EndpointsRecord::from(ep.clone()).to_endpoints(), ep);
        let none = Endpoints::default();
        assert_eq!(EndpointsRecord::from(none.clone()).to_endpoints(), none);
        let empty = Endpoints {
            subsets: Some(Vec::new()),
            ..Default::default()
        };
        assert_eq!(EndpointsRecord::from(empty.clone()).to_endpoints(), empty);
    }

    #[test]
    fn versions_compare_by_content_whether_or_not_they_share_addresses() {
        let a = Arc::new(address("10.1.0.1"));
        let subset = |addresses: Vec<SharedAddress>| SubsetRecord {
            addresses: Some(addresses),
            ..Default::default()
        };
        let shared = subset(vec![a.clone()]);
        assert_eq!(shared, subset(vec![a.clone()]));
        assert_eq!(shared, subset(vec![Arc::new(address("10.1.0.1"))]));
        assert_ne!(shared, subset(vec![Arc::new(address("10.1.0.2"))]));
        assert_ne!(shared, subset(vec![a.clone(), a.clone()]));
        assert_ne!(
            shared,
            SubsetRecord {
                not_ready_addresses: Some(vec![a]),
                ..Default::default()
            }
        );
    }
}
