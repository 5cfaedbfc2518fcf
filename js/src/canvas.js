// The canvas: nodes as HTML boxes with pins as ports, wires as SVG paths, comments behind them,
// all in one panned and zoomed layer. It draws the store and turns pointer gestures into editor
// messages (move, connect, select); it never changes the board itself.

import { fill, h, svg } from "./dom.js";
import { ERROR_PINS, HEADER, NODE_WIDTH, PIN_ROW, bounds, nodeHeight, pinPoint, pinsOf, wirePath } from "./geometry.js";
import {
  STUB_GAP, STUB_WIDTH, boundaryPins, boxAt, editLayerName, layerElement, layerHeight, layerPinPoint, layerStatus, layersAt,
  levelOf, nodesInside, outsideEnds, stubElement,
} from "./layers.js";
import { isExec, typeLabel } from "./types.js";
import { Minimap } from "./minimap.js";
import { previewElement } from "./values.js";
import { formatDuration } from "./wording.js";

const DRAG_THRESHOLD = 3;
const READABLE = 0.75;
const LITE_BELOW = 0.45; // zoomed out further, nodes are drawn as plain boxes with their title
const OVERSCAN = 0.5; // draw what lies within half a view beyond each edge, so panning finds it drawn
const MARGIN = 40;

function preview(value) {
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? "";
  return text.length > 18 ? `${text.slice(0, 17)}…` : text;
}

/** The mark in a node's header for the engine's problems with it: "✖" for an error, "⚠" for warnings only. */
function problemMarker(problems) {
  if (!problems) return null;
  const label = { error: "Error", warning: "Warning" };
  return h("span", {
    class: "fl-problem-marker", "data-testid": "problem-marker", "data-severity": problems.severity,
    title: problems.problems.map((p) => `${label[p.severity]}: ${p.message}`).join("\n"),
  }, problems.severity === "error" ? "✖" : "⚠");
}

export class Canvas {
  /** `editor` gives: store, selection, runState, send(message), select(selection), openPalette(at, wire). */
  constructor(editor) {
    this.editor = editor;
    this.view = { x: 0, y: 0, scale: 1 };
    this.nodeEls = new Map();
    this.wireEls = new Map();
    this.commentEls = new Map();
    this.layerEls = new Map();
    this.layerPins = new Map(); // layer id -> its boundary pins, as drawn
    this.layerMembers = new Map(); // layer id -> ids of the nodes inside it (at any depth), as drawn
    this.stubs = new Map(); // "node/pin" outside the layer shown -> {el, nodeId, at, point} of its stub, as drawn
    this.rowCache = new Map();
    this.opened = new Set();
    this.drag = null;
    this.pointer = null;
    this.tempWire = svg("path", { class: "fl-wire fl-wire-temp" });
    this.box = h("div", { class: "fl-select-box" });
    this.wireLayer = svg("svg", { class: "fl-wires", width: 1, height: 1 });
    this.nodeLayer = h("div", { class: "fl-nodes" });
    this.commentLayer = h("div", { class: "fl-comments" });
    this.viewport = h("div", { class: "fl-viewport", "data-testid": "editor-viewport" },
      this.commentLayer, this.wireLayer, this.nodeLayer, this.box);
    this.el = h("div", { class: "fl-canvas", "data-testid": "editor-canvas" }, this.viewport);
    this.el.addEventListener("pointerdown", (e) => this.onPointerDown(e));
    this.el.addEventListener("pointermove", (e) => {
      this.pointer = [e.clientX, e.clientY];
      this.onPointerMove(e);
    });
    this.el.addEventListener("pointerleave", () => { this.pointer = null; });
    this.el.addEventListener("pointerup", (e) => this.onPointerUp(e));
    this.el.addEventListener("pointercancel", () => this.cancelDrag());
    this.el.addEventListener("wheel", (e) => this.onWheel(e), { passive: false });
    this.el.addEventListener("dblclick", (e) => this.onDoubleClick(e));
    this.el.addEventListener("contextmenu", (e) => {
      e.preventDefault();
      e.stopPropagation(); // the editor's menu, not the notebook's
      this.editor.contextMenu(e);
    });
    this.found = new Set();
    this.tooltip = h("div", { class: "fl-tooltip", "data-testid": "pin-tooltip", hidden: true });
    this.minimap = new Minimap(this);
    this.emptyHint = h("div", { class: "fl-empty-hint", "data-testid": "empty-hint", hidden: true },
      "An empty board: double-click the canvas, or press Tab, to add a node");
    this.el.append(this.tooltip, this.minimap.el, this.emptyHint);
    this.el.addEventListener("pointerover", (e) => this.onPinHover(e));
    this.el.addEventListener("pointerout", (e) => {
      if (e.target.closest?.("[data-pin-id]") && !e.relatedTarget?.closest?.("[data-pin-id]")) this.hideTooltip();
    });
  }

  get store() {
    return this.editor.store;
  }

  // ---- drawing ---------------------------------------------------------------------------------------

  renderAll() {
    this.nodeLayer.replaceChildren();
    this.wireLayer.replaceChildren();
    this.commentLayer.replaceChildren();
    this.nodeEls.clear();
    this.wireEls.clear();
    this.commentEls.clear();
    this.layerEls.clear();
    this.renderLayers();
    this.renderStubs();
    this.cull();
    this.renderComments();
    this.showSelection();
    this.showEmptyHint();
  }

  /** Say how to start on a board with nothing on it (shown again when an undo takes its last node away). */
  showEmptyHint() {
    const { nodes, comments, layers } = this.store.document;
    this.emptyHint.hidden = Object.keys(nodes).length > 0 || Object.keys(comments).length > 0
      || Object.keys(layers || {}).length > 0;
  }

  /** Whether a node is drawn at the level the canvas shows (the board, or the layer entered). */
  shown(node) {
    return levelOf(this.store, node) === this.editor.layer;
  }

  /** The collapsed layers of the level shown (there are few: always drawn, with their wires). */
  renderLayers() {
    this.layerPins.clear();
    this.layerMembers.clear();
    for (const layer of layersAt(this.store, this.editor.layer)) {
      const pins = boundaryPins(this.store, layer.id);
      const inside = nodesInside(this.store, layer.id);
      this.layerPins.set(layer.id, pins);
      this.layerMembers.set(layer.id, inside);
      const el = layerElement(layer, pins, inside.length, this.layerState(layer));
      this.layerEls.set(layer.id, el);
      this.nodeLayer.append(el);
      for (const member of inside) this.redrawWiresOf(member);
    }
  }

