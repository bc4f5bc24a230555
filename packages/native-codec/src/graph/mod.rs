//! The Node-API side of the FalkorDB compact-result decoder: one call per reply. Rust walks the
//! frame's bytes (`parse.rs`) into a tape of numbers, the text of its short strings and the JS
//! values only JS can make (longer strings, bigints); `src/graph-decoder.ts` builds graph's
//! objects from those in one pass. Why not build the objects here: Node-API has no call that
//! creates an object with a given prototype (Node 20), so every `GraphNode` and record would be a
//! JS call from Rust, several times the cost of JIT-compiled code allocating them (measured; see
//! the README).

pub mod parse;

use crate::typed_array::{float64_array_memory, uint8_array_bytes};
use napi::sys;
use napi::{Error, Result, Status};
use parse::{Fail, Host, Output, Parser, Tape};
use std::os::raw::c_char;
use std::ptr;

/// Refs made per handle scope: the handles of values already stored in `refs` are let go in
/// groups, so a reply with 100,000 long strings does not keep 100,000 GC roots.
const REFS_PER_SCOPE: u32 = 256;

/// The JS helpers `decode` is handed, by index (`HOOKS` in `src/graph-decoder.ts`).
pub const HOOK_BIGINT: u32 = 0;
pub const HOOK_NUMBER_TEXT: u32 = 1;

/// Slot 0 of `decode`'s result: the reply decoded, else the kind of failure (see `Fail`), each
/// read by `src/graph-decoder.ts`.
pub const DECODED: f64 = 0.0;
pub const FAIL_EXPECTED: f64 = 1.0;
pub const FAIL_PARTS: f64 = 2.0;
pub const FAIL_UNKNOWN_TYPE: f64 = 3.0;
pub const FAIL_ARRAY_LENGTH: f64 = 4.0;
pub const FAIL_TYPED_ARRAY_LENGTH: f64 = 5.0;
pub const FAIL_SERVER: f64 = 6.0;
pub const FAIL_UNREADABLE: f64 = 7.0;
pub const FAIL_TOO_DEEP: f64 = 8.0;

macro_rules! check {
  ($call:expr) => {{
    // SAFETY: every call passes the live env of the current callback and handles created in it.
    let status = unsafe { $call };
    if status != sys::Status::napi_ok {
      return Err(napi_fail(status));
    }
  }};
}

fn napi_fail(status: i32) -> Error {
  if status == sys::Status::napi_pending_exception {
    Error::new(Status::PendingException, "a JS callback threw".to_string())
  } else {
    Error::new(
      Status::GenericFailure,
      format!("Node-API call failed with status {status}"),
    )
  }
}

/// The env, the hooks (`[bigint(text), numberText(text)]`) and the `refs` array being filled.
struct NapiHost {
  env: sys::napi_env,
  undefined: sys::napi_value,
  bigint: sys::napi_value,
  number_text: sys::napi_value,
  refs: sys::napi_value,
  count: u32,
  scope: sys::napi_handle_scope,
  in_scope: u32,
  /// The failure behind a `Fail::Host`: a pending JS exception or a Node-API error.
  error: Option<Error>,
}

impl NapiHost {
  fn run<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> std::result::Result<T, Fail> {
    match f(self) {
      Ok(v) => Ok(v),
      Err(e) => {
        self.error = Some(e);
        Err(Fail::Host)
      }
    }
  }

  /// Opens a handle scope for the next refs if none is open.
  fn open(&mut self) -> Result<()> {
    if self.scope.is_null() {
      check!(sys::napi_open_handle_scope(self.env, &mut self.scope));
      self.in_scope = 0;
    }
    Ok(())
  }

  fn close(&mut self) {
    if !self.scope.is_null() {
      // SAFETY: opened by `open` in this env; no inner scope is open (we open no other).
      unsafe { sys::napi_close_handle_scope(self.env, self.scope) };
      self.scope = ptr::null_mut();
    }
  }

  fn store(&mut self, value: sys::napi_value) -> Result<()> {
    check!(sys::napi_set_element(
      self.env, self.refs, self.count, value
    ));
    self.count += 1;
    self.in_scope += 1;
    if self.in_scope >= REFS_PER_SCOPE {
      self.close();
    }
    Ok(())
  }

  fn latin1(&self, bytes: &[u8]) -> Result<sys::napi_value> {
    let mut value = ptr::null_mut();
    check!(sys::napi_create_string_latin1(
      self.env,
      bytes.as_ptr() as *const c_char,
      bytes.len() as isize,
      &mut value
    ));
    Ok(value)
  }

  fn call(&self, f: sys::napi_value, arg: sys::napi_value) -> Result<sys::napi_value> {
    let mut result = ptr::null_mut();
    let args = [arg];
    check!(sys::napi_call_function(
      self.env,
      self.undefined,
      f,
      1,
      args.as_ptr(),
      &mut result
    ));
    Ok(result)
  }
}

impl Host for NapiHost {
  fn bigint(&mut self, text: &[u8], keep: bool) -> std::result::Result<(), Fail> {
    self.run(|h| {
      h.open()?;
      let text = h.latin1(text)?;
      let value = h.call(h.bigint, text)?;
      if keep {
        h.store(value)?;
      }
      Ok(())
    })
  }

  fn string(&mut self, bytes: &[u8]) -> std::result::Result<(), Fail> {
    self.run(|h| {
      h.open()?;
      let value = if bytes.is_ascii() {
        h.latin1(bytes)?
      } else {
        // V8's String::NewFromUtf8, as Buffer#toString: invalid sequences become U+FFFD.
        let mut value = ptr::null_mut();
        check!(sys::napi_create_string_utf8(
          h.env,
          bytes.as_ptr() as *const c_char,
          bytes.len() as isize,
          &mut value
        ));
        value
      };
      h.store(value)
    })
  }

