// Where things are drawn. Pin positions are computed, never measured, so 1,000 nodes cost no layout reads.
// Keep in step with flowlike_nb/widgets/layout.py (HEADER, PIN_ROW).

export const NODE_WIDTH = 200;
export const HEADER = 28;
export const PIN_ROW = 20;
export const FOOTER = 8;

/** The pins every exec node has for routing its failure (Flow-Like adds them on demand): drawn only when used. */
export const ERROR_PINS = new Set(["auto_handle_error", "auto_handle_error_string"]);

/** Inputs and outputs of a node that are `drawn`, each in pin-index order. */
export function pinsOf(node, drawn = () => true) {
  const inputs = [];
  const outputs = [];
  for (const pin of Object.values(node.pins)) if (drawn(pin)) (pin.direction === "Input" ? inputs : outputs).push(pin);
  const byIndex = (a, b) => a.index - b.index;
  return { inputs: inputs.sort(byIndex), outputs: outputs.sort(byIndex) };
}

/** Height of a node box; `rows` are the pins drawn (all by default). */
export function nodeHeight(node, rows = pinsOf(node)) {
  return HEADER + PIN_ROW * Math.max(rows.inputs.length, rows.outputs.length, 1) + FOOTER;
}

/** Canvas point of a pin's port: left edge for inputs, right edge for outputs. */
export function pinPoint(node, pinId, rows = pinsOf(node)) {
  const { inputs, outputs } = rows;
  const [x, y] = node.coordinates;
  let row = inputs.findIndex((p) => p.id === pinId);
  if (row >= 0) return [x, y + HEADER + PIN_ROW * row + PIN_ROW / 2];
  row = outputs.findIndex((p) => p.id === pinId);
  return [x + NODE_WIDTH, y + HEADER + PIN_ROW * Math.max(row, 0) + PIN_ROW / 2];
}

/** A wire's SVG path: a horizontal S-curve from an output port to an input port. */
export function wirePath([x1, y1], [x2, y2]) {
  const bend = Math.max(40, Math.abs(x2 - x1) / 2);
  return `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`;
}

/** Bounding box of `nodes` and of `boxes` ({coordinates, width, height}: comments, collapsed layers), for "fit". */
export function bounds(nodes, boxes = []) {
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const node of nodes) {
    const [x, y] = node.coordinates;
    left = Math.min(left, x);
    top = Math.min(top, y);
    right = Math.max(right, x + NODE_WIDTH);
    bottom = Math.max(bottom, y + nodeHeight(node));
  }
  for (const box of boxes) {
    const [x, y] = box.coordinates;
    left = Math.min(left, x);
    top = Math.min(top, y);
    right = Math.max(right, x + box.width);
    bottom = Math.max(bottom, y + box.height);
  }
  return left === Infinity ? null : { left, top, right, bottom };
}
