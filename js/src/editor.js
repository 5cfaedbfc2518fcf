// flowlike-nb's graph editor: the anywidget entry point. It wires the store (the kernel's document plus
// patches), the canvas, the palette, the inspector, the variables panel, the toolbar and the keyboard,
// and speaks the message protocol of flowlike_nb/widgets/protocol.py with the kernel.

import "./editor.css";
import { Canvas } from "./canvas.js";
import { Debugger } from "./debugger.js";
import { fill, h, inField, takesText } from "./dom.js";
import { NODE_WIDTH, nodeHeight } from "./geometry.js";
import { Inspector } from "./inspector.js";
import { breadcrumb, layerPath, layersAt, parentOf } from "./layers.js";
import { layered } from "./layout.js";
import { ContextMenu, Finder, ShortcutSheet } from "./menu.js";
import { Palette } from "./palette.js";
import { BoardStore } from "./store.js";
import { VariablesPanel } from "./variables.js";
import { counted, formatDuration } from "./wording.js";

const NODE_STATUS = { Running: "running", Success: "succeeded", Failed: "failed", Cancelled: "cancelled" };
const MAX_LOGS = 200;
const LEGEND = ["running", "paused", "stopping", "succeeded", "cached", "failed", "skipped"];
const LAYOUT_SAYS_ABOVE = 100; // nodes: a layout of more says that it is going (it takes a second or more)
const MESSAGE_SECONDS = { info: 4, refused: 6, warning: 8, error: 10, progress: 120 }; // progress: until taken away
const SEVERITY_LABEL = { error: "Error", warning: "Warning" };
const MIN_HEIGHT = 240;
// What Ctrl+C copied (a promise of the kernel's answer), one for every editor of the page: anywidget evaluates this
// module once per widget, so a module variable was each editor's own and a copy never reached another board.
const CLIPBOARD = Symbol.for("flowlike-nb.editor.clipboard");
const clipboard = {
  get: () => globalThis[CLIPBOARD] ?? null,
  set: (content) => { globalThis[CLIPBOARD] = content; },
};

