//! A small, strict JSON (RFC 8259) reader and writer for JWS headers, JWT claims, bundle documents
//! and the adapters' answers — all the JSON svidkit touches.
//!
//! Why not serde_json: the core only ever needs a document tree, and serde's generic machinery plus
//! float parsing and printing were a tenth of the .wasm. This module keeps serde_json's observable
//! behaviour where the verdicts depend on it, so every verdict stays what it was:
//!
//! - The same grammar: UTF-8 text, whitespace ` \t\n\r` only, no trailing commas, no leading zeros,
//!   no comments, nothing after the value. Escapes `\" \\ \/ \b \f \n \r \t \uXXXX`; a `\u` UTF-16
//!   surrogate must be a well-formed pair (a lone surrogate is an error).
//! - Nesting deeper than [`MAX_DEPTH`] arrays/objects is an error (`recursion limit exceeded`).
//! - A number beyond `f64` range (`1e400`) is an error (`number out of range`), decided exactly as
//!   serde_json decided it; tiny ones (`1e-400`) are fine. No float is parsed otherwise.
//! - Objects keep their members sorted by key, and a key given twice keeps its last value
//!   ([`Value::parse_unique`], used for JWS headers and claims, refuses it instead).
//! - Error messages read `<reason> at line <l> column <c>`, with serde_json's reasons and positions.
//!
//! Numbers are kept as their source text ([`Number`]): nothing is lost by a parse/write round
//! trip, and no float code is linked in. `-0`, fractions, exponents and integers beyond 64 bits
//! are not integers ([`Number::is_integer`]), as in serde_json.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::ops::Index;

/// The deepest nesting of arrays and objects accepted; one level more is an error. (serde_json's
/// limit: verdicts on deeply nested input stay what they were.)
pub const MAX_DEPTH: usize = 127;

/// A JSON value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Value {
    /// `null`
    #[default]
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, kept as its source text.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Object),
}

/// A JSON number, kept exactly as written (or as an integer was printed).
///
/// Two numbers are equal when their text is: `1`, `1.0` and `1e0` differ.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Number(String);

/// A JSON object: members sorted by key, each key once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Object(Vec<(String, Value)>);

static NULL: Value = Value::Null;

impl Value {
    /// Parses a complete JSON document (see the module documentation for the rules).
    pub fn parse(text: &[u8]) -> Result<Value, ParseError> {
        Self::parse_with(text, false)
    }

    /// [`Value::parse`], but a member name given twice in any object is an error
    /// (`duplicate member`) instead of keeping the last value: for JOSE, where RFC 7515 §5.2 lets
    /// a reader do either, and go-jose (so go-spiffe) rejects — one text must not name two
    /// algorithms or two identities depending on the reader.
    pub fn parse_unique(text: &[u8]) -> Result<Value, ParseError> {
        Self::parse_with(text, true)
    }

    fn parse_with(text: &[u8], unique: bool) -> Result<Value, ParseError> {
        let mut p = Parser {
            text,
            at: 0,
            depth: 0,
            unique,
        };
        let value = p.value()?;
        match p.whitespace() {
            None => Ok(value),
            Some(_) => Err(p.peek_error(TRAILING_CHARACTERS)),
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    /// Whether this is a string.
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }
    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    /// The number, if this is one.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }
    /// The number as an `i64`, if it is an integer in range ([`Number::as_i64`]).
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }
    /// The number as a `u64`, if it is a non-negative integer in range ([`Number::as_u64`]).
    pub fn as_u64(&self) -> Option<u64> {
        self.as_number().and_then(Number::as_u64)
    }
    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }
    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }
    /// The member `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|o| o.get(key))
    }

    /// The value as compact JSON text (no insignificant whitespace; numbers as kept).
    pub fn to_json(&self) -> String {
        let mut out = JsonText::default();
        self.write_text(&mut out);
        out.into_string()
    }

    /// Appends the value as compact JSON text to `out`.
    pub fn write(&self, out: &mut String) {
        // Written apart and appended, so only the new text is checked as UTF-8.
        out.push_str(&self.to_json());
    }

    pub(crate) fn write_text(&self, out: &mut JsonText) {
        match self {
            Value::Null => out.str("null"),
            Value::Bool(true) => out.str("true"),
            Value::Bool(false) => out.str("false"),
            Value::Number(n) => out.str(&n.0),
            Value::String(s) => write_string(s, out),
            Value::Array(items) => {
                out.ascii(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.ascii(b',');
                    }
                    item.write_text(out);
                }
                out.ascii(b']');
            }
            Value::Object(o) => o.write_text(out),
        }
    }
}

