//! The fused builder: one whole frame, already checked by the scanner, becomes JS values in one
//! recursive pass straight from the bytes (no Rust value tree). It mirrors the value rules of
//! `@fusedis/resp`'s `decode-frame.ts` one for one; recursion depth is bounded by `maxDepth`,
//! which the scanner enforced.

use crate::js::{Hook, Js, Value};
use crate::scanner::{Limits, Scanner};
use crate::wire::*;
use napi::{Error, Result, Status};

/// How replies map to JS values (`DecodeOptions` without the limits).
#[derive(Clone, Copy, Default)]
pub struct Shape {
  pub strings_buffer: bool,
  pub maps_map: bool,
  pub sets_set: bool,
  pub integers_bigint: bool,
  pub attributes_sink: bool,
}

/// What `sink.stringMode` (or `replyMode`) chose for one top-level reply.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReplyMode {
  Utf8,
  Buffer,
  /// The reply's own bytes as one `Buffer` (an error reply still a `ReplyError`; a push never).
  Frame,
}

/// Frames deeper than this are refused rather than risk the native stack; the JS decoder would
/// overflow its own stack (a RangeError) long before. Only reachable with `maxDepth` raised past it.
const MAX_NATIVE_DEPTH: usize = 20_000;

/// Aggregates of up to this many elements are made in one call (`ArrayOf`, `ObjectOf`).
const SMALL: usize = 32;
/// Larger ones are filled in runs of this many elements, each run in its own handle scope.
pub const RUN: usize = 512;

/// Longest string taken into a run's text: JS builds strings this short from their bytes with
/// `String.fromCharCode` (`@fusedis/resp`'s `utf8Text`), cheaper than a Node-API string each.
/// The wrapper's `Text` array holds `RUN × SLICE_MAX` bytes.
pub const SLICE_MAX: usize = 24;
/// In a run's `ends`: this element is a value passed along, not text.
pub const VALUE: u32 = u32::MAX;
/// In a run's `ends`: this element is the next of the run's numbers (a safe integer).
pub const NUMBER: u32 = u32::MAX - 1;
/// In a run's `ends`: `ROW + k`, this element is an array of the next `k` entries (a row).
pub const ROW: u32 = 0xFFFF_0000;
/// Longest array of scalars stored as a row of its run rather than made by its own call. The
/// wrapper's `Ends` array holds `RUN × (1 + ROW_MAX)` entries, its `Text` array
/// `RUN × ROW_MAX × SLICE_MAX` bytes.
pub const ROW_MAX: usize = 8;

// The markers stay clear of every text offset of a run (below `RUN × ROW_MAX × SLICE_MAX`) and of
// each other, rows of up to `ROW_MAX` entries included: checked when compiling.
const _: () = assert!(((RUN * ROW_MAX * SLICE_MAX) as u32) < ROW);
const _: () = assert!(ROW + (ROW_MAX as u32) < NUMBER && NUMBER < VALUE);

/// 2^53 - 1.
const MAX_SAFE: i64 = 9_007_199_254_740_991;

/// The last short simple string made at the top level, reused for the next identical one:
/// `+OK` replies back to back cost one string, not one each. Valid while the handle scope it was
/// made in is open (the emitter clears it when it closes that scope).
pub struct TextCache {
  len: usize,
  bytes: [u8; 16],
  value: Value,
}

impl TextCache {
  /// The string of `bytes` (at most 16 of them): the cached one when it holds the same bytes,
  /// else a new one, cached in its place.
  pub fn text(&mut self, js: &Js, bytes: &[u8]) -> Result<Value> {
    let len = bytes.len();
    if !self.value.is_null() && self.len == len && same_bytes(&self.bytes[..len], bytes) {
      return Ok(self.value);
    }
    let value = js.text(bytes)?;
    self.len = len;
    self.bytes[..len].copy_from_slice(bytes);
    self.value = value;
    Ok(value)
  }
}

/// Equal short byte strings, compared inline: a `memcmp` call per reply was 7 % of `+OK` batches.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
  let mut differ = 0u8;
  for (x, y) in a.iter().zip(b) {
    differ |= x ^ y;
  }
  differ == 0
}

