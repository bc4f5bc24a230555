//! The streaming state: the unfinished reply is kept in Rust, the resumable scanner walks only
//! new bytes, and each whole frame is built into JS values once.
//!
//!   idle ──chunk──► scan + build frames in place ──cut short──► gathering (copy, scan new bytes)
//!     ▲                 │ large list cut short                       │ whole
//!     │                 └──► streaming (build whole elements, drop   │
//!     │                      their bytes, scan the cut one) ──last──►┤
//!     └─────────────────────── build it, go on ◄─────────────────────┘
//!   any violation ──► poisoned (reported once; the wrapper refuses input until reset())
//!
//! Streaming (`streamed_list.rs`) follows the JS decoder's rules: a top-level `*`, `~` or `>`
//! with a plain header, cut short with more than 1,024 bytes of it arrived, not wanted as a frame.
//!
//! Output: one JS array per `feed`: `[kinds | null | undefined, ...values]`, where `kinds` (present
//! only when a push, an attribute or an error is in the batch) gives each value's kind; otherwise
//! `null` says the decoder still holds part of a reply, `undefined` that it is idle. A feed that
//! builds full runs of replies before anything else hands them to the sink as it goes (the
//! `Deliver` hook) rather than into the array. When the sink has `stringMode` (`decide`), which
//! must be asked only after the reply before was delivered, the frames built so far ride along
//! with each `stringMode` call instead, and the JS side delivers them first: still one crossing
//! per reply, not two.

use crate::error::ProtoError;
use crate::js::{Hook, Js, Scope, Value};
use crate::large_buffer::large_vec;
use crate::scanner::{Limits, Scanner};
use crate::streamed_list::StreamedList;
use crate::values::{top_type, Builder, ReplyMode, Shape, TextCache, RUN};
use crate::wire::PUSH;
use napi::Result;

#[path = "streamed_list_decoder.rs"]
mod streamed;
use streamed::ListStep;

#[path = "checked_list_decoder.rs"]
mod checked;

#[path = "large_text_decoder.rs"]
mod large_text;
use large_text::LargeText;

/// A frame's first byte in the bytes `run` walks, with what `run` was told about them.
#[derive(Clone, Copy)]
struct FrameAt<'b> {
  buf: &'b [u8],
  pos: usize,
  /// `buf` is the pending buffer (else a chunk, whose rest is copied when kept).
  from_pending: bool,
  /// The sink's `stringMode` is asked for each reply's mode.
  decide: bool,
}

/// Kinds of output, as the JS wrapper reads them.
pub const KIND_REPLY: u8 = 0;
pub const KIND_PUSH: u8 = 1;
pub const KIND_ATTRIBUTE: u8 = 2;
pub const KIND_ERROR: u8 = 3;

/// Smallest buffer kept for an unfinished reply; it then grows by doubling.
const MIN_PENDING_BYTES: usize = 16 * 1024;
/// Grow straight to the size a bulk body announced only when it is at most this many times what
/// arrived, so a few bytes announcing a huge body cannot make the decoder allocate it.
const MAX_GROWTH_AHEAD: usize = 8;
/// A gathering buffer this large is freed, not kept, once its reply is done.
const KEEP_CAPACITY: usize = 256 * 1024;
/// Up to this many frames are stored into the batch one `napi_set_element` each (~60 ns) rather
/// than by one call of the `Fill` hook (~300 ns): a reply or two per feed is the common case.
const FEW_FRAMES: usize = 4;

pub struct Decoder {
  shape: Shape,
  scanner: Scanner,
  /// Bytes of the unfinished reply: `pending[start..]`.
  pending: Vec<u8>,
  start: usize,
  /// Whether the scanner holds progress for the frame at `pending[start]` (while streaming: for
  /// the element there).
  gathering: bool,
  poisoned: bool,
  /// The top-level list being built as it arrives; `pending[start..]` then holds its element cut short.
  list: Option<StreamedList>,
  /// The mode `stringMode` gave the frame being gathered, asked before it was whole.
  decided: Option<ReplyMode>,
  /// The emitter's vectors between feeds.
  scratch: Scratch,
}

