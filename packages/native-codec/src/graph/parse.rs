//! The byte side of the FalkorDB compact-result decoder: one whole `GRAPH.QUERY --compact` frame
//! (RESP2 or RESP3) walked once, in exactly the order and with exactly the reads of
//! `@fusedis/graph`'s `CompactWireDecoder`, into a flat tape of numbers that the JS side
//! (`src/graph-decoder.ts`) turns into graph's own objects. No value tree: each tape slot is a
//! number the JS walk consumes once, in order.
//!
//! Mirroring the JS decoder includes its leniency: digits are accumulated as doubles without
//! validation (`:1a` is 59), a `[type, value]` pair header is skipped as four bytes, and a read
//! past the end sees "no byte", so a type check there fails with the JS decoder's own message.
//! Where the JS decoder would loop forever, read garbage or step backwards (a line with no CR
//! before the end, a body running past it, a double's negative length), this returns
//! [`Fail::Unreadable`] instead. Whole frames from a server never meet those.

/// RESP type bytes met in compact replies.
const ARRAY: u8 = b'*';
const BULK: u8 = b'$';
const INTEGER: u8 = b':';
const SIMPLE: u8 = b'+';
const ERROR: u8 = b'-';
const NULL3: u8 = b'_';
const DOUBLE3: u8 = b',';
const BULK_ERROR: u8 = b'!';
const MINUS: u8 = b'-';
const DOT: u8 = b'.';
const CR: u8 = b'\r';

/// 2^53 - 1 (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
/// Nesting deeper than this is refused rather than risk the native stack.
pub const MAX_DEPTH: usize = 2_048;
/// Strings of at most this many ASCII bytes go into the shared text and are sliced out in JS: V8
/// copies a slice this short (a longer one would be a view keeping the whole text alive).
pub const SHORT: usize = 12;

// Tape tags: the first slot of every value. Kept in step with `src/graph-decoder.ts`.
pub const T_NULL: f64 = 1.0;
/// A short string: the next slot is its end in the shared text (it starts where the last ended).
pub const T_SHORT: f64 = 2.0;
/// The next element of `refs` (a longer or non-ASCII string, or a bigint).
pub const T_REF: f64 = 3.0;
/// A number in the next slot.
pub const T_NUMBER: f64 = 4.0;
pub const T_TRUE: f64 = 5.0;
pub const T_FALSE: f64 = 6.0;
/// Count, then that many values.
pub const T_ARRAY: f64 = 7.0;
/// id (int slot), label count, label ids, property count, then (key id, value) per property.
pub const T_NODE: f64 = 8.0;
/// id, type id, source, destination (int slots), then properties as in a node.
pub const T_EDGE: f64 = 9.0;
/// Node count, node bodies, edge count, edge bodies.
pub const T_PATH: f64 = 10.0;
/// Entry count, then (key text, value) per entry.
pub const T_MAP: f64 = 11.0;
/// Latitude, longitude.
pub const T_POINT: f64 = 12.0;
/// Count, then the elements as doubles.
pub const T_VECTOR: f64 = 13.0;
/// An int slot: seconds since the Unix epoch (datetime and date).
pub const T_DATE: f64 = 14.0;
pub const T_TIME: f64 = 15.0;
pub const T_DURATION: f64 = 16.0;

/// An "int slot" holds the integer, or NaN when it is a bigint (then the next `refs` element, for
/// a value, or nothing, for an id looked up in a name table: a bigint is never an index there).
/// `#int()` never yields NaN itself, so the marker is unambiguous.
pub const BIGINT_SLOT: f64 = f64::NAN;

/// What a failed decode reports; `src/graph-decoder.ts` turns each into the JS decoder's error.
#[derive(Debug, Clone, PartialEq)]
pub enum Fail {
  /// `expected <what> at byte <at>`.
  Expected(Expect, usize),
  /// `a query reply has 1 or 3 parts`.
  Parts,
  /// `unknown value type <n>`; `None`: the type was a bigint, the last element of `refs`.
  UnknownType(Option<f64>),
  /// `new Array(n)` would throw its RangeError.
  ArrayLength(f64),
  /// `new Float32Array(n)` would throw its RangeError.
  TypedArrayLength(f64),
  /// An error reply: its message is `buf[from, to)`.
  Server(usize, usize),
  /// The bytes end inside a line or a body, or a double has a negative length (the JS decoder
  /// would loop forever, read past the end or step backwards).
  Unreadable(usize),
  /// Nested deeper than [`MAX_DEPTH`].
  TooDeep(usize),
  /// A host call threw (its exception is pending in JS).
  Host,
}

