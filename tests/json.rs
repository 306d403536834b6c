//! svidkit's JSON module (src/json.rs) against the JSON reader it replaced: hand-written valid and
//! invalid documents in the manner of JSONTestSuite (`y_`: must parse, `n_`: must not), a
//! differential run against serde_json over generated documents and mutations of them and over
//! every JSON document in tests/vectors (the vector files, the bundle documents inside them and
//! the header and claims of their tokens), and parse → write → parse round trips. serde_json
//! and svidkit must agree on accepting, on the values and on the error message, position included.

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;
use serde_json::Value as Serde;
use svidkit::json::{Number, Object, Value, MAX_DEPTH};

/// Parses with both; asserts they agree on accept/reject, the value and the error message.
fn differential(doc: &[u8]) -> Option<Value> {
    let mine = Value::parse(doc);
    let theirs = serde_json::from_slice::<Serde>(doc);
    match (&mine, &theirs) {
        (Ok(m), Ok(t)) => assert!(
            same(m, t),
            "values differ for {:?}: {m:?} vs {t:?}",
            String::from_utf8_lossy(doc)
        ),
        (Err(m), Err(t)) => assert_eq!(
            m.to_string(),
            t.to_string(),
            "error messages differ for {:?}",
            String::from_utf8_lossy(doc)
        ),
        _ => panic!(
            "accept/reject differs for {:?}: svidkit {:?}, serde_json {:?}",
            String::from_utf8_lossy(doc),
            mine.as_ref().map(|_| ()),
            theirs.as_ref().map(|_| ())
        ),
    }
    mine.ok()
}

fn same(mine: &Value, theirs: &Serde) -> bool {
    match (mine, theirs) {
        (Value::Null, Serde::Null) => true,
        (Value::Bool(a), Serde::Bool(b)) => a == b,
        (Value::String(a), Serde::String(b)) => a == b,
        (Value::Number(n), Serde::Number(m)) => same_number(n, m),
        (Value::Array(a), Serde::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Value::Object(a), Serde::Object(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|((k, v), (l, w))| k == l && same(v, w))
        }
        _ => false,
    }
}

fn same_number(n: &Number, m: &serde_json::Number) -> bool {
    if m.is_u64() || m.is_i64() {
        // serde_json's integers: exactly the same integer, and svidkit calls it one too.
        n.is_integer() && n.as_u64() == m.as_u64() && n.as_i64() == m.as_i64()
    } else {
        // serde_json's floats: svidkit must not call it an integer, and the value must match (to
        // serde_json's precision: without float_roundtrip it may be a few ULPs off).
        let (f, g) = (n.as_f64().unwrap(), m.as_f64().unwrap());
        // (Correctly rounded, a number within a rounding error of f64::MAX may be infinite where
        // serde_json's arithmetic stayed finite.)
        let edge = f.is_infinite() && g.abs() == f64::MAX && f.signum() == g.signum();
        !n.is_integer()
            && n.as_i64().is_none()
            && n.as_u64().is_none()
            && (f == g
                || edge
                || (f - g).abs() <= 1e-12 * f.abs().max(g.abs())
                || (f.abs() < 1e-290 && g.abs() < 1e-290))
    }
}

/// Parse → write → parse gives the same value, writing is stable, and where serde_json would
/// print the same text (no floats) it does.
fn round_trip(doc: &[u8], value: &Value) {
    let text = value.to_json();
    let again = Value::parse(text.as_bytes()).unwrap_or_else(|e| {
        panic!(
            "{text:?} (written from {:?}) does not parse: {e}",
            String::from_utf8_lossy(doc)
        )
    });
    assert_eq!(
        &again,
        value,
        "round trip of {:?}",
        String::from_utf8_lossy(doc)
    );
    assert_eq!(again.to_json(), text);
    assert_eq!(value.to_string(), text);
    if !has_float(value) {
        let theirs: Serde = serde_json::from_slice(doc).unwrap();
        assert_eq!(
            text,
            serde_json::to_string(&theirs).unwrap(),
            "written differently from serde_json: {:?}",
            String::from_utf8_lossy(doc)
        );
    }
}

fn has_float(v: &Value) -> bool {
    match v {
        Value::Number(n) => !n.is_integer() || (n.as_i64().is_none() && n.as_u64().is_none()),
        Value::Array(a) => a.iter().any(has_float),
        Value::Object(o) => o.iter().any(|(_, v)| has_float(v)),
        _ => false,
    }
}

fn check(doc: &[u8]) -> Option<Value> {
    let value = differential(doc)?;
    round_trip(doc, &value);
    Some(value)
}

// ---------------------------------------------------------------------------------------------
// Hand-written cases