  /** Inside a layer: a stub beside its nodes for each end outside it of a wire that leaves it, the outside node's
   * name on it; wires coming in start at stubs on the left, wires going out end at stubs on the right. */
  renderStubs() {
    const gone = [...this.stubs.values()];
    this.stubs.clear();
    for (const { el, nodeId } of gone) {
      el.remove();
      this.redrawWiresOf(nodeId);
    }
    if (this.editor.layer === null) return;
    const box = this.contentBounds();
    if (!box) return;
    const { inputs, outputs } = outsideEnds(this.store, this.editor.layer);
    const innerY = (end) => Math.min(...end.inner.map(({ node, pin }) => this.innerPoint(node, pin.id)[1]));
    // each side's stubs in the order of the pins inside they wire to, level with them unless that overlaps
    const place = (ends, x, direction, portX) => {
      let below = -Infinity;
      for (const { end, level } of ends.map((e) => ({ end: e, level: innerY(e) })).sort((a, b) => a.level - b.level)) {
        const y = Math.max(level - PIN_ROW / 2, below);
        below = y + PIN_ROW + 6;
        const el = stubElement(this.store, end, direction, [x, y]);
        const nodeId = end.node.id;
        this.stubs.set(`${nodeId}/${end.pin.id}`, { el, nodeId, at: [x, y], point: [x + portX, y + PIN_ROW / 2] });
        this.nodeLayer.append(el);
      }
    };
    place(inputs, box.left - STUB_GAP - STUB_WIDTH, "in", STUB_WIDTH);
    place(outputs, box.right + STUB_GAP, "out", 0);
    for (const { nodeId } of this.stubs.values()) this.redrawWiresOf(nodeId);
  }

  /** Where a pin inside the layer shown is drawn: on its node, or on the edge of the box of a layer holding it. */
  innerPoint(node, pinId) {
    return this.wireEnd(node.id, pinId)?.point || pinPoint(node, pinId, this.rows(node));
  }

  refreshLayers() {
    for (const el of this.layerEls.values()) el.remove();
    this.layerEls.clear();
    this.renderLayers();
  }

  layerState(layer) {
    const inside = this.layerMembers.get(layer.id) || nodesInside(this.store, layer.id);
    return layerStatus(inside.map((id) => this.editor.runState.get(id)));
  }

  /** The box drawn for a node at the level shown: the collapsed layer holding it (null: itself, or none). */
  boxOf(node) {
    return boxAt(this.store, levelOf(this.store, node), this.editor.layer);
  }

  /** Rename a layer's box in place (double-click on its name, or the context menu). */
  renameLayer(id) {
    const el = this.layerEls.get(id);
    const layer = this.store.document.layers?.[id];
    if (el && layer) editLayerName(el, layer, (name) => this.editor.send({ action: "update_layer", layer_id: id, name }));
  }

  /** Where a wire's end is drawn: at a node's pin, at a collapsed layer's boundary pin, or nowhere (null). */
  wireEnd(nodeId, pinId) {
    const node = this.store.nodes[nodeId];
    if (this.shown(node)) return { box: nodeId, el: this.nodeEls.get(nodeId), point: pinPoint(node, pinId, this.rows(node)) };
    const box = this.boxOf(node);
    if (!box || !this.layerPins.has(box)) return this.stubEnd(nodeId, pinId);
    const point = layerPinPoint(this.store.document.layers[box], this.layerPins.get(box), nodeId, pinId);
    return point && { box, el: this.layerEls.get(box), point };
  }

  /** A wire's end outside the layer shown: its stub, if drawn. */
  stubEnd(nodeId, pinId) {
    const stub = this.stubs.get(`${nodeId}/${pinId}`);
    return stub ? { box: `stub:${nodeId}/${pinId}`, el: stub.el, point: stub.point } : null;
  }

  /** What the layout arranges: the nodes `nodeIds` and layer boxes `layerIds` of the level shown as blocks with
   * ports where their pins are drawn (a box's ports are its boundary pins, named by the pin inside), and the wires
   * between those ports. */
  layoutBlocks(nodeIds, layerIds) {
    const block = (id, [x, y], width, height, inputs, outputs) => ({
      id, width, height, ports: [...inputs.map((p) => ({ ...p, side: "WEST" })), ...outputs.map((p) => ({ ...p, side: "EAST" }))]
        .map(({ key, point, side }) => ({ id: key, x: point[0] - x, y: point[1] - y, side })),
    });
    const nodes = nodeIds.map((id) => {
      const node = this.store.nodes[id];
      const rows = this.rows(node);
      const port = (pin) => ({ key: `${id}/${pin.id}`, point: pinPoint(node, pin.id, rows) });
      return block(id, node.coordinates, NODE_WIDTH, nodeHeight(node, rows), rows.inputs.map(port), rows.outputs.map(port));
    });
    const boxes = layerIds.filter((id) => this.layerPins.has(id)).map((id) => {
      const layer = this.store.document.layers[id];
      const pins = this.layerPins.get(id);
      const port = ({ node, pin }) => ({ key: `${node.id}/${pin.id}`, point: layerPinPoint(layer, pins, node.id, pin.id) });
      return block(id, layer.coordinates, NODE_WIDTH, layerHeight(pins), pins.inputs.map(port), pins.outputs.map(port));
    });
    const wires = [...this.store.wires].map(([id, w]) => ({ id, source: `${w.from_node}/${w.from_pin}`, target: `${w.to_node}/${w.to_pin}` }));
    return { blocks: [...nodes, ...boxes], wires };
  }

  /** The part of the board worth drawing: the view plus an overscan margin, in canvas coordinates (null unsized). */
  drawnRect() {
    const { width, height } = this.el.getBoundingClientRect();
    if (!width || !height) return null;
    const { x, y, scale } = this.view;
    const [mx, my] = [width * OVERSCAN, height * OVERSCAN];
    return [(-x - mx) / scale, (-y - my) / scale, (width - x + mx) / scale, (height - y + my) / scale];
  }

  inRect(node, rect) {
    const [x, y] = node.coordinates;
    return x < rect[2] && x + NODE_WIDTH > rect[0] && y < rect[3] && y + nodeHeight(node, this.rows(node)) > rect[1];
  }

