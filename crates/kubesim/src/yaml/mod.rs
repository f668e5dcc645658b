//! A YAML document as a tree that keeps positions, read once from libyaml's events (the parser
//! serde_yaml is built on), and decoded into typed objects by one small `serde::Deserializer`
//! ([`de`]). Decoding through one deserializer type instead of serde_yaml's means every
//! Kubernetes type's `Deserialize` code is compiled once for the page (SIZE.md).
//!
//! Reading also bounds the work a hostile document can cause: nesting deeper than
//! [`MAX_DEPTH`] levels and aliases that would expand the document beyond [`MAX_ALIAS_NODES`]
//! nodes stop the read with a [`Limit`] naming the limit.

pub mod de;

use std::collections::BTreeMap;

/// Nesting limit, in collections. serde_yaml stops at the same depth ("recursion limit
/// exceeded"); the playground names the limit instead.
pub const MAX_DEPTH: usize = 128;

/// At most this many nodes may be added by expanding aliases (and never more than 100 per node
/// written): a "billion laughs" document is refused before anything is expanded.
pub const MAX_ALIAS_NODES: u64 = 100_000;

/// A 0-based position, as libyaml counts (column in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    pub line: u32,
    pub column: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Debug)]
pub enum Kind {
    Scalar(Box<str>, Style),
    Seq(Vec<u32>),
    Map(Vec<(u32, u32)>),
    /// An alias of an earlier node (an index into the tree).
    Alias(u32),
    /// An empty document.
    Void,
}

#[derive(Debug)]
pub struct Node {
    pub kind: Kind,
    pub mark: Mark,
    /// The tag as libyaml reports it (`!foo`, `tag:yaml.org,2002:int`).
    pub tag: Option<Box<str>>,
}

/// One document's nodes; the root is node 0.
#[derive(Debug, Default)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

/// Why reading stopped before the whole document was read.
#[derive(Debug, PartialEq, Eq)]
pub enum Stop {
    /// A libyaml error: the text is not YAML (serde_yaml words the message).
    Syntax,
    /// A playground limit, with the message and where it was exceeded.
    Limit(Limit),
}

#[derive(Debug, PartialEq, Eq)]
pub struct Limit {
    pub mark: Mark,
    pub message: String,
}

impl Tree {
    pub fn node(&self, i: u32) -> &Node {
        &self.nodes[i as usize]
    }

    /// Reads the first document of `text`.
    pub fn read(text: &str) -> Result<Tree, Stop> {
        if let Some(limit) = flow_depth_check(text) {
            return Err(Stop::Limit(limit));
        }
        let mut parser = events::Parser::new(text.as_bytes());
        let mut b = Builder::default();
        loop {
            match parser.next() {
                Err(()) => return Err(Stop::Syntax),
                Ok(None) => break,
                Ok(Some((event, mark))) => {
                    if b.event(event, mark)? {
                        break;
                    }
                }
            }
        }
        if b.tree.nodes.is_empty() {
            b.tree.nodes.push(Node {
                kind: Kind::Void,
                mark: Mark::default(),
                tag: None,
            });
        }
        b.tree.merge_keys();
        Ok(b.tree)
    }

    /// YAML merge keys, as kubectl's reader (sigs.k8s.io/yaml over go-yaml) applies them
    /// before a manifest is sent: `<<: *a` (or `<<: [*a, *b]`) adds the entries of the named
    /// mappings that the mapping does not write itself; of several sources the earlier wins.
    /// Nodes are visited in order, so a source (always read earlier) is already merged.
    fn merge_keys(&mut self) {
        let is_merge = |tree: &Tree, k: u32| {
            let node = tree.node(k);
            node.tag.is_none()
                && matches!(&node.kind, Kind::Scalar(s, Style::Plain) if &**s == "<<")
        };
        let target = |tree: &Tree, i: u32| match tree.node(i).kind {
            Kind::Alias(t) => t,
            _ => i,
        };
        for i in 0..self.nodes.len() {
            let Kind::Map(entries) = &self.nodes[i].kind else {
                continue;
            };
            if !entries.iter().any(|(k, _)| is_merge(self, *k)) {
                continue;
            }
            let scalar = |tree: &Tree, k: u32| match &tree.node(target(tree, k)).kind {
                Kind::Scalar(s, _) => Some(s.clone()),
                _ => None,
            };
            let mut merged: Vec<(u32, u32)> = Vec::new();
            let mut sources: Vec<u32> = Vec::new();
            for (k, v) in entries {
                if is_merge(self, *k) {
                    let v = target(self, *v);
                    match &self.node(v).kind {
                        Kind::Seq(items) => sources.extend(items.iter().map(|x| target(self, *x))),
                        _ => sources.push(v),
                    }
                } else {
                    merged.push((*k, *v));
                }
            }
            let mut seen: std::collections::BTreeSet<Box<str>> = merged
                .iter()
                .filter_map(|(k, _)| scalar(self, *k))
                .collect();
            // a merge of something that is not a mapping is left as it is, for the decoder to
            // refuse (go-yaml: "map merge requires map or sequence of maps as the value")
            if sources
                .iter()
                .any(|s| !matches!(self.node(*s).kind, Kind::Map(_)))
            {
                continue;
            }
            for source in sources {
                let Kind::Map(from) = &self.node(source).kind else {
                    continue;
                };
                for (k, v) in from {
                    match scalar(self, *k) {
                        Some(name) if seen.contains(&name) => {}
                        Some(name) => {
                            seen.insert(name);
                            merged.push((*k, *v));
                        }
                        None => merged.push((*k, *v)),
                    }
                }
            }
            self.nodes[i].kind = Kind::Map(merged);
        }
    }

