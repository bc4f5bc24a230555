//! Property tests of the scanner over random and mutated bytes (stable Rust, no fuzzing engine:
//! cargo-fuzz needs a nightly toolchain with libFuzzer, which CI here does not have). A small
//! seeded PRNG keeps runs reproducible; `SCANNER_CASES` raises the count.
//!
//! Properties: the scanner never panics (an out-of-bounds read would), whatever the bytes and
//! limits; and feeding a stream in any chunking gives the same frame lengths and the same first
//! error as scanning it whole (its progress is resumable).

use fusedis_native_codec::{Limits, ProtoError, Scanner};

struct Rng(u64);

impl Rng {
  fn next(&mut self) -> u64 {
    // xorshift64*
    self.0 ^= self.0 >> 12;
    self.0 ^= self.0 << 25;
    self.0 ^= self.0 >> 27;
    self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
  }
  fn below(&mut self, n: usize) -> usize {
    (self.next() % n as u64) as usize
  }
}

const PIECES: &[&[u8]] = &[
  b"+OK\r\n",
  b"-ERR x\r\n",
  b":12\r\n",
  b":-3\r\n",
  b"$3\r\nabc\r\n",
  b"$-1\r\n",
  b"*2\r\n",
  b"*0\r\n",
  b"*-1\r\n",
  b"%1\r\n",
  b"~2\r\n",
  b">2\r\n",
  b"|1\r\n",
  b"_\r\n",
  b"#t\r\n",
  b",1.5\r\n",
  b"(123\r\n",
  b"!3\r\nerr\r\n",
  b"=8\r\ntxt:abcd\r\n",
  b"$?\r\n",
  b"\r\n",
  b"\r",
  b"\n",
  b"*",
  b"$",
  b"9",
  b"-",
];

/// Random bytes biased towards RESP: pieces of valid frames, then a few random mutations.
fn stream(rng: &mut Rng) -> Vec<u8> {
  let mut out = Vec::new();
  for _ in 0..rng.below(24) {
    out.extend_from_slice(PIECES[rng.below(PIECES.len())]);
  }
  for _ in 0..rng.below(4) {
    if out.is_empty() {
      break;
    }
    let at = rng.below(out.len());
    out[at] = rng.next() as u8;
  }
  out
}

fn limits(rng: &mut Rng) -> Limits {
  match rng.below(3) {
    0 => Limits::default(),
    1 => Limits {
      max_elements: 3.0,
      max_depth: 3.0,
      max_big_number_length: 4.0,
      max_reply_bytes: 40.0,
    },
    _ => Limits {
      max_elements: 1.0,
      max_depth: 1.0,
      max_big_number_length: 1.0,
      max_reply_bytes: 8.0,
    },
  }
}

/// Frame lengths and the first error, scanning `bytes` with data arriving at the given cut points.
fn scan_all(bytes: &[u8], limits: Limits, cuts: &[usize]) -> (Vec<usize>, Option<ProtoError>) {
  let mut scanner = Scanner::new(limits);
  let mut frames = Vec::new();
  let mut start = 0;
  let mut fresh = true;
  let mut bounds: Vec<usize> = cuts.iter().copied().filter(|&c| c < bytes.len()).collect();
  bounds.sort_unstable();
  bounds.push(bytes.len());
  for end in bounds {
    loop {
      if start >= end {
        break;
      }
      if fresh {
        scanner.begin();
      }
      match scanner.scan(bytes, start, end) {
        Err(err) => return (frames, Some(err)),
        Ok(None) => {
          fresh = false;
          break;
        }
        Ok(Some(length)) => {
          assert!(
            length > 0 && start + length <= end,
            "a frame lies within the bytes scanned"
          );
          frames.push(length);
          start += length;
          fresh = true;
        }
      }
    }
  }
  (frames, None)
}

#[test]
fn chunking_never_changes_what_the_scanner_finds() {
  let cases: usize = std::env::var("SCANNER_CASES")
    .ok()
    .and_then(|v| v.parse().ok())
    .unwrap_or(20_000);
  let mut rng = Rng(0x5eed_f00d_1234_5678);
  for case in 0..cases {
    let bytes = stream(&mut rng);
    // Roomy limits: a reply-too-large on an unfinished reply depends on where the bytes are cut.
    let roomy = Limits {
      max_reply_bytes: 1e9,
      ..limits(&mut rng)
    };
    let whole = scan_all(&bytes, roomy, &[]);
    let cuts: Vec<usize> = (0..rng.below(6))
      .map(|_| rng.below(bytes.len() + 1))
      .collect();
    let chunked = scan_all(&bytes, roomy, &cuts);
    assert_eq!(
      chunked,
      whole,
      "case {case}: {:?} cut at {cuts:?}",
      String::from_utf8_lossy(&bytes)
    );
    let byte_by_byte: Vec<usize> = (1..bytes.len()).collect();
    assert_eq!(
      scan_all(&bytes, roomy, &byte_by_byte),
      whole,
      "case {case}, byte by byte"
    );
  }
}

