// The canvas: nodes as HTML boxes with pins as ports, wires as SVG paths, comments behind them,
// all in one panned and zoomed layer. It draws the store and turns pointer gestures into editor
// messages (move, connect, select); it never changes the board itself.

import { fill, h, svg } from "./dom.js";
import { HEADER, NODE_WIDTH, PIN_ROW, bounds, nodeHeight, pinPoint, pinsOf, wirePath } from "./geometry.js";
import { fits, isExec, typeLabel } from "./types.js";

const DRAG_THRESHOLD = 3;

export function formatDuration(seconds) {
  if (seconds === undefined || seconds === null) return "";
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(2)} s`;
}

function preview(value) {
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? "";
  return text.length > 18 ? `${text.slice(0, 17)}…` : text;
}

export class Canvas {
  /** `editor` gives: store, selection, runState, send(message), select(selection), openPalette(at, wire). */
  constructor(editor) {
    this.editor = editor;
    this.view = { x: 0, y: 0, scale: 1 };
    this.nodeEls = new Map();
    this.wireEls = new Map();
    this.commentEls = new Map();
    this.drag = null;
    this.tempWire = svg("path", { class: "fl-wire fl-wire-temp" });
    this.box = h("div", { class: "fl-select-box" });
    this.wireLayer = svg("svg", { class: "fl-wires", width: 1, height: 1 });
    this.nodeLayer = h("div", { class: "fl-nodes" });
    this.commentLayer = h("div", { class: "fl-comments" });
    this.viewport = h("div", { class: "fl-viewport", "data-testid": "editor-viewport" },
      this.commentLayer, this.wireLayer, this.nodeLayer, this.box);
    this.el = h("div", { class: "fl-canvas", "data-testid": "editor-canvas" }, this.viewport);
    this.el.addEventListener("pointerdown", (e) => this.onPointerDown(e));
    this.el.addEventListener("pointermove", (e) => this.onPointerMove(e));
    this.el.addEventListener("pointerup", (e) => this.onPointerUp(e));
    this.el.addEventListener("pointercancel", () => this.cancelDrag());
    this.el.addEventListener("wheel", (e) => this.onWheel(e), { passive: false });
    this.el.addEventListener("dblclick", (e) => this.onDoubleClick(e));
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
    const nodes = document.createDocumentFragment();
    for (const node of Object.values(this.store.nodes)) {
      const el = this.nodeElement(node);
      this.nodeEls.set(node.id, el);
      nodes.append(el);
    }
    this.nodeLayer.append(nodes);
    for (const key of this.store.wires.keys()) this.drawWire(key);
    this.renderComments();
    this.showSelection();
  }

  /** Redraw after a patch: only the nodes and wires it names, plus wires of moved nodes. */
  update(change) {
    for (const key of change.removedWires) {
      this.wireEls.get(key)?.remove();
      this.wireEls.delete(key);
    }
    for (const id of change.removedNodes) {
      this.nodeEls.get(id)?.remove();
      this.nodeEls.delete(id);
    }
    const touched = new Set(change.nodes);
    for (const key of [...change.addedWires, ...change.removedWires]) {
      const [from, to] = key.split(">").map((end) => end.split("/")[0]);
      touched.add(from);
      touched.add(to);
    }
    for (const id of touched) this.redrawNode(id);
    for (const key of change.addedWires) this.drawWire(key);
    if (change.comments) this.renderComments();
    this.showSelection();
  }

  redrawNode(id) {
    const node = this.store.nodes[id];
    if (!node) return;
    const el = this.nodeElement(node);
    const old = this.nodeEls.get(id);
    if (old) old.replaceWith(el);
    else this.nodeLayer.append(el);
    this.nodeEls.set(id, el);
    this.redrawWiresOf(id);
  }

  redrawWiresOf(id) {
    for (const key of this.store.wiresOf.get(id) || []) this.drawWire(key);
  }

  nodeElement(node) {
    const { inputs, outputs } = pinsOf(node);
    const [x, y] = node.coordinates;
    const wired = new Set();
    for (const key of this.store.wiresOf.get(node.id) || []) {
      const wire = this.store.wires.get(key);
      wired.add(wire.from_node === node.id ? wire.from_pin : wire.to_pin);
    }
    const pure = !Object.values(node.pins).some(isExec);
    const missing = (this.editor.model.get("missing") || {})[node.name];
    const el = h("div", {
      class: `fl-node${pure ? " fl-pure" : ""}${missing ? " fl-missing" : ""}`, "data-testid": "node",
      "data-node-id": node.id, "data-node-type": node.name,
      title: missing ? `${node.friendly_name || node.name}: ${missing}` : node.description || node.name,
      style: { transform: `translate(${x}px, ${y}px)`, height: `${nodeHeight(node)}px`, width: `${NODE_WIDTH}px` },
    },
    h("div", { class: "fl-node-header", "data-testid": "node-header" },
      h("span", { class: "fl-node-title", "data-testid": "node-title" }, missing || node.friendly_name || node.name),
      h("span", { class: "fl-node-status", "data-testid": "node-status" })),
    inputs.map((pin, row) => this.pinElement(pin, row, wired.has(pin.id))),
    outputs.map((pin, row) => this.pinElement(pin, row, wired.has(pin.id))),
    node.comment ? h("div", { class: "fl-node-comment" }, node.comment) : null,
    h("div", { class: "fl-node-progress", "data-testid": "node-progress" }, h("div")));
    this.paintStatus(el, this.editor.runState.get(node.id));
    return el;
  }

  pinElement(pin, row, wired) {
    const input = pin.direction === "Input";
    const exec = isExec(pin);
    const label = (pin.friendly_name || "").trim() || (exec ? "" : pin.name);
    const shown = input && !exec && !wired && pin.default_value !== null && pin.default_value !== undefined;
    return h("div", {
      class: `fl-pin fl-pin-${input ? "in" : "out"}`, "data-testid": "pin", "data-pin-id": pin.id,
      "data-pin-name": pin.name, "data-direction": input ? "in" : "out", "data-kind": exec ? "exec" : "data",
      "data-type": pin.data_type, "data-value-type": pin.value_type, "data-wired": wired ? "true" : "false",
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
    const pin = from.pins[wire.from_pin];
    const d = wirePath(pinPoint(from, wire.from_pin), pinPoint(to, wire.to_pin));
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
      badge.removeAttribute("data-status");
      badge.textContent = "";
      bar.style.width = "0";
      return;
    }
    el.dataset.status = state.status;
    badge.dataset.status = state.status;
    const count = state.count > 1 ? ` ×${state.count}` : "";
    badge.textContent = state.duration !== undefined ? `${formatDuration(state.duration)}${count}` : state.status;
    badge.title = state.error || state.status;
    bar.style.width = state.progress !== undefined && state.status === "running" ? `${state.progress * 100}%` : "0";
  }

  showStatus(id) {
    const el = this.nodeEls.get(id);
    if (el) this.paintStatus(el, this.editor.runState.get(id));
  }

  showSelection() {
    const { nodes, comments, wire } = this.editor.selection;
    for (const [id, el] of this.nodeEls) el.classList.toggle("fl-selected", nodes.has(id));
    for (const [id, el] of this.commentEls) el.classList.toggle("fl-selected", comments.has(id));
    for (const [key, el] of this.wireEls) el.classList.toggle("fl-selected", key === wire);
  }

  // ---- view ------------------------------------------------------------------------------------------

  applyView() {
    const { x, y, scale } = this.view;
    this.viewport.style.transform = `translate(${x}px, ${y}px) scale(${scale})`;
    this.el.style.backgroundSize = `${20 * scale}px ${20 * scale}px`;
    this.el.style.backgroundPosition = `${x}px ${y}px`;
    this.el.dataset.scale = scale.toFixed(3);
  }

  fit() {
    const box = bounds(this.store.document);
    const { width, height } = this.el.getBoundingClientRect();
    if (!box || !width || !height) {
      this.view = { x: 0, y: 0, scale: 1 };
    } else {
      const margin = 40;
      const scale = Math.min(1.25, (width - margin * 2) / (box.right - box.left), (height - margin * 2) / (box.bottom - box.top));
      this.view = {
        scale,
        x: (width - (box.right - box.left) * scale) / 2 - box.left * scale,
        y: (height - (box.bottom - box.top) * scale) / 2 - box.top * scale,
      };
    }
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
    if (e.target.closest("textarea")) return;
    e.preventDefault();
    this.editor.focus();
    const [x, y] = this.toCanvas(e.clientX, e.clientY);
    const pinEl = e.target.closest("[data-pin-id]");
    const nodeEl = e.target.closest("[data-node-id]");
    const commentEl = e.target.closest("[data-comment-id]");
    const wireEl = e.target.closest("[data-wire]");
    const selection = this.editor.selection;
    if (e.button === 1) {
      this.drag = { kind: "pan", start: [e.clientX, e.clientY], origin: { ...this.view } };
    } else if (pinEl && nodeEl) {
      const node = this.store.nodes[nodeEl.dataset.nodeId];
      const pin = node?.pins[pinEl.dataset.pinId];
      if (!pin) return;
      if (e.altKey) {
        this.disconnectPin(node.id, pin.id);
        return;
      }
      this.drag = { kind: "wire", node, pin, from: pinPoint(node, pin.id) };
      this.tempWire.setAttribute("class", `fl-wire fl-wire-temp fl-t-${pin.data_type}${isExec(pin) ? " fl-exec" : ""}`);
      this.wireLayer.append(this.tempWire);
    } else if (nodeEl || commentEl) {
      const id = (nodeEl || commentEl).dataset[nodeEl ? "nodeId" : "commentId"];
      const set = nodeEl ? selection.nodes : selection.comments;
      if (e.shiftKey || e.ctrlKey || e.metaKey) {
        if (set.has(id)) set.delete(id);
        else set.add(id);
        this.editor.select(selection);
      } else if (!set.has(id)) {
        this.editor.select({ nodes: new Set(nodeEl ? [id] : []), comments: new Set(nodeEl ? [] : [id]), wire: null });
      }
      const { nodes, comments } = this.editor.selection;
      this.drag = {
        kind: "move", start: [x, y], moved: false,
        nodes: new Map([...nodes].filter((n) => this.store.nodes[n]).map((n) => [n, [...this.store.nodes[n].coordinates]])),
        comments: new Map([...comments].filter((c) => this.store.document.comments[c])
          .map((c) => [c, [...this.store.document.comments[c].coordinates]])),
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
      for (const [id, [ox, oy]] of drag.nodes) {
        const node = this.store.nodes[id];
        node.coordinates = [ox + dx, oy + dy, node.coordinates[2] || 0];
        this.nodeEls.get(id).style.transform = `translate(${ox + dx}px, ${oy + dy}px)`;
        this.redrawWiresOf(id);
      }
      for (const [id, [ox, oy]] of drag.comments) {
        this.commentEls.get(id).style.transform = `translate(${ox + dx}px, ${oy + dy}px)`;
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
      this.dropWire(drag, e);
    } else if (drag.kind === "move" && drag.moved) {
      const [dx, dy] = drag.delta;
      const at = (origins) => Object.fromEntries([...origins].map(([id, [ox, oy]]) => [id, [ox + dx, oy + dy]]));
      this.editor.send({ action: "move", nodes: at(drag.nodes), comments: at(drag.comments) });
    } else if (drag.kind === "box") {
      this.box.style.display = "none";
      if (drag.rect) this.selectInside(drag.rect);
    }
  }

  cancelDrag() {
    this.drag = null;
    this.tempWire.remove();
    this.box.style.display = "none";
  }

  dropWire(drag, e) {
    const target = document.elementFromPoint(e.clientX, e.clientY);
    const pinEl = target?.closest("[data-pin-id]");
    const nodeEl = target?.closest("[data-node-id]");
    const onNode = nodeEl && !pinEl ? this.fittingPin(drag, this.store.nodes[nodeEl.dataset.nodeId]) : null;
    if ((pinEl || onNode) && nodeEl) {
      const other = { node: nodeEl.dataset.nodeId, pin: pinEl ? pinEl.dataset.pinId : onNode.id };
      if (other.node === drag.node.id && other.pin === drag.pin.id) return;
      const mine = { node: drag.node.id, pin: drag.pin.id };
      const [from, to] = drag.pin.direction === "Output" ? [mine, other] : [other, mine];
      this.editor.send({ action: "connect", from_node: from.node, from_pin: from.pin, to_node: to.node, to_pin: to.pin });
    } else if (!nodeEl && this.el.contains(target)) {
      this.editor.openPalette(this.toCanvas(e.clientX, e.clientY), { node_id: drag.node.id, pin_id: drag.pin.id });
    }
  }

  /** The first free pin of `node` that the dragged pin could be wired to (a wire dropped on a node's body). */
  fittingPin({ node: from, pin }, node) {
    if (!node || node.id === from.id) return null;
    const { inputs, outputs } = pinsOf(node);
    const output = pin.direction === "Output";
    const free = (other) => !output || isExec(other) || this.store.wiresInto(node.id, other.id).length === 0;
    return (output ? inputs : outputs).find((other) => free(other) && (output ? fits(pin, other) : fits(other, pin))) || null;
  }

  disconnectPin(nodeId, pinId) {
    const wires = [...(this.store.wiresOf.get(nodeId) || [])].map((k) => this.store.wires.get(k))
      .filter((w) => (w.from_node === nodeId && w.from_pin === pinId) || (w.to_node === nodeId && w.to_pin === pinId));
    if (wires.length) this.editor.send({ action: "remove", wires });
  }

  selectInside([left, top, right, bottom]) {
    const nodes = new Set();
    for (const node of Object.values(this.store.nodes)) {
      const [x, y] = node.coordinates;
      if (x < right && x + NODE_WIDTH > left && y < bottom && y + nodeHeight(node) > top) nodes.add(node.id);
    }
    const comments = new Set();
    for (const comment of Object.values(this.store.document.comments)) {
      const [x, y] = comment.coordinates;
      if (x < right && x + comment.width > left && y < bottom && y + comment.height > top) comments.add(comment.id);
    }
    this.editor.select({ nodes, comments, wire: null });
  }

  onDoubleClick(e) {
    // Pointer capture retargets clicks to the canvas, so look at what is under the pointer instead.
    const target = document.elementFromPoint(e.clientX, e.clientY) || e.target;
    const commentEl = target.closest("[data-comment-id]");
    if (commentEl) {
      this.editComment(commentEl.dataset.commentId);
    } else if (!target.closest("[data-node-id]") && !target.closest("[data-wire]")) {
      this.editor.openPalette(this.toCanvas(e.clientX, e.clientY), null);
    }
  }
}
