// flowlike-nb's graph editor: the anywidget entry point. It wires the store (the kernel's document plus
// patches), the canvas, the palette, the inspector, the variables panel, the toolbar and the keyboard,
// and speaks the message protocol of flowlike_nb/widgets/protocol.py with the kernel.

import "./editor.css";
import { Canvas, formatDuration } from "./canvas.js";
import { h, inField } from "./dom.js";
import { Inspector } from "./inspector.js";
import { Palette } from "./palette.js";
import { BoardStore } from "./store.js";
import { VariablesPanel } from "./variables.js";

const NODE_STATUS = { Running: "running", Success: "succeeded", Failed: "failed", Cancelled: "cancelled" };
const MAX_LOGS = 200;
let clipboard = null;

class Editor {
  constructor(model, el) {
    this.model = model;
    this.store = new BoardStore(model.get("document"), model.get("document_revision"));
    this.selection = { nodes: new Set(), comments: new Set(), wire: null };
    this.runState = new Map();
    this.running = false;
    this.nextRequest = 1;
    this.syncing = false;
    this.pastes = 0;
    this.fitAfterPatch = false;
    this.lastAdded = [];

    this.canvas = new Canvas(this);
    this.palette = new Palette(this);
    this.inspector = new Inspector(this);
    this.variables = new VariablesPanel(this);
    this.buttons = {};
    this.message = h("span", { class: "fl-message-text" });
    this.messageBar = h("div", { class: "fl-message", "data-testid": "editor-message", hidden: true }, this.message,
      h("button", { class: "fl-icon-button", "data-testid": "message-close", onclick: () => this.hideMessage() }, "×"));
    this.runBadge = h("span", { class: "fl-run-status", "data-testid": "run-status", "data-status": "idle" }, "idle");
    this.progress = h("progress", { class: "fl-progress", "data-testid": "run-progress", max: 1, value: 0 });
    this.root = h("div", {
      class: "fl-editor", "data-testid": "flowlike-editor", tabindex: 0, "data-lm-suppress-shortcuts": "true",
      style: { height: model.get("height") },
    },
    this.toolbar(),
    h("div", { class: "fl-main" }, this.palette.el, this.canvas.el,
      h("div", { class: "fl-side" }, this.inspector.el, this.variables.el)),
    this.messageBar);
    // Keep Jupyter's own shortcuts (cell delete, undo...) and its cell-selection clicks out of the editor.
    this.root.addEventListener("keydown", (e) => this.onKey(e));
    this.root.addEventListener("paste", (e) => this.onPaste(e));
    this.root.addEventListener("mousedown", (e) => e.stopPropagation());
    el.append(this.root);

    this.handlers = {
      "msg:custom": (message) => this.onMessage(message),
      "change:can_undo change:can_redo change:path": () => this.updateToolbar(),
      "change:catalog": () => this.palette.render(),
      "change:missing": () => this.canvas.renderAll(),
      "change:document_revision": () => this.resetFromModel(),
      "change:height": () => { this.root.style.height = model.get("height"); },
    };
    for (const [event, handler] of Object.entries(this.handlers)) model.on(event, handler);

    this.redrawAll();
    this.palette.render();
    this.updateToolbar();
    if (model.get("revision") !== this.store.revision) this.requestSync();
    this.fitted = false;
    this.resize = new ResizeObserver(() => {
      if (!this.fitted && this.canvas.el.clientWidth > 0) {
        this.fitted = true;
        this.canvas.fit();
      }
    });
    this.resize.observe(this.canvas.el);
  }

  dispose() {
    for (const [event, handler] of Object.entries(this.handlers)) this.model.off(event, handler);
    this.resize.disconnect();
  }

  // ---- talking to the kernel -------------------------------------------------------------------------

  send(message) {
    const request = this.nextRequest++;
    this.model.send({ ...message, request });
    return request;
  }

  requestSync() {
    if (this.syncing) return;
    this.syncing = true;
    this.send({ action: "sync" });
  }

  resetFromModel() {
    this.syncing = false;
    this.store.reset(this.model.get("document"), this.model.get("document_revision"));
    this.redrawAll();
  }

  redrawAll() {
    this.pruneSelection();
    this.canvas.renderAll();
    this.inspector.render();
    this.variables.render();
    this.root.dataset.revision = String(this.store.revision);
  }

  onMessage(message) {
    if (message.type === "patch") this.onPatch(message);
    else if (message.type === "reply") this.onReply(message);
    else if (message.type === "run_events") this.onRunEvents(message);
  }

  onPatch(patch) {
    if (this.syncing) return;
    const change = this.store.apply(patch);
    if (!change) {
      this.requestSync();
      return;
    }
    this.pruneSelection();
    this.lastAdded = change.addedNodes;
    this.canvas.update(change);
    const selected = this.selection.nodes.size === 1 ? [...this.selection.nodes][0] : null;
    if (!selected || change.nodes.includes(selected) || change.addedWires.length || change.removedWires.length ||
        change.removedNodes.length || change.meta) this.inspector.render();
    if (change.variables) this.variables.render();
    this.root.dataset.revision = String(this.store.revision);
    if (this.fitAfterPatch) {
      this.fitAfterPatch = false;
      this.canvas.fit();
    }
  }