/// Where built frames go during one `feed`.
struct Emitter {
  /// The output array, made before the first frame.
  out: Value,
  /// Values stored in `out` so far (it starts at index 1).
  stored: usize,
  /// Frames built but not yet stored in `out`, and the handle scope they were made in.
  frames: Vec<Value>,
  scope: Option<Scope>,
  /// Kinds of `frames`, and of the values stored in `out`.
  frame_kinds: Vec<u8>,
  kinds: Vec<u8>,
  /// The last short top-level simple string (`+OK`), valid while `scope` is.
  cache: TextCache,
}

/// The vectors an `Emitter` fills, kept by the decoder between feeds so that a feed of a few
/// hundred replies does not grow them from empty again (their growth was ~5 % of a3 chunked).
#[derive(Default)]
struct Scratch {
  frames: Vec<Value>,
  frame_kinds: Vec<u8>,
  kinds: Vec<u8>,
}

/// Past this many entries a vector is dropped rather than kept for the next feed.
const SCRATCH_KEPT: usize = 1 << 16;

/// `v` cleared for reuse, or a new vector when it grew past `SCRATCH_KEPT`.
fn emptied<T>(mut v: Vec<T>) -> Vec<T> {
  if v.capacity() > SCRATCH_KEPT {
    return Vec::new();
  }
  v.clear();
  v
}

impl Emitter {
  fn new(scratch: Scratch) -> Self {
    Emitter {
      out: std::ptr::null_mut(),
      stored: 0,
      frames: scratch.frames,
      scope: None,
      frame_kinds: scratch.frame_kinds,
      kinds: scratch.kinds,
      cache: TextCache::default(),
    }
  }

  /// Its vectors, emptied (no handle outlives the feed), for the next feed.
  fn recycle(self) -> Scratch {
    Scratch {
      frames: emptied(self.frames),
      frame_kinds: emptied(self.frame_kinds),
      kinds: emptied(self.kinds),
    }
  }

  /// Before building a frame: in batch mode, the output array and a scope for the next run of frames.
  fn prepare(&mut self, js: &mut Js) -> Result<()> {
    if self.scope.is_some() {
      return Ok(());
    }
    if self.out.is_null() {
      self.out = js.array(0)?;
    }
    self.scope = Some(js.scope()?);
    Ok(())
  }

  fn emit(&mut self, js: &mut Js, value: Value, kind: u8) -> Result<()> {
    self.frames.push(value);
    self.frame_kinds.push(kind);
    // Only at a frame's end (its value, after its attributes): flushing closes the scope the
    // rest of the frame's handles live in.
    if kind != KIND_ATTRIBUTE && self.frames.len() >= RUN {
      if self.stored == 0 && self.frame_kinds.iter().all(|&k| k == KIND_REPLY) {
        self.deliver(js)?;
      } else {
        self.flush(js)?;
      }
    }
    Ok(())
  }

  /// A frame's attribute maps (`attributes: 'sink'`), in order, then its value.
  fn emit_frame(
    &mut self,
    js: &mut Js,
    attributes: Vec<Value>,
    value: Value,
    kind: u8,
  ) -> Result<()> {
    for attribute in attributes {
      self.emit(js, attribute, KIND_ATTRIBUTE)?;
    }
    self.emit(js, value, kind)
  }

  /// Hands a full run of replies to the sink at once (nothing is in the batch yet, so the order
  /// holds): a feed of 100,000 `+OK` built an array of them all, and its growth's fresh pages cost
  /// more than the decoding. Handed over whatever happens: the JS side keeps what a throwing sink
  /// did not take.
  fn deliver(&mut self, js: &mut Js) -> Result<()> {
    let delivered = js.call_with(Hook::Deliver, &[], &self.frames).map(|_| ());
    self.frames.clear();
    self.frame_kinds.clear();
    self.cache = TextCache::default();
    self.scope = None;
    delivered
  }

  /// Stores the frames built so far into `out` with one call, then closes their scope.
  fn flush(&mut self, js: &mut Js) -> Result<()> {
    let result = if self.frames.is_empty() {
      Ok(())
    } else {
      let stored = if self.frames.len() <= FEW_FRAMES {
        self
          .frames
          .iter()
          .enumerate()
          .try_for_each(|(i, &frame)| js.set_element(self.out, self.stored + 1 + i, frame))
      } else {
        let at = js.number((self.stored + 1) as f64)?;
        js.call_with(Hook::Fill, &[self.out, at], &self.frames)
          .map(|_| ())
      };
      self.stored += self.frames.len();
      self.frames.clear();
      self.kinds.append(&mut self.frame_kinds);
      stored
    };
    self.cache = TextCache::default();
    self.scope = None;
    result
  }