impl Default for TextCache {
  fn default() -> Self {
    TextCache {
      len: 0,
      bytes: [0; 16],
      value: std::ptr::null_mut(),
    }
  }
}

/// Whether `buf[start]` is an array of at most ROW_MAX bulk strings and non-negative integers, all
/// whole and well formed by the scanner's fast-path rules (a row of a table-like reply, what
/// `take_row` reads); false for anything else, which the scanner then judges.
fn whole_row(buf: &[u8], start: usize, end: usize, limits: &Limits) -> bool {
  let Some((k, cr)) = simple_length(buf, start, end) else {
    return false;
  };
  if k as usize > ROW_MAX || k as f64 > limits.max_elements {
    return false;
  }
  let mut pos = cr + 2;
  for _ in 0..k {
    if pos >= end {
      return false;
    }
    let next = match buf[pos] {
      BULK_STRING => whole_bulk(buf, pos, end, limits.max_reply_bytes).map(|(_, _, next)| next),
      INTEGER => simple_length(buf, pos, end).map(|(_, cr)| cr + 2),
      _ => None,
    };
    let Some(next) = next else {
      return false;
    };
    pos = next;
  }
  true
}

/// How an element of a `checked_list` checked out.
enum Checked {
  /// Whole, valid, and taken into the run's text.
  Taken,
  /// Whole and valid: to be built.
  Whole,
  /// Cut short, malformed or over a limit.
  Not,
}

/// One frame being built.
pub struct Builder<'a> {
  pub js: &'a mut Js,
  cache: &'a mut TextCache,
  buf: &'a [u8],
  pos: usize,
  shape: Shape,
  buffer_mode: bool,
  depth: usize,
  /// The mode `sink.stringMode` chose for the top-level value, if asked.
  top_mode: Option<ReplyMode>,
  /// The top-level type after any attribute.
  pub top_type: u8,
  /// Attribute maps met, in order, with `attributes: 'sink'`.
  pub attributes: Vec<Value>,
  /// Elements built but not yet stored, of every open aggregate (each uses the top of it).
  stack: Vec<Value>,
  /// Set by `checked_list`: the top-level list's elements are checked one by one as they are
  /// reached (the frame was not scanned first), with this scanner for all but the common ones.
  checker: Option<&'a mut Scanner>,
  /// An element did not check out: what was built is thrown away.
  gave_up: bool,
}

impl<'a> Builder<'a> {
  pub fn new(
    js: &'a mut Js,
    cache: &'a mut TextCache,
    buf: &'a [u8],
    shape: Shape,
    top_mode: Option<ReplyMode>,
  ) -> Self {
    Builder {
      js,
      cache,
      buf,
      pos: 0,
      shape,
      buffer_mode: shape.strings_buffer,
      depth: 0,
      top_mode,
      top_type: 0,
      attributes: Vec::new(),
      stack: Vec::new(),
      checker: None,
      gave_up: false,
    }
  }

  /// Builds the top-level list at the start of `buf` (`*` or `~` with a plain count, over SMALL
  /// elements so that they go through `fill`) without scanning the frame first: each element is checked just before it is
  /// read, so the bytes are walked once instead of twice. `None` when an element is cut short,
  /// malformed or over a limit: what was built is garbage, and the caller scans the frame as
  /// usual, which finds and reports the same thing. Else the list and the frame's length.
  pub fn checked_list(&mut self, scanner: &'a mut Scanner) -> Result<Option<(Value, usize)>> {
    self.checker = Some(scanner);
    match self.value() {
      Ok(value) => Ok(Some((value, self.pos))),
      Err(_) if self.gave_up => Ok(None),
      Err(err) => Err(err),
    }
  }