/// A failure on its way out: boxed, so the `Result`s of the hot path stay two registers wide.
pub type Stop = Box<Fail>;

#[cold]
#[inline(never)]
pub fn stop(fail: Fail) -> Stop {
  Box::new(fail)
}

/// What `Fail::Expected` names, in the JS decoder's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
  Pair = 0,
  Array = 1,
  Integer = 2,
  Text = 3,
  Double = 4,
  Property = 5,
}

/// What only JS can make: the parser hands these over as it meets them, in order, so an exception
/// (`BigInt('1a…')`) surfaces exactly where the JS decoder's would.
pub trait Host {
  /// `BigInt(latin1 text)`; appended to `refs` when `keep`.
  fn bigint(&mut self, text: &[u8], keep: bool) -> Result<(), Fail>;
  /// A string from UTF-8 bytes (invalid sequences as U+FFFD), appended to `refs`.
  fn string(&mut self, bytes: &[u8]) -> Result<(), Fail>;
  /// The JS decoder's slow path for a double's text: `+text`, or ±Infinity for `inf`/`-inf`.
  fn number_text(&mut self, text: &[u8]) -> Result<f64, Fail>;
}

/// An integer as `#int()` returns it.
#[derive(Clone, Copy)]
enum Int {
  Number(f64),
  /// Made by the host (and kept in `refs` if asked).
  Big,
}

/// The tape: written straight into a caller's slice (the JS side's reused `Float64Array`) while
/// it fits, then into a growing `Vec` holding a copy of the whole tape.
pub struct Tape<'t> {
  fixed: &'t mut [f64],
  len: usize,
  spill: Vec<f64>,
}

impl<'t> Tape<'t> {
  pub fn new(fixed: &'t mut [f64]) -> Self {
    Tape {
      fixed,
      len: 0,
      spill: Vec::new(),
    }
  }

  #[inline(always)]
  pub fn push(&mut self, slot: f64) {
    if self.len < self.fixed.len() {
      self.fixed[self.len] = slot;
    } else {
      if self.spill.is_empty() {
        self.spill.reserve(self.fixed.len() * 2 + 1024);
        self.spill.extend_from_slice(self.fixed);
      }
      self.spill.push(slot);
    }
    self.len += 1;
  }

  pub fn len(&self) -> usize {
    self.len
  }

  pub fn is_empty(&self) -> bool {
    self.len == 0
  }

  /// The whole tape when it outgrew the fixed slice; `None` when the slice holds it.
  pub fn spilled(&self) -> Option<&[f64]> {
    if self.len > self.fixed.len() {
      Some(&self.spill)
    } else {
      None
    }
  }

  /// The tape's slots, wherever they are.
  pub fn slots(&self) -> &[f64] {
    match self.spilled() {
      Some(all) => all,
      None => &self.fixed[..self.len],
    }
  }
}

/// The tape and the short strings' text of one frame.
pub struct Output<'t> {
  pub tape: Tape<'t>,
  pub text: Vec<u8>,
}

pub struct Parser<'a, 't, H: Host> {
  buf: &'a [u8],
  p: usize,
  host: &'a mut H,
  pub out: Output<'t>,
  depth: usize,
}

/// `ToInt32(n) >> 1`, as the JS decoder halves a map's length.
fn half_int32(n: f64) -> f64 {
  if !n.is_finite() {
    return 0.0;
  }
  let wrapped = n.trunc().rem_euclid(4_294_967_296.0) as u32 as i32;
  f64::from(wrapped >> 1)
}

/// Whether `new Array(n)` accepts `n` (a uint32; -0 included).
#[inline]
fn valid_array_length(n: f64) -> bool {
  // `as u32` saturates; a round trip that gives `n` back means a whole number in range.
  n >= 0.0 && f64::from(n as u32) == n
}

