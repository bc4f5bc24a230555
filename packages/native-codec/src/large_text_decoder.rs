//! A large bulk string of ASCII text, gathered whole in the decoder's buffer, becomes an external
//! string over that buffer itself: no copy of its body. A child module of `decoder.rs`, so it
//! works on the decoder's state.
//!
//! Why: a 64 MiB value arriving in 1,460-byte chunks was copied into the gathering buffer and then
//! again into the external string's own memory, 128 MiB of fresh pages per value, and took 1.6×
//! the JS decoder's time (its page faults, not its copying, were most of it under `perf`).

use super::{Decoder, Emitter, KIND_REPLY};
use crate::external_text::{
  external_latin1_owned, EXTERNAL_TEXT_MAX_BYTES, EXTERNAL_TEXT_MIN_BYTES,
};
use crate::js::Js;
use crate::wire::{simple_length, BULK_STRING};

/// What became of the gathering buffer.
pub(super) enum LargeText {
  /// Not a large ASCII bulk string whole in it: the buffer back, untouched, for the usual path.
  NotIt(Vec<u8>),
  /// Made and emitted; the bytes that followed it, now the decoder's to run from offset 0.
  Rest(Vec<u8>),
  /// Node-API failed; what is left is kept in the decoder.
  Failed(napi::Error),
}

impl Decoder {
  /// At `pending[self.start]`, gathered over several chunks: a top-level bulk string of at least
  /// 1 MiB of ASCII, whole, which the scanner accepts, becomes an external string owning
  /// `pending`. Only for text mode with no sink to ask, and no list streaming.
  pub(super) fn large_text(
    &mut self,
    js: &mut Js,
    pending: Vec<u8>,
    emitter: &mut Emitter,
  ) -> LargeText {
    let start = self.start;
    if pending.get(start) != Some(&BULK_STRING) {
      return LargeText::NotIt(pending);
    }
    // A plain header (`$<digits>\r\n`); anything else takes the usual path, which rules on it.
    let (length, cr) = match simple_length(&pending, start, pending.len()) {
      Some((n, cr))
        if (EXTERNAL_TEXT_MIN_BYTES as u64..=EXTERNAL_TEXT_MAX_BYTES as u64).contains(&n) =>
      {
        (n as usize, cr)
      }
      _ => return LargeText::NotIt(pending),
    };
    let body = cr + 2;
    if body + length + 2 > pending.len() {
      return LargeText::NotIt(pending);
    }
    // Every rule and limit as on the usual path; that path scans from the frame's start again.
    self.gathering = false;
    self.scanner.begin();
    let scanned = self.scanner.scan(&pending, start, pending.len());
    self.scanner.begin();
    if !matches!(scanned, Ok(Some(n)) if n == body + length + 2 - start)
      || !pending[body..body + length].is_ascii()
    {
      return LargeText::NotIt(pending);
    }
    if let Err(err) = emitter.prepare(js) {
      self.pending = pending;
      return LargeText::Failed(err);
    }
    let rest = pending[body + length + 2..].to_vec();
    let mut owned = pending;
    owned.truncate(body + length);
    if owned.capacity() > owned.len() + owned.len() / 8 {
      owned.shrink_to_fit();
    }
    let value = match external_latin1_owned(js.env, owned, body, length) {
      Ok(value) => Ok(value),
      // A host that makes no external string: a heap string, from a copy.
      Err(owned) => js.text(&owned[body..body + length]),
    };
    let emitted = value.and_then(|value| emitter.emit(js, value, KIND_REPLY));
    match emitted {
      Ok(()) => LargeText::Rest(rest),
      Err(err) => {
        self.pending = rest;
        self.start = 0;
        LargeText::Failed(err)
      }
    }
  }
}