  /** Draw the nodes in (or near) view and their wires; drop the others (so 5,000 nodes cost what is seen). */
  cull() {
    this.cullFrame = null;
    const rect = this.drawnRect();
    if (!rect) return;
    const lite = this.view.scale < LITE_BELOW;
    if (lite !== this.lite) {
      this.lite = lite;
      this.el.classList.toggle("fl-lite", lite);
      for (const el of this.nodeEls.values()) el.remove();
      this.nodeEls.clear();
    }
    const moving = this.drag?.kind === "move" ? this.drag.nodes : null;
    const added = document.createDocumentFragment();
    const changed = new Set();
    for (const node of Object.values(this.store.nodes)) {
      const want = this.shown(node) && (this.inRect(node, rect) || moving?.has(node.id));
      const el = this.nodeEls.get(node.id);
      if (want && !el) {
        const fresh = this.nodeElement(node);
        if (this.editor.selection.nodes.has(node.id)) fresh.classList.add("fl-selected");
        this.nodeEls.set(node.id, fresh);
        added.append(fresh);
        changed.add(node.id);
      } else if (!want && el) {
        el.remove();
        this.nodeEls.delete(node.id);
        changed.add(node.id);
      }
    }
    this.nodeLayer.append(added);
    for (const id of changed) this.redrawWiresOf(id);
    this.el.dataset.drawn = String(this.nodeEls.size);
    this.minimap.schedule();
  }

  /** Cull again on the next frame (after a pan or zoom), once however many view changes come before it. */
  scheduleCull() {
    if (!this.cullFrame) this.cullFrame = requestAnimationFrame(() => this.cull());
  }

  /** Redraw after a patch: only the nodes and wires it names, plus wires of moved nodes. */
  update(change) {
    for (const key of change.removedWires) {
      this.wireEls.get(key)?.remove();
      this.wireEls.delete(key);
    }
    for (const id of change.removedNodes) {
      this.rowCache.delete(id);
      this.nodeEls.get(id)?.remove();
      this.nodeEls.delete(id);
    }
    const touched = new Set(change.nodes);
    for (const key of [...change.addedWires, ...change.removedWires]) {
      const [from, to] = key.split(">").map((end) => end.split("/")[0]);
      touched.add(from);
      touched.add(to);
    }
    // a layer's boundary pins follow the wires crossing its edge and its nodes' pins: draw its box again
    if ([...touched].some((id) => this.store.nodes[id] && this.boxOf(this.store.nodes[id]))) {
      this.refreshLayers();
    }
    if (this.editor.layer !== null) this.renderStubs(); // inside a layer: the wires leaving it may have changed
    for (const id of touched) this.redrawNode(id);
    for (const key of change.addedWires) this.drawWire(key);
    if (change.comments) this.renderComments();
    this.showSelection();
    this.minimap.schedule();
    if (change.addedNodes.length || change.removedNodes.length || change.comments) this.showEmptyHint();
  }

  redrawNode(id) {
    const node = this.store.nodes[id];
    if (!node) return;
    const old = this.nodeEls.get(id);
    const rect = this.drawnRect();
    if (!this.shown(node) || (!old && !(rect && this.inRect(node, rect)))) {
      old?.remove();
      this.nodeEls.delete(id);
      this.redrawWiresOf(id);
      return;
    }
    const el = this.nodeElement(node);
    if (old) old.replaceWith(el);
    else this.nodeLayer.append(el);
    this.nodeEls.set(id, el);
    this.redrawWiresOf(id);
  }

  /** The pins drawn on a node: its error pins only when one is wired or the node is selected. */
  rows(node) {
    const open = this.editor.selection.nodes.has(node.id) || this.errorWired(node.id);
    const cached = this.rowCache.get(node.id);
    if (cached && cached.node === node && cached.open === open) return cached;
    const all = pinsOf(node);
    const hidden = !open && all.outputs.some((pin) => ERROR_PINS.has(pin.name));
    const rows = hidden ? pinsOf(node, (pin) => !ERROR_PINS.has(pin.name)) : all;
    const entry = { node, open, hidden, inputs: rows.inputs, outputs: rows.outputs };
    this.rowCache.set(node.id, entry);
    return entry;
  }

  errorWired(id) {
    const node = this.store.nodes[id];
    for (const key of this.store.wiresOf.get(id) || []) {
      const wire = this.store.wires.get(key);
      if (wire.from_node === id && ERROR_PINS.has(node.pins[wire.from_pin]?.name)) return true;
    }
    return false;
  }

  redrawWiresOf(id) {
    for (const key of this.store.wiresOf.get(id) || []) this.drawWire(key);
  }

  nodeElement(node) {
    if (this.lite) return this.liteElement(node);
    const rows = this.rows(node);
    const { inputs, outputs } = rows;
    const [x, y] = node.coordinates;
    const wired = new Set();
    for (const key of this.store.wiresOf.get(node.id) || []) {
      const wire = this.store.wires.get(key);
      wired.add(wire.from_node === node.id ? wire.from_pin : wire.to_pin);
    }
    const pure = !Object.values(node.pins).some(isExec);
    const missing = (this.editor.model.get("missing") || {})[node.name];
    const problems = this.editor.problemsOf(node.id);
    const troubled = new Map(); // pin id -> the severity of its worst problem
    for (const p of problems?.problems || []) if (p.pin_id && troubled.get(p.pin_id) !== "error") troubled.set(p.pin_id, p.severity);
    const el = h("div", {
      class: `fl-node${pure ? " fl-pure" : ""}${missing ? " fl-missing" : ""}`, "data-testid": "node",
      "data-node-id": node.id, "data-node-type": node.name, "data-problem": problems?.severity,
      title: missing ? `${node.friendly_name || node.name}: ${missing}` : node.description || node.name,
      style: { transform: `translate(${x}px, ${y}px)`, height: `${nodeHeight(node, rows)}px`, width: `${NODE_WIDTH}px` },
    },
    h("div", { class: "fl-node-header", "data-testid": "node-header" },
      h("span", { class: "fl-node-title", "data-testid": "node-title" }, missing || node.friendly_name || node.name),
      rows.hidden ? h("span", {
        class: "fl-error-marker", "data-testid": "error-marker",
        title: "On Error pins hidden: select the node to wire them",
      }) : null,
      problemMarker(problems),
      h("span", { class: "fl-node-status", "data-testid": "node-status" })),
    inputs.map((pin, row) => this.pinElement(pin, row, wired.has(pin.id), troubled.get(pin.id))),
    outputs.map((pin, row) => this.pinElement(pin, row, wired.has(pin.id), troubled.get(pin.id))),
    node.comment ? h("div", { class: "fl-node-comment" }, node.comment) : null,
    h("div", { class: "fl-node-progress", "data-testid": "node-progress" }, h("div")));
    this.paintStatus(el, this.editor.runState.get(node.id));
    if (this.found.has(node.id)) el.classList.add("fl-found");
    this.editor.debug.decorate(el, node);
    return el;
  }

