//! RESP wire constants and the small readers shared by the scanner and the value builder.
//! Each mirrors the function of the same name in `@fusedis/resp`'s `internal/wire.ts`, so both
//! decoders accept and refuse exactly the same bytes.

pub const SIMPLE_STRING: u8 = b'+';
pub const SIMPLE_ERROR: u8 = b'-';
pub const INTEGER: u8 = b':';
pub const BULK_STRING: u8 = b'$';
pub const ARRAY: u8 = b'*';
pub const NULL: u8 = b'_';
pub const BOOLEAN: u8 = b'#';
pub const DOUBLE: u8 = b',';
pub const BIG_NUMBER: u8 = b'(';
pub const BULK_ERROR: u8 = b'!';
pub const VERBATIM: u8 = b'=';
pub const MAP: u8 = b'%';
pub const SET: u8 = b'~';
pub const ATTRIBUTE: u8 = b'|';
pub const PUSH: u8 = b'>';

pub const CR: u8 = b'\r';
pub const LF: u8 = b'\n';
pub const MINUS: u8 = b'-';
pub const PLUS: u8 = b'+';
/// RESP3 streamed length (`$?`, `*?`).
pub const QUESTION: u8 = b'?';

/// Lengths above this many digits are refused whatever the limits say (as in the JS decoder).
const MAX_LENGTH_DIGITS: usize = 15;

/// How a line starting at some offset ends.
pub enum Line {
  /// At this CR, followed by LF.
  Cr(usize),
  /// The bytes end before the line does.
  Incomplete,
  /// An LF comes first, or a CR is followed by something else.
  Bad,
}

/// The CR ending the line that starts at `from`: the line ends at the first CR or LF, which must be CR LF.
pub fn line_end(buf: &[u8], from: usize, end: usize) -> Line {
  let mut i = from;
  while i < end {
    let c = buf[i];
    if c == CR {
      if i + 1 >= end {
        return Line::Incomplete;
      }
      return if buf[i + 1] == LF {
        Line::Cr(i)
      } else {
        Line::Bad
      };
    }
    if c == LF {
      return Line::Bad;
    }
    i += 1;
  }
  Line::Incomplete
}

/// A parsed length: `Len(n)`, `Null` (-1), `Streamed` (`?`) or `Bad`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Length {
  Len(u64),
  Null,
  Streamed,
  Bad,
}

/// Parses the decimal length in `buf[from, to)`.
pub fn parse_length(buf: &[u8], from: usize, to: usize) -> Length {
  let count = to - from;
  if count == 0 || count > MAX_LENGTH_DIGITS {
    return Length::Bad;
  }
  let first = buf[from];
  if first == MINUS {
    return if count == 2 && buf[from + 1] == b'1' {
      Length::Null
    } else {
      Length::Bad
    };
  }
  if first == QUESTION {
    return if count == 1 {
      Length::Streamed
    } else {
      Length::Bad
    };
  }
  let mut value: u64 = 0;
  for &c in &buf[from..to] {
    if !c.is_ascii_digit() {
      return Length::Bad;
    }
    value = value * 10 + u64::from(c - b'0');
  }
  Length::Len(value)
}

/// The common header `<type><1 to 15 digits>\r\n` read in one loop: its number and the CR's
/// offset, or None for anything else (the general rules then decide, and decide the same way).
pub fn simple_length(buf: &[u8], start: usize, end: usize) -> Option<(u64, usize)> {
  let mut i = start + 1;
  let mut n: u64 = 0;
  while i < end && buf[i].is_ascii_digit() {
    // Wrapping: a run of more than 15 digits is refused below, whatever its value.
    n = n.wrapping_mul(10).wrapping_add(u64::from(buf[i] - b'0'));
    i += 1;
  }
  if i >= end
    || buf[i] != CR
    || i + 1 >= end
    || buf[i + 1] != LF
    || i == start + 1
    || i - start > 16
  {
    return None;
  }
  Some((n, i))
}

