// Layers (flowlike_core.board.Layer): a layer's nodes are drawn collapsed, as one box whose pins are the pins
// that wires cross the layer's edge with (as Board.layer_pins computes them). A layer may sit inside another
// (its parent_id): the canvas shows one level at a time (the board, or a layer entered), with the boxes of the
// layers directly in it. Double-click a box (or its context menu) to enter it; the breadcrumb leads back level by
// level, Escape one level up. A box's pins take wires like a node's: the wire goes to the inner pin. Inside a layer,
// a wire that leaves it ends at a stub beside its nodes, labelled with the node and pin outside. Making,
// renaming and dissolving layers are kernel commands (one undo step each).

import "./layers.css";
import { h } from "./dom.js";
import { FOOTER, HEADER, NODE_WIDTH, PIN_ROW } from "./geometry.js";
import { isExec, typeLabel } from "./types.js";
import { counted } from "./wording.js";

/** The layer a node is drawn in: its own if the board has that layer, else none (the board itself). */
export function levelOf(store, node) {
  return node.layer && store.document.layers?.[node.layer] ? node.layer : null;
}

/** The layer a layer sits in (null: the board). */
export function parentOf(store, layerId) {
  const parent = store.document.layers?.[layerId]?.parent_id;
  return parent && store.document.layers[parent] ? parent : null;
}

/** The layers from the board down to `layerId`, outermost first ([] for the board). */
export function layerPath(store, layerId) {
  const path = [];
  for (let id = layerId; id && store.document.layers?.[id] && !path.includes(id); id = parentOf(store, id)) path.unshift(id);
  return path;
}

/** The layers drawn as boxes at a level (null: the board). */
export function layersAt(store, level) {
  return Object.values(store.document.layers || {}).filter((layer) => parentOf(store, layer.id) === level);
}

/** The box drawn at level `shown` that holds what sits at level `level` (null when none does). */
export function boxAt(store, level, shown) {
  const path = layerPath(store, level);
  const at = shown === null ? 0 : path.indexOf(shown) + 1;
  return at > 0 || shown === null ? path[at] || null : null;
}

/** Ids of the nodes inside a layer, at any depth. */
export function nodesInside(store, layerId) {
  return Object.values(store.nodes).filter((node) => layerPath(store, levelOf(store, node)).includes(layerId))
    .map((node) => node.id);
}

/** The pins of a layer's box: its nodes' pins that wires cross its edge with, inputs and outputs, in board order. */
export function boundaryPins(store, layerId) {
  const inputs = new Map();
  const outputs = new Map();
  const inside = (id) => !!store.nodes[id] && layerPath(store, levelOf(store, store.nodes[id])).includes(layerId);
  for (const wire of store.wires.values()) {
    const fromInside = inside(wire.from_node);
    const toInside = inside(wire.to_node);
    if (fromInside === toInside) continue;
    const [nodeId, pinId, side] = fromInside ? [wire.from_node, wire.from_pin, outputs] : [wire.to_node, wire.to_pin, inputs];
    const pin = store.nodes[nodeId]?.pins[pinId];
    if (pin) side.set(`${nodeId}/${pinId}`, { node: store.nodes[nodeId], pin });
  }
  const order = (a, b) => a.node.coordinates[1] - b.node.coordinates[1] || a.node.coordinates[0] - b.node.coordinates[0] ||
    a.pin.index - b.pin.index;
  return { inputs: [...inputs.values()].sort(order), outputs: [...outputs.values()].sort(order) };
}

/**
 * The wires of a layer's nodes that leave it (seen from inside the layer): grouped by their end outside, inputs
 * (wires coming in) and outputs (going out), each {node, pin, inner: [{node, pin}]} with `node` outside.
 */
