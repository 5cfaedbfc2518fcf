// The editor's own context menu (right-click on canvas, node, pin or wire), the shortcut sheet (?) and
// find (Ctrl+F). Each is a small overlay inside the editor; commands are the editor's own methods.

import { fill, h } from "./dom.js";

export const SHORTCUTS = [
  ["Double-click, Tab or Space", "Add a node where the pointer is"],
  ["Drag from a pin", "Wire it (fitting pins light up); drop on empty canvas to add a fitting node"],
  ["Alt+click a pin", "Disconnect its wires"],
  ["Shift+drag", "Select with a box"],
  ["Ctrl+A / Escape", "Select all / nothing"],
  ["Delete", "Delete the selection"],
  ["Ctrl+C, Ctrl+V, Ctrl+D", "Copy, paste, duplicate"],
  ["Ctrl+Z, Ctrl+Shift+Z", "Undo, redo (one history with the notebook)"],
  ["Ctrl+F", "Find a node by name, key or comment"],
  ["L", "Lay out the selection (the whole board when nothing is selected)"],
  ["Right-click", "Commands for what is under the pointer (collapse a selection into a layer, run to here…)"],
  ["Double-click a layer", "Enter it (Escape goes one level up, the breadcrumb to any level); its name: rename it"],
  ["Drag from a layer's pin", "Wire the pin inside it"],
  ["F9", "Set or clear a breakpoint on the selected nodes (Run then pauses there)"],
  ["F8, F11, F10", "While paused: continue, step, step over"],
  ["?", "This sheet"],
];

export class ContextMenu {
  constructor(editor) {
    this.editor = editor;
    this.el = h("div", { class: "fl-menu", "data-testid": "context-menu", hidden: true });
    this.el.addEventListener("pointerdown", (e) => e.stopPropagation());
  }

  /** Show `items` ([label, action, enabled?] or null for a separator) at a screen point; a separator shows only
   * between two commands (an item left out by its condition is null too). */
  open(items, [x, y]) {
    const shown = items.filter((item, i) => item || (items[i - 1] && items.slice(i + 1).some(Boolean)));
    fill(this.el, shown.map((item) => {
      if (!item) return h("div", { class: "fl-menu-separator" });
      const [label, action, enabled = true] = item;
      return h("button", {
        class: "fl-menu-item", "data-testid": "menu-item", "data-label": label, disabled: !enabled,
        onclick: () => {
          this.close();
          action();
        },
      }, label);
    }));
    this.el.hidden = false;
    const host = this.el.parentElement.getBoundingClientRect();
    const left = Math.min(x - host.left, host.width - 220);
    const top = Math.min(y - host.top, host.height - this.el.offsetHeight - 4);
    Object.assign(this.el.style, { left: `${Math.max(0, left)}px`, top: `${Math.max(0, top)}px` });
  }

  close() {
    this.el.hidden = true;
  }
}

export class ShortcutSheet {
  constructor(editor) {
    this.el = h("div", { class: "fl-sheet", "data-testid": "shortcut-sheet", hidden: true },
      h("div", { class: "fl-panel-title" }, "Keyboard and mouse",
        h("button", { class: "fl-icon-button", "data-testid": "shortcut-close", onclick: () => this.toggle(false) }, "×")),
      h("table", {}, SHORTCUTS.map(([keys, what]) => h("tr", {}, h("th", {}, keys), h("td", {}, what)))));
    this.editor = editor;
  }

  toggle(show) {
    this.el.hidden = show === undefined ? !this.el.hidden : !show;
  }
}

/** Find nodes by name, key or comment: Enter (or ↓) jumps to the next match, Shift+Enter (↑) to the previous. */
export class Finder {
  constructor(editor) {
    this.editor = editor;
    this.matches = [];
    this.at = -1;
    this.input = h("input", { type: "search", class: "fl-field", "data-testid": "find-input", placeholder: "Find: name, key or comment" });
    this.count = h("span", { class: "fl-muted", "data-testid": "find-count" });
    this.el = h("div", { class: "fl-find", "data-testid": "find", hidden: true }, this.input, this.count,
      h("button", { class: "fl-icon-button", onclick: () => this.close() }, "×"));
    this.input.addEventListener("input", () => this.search());
    this.input.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Enter" || e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        this.jump(e.shiftKey || e.key === "ArrowUp" ? -1 : 1);
      } else if (e.key === "Escape") {
        this.close();
      }
    });
  }

  open() {
    this.el.hidden = false;
    this.input.focus({ preventScroll: true });
    this.input.select();
    this.search();
  }

  close() {
    this.el.hidden = true;
    this.matches = [];
    this.editor.canvas.highlight(new Set());
    this.editor.focus();
  }

  search() {
    const words = this.input.value.toLowerCase().split(/\s+/).filter(Boolean);
    const text = (node) => `${node.friendly_name} ${node.name} ${node.comment || ""}`.toLowerCase();
    this.matches = words.length
      ? Object.values(this.editor.store.nodes).filter((node) => words.every((w) => text(node).includes(w)))
        .sort((a, b) => a.coordinates[1] - b.coordinates[1] || a.coordinates[0] - b.coordinates[0]).map((n) => n.id)
      : [];
    this.at = -1;
    this.editor.canvas.highlight(new Set(this.matches));
    this.count.textContent = words.length ? `${this.matches.length} found` : "";
    if (this.matches.length) this.jump(1);
  }

  jump(step) {
    if (!this.matches.length) return;
    this.at = (this.at + step + this.matches.length) % this.matches.length;
    const id = this.matches[this.at];
    this.count.textContent = `${this.at + 1} of ${this.matches.length}`;
    this.editor.canvas.centerOn(id); // first: a node in a layer enters it, which clears the selection
    this.editor.select({ nodes: new Set([id]), comments: new Set(), wire: null });
  }
}
