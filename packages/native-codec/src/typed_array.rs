//! The memory behind typed-array arguments (`Uint8Array` chunks, a `Float64Array` scratch), read
//! in place: shared by the RESP decoder's `feed` and the graph decoder.

use napi::sys;
use napi::{Error, Result, Status};
use std::ptr;

/// A typed array's kind and memory: `data` already includes its byteOffset; `length` counts elements.
struct TypedArray {
  kind: sys::napi_typedarray_type,
  length: usize,
  data: *mut std::ffi::c_void,
}

/// The typed array `value` is, or `None` when it is not one.
fn typed_array(env: sys::napi_env, value: sys::napi_value) -> Option<TypedArray> {
  let mut kind = 0;
  let mut length = 0usize;
  let mut data = ptr::null_mut();
  let mut arraybuffer = ptr::null_mut();
  let mut offset = 0usize;
  // SAFETY: a live env and a handle of the current call; Node-API checks the value's type and
  // fails with a status (not undefined behaviour) when it is not a typed array.
  let status = unsafe {
    sys::napi_get_typedarray_info(
      env,
      value,
      &mut kind,
      &mut length,
      &mut data,
      &mut arraybuffer,
      &mut offset,
    )
  };
  (status == sys::Status::napi_ok).then_some(TypedArray { kind, length, data })
}

/// The bytes of a `Uint8Array` argument (a `Buffer` included); `method` names the call in the error.
///
/// The slice borrows the view's memory for the whole call: the view is an argument (or an element
/// of one), so it stays alive, and nothing the call runs (our hooks, the sink) writes to it: the
/// decoder contract forbids changing a chunk once fed.
pub fn uint8_array_bytes<'a>(
  env: sys::napi_env,
  value: sys::napi_value,
  method: &str,
) -> Result<&'a [u8]> {
  match typed_array(env, value) {
    Some(view) if view.kind == sys::TypedarrayType::uint8_array => {
      if view.length == 0 || view.data.is_null() {
        return Ok(&[]);
      }
      // SAFETY: `data` points at the view's own `length` bytes, alive for the call as said above.
      Ok(unsafe { std::slice::from_raw_parts(view.data as *const u8, view.length) })
    }
    _ => Err(Error::new(
      Status::InvalidArg,
      format!("{method} takes a Uint8Array"),
    )),
  }
}

/// The memory of a `Float64Array` argument, or an empty slice when it is anything else.
///
/// The slice borrows the array's memory for the whole call: the array is an argument, so alive,
/// and no JS that could touch it runs meanwhile (the caller's hooks must not).
pub fn float64_array_memory<'a>(env: sys::napi_env, value: sys::napi_value) -> &'a mut [f64] {
  match typed_array(env, value) {
    Some(array)
      if array.kind == sys::TypedarrayType::float64_array
        && array.length > 0
        && !array.data.is_null() =>
    {
      // SAFETY: `data` is the array's own memory, `length` f64s, 8-aligned (a Float64Array's
      // byteOffset is a multiple of 8), alive for the call as said above, and aliased by
      // nothing else on the Rust side.
      unsafe { std::slice::from_raw_parts_mut(array.data as *mut f64, array.length) }
    }
    _ => &mut [],
  }
}