export function outsideEnds(store, layerId) {
  const inside = new Set(nodesInside(store, layerId));
  const inputs = new Map();
  const outputs = new Map();
  for (const wire of store.wires.values()) {
    const fromInside = inside.has(wire.from_node);
    if (fromInside === inside.has(wire.to_node)) continue;
    const [outer, outerPin, inner, innerPin, side] = fromInside
      ? [wire.to_node, wire.to_pin, wire.from_node, wire.from_pin, outputs]
      : [wire.from_node, wire.from_pin, wire.to_node, wire.to_pin, inputs];
    const node = store.nodes[outer];
    const pin = node?.pins[outerPin];
    if (!pin || !store.nodes[inner]?.pins[innerPin]) continue;
    const key = `${outer}/${outerPin}`;
    if (!side.has(key)) side.set(key, { node, pin, inner: [] });
    side.get(key).inner.push({ node: store.nodes[inner], pin: store.nodes[inner].pins[innerPin] });
  }
  return { inputs: [...inputs.values()], outputs: [...outputs.values()] };
}

/** Where a node sits, in words: the board, or the layer it is in. */
function whereIs(store, node) {
  const level = levelOf(store, node);
  return level ? `layer ${store.document.layers[level].name}` : "the board";
}

/** The stub drawn inside a layer for a wire's end outside it: the outside node and pin, where that node is. */
export function stubElement(store, end, direction, [x, y]) {
  const { node, pin } = end;
  const exec = isExec(pin);
  const label = `${node.friendly_name || node.name}.${(pin.friendly_name || "").trim() || pin.name}`;
  return h("div", {
    class: `fl-stub fl-stub-${direction}`, "data-testid": "boundary-stub", "data-direction": direction,
    "data-outer-node": node.id, "data-outer-pin": pin.id, "data-pin-name": pin.name,
    title: `${direction === "in" ? "From" : "To"} ${label} in ${whereIs(store, node)}, outside this layer (click to go there)`,
    style: { transform: `translate(${x}px, ${y}px)`, width: `${STUB_WIDTH}px`, height: `${PIN_ROW}px` },
  },
  h("span", { class: "fl-stub-label", "data-testid": "stub-label" }, label),
  h("span", { class: `fl-port fl-wired fl-t-${pin.data_type} fl-v-${pin.value_type}${exec ? " fl-exec" : ""}` }));
}

export const STUB_WIDTH = 170;
export const STUB_GAP = 80; // between the layer's nodes and the stubs of its wires that leave it

/** A box's height: its inputs down the left edge beside its outputs down the right, as a node's pins are. */
export function layerHeight(pins) {
  return HEADER + PIN_ROW * Math.max(pins.inputs.length, pins.outputs.length, 1) + FOOTER;
}

/** Canvas point of a boundary pin on the box of `layer` (null if the pin is not on its edge). */
export function layerPinPoint(layer, pins, nodeId, pinId) {
  const [x, y] = layer.coordinates;
  const match = (entry) => entry.node.id === nodeId && entry.pin.id === pinId;
  let row = pins.inputs.findIndex(match);
  if (row >= 0) return [x, y + HEADER + PIN_ROW * row + PIN_ROW / 2];
  row = pins.outputs.findIndex(match);
  return row >= 0 ? [x + NODE_WIDTH, y + HEADER + PIN_ROW * row + PIN_ROW / 2] : null;
}

/** The status a collapsed layer shows: paused, failed, running or queued if one of its nodes is, succeeded if all ran. */
export function layerStatus(states) {
  const shown = states.filter(Boolean).map((state) => state.status);
  if (!shown.length) return null;
  for (const status of ["paused", "stopping", "failed", "running", "queued", "cancelled"]) if (shown.includes(status)) return status;
  return shown.includes("succeeded") ? "succeeded" : shown[0];
}