  /** A node far away: its box and title only (a tenth of the elements), still draggable and selectable. */
  liteElement(node) {
    const [x, y] = node.coordinates;
    const missing = (this.editor.model.get("missing") || {})[node.name];
    const pure = !Object.values(node.pins).some(isExec);
    const el = h("div", {
      class: `fl-node fl-node-lite${pure ? " fl-pure" : ""}${missing ? " fl-missing" : ""}`, "data-testid": "node",
      "data-node-id": node.id, "data-node-type": node.name, title: node.friendly_name || node.name,
      "data-problem": this.editor.problemsOf(node.id)?.severity,
      style: { transform: `translate(${x}px, ${y}px)`, height: `${nodeHeight(node, this.rows(node))}px`, width: `${NODE_WIDTH}px` },
    }, h("div", { class: "fl-node-header", "data-testid": "node-header" },
      h("span", { class: "fl-node-title", "data-testid": "node-title" }, missing || node.friendly_name || node.name)));
    const state = this.editor.runState.get(node.id);
    if (state) el.dataset.status = state.status;
    if (this.found.has(node.id)) el.classList.add("fl-found");
    this.editor.debug.decorate(el, node);
    return el;
  }

  /** A pin as a port and its label; `problem` is the severity of the engine's worst problem with it, if any. */
  pinElement(pin, row, wired, problem) {
    const input = pin.direction === "Input";
    const exec = isExec(pin);
    const label = (pin.friendly_name || "").trim() || (exec ? "" : pin.name);
    const shown = input && !exec && !wired && pin.default_value !== null && pin.default_value !== undefined;
    return h("div", {
      class: `fl-pin fl-pin-${input ? "in" : "out"}`, "data-testid": "pin", "data-pin-id": pin.id,
      "data-pin-name": pin.name, "data-direction": input ? "in" : "out", "data-kind": exec ? "exec" : "data",
      "data-type": pin.data_type, "data-value-type": pin.value_type, "data-wired": wired ? "true" : "false",
      "data-problem": problem,
      title: `${pin.name}: ${exec ? "exec" : typeLabel(pin)}${pin.description ? `\n${pin.description}` : ""}`,
      style: { top: `${HEADER + row * PIN_ROW}px` },
    },
    h("span", {
      class: `fl-port fl-t-${pin.data_type} fl-v-${pin.value_type}${exec ? " fl-exec" : ""}${wired ? " fl-wired" : ""}`,
      "data-testid": "pin-port",
    }),
    h("span", { class: "fl-pin-label" }, label),
    shown ? h("span", { class: "fl-pin-default" }, preview(pin.default_value)) : null);
  }

  drawWire(key) {
    const wire = this.store.wires.get(key);
    const from = wire && this.store.nodes[wire.from_node];
    const to = wire && this.store.nodes[wire.to_node];
    if (!from || !to || !from.pins[wire.from_pin] || !to.pins[wire.to_pin]) return;
    const start = this.wireEnd(wire.from_node, wire.from_pin);
    const end = this.wireEnd(wire.to_node, wire.to_pin);
    if (!start || !end || start.box === end.box || (!start.el && !end.el)) {
      this.wireEls.get(key)?.remove();
      this.wireEls.delete(key);
      return;
    }
    const pin = from.pins[wire.from_pin];
    const group = this.drag?.group;
    if (group && !group.inside.has(key)) { // one end in a selection being moved: that end follows it
      const [dx, dy] = group.delta;
      if (start.box === wire.from_node && group.nodes.has(wire.from_node)) start.point = [start.point[0] + dx, start.point[1] + dy];
      if (end.box === wire.to_node && group.nodes.has(wire.to_node)) end.point = [end.point[0] + dx, end.point[1] + dy];
    }
    const d = wirePath(start.point, end.point);
    let el = this.wireEls.get(key);
    if (!el) {
      el = svg("path", {
        "data-testid": "wire", "data-wire": key, "data-from-node": wire.from_node, "data-from-pin": wire.from_pin,
        "data-to-node": wire.to_node, "data-to-pin": wire.to_pin,
      });
      this.wireEls.set(key, el);
      this.wireLayer.append(el);
    }
    el.setAttribute("class", `fl-wire fl-t-${pin.data_type}${isExec(pin) ? " fl-exec" : ""}` +
      (this.editor.selection.wire === key ? " fl-selected" : ""));
    el.setAttribute("d", d);
  }

  renderComments() {
    this.commentLayer.replaceChildren();
    this.commentEls.clear();
    if (this.editor.layer !== null) return; // comments belong to the board's level
    for (const comment of Object.values(this.store.document.comments)) {
      const [x, y] = comment.coordinates;
      const text = h("div", { class: "fl-comment-text", "data-testid": "comment-text" }, comment.content);
      const el = h("div", {
        class: "fl-comment", "data-testid": "comment", "data-comment-id": comment.id,
        style: {
          transform: `translate(${x}px, ${y}px)`, width: `${comment.width}px`, height: `${comment.height}px`,
          background: comment.color || "",
        },
      }, text);
      this.commentEls.set(comment.id, el);
      this.commentLayer.append(el);
    }
  }

  editComment(id) {
    const comment = this.store.document.comments[id];
    const el = this.commentEls.get(id);
    if (!comment || !el) return;
    const area = h("textarea", { class: "fl-comment-edit", "data-testid": "comment-edit", value: comment.content });
    const save = () => {
      if (area.value !== comment.content) this.editor.send({ action: "upsert_comment", comment: { ...comment, content: area.value } });
      else this.renderComments();
    };
    area.addEventListener("blur", save, { once: true });
    area.addEventListener("keydown", (e) => {
      if (e.key === "Escape" || (e.key === "Enter" && (e.ctrlKey || e.metaKey))) area.blur();
    });
    fill(el, area);
    area.focus();
  }