impl<'a, 't, H: Host> Parser<'a, 't, H> {
  pub fn new(buf: &'a [u8], host: &'a mut H, out: Output<'t>) -> Self {
    Parser {
      buf,
      p: 0,
      host,
      out,
      depth: 0,
    }
  }

  /// The byte at `i`, or `None` past the end (the JS decoder's `undefined`).
  #[inline(always)]
  fn at(&self, i: usize) -> Option<u8> {
    self.buf.get(i).copied()
  }

  #[inline(always)]
  fn push(&mut self, slot: f64) {
    self.out.tape.push(slot);
  }

  /// The whole reply: `Ok` with the tape filled, or the first failure the JS decoder would meet.
  pub fn result(&mut self) -> Result<(), Fail> {
    self.reply().map_err(|failure| *failure)
  }

  fn reply(&mut self) -> Result<(), Stop> {
    let first = self.at(0);
    if first == Some(ERROR) {
      let (from, to) = self.line()?;
      return Err(stop(Fail::Server(from, to)));
    }
    if first == Some(BULK_ERROR) {
      return Err(stop(match self.bulk_text()? {
        Some((from, to)) => {
          if to > self.buf.len() {
            Fail::Unreadable(from)
          } else {
            Fail::Server(from, to)
          }
        }
        None => Fail::Server(0, 0),
      }));
    }
    let parts = self.array_length()?;
    if parts == 1.0 {
      self.push(1.0);
      return self.statistics();
    }
    if parts != 3.0 {
      return Err(stop(Fail::Parts));
    }
    self.push(3.0);
    let width = self.array_length()?;
    if !valid_array_length(width) {
      return Err(stop(Fail::ArrayLength(width)));
    }
    self.push(width);
    let mut c = 0.0;
    while c < width {
      self.array_length()?;
      self.int(false)?;
      self.text_or_empty()?;
      c += 1.0;
    }
    let rows = self.array_length()?;
    if !valid_array_length(rows) {
      return Err(stop(Fail::ArrayLength(rows)));
    }
    self.push(rows);
    let mut r = 0.0;
    while r < rows {
      self.array_length()?;
      let mut c = 0.0;
      while c < width {
        self.pair()?;
        c += 1.0;
      }
      r += 1.0;
    }
    self.statistics()
  }

  fn statistics(&mut self) -> Result<(), Stop> {
    let n = self.array_length()?;
    if !valid_array_length(n) {
      return Err(stop(Fail::ArrayLength(n)));
    }
    self.push(n);
    let mut i = 0.0;
    while i < n {
      self.text_or_empty()?;
      i += 1.0;
    }
    Ok(())
  }

  /// `*2 :type value`.
  #[inline]
  fn pair(&mut self) -> Result<(), Stop> {
    if self.at(self.p) != Some(ARRAY) {
      return Err(stop(Fail::Expected(Expect::Pair, self.p)));
    }
    self.p += 4; // "*2\r\n": every pair header is these four bytes
    let ty = self.int(true)?;
    self.value(ty)
  }

