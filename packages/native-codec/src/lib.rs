#![deny(clippy::all)]
//! `@fusedis/native-codec`: the fused RESP2/RESP3 decoder for Node.js. Wire bytes become JS
//! values directly, with one Node-API crossing per chunk. Only `src/index.ts` (the typed ESM
//! entry) calls into this; it hands in the JS helpers (`ReplyError`, null-prototype objects, …)
//! so every value and error is `@fusedis/resp`'s own.

mod decoder;
mod error;
mod external_text;
pub mod graph;
mod js;
mod large_buffer;
mod layout;
mod scanner;
mod streamed_list;
mod typed_array;
mod values;
mod wire;

pub use error::ProtoError;
pub use scanner::{Limits, Scanner};

use std::cell::RefCell;

use napi::bindgen_prelude::*;
use napi::sys;
use napi_derive::napi;

/// Option bits of the constructor's `flags`.
const STRINGS_BUFFER: u32 = 1;
const MAPS_MAP: u32 = 2;
const SETS_SET: u32 = 4;
const INTEGERS_BIGINT: u32 = 8;
const ATTRIBUTES_SINK: u32 = 16;

/// One streaming decoder, fed by the module's `feedDecoder` export (a plain Node-API function,
/// `feed_decoder` in `src/lib.rs`), not by a method: napi-rs's method glue (borrow bookkeeping,
/// class checks) was ~30 % of a minimal crossing. Not re-entrant: the JS wrapper refuses a `feed`
/// from inside a sink callback, and `inner` refuses a second borrow.
#[napi]
pub struct NativeDecoder {
  inner: RefCell<decoder::Decoder>,
}

#[napi]
impl NativeDecoder {
  /// `flags`: option bits; `limits`: maxElements, maxDepth, maxBigNumberLength, maxReplyBytes.
  #[napi(constructor)]
  pub fn new(flags: u32, limits: Vec<f64>) -> Result<Self> {
    if limits.len() != 4 {
      return Err(Error::new(
        Status::InvalidArg,
        "limits must hold 4 numbers".to_string(),
      ));
    }
    let shape = values::Shape {
      strings_buffer: flags & STRINGS_BUFFER != 0,
      maps_map: flags & MAPS_MAP != 0,
      sets_set: flags & SETS_SET != 0,
      integers_bigint: flags & INTEGERS_BIGINT != 0,
      attributes_sink: flags & ATTRIBUTES_SINK != 0,
    };
    let limits = Limits {
      max_elements: limits[0],
      max_depth: limits[1],
      max_big_number_length: limits[2],
      max_reply_bytes: limits[3],
    };
    Ok(NativeDecoder {
      inner: RefCell::new(decoder::Decoder::new(shape, limits)),
    })
  }

  /// Drops any partial reply and clears a protocol error.
  #[napi]
  pub fn reset(&self) -> Result<()> {
    self.inner.try_borrow_mut().map_err(|_| busy())?.reset();
    Ok(())
  }

  /// No byte of an unfinished reply kept, no list being built, no protocol error.
  #[napi]
  pub fn idle(&self) -> Result<bool> {
    Ok(self.inner.try_borrow().map_err(|_| busy())?.idle())
  }
}

fn busy() -> Error {
  Error::new(
    Status::GenericFailure,
    "the native decoder is in use by a feed() below this call".to_string(),
  )
}

/// Adds `feedDecoder` to the module's exports: a plain Node-API callback (see `feed_decoder`).
#[napi(module_exports)]
pub fn add_raw_exports(exports: Object, env: Env) -> Result<()> {
  const NAME: &std::ffi::CStr = c"feedDecoder";
  let mut function = std::ptr::null_mut();
  // SAFETY: a live env during module registration; the name is a NUL-terminated literal.
  check_status!(unsafe {
    sys::napi_create_function(
      env.raw(),
      NAME.as_ptr(),
      NAME.count_bytes() as isize,
      Some(feed_decoder),
      std::ptr::null_mut(),
      &mut function,
    )
  })?;
  // SAFETY: as above; `exports` and `function` are handles of this call.
  check_status!(unsafe {
    sys::napi_set_named_property(env.raw(), exports.raw(), NAME.as_ptr(), function)
  })
}