#[test]
fn random_bytes_and_tight_limits_never_panic() {
  let mut rng = Rng(42);
  for _ in 0..20_000 {
    let len = rng.below(64);
    let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
    let l = limits(&mut rng);
    let cuts: Vec<usize> = (0..rng.below(4)).map(|_| rng.below(len + 1)).collect();
    let _ = scan_all(&bytes, l, &cuts);
    let mixed = stream(&mut rng);
    let _ = scan_all(&mixed, l, &cuts);
  }
}

/// The first frame of `bytes` scanned one top-level element at a time, each started with
/// `begin_at(1, its offset)` (a streamed list's elements, whose earlier bytes are gone): its
/// length, None while unfinished, or the first error.
fn scan_by_element(
  bytes: &[u8],
  count: usize,
  header: usize,
  limits: Limits,
) -> Result<Option<usize>, ProtoError> {
  let mut scanner = Scanner::new(limits);
  let mut pos = header;
  for _ in 0..count {
    scanner.begin_at(1, pos);
    match scanner.scan(bytes, pos, bytes.len())? {
      None => return Ok(None),
      Some(length) => pos += length,
    }
  }
  Ok(Some(pos))
}

#[test]
fn scanning_a_list_element_by_element_finds_what_scanning_it_whole_finds() {
  let mut rng = Rng(0x0dd_ba11);
  for case in 0..20_000 {
    let count = 1 + rng.below(8);
    let mut bytes = format!("*{count}\r\n").into_bytes();
    let header = bytes.len();
    bytes.extend_from_slice(&stream(&mut rng));
    bytes.truncate(header + rng.below(bytes.len() - header + 1));
    // Tight limits included: offsets, depth and the unfinished-size check count from the frame's start.
    let l = match rng.below(3) {
      0 => limits(&mut rng),
      1 => Limits {
        max_reply_bytes: (header + rng.below(40)) as f64,
        ..Limits::default()
      },
      _ => Limits {
        max_depth: 2.0,
        ..Limits::default()
      },
    };
    if count as f64 > l.max_elements || l.max_depth < 1.0 {
      continue;
    }
    let mut whole = Scanner::new(l);
    let expected = whole.scan(&bytes, 0, bytes.len());
    assert_eq!(
      scan_by_element(&bytes, count, header, l),
      expected,
      "case {case}: {:?}",
      String::from_utf8_lossy(&bytes)
    );
  }
}

/// Offset where the first `n` elements after `header` end (each scanned on its own).
fn element_end(bytes: &[u8], header: usize, n: usize) -> usize {
  let mut scanner = Scanner::new(Limits::default());
  let mut pos = header;
  for _ in 0..n {
    scanner.begin_at(1, pos);
    match scanner.scan(bytes, pos, bytes.len()) {
      Ok(Some(length)) => pos += length,
      other => panic!("element {n} not whole: {other:?}"),
    }
  }
  pos
}

#[test]
fn a_list_scanned_as_it_arrives_marks_where_its_whole_elements_end() {
  let mut rng = Rng(0x11_57);
  for case in 0..20_000 {
    let count = 1 + rng.below(8);
    let mut bytes = format!("*{count}\r\n").into_bytes();
    let header = bytes.len();
    bytes.extend_from_slice(&stream(&mut rng));
    let l = Limits::default();
    let expected = Scanner::new(l).scan(&bytes, 0, bytes.len());
    // Cut points; at each, the whole elements so far may be dropped (`rebase`), as when built.
    let mut cuts: Vec<usize> = (0..rng.below(6))
      .map(|_| header + rng.below(bytes.len() - header + 1))
      .collect();
    cuts.sort_unstable();
    cuts.push(bytes.len());
    let mut scanner = Scanner::new(l);
    scanner.begin_list(1, header, count as u64);
    let (mut from, mut done) = (header, 0usize);
    let mut got = Ok(None);
    for end in cuts {
      let end = end.max(from);
      got = scanner
        .scan(&bytes, from, end)
        .map(|r| r.map(|length| from + length));
      match got {
        Ok(None) => {
          let (at, after) = scanner.mark();
          let whole = count - after as usize;
          assert!(whole >= done, "case {case}: the mark never moves back");
          assert_eq!(from + at, element_end(&bytes, header, whole), "case {case}");
          if rng.below(2) == 0 {
            scanner.rebase(at);
            from += at;
            done = whole;
          }
        }
        _ => break,
      }
    }
    assert_eq!(
      got,
      expected,
      "case {case}: {:?}",
      String::from_utf8_lossy(&bytes)
    );
  }
}