  fn value(&mut self, ty: Int) -> Result<(), Stop> {
    let ty = match ty {
      Int::Number(n) => n,
      Int::Big => return Err(stop(Fail::UnknownType(None))),
    };
    // Only small whole numbers match a case; anything else is an unknown type.
    let code = if (1.0..=16.0).contains(&ty) && f64::from(ty as u8) == ty {
      ty as u8
    } else {
      0
    };
    match code {
      2 => self.text_or_empty(),
      3 => {
        let v = self.int(true)?;
        self.int_value(v);
        Ok(())
      }
      5 => {
        let d = self.double()?;
        self.push(T_NUMBER);
        self.push(d);
        Ok(())
      }
      8 => {
        self.push(T_NODE);
        self.node()
      }
      7 => {
        self.push(T_EDGE);
        self.edge()
      }
      1 => {
        self.push(T_NULL);
        self.p += if self.at(self.p) == Some(NULL3) { 3 } else { 5 };
        Ok(())
      }
      4 => {
        let t = match self.bulk_text()? {
          Some((from, to)) => {
            self.readable(from, to)?;
            self.buf.get(from..to) == Some(b"true")
          }
          None => false,
        };
        self.push(if t { T_TRUE } else { T_FALSE });
        Ok(())
      }
      6 => {
        let n = self.array_length()?;
        if !valid_array_length(n) {
          return Err(stop(Fail::ArrayLength(n)));
        }
        self.push(T_ARRAY);
        self.push(n);
        self.nest()?;
        let mut i = 0.0;
        while i < n {
          self.pair()?;
          i += 1.0;
        }
        self.depth -= 1;
        Ok(())
      }
      9 => {
        self.push(T_PATH);
        self.nest()?;
        self.path()?;
        self.depth -= 1;
        Ok(())
      }
      10 => {
        let n = half_int32(self.array_length()?);
        self.push(T_MAP);
        self.push(n);
        self.nest()?;
        let mut i = 0.0;
        while i < n {
          self.text_or_empty()?;
          self.pair()?;
          i += 1.0;
        }
        self.depth -= 1;
        Ok(())
      }
      11 => {
        self.array_length()?;
        let latitude = self.double()?;
        let longitude = self.double()?;
        self.push(T_POINT);
        self.push(latitude);
        self.push(longitude);
        Ok(())
      }
      12 => {
        let n = self.array_length()?;
        // V8's limit (2^32 elements): past it, or below 0, `new Float32Array(n)` throws first.
        if !(0.0..=4_294_967_296.0).contains(&n) {
          return Err(stop(Fail::TypedArrayLength(n)));
        }
        self.push(T_VECTOR);
        self.push(n);
        let mut i = 0.0;
        while i < n {
          let d = self.double()?;
          self.push(d);
          i += 1.0;
        }
        Ok(())
      }
      13..=16 => {
        self.push(match code {
          13 | 14 => T_DATE,
          15 => T_TIME,
          _ => T_DURATION,
        });
        let v = self.int(true)?;
        self.slot(v);
        Ok(())
      }
      _ => Err(stop(Fail::UnknownType(Some(ty)))),
    }
  }

  fn nest(&mut self) -> Result<(), Stop> {
    self.depth += 1;
    if self.depth > MAX_DEPTH {
      return Err(stop(Fail::TooDeep(self.p)));
    }
    Ok(())
  }

  /// An integer value: `T_NUMBER n` or `T_REF` (a bigint).
  #[inline]
  fn int_value(&mut self, v: Int) {
    match v {
      Int::Number(n) => {
        self.push(T_NUMBER);
        self.push(n);
      }
      Int::Big => self.push(T_REF),
    }
  }

  /// An int slot (see [`BIGINT_SLOT`]).
  #[inline]
  fn slot(&mut self, v: Int) {
    self.push(match v {
      Int::Number(n) => n,
      Int::Big => BIGINT_SLOT,
    });
  }

  /// `[id, [labelId…], props]`.
  fn node(&mut self) -> Result<(), Stop> {
    self.array_length()?; // 3
    let id = self.int(true)?;
    self.slot(id);
    let n = self.array_length()?;
    if !valid_array_length(n) {
      return Err(stop(Fail::ArrayLength(n)));
    }
    self.push(n);
    let mut i = 0.0;
    while i < n {
      let label = self.int(false)?;
      self.slot(label);
      i += 1.0;
    }
    self.properties()
  }

  /// `[id, typeId, sourceId, destinationId, props]`.
  fn edge(&mut self) -> Result<(), Stop> {
    self.array_length()?; // 5
    let id = self.int(true)?;
    self.slot(id);
    let ty = self.int(false)?;
    self.slot(ty);
    let source = self.int(true)?;
    self.slot(source);
    let destination = self.int(true)?;
    self.slot(destination);
    self.properties()
  }

  /// `*n` of `*3 :keyId :type value`.
  fn properties(&mut self) -> Result<(), Stop> {
    let n = self.array_length()?;
    self.push(n);
    self.nest()?;
    let mut i = 0.0;
    while i < n {
      if self.at(self.p) != Some(ARRAY) {
        return Err(stop(Fail::Expected(Expect::Property, self.p)));
      }
      self.p += 4; // "*3\r\n"
      let key = self.int(false)?;
      self.slot(key);
      let ty = self.int(true)?;
      self.value(ty)?;
      i += 1.0;
    }
    self.depth -= 1;
    Ok(())
  }