  paintStatus(el, state) {
    const badge = el.querySelector(".fl-node-status");
    const bar = el.querySelector(".fl-node-progress > div");
    if (!state) {
      el.removeAttribute("data-status");
      el.removeAttribute("data-stale");
      badge.removeAttribute("data-status");
      badge.removeAttribute("data-stale");
      badge.textContent = "";
      bar.style.width = "0";
      return;
    }
    el.dataset.status = state.status;
    badge.dataset.status = state.status;
    el.dataset.stale = badge.dataset.stale = String(!!state.stale);
    const count = state.count > 1 ? ` ×${state.count}` : "";
    const cached = state.status === "cached"; // its time is the cache's look-up, not the node's: say where it came from
    const shown = state.status === "stopping" ? "stopping…" // (what it ran before, in a loop, is not the news)
      : state.duration !== undefined && !cached ? `${formatDuration(state.duration)}${count}` : state.status;
    badge.textContent = state.stale ? `stale · ${shown}` : shown;
    badge.title = `${state.stale ? "from before the last edit (run again to update): " : ""}${
      state.error || (cached ? "served from the result cache" : state.status)}`;
    bar.style.width = state.progress !== undefined && state.status === "running" ? `${state.progress * 100}%` : "0";
  }

  showStatus(id) {
    const el = this.nodeEls.get(id);
    const state = this.editor.runState.get(id);
    const layer = this.store.nodes[id] && this.layerEls.get(this.boxOf(this.store.nodes[id]));
    if (layer) layer.dataset.status = this.layerState(this.store.document.layers[layer.dataset.layerId]) || "";
    if (el?.classList.contains("fl-node-lite")) el.dataset.status = state?.status || "";
    else if (el) this.paintStatus(el, state);
  }

  showSelection() {
    const { nodes, comments, wire } = this.editor.selection;
    // Selecting a node opens its error pins, leaving it folds them again.
    for (const id of new Set([...this.opened, ...nodes])) {
      const node = this.store.nodes[id];
      if (node && this.rowCache.get(id)?.open !== this.rows(node).open) this.redrawNode(id);
    }
    this.opened = new Set(nodes);
    for (const [id, el] of this.nodeEls) el.classList.toggle("fl-selected", nodes.has(id));
    for (const [id, el] of this.commentEls) el.classList.toggle("fl-selected", comments.has(id));
    for (const [key, el] of this.wireEls) el.classList.toggle("fl-selected", key === wire);
    for (const [id, el] of this.layerEls) el.classList.toggle("fl-selected", this.editor.selection.layers.has(id));
  }

  // ---- view ------------------------------------------------------------------------------------------

  applyView() {
    const { x, y, scale } = this.view;
    this.viewport.style.transform = `translate(${x}px, ${y}px) scale(${scale})`;
    this.el.style.backgroundSize = `${20 * scale}px ${20 * scale}px`;
    this.el.style.backgroundPosition = `${x}px ${y}px`;
    this.el.dataset.scale = scale.toFixed(3);
    this.scheduleCull();
  }

  /** The scale at which the whole board fits in view, and the board's box (null for an empty board). */
  fitScale() {
    const box = this.shownBounds();
    const { width, height } = this.el.getBoundingClientRect();
    if (!box || !width || !height) return { scale: 1, box: null, width, height };
    const scale = Math.min((width - MARGIN * 2) / (box.right - box.left), (height - MARGIN * 2) / (box.bottom - box.top));
    return { scale, box, width, height };
  }

  /** The box around what the canvas shows: its level's nodes, layer boxes and comments, and the stubs beside them. */
  shownBounds() {
    const content = this.contentBounds();
    const stubs = [...this.stubs.values()].map(({ at }) => ({ coordinates: at, width: STUB_WIDTH, height: PIN_ROW }));
    return content && bounds([], [{ coordinates: [content.left, content.top], width: content.right - content.left,
      height: content.bottom - content.top }, ...stubs]);
  }

  /** The box around the nodes and layer boxes of the level shown, at the board's level its comments too. */
  contentBounds() {
    const nodes = Object.values(this.store.nodes).filter((node) => this.shown(node));
    const layers = layersAt(this.store, this.editor.layer).map((layer) => ({
      coordinates: layer.coordinates, width: NODE_WIDTH,
      height: layerHeight(this.layerPins.get(layer.id) || boundaryPins(this.store, layer.id)),
    }));
    const comments = this.editor.layer === null ? Object.values(this.store.document.comments) : [];
    return bounds(nodes, [...comments, ...layers]);
  }

  /** Show the whole board (Fit), however small that makes it; `maxScale` caps the zoom of small boards. */
  fit(maxScale = 1.25) {
    const { scale: fitting, box, width, height } = this.fitScale();
    if (!box) {
      this.view = { x: 0, y: 0, scale: 1 };
    } else {
      const scale = Math.min(maxScale, fitting);
      this.view = {
        scale,
        x: (width - (box.right - box.left) * scale) / 2 - box.left * scale,
        y: (height - (box.bottom - box.top) * scale) / 2 - box.top * scale,
      };
    }
    this.applyView();
  }

  /** The view a board opens with: all of it if that is readable (zoom 0.75 or more), else at zoom 1 its top-left
   * corner when the start node is in view from there (nodes feeding it often sit left of it), else its start node. */
  firstView() {
    const { scale, box, width, height } = this.fitScale();
    if (!box || scale >= READABLE) {
      this.fit(1);
      return;
    }
    const start = this.startNode();
    if (!start) {
      this.fit(1);
      return;
    }
    const [x, y] = start.coordinates;
    const tall = nodeHeight(start, this.rows(start));
    const fromLeft = x + NODE_WIDTH - box.left <= width - 2 * MARGIN;
    const fromTop = y + tall - box.top <= height - 2 * MARGIN;
    this.view = {
      scale: 1,
      x: MARGIN - (fromLeft ? box.left : x),
      y: fromTop ? MARGIN - box.top : Math.max(MARGIN, height / 2 - tall / 2) - y,
    };
    this.applyView();
  }

  /** Where a reader starts: the first event node (top left first), else the top-left node without inputs wired. */
  startNode() {
    const nodes = Object.values(this.store.nodes).filter((node) => this.shown(node));
    const order = (a, b) => a.coordinates[0] - b.coordinates[0] || a.coordinates[1] - b.coordinates[1];
    const eventKeys = new Set(this.editor.model.get("catalog").filter((entry) => entry.event).map((entry) => entry.name));
    const events = nodes.filter((n) => eventKeys.has(n.name)).sort(order);
    if (events.length) return events[0];
    const fed = new Set([...this.store.wires.values()].map((w) => w.to_node));
    return nodes.filter((n) => !fed.has(n.id)).sort(order)[0] || nodes.sort(order)[0];
  }

