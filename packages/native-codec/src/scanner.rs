//! The resumable frame scanner: finds where one reply ends without building any value, and
//! enforces every grammar rule and limit, in the same order as `@fusedis/resp`'s `FrameScanner`.
//! A frame it accepts is then built into JS values by `build.rs` with no further checks.
//!
//!   begin() ──► scan(buf, start, end) ──► Ok(None): incomplete, call again with more bytes
//!                                    ├──► Ok(Some(len)): the frame is whole
//!                                    └──► Err(ProtoError)

use crate::error::{
  bulk_not_crlf, bulk_too_large, content_error, crlf_error, invalid_length, invalid_type,
  invalid_verbatim, null_not_crlf, too_deep, too_many_elements, unfinished_too_large,
  unsupported_streamed, ProtoError,
};
use crate::wire::*;

/// The hardening limits, as JS numbers (a caller may pass fractions or Infinity).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
  pub max_elements: f64,
  pub max_depth: f64,
  pub max_big_number_length: f64,
  pub max_reply_bytes: f64,
}

impl Default for Limits {
  fn default() -> Self {
    Limits {
      max_elements: 16_777_216.0,
      max_depth: 512.0,
      max_big_number_length: 10_000.0,
      max_reply_bytes: 512.0 * 1024.0 * 1024.0,
    }
  }
}

pub struct Scanner {
  pub limits: Limits,
  /// Offset of the next element header, relative to the frame start.
  at: usize,
  /// Elements still expected at the innermost open level (the top level expects one).
  expected: u64,
  /// `expected` of each enclosing level; its length is the nesting depth.
  outer: Vec<u64>,
  /// After an incomplete scan: bytes the frame needs at least (known inside a bulk body), else 0.
  /// Counted from the frame's start, so it includes `offset`.
  pub needed: usize,
  /// How deep the scanned value sits: its aggregates count from there against `maxDepth`.
  depth: usize,
  /// Bytes of the frame before the scanned value (gone from the buffer): added to every offset
  /// reported, to `needed`, and to what the size limit counts.
  pub offset: usize,
  /// The last boundary between values at the outermost level, and how many values that level
  /// still expected there: with `begin_list`, where the list's whole elements end.
  mark_at: usize,
  mark_expected: u64,
}

/// Parses an aggregate or bulk length, or returns the error the decoders give for it.
pub fn checked_length(
  buf: &[u8],
  pos: usize,
  cr: usize,
  nullable: bool,
  start: usize,
) -> Result<Length, ProtoError> {
  match parse_length(buf, pos + 1, cr) {
    Length::Len(n) => Ok(Length::Len(n)),
    Length::Null if nullable => Ok(Length::Null),
    Length::Streamed => Err(unsupported_streamed(pos, start)),
    _ => Err(invalid_length(buf, pos, cr, start)),
  }
}

pub fn check_big_number(
  buf: &[u8],
  pos: usize,
  cr: usize,
  limits: &Limits,
  start: usize,
) -> Result<(), ProtoError> {
  let chars = cr - pos - 1;
  if chars as f64 > limits.max_big_number_length {
    return Err(crate::error::big_number_too_long(
      chars,
      limits.max_big_number_length,
      pos - start,
    ));
  }
  if !is_signed_decimal(buf, pos + 1, cr) {
    return Err(content_error(
      "invalid-big-number",
      "big number",
      buf,
      pos,
      cr,
      start,
    ));
  }
  Ok(())
}

/// Skips the whole, well-formed bulk strings back to back at `buf[pos..end]`, at most `expected`
/// of them: the first byte after them and how many the level still expects. A list of values
/// goes by without saving progress at each boundary; whatever stops the run (another type, a
/// body cut short, a malformed one) is left for the general path to judge.
fn skip_whole_bulks(
  buf: &[u8],
  mut pos: usize,
  end: usize,
  mut expected: u64,
  max_bytes: f64,
) -> (usize, u64) {
  while expected > 0 && pos < end && buf[pos] == BULK_STRING {
    let Some((_, _, next)) = whole_bulk(buf, pos, end, max_bytes) else {
      break;
    };
    pos = next;
    expected -= 1;
  }
  (pos, expected)
}

impl Scanner {
  pub fn new(limits: Limits) -> Self {
    Scanner {
      limits,
      at: 0,
      expected: 1,
      outer: Vec::new(),
      needed: 0,
      depth: 0,
      offset: 0,
      mark_at: 0,
      mark_expected: 1,
    }
  }

  /// Starts a new frame.
  pub fn begin(&mut self) {
    self.begin_at(0, 0);
  }