  /// `[[ARRAY, [[NODE, node]…]], [ARRAY, [[EDGE, edge]…]]]`.
  fn path(&mut self) -> Result<(), Stop> {
    self.array_length()?;
    self.array_length()?;
    self.int(false)?;
    let nodes = self.array_length()?;
    if !valid_array_length(nodes) {
      return Err(stop(Fail::ArrayLength(nodes)));
    }
    self.push(nodes);
    let mut i = 0.0;
    while i < nodes {
      self.array_length()?;
      self.int(false)?;
      self.node()?;
      i += 1.0;
    }
    self.array_length()?;
    self.int(false)?;
    let edges = self.array_length()?;
    if !valid_array_length(edges) {
      return Err(stop(Fail::ArrayLength(edges)));
    }
    self.push(edges);
    let mut i = 0.0;
    while i < edges {
      self.array_length()?;
      self.int(false)?;
      self.edge()?;
      i += 1.0;
    }
    Ok(())
  }

  // --- RESP primitives, each the JS decoder's method of the same name. ---

  /// `*n\r\n` → n.
  #[inline]
  fn array_length(&mut self) -> Result<f64, Stop> {
    if self.at(self.p) != Some(ARRAY) {
      return Err(stop(Fail::Expected(Expect::Array, self.p)));
    }
    self.number(self.p + 1)
  }

  /// `:n\r\n`; past ±(2^53-1) the host makes a bigint of the digits' text.
  #[inline]
  fn int(&mut self, keep: bool) -> Result<Int, Stop> {
    if self.at(self.p) != Some(INTEGER) {
      return Err(stop(Fail::Expected(Expect::Integer, self.p)));
    }
    let start = self.p + 1;
    let value = self.number(start)?;
    if !(-MAX_SAFE..=MAX_SAFE).contains(&value) {
      let text = &self.buf[start..self.p - 2];
      self.host.bigint(text, keep).map_err(stop)?;
      return Ok(Int::Big);
    }
    Ok(Int::Number(value))
  }

  /// Digits (optional minus) from `pos` up to CR, accumulated as the JS decoder does (no check
  /// of the bytes); moves past the CR and the byte after it.
  #[inline(always)]
  fn number(&mut self, pos: usize) -> Result<f64, Stop> {
    let mut pos = pos;
    let negative = self.at(pos) == Some(MINUS);
    if negative {
      pos += 1;
    }
    // Fast path: up to 15 plain digits are exact in a u64 and in the JS double alike (below
    // 2^53), and integer arithmetic has no floating-point latency chain.
    if let Some(digits) = self.buf.get(pos..) {
      let mut acc: u64 = 0;
      for (i, &c) in digits.iter().take(15).enumerate() {
        if c.is_ascii_digit() {
          acc = acc * 10 + u64::from(c - b'0');
        } else if c == CR {
          self.p = pos + i + 2;
          let n = acc as f64;
          return Ok(if negative { -n } else { n });
        } else {
          break;
        }
      }
    }
    let mut n = 0.0f64;
    loop {
      match self.at(pos) {
        None => return Err(stop(Fail::Unreadable(pos))),
        Some(CR) => break,
        Some(c) => n = n * 10.0 + (f64::from(c) - 48.0),
      }
      pos += 1;
    }
    self.p = pos + 2;
    Ok(if negative { -n } else { n })
  }

  /// `#bulkText()`: the byte range of `$len` / `!len` / `+text`, or `None` for `$-1` and `_`.
  /// A body running past the end is returned as is; the caller decides.
  #[inline]
  fn bulk_text(&mut self) -> Result<Option<(usize, usize)>, Stop> {
    match self.at(self.p) {
      Some(BULK) | Some(BULK_ERROR) => {
        let length = self.number(self.p + 1)?;
        if length < 0.0 {
          return Ok(None);
        }
        let start = self.p;
        if length > (usize::MAX / 2) as f64 {
          return Err(stop(Fail::Unreadable(start)));
        }
        let end = start + length as usize;
        self.p = end + 2;
        Ok(Some((start, end)))
      }
      Some(SIMPLE) => self.line().map(Some),
      Some(NULL3) => {
        self.p += 3;
        Ok(None)
      }
      _ => Err(stop(Fail::Expected(Expect::Text, self.p))),
    }
  }