  /// In `checked_list`: whether the element at `pos` is whole and valid, so the readers, which
  /// trust the bytes, may read it. A bulk string or a non-negative integer is checked here as the
  /// scanner's own fast path checks it (a short ASCII string then taken into `text` at once, its
  /// header read once); anything else by the scanner.
  fn check_element(&mut self, text: &mut Vec<u8>) -> Checked {
    let (buf, start, end) = (self.buf, self.pos, self.buf.len());
    let Some(scanner) = self.checker.as_deref_mut() else {
      return Checked::Whole;
    };
    if start >= end {
      return Checked::Not;
    }
    let limits = scanner.limits;
    match buf[start] {
      BULK_STRING => {
        if let Some((body, body_end, next)) = whole_bulk(buf, start, end, limits.max_reply_bytes) {
          let bytes = &buf[body..body_end];
          if self.buffer_mode || bytes.len() > SLICE_MAX || !bytes.is_ascii() {
            return Checked::Whole;
          }
          text.extend_from_slice(bytes);
          self.pos = next;
          return Checked::Taken;
        }
      }
      INTEGER if simple_length(buf, start, end).is_some() => return Checked::Whole,
      // A row of a table-like reply; one level deeper than the element, as the scanner counts.
      ARRAY if limits.max_depth >= 2.0 && whole_row(buf, start, end, &limits) => {
        return Checked::Whole;
      }
      _ => {}
    }
    // The element sits one level deep, `start` bytes into the frame, as in a scan of it all.
    scanner.begin_at(1, start);
    match scanner.scan(buf, start, end) {
      Ok(Some(_)) => Checked::Whole,
      _ => Checked::Not,
    }
  }

  /// Gives up a `checked_list`: an error only `checked_list` sees.
  fn give_up(&mut self) -> Error {
    self.gave_up = true;
    Error::new(Status::Cancelled, "element to be scanned".to_string())
  }

  /// The CR ending the line at `from` (the scanner proved it is there).
  fn cr(&self, from: usize) -> usize {
    let mut i = from;
    while self.buf[i] != CR {
      i += 1;
    }
    i
  }

  /// The length in the header line `buf[start + 1, cr)`: `None` for -1.
  fn length(&self, start: usize, cr: usize) -> Option<usize> {
    match parse_length(self.buf, start + 1, cr) {
      Length::Len(n) => Some(n as usize),
      _ => None,
    }
  }

  fn string(&self, from: usize, to: usize) -> Result<Value> {
    let bytes = &self.buf[from..to];
    if self.buffer_mode {
      self.js.buffer(bytes)
    } else {
      self.js.text(bytes)
    }
  }

  pub fn value(&mut self) -> Result<Value> {
    let start = self.pos;
    let ty = self.buf[start];
    if self.depth == 0 {
      self.top_type = ty;
      if ty != ATTRIBUTE {
        match self.top_mode.take() {
          Some(ReplyMode::Utf8) => self.buffer_mode = false,
          Some(ReplyMode::Buffer) => self.buffer_mode = true,
          Some(ReplyMode::Frame) if ty != SIMPLE_ERROR && ty != BULK_ERROR && ty != PUSH => {
            // The scanner checked the whole frame; the value runs to its end. A copy: the
            // gathering buffer is reused.
            self.pos = self.buf.len();
            return self.js.buffer(&self.buf[start..]);
          }
          _ => {}
        }
      }
    }
    if ty == BULK_STRING {
      if let Some((n, cr)) = simple_length(self.buf, start, self.buf.len()) {
        let body = cr + 2;
        self.pos = body + n as usize + 2;
        return self.string(body, body + n as usize);
      }
    }
    let cr = self.cr(start + 1);
    match ty {
      BULK_STRING => match self.length(start, cr) {
        None => {
          self.pos = cr + 2;
          self.js.null()
        }
        Some(n) => {
          self.pos = cr + 2 + n + 2;
          self.string(cr + 2, cr + 2 + n)
        }
      },
      ARRAY | SET | PUSH => {
        self.pos = cr + 2;
        match self.length(start, cr) {
          None => self.js.null(),
          Some(count) => self.list(ty, count),
        }
      }
      SIMPLE_STRING => {
        self.pos = cr + 2;
        let len = cr - start - 1;
        if self.depth > 0 || self.buffer_mode || len > 16 {
          return self.string(start + 1, cr);
        }
        self.cache.text(self.js, &self.buf[start + 1..cr])
      }
      INTEGER => {
        self.pos = cr + 2;
        self.integer(start + 1, cr)
      }
      MAP | ATTRIBUTE => {
        self.pos = cr + 2;
        let count = self.length(start, cr).unwrap_or(0);
        self.map(ty, count)
      }
      SIMPLE_ERROR => {
        self.pos = cr + 2;
        let message = self.js.text(&self.buf[start + 1..cr])?;
        self.js.call(Hook::ReplyError, &[message])
      }
      NULL => {
        self.pos = cr + 2;
        self.js.null()
      }
      BOOLEAN => {
        self.pos = cr + 2;
        self.js.boolean(self.buf[start + 1] == b't')
      }
      DOUBLE => {
        self.pos = cr + 2;
        self.js.number(parse_double(&self.buf[start + 1..cr]))
      }
      BIG_NUMBER => {
        self.pos = cr + 2;
        let text = self.js.latin1(&self.buf[start + 1..cr])?;
        self.js.call(Hook::BigInt, &[text])
      }
      BULK_ERROR => {
        let n = self.length(start, cr).unwrap_or(0);
        let body = cr + 2;
        self.pos = body + n + 2;
        let message = self.js.text(&self.buf[body..body + n])?;
        self.js.call(Hook::ReplyError, &[message])
      }
      _ => {
        // VERBATIM: the `txt:`/`mkd:` format prefix is dropped, callers want the text.
        let n = self.length(start, cr).unwrap_or(0);
        let body = cr + 2;
        self.pos = body + n + 2;
        self.string(body + 4, body + n)
      }
    }
  }