  onReply(reply) {
    if (reply.action === "sync") {
      this.resetFromModel();
    } else if (!reply.ok) {
      this.showMessage(reply.kind || "error", reply.reason);
      if (reply.action === "move") this.canvas.renderAll();
      if (reply.action === "update_node") this.inspector.render();
      if (reply.action === "run") this.setRunning(false);
    } else if (reply.reason && (reply.action === "save" || reply.action === "paste_flowlike")) {
      this.showMessage("info", reply.reason);
    } else if ((reply.action === "paste" || reply.action === "add_node") && this.lastAdded?.length) {
      this.select({ nodes: new Set(this.lastAdded), comments: new Set(), wire: null });
    }
  }

  // ---- run status ------------------------------------------------------------------------------------

  nodeState(id) {
    if (!this.runState.has(id)) this.runState.set(id, { status: "queued", count: 0, logs: [] });
    return this.runState.get(id);
  }

  onRunEvents(message) {
    const touched = new Set();
    for (const event of message.events) {
      const id = event.node_id;
      if (event.kind === "run_started") {
        this.runState.clear();
        for (const nodeId of Object.keys(this.store.nodes)) {
          this.nodeState(nodeId);
          touched.add(nodeId);
        }
        this.setRunning(true);
        this.progress.value = 0;
        continue;
      }
      if (!id) continue;
      const state = this.nodeState(id);
      touched.add(id);
      if (event.kind === "node_started") {
        state.status = "running";
        state.count += 1;
      } else if (event.kind === "node_finished") {
        state.status = NODE_STATUS[event.status] || event.status.toLowerCase();
        state.duration = (state.duration || 0) + (event.duration || 0);
        if (event.message && event.status === "Failed") state.error = event.message;
      } else if (event.kind === "log") {
        state.logs.push({ level: event.level, message: event.message });
        if (state.logs.length > MAX_LOGS) state.logs.splice(0, state.logs.length - MAX_LOGS);
      } else if (event.kind === "progress") {
        state.progress = event.progress;
        this.progress.value = event.progress;
      }
    }
    if (message.summary) this.finishRun(message.summary, touched);
    for (const id of touched) this.canvas.showStatus(id);
    const selected = this.selection.nodes.size === 1 ? [...this.selection.nodes][0] : null;
    if (selected && touched.has(selected)) this.inspector.render();
  }

  finishRun(summary, touched) {
    for (const [id, state] of this.runState) {
      if (state.status === "queued") {
        state.status = "skipped";
        touched.add(id);
      }
    }
    this.setRunning(false, summary.status, summary.duration);
    this.progress.value = summary.status === "Success" ? 1 : this.progress.value;
    if (summary.status === "Success") return;
    if (summary.error_node && this.store.nodes[summary.error_node]) {
      const state = this.nodeState(summary.error_node);
      state.status = "failed";
      state.error = state.error || summary.error;
      touched.add(summary.error_node);
      this.select({ nodes: new Set([summary.error_node]), comments: new Set(), wire: null });
    }
    this.showMessage("error", `Run ${summary.status.toLowerCase()}: ${summary.error || ""}`);
  }

  setRunning(running, status, duration) {
    this.running = running;
    const shown = running ? "running" : status || "idle";
    this.runBadge.dataset.status = shown;
    this.runBadge.textContent = duration !== undefined && !running ? `${shown} · ${formatDuration(duration)}` : shown;
    this.root.dataset.runStatus = shown;
    this.updateToolbar();
  }

  // ---- selection, panels, messages -------------------------------------------------------------------

  select(selection) {
    this.selection = selection;
    this.pruneSelection();
    this.canvas.showSelection();
    this.inspector.render();
  }

  pruneSelection() {
    const { nodes, comments } = this.selection;
    for (const id of nodes) if (!this.store.nodes[id]) nodes.delete(id);
    for (const id of comments) if (!this.store.document.comments[id]) comments.delete(id);
    if (this.selection.wire && !this.store.wires.has(this.selection.wire)) this.selection.wire = null;
  }

  openPalette(at, wire) {
    this.palette.open(at, wire);
  }

  togglePalette(show) {
    this.palette.el.hidden = show === undefined ? !this.palette.el.hidden : !show;
  }

  focus() {
    if (!this.root.contains(document.activeElement) || inField(document.activeElement)) this.root.focus({ preventScroll: true });
  }

  showMessage(kind, text) {
    this.messageBar.hidden = false;
    this.messageBar.dataset.kind = kind;
    this.message.textContent = text;
  }

  hideMessage() {
    this.messageBar.hidden = true;
    this.message.textContent = "";
  }

  // ---- toolbar and keyboard --------------------------------------------------------------------------

