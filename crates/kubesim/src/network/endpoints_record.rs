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
    pub addresses: Option<AddressList>,
    pub not_ready_addresses: Option<AddressList>,
    pub ports: Option<Vec<EndpointPort>>,
}

/// Addresses per shared run: a version of the Endpoints object copies one pointer per run
/// it keeps and at most one run's addresses (the cut at the cap), instead of one pointer per
/// address (up to 1,000 per write).
pub const RUN: usize = 64;

/// A list of addresses stored as shared runs ([`SortedRuns::prefix`] makes one whose runs
/// are the cache's own). Compares, iterates and prints (`{:?}`) as the flat list it stands
/// for, whatever its runs.
#[derive(Clone, Default)]
pub struct AddressList {
    runs: Vec<Arc<Vec<SharedAddress>>>,
    len: usize,
}

impl AddressList {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = &SharedAddress> + '_ {
        self.runs.iter().flat_map(|r| r.iter())
    }

    pub fn first(&self) -> Option<&SharedAddress> {
        self.iter().next()
    }

    /// Runs of [`RUN`] addresses from a flat list (fresh runs: nothing shared).
    pub fn from_slice(addresses: &[SharedAddress]) -> Self {
        AddressList {
            runs: addresses
                .chunks(RUN)
                .map(|c| Arc::new(c.to_vec()))
                .collect(),
            len: addresses.len(),
        }
    }
}

impl<'a> IntoIterator for &'a AddressList {
    type Item = &'a SharedAddress;
    type IntoIter = Box<dyn Iterator<Item = &'a SharedAddress> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl std::fmt::Debug for AddressList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for AddressList {
    /// Equal contents; a run shared by both at the same place is not compared element by
    /// element.
    fn eq(&self, other: &Self) -> bool {
        if self.len != other.len {
            return false;
        }
        let (mut i, mut j, mut x, mut y) = (0, 0, 0, 0);
        while i < self.runs.len() && j < other.runs.len() {
            let (ra, rb) = (&self.runs[i], &other.runs[j]);
            if x == 0 && y == 0 && Arc::ptr_eq(ra, rb) {
                i += 1;
                j += 1;
                continue;
            }
            let n = (ra.len() - x).min(rb.len() - y);
            if !same_list(&ra[x..x + n], &rb[y..y + n]) {
                return false;
            }
            x += n;
            y += n;
            if x == ra.len() {
                i += 1;
                x = 0;
            }
            if y == rb.len() {
                j += 1;
                y = 0;
            }
        }
        true
    }
}

/// Anything [`super::endpointslice::legacy_endpoints`] can take addresses from: a count,
/// and the first `n` as an [`AddressList`].
pub trait AddressRuns {
    fn count(&self) -> usize;
    fn prefix(&self, n: usize) -> AddressList;
}

impl AddressRuns for &[SharedAddress] {
    fn count(&self) -> usize {
        self.len()
    }
    fn prefix(&self, n: usize) -> AddressList {
        AddressList::from_slice(&self[..n.min(self.len())])
    }
}

/// A sorted map of addresses kept as shared runs (the endpoints controller's cache of one
/// subset): an insert or removal copies at most one run (when a stored version shares it),
/// and [`SortedRuns::prefix`] shares every whole run it keeps.
#[derive(Clone, Debug)]
pub struct SortedRuns<K> {
    runs: Vec<(Vec<K>, Arc<Vec<SharedAddress>>)>,
    len: usize,
}

impl<K> Default for SortedRuns<K> {
    fn default() -> Self {
        SortedRuns {
            runs: Vec::new(),
            len: 0,
        }
    }
}

impl<K: Ord> SortedRuns<K> {
    /// The run that holds `key` or where it goes.
    fn run_of(&self, key: &K) -> usize {
        self.runs
            .partition_point(|(keys, _)| keys.last().is_some_and(|l| l < key))
            .min(self.runs.len().saturating_sub(1))
    }

    /// Inserts or replaces the address under `key`.
    pub fn insert(&mut self, key: K, address: SharedAddress) {
        if self.runs.is_empty() {
            self.runs.push((vec![key], Arc::new(vec![address])));
            self.len = 1;
            return;
        }
        let i = self.run_of(&key);
        let (keys, items) = &mut self.runs[i];
        match keys.binary_search(&key) {
            Ok(j) => Arc::make_mut(items)[j] = address,
            Err(j) => {
                keys.insert(j, key);
                Arc::make_mut(items).insert(j, address);
                self.len += 1;
                if keys.len() >= 2 * RUN {
                    let tail_keys = keys.split_off(RUN);
                    let tail = Arc::make_mut(items).split_off(RUN);
                    self.runs.insert(i + 1, (tail_keys, Arc::new(tail)));
                }
            }
        }
    }