  /// Asks `sink.stringMode` for the next frame's mode, handing over the frames built since the
  /// last call for the JS side to deliver first; their scope then closes.
  fn ask_mode(&mut self, js: &mut Js, push: bool) -> Result<ReplyMode> {
    let mut args = Vec::with_capacity(1 + self.frames.len() * 2);
    args.push(js.number(if push { 1.0 } else { 0.0 })?);
    for (&value, &kind) in self.frames.iter().zip(&self.frame_kinds) {
      args.push(js.number(f64::from(kind))?);
      args.push(value);
    }
    // Handed over whatever happens: delivered, or kept by the JS side if the sink throws.
    self.frames.clear();
    self.frame_kinds.clear();
    let mode = js.call(Hook::StringMode, &args).and_then(|mode| {
      Ok(if js.string_equals(mode, "buffer")? {
        ReplyMode::Buffer
      } else if js.string_equals(mode, "frame")? {
        ReplyMode::Frame
      } else {
        ReplyMode::Utf8
      })
    });
    self.cache = TextCache::default();
    self.scope = None;
    mode
  }

  fn error(&mut self, js: &mut Js, err: ProtoError) -> Result<()> {
    self.prepare(js)?;
    let reason = js.str(err.reason)?;
    let detail = js.str(&err.detail)?;
    let offset = js.number(err.offset)?;
    let description = js.call_with(Hook::ArrayOf, &[reason, detail, offset], &[])?;
    self.emit(js, description, KIND_ERROR)
  }

  /// The batch for JS; without one, the hold allowance when there is one, else undefined. In a
  /// batch of replies alone, slot 0 says whether the decoder still holds part of one (`null`) or
  /// nothing (`undefined`), so the JS side knows `idle` without crossing again.
  fn finish(&mut self, js: &mut Js, allowance: usize, idle: bool) -> Result<Value> {
    self.flush(js)?;
    if self.out.is_null() {
      return if allowance > 0 {
        js.number(allowance as f64)
      } else {
        Ok(js.undefined())
      };
    }
    if self.kinds.iter().any(|&kind| kind != KIND_REPLY) {
      let kinds = js.array(self.kinds.len())?;
      for (i, &kind) in self.kinds.iter().enumerate() {
        let k = js.number(f64::from(kind))?;
        js.set_element(kinds, i, k)?;
      }
      js.set_element(self.out, 0, kinds)?;
    } else if !idle {
      let held = js.null()?;
      js.set_element(self.out, 0, held)?;
    }
    Ok(self.out)
  }
}

impl Decoder {
  pub fn new(shape: Shape, limits: Limits) -> Self {
    Decoder {
      shape,
      scanner: Scanner::new(limits),
      pending: Vec::new(),
      start: 0,
      gathering: false,
      poisoned: false,
      list: None,
      decided: None,
      scratch: Scratch::default(),
    }
  }

  /// Nothing kept between feeds: the next chunk may as well go to another decoder.
  pub fn idle(&self) -> bool {
    self.pending.len() == self.start && self.list.is_none() && !self.poisoned
  }

  pub fn reset(&mut self) {
    self.pending = Vec::new();
    self.start = 0;
    self.gathering = false;
    self.poisoned = false;
    self.list = None;
    self.decided = None;
    self.scanner.begin();
  }

  /// Decodes every whole reply that `chunks` complete; keeps the unfinished rest.
  pub fn feed(&mut self, js: &mut Js, chunks: &[&[u8]], decide: bool) -> Result<Value> {
    let mut emitter = Emitter::new(std::mem::take(&mut self.scratch));
    let result = self.feed_into(js, chunks, decide, &mut emitter);
    self.scratch = emitter.recycle();
    result
  }

