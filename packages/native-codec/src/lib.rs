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
mod scanner;
mod streamed_list;
mod typed_array;
mod values;
mod wire;

pub use error::ProtoError;
pub use scanner::{Limits, Scanner};

use napi::bindgen_prelude::*;
use napi::sys;
use napi_derive::napi;

/// Option bits of the constructor's `flags`.
const STRINGS_BUFFER: u32 = 1;
const MAPS_MAP: u32 = 2;
const SETS_SET: u32 = 4;
const INTEGERS_BIGINT: u32 = 8;
const ATTRIBUTES_SINK: u32 = 16;

/// One streaming decoder. Not re-entrant: the JS wrapper refuses a `feed` from inside a sink callback.
#[napi]
pub struct NativeDecoder {
  inner: decoder::Decoder,
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
      inner: decoder::Decoder::new(shape, limits),
    })
  }

  /// Feeds a `Uint8Array`, or several in order. Returns `[kinds | undefined, ...values]`; or,
  /// when nothing finished and the decoder is inside a bulk body, how many more bytes the wrapper
  /// may hold back before the body can be complete (so it need not cross over per chunk); else
  /// undefined. `hooks` is the wrapper's array of JS helpers (see `js.rs`).
  #[napi(catch_unwind, ts_return_type = "unknown[] | number | undefined")]
  pub fn feed<'env>(
    &mut self,
    env: &'env Env,
    #[napi(ts_arg_type = "Uint8Array | Uint8Array[]")] chunk: Unknown<'env>,
    #[napi(ts_arg_type = "unknown[]")] hooks: Unknown<'env>,
    decide: bool,
  ) -> Result<Unknown<'env>> {
    let raw_env = env.raw();
    let mut is_array = false;
    // SAFETY: a live env and a handle from this call.
    unsafe { sys::napi_is_array(raw_env, chunk.raw(), &mut is_array) };
    let mut chunks: Vec<&[u8]> = Vec::new();
    if is_array {
      let mut count = 0u32;
      // SAFETY: as above; elements are handles of this call's scope, their bytes owned by the
      // array (an argument), so alive for the whole call.
      unsafe { sys::napi_get_array_length(raw_env, chunk.raw(), &mut count) };
      for i in 0..count {
        let mut item = std::ptr::null_mut();
        unsafe { sys::napi_get_element(raw_env, chunk.raw(), i, &mut item) };
        chunks.push(typed_array::uint8_array_bytes(raw_env, item, "feed()")?);
      }
    } else {
      chunks.push(typed_array::uint8_array_bytes(
        raw_env,
        chunk.raw(),
        "feed()",
      )?);
    }
    let mut js = js::Js::new(raw_env, hooks.raw())?;
    let out = self.inner.feed(&mut js, &chunks, decide)?;
    // SAFETY: `out` was created in this env during this call.
    Ok(unsafe { Unknown::from_raw_unchecked(raw_env, out) })
  }

  /// Drops any partial reply and clears a protocol error.
  #[napi]
  pub fn reset(&mut self) {
    self.inner.reset();
  }

  /// No byte of an unfinished reply kept, no list being built, no protocol error.
  #[napi]
  pub fn idle(&self) -> bool {
    self.inner.idle()
  }
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
