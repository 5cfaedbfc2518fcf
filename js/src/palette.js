// The palette: the catalog, searchable by name, category and pin type. Dropping a wire on empty
// canvas opens it filtered to node types with a pin that fits the wire; choosing one adds and wires it.

import { fill, h } from "./dom.js";
import { catalogFits, searchText, typeLabel } from "./types.js";

export class Palette {
  constructor(editor) {
    this.editor = editor;
    this.at = null;
    this.wire = null;
    this.search = h("input", {
      type: "search", class: "fl-palette-search", "data-testid": "palette-search",
      placeholder: "Search nodes: name, category, pin type",
    });
    this.search.addEventListener("input", () => this.render());
    this.search.addEventListener("focus", () => editor.send({ action: "refresh_catalog", generation: editor.model.get("catalog_generation") }));
    this.search.addEventListener("keydown", (e) => {
      if (e.key === "Enter") this.list.querySelector("[data-node-type]")?.click();
      if (e.key === "Escape") this.clearWire();
    });
    this.filter = h("div", { class: "fl-palette-filter", "data-testid": "palette-filter", hidden: true });
    this.list = h("div", { class: "fl-palette-list", "data-testid": "palette-list" });
    this.el = h("div", { class: "fl-palette", "data-testid": "palette" },
      h("div", { class: "fl-panel-title" }, "Nodes",
        h("button", { class: "fl-icon-button", "data-testid": "palette-close", title: "Hide the palette",
          onclick: () => editor.togglePalette(false) }, "×")),
      this.search, this.filter, this.list);
  }

  /** Show the palette; `at` is where a chosen node goes, `wire` ({node_id, pin_id}) what it connects to. */
  open(at, wire) {
    this.at = at;
    this.wire = wire;
    this.editor.togglePalette(true);
    this.search.value = "";
    this.render();
    this.search.focus();
  }

  clearWire() {
    this.wire = null;
    this.at = null;
    this.render();
  }

  wirePin() {
    const node = this.wire && this.editor.store.nodes[this.wire.node_id];
    return node ? { node, pin: node.pins[this.wire.pin_id] } : null;
  }

  render() {
    const words = this.search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const wired = this.wirePin();
    this.filter.hidden = !wired;
    if (wired) {
      fill(this.filter,
        `Fits ${wired.node.friendly_name || wired.node.name}.${wired.pin.name} [${typeLabel(wired.pin)}]`,
        h("button", { class: "fl-icon-button", title: "Show every node", onclick: () => this.clearWire() }, "×"));
    }
    const groups = new Map();
    for (const entry of this.editor.model.get("catalog")) {
      if (wired && !catalogFits(entry, wired.pin)) continue;
      const text = searchText(entry);
      if (!words.every((w) => text.includes(w))) continue;
      const category = entry.category || "Other";
      if (!groups.has(category)) groups.set(category, []);
      groups.get(category).push(entry);
    }
    const children = [];
    for (const category of [...groups.keys()].sort()) {
      children.push(h("div", { class: "fl-palette-category" }, category));
      for (const entry of groups.get(category)) {
        children.push(h("div", {
          class: `fl-palette-entry${entry.event ? " fl-event" : ""}${entry.pure ? " fl-pure" : ""}`,
          "data-testid": "palette-entry", "data-node-type": entry.name, title: entry.description || entry.name,
          onclick: () => this.choose(entry),
        }, h("span", { class: "fl-palette-name" }, entry.friendly_name), h("span", { class: "fl-palette-key" }, entry.name)));
      }
    }
    if (!children.length) children.push(h("div", { class: "fl-empty" }, "No node matches."));
    fill(this.list, ...children);
  }

  choose(entry) {
    const [x, y] = this.at || this.editor.canvas.center();
    this.editor.send({ action: "add_node", node_type: entry.name, x, y, wire: this.wire });
    if (this.wire) this.clearWire();
    this.at = null;
  }
}