  toolbar() {
    const button = (name, label, title, onclick) => {
      this.buttons[name] = h("button", { class: "fl-button", "data-testid": `toolbar-${name}`, title, onclick }, label);
      return this.buttons[name];
    };
    return h("div", { class: "fl-toolbar" },
      button("palette", "☰ Nodes", "Show or hide the node palette", () => this.togglePalette()),
      button("run", "▶ Run", "Run from the selected event node (or the board's only one)", () => this.run()),
      button("stop", "■ Stop", "Cancel the run", () => this.send({ action: "stop" })),
      button("undo", "↶ Undo", "Undo (Ctrl+Z)", () => this.send({ action: "undo" })),
      button("redo", "↷ Redo", "Redo (Ctrl+Shift+Z)", () => this.send({ action: "redo" })),
      button("layout", "⇶ Layout", "Arrange the nodes along their wires", () => {
        this.fitAfterPatch = true;
        this.send({ action: "layout" });
      }),
      button("fit", "⤢ Fit", "Show the whole board", () => this.canvas.fit()),
      button("comment", "✎ Comment", "Add a comment", () => this.addComment()),
      button("save", "⭳ Save", "Save the board file", () => this.send({ action: "save" })),
      h("span", { class: "fl-spacer" }),
      this.progress,
      this.runBadge);
  }

  updateToolbar() {
    this.buttons.undo.disabled = !this.model.get("can_undo");
    this.buttons.redo.disabled = !this.model.get("can_redo");
    this.buttons.save.disabled = !this.model.get("path");
    this.buttons.save.title = this.model.get("path") ? `Save to ${this.model.get("path")}` : "No file: open the editor with path=";
    this.buttons.run.disabled = this.running;
    this.buttons.stop.disabled = !this.running;
  }

  run() {
    const catalog = new Map(this.model.get("catalog").map((entry) => [entry.name, entry]));
    const selected = [...this.selection.nodes].filter((id) => catalog.get(this.store.nodes[id]?.name)?.event);
    this.setRunning(true);
    this.send({ action: "run", start: selected.length === 1 ? selected[0] : null });
  }

  addComment() {
    const rect = this.canvas.el.getBoundingClientRect();
    const [x, y] = this.canvas.toCanvas(rect.left + 20, rect.top + 20);
    this.send({ action: "upsert_comment", comment: { content: "Comment", coordinates: [x, y, 0] } });
  }

  deleteSelection() {
    const { nodes, comments, wire } = this.selection;
    if (!nodes.size && !comments.size && !wire) return;
    this.send({ action: "remove", nodes: [...nodes], comments: [...comments], wires: wire ? [this.store.wires.get(wire)] : [] });
  }

  copy() {
    const ids = this.selection.nodes;
    if (!ids.size && !this.selection.comments.size) return;
    clipboard = {
      nodes: [...ids].map((id) => this.store.nodes[id]),
      wires: [...this.store.wires.values()].filter((w) => ids.has(w.from_node) && ids.has(w.to_node)),
      comments: [...this.selection.comments].map((id) => this.store.document.comments[id]),
    };
    this.pastes = 0;
  }

  paste() {
    if (!clipboard) return;
    this.pastes += 1;
    this.send({ action: "paste", ...clipboard, dx: 40 * this.pastes, dy: 40 * this.pastes });
  }

  // Ctrl+V pastes the editor's own copy, unless the system clipboard holds what Flow-Like's editor copies
  // ({nodes, comments} JSON): the browser's paste event comes before the deferred own paste and replaces it.
  onPaste(e) {
    if (inField(e.target)) return;
    const text = e.clipboardData ? e.clipboardData.getData("text/plain") : "";
    if (!/^\s*\{[\s\S]*"nodes"\s*:\s*\[/.test(text)) return;
    e.preventDefault();
    clearTimeout(this.pendingPaste);
    this.pastes += 1;
    this.send({ action: "paste_flowlike", text, dx: 40 * this.pastes, dy: 40 * this.pastes });
  }

  onKey(e) {
    e.stopPropagation();
    if (inField(e.target)) return;
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    let handled = true;
    if (e.key === "Delete" || e.key === "Backspace") this.deleteSelection();
    else if (mod && key === "z" && e.shiftKey) this.send({ action: "redo" });
    else if (mod && key === "z") this.send({ action: "undo" });
    else if (mod && key === "y") this.send({ action: "redo" });
    else if (mod && key === "c") this.copy();
    else if (mod && key === "v") {
      this.pendingPaste = setTimeout(() => this.paste(), 0);
      handled = false; // let the browser fire its paste event (see onPaste)
    }
    else if (mod && key === "a") this.select({ nodes: new Set(Object.keys(this.store.nodes)), comments: new Set(), wire: null });
    else if (e.key === "Escape") this.select({ nodes: new Set(), comments: new Set(), wire: null });
    else handled = false;
    if (handled) e.preventDefault();
  }
}

export default {
  render({ model, el }) {
    const editor = new Editor(model, el);
    return () => editor.dispose();
  },
};