const Y: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-1",
    "[]",
    "{}",
    " \t\r\n[ \t\r\n1 \t\r\n, 2 ]\n",
    "[[]]",
    r#"[{}, [], "", 0]"#,
    r#"{"a":1}"#,
    r#"{"": ""}"#,
    r#"{"a":1,"a":2}"#,
    r#"{"b":1,"a":2,"b":3,"a":4,"c":null}"#,
    r#"{"z":{"y":[{"x":true}]},"a":[false]}"#,
    // numbers
    "123",
    "-0",
    "0.0",
    "-0.0",
    "1.5",
    "-1.5e3",
    "1E3",
    "1e+3",
    "1e-3",
    "1E-0003",
    "0e0",
    "0.5e-5",
    "9007199254740993",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "123456789012345678901234567890",
    "[1e308]",
    "[-1e308]",
    "[1e-400]",
    "[-1e-400]",
    "[0e400]",
    "[0.0e99999999999]",
    "[1e-99999999999]",
    "[0.000000000000000000000000000001e330]",
    "[1.7976931348623157e308]",
    "[-1.7976931348623157e308]",
    "[2.2250738585072014e-308]",
    "[4.9e-324]",
    "[100000000000000000000000000000000000000000000000000e250]",
    // strings and escapes
    r#""""#,
    r#"" ""#,
    r#""\"\\\/\b\f\n\r\t""#,
    r#""\u0000\u001f\u0020\u007f""#,
    r#""\u00e9\u00E9""#,
    r#""\uD834\uDD1E""#,
    r#""\ud834\udd1e""#,
    r#""\uDBFF\uDFFF\uD800\uDC00""#,
    r#""\uFFFF\uFFFE\uFDD0""#,
    r#""\u2028\u2029""#,
    "\"é中𝄞\u{7f}\"",
    "\"\u{10ffff}\"",
    r#"{"\u0061":1, "a\u0000b": 2}"#,
    r#"["a/b", "\/"]"#,
];

