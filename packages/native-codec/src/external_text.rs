//! Large ASCII text as an external one-byte string: the bytes copied once into memory of our own,
//! which the string then uses in place, as `Buffer#latin1Slice` does for text this large. A V8
//! heap string of the same size costs a copy into the large-object space: a 64 MiB value took
//! ~43 ms that way against ~36 ms for the JS decoder's `isAscii` + `latin1Slice`.

use crate::large_buffer::large_vec;
use napi::sys;
use std::ffi::c_void;
use std::os::raw::c_char;
use std::ptr;

/// From this length on, ASCII text becomes an external string (Node's own cut-off for
/// `latin1Slice` is ~1 MB; below it a heap string is as cheap).
pub const EXTERNAL_TEXT_MIN_BYTES: usize = 1 << 20;

/// V8's longest string on 64-bit (2^29 − 24 characters). Longer text is left to the heap-string
/// call, which fails cleanly with a status: a failed external string would leave unclear who
/// frees the copy.
pub const EXTERNAL_TEXT_MAX_BYTES: usize = (1 << 29) - 24;

/// Frees the copy a collected external string used; the hint carries its length.
unsafe extern "C" fn free_text(
  _env: sys::node_api_basic_env,
  data: *mut c_void,
  hint: *mut c_void,
) {
  // SAFETY: `data` and the length in `hint` are exactly what `external_latin1` leaked with
  // `Box::into_raw` for this string, and V8 calls this once, after its last use.
  drop(unsafe {
    Box::from_raw(ptr::slice_from_raw_parts_mut(
      data as *mut u8,
      hint as usize,
    ))
  });
}

/// `bytes` (ASCII: each byte one character) as an external string over a copy of them; `None`
/// when Node-API did not make one (a host without the call answers with an error status), and
/// the caller then makes a heap string as for shorter text.
pub fn external_latin1(env: sys::napi_env, bytes: &[u8]) -> Option<sys::napi_value> {
  let length = bytes.len();
  let mut copy = large_vec(length);
  copy.extend_from_slice(bytes);
  let data = Box::into_raw(copy.into_boxed_slice()) as *mut u8;
  // SAFETY: `data` holds `length` bytes that stay allocated until `free_text` runs (or below,
  // when Node-API did not take them).
  let made = unsafe { external_string(env, data, length, free_text, length as *mut c_void) };
  let Some(value) = made else {
    // Not taken: the copy is still ours to free.
    // SAFETY: the same allocation, not referenced by any string.
    drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(data, length)) });
    return None;
  };
  Some(value)
}

/// The Node-API call both kinds of external string make. When it answers `copied`, Node-API made
/// a string of its own and has already called `finalize`: nothing is left to free. `None`: not
/// taken, the bytes are still the caller's.
///
/// # Safety
/// `data` must point at `length` bytes that stay allocated, unchanged, until `finalize` runs
/// with `hint`.
unsafe fn external_string(
  env: sys::napi_env,
  data: *const u8,
  length: usize,
  finalize: unsafe extern "C" fn(sys::node_api_basic_env, *mut c_void, *mut c_void),
  hint: *mut c_void,
) -> Option<sys::napi_value> {
  let mut value = ptr::null_mut();
  let mut copied = false;
  // SAFETY: a live env (the caller's); the bytes are as this function's contract says.
  let status = unsafe {
    sys::node_api_create_external_string_latin1(
      env,
      data as *const c_char,
      length as isize,
      Some(finalize),
      hint,
      &mut value,
      &mut copied,
    )
  };
  (status == sys::Status::napi_ok).then_some(value)
}

/// Frees the buffer a collected external string used in place; the hint is its boxed `Vec`.
unsafe extern "C" fn free_owned(
  _env: sys::node_api_basic_env,
  _data: *mut c_void,
  hint: *mut c_void,
) {
  // SAFETY: `hint` is exactly the `Box<Vec<u8>>` that `external_latin1_owned` leaked for this
  // string, and V8 calls this once, after its last use of the bytes inside it.
  drop(unsafe { Box::from_raw(hint as *mut Vec<u8>) });
}

/// `bytes[start..start + length]` (ASCII) as an external string over the buffer itself, which the
/// string then owns: no copy. The buffer comes back when Node-API did not make the string.
pub fn external_latin1_owned(
  env: sys::napi_env,
  bytes: Vec<u8>,
  start: usize,
  length: usize,
) -> Result<sys::napi_value, Vec<u8>> {
  debug_assert!(start + length <= bytes.len());
  // SAFETY: in bounds (asserted by the caller's scan); moving the `Vec` into its box below does
  // not move the bytes it points to.
  let data = unsafe { bytes.as_ptr().add(start) };
  let owner = Box::into_raw(Box::new(bytes));
  // SAFETY: `data` points at `length` bytes owned by `owner`, which stays allocated until
  // `free_owned` runs (or below, when Node-API did not take it).
  match unsafe { external_string(env, data, length, free_owned, owner as *mut c_void) } {
    Some(value) => Ok(value),
    // SAFETY: the same box, not referenced by any string: ours again.
    None => Err(*unsafe { Box::from_raw(owner) }),
  }
}
