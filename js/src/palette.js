// The palette: a search popup that opens where the user is (double-click, Tab or Space on the canvas, a
// wire dropped on empty canvas). Entries are ranked by where the words match (name, then key, then
// category, then description); for a dropped wire only node types the kernel says fit are offered, best
// fit first. Choosing one adds it there (and wires it).

import { fill, h } from "./dom.js";
import { typeLabel } from "./types.js";

const SHOWN = 80;
const FIELDS = [["friendly_name", 100], ["name", 60], ["category", 30], ["description", 10]];

/** How well `entry` matches every word of `words` (0: it does not); prefix matches count double. */
export function relevance(entry, words) {
  let total = 0;
  for (const word of words) {
    let best = 0;
    for (const [field, weight] of FIELDS) {
      const text = String(entry[field] || "").toLowerCase();
      const at = text.indexOf(word);
      if (at < 0) continue;
      const prefix = at === 0 || /[\s_./-]/.test(text[at - 1]);
      best = Math.max(best, prefix ? weight * 2 : weight);
    }
    if (!best && entry.pins.some((p) => `${p.name} ${typeLabel(p)}`.toLowerCase().includes(word))) best = 5;
    if (!best) return 0;
    total += best;
  }
  return total || 1;
}

export class Palette {
  constructor(editor) {
    this.editor = editor;
    this.at = null;
    this.wire = null;
    this.fits = null;
    this.active = 0;
    this.search = h("input", {
      type: "search", class: "fl-palette-search", "data-testid": "palette-search",
      placeholder: "Search nodes: name, key, category, description",
    });
    this.search.addEventListener("input", () => {
      this.active = 0;
      this.render();
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
    this.fits = null;
    this.active = 0;
    this.search.value = "";
    this.el.hidden = false;
    this.place(screen);
    if (wire) this.editor.ask({ action: "fitting_types", node_id: wire.node_id, pin_id: wire.pin_id }, (reply) => {
      if (this.wire === wire) {
        this.fits = new Map(Object.entries(reply.fits || {}));
        this.render();
      }
    });
    this.render();
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
    this.fits = null;
    this.at = null;
    this.editor.focus();
  }

  onKey(e) {
    const entries = this.list.querySelectorAll("[data-node-type]");
    if (e.key === "Enter") entries[this.active]?.click();
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

  /** Catalog entries in the order shown: (fit,) relevance, then name. */
  ranked() {
    const words = this.search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const scored = [];
    for (const entry of this.editor.model.get("catalog")) {
      const fit = this.wire ? this.fits?.get(entry.name) : 1;
      if (!fit) continue;
      const score = words.length ? relevance(entry, words) : 1;
      if (score) scored.push({ entry, fit, score });
    }
    return scored.sort((a, b) => b.fit - a.fit || b.score - a.score ||
      a.entry.friendly_name.localeCompare(b.entry.friendly_name)).map((s) => s.entry);
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
          this.render();
        } }, "×"));
    }
    if (this.wire && !this.fits) {
      fill(this.list, h("div", { class: "fl-empty" }, "Asking the kernel what fits…"));
      return;
    }
    const entries = this.ranked();
    this.active = Math.min(this.active, Math.max(0, entries.length - 1));
    const rows = entries.slice(0, SHOWN).map((entry, i) => h("div", {
      class: `fl-palette-entry${entry.event ? " fl-event" : ""}${entry.pure ? " fl-pure" : ""}${i === this.active ? " fl-active" : ""}`,
      "data-testid": "palette-entry", "data-node-type": entry.name, title: entry.description || entry.name,
      onclick: () => this.choose(entry),
    }, h("span", { class: "fl-palette-name" }, entry.friendly_name),
    h("span", { class: "fl-palette-key" }, `${entry.name} · ${entry.category || "Other"}`)));
    if (!rows.length) rows.push(h("div", { class: "fl-empty" }, "No node matches."));
    if (entries.length > SHOWN) rows.push(h("div", { class: "fl-empty" }, `${entries.length - SHOWN} more: type to narrow`));
    fill(this.list, ...rows);
    this.list.querySelector(".fl-active")?.scrollIntoView({ block: "nearest" });
  }

  choose(entry) {
    const [x, y] = this.at || this.editor.canvas.center();
    this.editor.send({ action: "add_node", node_type: entry.name, x, y, wire: this.wire });
    this.close();
  }
}