/** The `document` trait: the board's JSON as bytes (one binary buffer from the kernel, a DataView here). */
function readDocument(bytes) {
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** What this browser remembers for the editor (height, side panel) across views and sessions. */
const remembered = {
  get(key) {
    try {
      return localStorage.getItem(`flowlike-nb.editor.${key}`);
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      localStorage.setItem(`flowlike-nb.editor.${key}`, value);
    } catch {
      // storage refused (private mode): the setting lasts for this view only
    }
  },
};

class Editor {
  constructor(model, el) {
    this.model = model;
    this.store = new BoardStore(readDocument(model.get("document")), model.get("document_revision"));
    this.selection = { nodes: new Set(), comments: new Set(), layers: new Set(), wire: null };
    this.runState = new Map();
    this.running = false;
    this.stopping = false; // the run shown was asked to stop and has not ended (its cleanup may take a while)
    this.nextRequest = 1;
    this.syncing = false;
    this.pastes = 0;
    this.fitAfterPatch = false;
    this.lastAdded = { nodes: [], layers: [] }; // by the last patch, selected when a paste or add is answered
    this.waiting = new Map();
    this.failing = new Map();
    this.runGeneration = 0; // counts run event batches: values shown are asked again after each
    this.layer = null; // the layer the canvas shows (null: the board)
    this.trail = []; // the layers from the board down to it, as last drawn

    this.canvas = new Canvas(this);
    this.palette = new Palette(this);
    this.inspector = new Inspector(this);
    this.variables = new VariablesPanel(this);
    this.menu = new ContextMenu(this);
    this.sheet = new ShortcutSheet(this);
    this.finder = new Finder(this);
    this.debug = new Debugger(this);
    this.buttons = {};
    this.message = h("span", { class: "fl-message-text" });
    this.messageBar = h("div", { class: "fl-message", "data-testid": "editor-message", hidden: true }, this.message,
      h("button", { class: "fl-icon-button", "data-testid": "message-close", onclick: () => this.hideMessage() }, "×"));
    this.runBadge = h("span", { class: "fl-run-status", "data-testid": "run-status", "data-status": "idle" }, "idle");
    this.legend = h("span", { class: "fl-legend", "data-testid": "status-legend" });
    this.problemsByNode = new Map(); // node id -> {severity: the worst, problems}, from the kernel's `problems`
    this.problemAt = -1; // the problem the problems button showed last
    this.problemsButton = h("button", {
      class: "fl-button fl-problems", "data-testid": "problems", hidden: true, onclick: () => this.nextProblem(),
    });
    this.progress = h("progress", { class: "fl-progress", "data-testid": "run-progress", max: 1, value: 0 });
    this.side = h("div", { class: "fl-side", "data-testid": "side-panel" }, this.inspector.el, this.variables.el);
    this.side.hidden = remembered.get("side") === "closed";
    this.crumbs = h("div", { class: "fl-crumbs" }); // where the canvas is: the board, or a layer of it
    this.grip = h("div", { class: "fl-resize", "data-testid": "editor-resize", title: "Drag to resize the editor" });
    this.root = h("div", {
      class: "fl-editor", "data-testid": "flowlike-editor", tabindex: 0, "data-lm-suppress-shortcuts": "true",
      style: { height: this.startHeight() },
    },
    this.toolbar(),
    h("div", { class: "fl-main" }, h("div", { class: "fl-stage" }, this.canvas.el, this.palette.el, this.finder.el, this.sheet.el,
      this.menu.el, this.messageBar, this.crumbs),
      this.side),
    this.grip);
    this.grip.addEventListener("pointerdown", (e) => this.startResize(e));
    // Keep Jupyter's own shortcuts (cell delete, undo...) and its cell-selection clicks out of the editor.
    this.root.addEventListener("keydown", (e) => this.onKey(e));
    this.root.addEventListener("paste", (e) => this.onPaste(e));
    this.root.addEventListener("mousedown", (e) => e.stopPropagation());
    this.root.addEventListener("pointerdown", () => this.menu.close());
    el.append(this.root);

    this.handlers = {
      "msg:custom": (message) => this.onMessage(message),
      "change:can_undo change:can_redo change:path change:revision change:saved_revision": () => this.updateToolbar(),
      "change:catalog": () => this.palette.render(),
      "change:problems": () => this.showProblems(),
      "change:missing": () => this.canvas.renderAll(),
      "change:document_revision": () => this.resetFromModel(),
      "change:height": () => { this.root.style.height = model.get("height"); },
    };
    for (const [event, handler] of Object.entries(this.handlers)) model.on(event, handler);

    this.showProblems();
    this.redrawAll();
    this.palette.render();
    this.updateToolbar();
    if (model.get("revision") !== this.store.revision) this.requestSync();
    // A view opened late shows the run as the kernel has it (statuses, where the debugger waits), not "idle".
    this.ask({ action: "run_state" }, (reply) => {
      if (reply.events.length) this.onRunEvents(reply);
    });
    this.fitted = false;
    this.resize = new ResizeObserver(() => {
      if (!this.fitted && this.canvas.el.clientWidth > 0) {
        this.fitted = true;
        this.canvas.firstView();
        // While the user looks at the board, the kernel indexes the catalog for the search popup.
        requestAnimationFrame(() => this.send({ action: "warm_catalog" }));
      }
    });
    this.resize.observe(this.canvas.el);
  }

  dispose() {
    for (const [event, handler] of Object.entries(this.handlers)) this.model.off(event, handler);
    this.resize.disconnect();
    this.toolbarResize.disconnect();
    clearTimeout(this.messageTimer);
    if (this.placeholder) this.toggleFullSize(false);
  }

  // ---- size: resizable, remembered, full size --------------------------------------------------------

  /** The height given from Python, unless the user resized an editor of this board (this browser remembers). */
  startHeight() {
    return remembered.get(`height.${this.store.document.name}`) || this.model.get("height");
  }

  startResize(e) {
    e.preventDefault();
    const top = this.root.getBoundingClientRect().top;
    this.grip.setPointerCapture(e.pointerId);
    const move = (m) => { this.root.style.height = `${Math.max(MIN_HEIGHT, Math.round(m.clientY - top))}px`; };
    const up = () => {
      this.grip.removeEventListener("pointermove", move);
      this.grip.removeEventListener("pointerup", up);
      remembered.set(`height.${this.store.document.name}`, this.root.style.height);
      this.model.set("height", this.root.style.height);
      this.model.save_changes();
    };
    this.grip.addEventListener("pointermove", move);
    this.grip.addEventListener("pointerup", up);
  }

  /** Fill the browser window: the editor moves to <body> (Lab's panels contain fixed boxes), and back. */
  toggleFullSize(on) {
    const full = on === undefined ? !this.root.classList.contains("fl-fullsize") : on;
    if (full && !this.placeholder) {
      this.placeholder = document.createComment("flowlike-nb editor (full size)");
      this.root.replaceWith(this.placeholder);
      document.body.append(this.root);
    } else if (!full && this.placeholder) {
      this.placeholder.replaceWith(this.root);
      this.placeholder = null;
    }
    this.root.classList.toggle("fl-fullsize", full);
    this.root.focus({ preventScroll: true });
    this.root.dataset.fullsize = String(full);
    this.buttons.fullsize.firstChild.textContent = full ? "⤡" : "▢";
    this.buttons.fullsize.lastChild.textContent = full ? "Exit full size" : "Full size";
  }

  toggleSide(show) {
    this.side.hidden = show === undefined ? !this.side.hidden : !show;
    remembered.set("side", this.side.hidden ? "closed" : "open");
  }

  // ---- talking to the kernel -------------------------------------------------------------------------

  send(message) {
    const request = this.nextRequest++;
    this.model.send({ ...message, request });
    return request;
  }

  /** Send a question; `answer(reply)` gets the kernel's reply when it is ok. */
  ask(message, answer) {
    this.waiting.set(this.send(message), answer);
  }

  /** Send a question; resolves to the kernel's reply, rejects (after showing the reason) when it is not ok. */
  question(message) {
    return new Promise((resolve, reject) => {
      const request = this.send(message);
      this.waiting.set(request, resolve);
      this.failing.set(request, reject);
    });
  }

  requestSync() {
    if (this.syncing) return;
    this.syncing = true;
    this.send({ action: "sync" });
  }

  resetFromModel() {
    this.syncing = false;
    this.store.reset(readDocument(this.model.get("document")), this.model.get("document_revision"));
    this.redrawAll();
  }

  redrawAll() {
    this.keepLevel();
    this.showCrumbs();
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
    else if (message.type === "stale") this.onStale(message.nodes);
  }

  /** The kernel says an edit made the statuses of these nodes (null: all) from the run shown out of date. */
  onStale(nodes) {
    for (const id of nodes || [...this.runState.keys()]) {
      const state = this.runState.get(id);
      if (!state || state.stale) continue;
      state.stale = true;
      this.canvas.showStatus(id);
    }
    this.showLegend();
  }

  onPatch(patch) {
    if (this.syncing) return;
    const change = this.store.apply(patch);
    if (!change) {
      this.requestSync();
      return;
    }
    this.pruneSelection();
    this.lastAdded = { nodes: change.addedNodes, layers: change.addedLayers };
    if (change.meta) { // layers may have come, gone or changed: draw the level again
      this.keepLevel();
      // nodes just collapsed out of sight leave the selection (Delete must not remove what is not shown)
      for (const id of this.selection.nodes) if (!this.canvas.shown(this.store.nodes[id])) this.selection.nodes.delete(id);
      this.showCrumbs();
      this.canvas.renderAll();
    } else {
      this.canvas.update(change);
    }
    const selected = this.selection.nodes.size === 1 ? [...this.selection.nodes][0] : null;
    if (!selected || change.nodes.includes(selected) || change.addedWires.length || change.removedWires.length ||
        change.removedNodes.length || change.meta) this.inspector.render();
    if (change.variables) this.variables.render();
    this.root.dataset.revision = String(this.store.revision);
    if (this.fitAfterPatch) {
      this.fitAfterPatch = false;
      this.canvas.firstView();
    }
  }

  onReply(reply) {
    const answer = this.waiting.get(reply.request);
    const fail = this.failing.get(reply.request);
    this.waiting.delete(reply.request);
    this.failing.delete(reply.request);
    if (!reply.ok) fail?.(new Error(reply.reason));
    if (answer && reply.ok) {
      answer(reply);
    } else if (reply.action === "sync") {
      this.resetFromModel();
    } else if (!reply.ok) {
      this.showMessage(reply.kind || "error", reply.reason);
      if (reply.action === "move") this.canvas.renderAll();
      if (reply.action === "update_node") this.inspector.render();
      if (reply.action === "run" || reply.action === "run_to") this.setRunning(false);
    } else if (reply.reason && (reply.action === "save" || reply.action === "paste_flowlike")) {
      this.showMessage("info", reply.reason);
    } else if (reply.action === "paste" || reply.action === "add_node") {
      const nodes = this.lastAdded.nodes.filter((id) => this.store.nodes[id] && this.canvas.shown(this.store.nodes[id]));
      if (nodes.length || this.lastAdded.layers.length) {
        this.select({ nodes: new Set(nodes), comments: new Set(), layers: new Set(this.lastAdded.layers), wire: null });
        this.canvas.reveal(nodes);
      }
    }
  }

  // ---- run status ------------------------------------------------------------------------------------

  nodeState(id) {
    if (!this.runState.has(id)) this.runState.set(id, { status: "queued", count: 0, logs: [] });
    return this.runState.get(id);
  }

  onRunEvents(message) {
    this.runGeneration += 1;
    const touched = new Set();
    for (const event of message.events) {
      if (this.debug.onEvent(event)) {
        this.showPaused(event, touched);
        continue;
      }
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
        state.stale = false;
        state.count += 1;
      } else if (event.kind === "node_finished") {
        state.status = event.cached ? "cached" : NODE_STATUS[event.status] || event.status.toLowerCase();
        state.duration = (state.duration || 0) + (event.duration || 0);
        if (event.message && event.status === "Failed") state.error = event.message;
      } else if (event.kind === "log") {
        state.logs.push({ level: event.level, message: event.message, replayed: !!event.replayed });
        if (state.logs.length > MAX_LOGS) state.logs.splice(0, state.logs.length - MAX_LOGS);
      } else if (event.kind === "progress") {
        state.progress = event.progress;
        this.progress.value = event.progress;
      }
    }
    if (message.summary) this.finishRun(message.summary, touched);
    for (const id of touched) this.canvas.showStatus(id);
    this.showLegend();
    const selected = this.selection.nodes.size === 1 ? [...this.selection.nodes][0] : null;
    if (selected && (touched.has(selected) || message.summary)) this.inspector.render();
  }

  /** The engine's debugger paused before a node (which has started, for the run, but waits): the node says
   * "paused", not "running", until the run is resumed. A stopped run says "stopping" (its nodes that started too)
   * until it ends: cleanup that cooperates (a node awaiting its close) is left to finish, which may take a while. */
  showPaused(event, touched) {
    if (event.kind === "paused" && this.store.nodes[event.node_id]) {
      this.nodeState(event.node_id).status = "paused";
      touched.add(event.node_id);
    } else if (event.kind === "stopping") {
      for (const [id, state] of this.runState) {
        if (state.status !== "paused" && state.status !== "running") continue;
        state.status = "stopping";
        touched.add(id);
      }
      this.stopping = true;
      this.runBadge.dataset.status = this.root.dataset.runStatus = "stopping";
      this.runBadge.textContent = "stopping…";
      this.updateToolbar();
      this.fitToolbar();
    } else if (event.kind === "resumed") {
      for (const [id, state] of this.runState) {
        if (state.status !== "paused") continue;
        state.status = "running";
        touched.add(id);
      }
    }
  }

  finishRun(summary, touched) {
    for (const [id, state] of this.runState) {
      if (state.status === "queued" || state.status === "paused" || state.status === "stopping") {
        state.status = state.status === "queued" ? "skipped" : "cancelled"; // stopped while it waited
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

  /** How many nodes of the run shown are running, succeeded, came from the cache, failed (each in its colour). */
  showLegend() {
    const counts = new Map(LEGEND.map((status) => [status, 0]));
    let stale = 0;
    for (const state of this.runState.values()) {
      if (state.stale) stale += 1;
      else if (counts.has(state.status)) counts.set(state.status, counts.get(state.status) + 1);
    }
    if (stale) counts.set("stale", stale);
    fill(this.legend, [...LEGEND, "stale"].filter((status) => counts.get(status)).map((status) => h("span", {
      class: "fl-legend-item", "data-testid": "legend-item", "data-status": status, title: `${counted(counts.get(status), "node")} ${status}`,
    }, `${counts.get(status)}`, h("span", { class: "fl-label" }, ` ${status}`))));
    this.fitToolbar();
  }

  setRunning(running, status, duration) {
    this.running = running;
    this.stopping = false;
    const shown = running ? "running" : status || "idle";
    this.runBadge.dataset.status = shown;
    this.runBadge.textContent = duration !== undefined && !running ? `${shown} · ${formatDuration(duration)}` : shown;
    this.root.dataset.runStatus = shown;
    this.updateToolbar();
    this.fitToolbar();
  }

  // ---- the engine's problems with the board ----------------------------------------------------------

  /** Mark the nodes the engine finds problems with (errors and warnings apart: the severity is the engine's) and
   * count them on the toolbar; a board-level problem (a variable's default) counts there only. */
  showProblems() {
    const problems = this.model.get("problems") || [];
    const before = this.problemsByNode;
    this.problemsByNode = new Map();
    for (const problem of problems) {
      if (!problem.node_id) continue;
      const entry = this.problemsByNode.get(problem.node_id) || { severity: "warning", problems: [] };
      entry.problems.push(problem);
      if (problem.severity === "error") entry.severity = "error";
      this.problemsByNode.set(problem.node_id, entry);
    }
    const same = (a, b) => JSON.stringify(a?.problems) === JSON.stringify(b?.problems);
    for (const id of new Set([...before.keys(), ...this.problemsByNode.keys()])) {
      if (!same(before.get(id), this.problemsByNode.get(id))) this.canvas.redrawNode(id);
    }
    const errors = problems.filter((p) => p.severity === "error").length;
    const warnings = problems.length - errors;
    // "✖ 2 errors ⚠ 1 warning"; at narrow widths the words go (.fl-label), the signs and counts stay
    const count = (severity, sign, number) => (number ? h("span", {
      class: "fl-problem-count", "data-testid": "problem-count", "data-severity": severity,
    }, `${sign} ${number}`, h("span", { class: "fl-label" }, ` ${severity}${number === 1 ? "" : "s"}`)) : null);
    const button = this.problemsButton;
    button.hidden = !problems.length;
    button.dataset.errors = String(errors);
    button.dataset.warnings = String(warnings);
    button.dataset.severity = errors ? "error" : "warning";
    fill(button, count("error", "✖", errors), count("warning", "⚠", warnings));
    button.title = `${problems.map((p) => `${SEVERITY_LABEL[p.severity]}: ${p.message}`).join("\n")}\n(click: go to the next)`;
    this.fitToolbar();
    if (this.problemAt >= problems.length) this.problemAt = -1;
    const selected = this.selection.nodes.size === 1 ? [...this.selection.nodes][0] : null;
    if (selected && !same(before.get(selected), this.problemsByNode.get(selected))) this.inspector.render();
  }

  /** The engine's problems with a node, worst first ({severity, problems}), or undefined. */
  problemsOf(id) {
    return this.problemsByNode.get(id);
  }

  /** The toolbar's problems button: go to the next problem's node (selected, its problems in the inspector);
   * a board-level problem is said in the message bar. */
  nextProblem() {
    const problems = this.model.get("problems") || [];
    if (!problems.length) return;
    this.problemAt = (this.problemAt + 1) % problems.length;
    const problem = problems[this.problemAt];
    if (problem.node_id && this.store.nodes[problem.node_id]) {
      this.canvas.centerOn(problem.node_id); // first: a node in a layer enters it, which clears the selection
      this.select({ nodes: new Set([problem.node_id]), comments: new Set(), wire: null });
    }
    this.showMessage(problem.severity, `${SEVERITY_LABEL[problem.severity]}: ${problem.message}`);
  }

  // ---- selection, panels, messages -------------------------------------------------------------------

  /** Select nodes, comments, layer boxes (none unless given) or a wire. */
  select(selection) {
    this.selection = { layers: new Set(), ...selection };
    this.pruneSelection();
    this.canvas.showSelection();
    this.inspector.render();
  }

  pruneSelection() {
    const { nodes, comments, layers } = this.selection;
    const boxes = new Set(layersAt(this.store, this.layer).map((layer) => layer.id));
    for (const id of layers) if (!boxes.has(id)) layers.delete(id);
    for (const id of nodes) if (!this.store.nodes[id]) nodes.delete(id);
    for (const id of comments) if (!this.store.document.comments[id]) comments.delete(id);
    if (this.selection.wire && !this.store.wires.has(this.selection.wire)) this.selection.wire = null;
  }

  /** The search popup at canvas point `at` (screen point `screen`), for a wire dropped there if `wire`. */
  openPalette(at, wire, screen) {
    this.palette.open(at, wire, screen);
  }

  /** Open the palette where the pointer last was on the canvas (its middle if never). */
  openPaletteHere() {
    const pointer = this.canvas.pointer;
    const rect = this.canvas.el.getBoundingClientRect();
    const screen = pointer || [rect.left + rect.width / 2, rect.top + rect.height / 3];
    this.openPalette(this.canvas.toCanvas(...screen), null, screen);
  }

  focus() {
    if (!this.root.contains(document.activeElement) || inField(document.activeElement)) this.root.focus({ preventScroll: true });
  }

  /** A message over the canvas that fades after a few seconds (longer for errors; hovering keeps it). */
  showMessage(kind, text) {
    this.messageBar.hidden = false;
    this.messageBar.classList.remove("fl-fading");
    this.messageBar.dataset.kind = kind;
    this.message.textContent = text;
    clearTimeout(this.messageTimer);
    const fade = () => {
      if (this.messageBar.matches(":hover")) {
        this.messageTimer = setTimeout(fade, 1000);
        return;
      }
      this.messageBar.classList.add("fl-fading");
      this.messageTimer = setTimeout(() => this.hideMessage(), 600);
    };
    this.messageTimer = setTimeout(fade, (MESSAGE_SECONDS[kind] || 6) * 1000);
  }

  hideMessage() {
    clearTimeout(this.messageTimer);
    this.messageBar.hidden = true;
    this.messageBar.classList.remove("fl-fading");
    this.message.textContent = "";
  }

  // ---- toolbar and keyboard --------------------------------------------------------------------------

  /** One line of buttons, whatever the width: narrower, the buttons keep their signs only (their names in their
   * tooltips); narrower still, the secondary ones move into the "More" menu (`fitToolbar`). */
  toolbar() {
    const button = (name, sign, text, title, onclick, secondary = false) => {
      this.buttons[name] = h("button", {
        class: `fl-button${secondary ? " fl-secondary" : ""}`, "data-testid": `toolbar-${name}`, title,
        "aria-label": text, onclick,
      }, h("span", { class: "fl-sign" }, sign), h("span", { class: "fl-label" }, text));
      return this.buttons[name];
    };
    this.toolbarEl = h("div", { class: "fl-toolbar", "data-testid": "toolbar" },
      button("palette", "+", "Node", "Add a node (double-click, Tab or Space on the canvas)", () => this.openPaletteHere()),
      button("run", "▶", "Run", "Run from the selected event node (or the board's only one)", () => this.run()),
      button("stop", "■", "Stop", "Cancel the run", () => this.send({ action: "stop" })),
      button("undo", "↶", "Undo", "Undo (Ctrl+Z)", () => this.send({ action: "undo" }), true),
      button("redo", "↷", "Redo", "Redo (Ctrl+Shift+Z)", () => this.send({ action: "redo" }), true),
      button("layout", "⇶", "Layout", "Arrange the selection (or every node) along the wires (L)", () => this.layout(), true),
      button("fit", "⤢", "Fit", "Show the whole board", () => this.canvas.fit(), true),
      button("comment", "✎", "Comment", "Add a comment", () => this.addComment(), true),
      button("save", "⇩", "Save", "Save the board file", () => this.send({ action: "save" })),
      button("more", "⋯", "More", "More commands", (e) => this.moreMenu(e.currentTarget)),
      h("span", { class: "fl-spacer" }),
      this.progress,
      this.legend,
      this.problemsButton,
      this.runBadge,
      button("side", "◨", "Panel", "Show or hide the inspector and variables", () => this.toggleSide(), true),
      button("fullsize", "▢", "Full size", "Fill the browser window (Escape leaves)", () => this.toggleFullSize(), true));
    this.toolbarResize = new ResizeObserver(() => this.fitToolbar());
    this.toolbarResize.observe(this.toolbarEl);
    return this.toolbarEl;
  }

  /** Keep the toolbar on one line whatever it holds (its width, and what the legend, the problems and the run's
   * status say now): signs only when the words do not fit, and the secondary buttons in the More menu when the
   * signs do not fit either. Measured, as the width of what it holds changes with every run. */
  fitToolbar() {
    const bar = this.toolbarEl;
    if (!bar?.isConnected || !bar.clientWidth) return;
    bar.classList.remove("fl-compact", "fl-tight");
    for (const step of ["fl-compact", "fl-tight"]) {
      if (bar.scrollWidth <= bar.clientWidth) return;
      bar.classList.add(step);
    }
  }

  /** The toolbar's secondary buttons as a menu (shown when the toolbar is too narrow to hold them). */
  moreMenu(anchor) {
    const box = anchor.getBoundingClientRect();
    const items = Object.values(this.buttons).filter((b) => b.classList.contains("fl-secondary"))
      .map((b) => [`${b.firstChild.textContent} ${b.lastChild.textContent}`, () => b.click(), !b.disabled]);
    this.menu.open(items, [box.left, box.bottom]);
  }

  /** Enable the buttons that can act now. A focused button that gets disabled hands the focus to the editor, not
   * to the page: after Run (disabled while running) F8, Ctrl+Z and the other keys would reach nothing. */
  updateToolbar() {
    const focused = document.activeElement;
    this.buttons.undo.disabled = !this.model.get("can_undo");
    this.buttons.redo.disabled = !this.model.get("can_redo");
    const path = this.model.get("path");
    const unsaved = !!path && this.model.get("revision") !== this.model.get("saved_revision");
    this.buttons.save.disabled = !path;
    this.buttons.save.dataset.unsaved = String(unsaved);
    const label = unsaved ? "Save •" : "Save";
    if (this.buttons.save.lastChild.textContent !== label) {
      this.buttons.save.lastChild.textContent = label;
      this.fitToolbar();
    }
    this.buttons.save.title = !path ? "No file: open the editor with path="
      : unsaved ? `Unsaved changes: save to ${path}` : `Saved in ${path}`;
    this.buttons.run.disabled = this.running;
    this.buttons.stop.disabled = !this.running || this.stopping;
    if (focused?.disabled && Object.values(this.buttons).includes(focused)) this.root.focus({ preventScroll: true });
  }

  /** The catalog entry of a node key (undefined for keys no installed pack provides). */
  catalogEntry(key) {
    if (this.catalogIndex?.source !== this.model.get("catalog")) {
      const source = this.model.get("catalog");
      this.catalogIndex = { source, byKey: new Map(source.map((entry) => [entry.name, entry])) };
    }
    return this.catalogIndex.byKey.get(key);
  }

  run() {
    const selected = [...this.selection.nodes].filter((id) => this.catalogEntry(this.store.nodes[id]?.name)?.event);
    this.setRunning(true);
    this.send({ action: "run", start: selected.length === 1 ? selected[0] : null });
  }

  addComment() {
    const rect = this.canvas.el.getBoundingClientRect();
    const [x, y] = this.canvas.toCanvas(rect.left + 20, rect.top + 20);
    this.send({ action: "upsert_comment", comment: { content: "Comment", coordinates: [x, y, 0] } });
  }

  /** Delete the selection: a layer box with everything inside it (the kernel knows what that is). */
  deleteSelection() {
    const { nodes, comments, layers, wire } = this.selection;
    if (!nodes.size && !comments.size && !layers.size && !wire) return;
    this.send({ action: "remove", nodes: [...nodes], comments: [...comments], layers: [...layers],
      wires: wire ? [this.store.wires.get(wire)] : [] });
  }

  // ---- commands on the selection ---------------------------------------------------------------------

  /** Lay out the selected nodes and layer boxes among themselves (everything shown when fewer than two are
   * selected), as one undo step. */
  async layout() {
    const shownLayers = layersAt(this.store, this.layer).map((layer) => layer.id);
    const shown = [...this.shownNodes(), ...shownLayers];
    const selected = [...this.selection.nodes, ...this.selection.layers];
    const chosen = selected.length > 1 ? selected : shown;
    if (!chosen.length) return;
    const whole = chosen.length === shown.length;
    const place = (id) => (this.store.nodes[id] || this.store.document.layers[id]).coordinates;
    const corner = whole ? [40, 40] : [Math.min(...chosen.map((id) => place(id)[0])), Math.min(...chosen.map((id) => place(id)[1]))];
    const rect = this.canvas.el.getBoundingClientRect();
    const aspect = Math.max(0.6, rect.width / Math.max(1, rect.height));
    const { blocks, wires } = this.canvas.layoutBlocks(chosen.filter((id) => this.store.nodes[id]),
      chosen.filter((id) => !this.store.nodes[id]));
    if (this.layingOut) return;  // one at a time: a big board takes seconds
    this.layingOut = true;
    this.root.dataset.layingOut = String(blocks.length);
    if (blocks.length > LAYOUT_SAYS_ABOVE) this.showMessage("progress", `Laying out ${blocks.length} nodes…`);
    let places;
    try {
      places = await layered(blocks, wires, aspect, corner,
        () => this.question({ action: "layout_engine" }).then((reply) => reply.source));
    } catch (error) {
      this.showMessage("error", `layout failed: ${error.message}`);
      return;
    } finally {
      this.layingOut = false;
      delete this.root.dataset.layingOut;
    }
    if (blocks.length > LAYOUT_SAYS_ABOVE) this.hideMessage();
    const split = (table) => Object.fromEntries(Object.entries(places).filter(([id]) => table[id]));
    this.fitAfterPatch = whole;
    this.send({ action: "move", nodes: split(this.store.nodes), layers: split(this.store.document.layers || {}), comments: {} });
  }

  /** Line the selected nodes up on their left, right, top or bottom edge, or their centres. */
  align(edge) {
    const nodes = [...this.selection.nodes].map((id) => this.store.nodes[id]);
    if (nodes.length < 2) return;
    const size = (n) => [NODE_WIDTH, nodeHeight(n, this.canvas.rows(n))];
    const value = {
      left: (n) => n.coordinates[0], right: (n) => n.coordinates[0] + size(n)[0],
      top: (n) => n.coordinates[1], bottom: (n) => n.coordinates[1] + size(n)[1],
      middle: (n) => n.coordinates[1] + size(n)[1] / 2,
    }[edge];
    const pick = edge === "left" || edge === "top" ? Math.min : Math.max;
    const target = edge === "middle" ? nodes.reduce((s, n) => s + value(n), 0) / nodes.length : pick(...nodes.map(value));
    const horizontal = edge === "left" || edge === "right";
    this.send({ action: "move", comments: {}, nodes: Object.fromEntries(nodes.map((n) => {
      const [x, y] = n.coordinates;
      const shift = target - value(n);
      return [n.id, horizontal ? [x + shift, y] : [x, y + shift]];
    })) });
  }

  /** Spread the selected nodes evenly between the outermost two, across (x) or down (y). */
  distribute(axis) {
    const index = axis === "x" ? 0 : 1;
    const nodes = [...this.selection.nodes].map((id) => this.store.nodes[id])
      .sort((a, b) => a.coordinates[index] - b.coordinates[index]);
    if (nodes.length < 3) return;
    const first = nodes[0].coordinates[index];
    const step = (nodes[nodes.length - 1].coordinates[index] - first) / (nodes.length - 1);
    this.send({ action: "move", comments: {}, nodes: Object.fromEntries(nodes.map((n, i) => {
      const place = [n.coordinates[0], n.coordinates[1]];
      place[index] = first + step * i;
      return [n.id, place];
    })) });
  }

  /** What the selection holds, as the kernel copies it: a layer box brings the nodes and layers inside it. */
  copied() {
    const { nodes, comments, layers } = this.selection;
    if (!nodes.size && !comments.size && !layers.size) return null;
    return this.question({ action: "copy", nodes: [...nodes], layers: [...layers], comments: [...comments] })
      .then((reply) => reply.clipboard);
  }

  /** Copies of the selected nodes and layer boxes (and the wires between them) next to them. */
  async duplicate() {
    const content = await this.copied()?.catch(() => null);
    if (content) this.send({ action: "paste", ...content, comments: [], dx: 40, dy: 40, layer: this.layer });
  }

  /** Remove every wire of the selected nodes (or of one pin). */
  disconnect(nodeIds, pinId = null) {
    const wires = [];
    for (const id of nodeIds) {
      for (const key of this.store.wiresOf.get(id) || []) {
        const w = this.store.wires.get(key);
        if (!pinId || (w.from_node === id && w.from_pin === pinId) || (w.to_node === id && w.to_pin === pinId)) wires.push(w);
      }
    }
    const unique = [...new Map(wires.map((w) => [`${w.from_node}/${w.from_pin}>${w.to_node}/${w.to_pin}`, w])).values()];
    if (unique.length) this.send({ action: "remove", wires: unique });
  }

  // ---- layers ----------------------------------------------------------------------------------------

  /** Show the nodes and layer boxes of a layer (null: the board), fitted into view. */
  enterLayer(layerId) {
    this.layer = layerId && this.store.document.layers?.[layerId] ? layerId : null;
    this.select({ nodes: new Set(), comments: new Set(), wire: null });
    this.showCrumbs();
    this.canvas.renderAll();
    this.canvas.fit(1);
  }

  /** One level up: the layer holding the one shown, or the board. */
  leaveLayer() {
    this.enterLayer(parentOf(this.store, this.layer));
  }

  /** The layer shown was dissolved (or undone): show the innermost layer of its path that is left. */
  keepLevel() {
    if (this.layer && !this.store.document.layers?.[this.layer]) {
      this.layer = [...this.trail].reverse().find((id) => this.store.document.layers?.[id]) || null;
    }
  }

  showCrumbs() {
    this.trail = layerPath(this.store, this.layer);
    this.crumbs.replaceChildren(breadcrumb(this.store, this.layer, (id) => this.enterLayer(id)));
    this.root.dataset.layer = this.layer || "";
  }

  /** Every node and layer box of the level shown. */
  selectAll() {
    const layers = new Set(layersAt(this.store, this.layer).map((layer) => layer.id));
    this.select({ nodes: new Set(this.shownNodes()), comments: new Set(), layers, wire: null });
  }

  /** Ids of the nodes drawn at the level shown. */
  shownNodes() {
    return Object.values(this.store.nodes).filter((node) => this.canvas.shown(node)).map((node) => node.id);
  }

  /** Collapse the selected nodes and layer boxes into a new layer inside the level shown, its box where they were
   * (one undo step). */
  collapse() {
    const nodes = [...this.selection.nodes].map((id) => this.store.nodes[id]);
    const layers = [...this.selection.layers].map((id) => this.store.document.layers[id]);
    const parts = [...nodes, ...layers];
    if (!parts.length) return;
    const count = Object.keys(this.store.document.layers || {}).length;
    this.send({ action: "create_layer", name: `Layer ${count + 1}`, nodes: nodes.map((n) => n.id),
      layers: layers.map((layer) => layer.id), parent_id: this.layer,
      x: Math.min(...parts.map((p) => p.coordinates[0])), y: Math.min(...parts.map((p) => p.coordinates[1])) });
  }

  /** The context menu for what is under the pointer: a pin, a node (the selection), a wire, or the canvas. */
  contextMenu(e) {
    const target = document.elementFromPoint(e.clientX, e.clientY) || e.target;
    const layerEl = target.closest("[data-layer-id]");
    const nodeEl = target.closest("[data-node-id]");
    const pinEl = target.closest("[data-pin-id]");
    const wireEl = target.closest("[data-wire]");
    const at = [e.clientX, e.clientY];
    let items;
    if (nodeEl) {
      const id = nodeEl.dataset.nodeId;
      if (!this.selection.nodes.has(id)) this.select({ nodes: new Set([id]), comments: new Set(), wire: null });
      const count = this.selection.nodes.size;
      const several = count > 1;
      items = [
        pinEl ? ["Disconnect this pin", () => this.disconnect([id], pinEl.dataset.pinId)] : null,
        ["Delete", () => this.deleteSelection()],
        ["Duplicate", () => this.duplicate()],
        ["Copy", () => this.copy()],
        ["Disconnect all", () => this.disconnect(this.selection.nodes)],
        ["Toggle breakpoint", () => this.debug.toggle(this.selection.nodes)],
        ["Run to here", () => this.send({ action: "run_to", node_id: id }), !this.running && !several],
        null,
        ["Layout selection", () => this.layout(), several],
        ["Align left", () => this.align("left"), several],
        ["Align top", () => this.align("top"), several],
        ["Align middle", () => this.align("middle"), several],
        ["Distribute horizontally", () => this.distribute("x"), count > 2],
        ["Distribute vertically", () => this.distribute("y"), count > 2],
        ["Collapse into a layer", () => this.collapse()],
      ];
    } else if (layerEl) {
      const id = layerEl.dataset.layerId;
      if (!this.selection.layers.has(id)) this.select({ nodes: new Set(), comments: new Set(), layers: new Set([id]), wire: null });
      items = [
        ["Enter layer", () => this.enterLayer(id)],
        ["Rename layer", () => this.canvas.renameLayer(id)],
        ["Dissolve layer", () => this.send({ action: "remove_layer", layer_id: id })],
        null,
        ["Delete", () => this.deleteSelection()],
        ["Duplicate", () => this.duplicate()],
        ["Copy", () => this.copy()],
        ["Collapse into a layer", () => this.collapse()],
      ];
    } else if (wireEl) {
      const wire = this.store.wires.get(wireEl.dataset.wire);
      items = [["Delete wire", () => this.send({ action: "remove", wires: [wire] })]];
    } else {
      items = [
        this.layer ? ["Leave layer", () => this.leaveLayer()] : null,
        ["Add node here…", () => this.openPalette(this.canvas.toCanvas(...at), null, at)],
        ["Paste", () => this.paste(), !!clipboard.get()],
        ["Select all", () => this.selectAll()],
        ["Layout board", () => this.layout()],
        ["Fit", () => this.canvas.fit()],
        ["Find…", () => this.finder.open()],
        ["Shortcuts", () => this.sheet.toggle(true)],
      ];
    }
    this.menu.open(items, at);
  }

  copy() {
    const content = this.copied();
    if (!content) return;
    clipboard.set(content.catch(() => null)); // a failed copy was shown as a message; it pastes nothing
    this.pastes = 0;
  }

  async paste() {
    const content = await clipboard.get();
    if (!content) return;
    this.pastes += 1;
    this.send({ action: "paste", ...content, dx: 40 * this.pastes, dy: 40 * this.pastes, layer: this.layer });
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
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    // A field keeps its keys, except undo and redo in one without text (a ticked box, a choice): they undo the edit.
    if (inField(e.target) && (takesText(e.target) || !(mod && (key === "z" || key === "y")))) return;
    if (this.debug.onKey(e)) {
      e.preventDefault();
      return;
    }
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
    else if (mod && key === "d") this.duplicate();
    else if (mod && key === "f") this.finder.open();
    else if (!mod && e.key === "?") this.sheet.toggle();
    else if (!mod && key === "l") this.layout();
    else if (mod && key === "a") this.selectAll();
    else if (e.key === "Escape" && this.root.classList.contains("fl-fullsize")) this.toggleFullSize(false);
    else if (e.key === "Escape" && this.layer) this.leaveLayer();
    else if (e.key === "Escape") this.select({ nodes: new Set(), comments: new Set(), wire: null });
    else if ((e.key === "Tab" || e.key === " ") && !mod && !e.altKey && !e.target.closest("button")) this.openPaletteHere();
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