    /// A tree of a JSON value (strings double-quoted, as JSON text would be read as YAML).
    pub fn from_json(value: &serde_json::Value) -> Tree {
        fn add(tree: &mut Tree, v: &serde_json::Value) -> u32 {
            use serde_json::Value;
            let i = tree.nodes.len() as u32;
            let scalar = |s: &str, style| Kind::Scalar(s.into(), style);
            tree.nodes.push(Node {
                kind: Kind::Void,
                mark: Mark::default(),
                tag: None,
            });
            let kind = match v {
                Value::Null => scalar("null", Style::Plain),
                Value::Bool(b) => scalar(if *b { "true" } else { "false" }, Style::Plain),
                Value::Number(n) => scalar(&n.to_string(), Style::Plain),
                Value::String(s) => scalar(s, Style::DoubleQuoted),
                Value::Array(a) => Kind::Seq(a.iter().map(|v| add(tree, v)).collect()),
                Value::Object(m) => Kind::Map(
                    m.iter()
                        .map(|(k, v)| {
                            let key = tree.nodes.len() as u32;
                            tree.nodes.push(Node {
                                kind: scalar(k, Style::DoubleQuoted),
                                mark: Mark::default(),
                                tag: None,
                            });
                            (key, add(tree, v))
                        })
                        .collect(),
                ),
            };
            tree.nodes[i as usize].kind = kind;
            i
        }
        let mut tree = Tree::default();
        add(&mut tree, value);
        tree
    }
}