/// Invalid documents and the reason given.
const N: &[(&[u8], &str)] = &[
    (b"", "EOF while parsing a value"),
    (b"   ", "EOF while parsing a value"),
    (b"nul", "EOF while parsing a value"),
    (b"nulx", "expected ident"),
    (b"True", "expected value"),
    (b"tru e", "expected ident"),
    (b"undefined", "expected value"),
    (b"NaN", "expected value"),
    (b"Infinity", "expected value"),
    (b"-Infinity", "invalid number"),
    (b"'a'", "expected value"),
    (b"\xef\xbb\xbf{}", "expected value"),
    (b"[1,]", "trailing comma"),
    (b"[1,,2]", "expected value"),
    (b"[,1]", "expected value"),
    (b"[1 2]", "expected `,` or `]`"),
    (b"[1", "EOF while parsing a list"),
    (b"[1,", "EOF while parsing a value"),
    (b"[", "EOF while parsing a list"),
    (b"]", "expected value"),
    (b"[}", "expected value"),
    (b"{\"a\":1,}", "trailing comma"),
    (b"{,}", "key must be a string"),
    (b"{\"a\" 1}", "expected `:`"),
    (b"{\"a\"", "EOF while parsing an object"),
    (b"{\"a\":", "EOF while parsing a value"),
    (b"{\"a\":1", "EOF while parsing an object"),
    (b"{\"a\":1,", "EOF while parsing a value"),
    (b"{a:1}", "key must be a string"),
    (b"{1:1}", "key must be a string"),
    (b"{\"a\":1,b:2}", "key must be a string"),
    (b"{\"a\":1 \"b\":2}", "expected `,` or `}`"),
    (b"{\"a\"::1}", "expected value"),
    (b"{", "EOF while parsing an object"),
    (b"{]", "key must be a string"),
    (b"[1]]", "trailing characters"),
    (b"{} {}", "trailing characters"),
    (b"1 2", "trailing characters"),
    (b"\"a\"x", "trailing characters"),
    (b"[1]\x00", "trailing characters"),
    (b"/* c */ 1", "expected value"),
    (b"1 // c", "trailing characters"),
    // numbers
    (b"01", "invalid number"),
    (b"-01", "invalid number"),
    (b"00", "invalid number"),
    (b"-", "EOF while parsing a value"),
    (b"- 1", "invalid number"),
    (b"+1", "expected value"),
    (b".5", "expected value"),
    (b"1.", "EOF while parsing a value"),
    (b"[1.]", "invalid number"),
    (b"1.e3", "invalid number"),
    (b"1e", "EOF while parsing a value"),
    (b"[1e]", "invalid number"),
    (b"1e+", "EOF while parsing a value"),
    (b"1e+-1", "invalid number"),
    (b"0x10", "trailing characters"),
    (b"1.5.3", "trailing characters"),
    (b"1_000", "trailing characters"),
    (b"\xd9\xa1", "expected value"),
    (b"[1e309]", "number out of range"),
    (b"[-1e309]", "number out of range"),
    (b"[1e400]", "number out of range"),
    (b"[1.7976931348623159e308]", "number out of range"),
    (b"[1.7976931348623158e308]", "number out of range"),
    (b"[10e308]", "number out of range"),
    (b"[0.1e310]", "number out of range"),
    (b"[1e99999999999]", "number out of range"),
    (b"[1e2147483648]", "number out of range"),
    (
        b"[100000000000000000000000000000000000000000000000000e260]",
        "number out of range",
    ),
    // strings
    (b"\"abc", "EOF while parsing a string"),
    (b"\"\\", "EOF while parsing a string"),
    (b"\"\\u12", "EOF while parsing a string"),
    (b"\"\\x\"", "invalid escape"),
    (b"\"\\a\"", "invalid escape"),
    (b"\"\\U0041\"", "invalid escape"),
    (b"\"\\u12G4\"", "invalid escape"),
    (b"\"\\u-123\"", "invalid escape"),
    (
        b"\"\x00\"",
        "control character (\\u0000-\\u001F) found while parsing a string",
    ),
    (
        b"\"a\nb\"",
        "control character (\\u0000-\\u001F) found while parsing a string",
    ),
    (
        b"\"\t\"",
        "control character (\\u0000-\\u001F) found while parsing a string",
    ),
    (
        b"\"\x1f\"",
        "control character (\\u0000-\\u001F) found while parsing a string",
    ),
    (b"\"\\uD800\"", "unexpected end of hex escape"),
    (b"\"\\uD800x\"", "unexpected end of hex escape"),
    (b"\"\\uD800\\n\"", "unexpected end of hex escape"),
    (
        b"\"\\uD800\\u0041\"",
        "lone leading surrogate in hex escape",
    ),
    (
        b"\"\\uD800\\uD800\"",
        "lone leading surrogate in hex escape",
    ),
    (b"\"\\uDC00\"", "lone leading surrogate in hex escape"),
    (
        b"\"\\uDFFF\\uD800\"",
        "lone leading surrogate in hex escape",
    ),
    (b"\"\\uD800", "EOF while parsing a string"),
    (b"\"\\uD800\\", "EOF while parsing a string"),
    (b"\"\\uD800\\u", "EOF while parsing a string"),
    (b"\"\xff\"", "invalid unicode code point"),
    (b"\"\xc3\"", "invalid unicode code point"),
    (b"\"a\xc3(\"", "invalid unicode code point"),
    (b"\"\xed\xa0\x80\"", "invalid unicode code point"),
    (b"\"\xf4\x90\x80\x80\"", "invalid unicode code point"),
    (b"\"\xc0\xaf\"", "invalid unicode code point"),
    (b"\"\\n\xe0\x80\x80\"", "invalid unicode code point"),
    (b"[\"\xff\", 1,]", "invalid unicode code point"),
    (
        b"\"\xff\x01\"",
        "control character (\\u0000-\\u001F) found while parsing a string",
    ),
];

#[test]
fn y_documents_parse_like_serde_json() {
    for doc in Y {
        assert!(check(doc.as_bytes()).is_some(), "{doc:?} must parse");
    }
}

#[test]
fn n_documents_fail_like_serde_json() {
    for (doc, reason) in N {
        let err = Value::parse(doc).expect_err(&format!(
            "{:?} must not parse",
            String::from_utf8_lossy(doc)
        ));
        assert_eq!(err.reason(), *reason, "{:?}", String::from_utf8_lossy(doc));
        assert!(differential(doc).is_none());
    }
}

#[test]
fn error_positions() {
    let msg = |doc: &[u8]| Value::parse(doc).unwrap_err().to_string();
    assert_eq!(msg(b""), "EOF while parsing a value at line 1 column 0");
    assert_eq!(msg(b"[1,]"), "trailing comma at line 1 column 4");
    assert_eq!(
        msg(b"{\n  \"a\": 01\n}"),
        "invalid number at line 2 column 9"
    );
    assert_eq!(
        msg(b"{\"a\":1}\n\nx"),
        "trailing characters at line 3 column 1"
    );
    assert_eq!(
        msg(b"\"a\nb\""),
        "control character (\\u0000-\\u001F) found while parsing a string at line 2 column 0"
    );
    let e = Value::parse(b"[\n  tru]").unwrap_err();
    assert_eq!((e.reason(), e.line(), e.column()), ("expected ident", 2, 6));
}