/// `feedDecoder(decoder, chunk, hooks, decide)`: feeds a `Uint8Array`, or several in order.
/// Returns `[kinds | undefined, ...values]`; or, when nothing finished and the decoder is inside
/// a bulk body, how many more bytes the wrapper may hold back before the body can be complete (so
/// it need not cross over per chunk); else undefined. `hooks` is the wrapper's array of JS helpers
/// (see `js.rs`). Errors and panics become JS exceptions, as `#[napi(catch_unwind)]` would make them.
unsafe extern "C" fn feed_decoder(
  env: sys::napi_env,
  info: sys::napi_callback_info,
) -> sys::napi_value {
  let result = std::panic::catch_unwind(|| {
    // SAFETY: Node-API calls this with a live env and the callback info of this call.
    unsafe { feed_call(env, info) }
  })
  .map_err(panic_to_error)
  .and_then(|r| r);
  result.unwrap_or_else(|err| {
    // SAFETY: a live env; the exception is the call's result.
    unsafe { JsError::from(err).throw_into(env) };
    std::ptr::null_mut()
  })
}

/// The body of `feedDecoder`.
///
/// # Safety
/// `env` and `info` are those Node-API passed to the callback, used during it only.
unsafe fn feed_call(env: sys::napi_env, info: sys::napi_callback_info) -> Result<sys::napi_value> {
  let mut argc = 4usize;
  let mut argv = [std::ptr::null_mut(); 4];
  check_status!(unsafe {
    sys::napi_get_cb_info(
      env,
      info,
      &mut argc,
      argv.as_mut_ptr(),
      std::ptr::null_mut(),
      std::ptr::null_mut(),
    )
  })?;
  if argc < 4 {
    return Err(Error::new(
      Status::InvalidArg,
      "feedDecoder(decoder, chunk, hooks, decide)".to_string(),
    ));
  }
  let [this, chunk, hooks, decide] = argv;
  let mut wrapped = std::ptr::null_mut();
  // SAFETY: live handles of this call. The type tag proves the object was made by this class's
  // constructor (napi-rs tags every instance), so `wrapped` points to a `NativeDecoder`; the
  // handle keeps the object, and so the Rust value, alive for the whole call. Only shared
  // references to it are made (napi-rs's `reset`/`idle` make shared ones too): the decoder
  // itself is behind the `RefCell`.
  let decoder = unsafe {
    check_status!(sys::napi_unwrap(env, this, &mut wrapped))?;
    validate_type_tag(
      env,
      this,
      &<NativeDecoder as TypeTag>::type_tag(),
      "NativeDecoder",
    )?;
    &*(wrapped as *const NativeDecoder)
  };
  let mut inner = decoder.inner.try_borrow_mut().map_err(|_| busy())?;
  let mut decide_value = false;
  check_status!(unsafe { sys::napi_get_value_bool(env, decide, &mut decide_value) })?;
  let mut is_array = false;
  // SAFETY: a live env and a handle from this call.
  unsafe { sys::napi_is_array(env, chunk, &mut is_array) };
  // One chunk (every feed but the one that ends a held bulk body) allocates nothing here.
  let single: [&[u8]; 1];
  let many: Vec<&[u8]>;
  let chunks: &[&[u8]] = if is_array {
    let mut count = 0u32;
    // SAFETY: as above; elements are handles of this call's scope, their bytes owned by the
    // array (an argument), so alive for the whole call.
    unsafe { sys::napi_get_array_length(env, chunk, &mut count) };
    many = (0..count)
      .map(|i| {
        let mut item = std::ptr::null_mut();
        unsafe { sys::napi_get_element(env, chunk, i, &mut item) };
        typed_array::uint8_array_bytes(env, item, "feed()")
      })
      .collect::<Result<_>>()?;
    &many
  } else {
    single = [typed_array::uint8_array_bytes(env, chunk, "feed()")?];
    &single
  };
  let mut js = js::Js::new(env, hooks)?;
  inner.feed(&mut js, chunks, decide_value)
}

/// Decodes one FalkorDB compact-result frame (`GRAPH.QUERY … --compact`, RESP2 or RESP3) into the
/// tape `src/graph-decoder.ts` builds graph's objects from: `[0, tape, text, refs]`, or
/// `[kind, a, b, refs]` for a failure. `scratch`: a `Float64Array` reused for the tape when large
/// enough; `hooks`: `[bigint(text), numberText(text)]`.
#[napi(catch_unwind, ts_return_type = "unknown[]")]
pub fn decode_graph_reply<'env>(
  env: &'env Env,
  #[napi(ts_arg_type = "Uint8Array")] bytes: Unknown<'env>,
  #[napi(ts_arg_type = "Float64Array")] scratch: Unknown<'env>,
  #[napi(ts_arg_type = "unknown[]")] hooks: Unknown<'env>,
) -> Result<Unknown<'env>> {
  let raw_env = env.raw();
  let out = graph::decode(raw_env, bytes.raw(), scratch.raw(), hooks.raw())?;
  // SAFETY: `out` was created in this env during this call.
  Ok(unsafe { Unknown::from_raw_unchecked(raw_env, out) })
}
