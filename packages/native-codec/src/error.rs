//! Protocol violations, described the way `@fusedis/resp` describes them. The JS wrapper turns a
//! `ProtoError` into resp's own `RespProtocolError(reason, detail, offset)`, so the reason strings
//! and messages here must match the JS decoder's word for word.

use crate::wire::{CR, LF};

/// A violation of the RESP grammar or of a hardening limit.
#[derive(Debug, Clone, PartialEq)]
pub struct ProtoError {
  /// One of `RespProtocolErrorReason`.
  pub reason: &'static str,
  pub detail: String,
  /// Offset of the offending byte within the reply, or, for an unfinished reply over the limit,
  /// the bytes it held.
  pub offset: f64,
}

impl ProtoError {
  pub fn new(reason: &'static str, detail: impl Into<String>, offset: usize) -> Self {
    ProtoError {
      reason,
      detail: detail.into(),
      offset: offset as f64,
    }
  }
}

/// `describeByte`: printable bytes quoted with their code, others as hex.
pub fn describe_byte(c: Option<u8>) -> String {
  match c {
    None => "end of input".to_string(),
    Some(c) if (0x20..0x7f).contains(&c) => format!("'{}' (0x{:02x})", c as char, c),
    Some(c) => format!("0x{c:02x}"),
  }
}

/// `JSON.stringify` of the Latin-1 text of `bytes`.
pub fn json_latin1(bytes: &[u8]) -> String {
  let mut out = String::with_capacity(bytes.len() + 2);
  out.push('"');
  for &b in bytes {
    match b {
      b'"' => out.push_str("\\\""),
      b'\\' => out.push_str("\\\\"),
      0x08 => out.push_str("\\b"),
      0x0c => out.push_str("\\f"),
      b'\n' => out.push_str("\\n"),
      b'\r' => out.push_str("\\r"),
      b'\t' => out.push_str("\\t"),
      0x00..=0x1f => out.push_str(&format!("\\u{b:04x}")),
      _ => out.push(char::from(b)),
    }
  }
  out.push('"');
  out
}

/// A JS number as `${n}` prints it, for the limits in messages (integers, or Infinity).
pub fn js_number(n: f64) -> String {
  if n.is_nan() {
    "NaN".to_string()
  } else if n.is_infinite() {
    if n > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
  } else if n.fract() == 0.0 && n.abs() < 1e21 {
    format!("{}", n as i128)
  } else {
    format!("{n}")
  }
}

/// The first 32 bytes of a line's content, as the JS messages quote it.
fn quoted(buf: &[u8], pos: usize, cr: usize) -> String {
  json_latin1(&buf[pos + 1..cr.min(pos + 33)])
}

pub fn invalid_length(buf: &[u8], pos: usize, cr: usize, start: usize) -> ProtoError {
  ProtoError::new(
    "invalid-length",
    format!(
      "bad length {} after {}",
      quoted(buf, pos, cr),
      describe_byte(buf.get(pos).copied())
    ),
    pos - start,
  )
}

pub fn unsupported_streamed(pos: usize, start: usize) -> ProtoError {
  ProtoError::new(
    "unsupported-streamed",
    "streamed strings and aggregates (?) are not supported",
    pos - start,
  )
}

pub fn content_error(
  reason: &'static str,
  what: &str,
  buf: &[u8],
  pos: usize,
  cr: usize,
  start: usize,
) -> ProtoError {
  ProtoError::new(
    reason,
    format!("bad {what} {}", quoted(buf, pos, cr)),
    pos - start,
  )
}

pub fn crlf_error(buf: &[u8], from: usize, end: usize, start: usize) -> ProtoError {
  let mut i = from;
  while i < end && buf[i] != CR && buf[i] != LF {
    i += 1;
  }
  ProtoError::new("expected-crlf", "line not terminated by CRLF", i - start)
}

pub fn bulk_not_crlf(offset: usize) -> ProtoError {
  ProtoError::new("expected-crlf", "bulk body not followed by CRLF", offset)
}

pub fn null_not_crlf(offset: usize) -> ProtoError {
  ProtoError::new("expected-crlf", "null (_) must be followed by CRLF", offset)
}

pub fn invalid_type(c: u8, offset: usize) -> ProtoError {
  ProtoError::new(
    "invalid-type",
    format!("unknown type byte {}", describe_byte(Some(c))),
    offset,
  )
}

pub fn invalid_verbatim(offset: usize) -> ProtoError {
  ProtoError::new(
    "invalid-verbatim",
    "verbatim string without its xxx: prefix",
    offset,
  )
}

pub fn bulk_too_large(length: u64, max: f64, offset: usize) -> ProtoError {
  ProtoError::new(
    "reply-too-large",
    format!(
      "bulk length {length} exceeds maxReplyBytes {}",
      js_number(max)
    ),
    offset,
  )
}

pub fn unfinished_too_large(buffered: usize, max: f64) -> ProtoError {
  ProtoError::new(
    "reply-too-large",
    format!(
      "unfinished reply of {buffered} bytes exceeds maxReplyBytes {}",
      js_number(max)
    ),
    buffered,
  )
}

pub fn too_many_elements(count: u64, max: f64, offset: usize) -> ProtoError {
  ProtoError::new(
    "too-many-elements",
    format!(
      "aggregate of {count} elements exceeds maxElements {}",
      js_number(max)
    ),
    offset,
  )
}

pub fn too_deep(max: f64, offset: usize) -> ProtoError {
  ProtoError::new(
    "too-deep",
    format!("nesting deeper than maxDepth {}", js_number(max)),
    offset,
  )
}

pub fn big_number_too_long(chars: usize, max: f64, offset: usize) -> ProtoError {
  ProtoError::new(
    "big-number-too-long",
    format!(
      "big number of {chars} characters exceeds maxBigNumberLength {}",
      js_number(max)
    ),
    offset,
  )
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn quotes_like_json_stringify() {
    assert_eq!(
      json_latin1(b"a\"b\\\r\n\x01\x7f"),
      "\"a\\\"b\\\\\\r\\n\\u0001\x7f\""
    );
    assert_eq!(describe_byte(Some(b'x')), "'x' (0x78)");
    assert_eq!(describe_byte(Some(0x80)), "0x80");
    assert_eq!(js_number(f64::INFINITY), "Infinity");
    assert_eq!(js_number(512.0), "512");
  }
}