/// Compact JSON, as [`Value::to_json`].
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

/// `value["key"]`: the member, or `null` when this is not an object or has no such member.
impl Index<&str> for Value {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

/// `value[i]`: the element, or `null` when this is not an array or is shorter.
impl Index<usize> for Value {
    type Output = Value;
    fn index(&self, i: usize) -> &Value {
        self.as_array().and_then(|a| a.get(i)).unwrap_or(&NULL)
    }
}

impl Number {
    /// The number's text, e.g. `1767225600`, `-1.5e3`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the number is an integer that fits an `i64` or a `u64`. Fractions and exponents
    /// (`1.0`, `1e3`), `-0` and integers beyond 64 bits are not: serde_json reads those as floats,
    /// and the rules built on this (JWT NumericDates, bundle sequence numbers) refuse them.
    pub fn is_integer(&self) -> bool {
        self.as_i64().is_some() || self.as_u64().is_some()
    }

    /// Sign and magnitude of an integer without fraction or exponent whose magnitude fits a u64.
    fn integer(&self) -> Option<(bool, u64)> {
        let (negative, digits) = match self.0.as_bytes() {
            [b'-', digits @ ..] => (true, digits),
            digits => (false, digits),
        };
        if negative && digits == b"0" {
            return None; // -0 is the float negative zero
        }
        let mut n: u64 = 0;
        for &d in digits {
            if !d.is_ascii_digit() {
                return None;
            }
            n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
        }
        Some((negative, n))
    }

    /// The value, if the number is an integer ([`Number::is_integer`]) that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self.integer()? {
            (false, n) => i64::try_from(n).ok(),
            (true, n) => 0i64.checked_sub_unsigned(n),
        }
    }

    /// The value, if the number is a non-negative integer that fits a `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        match self.integer()? {
            (false, n) => Some(n),
            (true, _) => None,
        }
    }

    /// The value as the nearest `f64` (within a rounding error of `f64::MAX`, infinity).
    pub fn as_f64(&self) -> Option<f64> {
        self.0.parse().ok()
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<i64> for Number {
    fn from(n: i64) -> Self {
        Number(decimal(n < 0, n.unsigned_abs()))
    }
}

impl From<u64> for Number {
    fn from(n: u64) -> Self {
        Number(decimal(false, n))
    }
}

/// `n` in decimal, after a `-` if `negative`. Every verify answer writes its times as numbers;
/// this keeps `core::fmt`'s integer formatting off that path.
fn decimal(negative: bool, n: u64) -> String {
    let mut out = JsonText::with_capacity(21);
    write_decimal(negative, n, &mut out);
    out.into_string()
}

fn write_decimal(negative: bool, mut n: u64, out: &mut JsonText) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if negative {
        out.ascii(b'-');
    }
    out.0.extend_from_slice(&digits[at..]);
}

/// Writes an object member by member straight into `out`, for answers made of borrowed data: a
/// verify answer built as an [`Object`] first cost one allocation per key and value (≈ 25 for a
/// JWT-SVID's answer). Keys are literals that need no escaping and must come in
/// the order an [`Object`] would write them (sorted), so both give the same text.
#[cfg_attr(not(feature = "js"), allow(dead_code))]
pub(crate) struct ObjectWriter<'a> {
    out: &'a mut JsonText,
    last: Option<&'static str>,
}

#[cfg_attr(not(feature = "js"), allow(dead_code))]
impl<'a> ObjectWriter<'a> {
    pub(crate) fn new(out: &'a mut JsonText) -> Self {
        out.ascii(b'{');
        ObjectWriter { out, last: None }
    }