  /** After a run (and during one), hovering a pin shows its value as the kernel previews it. */
  onPinHover(e) {
    const pinEl = e.target.closest?.("[data-pin-id]");
    const nodeEl = pinEl?.closest("[data-node-id]");
    if (!pinEl || !nodeEl || this.drag || !this.editor.runGeneration) return;
    const [nodeId, pinId] = [nodeEl.dataset.nodeId, pinEl.dataset.pinId];
    if (this.hovered?.pinId === pinId && this.hovered?.nodeId === nodeId) return;
    const hovered = { nodeId, pinId };
    this.hovered = hovered;
    this.editor.ask({ action: "pin_value", node_id: nodeId, pin_id: pinId }, (reply) => {
      if (this.hovered !== hovered) return;
      const pin = this.store.nodes[nodeId]?.pins[pinId];
      fill(this.tooltip, h("div", { class: "fl-tooltip-title" }, pin ? pin.friendly_name || pin.name : pinId),
        reply.value ? previewElement(reply.value) : h("div", { class: "fl-muted" }, "no value in this run"));
      this.tooltip.dataset.pinId = pinId;
      const canvas = this.el.getBoundingClientRect();
      const box = pinEl.getBoundingClientRect();
      const left = Math.min(box.left - canvas.left, canvas.width - 320);
      Object.assign(this.tooltip.style, { left: `${Math.max(0, left)}px`, top: `${box.bottom - canvas.top + 4}px` });
      this.tooltip.hidden = false;
    });
  }

  hideTooltip() {
    this.hovered = null;
    this.tooltip.hidden = true;
  }

  /** Mark the nodes `ids` (find's matches). */
  highlight(ids) {
    for (const id of this.found) this.nodeEls.get(id)?.classList.remove("fl-found");
    this.found = ids;
    for (const id of ids) this.nodeEls.get(id)?.classList.add("fl-found");
  }

  /** Bring a board point to the middle of the view (the minimap's clicks), keeping the zoom. */
  centerOnPoint(cx, cy) {
    const { width, height } = this.el.getBoundingClientRect();
    this.view = { ...this.view, x: width / 2 - cx * this.view.scale, y: height / 2 - cy * this.view.scale };
    this.applyView();
  }

  /** Pan (the zoom kept) just enough to show the nodes `ids` whole: a node added where there was no room lands
   * next to what was in the way, which may be out of view. */
  reveal(ids) {
    const box = bounds(ids.map((id) => this.store.nodes[id]).filter((node) => node && this.shown(node)));
    const { width, height } = this.el.getBoundingClientRect();
    if (!box || !width || !height) return;
    const { x, y, scale } = this.view;
    const shift = (low, high, origin, size) => {
      const [start, end] = [low * scale + origin, high * scale + origin]; // on screen, from the canvas' corner
      if (start >= 0 && end <= size) return 0;
      return start < 0 || end - start > size ? MARGIN - start : size - MARGIN - end;
    };
    const [dx, dy] = [shift(box.left, box.right, x, width), shift(box.top, box.bottom, y, height)];
    if (!dx && !dy) return;
    this.view = { ...this.view, x: x + dx, y: y + dy };
    this.applyView();
  }

  /** Bring a node to the middle of the view, at a readable zoom. */
  centerOn(id) {
    const node = this.store.nodes[id];
    if (!node) return;
    if (!this.shown(node)) this.editor.enterLayer(levelOf(this.store, node));
    const { width, height } = this.el.getBoundingClientRect();
    const scale = Math.max(this.view.scale, READABLE);
    const [x, y] = node.coordinates;
    this.view = { scale, x: width / 2 - (x + NODE_WIDTH / 2) * scale, y: height / 2 - (y + nodeHeight(node, this.rows(node)) / 2) * scale };
    this.applyView();
  }

  /** A screen point in canvas coordinates. */
  toCanvas(clientX, clientY) {
    const rect = this.el.getBoundingClientRect();
    return [(clientX - rect.left - this.view.x) / this.view.scale, (clientY - rect.top - this.view.y) / this.view.scale];
  }

  center() {
    const rect = this.el.getBoundingClientRect();
    return this.toCanvas(rect.left + rect.width / 2, rect.top + rect.height / 2);
  }

  onWheel(e) {
    e.preventDefault();
    const rect = this.el.getBoundingClientRect();
    const [px, py] = [e.clientX - rect.left, e.clientY - rect.top];
    const scale = Math.min(2.5, Math.max(0.05, this.view.scale * Math.exp(-e.deltaY * 0.0015)));
    const ratio = scale / this.view.scale;
    this.view = { scale, x: px - (px - this.view.x) * ratio, y: py - (py - this.view.y) * ratio };
    this.applyView();
  }

  // ---- gestures --------------------------------------------------------------------------------------

