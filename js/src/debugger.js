// The step debugger on the canvas. The kernel does the work (flowlike_core/debugger.py): this draws breakpoint
// marks, toggles them with F9 or the context menu (a command in the kernel, so undo works), marks the node a
// paused run waits at (selected, brought into view: the inspector and pin tooltips show its values) and shows a
// bar that continues, steps, steps over or stops the run; once stopped, the bar says so (commands disabled) until
// the run has finished its cleanup. It decides nothing: it sends messages, draws events.

import "./debugger.css";
import { h } from "./dom.js";
import { levelOf } from "./layers.js";

const KEYS = { F8: "continue", F10: "step_over", F11: "step" };

export class Debugger {
  /** `editor` gives: canvas, store, selection, send(message), select(selection). */
  constructor(editor) {
    this.editor = editor;
    this.pausedAt = null;
    this.stoppingAt = null; // the node paused at when the run was stopped, while the run finishes its cleanup
    const button = (command, label, title) => h("button", {
      class: "fl-button", "data-testid": `debug-${command.replace("_", "-")}`, title,
      onclick: () => this.command(command),
    }, label);
    this.title = h("span", { class: "fl-debug-title", "data-testid": "debug-title" });
    this.where = h("span", { class: "fl-debug-where", "data-testid": "debug-where" });
    this.buttons = [
      button("continue", "▶ Continue", "Run to the next breakpoint or the end (F8)"),
      button("step", "↧ Step", "Run this node, pause before the next one (F11)"),
      button("step_over", "↷ Step over", "Run to the next node on this level: the rest of a loop body, a whole loop (F10)"),
      h("button", { class: "fl-button", "data-testid": "debug-stop", title: "Cancel the run",
        onclick: () => this.editor.send({ action: "stop" }) }, "■ Stop"),
    ];
    this.el = h("div", { class: "fl-debug-bar", "data-testid": "debug-bar", hidden: true }, this.title, this.where,
      ...this.buttons);
    // The bar floats over the canvas: its clicks are not the canvas's (pan, select, search popup).
    for (const type of ["pointerdown", "dblclick"]) this.el.addEventListener(type, (e) => e.stopPropagation());
    editor.canvas.el.append(this.el);
  }

  /** Set or clear the breakpoints of the nodes `ids` (each flips), as one undo step. */
  toggle(ids) {
    if (ids.size) this.editor.send({ action: "toggle_breakpoint", nodes: [...ids] });
  }

  command(command) {
    this.editor.send({ action: "debug", command });
  }

  /** F9 toggles the selection's breakpoints; F8, F10, F11 drive a paused run. True when the key was ours. */
  onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    if (e.key === "F9") {
      this.toggle(this.editor.selection.nodes);
      return true;
    }
    if (KEYS[e.key] && this.pausedAt) {
      this.command(KEYS[e.key]);
      return true;
    }
    return false;
  }

  /** Read a run event; true when it is about pausing (paused, resumed, stopping), which the run status skips. */
  onEvent(event) {
    if (event.kind === "paused") this.show(event.node_id);
    else if (event.kind === "stopping") this.showStopping();
    else if (event.kind === "resumed" || event.kind === "run_started" || event.kind === "run_finished") this.show(null);
    return event.kind === "paused" || event.kind === "resumed" || event.kind === "stopping";
  }

  /** The run was stopped (from the bar, the toolbar or a cell) and finishes its cleanup: a node awaiting its close
   * may take a while. The bar stays on the node it was paused at, saying so, with nothing left to command. */
  showStopping() {
    const at = this.pausedAt;
    this.show(null);
    this.stoppingAt = at;
    this.showBar();
  }

  /** Mark the node the run is paused before (null: not paused); select it and bring it into view. */
  show(nodeId) {
    const { canvas, store } = this.editor;
    const before = this.pausedAt;
    this.pausedAt = nodeId && store.nodes[nodeId] ? nodeId : null;
    this.stoppingAt = null;
    for (const id of [before, this.pausedAt]) if (id) canvas.nodeEls.get(id)?.classList.toggle("fl-paused", id === this.pausedAt);
    this.showBar();
    this.editor.root.dataset.paused = this.pausedAt || "";
    const badge = this.editor.runBadge;
    if (this.pausedAt || badge.dataset.status === "paused") {
      badge.dataset.status = badge.textContent = this.pausedAt ? "paused" : "running";
    }
    if (!this.pausedAt) return;
    const node = store.nodes[this.pausedAt];
    this.where.textContent = node.friendly_name || node.name;
    if (levelOf(store, node) !== this.editor.layer) this.editor.enterLayer(levelOf(store, node)); // a layer's node: go in
    this.editor.select({ nodes: new Set([this.pausedAt]), comments: new Set(), wire: null });
    const box = canvas.nodeEls.get(this.pausedAt)?.getBoundingClientRect();
    const view = canvas.el.getBoundingClientRect();
    if (!box || box.right < view.left || box.left > view.right || box.bottom < view.top || box.top > view.bottom) {
      canvas.centerOn(this.pausedAt);
    }
  }

  /** The bar: over a paused run, its commands; over a run stopping from a pause, where it was, commands disabled. */
  showBar() {
    const at = this.pausedAt || this.stoppingAt;
    this.el.hidden = !at;
    this.el.classList.toggle("fl-stopping", !!this.stoppingAt);
    this.title.textContent = this.stoppingAt ? "■ Stopping… at" : "‖ Paused before";
    for (const button of this.buttons) button.disabled = !!this.stoppingAt;
    // A focused button that gets disabled hands the focus to the editor: its keys would reach nothing.
    if (this.stoppingAt && this.buttons.includes(document.activeElement)) this.editor.root.focus({ preventScroll: true });
  }

  /** What a node's drawing gets from the debugger: its breakpoint mark, the paused mark. */
  decorate(el, node) {
    if (node.breakpoint) el.append(h("span", { class: "fl-breakpoint", "data-testid": "breakpoint", title: "Breakpoint (F9 toggles)" }));
    if (node.id === this.pausedAt) el.classList.add("fl-paused");
  }
}
