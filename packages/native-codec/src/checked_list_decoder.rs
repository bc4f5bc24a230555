//! The decoder's side of a checked list (`Builder::checked_list`): a large top-level list that
//! arrived whole is built as its elements are checked, not scanned first and then built. A child
//! module of `decoder.rs`, so it works on the decoder's state.

use super::{Decoder, Emitter, FrameAt, KIND_REPLY};
use crate::js::Js;
use crate::scanner::Limits;
use crate::values::{Builder, ReplyMode, RUN};
use crate::wire::{simple_length, ARRAY, BULK_STRING, INTEGER, SET};

/// Lists of fewer elements are scanned first, as before: the second walk costs them little.
const CHECKED_MIN_ELEMENTS: u64 = RUN as u64;
/// The shortest element: `_\r\n` (a RESP3 null).
const MIN_ELEMENT_BYTES: usize = 3;

/// Whether the frame at `buf[pos]` is a list worth building as it is checked: `*` or `~` with a
/// plain count of at least CHECKED_MIN_ELEMENTS, within the limits, and likely whole (a list cut
/// short is better scanned first: it is streamed, and what a checked build made is thrown away).
fn worth_checking(buf: &[u8], pos: usize, limits: &Limits) -> bool {
  let end = buf.len();
  if buf[pos] != ARRAY && buf[pos] != SET {
    return false;
  }
  let Some((count, cr)) = simple_length(buf, pos, end) else {
    return false;
  };
  if count < CHECKED_MIN_ELEMENTS || count as f64 > limits.max_elements || limits.max_depth < 1.0 {
    return false;
  }
  let first = cr + 2;
  if first >= end {
    return false;
  }
  // The list's array is made before its elements: a count its bytes cannot hold would allocate
  // for nothing. Every element takes 3 bytes at least (`_\r\n`); a bulk string or integer first
  // is taken as the size of them all, as the JS decoder guesses (`cutShortByFirstElement`).
  let size = match buf[first] {
    BULK_STRING | INTEGER => match simple_length(buf, first, end) {
      Some((n, line_end)) if buf[first] == BULK_STRING => line_end + 4 + n as usize - first,
      Some((_, line_end)) => line_end + 2 - first,
      None => MIN_ELEMENT_BYTES,
    },
    _ => MIN_ELEMENT_BYTES,
  };
  (size as u64).saturating_mul(count) <= (end - pos) as u64
}

impl Decoder {
  /// At a frame's start: builds it as a checked list when it is worth it and all
  /// of it is there. The first byte after it, or None: scan it as usual (its mode, if asked, is
  /// kept in `decided`).
  pub(super) fn build_checked(
    &mut self,
    js: &mut Js,
    at: FrameAt,
    emitter: &mut Emitter,
  ) -> napi::Result<Option<usize>> {
    let (buf, pos, from_pending, decide) = (at.buf, at.pos, at.from_pending, at.decide);
    if !worth_checking(buf, pos, &self.scanner.limits) {
      return Ok(None);
    }
    let mode = if decide {
      match emitter.ask_mode(js, false) {
        Ok(mode) => Some(mode),
        Err(err) => {
          // stringMode (or the sink, given the frames before) threw: start this frame over next time.
          self.keep(buf, pos, from_pending, false);
          return Err(err);
        }
      }
    } else {
      None
    };
    if mode == Some(ReplyMode::Frame) {
      self.decided = mode;
      return Ok(None);
    }
    if let Err(err) = emitter.prepare(js) {
      self.decided = mode;
      self.keep(buf, pos, from_pending, false);
      return Err(err);
    }
    let mut builder = Builder::new(js, &mut emitter.cache, &buf[pos..], self.shape, mode);
    let built = builder.checked_list(&mut self.scanner);
    let attributes = std::mem::take(&mut builder.attributes);
    let (value, length) = match built {
      Ok(Some(done)) => done,
      Ok(None) => {
        self.decided = mode;
        self.scanner.begin();
        return Ok(None);
      }
      Err(err) => {
        // A hook threw (or Node-API failed): build this frame again next time.
        self.keep(buf, pos, from_pending, false);
        return Err(err);
      }
    };
    let next = pos + length;
    if let Err(err) = emitter.emit_frame(js, attributes, value, KIND_REPLY) {
      // The sink threw: keep what is left so the stream stays consistent, and let it propagate.
      self.keep(buf, next, from_pending, false);
      return Err(err);
    }
    Ok(Some(next))
  }
}