  fn open(&mut self) -> Result<()> {
    self.depth += 1;
    if self.depth > MAX_NATIVE_DEPTH {
      return Err(Error::new(
        Status::GenericFailure,
        "reply nested too deep for the native decoder".to_string(),
      ));
    }
    Ok(())
  }

  /// `*`, `~`, `>` of `count` elements.
  fn list(&mut self, ty: u8, count: usize) -> Result<Value> {
    self.open()?;
    let items = self.elements(count, false)?;
    self.depth -= 1;
    if ty == SET && self.shape.sets_set {
      return self.js.call(Hook::MakeSet, &[items]);
    }
    Ok(items)
  }

  /// The next `count` values (`keyed`: as key, value pairs of an object-mode map) in a new
  /// array (or null-prototype object). Elements are stored by JS helpers, a run at a time:
  /// one crossing per run instead of one `napi_set_element` per element.
  fn elements(&mut self, count: usize, keyed: bool) -> Result<Value> {
    let base = self.stack.len();
    if count <= SMALL {
      for i in 0..count {
        let item = if keyed && i % 2 == 0 {
          self.key()?
        } else {
          self.value()?
        };
        self.stack.push(item);
      }
      let hook = if keyed { Hook::ObjectOf } else { Hook::ArrayOf };
      let made = self.js.call_with(hook, &[], &self.stack[base..]);
      self.stack.truncate(base);
      return made;
    }
    let target = if keyed {
      self.js.call(Hook::NullObject, &[])?
    } else {
      self.js.array(count)?
    };
    self.fill(target, 0, count, keyed)?;
    Ok(target)
  }

  /// Builds the `count` elements of a top-level list streamed as it arrives (`buf` holds just
  /// them, whole and scanned) into `target[first..]`, which has room. `buffers`: its string mode.
  pub fn fill_list(
    &mut self,
    target: Value,
    first: usize,
    count: usize,
    buffers: bool,
  ) -> Result<()> {
    self.depth = 1;
    self.buffer_mode = buffers;
    self.fill(target, first, count, false)
  }

