//! Every number the JS wrappers and Rust must agree on, by name: hook and stash slots, option bits,
//! kinds of output, a run's layout, the graph tape's tags and failure kinds. The wrappers keep
//! their own copies as plain constants (read on hot paths); `test/unit/layout.test.ts` compares
//! them with this table, so a slot moved on one side only fails a test instead of calling the
//! wrong helper. Nothing calls it while decoding.

use std::collections::HashMap;

use napi_derive::napi;

use crate::decoder::{KIND_ATTRIBUTE, KIND_ERROR, KIND_PUSH, KIND_REPLY};
use crate::graph::parse::{self as tape, Expect};
use crate::graph::{
  DECODED, FAIL_ARRAY_LENGTH, FAIL_EXPECTED, FAIL_PARTS, FAIL_SERVER, FAIL_TOO_DEEP,
  FAIL_TYPED_ARRAY_LENGTH, FAIL_UNKNOWN_TYPE, FAIL_UNREADABLE, HOOK_BIGINT, HOOK_NUMBER_TEXT,
};
use crate::js::{Hook, Stash, HOOK_SLOTS};
use crate::values::{NUMBER, ROW, ROW_MAX, RUN, SLICE_MAX, VALUE};
use crate::{ATTRIBUTES_SINK, INTEGERS_BIGINT, MAPS_MAP, SETS_SET, STRINGS_BUFFER};

/// `{ 'hook.Fill': 8, 'run.RUN': 512, … }`: one entry per shared number, grouped by a prefix.
#[napi(js_name = "wireLayout")]
pub fn wire_layout() -> HashMap<String, f64> {
  let hooks = [
    ("StringMode", Hook::StringMode),
    ("NullObject", Hook::NullObject),
    ("KeyText", Hook::KeyText),
    ("ReplyError", Hook::ReplyError),
    ("MakeMap", Hook::MakeMap),
    ("MakeSet", Hook::MakeSet),
    ("BigInt", Hook::BigInt),
    ("ArrayOf", Hook::ArrayOf),
    ("Fill", Hook::Fill),
    ("ObjectOf", Hook::ObjectOf),
    ("Ends", Hook::Ends),
    ("FillRun", Hook::FillRun),
    ("FillObjectRun", Hook::FillObjectRun),
    ("Text", Hook::Text),
    ("Numbers", Hook::Numbers),
    ("Deliver", Hook::Deliver),
    ("FillTextRun", Hook::FillTextRun),
  ]
  .map(|(name, hook)| (format!("hook.{name}"), hook as u32 as f64));
  let stash = [("List", Stash::List), ("Attributes", Stash::Attributes)]
    .map(|(name, slot)| (format!("stash.{name}"), slot as u32 as f64));
  let expected = [
    ("Pair", Expect::Pair),
    ("Array", Expect::Array),
    ("Integer", Expect::Integer),
    ("Text", Expect::Text),
    ("Double", Expect::Double),
    ("Property", Expect::Property),
  ]
  .map(|(name, what)| (format!("graphExpected.{name}"), what as u8 as f64));
  let numbers: [(&str, f64); 43] = [
    ("hookSlots", HOOK_SLOTS as f64),
    ("flag.STRINGS_BUFFER", STRINGS_BUFFER as f64),
    ("flag.MAPS_MAP", MAPS_MAP as f64),
    ("flag.SETS_SET", SETS_SET as f64),
    ("flag.INTEGERS_BIGINT", INTEGERS_BIGINT as f64),
    ("flag.ATTRIBUTES_SINK", ATTRIBUTES_SINK as f64),
    ("kind.REPLY", KIND_REPLY as f64),
    ("kind.PUSH", KIND_PUSH as f64),
    ("kind.ATTRIBUTE", KIND_ATTRIBUTE as f64),
    ("kind.ERROR", KIND_ERROR as f64),
    ("run.RUN", RUN as f64),
    ("run.ROW_MAX", ROW_MAX as f64),
    ("run.SLICE_MAX", SLICE_MAX as f64),
    ("run.VALUE", VALUE as f64),
    ("run.NUMBER", NUMBER as f64),
    ("run.ROW", ROW as f64),
    ("graphHook.BigInt", HOOK_BIGINT as f64),
    ("graphHook.numberText", HOOK_NUMBER_TEXT as f64),
    ("graph.DECODED", DECODED),
    ("graph.EXPECTED", FAIL_EXPECTED),
    ("graph.PARTS", FAIL_PARTS),
    ("graph.UNKNOWN_TYPE", FAIL_UNKNOWN_TYPE),
    ("graph.ARRAY_LENGTH", FAIL_ARRAY_LENGTH),
    ("graph.TYPED_ARRAY_LENGTH", FAIL_TYPED_ARRAY_LENGTH),
    ("graph.SERVER", FAIL_SERVER),
    ("graph.UNREADABLE", FAIL_UNREADABLE),
    ("graph.TOO_DEEP", FAIL_TOO_DEEP),
    ("tape.T_NULL", tape::T_NULL),
    ("tape.T_SHORT", tape::T_SHORT),
    ("tape.T_REF", tape::T_REF),
    ("tape.T_NUMBER", tape::T_NUMBER),
    ("tape.T_TRUE", tape::T_TRUE),
    ("tape.T_FALSE", tape::T_FALSE),
    ("tape.T_ARRAY", tape::T_ARRAY),
    ("tape.T_NODE", tape::T_NODE),
    ("tape.T_EDGE", tape::T_EDGE),
    ("tape.T_PATH", tape::T_PATH),
    ("tape.T_MAP", tape::T_MAP),
    ("tape.T_POINT", tape::T_POINT),
    ("tape.T_VECTOR", tape::T_VECTOR),
    ("tape.T_DATE", tape::T_DATE),
    ("tape.T_TIME", tape::T_TIME),
    ("tape.T_DURATION", tape::T_DURATION),
  ];
  hooks
    .into_iter()
    .chain(stash)
    .chain(expected)
    .chain(numbers.map(|(name, value)| (name.to_string(), value)))
    .collect()
}

#[cfg(test)]
mod tests {
  use super::*;

  /// Two hooks or stash slots on one index would hand Rust the wrong helper.
  #[test]
  fn every_slot_of_the_hooks_array_is_named_once() {
    let layout = wire_layout();
    let mut slots: Vec<f64> = layout
      .iter()
      .filter(|(name, _)| name.starts_with("hook.") || name.starts_with("stash."))
      .map(|(_, &slot)| slot)
      .collect();
    slots.sort_by(f64::total_cmp);
    let expected: Vec<f64> = (0..HOOK_SLOTS).map(|slot| slot as f64).collect();
    assert_eq!(slots, expected);
  }
}
