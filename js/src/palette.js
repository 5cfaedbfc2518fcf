// The palette: a search popup that opens where the user is (double-click, Tab or Space on the canvas, a
// wire dropped on empty canvas). The kernel holds the catalog (flowlike_nb/widgets/catalog.py) and answers each
// query with a ranked page of entries (name, then the words users bring for it, key, category, description; for a
// dropped wire only node types that fit, best fit first). Choosing one adds it there (and wires it).

import { fill, h } from "./dom.js";
import { capabilityMarks } from "./capabilities.js";
import { typeLabel } from "./types.js";

const SHOWN = 80;

export class Palette {
  constructor(editor) {
    this.editor = editor;
    this.at = null;
    this.wire = null;
    this.results = null; // the kernel's last answer: {entries, total, text}
    this.pending = null; // the question on its way
    this.active = 0;
    this.search = h("input", {
      type: "search", class: "fl-palette-search", "data-testid": "palette-search",
      placeholder: "Search nodes (or your word: if, print, loop…)",
    });
    this.search.addEventListener("input", () => {
      this.active = 0;
      this.query();
    });
    this.search.addEventListener("focus", () => editor.send({ action: "refresh_catalog", generation: editor.model.get("catalog_generation") }));
    this.search.addEventListener("keydown", (e) => this.onKey(e));
    this.filter = h("div", { class: "fl-palette-filter", "data-testid": "palette-filter", hidden: true });
    this.list = h("div", { class: "fl-palette-list", "data-testid": "palette-list" });
    this.el = h("div", { class: "fl-palette", "data-testid": "palette", hidden: true },
      h("div", { class: "fl-panel-title" }, "Add a node",
        h("button", { class: "fl-icon-button", "data-testid": "palette-close", title: "Close (Escape)",
          onclick: () => this.close() }, "×")),
      this.search, this.filter, this.list);
  }

  get isOpen() {
    return !this.el.hidden;
  }

  /** Open at canvas point `at` (shown at screen point `screen`); `wire` ({node_id, pin_id}): what it connects to. */
  open(at, wire, screen) {
    this.at = at;
    this.wire = wire;
    this.results = null;
    this.active = 0;
    this.search.value = "";
    this.el.hidden = false;
    this.place(screen);
    this.query();
    this.search.focus({ preventScroll: true });
  }

  /** Keep the popup inside the editor's main area, next to the pointer. */
  place(screen) {
    const host = this.el.parentElement?.getBoundingClientRect();
    if (!host) return;
    const [x, y] = screen || [host.left + host.width / 2 - 160, host.top + 40];
    const left = Math.max(4, Math.min(x - host.left, host.width - 330));
    const top = Math.max(4, Math.min(y - host.top, host.height - 340));
    Object.assign(this.el.style, { left: `${left}px`, top: `${top}px` });
  }

  close() {
    this.el.hidden = true;
    this.wire = null;
    this.results = null;
    this.pending = null;
    this.at = null;
    this.editor.focus();
  }

  onKey(e) {
    const entries = this.list.querySelectorAll("[data-node-type]");
    if (e.key === "Enter" && this.pending) this.chooseWhenAnswered = true;
    else if (e.key === "Enter") entries[this.active]?.click();
    else if (e.key === "Escape") this.close();
    else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      this.active = Math.max(0, Math.min(entries.length - 1, this.active + (e.key === "ArrowDown" ? 1 : -1)));
      this.render();
    } else return;
    e.preventDefault();
    e.stopPropagation();
  }

  wirePin() {
    const node = this.wire && this.editor.store.nodes[this.wire.node_id];
    return node ? { node, pin: node.pins[this.wire.pin_id] } : null;
  }

  /** Ask the kernel for the entries matching the search (and the dropped wire); the latest question wins. */
  query() {
    const asked = { text: this.search.value, wire: this.wire };
    this.pending = asked;
    this.editor.ask({ action: "search_catalog", query: asked.text, wire: asked.wire, limit: SHOWN }, (reply) => {
      if (this.pending !== asked) return;
      this.pending = null;
      this.results = { ...reply, text: asked.text };
      this.render();
      if (this.chooseWhenAnswered) {
        this.chooseWhenAnswered = false;
        this.list.querySelectorAll("[data-node-type]")[this.active]?.click();
      }
    });
    this.render();
  }

  render() {
    if (!this.isOpen) return;
    const wired = this.wirePin();
    this.filter.hidden = !wired;
    if (wired) {
      fill(this.filter,
        `Fits ${wired.node.friendly_name || wired.node.name}.${wired.pin.name} [${typeLabel(wired.pin)}]`,
        h("button", { class: "fl-icon-button", title: "Show every node", onclick: () => {
          this.wire = null;
          this.query();
        } }, "×"));
    }
    this.list.dataset.pending = String(!!this.pending);
    if (!this.results) {
      fill(this.list, h("div", { class: "fl-empty" }, this.wire ? "Asking the kernel what fits…" : "Searching…"));
      return;
    }
    const { entries, total, text } = this.results;
    this.list.dataset.query = text;
    this.active = Math.min(this.active, Math.max(0, entries.length - 1));
    const rows = entries.map((entry, i) => h("div", {
      class: `fl-palette-entry${entry.event ? " fl-event" : ""}${entry.pure ? " fl-pure" : ""}${i === this.active ? " fl-active" : ""}`,
      "data-testid": "palette-entry", "data-node-type": entry.name, title: entry.description || entry.name,
      "data-capabilities": entry.capabilities.join(" "),
      onclick: () => this.choose(entry),
    }, h("span", { class: "fl-palette-name" }, entry.friendly_name, capabilityMarks(entry.capabilities)),
    h("span", { class: "fl-palette-key" }, `${entry.name} · ${entry.category || "Other"}`,
      entry.synonyms ? h("span", { class: "fl-palette-keywords", "data-testid": "palette-keywords" },
        ` · also: ${entry.synonyms.join(", ")}`) : null)));
    if (!rows.length) rows.push(h("div", { class: "fl-empty" }, "No node matches."));
    if (total > entries.length) rows.push(h("div", { class: "fl-empty" }, `${total - entries.length} more: type to narrow`));
    fill(this.list, ...rows);
    this.list.querySelector(".fl-active")?.scrollIntoView({ block: "nearest" });
  }

  choose(entry) {
    const [x, y] = this.at || this.editor.canvas.center();
    this.editor.send({ action: "add_node", node_type: entry.name, x, y, wire: this.wire, layer: this.editor.layer });
    this.close();
  }
}