  /// Builds the next `count` values into `target`, from index `first` (0 when `keyed`).
  fn fill(&mut self, target: Value, first: usize, count: usize, keyed: bool) -> Result<()> {
    let base = self.stack.len();
    // Per run: the text of its short strings, back to back, and where each element ends in it
    // (or VALUE: the element is the next of the values passed along). Copied into the wrapper's
    // `Text` array, where the JS helper builds each string from its bytes: no Node-API string per
    // element, and no run-long string left behind as garbage.
    let mut text: Vec<u8> = Vec::new();
    let mut numbers: Vec<f64> = Vec::new();
    let mut ends: Vec<u32> = Vec::with_capacity(RUN.min(count));
    // Only the top-level list's own elements: a nested value was checked whole with its element.
    let checking = !keyed && self.depth == 1 && self.checker.is_some();
    let mut at = 0;
    while at < count {
      let run = RUN.min(count - at);
      // Attribute maps outlive their run (they are delivered after the frame): no scope then.
      let _scope = if self.shape.attributes_sink {
        None
      } else {
        Some(self.js.scope()?)
      };
      text.clear();
      numbers.clear();
      ends.clear();
      for i in at..at + run {
        let key = keyed && i % 2 == 0;
        if key {
          // Keys are passed along, already internalized (`key`), not built in JS from text.
          let item = self.key()?;
          self.stack.push(item);
          ends.push(VALUE);
          continue;
        }
        let taken = if checking {
          match self.check_element(&mut text) {
            Checked::Taken => true,
            // A bulk string not taken is no text for the run; a simple string, checked by the
            // scanner, still goes into it.
            Checked::Whole => self.buf[self.pos] == SIMPLE_STRING && self.take_text(&mut text),
            Checked::Not => return Err(self.give_up()),
          }
        } else {
          self.take_text(&mut text)
        };
        if taken {
          ends.push(text.len() as u32);
          continue;
        }
        if !keyed
          && (self.take_number(&mut ends, &mut numbers)
            || self.take_row(&mut ends, &mut text, &mut numbers)?)
        {
          continue;
        }
        let item = self.value()?;
        self.stack.push(item);
        ends.push(VALUE);
      }
      self.js.write_text(&text)?;
      self.js.write_numbers(&numbers)?;
      self.js.write_ends(&ends)?;
      let n = self.js.number(run as f64)?;
      let stored = if keyed {
        self
          .js
          .call_with(Hook::FillObjectRun, &[target, n], &self.stack[base..])
      } else if ends.iter().all(|&end| end < ROW) {
        // Text alone (VALUE, NUMBER and rows are all ≥ ROW): the helper's loop tells nothing apart.
        let offset = self.js.number((first + at) as f64)?;
        self.js.call(Hook::FillTextRun, &[target, offset, n])
      } else {
        let offset = self.js.number((first + at) as f64)?;
        self
          .js
          .call_with(Hook::FillRun, &[target, offset, n], &self.stack[base..])
      };
      self.stack.truncate(base);
      stored?;
      at += run;
    }
    Ok(())
  }

  /// Takes the element at `pos` into the run when it is an array (`*`) of at most ROW_MAX
  /// scalars — a row of a table-like reply — so the JS helper builds it with the run instead of
  /// one call per row: `ROW + k`, then its items as text ends or VALUE (their values pushed on the
  /// stack). Anything nested inside (an aggregate, an attribute) undoes what it took: false.
  fn take_row(
    &mut self,
    ends: &mut Vec<u32>,
    text: &mut Vec<u8>,
    numbers: &mut Vec<f64>,
  ) -> Result<bool> {
    let start = self.pos;
    if self.buf[start] != ARRAY {
      return Ok(false);
    }
    let (k, cr) = match simple_length(self.buf, start, self.buf.len()) {
      Some((k, cr)) if k as usize <= ROW_MAX => (k as usize, cr),
      _ => return Ok(false),
    };
    let (stack_len, ends_len, text_len) = (self.stack.len(), ends.len(), text.len());
    let numbers_len = numbers.len();
    ends.push(ROW + k as u32);
    self.pos = cr + 2;
    self.open()?;
    for _ in 0..k {
      if matches!(self.buf[self.pos], ARRAY | SET | PUSH | MAP | ATTRIBUTE) {
        self.depth -= 1;
        self.pos = start;
        self.stack.truncate(stack_len);
        ends.truncate(ends_len);
        text.truncate(text_len);
        numbers.truncate(numbers_len);
        return Ok(false);
      }
      if self.take_text(text) {
        ends.push(text.len() as u32);
        continue;
      }
      if self.take_number(ends, numbers) {
        continue;
      }
      let item = self.value()?;
      self.stack.push(item);
      ends.push(VALUE);
    }
    self.depth -= 1;
    Ok(true)
  }

  /// Takes the element at `pos` into the run's numbers when it is an integer that becomes a JS
  /// number (number mode, within ±(2^53−1)): no Node-API value for it.
  fn take_number(&mut self, ends: &mut Vec<u32>, numbers: &mut Vec<f64>) -> bool {
    let start = self.pos;
    if self.buf[start] != INTEGER {
      return false;
    }
    let cr = self.cr(start + 1);
    match self.safe_integer(start + 1, cr) {
      Some(value) => {
        numbers.push(value);
        ends.push(NUMBER);
        self.pos = cr + 2;
        true
      }
      None => false,
    }
  }