  /// A `+`/`-` line's text range.
  fn line(&mut self) -> Result<(usize, usize), Stop> {
    let start = self.p + 1;
    match self
      .buf
      .get(start..)
      .and_then(|rest| rest.iter().position(|&c| c == CR))
    {
      Some(i) => {
        self.p = start + i + 2;
        Ok((start, start + i))
      }
      None => Err(stop(Fail::Unreadable(start))),
    }
  }

  /// `#bulkText() ?? ''` as a string value.
  #[inline]
  fn text_or_empty(&mut self) -> Result<(), Stop> {
    match self.bulk_text()? {
      None => {
        self.push(T_SHORT);
        self.push(self.out.text.len() as f64);
        Ok(())
      }
      Some((from, to)) => self.text(from, to),
    }
  }

  /// Refuses text the JS decoder cannot make: running past the end, longer than 16 bytes or not
  /// ASCII (its `utf8Slice` throws a RangeError there; shorter ASCII reads NULs past the end).
  #[inline]
  fn readable(&self, from: usize, to: usize) -> Result<(), Stop> {
    if to > self.buf.len() {
      let have = self.buf.get(from..).unwrap_or(&[]);
      if to - from > 16 || !have.is_ascii() {
        return Err(stop(Fail::Unreadable(from)));
      }
    }
    Ok(())
  }

  /// The string of `buf[from, to)`. Past the end, the JS decoder pads short ASCII text with NUL
  /// characters (`String.fromCharCode(undefined)`) and throws a RangeError otherwise.
  #[inline]
  fn text(&mut self, from: usize, to: usize) -> Result<(), Stop> {
    let len = to - from;
    if to <= self.buf.len() {
      let bytes = &self.buf[from..to];
      if len <= SHORT && bytes.is_ascii() {
        self.out.text.extend_from_slice(bytes);
        self.push(T_SHORT);
        self.push(self.out.text.len() as f64);
        return Ok(());
      }
      self.host.string(bytes).map_err(stop)?;
      self.push(T_REF);
      return Ok(());
    }
    self.readable(from, to)?;
    let mut padded = self.buf.get(from..).unwrap_or(&[]).to_vec();
    padded.resize(len, 0);
    self.host.string(&padded).map_err(stop)?;
    self.push(T_REF);
    Ok(())
  }

  /// A double: `%.15g` text in a bulk string, or a RESP3 `,` double.
  #[inline]
  fn double(&mut self) -> Result<f64, Stop> {
    let (start, end) = match self.at(self.p) {
      Some(BULK) => {
        let length = self.number(self.p + 1)?;
        let start = self.p as f64;
        let end = start + length;
        if length < 0.0 || end > (usize::MAX / 2) as f64 {
          return Err(stop(Fail::Unreadable(self.p)));
        }
        let end = end as usize;
        self.p = end + 2;
        (start as usize, end)
      }
      Some(DOUBLE3) => {
        let start = self.p + 1;
        let (_, end) = self.line_from(start)?;
        (start, end)
      }
      _ => return Err(stop(Fail::Expected(Expect::Double, self.p))),
    };
    if end == start {
      // No digits: fastDouble declines and `+''` is 0.
      return Ok(0.0);
    }
    if end > self.buf.len() {
      if end - start > 16 {
        return Err(stop(Fail::Unreadable(start)));
      }
      // The JS decoder reads NUL characters past the end: never a number.
      return Ok(f64::NAN);
    }
    let bytes = &self.buf[start..end];
    if let Some(d) = fast_double(bytes) {
      return Ok(d);
    }
    if let Some(d) = plain_decimal(bytes) {
      return Ok(d);
    }
    match bytes {
      b"inf" => Ok(f64::INFINITY),
      b"-inf" => Ok(f64::NEG_INFINITY),
      b"nan" | b"-nan" => Ok(f64::NAN),
      _ => self.host.number_text(bytes).map_err(stop),
    }
  }