  fn feed_into(
    &mut self,
    js: &mut Js,
    chunks: &[&[u8]],
    decide: bool,
    emitter: &mut Emitter,
  ) -> Result<Value> {
    let total: usize = chunks.iter().map(|c| c.len()).sum();
    if total == 0 || self.poisoned {
      return emitter.finish(js, 0, false);
    }
    let result = match chunks {
      [chunk] if self.pending.len() == self.start => self.run(js, chunk, false, emitter, decide),
      _ => {
        let live = self.pending.len() - self.start;
        let still_in_body = live > 0 && self.gathering && self.scanner.still_in_body(live + total);
        if live == 0 {
          self.gathering = false;
        }
        for chunk in chunks {
          self.append(chunk);
        }
        if still_in_body {
          // Deep inside a large bulk body: nothing to scan yet.
          return emitter.finish(js, self.hold_allowance(), false);
        }
        let mut pending = std::mem::take(&mut self.pending);
        if !decide && !self.shape.strings_buffer && self.list.is_none() {
          match self.large_text(js, pending, emitter) {
            LargeText::NotIt(back) => pending = back,
            LargeText::Rest(rest) => {
              pending = rest;
              self.start = 0;
            }
            LargeText::Failed(err) => {
              let _ = emitter.flush(js);
              return Err(err);
            }
          }
        }
        let result = self.run(js, &pending, true, emitter, decide);
        if self.pending.is_empty() && !self.poisoned {
          // `run` kept its rest as `start` within the buffer it was given.
          self.pending = pending;
          if self.start == self.pending.len() {
            self.release();
          }
        }
        result
      }
    };
    if let Err(err) = result {
      // Closes the batch's scope; the batch itself is lost with the exception, which only a
      // failing Node-API call or a throwing hook (stringMode, or the sink it delivers to) causes.
      let _ = emitter.flush(js);
      return Err(err);
    }
    let allowance = self.hold_allowance();
    let idle = self.idle();
    emitter.finish(js, allowance, idle)
  }

  /// Inside a bulk body: how many more bytes could arrive without completing it or passing the
  /// reply limit, i.e. while `still_in_body` would stay true. 0 when unknown.
  fn hold_allowance(&self) -> usize {
    let live = self.pending.len() - self.start;
    if live == 0 || self.poisoned || !self.gathering || self.scanner.needed == 0 {
      return 0;
    }
    let max = self.scanner.limits.max_reply_bytes;
    let limit = if max >= (usize::MAX / 2) as f64 {
      usize::MAX / 2
    } else {
      max.floor() as usize
    };
    (self.scanner.needed - 1)
      .min(limit)
      .saturating_sub(live + self.scanner.offset)
  }

