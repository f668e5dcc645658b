//! One `serde::Deserializer` over a [`Tree`]: it decodes exactly as serde_yaml 0.9's
//! deserializer does (same scalar resolution, same error texts, marks and paths), and records
//! the fields a type ignores, as serde_ignored did (kubectl's strict decoding).
//!
//! Size matters here more than anywhere: every method is compiled once per visitor type, so the
//! generic bodies only dispatch, and the work is in plain functions.

use std::fmt;

use serde::de::{self, DeserializeSeed, Expected, Unexpected, Visitor};

use super::{Kind, Mark, Node, Style, Tree};
use crate::manifest::Segment;

const TAG_NULL: &str = "tag:yaml.org,2002:null";
const TAG_BOOL: &str = "tag:yaml.org,2002:bool";
const TAG_INT: &str = "tag:yaml.org,2002:int";
const TAG_FLOAT: &str = "tag:yaml.org,2002:float";

/// A decoding error, displayed as serde_yaml displays its own.
#[derive(Debug)]
pub struct Error {
    message: String,
    mark: Option<Mark>,
    /// The path of the node (serde_yaml's notation); `None` until the error is placed.
    path: Option<String>,
    /// Only errors raised by `Deserialize` code (serde_yaml's `Message`) take a position.
    placeable: bool,
}

impl Error {
    fn fixed(message: &str, mark: Option<Mark>) -> Error {
        Error {
            message: message.to_owned(),
            mark,
            path: None,
            placeable: false,
        }
    }

    /// The 1-based position, when the error has one.
    pub fn location(&self) -> Option<(usize, usize)> {
        self.mark
            .map(|m| (m.line as usize + 1, m.column as usize + 1))
    }
}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error {
            message: msg.to_string(),
            mark: None,
            path: None,
            placeable: true,
        }
    }
}

impl std::error::Error for Error {}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = self.path.as_deref().filter(|p| *p != ".") {
            write!(f, "{path}: ")?;
        }
        f.write_str(&self.message)?;
        match self.mark {
            Some(m) if m.line != 0 || m.column != 0 => {
                write!(f, " at line {} column {}", m.line + 1, m.column + 1)
            }
            _ => Ok(()),
        }
    }
}

type Result<T> = std::result::Result<T, Error>;

/// One step of the path to the node being decoded.
#[derive(Clone, Copy)]
enum Step {
    /// A mapping value, by the node of its key.
    Key(u32),
    Index(usize),
}

/// Decoding state shared by the nested deserializers.
pub struct State<'t> {
    tree: &'t Tree,
    path: Vec<Step>,
    remaining_depth: u8,
    /// Paths of ignored (unknown) fields, when recorded; `ignored` counts them all.
    unknown: Option<Vec<Vec<Segment>>>,
    pub ignored: usize,
    /// At most this many paths are kept.
    keep: usize,
}

impl<'t> State<'t> {
    /// `keep`: how many unknown-field paths to record (`None`: ignore unknown fields silently).
    pub fn new(tree: &'t Tree, keep: Option<usize>) -> State<'t> {
        State {
            tree,
            path: Vec::new(),
            remaining_depth: 128,
            unknown: keep.map(|_| Vec::new()),
            ignored: 0,
            keep: keep.unwrap_or(0),
        }
    }

    pub fn unknown(&self) -> &[Vec<Segment>] {
        self.unknown.as_deref().unwrap_or(&[])
    }

    /// The deserializer of the document's root.
    pub fn root(&mut self) -> De<'_, 't> {
        De {
            st: self,
            node: 0,
            tagged: false,
            key: false,
        }
    }

    fn node(&self, i: u32) -> &'t Node {
        self.tree.node(i)
    }

    /// An alias is decoded as the node it names.
    fn resolve(&self, i: u32) -> u32 {
        match self.tree.node(i).kind {
            Kind::Alias(target) => target,
            _ => i,
        }
    }

    /// serde_yaml's path notation: `spec.containers[0].name`, `.` for the root, `?` for a
    /// value whose key is not a scalar.
    fn path_text(&self) -> String {
        let mut out = String::new();
        let mut root = true;
        for step in &self.path {
            match *step {
                Step::Key(k) => {
                    if !root {
                        out.push('.');
                    }
                    match &self.node(k).kind {
                        Kind::Scalar(s, _) => out.push_str(s),
                        _ => out.push('?'),
                    }
                }
                Step::Index(i) => {
                    if root {
                        out.push('.');
                    }
                    out.push_str(&format!("[{i}]"));
                }
            }
            root = false;
        }
        if root {
            out.push('.');
        }
        out
    }