    fn key(&mut self, key: &'static str) -> &mut JsonText {
        debug_assert!(
            self.last.is_none_or(|last| last < key),
            "{key} out of order"
        );
        debug_assert!(!key.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'));
        if self.last.is_some() {
            self.out.ascii(b',');
        }
        self.last = Some(key);
        self.out.ascii(b'"');
        self.out.str(key);
        self.out.str("\":");
        self.out
    }

    pub(crate) fn string(&mut self, key: &'static str, value: &str) -> &mut Self {
        write_string(value, self.key(key));
        self
    }

    pub(crate) fn integer(&mut self, key: &'static str, value: i64) -> &mut Self {
        write_decimal(value < 0, value.unsigned_abs(), self.key(key));
        self
    }

    pub(crate) fn strings(&mut self, key: &'static str, values: &[String]) -> &mut Self {
        let out = self.key(key);
        out.ascii(b'[');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                out.ascii(b',');
            }
            write_string(v, out);
        }
        out.ascii(b']');
        self
    }

    pub(crate) fn object(&mut self, key: &'static str, value: &Object) -> &mut Self {
        value.write_text(self.key(key));
        self
    }

    /// Closes the object.
    pub(crate) fn end(&mut self) {
        self.out.ascii(b'}');
    }
}

/// Objects up to this many members (every JWS header and almost every claim set) are sorted in
/// place, without the index vectors the general case needs (two allocations per object).
const SHORT_OBJECT: usize = 16;

impl Object {
    /// An empty object.
    pub fn new() -> Self {
        Object(Vec::new())
    }

    /// An object of `members`; a key given twice keeps its last value, as in a parsed document.
    fn from_members(mut members: Vec<(String, Value)>) -> Self {
        if members.len() <= SHORT_OBJECT {
            // In place: stable, so a repeated key's members stay in document order and the
            // last one is kept.
            crate::sort::insertion_sort(&mut members, |a, b| a.0 < b.0);
            members.dedup_by(|later, kept| {
                let repeated = later.0 == kept.0;
                if repeated {
                    core::mem::swap(later, kept);
                }
                repeated
            });
            return Object(members);
        }
        // Positions sorted by (key, position), so the last of a repeated key sorts last.
        let mut order: Vec<usize> = (0..members.len()).collect();
        crate::sort::heap_sort(&mut order, |&a, &b| {
            (members[a].0.as_str(), a) < (members[b].0.as_str(), b)
        });
        let last: Vec<usize> = order
            .iter()
            .enumerate()
            .filter(|&(n, &i)| {
                order
                    .get(n + 1)
                    .is_none_or(|&next| members[next].0 != members[i].0)
            })
            .map(|(_, &i)| i)
            .collect();
        Object(
            last.into_iter()
                .map(|i| core::mem::take(&mut members[i]))
                .collect(),
        )
    }

    /// How many members.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// The value of member `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }
    /// Whether there is a member `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Sets member `key`, returning its previous value.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) -> Option<Value> {
        self.insert_value(key.into(), value.into())
    }

    fn insert_value(&mut self, key: String, value: Value) -> Option<Value> {
        match self.find(&key) {
            Ok(i) => Some(core::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    /// Sets member `key` and returns the object, for building: `Object::new().with("a", 1)`.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.insert_value(key.into(), value.into());
        self
    }

    /// Removes member `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.find(key).ok().map(|i| self.0.remove(i).1)
    }

    /// The members, sorted by key.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.0.iter())
    }
    /// The keys, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    /// The object as compact JSON text.
    pub fn to_json(&self) -> String {
        let mut out = JsonText::default();
        self.write_text(&mut out);
        out.into_string()
    }

    /// Appends the object as compact JSON text to `out`.
    pub fn write(&self, out: &mut String) {
        // Written apart and appended, so only the new text is checked as UTF-8.
        out.push_str(&self.to_json());
    }

    pub(crate) fn write_text(&self, out: &mut JsonText) {
        out.ascii(b'{');
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                out.ascii(b',');
            }
            write_string(k, out);
            out.ascii(b':');
            v.write_text(out);
        }
        out.ascii(b'}');
    }
}

impl fmt::Display for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

/// `object["key"]`: the member, or `null` when there is none.
impl Index<&str> for Object {
    type Output = Value;
    fn index(&self, key: &str) -> &Value {
        self.get(key).unwrap_or(&NULL)
    }
}