#[test]
fn duplicate_keys_keep_the_last_value() {
    let v = Value::parse(br#"{"b":1,"a":2,"b":3,"a":{"x":1},"a":4}"#).unwrap();
    assert_eq!(v.to_json(), r#"{"a":4,"b":3}"#);
    let o = v.as_object().unwrap();
    assert_eq!(o.len(), 2);
    assert_eq!(o["a"].as_i64(), Some(4));
}

#[test]
fn parse_unique_refuses_a_repeated_member_at_any_depth() {
    for doc in [
        r#"{"alg":"none","alg":"ES256"}"#,
        r#"{"a":1,"\u0061":1}"#, // the same name once unescaped
        r#"{"x":[{"k":1,"k":1}]}"#,
        r#"{"x":{"y":{"z":0,"z":0}}}"#,
    ] {
        let e = Value::parse_unique(doc.as_bytes()).unwrap_err();
        assert_eq!(e.reason(), "duplicate member", "{doc}");
        assert!(
            Value::parse(doc.as_bytes()).is_ok(),
            "plain parse keeps the last: {doc}"
        );
    }
    for doc in [
        r#"{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}"#,
        "{}",
        r#"{"A":1,"a":2}"#,
    ] {
        assert_eq!(
            Value::parse_unique(doc.as_bytes()).unwrap(),
            Value::parse(doc.as_bytes()).unwrap(),
            "{doc}"
        );
    }
    // Many members (the sorted-positions path) too.
    let many: Vec<String> = (0..40).map(|i| format!(r#""k{i}":{i}"#)).collect();
    let doc = format!("{{{}}}", many.join(","));
    assert!(Value::parse_unique(doc.as_bytes()).is_ok());
    let doc = format!("{{{},\"k7\":0}}", many.join(","));
    assert_eq!(
        Value::parse_unique(doc.as_bytes()).unwrap_err().reason(),
        "duplicate member"
    );
}

fn nested(depth: usize, open: &str, close: &str, inner: &str) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn nesting_deeper_than_127_is_refused() {
    assert_eq!(MAX_DEPTH, 127);
    for (open, close, inner) in [("[", "]", ""), ("[", "]", "1"), ("{\"a\":", "}", "0")] {
        let ok = nested(MAX_DEPTH, open, close, inner);
        assert!(check(ok.as_bytes()).is_some());
        let over = nested(MAX_DEPTH + 1, open, close, inner);
        let e = Value::parse(over.as_bytes()).unwrap_err();
        assert_eq!(e.reason(), "recursion limit exceeded");
        differential(over.as_bytes());
    }
    // Mixed, and far deeper: refused without deep recursion.
    let mixed = nested(64, "[{\"k\":", "}]", "null");
    differential(mixed.as_bytes());
    let deep = "[".repeat(1 << 20);
    assert_eq!(
        Value::parse(deep.as_bytes()).unwrap_err().reason(),
        "recursion limit exceeded"
    );
}

#[test]
fn numbers_keep_their_text_and_integers_are_exact() {
    let n = |t: &str| Value::parse(t.as_bytes()).unwrap();
    for (text, i, u) in [
        ("0", Some(0), Some(0)),
        ("-1", Some(-1), None),
        ("9223372036854775807", Some(i64::MAX), Some(i64::MAX as u64)),
        ("9223372036854775808", None, Some(1 << 63)),
        ("-9223372036854775808", Some(i64::MIN), None),
        ("-9223372036854775809", None, None),
        ("18446744073709551615", None, Some(u64::MAX)),
        ("18446744073709551616", None, None),
        // Not integers, whatever their value: serde_json reads these as floats.
        ("-0", None, None),
        ("1.0", None, None),
        ("1e3", None, None),
        ("10E-1", None, None),
    ] {
        let v = n(text);
        assert_eq!(v.as_i64(), i, "{text}");
        assert_eq!(v.as_u64(), u, "{text}");
        assert_eq!(v.as_number().unwrap().as_str(), text);
        assert_eq!(v.to_json(), text);
        check(text.as_bytes());
    }
    assert_eq!(n("1e3").as_number().unwrap().as_f64(), Some(1000.0));
    assert_eq!(n("-0").as_number().unwrap().as_f64(), Some(-0.0));
    // The text survives a round trip where serde_json would print `1000.0` or round.
    let doc = r#"{"a":1E+3,"b":0.10,"c":123456789012345678901234567890,"d":-0}"#;
    assert_eq!(Value::parse(doc.as_bytes()).unwrap().to_json(), doc);
}

/// Numbers next to `f64::MAX`, where serde_json's approximate float arithmetic decided: the
/// verdicts stay its verdicts, digit for digit.
#[test]
fn numbers_at_the_edge_of_f64_range() {
    let parses = |t: &str| Value::parse(t.as_bytes()).is_ok();
    assert!(parses("1.7976931348623157e308")); // f64::MAX as Rust prints it
    assert!(!parses("1.7976931348623158e308")); // also f64::MAX, but serde_json overflowed
    assert!(parses("1e308") && parses("-1e308") && !parses("1e309") && !parses("-10e308"));
    let mut rng = Rng(0xed9e);
    let mut outcomes = [0usize; 2];
    for prefix in [
        "1797693134862315",
        "17976931348623157",
        "17976931348623158",
        "17976931348623159",
        "179769313486231570",
        "179769313486231580",
        "1797693134862315807",
        "17976931348623158079",
        "1797693134862315708",
        "18446744073709551615",
        "18446744073709551616",
        "99999999999999999999",
        "1",
        "9",
        "2",
    ] {
        for _ in 0..200 {
            let mut digits = String::from(prefix);
            for _ in 0..rng.below(25) {
                digits.push(char::from(b'0' + rng.below(10) as u8));
            }
            // Split into integer and fraction, with leading zeros, and aim the magnitude at
            // 10^307 ..= 10^309.
            let magnitude = 307 + rng.below(3) as i64;
            let split = rng.below(digits.len() + 1);
            let zeros = if split == 0 { rng.below(4) } else { 0 };
            let int = if split == 0 { "0" } else { &digits[..split] };
            let fraction = format!("{}{}", "0".repeat(zeros), &digits[split..]);
            // The first significant digit is at 10^(split − 1), or at 10^−(zeros + 1) in "0.00d…".
            let first = if split == 0 {
                -(zeros as i64) - 1
            } else {
                split as i64 - 1
            };
            let exponent = magnitude - first;
            let sign = if rng.below(2) == 0 { "-" } else { "" };
            let text = if fraction.is_empty() {
                format!("{sign}{int}e{exponent}")
            } else {
                format!("{sign}{int}.{fraction}E+{exponent}")
            };
            outcomes[usize::from(differential(text.as_bytes()).is_some())] += 1;
        }
    }
    assert!(outcomes[0] > 500 && outcomes[1] > 500, "{outcomes:?}");
}

// ---------------------------------------------------------------------------------------------
// Generated documents

fn ws(rng: &mut Rng, out: &mut String) {
    if rng.below(4) == 0 {
        for _ in 0..1 + rng.below(3) {
            out.push(rng.pick(&[' ', '\t', '\n', '\r']));
        }
    }
}

fn digits(rng: &mut Rng, out: &mut String, max: usize) {
    for _ in 0..1 + rng.below(max) {
        out.push(char::from(b'0' + rng.below(10) as u8));
    }
}

fn number(rng: &mut Rng, out: &mut String) {
    if rng.below(3) == 0 {
        out.push('-');
    }
    match rng.below(6) {
        0 => out.push('0'),
        1 => {
            out.push(char::from(b'1' + rng.below(9) as u8));
            digits(rng, out, 30); // up to and beyond u64
        }
        2 => out.push_str(rng.pick(&[
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551615",
            "18446744073709551616",
            "1797693134862315",
            "17976931348623158",
        ])),
        _ => {
            out.push(char::from(b'1' + rng.below(9) as u8));
            digits(rng, out, 5);
        }
    }
    if rng.below(3) == 0 {
        out.push('.');
        digits(rng, out, 20);
    }
    if rng.below(3) == 0 {
        out.push(rng.pick(&['e', 'E']));
        match rng.below(3) {
            0 => out.push('+'),
            1 => out.push('-'),
            _ => {}
        }
        match rng.below(4) {
            0 => out.push_str(rng.pick(&["308", "309", "290", "300", "324", "330", "400"])),
            1 => digits(rng, out, 12),
            _ => digits(rng, out, 2),
        }
    }
}

fn string(rng: &mut Rng, out: &mut String) {
    out.push('"');
    for _ in 0..rng.below(12) {
        match rng.below(14) {
            0 => {
                out.push_str(rng.pick(&["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"]))
            }
            1 => {
                let c = rng.below(0x10000) as u32;
                if !(0xd800..0xe000).contains(&c) {
                    out.push_str(&format!("\\u{c:04x}"));
                } else {
                    out.push_str(&format!("\\u{c:04X}"));
                }
            }
            2 => {
                let c = 0x10000 + rng.below(0x100000) as u32;
                let (hi, lo) = (
                    0xd800 + ((c - 0x10000) >> 10),
                    0xdc00 + ((c - 0x10000) & 0x3ff),
                );
                out.push_str(&format!("\\u{hi:04x}\\u{lo:04X}"));
            }
            3 => out.push_str(&format!("\\u{:04x}", rng.below(0x20))),
            4 => out.push(rng.pick(&[
                'é',
                '中',
                '𝄞',
                '\u{7f}',
                '\u{80}',
                '\u{2028}',
                '\u{ffff}',
                '\u{10ffff}',
            ])),
            5 => {
                out.push_str(rng.pick(&["spiffe://example.org/a", "kid", "alg", "", "x5c", "keys"]))
            }
            _ => out.push(char::from(b' ' + rng.below(95) as u8)),
        }
        // Raw '"' and '\' would end or escape: the pool above only yields them escaped.
        if out.ends_with('"') && !out.ends_with("\\\"")
            || out.ends_with('\\') && !out.ends_with("\\\\")
        {
            out.pop();
        }
    }
    out.push('"');
}

fn value(rng: &mut Rng, out: &mut String, depth: usize) {
    ws(rng, out);
    let kind = if depth > 6 {
        rng.below(5)
    } else {
        rng.below(8)
    };
    match kind {
        0 => out.push_str(rng.pick(&["null", "true", "false"])),
        1 | 2 => number(rng, out),
        3 | 4 => string(rng, out),
        5 => {
            out.push('[');
            for i in 0..rng.below(5) {
                if i > 0 {
                    ws(rng, out);
                    out.push(',');
                }
                value(rng, out, depth + 1);
            }
            ws(rng, out);
            out.push(']');
        }
        _ => {
            out.push('{');
            for i in 0..rng.below(6) {
                if i > 0 {
                    ws(rng, out);
                    out.push(',');
                }
                ws(rng, out);
                if rng.below(3) == 0 {
                    // Few distinct keys, so duplicates are common.
                    out.push_str(rng.pick(&["\"a\"", "\"b\"", "\"\\u0061\"", "\"\""]));
                } else {
                    string(rng, out);
                }
                ws(rng, out);
                out.push(':');
                value(rng, out, depth + 1);
            }
            ws(rng, out);
            out.push('}');
        }
    }
    ws(rng, out);
}

const INTERESTING: &[&[u8]] = &[
    b",",
    b"]",
    b"}",
    b"[",
    b"{",
    b"\"",
    b"\\",
    b":",
    b"0",
    b"-",
    b".",
    b"e",
    b"+",
    b" ",
    b"\n",
    b"\x00",
    b"\x1f",
    b"\x7f",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\\u",
    b"\\uD800",
    b"\\uDC00",
    b"\\ud800\\u",
    b"null",
    b"tru",
    b"1e999",
    b"01",
    b"/",
];

fn mutate(rng: &mut Rng, doc: &[u8]) -> Vec<u8> {
    let mut out = doc.to_vec();
    for _ in 0..1 + rng.below(3) {
        let len = out.len();
        match rng.below(5) {
            0 if len > 0 => {
                let i = rng.below(len);
                out[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                out.truncate(rng.below(len));
            }
            2 if len > 0 => {
                let i = rng.below(len);
                let j = (i + 1 + rng.below(4)).min(len);
                out.drain(i..j);
            }
            _ => {
                let at = rng.below(len + 1);
                let piece = rng.pick(INTERESTING);
                out.splice(at..at, piece.iter().copied());
            }
        }
    }
    out
}

#[test]
fn differential_over_generated_documents_and_mutations() {
    let mut rng = Rng(0x6a73_6f6e_5eed);
    let (mut valid, mut invalid, mut generated) = (0, 0, 0);
    for _ in 0..20_000 {
        let mut doc = String::new();
        value(&mut rng, &mut doc, 0);
        // Only a number out of f64 range makes a generated document invalid.
        if check(doc.as_bytes()).is_some() {
            generated += 1;
        }
        for _ in 0..4 {
            let m = mutate(&mut rng, doc.as_bytes());
            match check(&m) {
                Some(_) => valid += 1,
                None => invalid += 1,
            }
        }
    }
    // Both kinds were exercised in bulk.
    assert!(generated > 15_000, "{generated} generated documents parse");
    assert!(
        valid > 5_000 && invalid > 40_000,
        "{valid} valid, {invalid} invalid mutations"
    );
}

#[test]
fn differential_over_every_byte_pair() {
    // Every one- and two-byte document: the grammar's edges in the smallest inputs.
    for a in 0..=255u8 {
        check(&[a]);
        for b in 0..=255u8 {
            check(&[a, b]);
        }
    }
    for prefix in [
        &b"\""[..],
        b"[",
        b"{\"a\":",
        b"-",
        b"1",
        b"1.",
        b"1e",
        b"\"\\",
        b"\"\\u",
    ] {
        for a in 0..=255u8 {
            let mut doc = prefix.to_vec();
            doc.push(a);
            check(&doc);
            doc.extend_from_slice(b"\"]}");
            check(&doc);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The vectors

fn vector_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            vector_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Every string inside a vector that is itself JSON (bundle documents) or a JWS (its header and
/// claims).
fn embedded(v: &Value, docs: &mut Vec<Vec<u8>>) {
    match v {
        Value::String(s) => {
            let t = s.trim_start();
            if t.starts_with('{') || t.starts_with('[') {
                docs.push(s.as_bytes().to_vec());
            }
            let parts: Vec<&str> = s.split('.').collect();
            if parts.len() >= 2 && s.starts_with("ey") {
                for part in &parts[..2] {
                    if let Ok(bytes) = svidkit::encoding::base64url(part) {
                        docs.push(bytes);
                    }
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| embedded(v, docs)),
        Value::Object(o) => o.iter().for_each(|(_, v)| embedded(v, docs)),
        _ => {}
    }
}

#[test]
fn differential_over_the_vectors() {
    let mut files = Vec::new();
    vector_files(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors"),
        &mut files,
    );
    assert!(files.len() >= 50, "{} vector files", files.len());
    let (mut docs, mut rejected) = (0, 0);
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let vector = check(&bytes).unwrap_or_else(|| panic!("{} is JSON", file.display()));
        let mut inner = Vec::new();
        embedded(&vector, &mut inner);
        for doc in inner {
            docs += 1;
            if check(&doc).is_none() {
                rejected += 1;
            }
        }
    }
    // The vectors hold bundle documents and tokens, a few deliberately not JSON.
    assert!(docs > 40, "{docs} embedded documents");
    assert!(rejected < docs / 4, "{rejected} of {docs} rejected");
}

// ---------------------------------------------------------------------------------------------
// Writer and API

#[test]
fn writer_escapes_what_json_requires_and_nothing_else() {
    let all: String = (0u32..0x80)
        .filter_map(char::from_u32)
        .chain(['é', '\u{2028}', '𝄞'])
        .collect();
    let v = Value::String(all.clone());
    let text = v.to_json();
    assert_eq!(text, serde_json::to_string(&all).unwrap());
    assert!(text.contains(r#"\u0000\u0001"#) && text.contains(r#"\b\t\n\u000b\f\r"#));
    assert!(text.contains(r##"\u001f !\"#$"##) && text.contains(r#"/0"#) && text.contains("\\\\]"));
    assert!(text.contains("\u{7f}é\u{2028}𝄞"));
    assert_eq!(Value::parse(text.as_bytes()).unwrap(), v);
}

#[test]
fn building_objects() {
    let inner = Object::new()
        .with("x", vec![1u8, 2])
        .with("none", None::<&str>);
    let mut o = Object::new();
    assert!(o.is_empty());
    assert_eq!(o.insert("b", "two"), None);
    assert_eq!(o.insert("a", true), None);
    assert_eq!(o.insert("c", inner), None);
    assert_eq!(o.insert("n", -5i64), None);
    assert_eq!(o.insert("u", u64::MAX), None);
    assert_eq!(o.insert("s", vec!["p", "q"]), None);
    assert_eq!(o.insert("b", String::from("2")), Some(Value::from("two")));
    assert_eq!(
        o.to_json(),
        r#"{"a":true,"b":"2","c":{"none":null,"x":[1,2]},"n":-5,"s":["p","q"],"u":18446744073709551615}"#
    );
    assert_eq!(o.keys().collect::<Vec<_>>(), ["a", "b", "c", "n", "s", "u"]);
    assert_eq!(o.len(), 6);
    assert!(o.contains_key("c") && !o.contains_key("d"));
    assert_eq!(o["c"]["x"][1].as_u64(), Some(2));
    assert!(o["missing"].is_null() && o["c"]["x"][9].is_null() && o["a"]["x"].is_null());
    assert_eq!(o.get("n").and_then(Value::as_i64), Some(-5));
    assert_eq!(o.remove("n").and_then(|v| v.as_i64()), Some(-5));
    assert_eq!(o.remove("n"), None);
    let pairs: Vec<(&str, String)> = o.iter().map(|(k, v)| (k, v.to_json())).collect();
    assert_eq!(pairs[0], ("a", "true".to_string()));
    assert_eq!((&o).into_iter().next_back().map(|(k, _)| k), Some("u"));
    let collected: Object = [("z", 1), ("y", 2), ("z", 3)].into_iter().collect();
    assert_eq!(collected.to_string(), r#"{"y":2,"z":3}"#);
    let v = Value::from(collected);
    assert_eq!(v.get("z").and_then(Value::as_u64), Some(3));
    assert_eq!(v.to_string(), v.to_json());
    assert_eq!(Value::from(&[true, false][..]).to_json(), "[true,false]");
    assert_eq!(Value::from(Number::from(-7i64)).to_json(), "-7");
}

#[test]
fn large_objects_parse_in_linear_time() {
    // A bundle-sized document of many members in reverse order and with duplicates.
    let mut doc = String::from("{");
    for i in (0..100_000).rev() {
        doc.push_str(&format!("\"k{}\":{i},", i % 60_000));
    }
    doc.push_str("\"end\":0}");
    let start = std::time::Instant::now();
    let v = Value::parse(doc.as_bytes()).unwrap();
    assert!(start.elapsed().as_secs() < 10);
    let o = v.as_object().unwrap();
    assert_eq!(o.len(), 60_001);
    // The last of the duplicates wins: k5 was given 60005, then 5.
    assert_eq!(o["k5"].as_u64(), Some(5));
    differential(doc.as_bytes());
}

// ---------------------------------------------------------------------------------------------
// The rules built on the reader keep serde_json's number semantics

fn claims(extra: &str) -> svidkit::json::Object {
    let doc = format!(r#"{{"sub":"spiffe://example.org/w","aud":"api","exp":1767225900{extra}}}"#);
    match Value::parse(doc.as_bytes()).unwrap() {
        Value::Object(o) => o,
        _ => unreachable!(),
    }
}

#[test]
fn jwt_time_claims_must_be_integers() {
    for (extra, ok) in [
        ("", true),
        (r#","nbf":1767225000"#, true),
        (r#","nbf":-5"#, true),
        (r#","nbf":18446744073709551615"#, true), // clamped to i64::MAX
        (r#","nbf":18446744073709551616"#, false), // beyond u64: a float to serde_json
        (r#","nbf":1767225000.0"#, false),
        (r#","nbf":1.7e9"#, false),
        (r#","nbf":-0"#, false),
        (r#","nbf":"1767225000""#, false),
        (r#","nbf":null"#, false),
        (r#","exp":1767225900.5"#, false), // a later exp (last duplicate) that is not an integer
    ] {
        let r = svidkit::jwt::check_claims(&claims(extra));
        assert_eq!(r.is_ok(), ok, "{extra}: {r:?}");
        if !ok {
            assert_eq!(r.unwrap_err().code(), svidkit::ErrorCode::InvalidSvid);
        }
    }
}

#[test]
fn bundle_integers_are_u64() {
    for (member, ok) in [
        ("0", true),
        ("18446744073709551615", true),
        ("18446744073709551616", false),
        ("-1", false),
        ("-0", false),
        ("1.0", false),
        ("1e2", false),
        ("\"5\"", false),
    ] {
        let doc = format!(r#"{{"keys":[],"spiffe_sequence":{member}}}"#);
        let r = svidkit::BundleSet::new()
            .add("example.org", doc.as_bytes())
            .map(|b| b.sequence());
        match r {
            Ok(seq) => {
                assert!(ok, "{member}");
                assert_eq!(seq, member.parse().ok());
            }
            Err(e) => {
                assert!(!ok, "{member}");
                assert_eq!(e.code(), svidkit::ErrorCode::InvalidBundle);
            }
        }
    }
    // Out of f64 range is not JSON at all (as before): malformed, with the reader's message.
    let e = svidkit::BundleSet::new()
        .add("example.org", br#"{"keys":[],"x":1e400}"#)
        .unwrap_err();
    assert_eq!(e.code(), svidkit::ErrorCode::Malformed);
    assert_eq!(
        e.message(),
        "bundle document is not JSON: number out of range at line 1 column 20"
    );
}

/// Integers written by the core (times in every answer) read as Rust and serde_json write them.
#[test]
fn integers_are_written_in_decimal() {
    let mut rng = Rng(0x1234_5678);
    let mut signed: Vec<i64> = vec![
        0,
        1,
        -1,
        9,
        10,
        -10,
        99,
        100,
        i64::MAX,
        i64::MIN,
        i64::MIN + 1,
    ];
    let mut unsigned: Vec<u64> = vec![0, 1, 9, 10, 1_767_225_600, u64::MAX, u64::MAX - 1];
    for _ in 0..1000 {
        let bits = rng.below(64) as u32;
        let n = rng.next() >> (63 - bits.min(63));
        signed.push(n as i64);
        signed.push((n as i64).wrapping_neg());
        unsigned.push(n);
    }
    for n in signed {
        assert_eq!(
            Number::from(n).as_str(),
            serde_json::Number::from(n).to_string()
        );
        assert_eq!(Value::from(n).to_json(), n.to_string());
    }
    for n in unsigned {
        assert_eq!(
            Number::from(n).as_str(),
            serde_json::Number::from(n).to_string()
        );
        assert_eq!(Value::from(n).to_json(), n.to_string());
    }
}