    /// serde_yaml's `fix_mark`: an error from `Deserialize` code takes the position of the
    /// innermost node being decoded when it was raised.
    fn place(&self, mut e: Error, mark: Mark) -> Error {
        if e.placeable && e.mark.is_none() {
            e.mark = Some(mark);
            e.path = Some(self.path_text());
        }
        e
    }

    fn record_ignored(&mut self) {
        self.ignored += 1;
        let keep = self.keep;
        let path = match &self.unknown {
            Some(kept) if kept.len() < keep => self
                .path
                .iter()
                .map(|step| match *step {
                    Step::Key(k) => match &self.node(self.resolve(k)).kind {
                        Kind::Scalar(s, _) => Segment::Key(s.to_string()),
                        _ => Segment::Key("?".into()),
                    },
                    Step::Index(i) => Segment::Index(i),
                })
                .collect(),
            _ => return,
        };
        if let Some(kept) = &mut self.unknown {
            kept.push(path);
        }
    }

    fn enter(&mut self, mark: Mark) -> Result<()> {
        match self.remaining_depth.checked_sub(1) {
            Some(d) => {
                self.remaining_depth = d;
                Ok(())
            }
            None => Err(Error::fixed("recursion limit exceeded", Some(mark))),
        }
    }
}

/// The deserializer of one node.
pub struct De<'a, 't> {
    st: &'a mut State<'t>,
    node: u32,
    /// Inside a tagged value being decoded as an enum (serde_yaml's `current_enum`).
    tagged: bool,
    /// A mapping key: an ignored key is not an unknown field.
    key: bool,
}

/// What a scalar resolves to, by serde_yaml's rules for plain scalars.
enum Resolved<'s> {
    Unit,
    Bool(bool),
    U64(u64),
    I64(i64),
    U128(u128),
    I128(i128),
    F64(f64),
    Str(&'s str),
    /// A scalar whose explicit tag it does not satisfy: (found, expected).
    Invalid(&'s str, &'static str),
}

fn parse_null(s: &str) -> bool {
    matches!(s, "null" | "Null" | "NULL" | "~")
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn digits_but_not_number(scalar: &str) -> bool {
    let scalar = scalar.strip_prefix(['-', '+']).unwrap_or(scalar);
    scalar.len() > 1 && scalar.starts_with('0') && scalar[1..].bytes().all(|b| b.is_ascii_digit())
}

const RADIXES: [(&str, u32); 3] = [("0x", 16), ("0o", 8), ("0b", 2)];

/// Whether a parsed integer fits the type read: 64 or 128 bits.
fn fits_signed(n: i128, bits: u32) -> bool {
    bits == 128 || i64::try_from(n).is_ok()
}

fn fits_unsigned(n: u128, bits: u32) -> bool {
    bits == 128 || u64::try_from(n).is_ok()
}

/// serde_yaml's `parse_signed_int` (`0x`/`0o`/`0b`, signs) for `i64` or `i128`.
fn signed_int(scalar: &str, bits: u32) -> Option<i128> {
    let fits = |n: &i128| fits_signed(*n, bits);
    let unpositive = match scalar.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => scalar,
    };
    for (prefix, radix) in RADIXES {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Some(n) = i128::from_str_radix(rest, radix).ok().filter(fits) {
                return Some(n);
            }
        }
        if let Some(rest) = scalar
            .strip_prefix('-')
            .and_then(|r| r.strip_prefix(prefix))
        {
            let negative = format!("-{rest}");
            if let Some(n) = i128::from_str_radix(&negative, radix).ok().filter(fits) {
                return Some(n);
            }
        }
    }
    if digits_but_not_number(scalar) {
        return None;
    }
    unpositive.parse::<i128>().ok().filter(fits)
}