/// The members of an [`Object`], sorted by key.
#[derive(Clone, Debug)]
pub struct Iter<'a>(core::slice::Iter<'a, (String, Value)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a Value);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k.as_str(), v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k.as_str(), v))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Object {
    type Item = (&'a str, &'a Value);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// Collects members; a key given twice keeps its last value.
impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Object {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Object::from_members(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl From<Object> for Value {
    fn from(o: Object) -> Self {
        Value::Object(o)
    }
}
impl From<Number> for Value {
    fn from(n: Number) -> Self {
        Value::Number(n)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.into())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}
impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::String(s.clone())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    /// `None` is `null`.
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Self {
        Value::Array(items.into_iter().map(Into::into).collect())
    }
}
impl<T: Into<Value> + Clone> From<&[T]> for Value {
    fn from(items: &[T]) -> Self {
        Value::Array(items.iter().cloned().map(Into::into).collect())
    }
}
impl<T: Into<Value> + Clone> From<&Vec<T>> for Value {
    fn from(items: &Vec<T>) -> Self {
        items.as_slice().into()
    }
}

macro_rules! from_integer {
    ($via:ty: $($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Self {
                Value::Number(Number::from(n as $via))
            }
        }
    )*};
}
from_integer!(u64: u8, u16, u32, u64, usize);
from_integer!(i64: i8, i16, i32, i64, isize);

/// An object from `"key": value` pairs, values converted with `Into<Value>`.
macro_rules! object {
    ($($key:literal : $value:expr),* $(,)?) => {{
        let mut o = $crate::json::Object::new();
        $(o.insert($key, $value);)*
        o
    }};
}
pub(crate) use object;

fn write_string(s: &str, out: &mut JsonText) {
    out.ascii(b'"');
    let mut plain = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0x08 => b'b',
            0x0c => b'f',
            0..=0x1f => b'u',
            _ => continue,
        };
        out.str(&s[plain..i]);
        plain = i + 1;
        out.ascii(b'\\');
        out.ascii(short);
        if short == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.str("00");
            out.ascii(HEX[usize::from(b >> 4)]);
            out.ascii(HEX[usize::from(b & 15)]);
        }
    }
    out.str(&s[plain..]);
    out.ascii(b'"');
}

/// JSON text being written, as bytes: punctuation is a `Vec::push`, where `String::push` encodes
/// a char each time (a tenth of a JWT-SVID check's own time in wasm, measured). Only whole `str`s
/// and ASCII bytes go in, so the bytes are always UTF-8.
#[derive(Default)]
pub(crate) struct JsonText(Vec<u8>);

impl JsonText {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        JsonText(Vec::with_capacity(capacity))
    }

    #[inline]
    pub(crate) fn ascii(&mut self, byte: u8) {
        debug_assert!(byte.is_ascii());
        self.0.push(byte);
    }

    #[inline]
    pub(crate) fn str(&mut self, s: &str) {
        self.0.extend_from_slice(s.as_bytes());
    }

    pub(crate) fn into_string(self) -> String {
        // Never lossy: only str and ASCII went in (the check is one fast pass).
        String::from_utf8(self.0).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into())
    }
}

/// Why a document is not JSON, and where: `reason at line L column C` (line 1-based; column the
/// byte offset in the line, so the offending byte's 1-based column, or the line's length at EOF).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    reason: &'static str,
    line: usize,
    column: usize,
}

impl ParseError {
    /// What is wrong, e.g. `trailing comma`.
    pub fn reason(&self) -> &'static str {
        self.reason
    }
    /// The line, from 1.
    pub fn line(&self) -> usize {
        self.line
    }
    /// The column, as described on [`ParseError`].
    pub fn column(&self) -> usize {
        self.column
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.reason, self.line, self.column
        )
    }
}

impl core::error::Error for ParseError {}