  /// Starts one value of a frame whose earlier bytes are gone: it sits `depth` levels deep and
  /// starts `offset` bytes into the frame. `scan` then takes that value's position as `start`,
  /// and returns its own length, while error offsets, `needed` and the size limit count from the
  /// frame's start, as if the whole frame were scanned.
  pub fn begin_at(&mut self, depth: usize, offset: usize) {
    self.needed = 0;
    self.at = 0;
    self.expected = 1;
    self.outer.clear();
    self.depth = depth;
    self.offset = offset;
    self.mark_at = 0;
    self.mark_expected = 1;
  }

  /// Like `begin_at`, for the `count` elements left of a list (each `depth` deep): one `scan`
  /// then walks them all, returning their length once all are whole; when it stops short,
  /// `mark()` says where the whole ones end.
  pub fn begin_list(&mut self, depth: usize, offset: usize, count: u64) {
    self.begin_at(depth, offset);
    self.expected = count;
    self.mark_expected = count;
  }

  /// After `begin_list` and an unfinished scan: where the whole elements end (from the scan's
  /// `start`), and how many elements are left after them.
  pub fn mark(&self) -> (usize, u64) {
    (self.mark_at, self.mark_expected)
  }

  /// The first `n` bytes after the scan's `start` (whole elements, before `mark()`) are gone:
  /// the next `scan` takes a `start` `n` bytes further on.
  pub fn rebase(&mut self, n: usize) {
    self.at -= n;
    self.mark_at -= n;
    self.offset += n;
  }

  /// True when a scan of the value now holding `buffered` bytes (from its start) would surely
  /// find it still unfinished and within its limit: the last scan stopped inside a bulk body
  /// these bytes do not complete.
  pub fn still_in_body(&self, buffered: usize) -> bool {
    let total = buffered + self.offset;
    total < self.needed && total as f64 <= self.limits.max_reply_bytes
  }

  /// Scans the value starting at `start`, with bytes up to `end`: its length once whole.
  pub fn scan(
    &mut self,
    buf: &[u8],
    start: usize,
    end: usize,
  ) -> Result<Option<usize>, ProtoError> {
    match self.walk(buf, start, end) {
      Ok(None) => {
        if self.needed != 0 {
          self.needed += self.offset;
        }
        let buffered = end - start + self.offset;
        if buffered as f64 > self.limits.max_reply_bytes {
          return Err(unfinished_too_large(buffered, self.limits.max_reply_bytes));
        }
        Ok(None)
      }
      Err(mut err) => {
        err.offset += self.offset as f64;
        Err(err)
      }
      whole => whole,
    }
  }

