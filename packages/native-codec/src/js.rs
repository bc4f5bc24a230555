//! Thin, checked wrappers over the raw Node-API calls the decoder makes per value.
//!
//! napi-rs's typed wrappers convert and validate on every call; on the hot path (one call per
//! string, number or element) that costs more than the value itself, so the builder talks to
//! Node-API directly through these few functions. Each checks its status: a failure (or a hook
//! that threw) becomes an `Err` that `lib.rs` hands back to JS, never a panic.

use crate::external_text::{external_latin1, EXTERNAL_TEXT_MAX_BYTES, EXTERNAL_TEXT_MIN_BYTES};
use napi::sys;
use napi::{Error, Result, Status};
use std::cell::Cell;
use std::os::raw::c_char;
use std::ptr;
use std::rc::Rc;

pub type Value = sys::napi_value;

/// The JS helpers the wrapper hands to each `feed`, by index in the hooks array.
#[derive(Clone, Copy)]
pub enum Hook {
  /// `(kind, ...kindValuePairs) => 'utf8' | 'buffer' | 'frame'`: the sink's per-reply mode for a
  /// reply (`kind` 0) or push (1), after first delivering the frames built since the last call
  /// (so a reply is delivered before the mode of the next one is asked).
  StringMode = 0,
  /// `() => Object.create(null)`.
  NullObject = 1,
  /// `(key) => string`: an object-mode map key that decoded to something other than a string.
  KeyText = 2,
  /// `(message) => new ReplyError(message)`.
  ReplyError = 3,
  /// `(flat) => Map`: keys and values alternating.
  MakeMap = 4,
  /// `(items) => new Set(items)`.
  MakeSet = 5,
  /// `(text) => BigInt(text)`.
  BigInt = 6,
  /// `(...items) => items`: a small array in one call.
  ArrayOf = 7,
  /// `(array, at, ...items) => void`: stores a run of elements (the batch of replies).
  Fill = 8,
  /// `(...keysAndValues) => object`: a small null-prototype object in one call.
  ObjectOf = 9,
  /// A `Uint32Array` of `RUN` entries: the `ends` of the run being stored (written by Rust).
  Ends = 10,
  /// `(array, at, count, text, ...values) => void`: stores a run of text slices and values.
  FillRun = 11,
  /// `(object, count, ...values) => void`: the same for the entries of an object-mode map.
  FillObjectRun = 12,
  /// A `Uint8Array`: the text of the run being stored, its short strings back to back (written
  /// by Rust; JS builds each string from its bytes).
  Text = 13,
  /// A `Float64Array`: the safe integers of the run being stored, in order (written by Rust).
  Numbers = 14,
  /// `(...replies) => void`: hands replies to the sink now, in order (a full run of them, when the
  /// batch is still empty), so a feed of many small replies builds no array of them all.
  Deliver = 15,
  /// `(array, at, count) => void`: stores a run whose elements are all text slices (no values,
  /// numbers or rows), in a loop with nothing to tell apart.
  FillTextRun = 16,
}
const HOOKS: usize = 17;

/// Slots after the hooks where a streamed list keeps its JS state between `feed` calls: the
/// wrapper owns the hooks array, so the state lives (and dies, and is cleared by `reset()`) with
/// the wrapper, and needs no Node-API reference to release.
#[derive(Clone, Copy)]
pub enum Stash {
  /// The list's array, filled so far.
  List = 17,
  /// Attribute maps met in its whole elements ('sink' mode), in order.
  Attributes = 18,
}

/// Length of the wrapper's hooks array: the hooks, then the stash slots.
pub const HOOK_SLOTS: usize = Stash::Attributes as usize + 1;

/// Hook handles fetched during one `feed`, each fetched when first needed: a feed of a few small
/// replies needs none, and fetching all sixteen cost more than decoding such a feed. A handle
/// lives in the handle scope that was innermost when it was fetched, so closing that scope
/// forgets it.
struct HookCache {
  handles: [Cell<Value>; HOOKS],
  /// How many inner scopes were open when each handle was fetched.
  fetched_at: [Cell<u32>; HOOKS],
  /// How many inner scopes are open now.
  depth: Cell<u32>,
}

/// A Node-API handle scope, closed when dropped (early returns included), so the handles of
/// values already stored in their parent do not pile up: a million live handles are a million
/// roots every young-generation GC must visit.
pub struct Scope {
  env: sys::napi_env,
  scope: sys::napi_handle_scope,
  hooks: Rc<HookCache>,
}