/// serde_yaml's `parse_unsigned_int` for `u64` or `u128`.
fn unsigned_int(scalar: &str, bits: u32) -> Option<u128> {
    let fits = |n: &u128| fits_unsigned(*n, bits);
    let unpositive = scalar.strip_prefix('+').unwrap_or(scalar);
    for (prefix, radix) in RADIXES {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Some(n) = u128::from_str_radix(rest, radix).ok().filter(fits) {
                return Some(n);
            }
        }
    }
    if unpositive.starts_with(['+', '-']) || digits_but_not_number(scalar) {
        return None;
    }
    unpositive.parse::<u128>().ok().filter(fits)
}

/// serde_yaml's `parse_negative_int` for `i64` or `i128`.
fn negative_int(scalar: &str, bits: u32) -> Option<i128> {
    let fits = |n: &i128| fits_signed(*n, bits);
    for (prefix, radix) in RADIXES {
        if let Some(rest) = scalar
            .strip_prefix('-')
            .and_then(|r| r.strip_prefix(prefix))
        {
            let negative = format!("-{rest}");
            if let Some(n) = i128::from_str_radix(&negative, radix).ok().filter(fits) {
                return Some(n);
            }
        }
    }
    if digits_but_not_number(scalar) {
        return None;
    }
    scalar.parse::<i128>().ok().filter(fits)
}

fn parse_f64(scalar: &str) -> Option<f64> {
    let unpositive = match scalar.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => scalar,
    };
    if let ".inf" | ".Inf" | ".INF" = unpositive {
        return Some(f64::INFINITY);
    }
    if let "-.inf" | "-.Inf" | "-.INF" = scalar {
        return Some(f64::NEG_INFINITY);
    }
    if let ".nan" | ".NaN" | ".NAN" = scalar {
        return Some(f64::NAN.copysign(1.0));
    }
    unpositive.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// serde_yaml's `visit_int`: u64, then i64, then u128, then i128.
fn resolve_int(v: &str) -> Option<Resolved<'_>> {
    if let Some(n) = unsigned_int(v, 64) {
        return Some(Resolved::U64(n as u64));
    }
    if let Some(n) = negative_int(v, 64) {
        return Some(Resolved::I64(n as i64));
    }
    if let Some(n) = unsigned_int(v, 128) {
        return Some(Resolved::U128(n));
    }
    negative_int(v, 128).map(Resolved::I128)
}

/// serde_yaml's `visit_untagged_scalar`.
fn resolve_untagged(v: &str) -> Resolved<'_> {
    if v.is_empty() || parse_null(v) {
        return Resolved::Unit;
    }
    if let Some(b) = parse_bool(v) {
        return Resolved::Bool(b);
    }
    if let Some(int) = resolve_int(v) {
        return int;
    }
    if !digits_but_not_number(v) {
        if let Some(f) = parse_f64(v) {
            return Resolved::F64(f);
        }
    }
    Resolved::Str(v)
}