  /// Takes the element at `pos` into `text` when it is a short ASCII string that becomes a JS
  /// string: at most SLICE_MAX bytes.
  fn take_text(&mut self, text: &mut Vec<u8>) -> bool {
    if self.buffer_mode {
      return false;
    }
    let start = self.pos;
    let (from, to, next) = match self.buf[start] {
      BULK_STRING => match simple_length(self.buf, start, self.buf.len()) {
        Some((n, cr)) if n as usize <= SLICE_MAX => {
          (cr + 2, cr + 2 + n as usize, cr + 4 + n as usize)
        }
        _ => return false,
      },
      SIMPLE_STRING => {
        let cr = self.cr(start + 1);
        if cr - start - 1 > SLICE_MAX {
          return false;
        }
        (start + 1, cr, cr + 2)
      }
      _ => return false,
    };
    let bytes = &self.buf[from..to];
    if !bytes.is_ascii() {
      return false;
    }
    text.extend_from_slice(bytes);
    self.pos = next;
    true
  }

  /// `%` and `|`: a null-prototype object or a Map. An attribute then yields the value it annotates.
  fn map(&mut self, ty: u8, count: usize) -> Result<Value> {
    self.open()?;
    let entries = if self.shape.maps_map {
      let flat = self.elements(count * 2, false)?;
      self.js.call(Hook::MakeMap, &[flat])?
    } else {
      // No prototype: a key named __proto__ is an own data property, never a prototype change.
      self.elements(count * 2, true)?
    };
    self.depth -= 1;
    if ty == MAP {
      return Ok(entries);
    }
    if self.shape.attributes_sink {
      self.attributes.push(entries);
    }
    self.value()
  }

  /// A key of an object-mode map: always text, whatever the string mode. A string key is made
  /// internalized (`Js::property_key`), as V8 keeps property names: storing a fresh string as a
  /// key costs a runtime call that internalizes it, about half of filling a large object.
  fn key(&mut self) -> Result<Value> {
    if let Some(key) = self.string_key() {
      return Ok(key);
    }
    let saved = self.buffer_mode;
    self.buffer_mode = false;
    let key = self.value();
    self.buffer_mode = saved;
    let key = key?;
    if self.js.is_string(key)? {
      return Ok(key);
    }
    self.js.call(Hook::KeyText, &[key])
  }

  /// The bulk or simple string at `pos` as an internalized string, past it; `None` for any
  /// other type (or a host without Node-API 10's property-key calls), `pos` unmoved.
  fn string_key(&mut self) -> Option<Value> {
    let start = self.pos;
    let (from, to, next) = match self.buf[start] {
      BULK_STRING => {
        let (n, cr) = simple_length(self.buf, start, self.buf.len())?;
        (cr + 2, cr + 2 + n as usize, cr + 4 + n as usize)
      }
      SIMPLE_STRING => {
        let cr = self.cr(start + 1);
        (start + 1, cr, cr + 2)
      }
      _ => return None,
    };
    let key = self.js.property_key(&self.buf[from..to])?;
    self.pos = next;
    Some(key)
  }

  /// `:` in `buf[from, to)`, sign included: a number, or a bigint past ±(2^53-1) or in bigint mode.
  fn integer(&mut self, from: usize, to: usize) -> Result<Value> {
    if let Some(value) = self.safe_integer(from, to) {
      return self.js.number(value);
    }
    let bytes = &self.buf[from..to];
    let (negative, significant) = sign_and_digits(bytes);
    if significant.len() > 18 {
      // Beyond i64: BigInt parses it (at least 19 digits, never a safe integer).
      let text = self.js.latin1(bytes)?;
      return self.js.call(Hook::BigInt, &[text]);
    }
    let mut magnitude: i64 = 0;
    for &c in significant {
      magnitude = magnitude * 10 + i64::from(c - b'0');
    }
    // No -0: ":-0" is +0, as `0 - 0` and `Number(0n)` are in JS.
    let value = if negative { -magnitude } else { magnitude };
    self.js.bigint(value)
  }