  /// A line's range from `start` (after its type byte) to its CR; moves past the CR and one byte.
  fn line_from(&mut self, start: usize) -> Result<(usize, usize), Stop> {
    match self
      .buf
      .get(start..)
      .and_then(|rest| rest.iter().position(|&c| c == CR))
    {
      Some(i) => {
        self.p = start + i + 2;
        Ok((start, start + i))
      }
      None => Err(stop(Fail::Unreadable(start))),
    }
  }
}

const POWERS_OF_TEN: [f64; 23] = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
  1e18, 1e19, 1e20, 1e21, 1e22,
];

/// graph's `fastDouble`: plain decimal text with at most 2^53 as digits and 22 fraction digits,
/// one correctly rounded division (Clinger's fast path); `None` otherwise.
pub fn fast_double(b: &[u8]) -> Option<f64> {
  let mut i = 0;
  let negative = b.first() == Some(&MINUS);
  if negative {
    i = 1;
  }
  // Exact in a u64 up to 19 digits; past that the value is over 2^53 anyway (declined below),
  // and the saturating product keeps it so.
  let mut m: u64 = 0;
  let mut k: i32 = -1;
  let mut digits = 0;
  while i < b.len() {
    let c = b[i];
    if c == DOT && k == -1 {
      k = 0;
    } else if c.is_ascii_digit() {
      m = m.saturating_mul(10).saturating_add(u64::from(c - b'0'));
      digits += 1;
      if k != -1 {
        k += 1;
      }
    } else {
      return None;
    }
    i += 1;
  }
  if digits == 0 || m > MAX_SAFE as u64 || k > 22 {
    return None;
  }
  let m = m as f64;
  let value = if k <= 0 {
    m
  } else {
    m / POWERS_OF_TEN[k as usize]
  };
  Some(if negative { -value } else { value })
}

/// `Number(text)` for text in the strict decimal grammar `[+-]?(d+.?d*|.d+)([eE][+-]?d+)?`:
/// Rust's parser rounds correctly, as JS's does, so both give the same double. `None` for any
/// other text (whitespace, hex, `Infinity`…), which the host hands to JS.
pub fn plain_decimal(b: &[u8]) -> Option<f64> {
  let mut i = 0;
  if matches!(b.first(), Some(b'+') | Some(b'-')) {
    i = 1;
  }
  let mut int_digits = 0;
  while i < b.len() && b[i].is_ascii_digit() {
    i += 1;
    int_digits += 1;
  }
  let mut frac_digits = 0;
  if i < b.len() && b[i] == DOT {
    i += 1;
    while i < b.len() && b[i].is_ascii_digit() {
      i += 1;
      frac_digits += 1;
    }
  }
  if int_digits + frac_digits == 0 {
    return None;
  }
  if i < b.len() && (b[i] | 0x20) == b'e' {
    i += 1;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
      i += 1;
    }
    let mut exp_digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
      i += 1;
      exp_digits += 1;
    }
    if exp_digits == 0 {
      return None;
    }
  }
  if i != b.len() {
    return None;
  }
  std::str::from_utf8(b).ok()?.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn halves_like_int32_shift() {
    assert_eq!(half_int32(6.0), 3.0);
    assert_eq!(half_int32(-1.0), -1.0);
    assert_eq!(half_int32(4_294_967_296.0 + 4.0), 2.0);
    assert_eq!(half_int32(f64::INFINITY), 0.0);
  }

  #[test]
  fn parses_doubles_as_number_does() {
    assert_eq!(fast_double(b"-12.375"), Some(-12.375));
    assert!(fast_double(b"-0").unwrap().is_sign_negative());
    assert_eq!(fast_double(b"1e5"), None);
    assert_eq!(plain_decimal(b"1e+300"), Some(1e300));
    assert_eq!(plain_decimal(b".5"), Some(0.5));
    assert_eq!(plain_decimal(b"5."), Some(5.0));
    assert_eq!(plain_decimal(b" 5"), None);
    assert_eq!(plain_decimal(b"e5"), None);
    assert_eq!(plain_decimal(b"inf"), None);
  }
}