impl Drop for Scope {
  fn drop(&mut self) {
    // SAFETY: opened by `Js::scope` in this env, and scopes close in reverse order because each
    // guard lives in a narrower Rust scope than the previous one.
    unsafe { sys::napi_close_handle_scope(self.env, self.scope) };
    let depth = self.hooks.depth.get() - 1;
    self.hooks.depth.set(depth);
    for (handle, at) in self.hooks.handles.iter().zip(&self.hooks.fetched_at) {
      if at.get() > depth {
        handle.set(ptr::null_mut());
      }
    }
  }
}

/// The memory of a typed array of the hooks array that Rust writes a run into (located on first use).
#[derive(Clone, Copy)]
struct SharedArray<T> {
  data: *mut T,
  len: usize,
}

impl<T: Copy> SharedArray<T> {
  const UNLOCATED: Self = SharedArray {
    data: ptr::null_mut(),
    len: 0,
  };

  /// Copies `from` to the start of the array, refusing a run that does not fit.
  fn copy_from(self, from: &[T], name: &str) -> Result<()> {
    if from.len() > self.len || self.data.is_null() {
      return Err(Error::new(
        Status::GenericFailure,
        format!("run longer than the {name} array"),
      ));
    }
    // SAFETY: `data`/`len` describe a live typed array of the hooks array (an argument of the
    // current call, so not collected), of `T` elements; only our own helpers touch it, and none
    // runs meanwhile. `from` is Rust memory: the two cannot overlap.
    unsafe { std::ptr::copy_nonoverlapping(from.as_ptr(), self.data, from.len()) };
    Ok(())
  }
}

fn fail(status: i32) -> Error {
  if status == sys::Status::napi_pending_exception {
    Error::new(Status::PendingException, "a JS callback threw".to_string())
  } else {
    Error::new(
      Status::GenericFailure,
      format!("Node-API call failed with status {status}"),
    )
  }
}

macro_rules! check {
  ($call:expr) => {{
    // SAFETY: every call passes the live env of the current callback and handles created in it.
    let status = unsafe { $call };
    if status != sys::Status::napi_ok {
      return Err(fail(status));
    }
  }};
}

/// The env of one `feed` call and the hooks it was given, fetched lazily (most feeds need none).
pub struct Js {
  pub env: sys::napi_env,
  hooks: Value,
  cache: Rc<HookCache>,
  undefined: Value,
  /// Argument list of the last bulk call, reused.
  args: Vec<Value>,
  /// The memory of the `Ends`, `Text` and `Numbers` arrays.
  ends: SharedArray<u32>,
  text: SharedArray<u8>,
  numbers: SharedArray<f64>,
}

impl Js {
  pub fn new(env: sys::napi_env, hooks: Value) -> Result<Self> {
    let mut undefined = ptr::null_mut();
    check!(sys::napi_get_undefined(env, &mut undefined));
    Ok(Js {
      env,
      hooks,
      cache: Rc::new(HookCache {
        handles: std::array::from_fn(|_| Cell::new(ptr::null_mut())),
        fetched_at: std::array::from_fn(|_| Cell::new(0)),
        depth: Cell::new(0),
      }),
      undefined,
      args: Vec::new(),
      ends: SharedArray::UNLOCATED,
      text: SharedArray::UNLOCATED,
      numbers: SharedArray::UNLOCATED,
    })
  }

  pub fn undefined(&self) -> Value {
    self.undefined
  }

  /// `have`, or, before first use, the memory of the typed array a hook holds, checked to be of
  /// type `want`. The memory stays put: the array lives in the hooks array, an argument of this call.
  fn located<T>(&self, have: SharedArray<T>, hook: Hook, want: i32) -> Result<SharedArray<T>> {
    if !have.data.is_null() {
      return Ok(have);
    }
    let array = self.get_element(self.hooks, hook as usize)?;
    let mut ty = 0;
    let mut length = 0usize;
    let mut data = ptr::null_mut();
    let mut arraybuffer = ptr::null_mut();
    let mut offset = 0usize;
    check!(sys::napi_get_typedarray_info(
      self.env,
      array,
      &mut ty,
      &mut length,
      &mut data,
      &mut arraybuffer,
      &mut offset
    ));
    if ty != want {
      return Err(Error::new(
        Status::InvalidArg,
        "a hook holds the wrong kind of typed array".to_string(),
      ));
    }
    Ok(SharedArray {
      data: data as *mut T,
      len: length,
    })
  }