/// libyaml's time grows with the square of the flow nesting depth (its simple-key stack is
/// walked for every token), so a text with very deep `[`/`{` nesting is refused before libyaml
/// sees it. Brackets are counted lexically (also in strings and comments, which only
/// over-counts); the text is refused when more than `8 × MAX_DEPTH` are open at once, and the
/// position given is where more than `MAX_DEPTH` were first open.
fn flow_depth_check(text: &str) -> Option<Limit> {
    let (mut depth, mut line, mut column) = (0usize, 0u32, 0u32);
    let mut first_over: Option<Mark> = None;
    for c in text.chars() {
        match c {
            '[' | '{' => {
                depth += 1;
                if depth > MAX_DEPTH && first_over.is_none() {
                    first_over = Some(Mark { line, column });
                }
                if depth > 8 * MAX_DEPTH {
                    return Some(nesting_limit(first_over.unwrap_or_default()));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            '\n' => {
                line += 1;
                column = 0;
                continue;
            }
            _ => {}
        }
        column += 1;
    }
    None
}

fn nesting_limit(mark: Mark) -> Limit {
    Limit {
        mark,
        message: format!("document nesting exceeds the playground's limit of {MAX_DEPTH} levels"),
    }
}

#[derive(Default)]
struct Builder {
    tree: Tree,
    /// Open collections, with a key waiting for its value (mappings).
    stack: Vec<(u32, Option<u32>)>,
    anchors: BTreeMap<Box<[u8]>, u32>,
    /// Per node: nodes it expands to (aliases included) and its nesting height; `u64::MAX`
    /// while a collection is open (an alias to it is a cycle).
    size: Vec<u64>,
    height: Vec<u32>,
    written: u64,
    added: u64,
}

impl Builder {
    /// Adds one event; true when the document is complete.
    fn event(&mut self, event: events::Event, mark: Mark) -> Result<bool, Stop> {
        use events::Event;
        let (kind, tag, anchor, open) = match event {
            Event::Scalar {
                value,
                style,
                tag,
                anchor,
            } => (Kind::Scalar(value, style), tag, anchor, false),
            Event::SeqStart { tag, anchor } => (Kind::Seq(Vec::new()), tag, anchor, true),
            Event::MapStart { tag, anchor } => (Kind::Map(Vec::new()), tag, anchor, true),
            Event::Alias(name) => {
                // An unknown anchor is a syntax error, worded by serde_yaml.
                let target = *self.anchors.get(&name).ok_or(Stop::Syntax)?;
                let size = self.size[target as usize];
                let height = self.height[target as usize] as usize;
                if size == u64::MAX || self.stack.len() + height > MAX_DEPTH {
                    return Err(Stop::Limit(nesting_limit(mark)));
                }
                self.added = self.added.saturating_add(size);
                let limit = MAX_ALIAS_NODES.min(self.written.saturating_mul(100));
                if self.added > limit {
                    return Err(Stop::Limit(Limit {
                        mark,
                        message: format!(
                            "aliases expand this document by more than the playground's limit of {limit} nodes ({MAX_ALIAS_NODES} at most, 100 per node written)"
                        ),
                    }));
                }
                self.push(Kind::Alias(target), mark, None, size, height as u32);
                return Ok(self.stack.is_empty());
            }
            Event::SeqEnd | Event::MapEnd => {
                let Some((i, _)) = self.stack.pop() else {
                    return Ok(true);
                };
                let (size, height) = match &self.tree.nodes[i as usize].kind {
                    Kind::Seq(items) => items.iter().fold((1u64, 0u32), |(s, h), &c| {
                        let c = c as usize;
                        (s.saturating_add(self.size[c]), h.max(self.height[c]))
                    }),
                    Kind::Map(entries) => entries.iter().fold((1u64, 0u32), |(s, h), &(k, v)| {
                        let (k, v) = (k as usize, v as usize);
                        let s = s.saturating_add(self.size[k]).saturating_add(self.size[v]);
                        (s, h.max(self.height[k]).max(self.height[v]))
                    }),
                    _ => (1, 0),
                };
                self.size[i as usize] = size;
                self.height[i as usize] = height + 1;
                return Ok(self.stack.is_empty());
            }
        };
        if open && self.stack.len() >= MAX_DEPTH {
            return Err(Stop::Limit(nesting_limit(mark)));
        }
        self.written += 1;
        let i = self.push(kind, mark, tag, if open { u64::MAX } else { 1 }, 0);
        if let Some(name) = anchor {
            self.anchors.insert(name, i);
        }
        if open {
            self.stack.push((i, None));
            Ok(false)
        } else {
            Ok(self.stack.is_empty())
        }
    }

    fn push(&mut self, kind: Kind, mark: Mark, tag: Option<Box<str>>, size: u64, h: u32) -> u32 {
        let i = self.tree.nodes.len() as u32;
        self.tree.nodes.push(Node { kind, mark, tag });
        self.size.push(size);
        self.height.push(h);
        if let Some((parent, key)) = self.stack.last_mut() {
            match &mut self.tree.nodes[*parent as usize].kind {
                Kind::Seq(items) => items.push(i),
                Kind::Map(entries) => match key.take() {
                    Some(k) => entries.push((k, i)),
                    None => *key = Some(i),
                },
                _ => {}
            }
        }
        i
    }
}

/// libyaml's event stream, as serde_yaml reads it (`serde_yaml::libyaml::parser`, private there).
mod events {
    use super::{Mark, Style};
    use std::mem::MaybeUninit;
    // The short name serde_yaml uses too; every use is in an `unsafe` block anyway.
    #[allow(clippy::unsafe_removed_from_name)]
    use unsafe_libyaml as sys;

    pub enum Event {
        Scalar {
            value: Box<str>,
            style: Style,
            tag: Option<Box<str>>,
            anchor: Option<Box<[u8]>>,
        },
        SeqStart {
            tag: Option<Box<str>>,
            anchor: Option<Box<[u8]>>,
        },
        SeqEnd,
        MapStart {
            tag: Option<Box<str>>,
            anchor: Option<Box<[u8]>>,
        },
        MapEnd,
        Alias(Box<[u8]>),
    }

    pub struct Parser<'a> {
        // Boxed: libyaml keeps pointers into the parser struct, so it must not move.
        sys: Box<sys::yaml_parser_t>,
        _input: &'a [u8],
        done: bool,
    }

    impl<'a> Parser<'a> {
        pub fn new(input: &'a [u8]) -> Parser<'a> {
            // SAFETY: as serde_yaml's parser: the struct is initialized by
            // `yaml_parser_initialize` (it fails only when out of memory, which aborts in Rust
            // anyway), lives in a Box that never moves, and the input outlives the parser.
            unsafe {
                let mut sys: Box<MaybeUninit<sys::yaml_parser_t>> = Box::new(MaybeUninit::uninit());
                let ptr = sys.as_mut_ptr();
                let failed = sys::yaml_parser_initialize(ptr).fail;
                assert!(!failed, "libyaml: out of memory");
                sys::yaml_parser_set_encoding(ptr, sys::YAML_UTF8_ENCODING);
                sys::yaml_parser_set_input_string(ptr, input.as_ptr(), input.len() as u64);
                Parser {
                    sys: Box::from_raw(Box::into_raw(sys).cast()),
                    _input: input,
                    done: false,
                }
            }
        }

        /// The next node event of the first document; `Ok(None)` at its end, `Err` on a
        /// syntax error.
        pub fn next(&mut self) -> Result<Option<(Event, Mark)>, ()> {
            loop {
                if self.done {
                    return Ok(None);
                }
                let mut event = MaybeUninit::<sys::yaml_event_t>::uninit();
                // SAFETY: the parser is initialized; a successfully parsed event is read
                // and then deleted exactly once.
                if self.sys.error != sys::YAML_NO_ERROR {
                    return Err(());
                }
                unsafe {
                    let parser: *mut sys::yaml_parser_t = &mut *self.sys;
                    if sys::yaml_parser_parse(parser, event.as_mut_ptr()).fail {
                        return Err(());
                    }
                    let event = event.as_mut_ptr();
                    let mark = Mark {
                        line: (*event).start_mark.line as u32,
                        column: (*event).start_mark.column as u32,
                    };
                    let converted = convert(&*event);
                    sys::yaml_event_delete(event);
                    match converted {
                        Converted::Node(e) => return Ok(Some((e, mark))),
                        Converted::End => {
                            self.done = true;
                            return Ok(None);
                        }
                        Converted::Skip => {}
                    }
                }
            }
        }
    }

    impl Drop for Parser<'_> {
        fn drop(&mut self) {
            // SAFETY: initialized in `new`, deleted once.
            unsafe { sys::yaml_parser_delete(&mut *self.sys) }
        }
    }

    enum Converted {
        Node(Event),
        End,
        Skip,
    }

    unsafe fn bytes(ptr: *const u8) -> Option<Box<[u8]>> {
        if ptr.is_null() {
            return None;
        }
        let mut len = 0;
        // SAFETY: libyaml's anchors and tags are NUL-terminated.
        while unsafe { *ptr.add(len) } != 0 {
            len += 1;
        }
        Some(unsafe { std::slice::from_raw_parts(ptr, len) }.into())
    }

    unsafe fn text(ptr: *const u8) -> Option<Box<str>> {
        unsafe { bytes(ptr) }.map(|b| String::from_utf8_lossy(&b).into())
    }

    unsafe fn convert(e: &sys::yaml_event_t) -> Converted {
        // SAFETY: the union member read is the one the event type names.
        unsafe {
            match e.type_ {
                sys::YAML_DOCUMENT_END_EVENT | sys::YAML_STREAM_END_EVENT => Converted::End,
                sys::YAML_ALIAS_EVENT => match bytes(e.data.alias.anchor) {
                    Some(a) => Converted::Node(Event::Alias(a)),
                    None => Converted::Skip,
                },
                sys::YAML_SCALAR_EVENT => {
                    let s = &e.data.scalar;
                    let value = std::slice::from_raw_parts(s.value, s.length as usize);
                    Converted::Node(Event::Scalar {
                        value: String::from_utf8_lossy(value).into(),
                        style: match s.style {
                            sys::YAML_SINGLE_QUOTED_SCALAR_STYLE => Style::SingleQuoted,
                            sys::YAML_DOUBLE_QUOTED_SCALAR_STYLE => Style::DoubleQuoted,
                            sys::YAML_LITERAL_SCALAR_STYLE => Style::Literal,
                            sys::YAML_FOLDED_SCALAR_STYLE => Style::Folded,
                            _ => Style::Plain,
                        },
                        tag: text(s.tag),
                        anchor: bytes(s.anchor),
                    })
                }
                sys::YAML_SEQUENCE_START_EVENT => Converted::Node(Event::SeqStart {
                    tag: text(e.data.sequence_start.tag),
                    anchor: bytes(e.data.sequence_start.anchor),
                }),
                sys::YAML_SEQUENCE_END_EVENT => Converted::Node(Event::SeqEnd),
                sys::YAML_MAPPING_START_EVENT => Converted::Node(Event::MapStart {
                    tag: text(e.data.mapping_start.tag),
                    anchor: bytes(e.data.mapping_start.anchor),
                }),
                sys::YAML_MAPPING_END_EVENT => Converted::Node(Event::MapEnd),
                _ => Converted::Skip,
            }
        }
    }
}