    /// Removes the address under `key` (if any).
    pub fn remove(&mut self, key: &K) {
        if self.runs.is_empty() {
            return;
        }
        let i = self.run_of(key);
        let (keys, items) = &mut self.runs[i];
        let Ok(j) = keys.binary_search(key) else {
            return;
        };
        keys.remove(j);
        Arc::make_mut(items).remove(j);
        self.len -= 1;
        if keys.is_empty() {
            self.runs.remove(i);
        } else if keys.len() < RUN / 4 && i + 1 < self.runs.len() {
            // Merge a small run into the next so runs stay few.
            let (next_keys, next_items) = self.runs.remove(i + 1);
            let (keys, items) = &mut self.runs[i];
            keys.extend(next_keys);
            Arc::make_mut(items).extend(next_items.iter().cloned());
            if keys.len() >= 2 * RUN {
                let tail_keys = keys.split_off(RUN);
                let tail = Arc::make_mut(items).split_off(RUN);
                self.runs.insert(i + 1, (tail_keys, Arc::new(tail)));
            }
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The addresses in key order.
    pub fn values(&self) -> impl Iterator<Item = &SharedAddress> + '_ {
        self.runs.iter().flat_map(|(_, r)| r.iter())
    }
}

impl<K: Ord> AddressRuns for &SortedRuns<K> {
    fn count(&self) -> usize {
        self.len
    }
    fn prefix(&self, n: usize) -> AddressList {
        let n = n.min(self.len);
        let mut runs = Vec::new();
        let mut left = n;
        for (_, r) in &self.runs {
            if left == 0 {
                break;
            }
            if r.len() <= left {
                runs.push(r.clone());
                left -= r.len();
            } else {
                runs.push(Arc::new(r[..left].to_vec()));
                left = 0;
            }
        }
        AddressList { runs, len: n }
    }
}

/// Equal lists; an element shared by both is not compared field by field.
fn same_list<T: PartialEq>(a: &[Arc<T>], b: &[Arc<T>]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| Arc::ptr_eq(x, y) || **x == **y)
}

fn same_addresses(a: &Option<AddressList>, b: &Option<AddressList>) -> bool {
    a == b
}

impl PartialEq for SubsetRecord {
    fn eq(&self, other: &Self) -> bool {
        self.ports == other.ports
            && same_addresses(&self.addresses, &other.addresses)
            && same_addresses(&self.not_ready_addresses, &other.not_ready_addresses)
    }
}

fn owned(list: &Option<AddressList>) -> Option<Vec<EndpointAddress>> {
    list.as_ref()
        .map(|l| l.iter().map(|a| (**a).clone()).collect())
}

fn shared(list: Option<Vec<EndpointAddress>>) -> Option<AddressList> {
    list.map(|l| {
        let l: Vec<SharedAddress> = l.into_iter().map(Arc::new).collect();
        AddressList::from_slice(&l)
    })
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
            addresses: Some(AddressList::from_slice(&addresses)),
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
                not_ready_addresses: Some(AddressList::from_slice(&[a])),
                ..Default::default()
            }
        );
    }

    #[test]
    fn sorted_runs_hold_what_a_sorted_map_holds_and_prefixes_share_whole_runs() {
        use std::collections::BTreeMap;
        let mut rng = crate::engine::rng::SplitMix64::new(3);
        let mut runs: SortedRuns<u64> = SortedRuns::default();
        let mut map: BTreeMap<u64, SharedAddress> = BTreeMap::new();
        for step in 0..20_000 {
            let k = rng.below(3_000);
            if rng.below(3) == 0 {
                runs.remove(&k);
                map.remove(&k);
            } else {
                let a = Arc::new(address(&format!("10.0.{}.{}", k / 250, step % 250)));
                runs.insert(k, a.clone());
                map.insert(k, a);
            }
            if step % 997 == 0 {
                assert_eq!(runs.len(), map.len());
                assert!(runs
                    .values()
                    .zip(map.values())
                    .all(|(a, b)| Arc::ptr_eq(a, b)));
                let n = rng.below(1_200) as usize;
                let want: Vec<SharedAddress> = map.values().take(n).cloned().collect();
                let got = (&runs).prefix(n);
                assert_eq!(got.len(), want.len());
                assert!(got.iter().zip(&want).all(|(a, b)| Arc::ptr_eq(a, b)));
                // The same content in other runs is equal, and prints the same.
                let flat = AddressList::from_slice(&want);
                assert_eq!(got, flat);
                assert_eq!(format!("{got:?}"), format!("{want:?}"));
                if !want.is_empty() {
                    assert_ne!(got, AddressList::from_slice(&want[1..]));
                }
                // Runs stay few: at most one per RUN / 4 addresses, plus one.
                assert!(runs.runs.len() <= runs.len() / (RUN / 4) + 1);
            }
        }
        // A version keeps the runs it does not cut: one pointer per run, not per address.
        let before = (&runs).prefix(1_000);
        let k = *map.keys().last().unwrap() + 1;
        runs.insert(k, Arc::new(address("10.9.9.9")));
        let after = (&runs).prefix(1_000);
        let shared = before
            .runs
            .iter()
            .zip(&after.runs)
            .filter(|(a, b)| Arc::ptr_eq(a, b))
            .count();
        assert!(
            shared + 1 >= before.runs.len(),
            "{shared} of {}",
            before.runs.len()
        );
    }
}
