import { type DecodeOptions, type DecodeOptionsInput, resolveDecodeOptions } from '@fusedis/resp';
import {
  canonical,
  type FrameEvent,
  type ModeOf,
  nodeToValue,
  type RespNode,
  writeResp,
} from '@fusedis/test-harness/decoder-contract';

/** The value a frame carries once its attributes are peeled off. */
function annotated(node: RespNode): RespNode {
  let inner = node;
  while (inner.type === 'attribute') inner = inner.value;
  return inner;
}

/**
 * The sink calls a stream of frames must produce, from the oracle: a frame-mode reply is its
 * value's own bytes (attributes before it decoded as always), an error reply a `ReplyError`, a
 * push decoded. Other replies decode with `options.strings` (callers keep their modes to that).
 */
export function expectedFrameEvents(
  nodes: readonly RespNode[],
  input: DecodeOptionsInput | undefined,
  modeOf: ModeOf,
): FrameEvent[] {
  const options: DecodeOptions = resolveDecodeOptions(input);
  const events: FrameEvent[] = [];
  const collect = (attributes: unknown[]) =>
    options.attributes === 'sink' ? (value: unknown) => void attributes.push(value) : undefined;
  nodes.forEach((node, index) => {
    const inner = annotated(node);
    const kind = inner.type === 'push' ? 'push' : 'reply';
    const mode = modeOf(kind, index);
    const attributes: unknown[] = [];
    let value: unknown;
    const framed =
      mode === 'frame' && kind === 'reply' && inner.type !== 'simple-error' && inner.type !== 'bulk-error';
    if (framed) {
      let at = node;
      while (at.type === 'attribute') {
        const entries = nodeToValue(
          { type: 'map', entries: at.entries },
          options,
          options.strings,
          collect(attributes),
        );
        if (options.attributes === 'sink') attributes.push(entries);
        at = at.value;
      }
      value = writeResp(inner);
    } else {
      value = nodeToValue(node, options, options.strings, collect(attributes));
    }
    for (const attribute of attributes) events.push({ kind: 'attribute', value: canonical(attribute) });
    events.push({ kind, value: canonical(value) });
  });
  return events;
}
