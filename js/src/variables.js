// The variables panel: the board's variables, and a small form to add or change one (by name).

import { fill, h } from "./dom.js";
import { DATA_TYPES, VALUE_TYPES, typeLabel } from "./types.js";

const TEXTUAL = new Set(["String", "PathBuf", "Date"]);

/** The default a user typed: raw text for textual scalars, JSON for everything else, blank for none. */
export function parseDefault(text, dataType, valueType) {
  if (!text.trim()) return null;
  if (valueType === "Normal" && TEXTUAL.has(dataType)) return text;
  return JSON.parse(text);
}

export class VariablesPanel {
  constructor(editor) {
    this.editor = editor;
    this.list = h("div", { class: "fl-variable-list" });
    this.name = h("input", { type: "text", class: "fl-field", placeholder: "name", "data-testid": "variable-add-name" });
    this.type = h("select", { class: "fl-field", "data-testid": "variable-add-type" }, DATA_TYPES.map((t) => h("option", { value: t }, t)));
    this.type.value = "String";
    this.valueType = h("select", { class: "fl-field", "data-testid": "variable-add-value-type" }, VALUE_TYPES.map((t) => h("option", { value: t }, t)));
    this.default = h("input", { type: "text", class: "fl-field", placeholder: "default (JSON unless text)", "data-testid": "variable-add-default" });
    this.exposed = h("input", { type: "checkbox", "data-testid": "variable-add-exposed" });
    this.el = h("div", { class: "fl-variables", "data-testid": "variables" },
      h("div", { class: "fl-panel-title" }, "Variables"),
      this.list,
      h("div", { class: "fl-variable-form" }, this.name, this.type, this.valueType, this.default,
        h("label", { class: "fl-check" }, this.exposed, "exposed"),
        h("button", { class: "fl-button", "data-testid": "variable-add", onclick: () => this.submit() }, "Add / update")));
  }

  render() {
    const variables = Object.values(this.editor.store.document.variables).sort((a, b) => a.name.localeCompare(b.name));
    fill(this.list, ...variables.map((v) => h("div", {
      class: "fl-variable", "data-testid": "variable", "data-variable-name": v.name, title: v.description || v.name,
      onclick: () => this.edit(v),
    },
    h("span", { class: `fl-port fl-t-${v.data_type} fl-v-${v.value_type}` }),
    h("span", { class: "fl-variable-name" }, v.name),
    h("span", { class: "fl-muted" }, ` ${typeLabel(v)}${v.exposed ? " · exposed" : ""}${v.secret ? " · secret" : ""}`),
    h("span", { class: "fl-variable-value" }, v.secret ? "***" : JSON.stringify(v.default_value)),
    h("button", {
      class: "fl-icon-button", "data-testid": "variable-remove", title: `Remove ${v.name}`,
      onclick: (e) => {
        e.stopPropagation();
        this.editor.send({ action: "remove_variable", variable_id: v.id });
      },
    }, "×"))));
    if (!variables.length) this.list.append(h("div", { class: "fl-empty" }, "No variables."));
  }

  edit(variable) {
    this.name.value = variable.name;
    this.type.value = variable.data_type;
    this.valueType.value = variable.value_type;
    const value = variable.default_value;
    this.default.value = value === null ? "" : typeof value === "string" ? value : JSON.stringify(value);
    this.exposed.checked = variable.exposed;
  }

  submit() {
    const name = this.name.value.trim();
    if (!name) return this.editor.showMessage("error", "a variable needs a name");
    let value;
    try {
      value = parseDefault(this.default.value, this.type.value, this.valueType.value);
    } catch (error) {
      return this.editor.showMessage("error", `default of ${name}: not valid JSON (${error.message})`);
    }
    const existing = Object.values(this.editor.store.document.variables).find((v) => v.name === name);
    const variable = { ...(existing || {}), name, data_type: this.type.value, value_type: this.valueType.value, default_value: value, exposed: this.exposed.checked };
    return this.editor.send({ action: "upsert_variable", variable });
  }
}
