// Layers (flowlike_core.board.Layer): a layer's nodes are drawn collapsed, as one box whose pins are the pins
// that wires cross the layer's edge with (as Board.layer_pins computes them). Double-click a box (or its context
// menu) to enter the layer: the canvas then shows its nodes alone, with a breadcrumb (or Escape) back to the board.
// Layers are one level deep; making and dissolving them are kernel commands (one undo step each).

import "./layers.css";
import { h } from "./dom.js";
import { FOOTER, HEADER, NODE_WIDTH, PIN_ROW } from "./geometry.js";
import { isExec, typeLabel } from "./types.js";

/** The layer a node is drawn in: its own if the board has that layer, else none (the board itself). */
export function levelOf(store, node) {
  return node.layer && store.document.layers?.[node.layer] ? node.layer : null;
}

/** The pins of a layer's box: its nodes' pins that wires cross its edge with, inputs and outputs, in board order. */
export function boundaryPins(store, layerId) {
  const inputs = new Map();
  const outputs = new Map();
  for (const wire of store.wires.values()) {
    const fromInside = levelOf(store, store.nodes[wire.from_node] || {}) === layerId;
    const toInside = levelOf(store, store.nodes[wire.to_node] || {}) === layerId;
    if (fromInside === toInside) continue;
    const [nodeId, pinId, side] = fromInside ? [wire.from_node, wire.from_pin, outputs] : [wire.to_node, wire.to_pin, inputs];
    const pin = store.nodes[nodeId]?.pins[pinId];
    if (pin) side.set(`${nodeId}/${pinId}`, { node: store.nodes[nodeId], pin });
  }
  const order = (a, b) => a.node.coordinates[1] - b.node.coordinates[1] || a.node.coordinates[0] - b.node.coordinates[0] ||
    a.pin.index - b.pin.index;
  return { inputs: [...inputs.values()].sort(order), outputs: [...outputs.values()].sort(order) };
}

/** A box's rows: its inputs, then its outputs (each on a row of its own: their labels name node and pin). */
export function layerHeight(pins) {
  return HEADER + PIN_ROW * Math.max(pins.inputs.length + pins.outputs.length, 1) + FOOTER;
}

/** Canvas point of a boundary pin on the box of `layer` (null if the pin is not on its edge). */
export function layerPinPoint(layer, pins, nodeId, pinId) {
  const [x, y] = layer.coordinates;
  const match = (entry) => entry.node.id === nodeId && entry.pin.id === pinId;
  let row = pins.inputs.findIndex(match);
  if (row >= 0) return [x, y + HEADER + PIN_ROW * row + PIN_ROW / 2];
  row = pins.outputs.findIndex(match);
  return row >= 0 ? [x + NODE_WIDTH, y + HEADER + PIN_ROW * (pins.inputs.length + row) + PIN_ROW / 2] : null;
}

/** The status a collapsed layer shows: failed, running or queued if one of its nodes is, succeeded if all ran. */
export function layerStatus(states) {
  const shown = states.filter(Boolean).map((state) => state.status);
  if (!shown.length) return null;
  for (const status of ["failed", "running", "queued", "cancelled"]) if (shown.includes(status)) return status;
  return shown.includes("succeeded") ? "succeeded" : shown[0];
}

function pinRow(entry, row, direction) {
  const { node, pin } = entry;
  const exec = isExec(pin);
  const label = `${node.friendly_name || node.name}.${(pin.friendly_name || "").trim() || pin.name}`;
  return h("div", {
    class: `fl-pin fl-pin-${direction} fl-layer-pin`, "data-testid": "layer-pin", "data-direction": direction,
    "data-inner-node": node.id, "data-inner-pin": pin.id, "data-pin-name": pin.name,
    title: `${label}: ${exec ? "exec" : typeLabel(pin)}`, style: { top: `${HEADER + row * PIN_ROW}px` },
  },
  h("span", { class: `fl-port fl-wired fl-t-${pin.data_type} fl-v-${pin.value_type}${exec ? " fl-exec" : ""}` }),
  h("span", { class: "fl-pin-label" }, label));
}

/** The collapsed box of a layer: its name, how many nodes it holds, its boundary pins. */
export function layerElement(layer, pins, status) {
  const [x, y] = layer.coordinates;
  const el = h("div", {
    class: "fl-node fl-layer", "data-testid": "layer", "data-layer-id": layer.id,
    title: `${layer.name}: ${layer.nodes.length} nodes (double-click to enter)`,
    style: { transform: `translate(${x}px, ${y}px)`, height: `${layerHeight(pins)}px`, width: `${NODE_WIDTH}px` },
  },
  h("div", { class: "fl-node-header", "data-testid": "layer-header" },
    h("span", { class: "fl-node-title", "data-testid": "layer-title" }, layer.name),
    h("span", { class: "fl-layer-count" }, `${layer.nodes.length} nodes`)),
  pins.inputs.map((entry, row) => pinRow(entry, row, "in")),
  pins.outputs.map((entry, row) => pinRow(entry, pins.inputs.length + row, "out")));
  if (status) el.dataset.status = status;
  return el;
}

/** Where the canvas is: the board, or the board › a layer (each part leads back). */
export function breadcrumb(store, layerId, leave) {
  const layer = layerId ? store.document.layers[layerId] : null;
  return h("div", { class: "fl-breadcrumb", "data-testid": "breadcrumb", hidden: !layer },
    h("button", { class: "fl-breadcrumb-item", "data-testid": "breadcrumb-board", title: "Back to the board (Escape)",
      onclick: leave }, store.document.name || "board"),
    layer ? h("span", { class: "fl-muted" }, " › ") : null,
    layer ? h("span", { class: "fl-breadcrumb-item fl-current", "data-testid": "breadcrumb-layer" }, layer.name) : null);
}