const EOF_LIST: &str = "EOF while parsing a list";
const EOF_OBJECT: &str = "EOF while parsing an object";
const EOF_STRING: &str = "EOF while parsing a string";
const EOF_VALUE: &str = "EOF while parsing a value";
const EXPECTED_COLON: &str = "expected `:`";
const EXPECTED_LIST_COMMA: &str = "expected `,` or `]`";
const EXPECTED_OBJECT_COMMA: &str = "expected `,` or `}`";
const EXPECTED_IDENT: &str = "expected ident";
const EXPECTED_VALUE: &str = "expected value";
const INVALID_ESCAPE: &str = "invalid escape";
const INVALID_NUMBER: &str = "invalid number";
const OUT_OF_RANGE: &str = "number out of range";
const INVALID_CODE_POINT: &str = "invalid unicode code point";
const CONTROL_CHARACTER: &str = "control character (\\u0000-\\u001F) found while parsing a string";
const KEY_NOT_STRING: &str = "key must be a string";
const LONE_SURROGATE: &str = "lone leading surrogate in hex escape";
const TRAILING_COMMA: &str = "trailing comma";
const TRAILING_CHARACTERS: &str = "trailing characters";
const END_OF_HEX_ESCAPE: &str = "unexpected end of hex escape";
const RECURSION_LIMIT: &str = "recursion limit exceeded";
const DUPLICATE_MEMBER: &str = "duplicate member";

/// 1e289 ..= 1e308: serde_json's powers of ten for a significand next to `f64::MAX`.
const POW10_EDGE: [f64; 20] = [
    1e289, 1e290, 1e291, 1e292, 1e293, 1e294, 1e295, 1e296, 1e297, 1e298, 1e299, 1e300, 1e301,
    1e302, 1e303, 1e304, 1e305, 1e306, 1e307, 1e308,
];

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
    depth: usize,
    /// Whether a repeated member name is an error.
    unique: bool,
}