/// The text of an untagged scalar when serde_yaml reads it as a string (`Value::String`): not
/// null, a boolean or a number when plain.
pub fn untagged_string(node: &Node) -> Option<&str> {
    match (&node.kind, &node.tag) {
        (Kind::Scalar(v, style), None) => match resolve_scalar(v, *style, None, false) {
            Resolved::Str(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// Is this an untagged scalar serde_yaml reads as null (`~`, `null`, empty)?
pub fn untagged_null(node: &Node) -> bool {
    match (&node.kind, &node.tag) {
        (Kind::Scalar(v, style), None) => {
            matches!(resolve_scalar(v, *style, None, false), Resolved::Unit)
        }
        (Kind::Void, _) => true,
        _ => false,
    }
}

/// serde_yaml's `visit_scalar`, as data.
fn resolve_scalar<'s>(
    v: &'s str,
    style: Style,
    tag: Option<&str>,
    tagged_already: bool,
) -> Resolved<'s> {
    match (tag, tagged_already) {
        (Some(tag), false) => {
            if tag == TAG_BOOL {
                return parse_bool(v).map_or(Resolved::Invalid(v, "a boolean"), Resolved::Bool);
            } else if tag == TAG_INT {
                return resolve_int(v).unwrap_or(Resolved::Invalid(v, "an integer"));
            } else if tag == TAG_FLOAT {
                return parse_f64(v).map_or(Resolved::Invalid(v, "a float"), Resolved::F64);
            } else if tag == TAG_NULL {
                return if parse_null(v) {
                    Resolved::Unit
                } else {
                    Resolved::Invalid(v, "null")
                };
            } else if tag.starts_with('!') && style == Style::Plain {
                return resolve_untagged(v);
            }
        }
        _ if style == Style::Plain => return resolve_untagged(v),
        _ => {}
    }
    Resolved::Str(v)
}

fn visit_resolved<'de, V: Visitor<'de>>(visitor: V, r: Resolved<'_>) -> Result<V::Value> {
    match r {
        Resolved::Unit => visitor.visit_unit(),
        Resolved::Bool(b) => visitor.visit_bool(b),
        Resolved::U64(n) => visitor.visit_u64(n),
        Resolved::I64(n) => visitor.visit_i64(n),
        Resolved::U128(n) => visitor.visit_u128(n),
        Resolved::I128(n) => visitor.visit_i128(n),
        Resolved::F64(f) => visitor.visit_f64(f),
        Resolved::Str(s) => visitor.visit_str(s),
        Resolved::Invalid(v, expected) => {
            Err(de::Error::invalid_value(Unexpected::Str(v), &expected))
        }
    }
}

/// serde_yaml's `parse_tag`: a local tag (`!foo`) names an enum variant.
fn enum_tag(node: &Node, tagged_already: bool) -> Option<&str> {
    if tagged_already {
        return None;
    }
    let tag = node.tag.as_deref()?;
    let rest = tag.strip_prefix('!')?;
    Some(if rest.is_empty() { tag } else { rest })
}

/// serde_yaml's `invalid_type` for a node that a visitor cannot take.
fn invalid_type(node: &Node, exp: &dyn Expected) -> Error {
    enum Void {}
    struct InvalidType<'a>(&'a dyn Expected);
    impl Visitor<'_> for InvalidType<'_> {
        type Value = Void;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.fmt(f)
        }
    }
    match &node.kind {
        Kind::Scalar(v, style) => {
            match visit_resolved(
                InvalidType(exp),
                resolve_scalar(v, *style, node.tag.as_deref(), false),
            ) {
                Ok(void) => match void {},
                Err(e) => e,
            }
        }
        Kind::Seq(_) => de::Error::invalid_type(Unexpected::Seq, exp),
        Kind::Map(_) => de::Error::invalid_type(Unexpected::Map, exp),
        Kind::Void | Kind::Alias(_) => Error::fixed("EOF while parsing a value", None),
    }
}

/// Whether a typed read (`bool`, integers, floats) may parse this scalar: plain, or a literal
/// block carrying the expected tag.
fn typed_scalar<'n>(node: &'n Node, tag: &str, tagged_already: bool) -> Option<&'n str> {
    match &node.kind {
        Kind::Scalar(v, Style::Plain) => Some(v),
        Kind::Scalar(v, Style::Literal) if !tagged_already && node.tag.as_deref() == Some(tag) => {
            Some(v)
        }
        _ => None,
    }
}

impl<'t> De<'_, 't> {
    /// The node to read (an alias's target).
    fn target(&self) -> &'t Node {
        self.st.node(self.st.resolve(self.node))
    }

    /// An error raised while reading this node takes its position (unless it has one).
    fn place(&self, e: Error) -> Error {
        self.st.place(e, self.target().mark)
    }

    /// The visitor cannot take this node.
    fn invalid(&self, exp: &dyn Expected) -> Error {
        self.place(invalid_type(self.target(), exp))
    }

    /// A number or boolean read: the scalar text if the node may be parsed as `tag`.
    fn typed_text(&self, tag: &str) -> Option<&'t str> {
        typed_scalar(self.target(), tag, self.tagged)
    }

    /// A sequence or mapping read: `Some(true)` for the collection, `Some(false)` for an empty
    /// document or empty plain scalar (read as an empty collection), `None` otherwise.
    fn collection(&self, seq: bool) -> Option<bool> {
        match &self.target().kind {
            Kind::Seq(_) => seq.then_some(true),
            Kind::Map(_) => (!seq).then_some(true),
            Kind::Void => Some(false),
            Kind::Scalar(v, Style::Plain) if v.is_empty() => Some(false),
            _ => None,
        }
    }

    fn visit_items<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let node = self.target();
        let items: &[u32] = match &node.kind {
            Kind::Seq(items) => items,
            _ => &[],
        };
        let st = self.st;
        st.enter(node.mark)?;
        let mut access = SeqAccess {
            st: &mut *st,
            items,
            next: 0,
        };
        let r = visitor.visit_seq(&mut access);
        let len = access.next;
        st.remaining_depth += 1;
        let r = r.and_then(|v| check_len(len, items.len(), true).map(|()| v));
        r.map_err(|e| st.place(e, node.mark))
    }

    fn visit_entries<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let node = self.target();
        let entries: &[(u32, u32)] = match &node.kind {
            Kind::Map(entries) => entries,
            _ => &[],
        };
        let st = self.st;
        st.enter(node.mark)?;
        let mut access = MapAccess {
            st: &mut *st,
            entries,
            next: 0,
        };
        let r = visitor.visit_map(&mut access);
        let len = access.next;
        st.remaining_depth += 1;
        let r = r.and_then(|v| check_len(len, entries.len(), false).map(|()| v));
        r.map_err(|e| st.place(e, node.mark))
    }
}