  /// `scan` with everything counted from `start`; an unfinished value is `Ok(None)`, unchecked.
  fn walk(&mut self, buf: &[u8], start: usize, end: usize) -> Result<Option<usize>, ProtoError> {
    self.needed = 0;
    let limits = self.limits;
    let mut expected = self.expected;
    let mut pos = start + self.at;
    loop {
      while expected == 0 {
        match self.outer.pop() {
          None => {
            self.at = pos - start;
            self.expected = 0;
            return Ok(Some(pos - start));
          }
          Some(e) => expected = e,
        }
      }
      // Progress saved at each element boundary: a cut-short element is re-read whole next time.
      self.at = pos - start;
      self.expected = expected;
      // A boundary at the outermost level only once a value ended there: after an attribute the
      // value it annotates is still to come (the level's count has not moved).
      if self.outer.is_empty() && expected != self.mark_expected {
        self.mark_at = self.at;
        self.mark_expected = expected;
      }
      if pos >= end {
        return Ok(None);
      }
      let ty = buf[pos];
      // Two bulk strings or more to go at this level: skipped as a run (one alone gains nothing).
      if ty == BULK_STRING && expected > 1 {
        let (after, left) = skip_whole_bulks(buf, pos, end, expected, limits.max_reply_bytes);
        if after != pos {
          pos = after;
          expected = left;
          continue;
        }
      }
      if ty == BULK_STRING || ty == ARRAY || ty == INTEGER {
        let from = if ty == INTEGER && pos + 1 < end && buf[pos + 1] == MINUS {
          pos + 1
        } else {
          pos
        };
        if let Some((n, cr)) = simple_length(buf, from, end) {
          let next = cr + 2;
          if ty == INTEGER {
            pos = next;
            expected -= 1;
            continue;
          }
          if ty == BULK_STRING {
            if n as f64 > limits.max_reply_bytes {
              return Err(bulk_too_large(n, limits.max_reply_bytes, pos - start));
            }
            let body_end = next + n as usize;
            if body_end + 2 > end {
              self.needed = body_end + 2 - start;
              return Ok(None);
            }
            if buf[body_end] != CR || buf[body_end + 1] != LF {
              return Err(bulk_not_crlf(body_end - start));
            }
            pos = body_end + 2;
            expected -= 1;
            continue;
          }
          if n as f64 > limits.max_elements {
            return Err(too_many_elements(n, limits.max_elements, pos - start));
          }
          if (self.depth + self.outer.len() + 1) as f64 > limits.max_depth {
            return Err(too_deep(limits.max_depth, pos - start));
          }
          self.outer.push(expected - 1);
          expected = n;
          pos = next;
          continue;
        }
      }
      if !is_type_byte(ty) {
        return Err(invalid_type(ty, pos - start));
      }
      let cr = match line_end(buf, pos + 1, end) {
        Line::Cr(cr) => cr,
        Line::Incomplete => return Ok(None),
        Line::Bad => return Err(crlf_error(buf, pos + 1, end, start)),
      };
      let next = cr + 2;
      match ty {
        SIMPLE_STRING | SIMPLE_ERROR => {}
        INTEGER => {
          if !is_signed_decimal(buf, pos + 1, cr) {
            return Err(content_error(
              "invalid-integer",
              "integer",
              buf,
              pos,
              cr,
              start,
            ));
          }
        }
        NULL => {
          if cr != pos + 1 {
            return Err(null_not_crlf(pos + 1 - start));
          }
        }
        BOOLEAN => {
          if cr != pos + 2 || (buf[pos + 1] != b't' && buf[pos + 1] != b'f') {
            return Err(content_error(
              "invalid-boolean",
              "boolean",
              buf,
              pos,
              cr,
              start,
            ));
          }
        }
        DOUBLE => {
          if !is_double(buf, pos + 1, cr) {
            return Err(content_error(
              "invalid-double",
              "double",
              buf,
              pos,
              cr,
              start,
            ));
          }
        }
        BIG_NUMBER => check_big_number(buf, pos, cr, &limits, start)?,
        BULK_STRING | BULK_ERROR | VERBATIM => {
          if let Length::Len(length) = checked_length(buf, pos, cr, ty == BULK_STRING, start)? {
            if length as f64 > limits.max_reply_bytes {
              return Err(bulk_too_large(length, limits.max_reply_bytes, pos - start));
            }
            let body_end = next + length as usize;
            if body_end + 2 > end {
              self.needed = body_end + 2 - start;
              return Ok(None);
            }
            if buf[body_end] != CR || buf[body_end + 1] != LF {
              return Err(bulk_not_crlf(body_end - start));
            }
            if ty == VERBATIM && !has_verbatim_prefix(buf, next, length as usize) {
              return Err(invalid_verbatim(next - start));
            }
            pos = body_end + 2;
            expected -= 1;
            continue;
          }
        }
        _ => {
          // ARRAY, SET, PUSH, MAP, ATTRIBUTE
          if let Length::Len(count) = checked_length(buf, pos, cr, ty == ARRAY, start)? {
            if count as f64 > limits.max_elements {
              return Err(too_many_elements(count, limits.max_elements, pos - start));
            }
            if (self.depth + self.outer.len() + 1) as f64 > limits.max_depth {
              return Err(too_deep(limits.max_depth, pos - start));
            }
            // An attribute annotates the value after it, which its level still expects.
            if ty != ATTRIBUTE {
              expected -= 1;
            }
            self.outer.push(expected);
            expected = if ty == MAP || ty == ATTRIBUTE {
              count * 2
            } else {
              count
            };
            pos = next;
            continue;
          }
        }
      }
      pos = next;
      expected -= 1;
    }
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn scan_all(bytes: &[u8]) -> Result<Option<usize>, ProtoError> {
    let mut s = Scanner::new(Limits::default());
    s.scan(bytes, 0, bytes.len())
  }

  #[test]
  fn finds_frame_ends() {
    assert_eq!(scan_all(b"+OK\r\n"), Ok(Some(5)));
    assert_eq!(scan_all(b"*2\r\n$1\r\na\r\n:5\r\n+x"), Ok(Some(15)));
    assert_eq!(scan_all(b"*2\r\n$1\r\na\r\n"), Ok(None));
    assert_eq!(scan_all(b"|1\r\n+a\r\n:1\r\n:2\r\n"), Ok(Some(16)));
    assert_eq!(scan_all(b"x").unwrap_err().reason, "invalid-type");
    assert_eq!(
      scan_all(b"$?\r\n").unwrap_err().reason,
      "unsupported-streamed"
    );
  }

  #[test]
  fn resumes_where_it_stopped() {
    let bytes = b"*3\r\n$3\r\nabc\r\n:12\r\n#t\r\n";
    let mut s = Scanner::new(Limits::default());
    for end in 1..bytes.len() {
      assert_eq!(s.scan(bytes, 0, end), Ok(None), "end {end}");
    }
    assert_eq!(s.scan(bytes, 0, bytes.len()), Ok(Some(bytes.len())));
  }
}