  onPointerDown(e) {
    if (e.button !== 0 && e.button !== 1) return;
    if (this.editor.palette.isOpen) this.editor.palette.close();
    if (e.target.closest("textarea")) return;
    e.preventDefault();
    this.editor.focus();
    const [x, y] = this.toCanvas(e.clientX, e.clientY);
    const pinEl = e.target.closest("[data-pin-id]");
    const nodeEl = e.target.closest("[data-node-id]");
    const commentEl = e.target.closest("[data-comment-id]");
    const wireEl = e.target.closest("[data-wire]");
    const layerEl = e.target.closest("[data-layer-id]");
    const layerPinEl = layerEl && e.target.closest("[data-inner-pin]");
    const stubEl = e.target.closest("[data-outer-node]");
    const selection = this.editor.selection;
    if (e.button === 1) {
      this.drag = { kind: "pan", start: [e.clientX, e.clientY], origin: { ...this.view } };
    } else if (stubEl) { // a wire's end outside the layer shown: go to that node
      const id = stubEl.dataset.outerNode;
      this.centerOn(id);
      this.editor.select({ nodes: new Set([id]), comments: new Set(), wire: null });
    } else if ((pinEl && nodeEl) || layerPinEl) {
      // a layer's boundary pin stands for the pin inside: the wire starts there
      const node = this.store.nodes[layerPinEl ? layerPinEl.dataset.innerNode : nodeEl.dataset.nodeId];
      const pin = node?.pins[layerPinEl ? layerPinEl.dataset.innerPin : pinEl.dataset.pinId];
      if (!pin) return;
      if (e.altKey) {
        this.disconnectPin(node.id, pin.id);
        return;
      }
      const from = this.wireEnd(node.id, pin.id)?.point || pinPoint(node, pin.id, this.rows(node));
      const drag = { kind: "wire", node, pin, from, fits: null };
      this.drag = drag;
      this.editor.ask({ action: "pin_fits", node_id: node.id, pin_id: pin.id }, (reply) => {
        if (this.drag === drag) this.lightFits(drag, reply.fits);
      });
      this.tempWire.setAttribute("class", `fl-wire fl-wire-temp fl-t-${pin.data_type}${isExec(pin) ? " fl-exec" : ""}`);
      this.wireLayer.append(this.tempWire);
    } else if (nodeEl || commentEl || layerEl) {
      const [kind, id] = nodeEl ? ["nodes", nodeEl.dataset.nodeId]
        : commentEl ? ["comments", commentEl.dataset.commentId] : ["layers", layerEl.dataset.layerId];
      const set = selection[kind];
      if (e.shiftKey || e.ctrlKey || e.metaKey) {
        if (set.has(id)) set.delete(id);
        else set.add(id);
        this.editor.select(selection);
      } else if (!set.has(id)) {
        this.editor.select({ nodes: new Set(), comments: new Set(), layers: new Set(), wire: null, [kind]: new Set([id]) });
      }
      const { nodes, comments, layers } = this.editor.selection;
      const places = (ids, table) => new Map([...ids].filter((i) => table[i]).map((i) => [i, [...table[i].coordinates]]));
      this.drag = {
        kind: "move", start: [x, y], moved: false, nodes: places(nodes, this.store.nodes),
        comments: places(comments, this.store.document.comments), layers: places(layers, this.store.document.layers || {}),
      };
    } else if (wireEl) {
      this.editor.select({ nodes: new Set(), comments: new Set(), wire: wireEl.dataset.wire });
    } else if (e.shiftKey) {
      this.drag = { kind: "box", start: [x, y] };
    } else {
      this.editor.select({ nodes: new Set(), comments: new Set(), wire: null });
      this.drag = { kind: "pan", start: [e.clientX, e.clientY], origin: { ...this.view } };
    }
    if (this.drag) this.el.setPointerCapture(e.pointerId);
  }

  onPointerMove(e) {
    const drag = this.drag;
    if (!drag) return;
    const [x, y] = this.toCanvas(e.clientX, e.clientY);
    if (drag.kind === "pan") {
      this.view = { ...drag.origin, x: drag.origin.x + e.clientX - drag.start[0], y: drag.origin.y + e.clientY - drag.start[1] };
      this.applyView();
    } else if (drag.kind === "wire") {
      const to = [x, y];
      const output = drag.pin.direction === "Output";
      this.tempWire.setAttribute("d", output ? wirePath(drag.from, to) : wirePath(to, drag.from));
    } else if (drag.kind === "move") {
      const [dx, dy] = [x - drag.start[0], y - drag.start[1]];
      if (!drag.moved && Math.hypot(dx, dy) * this.view.scale < DRAG_THRESHOLD) return;
      drag.moved = true;
      drag.delta = [dx, dy];
      if (!drag.group) this.startGroup(drag);
      drag.group.delta = [dx, dy];
      drag.group.el.style.transform = `translate(${dx}px, ${dy}px)`;
      for (const key of drag.group.edge) this.drawWire(key);
      for (const [id, [ox, oy]] of drag.comments) {
        this.commentEls.get(id).style.transform = `translate(${ox + dx}px, ${oy + dy}px)`;
      }
      for (const [id, [ox, oy]] of drag.layers || []) {
        const layer = this.store.document.layers[id];
        layer.coordinates = [ox + dx, oy + dy, layer.coordinates[2] || 0];
        this.layerEls.get(id).style.transform = `translate(${ox + dx}px, ${oy + dy}px)`;
        for (const member of this.layerMembers.get(id) || []) this.redrawWiresOf(member);
      }
    } else if (drag.kind === "box") {
      const [left, top] = [Math.min(x, drag.start[0]), Math.min(y, drag.start[1])];
      Object.assign(this.box.style, {
        display: "block", transform: `translate(${left}px, ${top}px)`,
        width: `${Math.abs(x - drag.start[0])}px`, height: `${Math.abs(y - drag.start[1])}px`,
      });
      drag.rect = [left, top, Math.max(x, drag.start[0]), Math.max(y, drag.start[1])];
    }
  }

  onPointerUp(e) {
    const drag = this.drag;
    this.drag = null;
    if (!drag) return;
    if (this.el.hasPointerCapture(e.pointerId)) this.el.releasePointerCapture(e.pointerId);
    if (drag.kind === "wire") {
      this.tempWire.remove();
      this.lightFits(null);
      this.dropWire(drag, e);
    } else if (drag.kind === "move" && drag.moved) {
      const [dx, dy] = drag.delta;
      this.endGroup(drag, drag.delta);
      const at = (origins) => Object.fromEntries([...origins].map(([id, [ox, oy]]) => [id, [ox + dx, oy + dy]]));
      this.editor.send({ action: "move", nodes: at(drag.nodes), comments: at(drag.comments), layers: at(drag.layers || []) });
    } else if (drag.kind === "box") {
      this.box.style.display = "none";
      if (drag.rect) this.selectInside(drag.rect);
    }
  }

  /** A selection starts moving: its node boxes and the wires between them go into one box (one layer for the
   * browser's compositor), so that each pointer move sets one transform and redraws only the wires leaving the
   * selection (node by node, the browser restyled and repainted 300 boxes and 598 wires a move). The nodes keep
   * their coordinates till the end. */
  startGroup(drag) {
    const inside = new Set();
    const edge = new Set();
    for (const id of drag.nodes.keys()) {
      for (const key of this.store.wiresOf.get(id) || []) {
        const wire = this.store.wires.get(key);
        (drag.nodes.has(wire.from_node) && drag.nodes.has(wire.to_node) ? inside : edge).add(key);
      }
    }
    const wires = svg("svg", { class: "fl-wires", width: 1, height: 1 });
    for (const key of inside) if (this.wireEls.has(key)) wires.append(this.wireEls.get(key));
    const el = h("div", { class: "fl-moving", "data-testid": "moving-selection" }, wires);
    for (const id of drag.nodes.keys()) if (this.nodeEls.has(id)) el.append(this.nodeEls.get(id));
    this.nodeLayer.append(el);
    drag.group = { el, wires, inside, edge, nodes: drag.nodes, delta: [0, 0] };
  }

