//! Room for many MiB of bytes, on huge pages where the kernel allows them.
//!
//! A fresh 64 MiB buffer faults in 16,384 pages of 4 KiB as it is first written, and under this
//! machine's hypervisor those faults cost more than the copy itself (`perf` of a4 chunked: page
//! faults and their kernel work over a third of the samples, `memmove` 11 %). With transparent
//! huge pages in `madvise` mode (Debian's default) the buffer must ask for them.

/// From this size, a buffer asks for huge pages (2 MiB each: smaller ones would hold none whole).
const HUGE_PAGES_MIN_BYTES: usize = 4 << 20;

/// An empty `Vec` with room for `capacity` bytes, advised to use huge pages when that large.
pub fn large_vec(capacity: usize) -> Vec<u8> {
  let bytes = Vec::with_capacity(capacity);
  if capacity >= HUGE_PAGES_MIN_BYTES {
    advise_huge_pages(bytes.as_ptr(), capacity);
  }
  bytes
}

#[cfg(target_os = "linux")]
fn advise_huge_pages(at: *const u8, length: usize) {
  use std::os::raw::{c_int, c_void};
  extern "C" {
    // libc's, always linked on Linux.
    fn madvise(addr: *mut c_void, len: usize, advice: c_int) -> c_int;
  }
  const MADV_HUGEPAGE: c_int = 14;
  const PAGE: usize = 4096;
  // The whole pages inside the allocation (madvise wants a page-aligned start).
  let start = (at as usize).div_ceil(PAGE) * PAGE;
  let end = (at as usize + length) / PAGE * PAGE;
  if end > start {
    // SAFETY: advice only, on pages of an allocation we own; the result (a kernel without huge
    // pages says EINVAL) changes nothing but speed, so it is ignored.
    unsafe { madvise(start as *mut c_void, end - start, MADV_HUGEPAGE) };
  }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages(_at: *const u8, _length: usize) {}