  /// Copies a run's integers into the `Numbers` array, for the `FillRun` helper to read.
  pub fn write_numbers(&mut self, numbers: &[f64]) -> Result<()> {
    self.numbers = self.located(
      self.numbers,
      Hook::Numbers,
      sys::TypedarrayType::float64_array,
    )?;
    self.numbers.copy_from(numbers, "Numbers")
  }

  /// Copies a run's text into the `Text` array, for the `FillRun` helpers to read.
  pub fn write_text(&mut self, text: &[u8]) -> Result<()> {
    self.text = self.located(self.text, Hook::Text, sys::TypedarrayType::uint8_array)?;
    self.text.copy_from(text, "Text")
  }

  /// Copies a run's `ends` into the `Ends` array, for the `FillRun` helper to read.
  pub fn write_ends(&mut self, ends: &[u32]) -> Result<()> {
    self.ends = self.located(self.ends, Hook::Ends, sys::TypedarrayType::uint32_array)?;
    self.ends.copy_from(ends, "Ends")
  }

  /// A hook's function, fetched from the hooks array on first use in the current scope.
  pub fn hook(&mut self, hook: Hook) -> Result<Value> {
    let slot = hook as usize;
    let cached = self.cache.handles[slot].get();
    if !cached.is_null() {
      return Ok(cached);
    }
    let value = self.get_element(self.hooks, slot)?;
    self.cache.handles[slot].set(value);
    self.cache.fetched_at[slot].set(self.cache.depth.get());
    Ok(value)
  }

  /// Calls a hook with `this` undefined. A hook that throws leaves its exception pending: `Err`.
  pub fn call(&mut self, hook: Hook, args: &[Value]) -> Result<Value> {
    let f = self.hook(hook)?;
    let mut result = ptr::null_mut();
    check!(sys::napi_call_function(
      self.env,
      self.undefined,
      f,
      args.len(),
      args.as_ptr(),
      &mut result
    ));
    Ok(result)
  }

  /// Calls a hook with `head` then `items` as arguments (one crossing for a run of values).
  pub fn call_with(&mut self, hook: Hook, head: &[Value], items: &[Value]) -> Result<Value> {
    let f = self.hook(hook)?;
    let mut args = std::mem::take(&mut self.args);
    args.clear();
    args.extend_from_slice(head);
    args.extend_from_slice(items);
    let mut result = ptr::null_mut();
    // SAFETY: as in `check!`; `args` outlives the call.
    let status = unsafe {
      sys::napi_call_function(
        self.env,
        self.undefined,
        f,
        args.len(),
        args.as_ptr(),
        &mut result,
      )
    };
    self.args = args;
    if status != sys::Status::napi_ok {
      return Err(fail(status));
    }
    Ok(result)
  }

  pub fn scope(&self) -> Result<Scope> {
    let mut scope = ptr::null_mut();
    check!(sys::napi_open_handle_scope(self.env, &mut scope));
    self.cache.depth.set(self.cache.depth.get() + 1);
    Ok(Scope {
      env: self.env,
      scope,
      hooks: Rc::clone(&self.cache),
    })
  }

  /// A string from bytes known to be ASCII or Latin-1 text (numbers, ASCII values): one copy, no decoding.
  pub fn latin1(&self, bytes: &[u8]) -> Result<Value> {
    let mut value = ptr::null_mut();
    check!(sys::napi_create_string_latin1(
      self.env,
      bytes.as_ptr() as *const c_char,
      bytes.len() as isize,
      &mut value
    ));
    Ok(value)
  }

  /// An internalized string of UTF-8 `bytes` (invalid sequences replaced as `text` does), for an
  /// object's key; `None` when the host lacks Node-API 10's property-key calls.
  pub fn property_key(&self, bytes: &[u8]) -> Option<Value> {
    let mut value = ptr::null_mut();
    let (data, len) = (bytes.as_ptr() as *const c_char, bytes.len() as isize);
    // SAFETY: `bytes` outlives the call, which copies them; `value` is written on success only.
    let status = unsafe {
      if bytes.is_ascii() {
        sys::node_api_create_property_key_latin1(self.env, data, len, &mut value)
      } else {
        sys::node_api_create_property_key_utf8(self.env, data, len, &mut value)
      }
    };
    (status == sys::Status::napi_ok).then_some(value)
  }

