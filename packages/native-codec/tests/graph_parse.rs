//! Property tests of the compact-result parser over random and mutated bytes (stable Rust, no
//! fuzzing engine; a seeded PRNG keeps runs reproducible, `GRAPH_CASES` raises the count). The
//! parser must never panic (an out-of-bounds read or an overflow would), must end on every input,
//! and a whole reply must give the same tape however large the caller's fixed slice is.

use fusedis_native_codec::graph::parse::{Fail, Host, Output, Parser, Tape};

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

/// Records what the JS side would be asked for.
#[derive(Default)]
struct Recorder {
  refs: usize,
}

impl Host for Recorder {
  fn bigint(&mut self, _text: &[u8], keep: bool) -> Result<(), Fail> {
    if keep {
      self.refs += 1;
    }
    Ok(())
  }
  fn string(&mut self, _bytes: &[u8]) -> Result<(), Fail> {
    self.refs += 1;
    Ok(())
  }
  fn number_text(&mut self, _text: &[u8]) -> Result<f64, Fail> {
    Ok(f64::NAN)
  }
}

fn parse(bytes: &[u8], fixed: &mut [f64]) -> (Result<(), Fail>, Vec<f64>, Vec<u8>) {
  let mut host = Recorder::default();
  let out = Output {
    tape: Tape::new(fixed),
    text: Vec::new(),
  };
  let mut parser = Parser::new(bytes, &mut host, out);
  let result = parser.result();
  let tape = parser.out.tape.slots().to_vec();
  (result, tape, parser.out.text)
}

/// A compact reply with one node per row (4 properties, one of each common type).
fn nodes_reply(rows: usize) -> Vec<u8> {
  let mut s = format!("*3\r\n*1\r\n*2\r\n:1\r\n$1\r\nn\r\n*{rows}\r\n");
  for i in 0..rows {
    let name = format!("node-{i}");
    let score = format!("{}", i as f64 / 7.0);
    let score = &score[..score.len().min(16)];
    let active = if i % 2 == 1 { "false" } else { "true" };
    s += &format!(
      "*1\r\n*2\r\n:8\r\n*3\r\n:{i}\r\n*1\r\n:0\r\n*4\r\n*3\r\n:0\r\n:3\r\n:{i}\r\n*3\r\n:1\r\n:2\r\n${}\r\n{name}\r\n*3\r\n:2\r\n:5\r\n${}\r\n{score}\r\n*3\r\n:3\r\n:4\r\n${}\r\n{active}\r\n",
      name.len(),
      score.len(),
      active.len()
    );
  }
  s += "*2\r\n$19\r\nCached execution: 0\r\n$29\r\nQuery internal execution time\r\n";
  s.into_bytes()
}

const PIECES: &[&[u8]] = &[
  b"*2\r\n",
  b"*3\r\n",
  b"*-1\r\n",
  b"*99999999999\r\n",
  b":1\r\n",
  b":8\r\n",
  b":9\r\n",
  b":12\r\n",
  b":99999999999999999999\r\n",
  b":-0\r\n",
  b"$3\r\nabc\r\n",
  b"$-1\r\n",
  b"$-3\r\n",
  b"$40\r\nshort\r\n",
  b",1.5\r\n",
  b",inf\r\n",
  b"_\r\n",
  b"+OK\r\n",
  b"-ERR x\r\n",
  b"!3\r\nERR\r\n",
  b"\r\n",
  b"x",
];

fn cases() -> usize {
  std::env::var("GRAPH_CASES")
    .ok()
    .and_then(|v| v.parse().ok())
    .unwrap_or(3_000)
}

#[test]
fn never_panics_on_random_pieces() {
  let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
  let mut fixed = vec![0.0; 64];
  for _ in 0..cases() {
    let mut bytes = Vec::new();
    for _ in 0..rng.below(40) {
      bytes.extend_from_slice(PIECES[rng.below(PIECES.len())]);
    }
    let _ = parse(&bytes, &mut fixed);
  }
}

#[test]
fn never_panics_on_mutated_and_cut_replies() {
  let reply = nodes_reply(20);
  let mut rng = Rng(42);
  let mut fixed = vec![0.0; 16];
  for _ in 0..cases() {
    let mut bytes = reply.clone();
    for _ in 0..1 + rng.below(4) {
      let at = rng.below(bytes.len());
      bytes[at] = (rng.next() & 0xff) as u8;
    }
    bytes.truncate(rng.below(bytes.len() + 1));
    let _ = parse(&bytes, &mut fixed);
  }
}

#[test]
fn fills_the_same_tape_whether_or_not_it_spills() {
  let reply = nodes_reply(50);
  let mut big = vec![0.0; 1 << 14];
  let mut small = vec![0.0; 7];
  let (a, tape_a, text_a) = parse(&reply, &mut big);
  let (b, tape_b, text_b) = parse(&reply, &mut small);
  assert_eq!(a, Ok(()));
  assert_eq!(b, Ok(()));
  assert_eq!(tape_a.len(), tape_b.len());
  assert!(tape_a
    .iter()
    .zip(&tape_b)
    .all(|(x, y)| x.to_bits() == y.to_bits()));
  assert_eq!(text_a, text_b);
  // The column name, then the first node's name.
  assert_eq!(&text_a[..7], b"nnode-0");
}

#[test]
fn reports_the_js_decoders_failures() {
  let mut fixed = vec![0.0; 64];
  assert_eq!(
    parse(b"", &mut fixed).0,
    Err(Fail::Expected(
      fusedis_native_codec::graph::parse::Expect::Array,
      0
    ))
  );
  assert_eq!(parse(b"*2\r\n", &mut fixed).0, Err(Fail::Parts));
  assert_eq!(
    parse(b"*3\r\n*-1\r\n", &mut fixed).0,
    Err(Fail::ArrayLength(-1.0))
  );
  assert_eq!(
    parse(b"-ERR boom\r\n", &mut fixed).0,
    Err(Fail::Server(1, 9))
  );
  assert_eq!(parse(b"*3\r\n*12", &mut fixed).0, Err(Fail::Unreadable(7)));
}

/// `cargo test --release --test graph_parse -- --ignored --nocapture`: parse time of 100,000 nodes.
#[test]
#[ignore]
fn timing_of_100000_nodes() {
  let reply = nodes_reply(100_000);
  let mut fixed = vec![0.0; 1 << 21];
  for _ in 0..10 {
    let started = std::time::Instant::now();
    let (result, tape, _) = parse(&reply, &mut fixed);
    assert_eq!(result, Ok(()));
    println!(
      "{} bytes → {} slots in {:?}",
      reply.len(),
      tape.len(),
      started.elapsed()
    );
  }
}