impl Parser<'_> {
    /// An error at byte offset `at` (serde_json's line/column arithmetic, so messages match).
    fn error_at(&self, reason: &'static str, at: usize) -> ParseError {
        let before = &self.text[..at];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        ParseError {
            reason,
            line: 1 + before[..line_start].iter().filter(|&&b| b == b'\n').count(),
            column: at - line_start,
        }
    }
    /// An error about the byte just consumed (or EOF).
    fn error(&self, reason: &'static str) -> ParseError {
        self.error_at(reason, self.at)
    }
    /// An error about the byte not yet consumed.
    fn peek_error(&self, reason: &'static str) -> ParseError {
        self.error_at(reason, (self.at + 1).min(self.text.len()))
    }

    // The parser's innermost steps: inlined even at the release profile's opt-level "z", where
    // the calls cost more than the work (~10 % of a JWT-SVID check in Node; a few hundred bytes).
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }
    #[inline(always)]
    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }
    /// Skips whitespace; the next byte, not consumed.
    #[inline(always)]
    fn whitespace(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
        self.peek()
    }

    fn value(&mut self) -> Result<Value, ParseError> {
        let Some(b) = self.whitespace() else {
            return Err(self.peek_error(EOF_VALUE));
        };
        Ok(match b {
            b'n' => self.ident(b"null", Value::Null)?,
            b't' => self.ident(b"true", Value::Bool(true))?,
            b'f' => self.ident(b"false", Value::Bool(false))?,
            b'-' | b'0'..=b'9' => Value::Number(self.number()?),
            b'"' => {
                self.at += 1;
                Value::String(self.string()?)
            }
            b'[' => {
                self.enter()?;
                let mut items = Vec::new();
                loop {
                    match self.whitespace() {
                        None => return Err(self.peek_error(EOF_LIST)),
                        Some(b']') => break,
                        Some(_) if items.is_empty() => {}
                        Some(b',') => {
                            self.at += 1;
                            match self.whitespace() {
                                Some(b']') => return Err(self.peek_error(TRAILING_COMMA)),
                                Some(_) => {}
                                None => return Err(self.peek_error(EOF_VALUE)),
                            }
                        }
                        Some(_) => return Err(self.peek_error(EXPECTED_LIST_COMMA)),
                    }
                    items.push(self.value()?);
                }
                self.leave();
                Value::Array(items)
            }
            b'{' => {
                self.enter()?;
                let mut members = Vec::new();
                loop {
                    match self.whitespace() {
                        None => return Err(self.peek_error(EOF_OBJECT)),
                        Some(b'}') => break,
                        Some(b'"') if members.is_empty() => {}
                        Some(_) if members.is_empty() => {
                            return Err(self.peek_error(KEY_NOT_STRING))
                        }
                        Some(b',') => {
                            self.at += 1;
                            match self.whitespace() {
                                Some(b'"') => {}
                                Some(b'}') => return Err(self.peek_error(TRAILING_COMMA)),
                                Some(_) => return Err(self.peek_error(KEY_NOT_STRING)),
                                None => return Err(self.peek_error(EOF_VALUE)),
                            }
                        }
                        Some(_) => return Err(self.peek_error(EXPECTED_OBJECT_COMMA)),
                    }
                    self.at += 1;
                    let key = self.string()?;
                    match self.whitespace() {
                        Some(b':') => self.at += 1,
                        Some(_) => return Err(self.peek_error(EXPECTED_COLON)),
                        None => return Err(self.peek_error(EOF_OBJECT)),
                    }
                    members.push((key, self.value()?));
                }
                self.leave();
                let given = members.len();
                let object = Object::from_members(members);
                if self.unique && object.0.len() != given {
                    // At the object's closing brace, as serde_json places errors found there.
                    return Err(self.error_at(DUPLICATE_MEMBER, self.at));
                }
                Value::Object(object)
            }
            _ => return Err(self.peek_error(EXPECTED_VALUE)),
        })
    }

    /// Consumes the opening bracket of an array or object, within the depth limit.
    fn enter(&mut self) -> Result<(), ParseError> {
        if self.depth == MAX_DEPTH {
            return Err(self.peek_error(RECURSION_LIMIT));
        }
        self.depth += 1;
        self.at += 1;
        Ok(())
    }
    /// Consumes the closing bracket.
    fn leave(&mut self) {
        self.depth -= 1;
        self.at += 1;
    }

    fn ident(&mut self, word: &[u8], value: Value) -> Result<Value, ParseError> {
        self.at += 1;
        for &expected in &word[1..] {
            match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(b) if b != expected => return Err(self.error(EXPECTED_IDENT)),
                Some(_) => {}
            }
        }
        Ok(value)
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
    }

    fn number(&mut self) -> Result<Number, ParseError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let int_start = self.at;
        match self.next() {
            None => return Err(self.error(EOF_VALUE)),
            Some(b'0') => {
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.peek_error(INVALID_NUMBER));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            Some(_) => return Err(self.error(INVALID_NUMBER)),
        }
        let int = &self.text[int_start..self.at];
        let mut fraction: &[u8] = &[];
        if self.peek() == Some(b'.') {
            self.at += 1;
            let from = self.at;
            self.digits();
            if self.at == from {
                return Err(match self.peek() {
                    Some(_) => self.peek_error(INVALID_NUMBER),
                    None => self.peek_error(EOF_VALUE),
                });
            }
            fraction = &self.text[from..self.at];
        }
        let zero = int.iter().chain(fraction).all(|&d| d == b'0');
        let mut exponent: i64 = 0;
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            let negative = match self.peek() {
                Some(b'-') => {
                    self.at += 1;
                    true
                }
                Some(b'+') => {
                    self.at += 1;
                    false
                }
                _ => false,
            };
            match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(b'0'..=b'9') => {}
                Some(_) => return Err(self.error(INVALID_NUMBER)),
            }
            self.at -= 1;
            while let Some(d @ b'0'..=b'9') = self.peek() {
                self.at += 1;
                exponent = exponent * 10 + i64::from(d - b'0');
                if exponent > i64::from(i32::MAX) {
                    // Far beyond any f64 either way; serde_json reports it at this digit.
                    if !negative && !zero {
                        return Err(self.error(OUT_OF_RANGE));
                    }
                    self.digits();
                }
            }
            if negative {
                exponent = -exponent;
            }
        }
        if !zero && out_of_range(int, fraction, exponent) {
            return Err(self.error(OUT_OF_RANGE));
        }
        // The bytes are ASCII digits, signs, '.' and 'e'.
        let text = core::str::from_utf8(&self.text[start..self.at]).unwrap_or_default();
        Ok(Number(text.into()))
    }

    /// The string after its opening quote, through the closing one.
    fn string(&mut self) -> Result<String, ParseError> {
        let mut bytes = Vec::new();
        let mut plain = self.at;
        loop {
            let Some(b) = self.peek() else {
                return Err(self.error(EOF_STRING));
            };
            match b {
                b'"' => {
                    bytes.extend_from_slice(&self.text[plain..self.at]);
                    self.at += 1;
                    // UTF-8 is checked once the string is complete, as serde_json does, so the
                    // same error wins when a string has several faults.
                    return String::from_utf8(bytes).map_err(|e| {
                        let bad = e.as_bytes().len() - e.utf8_error().valid_up_to();
                        let mut err = self.error(INVALID_CODE_POINT);
                        err.column = err.column.saturating_sub(bad);
                        err
                    });
                }
                b'\\' => {
                    bytes.extend_from_slice(&self.text[plain..self.at]);
                    self.at += 1;
                    self.escape(&mut bytes)?;
                    plain = self.at;
                }
                0..=0x1f => {
                    self.at += 1;
                    return Err(self.error(CONTROL_CHARACTER));
                }
                _ => self.at += 1,
            }
        }
    }

    /// An escape after its backslash.
    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), ParseError> {
        let Some(b) = self.next() else {
            return Err(self.error(EOF_STRING));
        };
        let byte = match b {
            b'"' | b'\\' | b'/' => b,
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let mut c = u32::from(self.hex4()?);
                if (0xdc00..=0xdfff).contains(&c) {
                    return Err(self.error(LONE_SURROGATE));
                }
                if (0xd800..=0xdbff).contains(&c) {
                    for expected in [b'\\', b'u'] {
                        match self.next() {
                            None => return Err(self.error(EOF_STRING)),
                            Some(b) if b != expected => return Err(self.error(END_OF_HEX_ESCAPE)),
                            Some(_) => {}
                        }
                    }
                    let low = u32::from(self.hex4()?);
                    if !(0xdc00..=0xdfff).contains(&low) {
                        return Err(self.error(LONE_SURROGATE));
                    }
                    c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
                }
                // Surrogates were excluded or combined above, so `c` is a scalar value.
                let c = char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER);
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                return Ok(());
            }
            _ => return Err(self.error(INVALID_ESCAPE)),
        };
        out.push(byte);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u16, ParseError> {
        let Some(digits) = self.text.get(self.at..self.at + 4) else {
            self.at = self.text.len();
            return Err(self.error(EOF_STRING));
        };
        self.at += 4;
        let mut n = 0u16;
        for &d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(self.error(INVALID_ESCAPE)),
            };
            n = n << 4 | u16::from(v);
        }
        Ok(n)
    }
}