  /** The moved selection lands `delta` from where it started: each node takes its place and box back. */
  endGroup(drag, [dx, dy]) {
    const { el, wires, inside, edge } = drag.group;
    drag.group = null;
    for (const [id, [ox, oy]] of drag.nodes) {
      const node = this.store.nodes[id];
      if (node) node.coordinates = [ox + dx, oy + dy, node.coordinates[2] || 0];
      const box = this.nodeEls.get(id);
      if (!box) continue;
      box.style.transform = `translate(${ox + dx}px, ${oy + dy}px)`;
      this.nodeLayer.append(box);
    }
    this.wireLayer.append(...wires.childNodes);
    el.remove();
    for (const key of [...inside, ...edge]) this.drawWire(key);
  }

  /** While a wire is dragged: pins the kernel says fit light up, the others dim (null: back to normal). */
  lightFits(drag, fits) {
    for (const el of this.nodeLayer.querySelectorAll(".fl-fit")) el.classList.remove("fl-fit");
    this.el.classList.toggle("fl-wiring", !!drag);
    if (!drag) return;
    drag.fits = new Map(Object.entries(fits).map(([node, pins]) => [node, new Set(pins)]));
    for (const [node, pins] of drag.fits) {
      const el = this.nodeEls.get(node);
      for (const pin of pins) el?.querySelector(`[data-pin-id="${pin}"]`)?.classList.add("fl-fit");
    }
    for (const el of this.nodeLayer.querySelectorAll("[data-inner-pin]")) {
      if (drag.fits.get(el.dataset.innerNode)?.has(el.dataset.innerPin)) el.classList.add("fl-fit");
    }
  }

  cancelDrag() {
    if (this.drag?.group) this.endGroup(this.drag, [0, 0]);
    this.lightFits(null);
    this.drag = null;
    this.tempWire.remove();
    this.box.style.display = "none";
  }

  dropWire(drag, e) {
    const target = document.elementFromPoint(e.clientX, e.clientY);
    const pinEl = target?.closest("[data-pin-id]");
    const nodeEl = target?.closest("[data-node-id]");
    const layerEl = target?.closest("[data-layer-id]");
    const layerPinEl = layerEl && (target.closest("[data-inner-pin]") || this.fittingLayerPin(drag, layerEl));
    const onNode = nodeEl && !pinEl ? this.fittingPin(drag, this.store.nodes[nodeEl.dataset.nodeId]) : null;
    if (((pinEl || onNode) && nodeEl) || layerPinEl) {
      const other = layerPinEl ? { node: layerPinEl.dataset.innerNode, pin: layerPinEl.dataset.innerPin }
        : { node: nodeEl.dataset.nodeId, pin: pinEl ? pinEl.dataset.pinId : onNode.id };
      if (other.node === drag.node.id && other.pin === drag.pin.id) return;
      const mine = { node: drag.node.id, pin: drag.pin.id };
      const [from, to] = drag.pin.direction === "Output" ? [mine, other] : [other, mine];
      this.editor.send({ action: "connect", from_node: from.node, from_pin: from.pin, to_node: to.node, to_pin: to.pin });
    } else if (!nodeEl && !layerEl && this.el.contains(target)) {
      this.editor.openPalette(this.toCanvas(e.clientX, e.clientY), { node_id: drag.node.id, pin_id: drag.pin.id },
        [e.clientX, e.clientY]);
    }
  }

  /** The first free pin of `node` that the kernel said the dragged pin fits (a wire dropped on a node's body). */
  fittingPin({ node: from, pin, fits }, node) {
    const fitting = node && node.id !== from.id ? fits?.get(node.id) : null;
    if (!fitting) return null;
    const { inputs, outputs } = this.rows(node);
    const output = pin.direction === "Output";
    const free = (other) => !output || isExec(other) || this.store.wiresInto(node.id, other.id).length === 0;
    return (output ? inputs : outputs).find((other) => free(other) && fitting.has(other.id)) || null;
  }

  /** A wire dropped on a layer's box: its first boundary pin on the other side that the kernel said fits. */
  fittingLayerPin({ pin, fits }, layerEl) {
    const side = pin.direction === "Output" ? "in" : "out";
    return [...layerEl.querySelectorAll(`[data-inner-pin][data-direction="${side}"]`)]
      .find((el) => fits?.get(el.dataset.innerNode)?.has(el.dataset.innerPin)) || null;
  }

  disconnectPin(nodeId, pinId) {
    const wires = [...(this.store.wiresOf.get(nodeId) || [])].map((k) => this.store.wires.get(k))
      .filter((w) => (w.from_node === nodeId && w.from_pin === pinId) || (w.to_node === nodeId && w.to_pin === pinId));
    if (wires.length) this.editor.send({ action: "remove", wires });
  }

  selectInside([left, top, right, bottom]) {
    const nodes = new Set();
    for (const node of Object.values(this.store.nodes)) {
      if (!this.shown(node)) continue;
      const [x, y] = node.coordinates;
      if (x < right && x + NODE_WIDTH > left && y < bottom && y + nodeHeight(node, this.rows(node)) > top) nodes.add(node.id);
    }
    const comments = new Set();
    for (const comment of Object.values(this.store.document.comments)) {
      const [x, y] = comment.coordinates;
      if (x < right && x + comment.width > left && y < bottom && y + comment.height > top) comments.add(comment.id);
    }
    const layers = new Set();
    for (const [id, pins] of this.layerPins) {
      const [x, y] = this.store.document.layers[id].coordinates;
      if (x < right && x + NODE_WIDTH > left && y < bottom && y + layerHeight(pins) > top) layers.add(id);
    }
    this.editor.select({ nodes, comments, layers, wire: null });
  }

  onDoubleClick(e) {
    // Pointer capture retargets clicks to the canvas, so look at what is under the pointer instead.
    const target = document.elementFromPoint(e.clientX, e.clientY) || e.target;
    const commentEl = target.closest("[data-comment-id]");
    const layerEl = target.closest("[data-layer-id]");
    if (layerEl && target.closest("[data-testid='layer-title']")) {
      this.renameLayer(layerEl.dataset.layerId);
    } else if (layerEl && !target.closest("[data-testid='layer-rename']")) {
      this.editor.enterLayer(layerEl.dataset.layerId);
    } else if (commentEl) {
      this.editComment(commentEl.dataset.commentId);
    } else if (!target.closest("[data-node-id]") && !target.closest("[data-wire]")) {
      this.editor.openPalette(this.toCanvas(e.clientX, e.clientY), null, [e.clientX, e.clientY]);
    }
  }
}