  fn number_text(&mut self, text: &[u8]) -> std::result::Result<f64, Fail> {
    self.run(|h| {
      h.open()?;
      let text = h.latin1(text)?;
      let value = h.call(h.number_text, text)?;
      let mut n = 0.0;
      check!(sys::napi_get_value_double(h.env, value, &mut n));
      Ok(n)
    })
  }
}

/// A new `Float64Array` holding `tape`, with a quarter more room for the next, larger reply.
fn new_tape_array(env: sys::napi_env, tape: &[f64]) -> Result<sys::napi_value> {
  let mut buffer = ptr::null_mut();
  let mut memory = ptr::null_mut();
  let slots = tape.len() + tape.len() / 4 + 1;
  check!(sys::napi_create_arraybuffer(
    env,
    slots * 8,
    &mut memory,
    &mut buffer
  ));
  if !memory.is_null() {
    // SAFETY: a fresh ArrayBuffer of `slots` f64s (V8 allocates it 8-aligned), ours alone.
    unsafe { ptr::copy_nonoverlapping(tape.as_ptr(), memory as *mut f64, tape.len()) };
  }
  let mut array = ptr::null_mut();
  check!(sys::napi_create_typedarray(
    env,
    sys::TypedarrayType::float64_array,
    slots,
    buffer,
    0,
    &mut array
  ));
  Ok(array)
}

fn number(env: sys::napi_env, n: f64) -> Result<sys::napi_value> {
  let mut value = ptr::null_mut();
  check!(sys::napi_create_double(env, n, &mut value));
  Ok(value)
}

/// Decodes one compact reply frame. Returns `[0, tape, text, refs]`, or `[kind, a, b, refs]` for
/// a failure the JS side turns into the JS decoder's error (see `Fail` and `graph-decoder.ts`).
/// A hook that throws leaves its exception pending: `Err`.
pub(crate) fn decode(
  env: sys::napi_env,
  bytes: sys::napi_value,
  scratch: sys::napi_value,
  hooks: sys::napi_value,
) -> Result<sys::napi_value> {
  let buf = uint8_array_bytes(env, bytes, "decodeGraphReply()")?;
  let mut undefined = ptr::null_mut();
  check!(sys::napi_get_undefined(env, &mut undefined));
  let mut bigint = ptr::null_mut();
  check!(sys::napi_get_element(env, hooks, HOOK_BIGINT, &mut bigint));
  let mut number_text = ptr::null_mut();
  check!(sys::napi_get_element(
    env,
    hooks,
    HOOK_NUMBER_TEXT,
    &mut number_text
  ));
  let mut refs = ptr::null_mut();
  check!(sys::napi_create_array(env, &mut refs));
  let mut host = NapiHost {
    env,
    undefined,
    bigint,
    number_text,
    refs,
    count: 0,
    scope: ptr::null_mut(),
    in_scope: 0,
    error: None,
  };
  let out = Output {
    tape: Tape::new(float64_array_memory(env, scratch)),
    text: Vec::with_capacity(buf.len() / 8),
  };
  let mut parser = Parser::new(buf, &mut host, out);
  let outcome = parser.result();
  let out = parser.out;
  host.close();
  if let Some(error) = host.error.take() {
    return Err(error);
  }
  let mut result = ptr::null_mut();
  check!(sys::napi_create_array_with_length(env, 4, &mut result));
  let set = |i: u32, v: sys::napi_value| -> Result<()> {
    check!(sys::napi_set_element(env, result, i, v));
    Ok(())
  };
  let (kind, a, b) = match outcome {
    Ok(()) => {
      let tape = match out.tape.spilled() {
        Some(all) => new_tape_array(env, all)?,
        None => scratch,
      };
      let mut text = ptr::null_mut();
      check!(sys::napi_create_string_latin1(
        env,
        out.text.as_ptr() as *const c_char,
        out.text.len() as isize,
        &mut text
      ));
      (DECODED, tape, text)
    }
    Err(Fail::Expected(what, at)) => (
      FAIL_EXPECTED,
      number(env, what as u8 as f64)?,
      number(env, at as f64)?,
    ),
    Err(Fail::Parts) => (FAIL_PARTS, undefined, undefined),
    Err(Fail::UnknownType(Some(n))) => (FAIL_UNKNOWN_TYPE, number(env, n)?, undefined),
    Err(Fail::UnknownType(None)) => (FAIL_UNKNOWN_TYPE, undefined, undefined),
    Err(Fail::ArrayLength(n)) => (FAIL_ARRAY_LENGTH, number(env, n)?, undefined),
    Err(Fail::TypedArrayLength(n)) => (FAIL_TYPED_ARRAY_LENGTH, number(env, n)?, undefined),
    Err(Fail::Server(from, to)) => {
      let bytes = buf.get(from..to).unwrap_or(&[]);
      let mut message = ptr::null_mut();
      check!(sys::napi_create_string_utf8(
        env,
        bytes.as_ptr() as *const c_char,
        bytes.len() as isize,
        &mut message
      ));
      (FAIL_SERVER, message, undefined)
    }
    Err(Fail::Unreadable(at)) => (FAIL_UNREADABLE, number(env, at as f64)?, undefined),
    Err(Fail::TooDeep(at)) => (FAIL_TOO_DEEP, number(env, at as f64)?, undefined),
    Err(Fail::Host) => {
      return Err(Error::new(
        Status::GenericFailure,
        "graph decode: host failure without an error".to_string(),
      ))
    }
  };
  set(0, number(env, kind)?)?;
  set(1, a)?;
  set(2, b)?;
  set(3, refs)?;
  Ok(result)
}