  /// UTF-8 text, invalid sequences replaced by U+FFFD exactly as `Buffer#toString` does (both are
  /// V8's `String::NewFromUtf8`); pure ASCII takes the cheaper one-byte path.
  pub fn text(&self, bytes: &[u8]) -> Result<Value> {
    if bytes.is_ascii() {
      if (EXTERNAL_TEXT_MIN_BYTES..=EXTERNAL_TEXT_MAX_BYTES).contains(&bytes.len()) {
        if let Some(value) = external_latin1(self.env, bytes) {
          return Ok(value);
        }
      }
      return self.latin1(bytes);
    }
    let mut value = ptr::null_mut();
    check!(sys::napi_create_string_utf8(
      self.env,
      bytes.as_ptr() as *const c_char,
      bytes.len() as isize,
      &mut value
    ));
    Ok(value)
  }

  /// A Rust string (error details).
  pub fn str(&self, s: &str) -> Result<Value> {
    let mut value = ptr::null_mut();
    check!(sys::napi_create_string_utf8(
      self.env,
      s.as_ptr() as *const c_char,
      s.len() as isize,
      &mut value
    ));
    Ok(value)
  }

  /// A `Buffer` holding a copy of `bytes` (the read buffer is reused, so values never alias it).
  pub fn buffer(&self, bytes: &[u8]) -> Result<Value> {
    let mut value = ptr::null_mut();
    let mut data = ptr::null_mut();
    check!(sys::napi_create_buffer_copy(
      self.env,
      bytes.len(),
      bytes.as_ptr() as *const std::ffi::c_void,
      &mut data,
      &mut value
    ));
    Ok(value)
  }

  pub fn number(&self, n: f64) -> Result<Value> {
    let mut value = ptr::null_mut();
    check!(sys::napi_create_double(self.env, n, &mut value));
    Ok(value)
  }

  pub fn bigint(&self, n: i64) -> Result<Value> {
    let mut value = ptr::null_mut();
    check!(sys::napi_create_bigint_int64(self.env, n, &mut value));
    Ok(value)
  }

  pub fn boolean(&self, b: bool) -> Result<Value> {
    let mut value = ptr::null_mut();
    check!(sys::napi_get_boolean(self.env, b, &mut value));
    Ok(value)
  }

  pub fn null(&self) -> Result<Value> {
    let mut value = ptr::null_mut();
    check!(sys::napi_get_null(self.env, &mut value));
    Ok(value)
  }

  pub fn array(&self, length: usize) -> Result<Value> {
    let mut value = ptr::null_mut();
    check!(sys::napi_create_array_with_length(
      self.env, length, &mut value
    ));
    Ok(value)
  }

  pub fn set_element(&self, array: Value, index: usize, item: Value) -> Result<()> {
    check!(sys::napi_set_element(self.env, array, index as u32, item));
    Ok(())
  }

  pub fn get_element(&self, array: Value, index: usize) -> Result<Value> {
    let mut value = ptr::null_mut();
    check!(sys::napi_get_element(
      self.env,
      array,
      index as u32,
      &mut value
    ));
    Ok(value)
  }

  pub fn array_length(&self, array: Value) -> Result<usize> {
    let mut length = 0u32;
    check!(sys::napi_get_array_length(self.env, array, &mut length));
    Ok(length as usize)
  }

  /// Sets an array's `length` (grows its room without storing anything).
  pub fn set_length(&self, array: Value, length: usize) -> Result<()> {
    let n = self.number(length as f64)?;
    check!(sys::napi_set_named_property(
      self.env,
      array,
      c"length".as_ptr(),
      n
    ));
    Ok(())
  }

  /// The value kept in a stash slot (undefined when none).
  pub fn stashed(&self, slot: Stash) -> Result<Value> {
    self.get_element(self.hooks, slot as usize)
  }

  pub fn stash(&self, slot: Stash, value: Value) -> Result<()> {
    self.set_element(self.hooks, slot as usize, value)
  }

  pub fn is_array(&self, value: Value) -> Result<bool> {
    let mut result = false;
    check!(sys::napi_is_array(self.env, value, &mut result));
    Ok(result)
  }

  pub fn is_string(&self, value: Value) -> Result<bool> {
    let mut ty = 0;
    check!(sys::napi_typeof(self.env, value, &mut ty));
    Ok(ty == sys::ValueType::napi_string)
  }

  /// Reads a hook's string result: true when it equals `expected` (short ASCII).
  pub fn string_equals(&self, value: Value, expected: &str) -> Result<bool> {
    if !self.is_string(value)? {
      return Ok(false);
    }
    let mut buf = [0u8; 16];
    let mut len = 0usize;
    check!(sys::napi_get_value_string_latin1(
      self.env,
      value,
      buf.as_mut_ptr() as *mut c_char,
      buf.len(),
      &mut len
    ));
    Ok(&buf[..len] == expected.as_bytes())
  }
}
