//! The decoder's side of a streamed list (`streamed_list.rs`): when to start one, and going on
//! with it as bytes arrive. A child module of `decoder.rs`, so it works on the decoder's state.

use super::{Decoder, Emitter, FrameAt, KIND_PUSH, KIND_REPLY};
use crate::js::Js;
use crate::streamed_list::{self, streamable, StreamedList, SMALL_CUT_SHORT};
use crate::values::ReplyMode;
use crate::wire::{simple_length, PUSH};

/// How a streamed list went on with the bytes it was given.
pub(super) enum ListStep {
  /// Still unfinished: what is left is kept.
  Cut,
  /// Whole and emitted; the first byte after it.
  Done(usize),
  /// A protocol error, emitted; the decoder is poisoned.
  Failed,
}

impl Decoder {
  /// At a frame cut short at `buf[pos]`: starts streaming it when it is a large list with a plain
  /// header, not wanted as a frame. None: gather it as usual (the scanner holds its progress).
  pub(super) fn start_list(
    &mut self,
    js: &mut Js,
    at: FrameAt,
    emitter: &mut Emitter,
  ) -> napi::Result<Option<ListStep>> {
    let (buf, pos, from_pending, decide) = (at.buf, at.pos, at.from_pending, at.decide);
    let ty = buf[pos];
    if !streamable(ty) || buf.len() - pos <= SMALL_CUT_SHORT {
      return Ok(None);
    }
    let Some((count, cr)) = simple_length(buf, pos, buf.len()) else {
      return Ok(None);
    };
    let mode = match self.decided {
      Some(mode) => mode,
      None if decide => match emitter.ask_mode(js, ty == PUSH) {
        Ok(mode) => mode,
        Err(err) => {
          // stringMode (or the sink, given the frames before) threw: start this frame over next time.
          self.keep(buf, pos, from_pending, false);
          return Err(err);
        }
      },
      None if self.shape.strings_buffer => ReplyMode::Buffer,
      None => ReplyMode::Utf8,
    };
    if mode == ReplyMode::Frame {
      // Wanted as bytes: gathered whole, and built with the mode already asked.
      self.decided = Some(mode);
      return Ok(None);
    }
    self.decided = None;
    let header = cr + 2 - pos;
    self.list = Some(StreamedList::new(
      ty,
      count as usize,
      header,
      mode == ReplyMode::Buffer,
    ));
    self
      .continue_list(js, buf, pos + header, from_pending, emitter)
      .map(Some)
  }

  /// Goes on with the streamed list from `buf[from]`; emits it once whole. Keeps what is left
  /// (or, when a hook threw or Node-API failed, `buf[from..]`, to be built next time).
  pub(super) fn continue_list(
    &mut self,
    js: &mut Js,
    buf: &[u8],
    from: usize,
    from_pending: bool,
    emitter: &mut Emitter,
  ) -> napi::Result<ListStep> {
    let end = buf.len();
    let shape = self.shape;
    let Some(list) = self.list.as_mut() else {
      return Ok(ListStep::Done(from));
    };
    let ready = match list.scan(&mut self.scanner, buf, from, end) {
      Ok(ready) => ready,
      Err(err) => {
        self.poison();
        streamed_list::clear(js)?;
        emitter.error(js, err)?;
        return Ok(ListStep::Failed);
      }
    };
    let mut at = from;
    if ready {
      let built = match emitter.prepare(js) {
        Ok(()) => list.build_scanned(&mut self.scanner, js, &mut emitter.cache, shape, buf, from),
        Err(err) => {
          list.rescan();
          Err(err)
        }
      };
      match built {
        Ok(next) => at = next,
        Err(err) => {
          self.keep(buf, from, from_pending, false);
          return Err(err);
        }
      }
    }
    let Some(list) = self.list.take_if(|list| list.whole()) else {
      let scanning = self.list.as_ref().is_some_and(|list| list.scanning);
      self.keep(buf, at, from_pending, scanning);
      return Ok(ListStep::Cut);
    };
    let kind = if list.ty == PUSH {
      KIND_PUSH
    } else {
      KIND_REPLY
    };
    let delivered = list
      .finish(js, shape)
      .and_then(|(value, attributes)| emitter.emit_frame(js, attributes, value, kind));
    if let Err(err) = delivered {
      self.keep(buf, at, from_pending, false);
      return Err(err);
    }
    Ok(ListStep::Done(at))
  }
}