  /// Runs over `buf[from..]`: `from` is `self.start` when `buf` is the pending buffer, else 0.
  fn run(
    &mut self,
    js: &mut Js,
    buf: &[u8],
    from_pending: bool,
    emitter: &mut Emitter,
    decide: bool,
  ) -> Result<()> {
    let end = buf.len();
    let mut pos = if from_pending { self.start } else { 0 };
    let mut gathering = from_pending && self.gathering;
    if self.list.is_some() {
      match self.continue_list(js, buf, pos, from_pending, emitter)? {
        ListStep::Cut | ListStep::Failed => return Ok(()),
        ListStep::Done(next) => {
          pos = next;
          gathering = false;
        }
      }
    }
    // `+OK` is made as the JS decoder makes it only where no mode is asked and text is wanted.
    let ok_as_text = !decide && !self.shape.strings_buffer;
    while pos < end {
      if !gathering && ok_as_text && buf[pos..].starts_with(b"+OK\r\n") {
        // `+OK`, the reply of most writes, whole: no scan and no builder, as in the JS decoder.
        let built = emitter
          .prepare(js)
          .and_then(|()| emitter.cache.text(js, b"OK"));
        let value = match built {
          Ok(value) => value,
          Err(err) => {
            self.keep(buf, pos, from_pending, false);
            return Err(err);
          }
        };
        pos += 5;
        if let Err(err) = emitter.emit(js, value, KIND_REPLY) {
          self.keep(buf, pos, from_pending, false);
          return Err(err);
        }
        continue;
      }
      let at = FrameAt {
        buf,
        pos,
        from_pending,
        decide,
      };
      if !gathering {
        self.scanner.begin();
        self.decided = None;
        if let Some(next) = self.build_checked(js, at, emitter)? {
          pos = next;
          continue;
        }
      }
      gathering = false;
      let length = match self.scanner.scan(buf, pos, end) {
        Err(err) => {
          self.poison();
          return emitter.error(js, err);
        }
        Ok(None) => {
          match self.start_list(js, at, emitter)? {
            None => self.keep(buf, pos, from_pending, true),
            Some(ListStep::Done(next)) => {
              pos = next;
              continue;
            }
            Some(ListStep::Cut | ListStep::Failed) => {}
          }
          return Ok(());
        }
        Ok(Some(length)) => length,
      };
      let frame = &buf[pos..pos + length];
      let mut top_mode = self.decided.take();
      if decide && top_mode.is_none() {
        match emitter.ask_mode(js, top_type(frame) == PUSH) {
          Ok(mode) => top_mode = Some(mode),
          Err(err) => {
            // stringMode (or the sink, given the frames before) threw: build this frame next time.
            self.keep(buf, pos, from_pending, false);
            return Err(err);
          }
        }
      }
      if let Err(err) = emitter.prepare(js) {
        self.keep(buf, pos, from_pending, false);
        return Err(err);
      }
      let mut builder = Builder::new(js, &mut emitter.cache, frame, self.shape, top_mode);
      let built = builder.value();
      let top_push = builder.top_type == PUSH;
      let attributes = std::mem::take(&mut builder.attributes);
      let value = match built {
        Ok(value) => value,
        Err(err) => {
          // A hook threw (or Node-API failed): keep the frame whole, to be built again next time.
          self.keep(buf, pos, from_pending, false);
          return Err(err);
        }
      };
      pos += length;
      let kind = if top_push { KIND_PUSH } else { KIND_REPLY };
      if let Err(err) = emitter.emit_frame(js, attributes, value, kind) {
        // The sink threw: keep what is left so the stream stays consistent, and let it propagate.
        self.keep(buf, pos, from_pending, false);
        return Err(err);
      }
    }
    self.keep(buf, pos, from_pending, false);
    Ok(())
  }

  /// Keeps `buf[pos..]` for the next chunk. `scanned`: the scanner holds progress for it.
  fn keep(&mut self, buf: &[u8], pos: usize, from_pending: bool, scanned: bool) {
    self.gathering = scanned;
    if from_pending {
      // `feed` puts the taken buffer back; only the offset moves.
      self.start = pos;
      return;
    }
    let live = buf.len() - pos;
    if live == 0 {
      self.release();
      return;
    }
    let mut pending = large_vec(self.capacity_for(live));
    pending.extend_from_slice(&buf[pos..]);
    self.pending = pending;
    self.start = 0;
  }

  /// Appends a chunk to the unfinished reply, compacting or growing the buffer first.
  fn append(&mut self, chunk: &[u8]) {
    let live = self.pending.len() - self.start;
    if self.pending.len() + chunk.len() > self.pending.capacity() {
      if live + chunk.len() <= self.pending.capacity() {
        // Bytes already built (a streamed list's) are dropped: room enough without growing.
        self.pending.drain(..self.start);
        self.start = 0;
        self.pending.extend_from_slice(chunk);
        return;
      }
      let mut grown = large_vec(self.capacity_for(live + chunk.len()));
      grown.extend_from_slice(&self.pending[self.start..]);
      self.pending = grown;
      self.start = 0;
    }
    self.pending.extend_from_slice(chunk);
  }

  /// Room for `arrived` bytes and what follows: double them, or the size a bulk body announced when close.
  fn capacity_for(&self, arrived: usize) -> usize {
    // While a streamed list is scanned, `needed` counts from the frame's dropped start.
    let needed = self.scanner.needed.saturating_sub(self.scanner.offset);
    let capacity = MIN_PENDING_BYTES.max(arrived * 2);
    if needed > capacity && needed <= arrived * MAX_GROWTH_AHEAD {
      needed
    } else {
      capacity
    }
  }

  fn release(&mut self) {
    if self.pending.capacity() > KEEP_CAPACITY {
      self.pending = Vec::new();
    } else {
      self.pending.clear();
    }
    self.start = 0;
  }

  fn poison(&mut self) {
    self.poisoned = true;
    self.list = None;
    self.decided = None;
    self.pending = Vec::new();
    self.start = 0;
    self.gathering = false;
  }
}