/** A boundary pin: named as the pin inside (as Flow-Like's layer pins are), the node it is on beside it. */
function pinRow(entry, row, direction) {
  const { node, pin } = entry;
  const exec = isExec(pin);
  const name = (pin.friendly_name || "").trim() || (exec ? "" : pin.name); // exec pins unnamed, as on a node
  const nodeName = node.friendly_name || node.name;
  return h("div", {
    class: `fl-pin fl-pin-${direction} fl-layer-pin`, "data-testid": "layer-pin", "data-direction": direction,
    "data-inner-node": node.id, "data-inner-pin": pin.id, "data-pin-name": pin.name,
    title: `${nodeName}.${name || pin.name}: ${exec ? "exec" : typeLabel(pin)}`, style: { top: `${HEADER + row * PIN_ROW}px` },
  },
  h("span", { class: `fl-port fl-wired fl-t-${pin.data_type} fl-v-${pin.value_type}${exec ? " fl-exec" : ""}` }),
  h("span", { class: "fl-pin-label", "data-testid": "layer-pin-label" }, name),
  h("span", { class: "fl-layer-pin-node", "data-testid": "layer-pin-node" }, nodeName));
}

/** The collapsed box of a layer: its name, how many nodes it holds (at any depth), its boundary pins. */
export function layerElement(layer, pins, count, status) {
  const [x, y] = layer.coordinates;
  const el = h("div", {
    class: "fl-node fl-layer", "data-testid": "layer", "data-layer-id": layer.id,
    title: `${layer.name}: ${counted(count, "node")} (double-click to enter, double-click the name to rename)`,
    style: { transform: `translate(${x}px, ${y}px)`, height: `${layerHeight(pins)}px`, width: `${NODE_WIDTH}px` },
  },
  h("div", { class: "fl-node-header", "data-testid": "layer-header" },
    h("span", { class: "fl-node-title", "data-testid": "layer-title" }, layer.name),
    h("span", { class: "fl-layer-count", "data-testid": "layer-count" }, counted(count, "node"))),
  pins.inputs.map((entry, row) => pinRow(entry, row, "in")),
  pins.outputs.map((entry, row) => pinRow(entry, row, "out")));
  if (status) el.dataset.status = status;
  return el;
}

/** Edit a box's name in place: Enter (or leaving the field) calls `rename(name)` if it changed, Escape does not. */
export function editLayerName(el, layer, rename) {
  const title = el.querySelector("[data-testid='layer-title']");
  const field = h("input", { class: "fl-layer-rename", "data-testid": "layer-rename", value: layer.name });
  let done = false;
  const finish = (keep) => {
    if (done) return;
    done = true;
    const name = field.value.trim();
    field.replaceWith(title);
    if (keep && name && name !== layer.name) rename(name);
  };
  field.addEventListener("keydown", (e) => {
    e.stopPropagation();
    if (e.key === "Enter") finish(true);
    else if (e.key === "Escape") finish(false);
  });
  field.addEventListener("blur", () => finish(true));
  field.addEventListener("pointerdown", (e) => e.stopPropagation());
  title.replaceWith(field);
  field.focus();
  field.select();
}

/** Where the canvas is: the board › a layer › a layer inside it…; each part but the last leads back there. */
export function breadcrumb(store, layerId, go) {
  const path = layerPath(store, layerId);
  const last = path.length - 1;
  return h("div", { class: "fl-breadcrumb", "data-testid": "breadcrumb", hidden: !path.length },
    h("button", { class: "fl-breadcrumb-item", "data-testid": "breadcrumb-board", title: "Back to the board",
      onclick: () => go(null) }, store.document.name || "board"),
    path.flatMap((id, i) => [
      h("span", { class: "fl-muted" }, " › "),
      i === last
        ? h("span", { class: "fl-breadcrumb-item fl-current", "data-testid": "breadcrumb-layer", "data-layer-id": id },
          store.document.layers[id].name)
        : h("button", { class: "fl-breadcrumb-item", "data-testid": "breadcrumb-layer", "data-layer-id": id,
          title: `Back to ${store.document.layers[id].name}`, onclick: () => go(id) }, store.document.layers[id].name),
    ]));
}
