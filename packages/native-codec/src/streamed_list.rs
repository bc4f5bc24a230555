//! A large top-level list (`*`, `~`, `>`) decoded element by element while its bytes arrive, as
//! `@fusedis/resp`'s JS decoder does (`StreamedList`, `decodeListElements`): whole elements are
//! scanned, then built in runs into the list's JS array, and their bytes dropped; the element cut
//! short is scanned as it arrives (resumably) and built once, when whole. So a large reply never
//! sits whole in the gathering buffer (which doubled up to twice its size) next to the values
//! built from it.
//!
//! The list's JS array (and the attribute maps of 'sink' mode) live in stash slots of the
//! wrapper's hooks array between `feed` calls (`js::Stash`); this keeps the counts.

use crate::error::ProtoError;
use crate::js::{Hook, Js, Stash, Value};
use crate::scanner::Scanner;
use crate::values::{Builder, Shape, TextCache};
use crate::wire::{ARRAY, PUSH, SET};
use napi::{Error, Result, Status};

/// A list cut short with at most this many bytes arrived is gathered as usual (it is small, and
/// usually finished by the next chunk); past it, it is streamed.
pub const SMALL_CUT_SHORT: usize = 1024;
/// The array's first room, which then doubles: a header alone never sizes it past this.
const FLOOR: usize = 65_536;
/// Whole elements are built once this many of their bytes are waiting (or the list is whole):
/// building costs a few Node-API calls per `feed` whatever it builds, so a socket's small chunks
/// are scanned as they come (no crossing) and built in batches.
const BUILD_BYTES: usize = 64 * 1024;

pub struct StreamedList {
  pub ty: u8,
  count: usize,
  /// Elements built and stored so far.
  filled: usize,
  /// Bytes of the frame built and dropped so far (header included).
  consumed: usize,
  /// Whole elements scanned but not built yet, and their bytes (at the first byte not built).
  unbuilt: usize,
  scanned: usize,
  /// The scanner holds progress for the rest of the list, from the first byte not built.
  pub scanning: bool,
  /// The elements' string mode: `Buffer`s, else text.
  buffers: bool,
  /// The array's `length` so far.
  room: usize,
  /// Attribute maps kept so far.
  attributes: usize,
}

/// True for the types that may be streamed.
pub fn streamable(ty: u8) -> bool {
  ty == ARRAY || ty == SET || ty == PUSH
}

impl StreamedList {
  /// A list of `count` elements whose header took `header` bytes.
  pub fn new(ty: u8, count: usize, header: usize, buffers: bool) -> Self {
    StreamedList {
      ty,
      count,
      filled: 0,
      consumed: header,
      unbuilt: 0,
      scanned: 0,
      scanning: false,
      buffers,
      room: 0,
      attributes: 0,
    }
  }

  pub fn whole(&self) -> bool {
    self.filled == self.count
  }

  /// Scans the elements in `buf[from..end]`, where `from` is the first byte not built (one
  /// scanner walk over them all): true when the whole ones are ready to build (enough bytes of
  /// them, or the last). A protocol error is found exactly where gathering the frame would find it.
  pub fn scan(
    &mut self,
    scanner: &mut Scanner,
    buf: &[u8],
    from: usize,
    end: usize,
  ) -> std::result::Result<bool, ProtoError> {
    let left = (self.count - self.filled) as u64;
    if !self.scanning {
      scanner.begin_list(1, self.consumed, left);
    }
    self.scanning = false;
    match scanner.scan(buf, from, end)? {
      Some(length) => {
        self.unbuilt = left as usize;
        self.scanned = length;
      }
      None => {
        let (at, after) = scanner.mark();
        self.unbuilt = (left - after) as usize;
        self.scanned = at;
        self.scanning = true;
      }
    }
    Ok(self.unbuilt > 0 && (self.scanned >= BUILD_BYTES || !self.scanning))
  }