/// The bulk string at `buf[at]` (`$<digits>\r\n<body>\r\n`) when it is whole and well formed by
/// the scanner's fast-path rules, its body no longer than `max_bytes`: its body's range and the
/// first byte after it. None for anything else (a null, a body cut short or not ended by CRLF, a
/// longer one), which the scanner's general rules then judge.
pub fn whole_bulk(
  buf: &[u8],
  at: usize,
  end: usize,
  max_bytes: f64,
) -> Option<(usize, usize, usize)> {
  let (n, cr) = simple_length(buf, at, end)?;
  let (body, body_end) = (cr + 2, cr + 2 + n as usize);
  if n as f64 > max_bytes || body_end + 2 > end || buf[body_end] != CR || buf[body_end + 1] != LF {
    return None;
  }
  Some((body, body_end, body_end + 2))
}

/// True when `buf[from, to)` is an optionally signed run of one or more decimal digits.
pub fn is_signed_decimal(buf: &[u8], from: usize, to: usize) -> bool {
  let mut i = from;
  if i < to && (buf[i] == MINUS || buf[i] == PLUS) {
    i += 1;
  }
  if i == to {
    return false;
  }
  buf[i..to].iter().all(u8::is_ascii_digit)
}

/// True when `buf[from, to)` is a RESP3 double: `[+|-]digits[.digits][(e|E)[+|-]digits]` (a
/// leading or trailing point allowed), or `inf`, `nan` in any case, optionally signed.
pub fn is_double(buf: &[u8], from: usize, to: usize) -> bool {
  let mut i = from;
  if i < to && (buf[i] == MINUS || buf[i] == PLUS) {
    i += 1;
  }
  if to - i == 3 {
    let (a, b, c) = (buf[i] | 0x20, buf[i + 1] | 0x20, buf[i + 2] | 0x20);
    if (a, b, c) == (b'i', b'n', b'f') || (a, b, c) == (b'n', b'a', b'n') {
      return true;
    }
  }
  let mut digits = 0;
  while i < to && buf[i].is_ascii_digit() {
    i += 1;
    digits += 1;
  }
  if i < to && buf[i] == b'.' {
    i += 1;
    while i < to && buf[i].is_ascii_digit() {
      i += 1;
      digits += 1;
    }
  }
  if digits == 0 {
    return false;
  }
  if i < to && (buf[i] | 0x20) == b'e' {
    i += 1;
    if i < to && (buf[i] == MINUS || buf[i] == PLUS) {
      i += 1;
    }
    if i == to {
      return false;
    }
    while i < to && buf[i].is_ascii_digit() {
      i += 1;
    }
  }
  i == to
}

/// True for every byte that starts a RESP2 or RESP3 type.
pub fn is_type_byte(c: u8) -> bool {
  matches!(
    c,
    SIMPLE_STRING
      | SIMPLE_ERROR
      | INTEGER
      | BULK_STRING
      | ARRAY
      | NULL
      | BOOLEAN
      | DOUBLE
      | BIG_NUMBER
      | BULK_ERROR
      | VERBATIM
      | MAP
      | SET
      | ATTRIBUTE
      | PUSH
  )
}

/// A verbatim string's body starts with a three-letter format and a colon (`txt:`).
pub fn has_verbatim_prefix(buf: &[u8], body: usize, length: usize) -> bool {
  length >= 4 && buf[body + 3] == b':'
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn parses_lengths_like_the_js_decoder() {
    let l = |s: &str| parse_length(s.as_bytes(), 0, s.len());
    assert_eq!(l("0"), Length::Len(0));
    assert_eq!(l("123"), Length::Len(123));
    assert_eq!(l("-1"), Length::Null);
    assert_eq!(l("-2"), Length::Bad);
    assert_eq!(l("?"), Length::Streamed);
    assert_eq!(l(""), Length::Bad);
    assert_eq!(l("1234567890123456"), Length::Bad);
    assert_eq!(l("+1"), Length::Bad);
  }

  #[test]
  fn recognises_doubles() {
    for ok in [
      "1", "-1.5", "1.", ".5", "1e5", "1E-5", "inf", "-INF", "nan", "+inf",
    ] {
      assert!(is_double(ok.as_bytes(), 0, ok.len()), "{ok}");
    }
    for bad in [
      "", ".", "e5", "1e", "1e+", "1.2.3", "in", "infinity", "0x10",
    ] {
      assert!(!is_double(bad.as_bytes(), 0, bad.len()), "{bad}");
    }
  }
}