/// Whether the non-zero number `int.fraction × 10^exponent` is beyond `f64` range, as
/// serde_json decided it: anything from 10^309 up is, anything under 10^308 is not, and in between
/// its approximate arithmetic decides (the longest prefix of the significant digits that fits a
/// `u64`, times a power of ten, in `f64`) — so even numbers within a rounding error of `f64::MAX`
/// get the verdict they always had.
fn out_of_range(int: &[u8], fraction: &[u8], exponent: i64) -> bool {
    // The decimal exponent of the first significant digit.
    let magnitude = if int != b"0" {
        int.len() as i64 - 1 + exponent
    } else {
        let zeros = fraction.iter().take_while(|&&d| d == b'0').count();
        exponent - zeros as i64 - 1
    };
    if magnitude != 308 {
        return magnitude > 308;
    }
    let (mut significand, mut len) = (0u64, 0usize);
    for &d in int.iter().chain(fraction).skip_while(|&&d| d == b'0') {
        match significand
            .checked_mul(10)
            .and_then(|s| s.checked_add(u64::from(d - b'0')))
        {
            Some(s) => (significand, len) = (s, len + 1),
            None => break,
        }
    }
    // 308 = len − 1 + the power of ten, and len is 1..=20.
    POW10_EDGE
        .get(20usize.saturating_sub(len))
        .is_some_and(|p| (significand as f64 * p).is_infinite())
}
