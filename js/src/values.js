// Value previews from the kernel (flowlike_nb/widgets/values.py): short text, a small grid for tables
// with their shape, a thumbnail for images (with the image's size), a copy action for long text. The kernel
// never sends a large value whole.

import { h } from "./dom.js";

/** The element showing a preview {type, text, truncated, shape?, table?}. */
export function previewElement(shown) {
  const shape = shown.shape ? ` · ${shown.shape.join(" × ")}` : "";
  const head = h("div", { class: "fl-value-type" }, `${shown.type}${shape}`);
  if (shown.image) {
    const { src, width, height } = shown.image;
    return h("div", { class: "fl-value", "data-testid": "value-preview" }, head,
      h("img", { class: "fl-value-image", "data-testid": "value-image", src, width, height, alt: `${shown.type}${shape}` }));
  }
  if (shown.table) {
    const { columns, rows } = shown.table;
    return h("div", { class: "fl-value", "data-testid": "value-preview" }, head,
      h("table", { class: "fl-value-table", "data-testid": "value-table" },
        h("tr", {}, columns.map((c) => h("th", {}, c))),
        rows.map((row) => h("tr", {}, row.map((cell) => h("td", {}, cell))))));
  }
  const copy = shown.truncated
    ? h("button", { class: "fl-icon-button", "data-testid": "value-copy", title: "Copy the text shown",
      onclick: () => navigator.clipboard?.writeText(shown.text) }, "copy")
    : null;
  return h("div", { class: "fl-value", "data-testid": "value-preview" }, head,
    h("pre", { class: "fl-value-text", "data-testid": "value-text" }, shown.text), copy);
}