/// serde_yaml's `end_sequence`/`end_mapping`: a visitor that stops early is an invalid length.
fn check_len(len: usize, total: usize, seq: bool) -> Result<()> {
    if len == total {
        return Ok(());
    }
    struct Exp(usize, bool);
    impl Expected for Exp {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match (self.1, self.0) {
                (true, 1) => f.write_str("sequence of 1 element"),
                (true, n) => write!(f, "sequence of {n} elements"),
                (false, 1) => f.write_str("map containing 1 entry"),
                (false, n) => write!(f, "map containing {n} entries"),
            }
        }
    }
    Err(de::Error::invalid_length(total, &Exp(len, seq)))
}

struct SeqAccess<'a, 't> {
    st: &'a mut State<'t>,
    items: &'t [u32],
    next: usize,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        let Some(&item) = self.items.get(self.next) else {
            return Ok(None);
        };
        self.st.path.push(Step::Index(self.next));
        self.next += 1;
        let r = seed.deserialize(De {
            st: &mut *self.st,
            node: item,
            tagged: false,
            key: false,
        });
        self.st.path.pop();
        r.map(Some)
    }
}

struct MapAccess<'a, 't> {
    st: &'a mut State<'t>,
    entries: &'t [(u32, u32)],
    next: usize,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some(&(key, _)) = self.entries.get(self.next) else {
            return Ok(None);
        };
        seed.deserialize(De {
            st: &mut *self.st,
            node: key,
            tagged: false,
            key: true,
        })
        .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let (key, value) = self.entries[self.next];
        self.next += 1;
        self.st.path.push(Step::Key(key));
        let r = seed.deserialize(De {
            st: &mut *self.st,
            node: value,
            tagged: false,
            key: false,
        });
        self.st.path.pop();
        r
    }
}

struct EnumAccess<'a, 't> {
    de: De<'a, 't>,
    tag: &'t str,
}

impl<'de, 'a, 't> de::EnumAccess<'de> for EnumAccess<'a, 't> {
    type Error = Error;
    type Variant = De<'a, 't>;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, De<'a, 't>)> {
        let variant = seed.deserialize(de::value::StrDeserializer::<Error>::new(self.tag))?;
        let mut de = self.de;
        de.tagged = true;
        Ok((variant, de))
    }
}

impl<'de> de::VariantAccess<'de> for De<'_, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<()> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}

/// The number and boolean reads: parse the scalar, or the node is invalid for the visitor.
macro_rules! scalar_read {
    ($self:ident, $visitor:ident, $tag:expr, $parse:expr, $visit:ident) => {{
        match $self.typed_text($tag).and_then($parse) {
            Some(v) => $visitor.$visit(v).map_err(|e| $self.place(e)),
            None => Err($self.invalid(&$visitor)),
        }
    }};
}

impl<'de> de::Deserializer<'de> for De<'_, '_> {
    type Error = Error;