  /// `:` in `buf[from, to)` as the JS number it becomes, or None when it becomes a bigint
  /// (bigint mode, or past ±(2^53−1)).
  fn safe_integer(&self, from: usize, to: usize) -> Option<f64> {
    if self.shape.integers_bigint {
      return None;
    }
    let (negative, significant) = sign_and_digits(&self.buf[from..to]);
    if significant.len() > 16 {
      return None; // 17 digits or more: past 2^53 − 1, a 16-digit number
    }
    let mut magnitude: i64 = 0;
    for &c in significant {
      magnitude = magnitude * 10 + i64::from(c - b'0');
    }
    if magnitude > MAX_SAFE {
      return None;
    }
    // No -0: ":-0" is +0, as `0 - 0` and `Number(0n)` are in JS.
    Some(if negative { -magnitude } else { magnitude } as f64)
  }
}

/// An integer's text as its sign and its digits without leading zeros (empty for zero).
fn sign_and_digits(bytes: &[u8]) -> (bool, &[u8]) {
  let (negative, digits) = match bytes.first() {
    Some(&MINUS) => (true, &bytes[1..]),
    Some(&PLUS) => (false, &bytes[1..]),
    _ => (false, bytes),
  };
  let significant = match digits.iter().position(|&c| c != b'0') {
    Some(first) => &digits[first..],
    None => &digits[digits.len()..],
  };
  (negative, significant)
}

/// The type of the value a whole (scanned) frame carries, after any attributes.
pub fn top_type(buf: &[u8]) -> u8 {
  let mut p = 0;
  while buf[p] == ATTRIBUTE {
    p = skip_attribute(buf, p);
  }
  buf[p]
}

/// Offset just past the attribute map at `pos` of a scanned frame (iterative: no recursion).
fn skip_attribute(buf: &[u8], pos: usize) -> usize {
  let line = |from: usize| {
    let mut i = from;
    while buf[i] != CR {
      i += 1;
    }
    i
  };
  let length = |start: usize, cr: usize| match parse_length(buf, start + 1, cr) {
    Length::Len(n) => Some(n as usize),
    _ => None,
  };
  let cr = line(pos + 1);
  let mut remaining = length(pos, cr).unwrap_or(0) * 2;
  let mut p = cr + 2;
  while remaining > 0 {
    remaining -= 1;
    let cr = line(p + 1);
    let n = length(p, cr);
    p = match buf[p] {
      BULK_STRING | BULK_ERROR | VERBATIM => cr + 2 + n.map_or(0, |n| n + 2),
      ARRAY | SET | PUSH => {
        remaining += n.unwrap_or(0);
        cr + 2
      }
      MAP => {
        remaining += n.unwrap_or(0) * 2;
        cr + 2
      }
      // A nested attribute annotates the element after it, which still counts.
      ATTRIBUTE => {
        remaining += n.unwrap_or(0) * 2 + 1;
        cr + 2
      }
      _ => cr + 2,
    };
  }
  p
}

/// `,` (already validated): inf, -inf, nan in any case, else the decimal.
pub fn parse_double(bytes: &[u8]) -> f64 {
  let n = bytes.len();
  let last = bytes[n - 1] | 0x20;
  if last == b'f' {
    return if bytes[0] == MINUS {
      f64::NEG_INFINITY
    } else {
      f64::INFINITY
    };
  }
  if last == b'n' && n >= 3 && (bytes[n - 3] | 0x20) == b'n' {
    return f64::NAN;
  }
  // Validated ASCII, so the UTF-8 view cannot fail; Rust's parser rounds correctly, as JS's does.
  std::str::from_utf8(bytes)
    .ok()
    .and_then(|s| s.parse::<f64>().ok())
    .unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
  use super::parse_double;

  #[test]
  fn parses_doubles_like_number() {
    assert_eq!(parse_double(b"1.5"), 1.5);
    assert_eq!(parse_double(b"1."), 1.0);
    assert_eq!(parse_double(b".5"), 0.5);
    assert_eq!(parse_double(b"-1e3"), -1000.0);
    assert_eq!(parse_double(b"+2E-1"), 0.2);
    assert!(parse_double(b"-0").is_sign_negative());
    assert_eq!(parse_double(b"-INF"), f64::NEG_INFINITY);
    assert!(parse_double(b"nan").is_nan());
  }
}