  /// Builds the elements scanned whole (`buf[from..]` starts with them) into the array; returns
  /// the first byte not built. If it fails (a hook threw, or Node-API failed), nothing counts as
  /// built: the caller keeps `buf[from..]` and the scan starts over from there.
  pub fn build_scanned(
    &mut self,
    scanner: &mut Scanner,
    js: &mut Js,
    cache: &mut TextCache,
    shape: Shape,
    buf: &[u8],
    from: usize,
  ) -> Result<usize> {
    let (count, bytes) = (self.unbuilt, self.scanned);
    self.unbuilt = 0;
    self.scanned = 0;
    if let Err(err) = self.build(js, cache, shape, &buf[from..from + bytes], count) {
      self.scanning = false;
      return Err(err);
    }
    if self.scanning {
      scanner.rebase(bytes);
    }
    Ok(from + bytes)
  }

  /// Forgets what was scanned (the caller keeps the bytes from the first one not built).
  pub fn rescan(&mut self) {
    self.unbuilt = 0;
    self.scanned = 0;
    self.scanning = false;
  }

  /// Builds `count` whole elements (all of `bytes`) into the array, growing its room first.
  fn build(
    &mut self,
    js: &mut Js,
    cache: &mut TextCache,
    shape: Shape,
    bytes: &[u8],
    count: usize,
  ) -> Result<()> {
    let items = if self.room == 0 {
      let items = js.array(0)?;
      js.stash(Stash::List, items)?;
      items
    } else {
      let items = js.stashed(Stash::List)?;
      if !js.is_array(items)? {
        return Err(Error::new(
          Status::GenericFailure,
          "the streamed list's array is gone".to_string(),
        ));
      }
      items
    };
    let needed = self.filled + count;
    if needed > self.room {
      // Room for what arrived, grown by doubling (a long list is not copied over and over); the
      // full count once the bytes that arrived are at least as many as its slots (the array is
      // then at most 8× what was sent), so a long list leaves no trail of outgrown arrays.
      let arrived = self.consumed + bytes.len();
      let room = if self.count <= arrived {
        self.count
      } else {
        needed.max(self.room * 2).max(FLOOR).min(self.count)
      };
      js.set_length(items, room)?;
      self.room = room;
    }
    let mut builder = Builder::new(js, cache, bytes, shape, None);
    builder.fill_list(items, self.filled, count, self.buffers)?;
    let attributes = std::mem::take(&mut builder.attributes);
    if !attributes.is_empty() {
      let kept = if self.attributes == 0 {
        let kept = js.array(0)?;
        js.stash(Stash::Attributes, kept)?;
        kept
      } else {
        js.stashed(Stash::Attributes)?
      };
      let at = js.number(self.attributes as f64)?;
      js.call_with(Hook::Fill, &[kept, at], &attributes)?;
      self.attributes += attributes.len();
    }
    self.filled = needed;
    self.consumed += bytes.len();
    Ok(())
  }

  /// The whole list's value (a `Set` when asked) and its attribute maps, in order; the stash is
  /// cleared so the wrapper does not keep them alive.
  pub fn finish(&self, js: &mut Js, shape: Shape) -> Result<(Value, Vec<Value>)> {
    let items = js.stashed(Stash::List)?;
    let mut attributes = Vec::with_capacity(self.attributes);
    if self.attributes > 0 {
      let kept = js.stashed(Stash::Attributes)?;
      for i in 0..js.array_length(kept)? {
        attributes.push(js.get_element(kept, i)?);
      }
    }
    clear(js)?;
    let value = if self.ty == SET && shape.sets_set {
      js.call(Hook::MakeSet, &[items])?
    } else {
      items
    };
    Ok((value, attributes))
  }
}

/// Empties the stash slots (a list finished or dropped).
pub fn clear(js: &mut Js) -> Result<()> {
  let undefined = js.undefined();
  js.stash(Stash::List, undefined)?;
  js.stash(Stash::Attributes, undefined)
}