    /// Used by IntOrString and Quantity: the node as serde_yaml resolves it.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let node = self.target();
        if let Some(tag) = enum_tag(node, self.tagged) {
            let de = De {
                st: &mut *self.st,
                node: self.node,
                tagged: false,
                key: self.key,
            };
            return visitor
                .visit_enum(EnumAccess { de, tag })
                .map_err(|e| self.place(e));
        }
        match &node.kind {
            Kind::Scalar(v, style) => {
                let r = resolve_scalar(v, *style, node.tag.as_deref(), self.tagged);
                visit_resolved(visitor, r).map_err(|e| self.place(e))
            }
            Kind::Seq(_) => self.visit_items(visitor),
            Kind::Map(_) => self.visit_entries(visitor),
            Kind::Void | Kind::Alias(_) => visitor.visit_none(),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        scalar_read!(self, visitor, TAG_BOOL, parse_bool, visit_bool)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let parse = |t| signed_int(t, 64).map(|n| n as i64);
        scalar_read!(self, visitor, TAG_INT, parse, visit_i64)
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let parse = |t| signed_int(t, 128);
        scalar_read!(self, visitor, TAG_INT, parse, visit_i128)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let parse = |t| unsigned_int(t, 64).map(|n| n as u64);
        scalar_read!(self, visitor, TAG_INT, parse, visit_u64)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let parse = |t| unsigned_int(t, 128);
        scalar_read!(self, visitor, TAG_INT, parse, visit_u128)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        scalar_read!(self, visitor, TAG_FLOAT, parse_f64, visit_f64)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match &self.target().kind {
            Kind::Scalar(v, _) => visitor.visit_str(v).map_err(|e| self.place(e)),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        Err(Error::fixed(
            "serialization and deserialization of bytes in YAML is not implemented",
            None,
        ))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let node = self.target();
        let is_some = match &node.kind {
            Kind::Scalar(_, style) if *style != Style::Plain => true,
            Kind::Scalar(v, _) => match (node.tag.as_deref(), self.tagged) {
                (Some(TAG_NULL), false) if parse_null(v) => false,
                (Some(TAG_NULL), false) => {
                    return Err(de::Error::invalid_value(Unexpected::Str(v), &"null"))
                }
                (Some(_), false) => true,
                _ => !v.is_empty() && !parse_null(v),
            },
            Kind::Seq(_) | Kind::Map(_) => true,
            Kind::Void | Kind::Alias(_) => false,
        };
        if is_some {
            visitor.visit_some(self)
        } else {
            visitor.visit_none()
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let node = self.target();
        match &node.kind {
            Kind::Scalar(v, style) => {
                let is_null = if *style != Style::Plain {
                    false
                } else if let (Some(tag), false) = (node.tag.as_deref(), self.tagged) {
                    tag == TAG_NULL && parse_null(v)
                } else {
                    v.is_empty() || parse_null(v)
                };
                if is_null {
                    visitor.visit_unit().map_err(|e| self.place(e))
                } else {
                    Err(self.place(de::Error::invalid_value(Unexpected::Str(v), &"null")))
                }
            }
            Kind::Void => visitor.visit_unit(),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        let De {
            st,
            node,
            tagged,
            key,
        } = self;
        st.enter(st.node(node).mark)?;
        let r = visitor.visit_newtype_struct(De {
            st: &mut *st,
            node,
            tagged,
            key,
        });
        st.remaining_depth += 1;
        r
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.collection(true) {
            Some(_) => self.visit_items(visitor),
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.collection(false) {
            Some(_) => self.visit_entries(visitor),
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_map(visitor)
    }

    /// A tagged value (`!Variant value`) is a variant; a scalar names a unit variant. (No
    /// Kubernetes type reads an enum; this keeps serde_yaml's notation.)
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let node = self.target();
        if let Some(tag) = enum_tag(node, self.tagged) {
            let de = De {
                st: &mut *self.st,
                node: self.node,
                tagged: false,
                key: self.key,
            };
            return visitor
                .visit_enum(EnumAccess { de, tag })
                .map_err(|e| self.place(e));
        }
        match &node.kind {
            Kind::Scalar(v, _) => {
                let unit = de::value::StrDeserializer::<Error>::new(v);
                visitor.visit_enum(unit).map_err(|e| self.place(e))
            }
            _ => Err(self.place(de::Error::invalid_type(
                Unexpected::Map,
                &"a YAML tag starting with '!'",
            ))),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if !self.key {
            self.st.record_ignored();
        }
        visitor.visit_unit()
    }
}
