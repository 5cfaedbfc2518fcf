// The inspector: the selected node's names, description, comment, an editor for each input default
// (checkbox, number with range and step, text, dropdown of valid values, JSON for the rest), and its
// part of the last run (status, duration, error, logs).

import { capabilityMarks } from "./capabilities.js";
import { h } from "./dom.js";
import { pinsOf } from "./geometry.js";
import { isExec, typeLabel } from "./types.js";
import { previewElement } from "./values.js";
import { counted, formatDuration } from "./wording.js";

const NUMBERS = new Set(["Integer", "Float", "Byte"]);
const TEXTS = new Set(["String", "PathBuf", "Date"]);

/** An input element for a pin's default; `commit(value)` gets the parsed new value, `suggestions` feed text inputs. */
export function defaultEditor(pin, commit, fail, suggestions = []) {
  const options = pin.options || {};
  const hooks = { "data-testid": "inspector-default", "data-pin-name": pin.name, "data-pin-id": pin.id, class: "fl-field" };
  const value = pin.default_value;
  const normal = pin.value_type === "Normal";
  if (options.valid_values) {
    const choices = options.valid_values;
    const select = h("select", hooks, choices.map((choice, i) => h("option", { value: String(i) }, String(choice))));
    select.value = String(Math.max(0, choices.findIndex((c) => JSON.stringify(c) === JSON.stringify(value))));
    select.addEventListener("change", () => commit(choices[Number(select.value)]));
    return select;
  }
  if (normal && pin.data_type === "Boolean") {
    const box = h("input", { ...hooks, type: "checkbox", checked: !!value });
    box.addEventListener("change", () => commit(box.checked));
    return box;
  }
  if (normal && NUMBERS.has(pin.data_type)) {
    const [min, max] = options.range || [];
    const step = options.step ?? (pin.data_type === "Float" ? "any" : 1);
    const input = h("input", { ...hooks, type: "number", min, max, step, value: value ?? "" });
    input.addEventListener("change", () => {
      // text that is no number ("1e", "1,5") reads as "" too: refuse it rather than clear the default
      if (input.validity.badInput) return fail(`${pin.name}: not a number`);
      if (input.value === "") return commit(null);
      // as typed: the engine refuses a fraction for an Integer pin and says why (parseInt made 2.5 a silent 2)
      return commit(Number(input.value));
    });
    return input;
  }
  if (normal && TEXTS.has(pin.data_type)) {
    const input = h("input", { ...hooks, type: "text", value: value ?? "" });
    input.addEventListener("change", () => commit(input.value));
    if (!suggestions.length) return input;
    const list = h("datalist", { id: `fl-suggest-${pin.id}` }, suggestions.map((s) => h("option", { value: s })));
    input.setAttribute("list", list.id);
    return h("span", {}, input, list);
  }
  const area = h("textarea", { ...hooks, rows: 3, spellcheck: false, value: value === null || value === undefined ? "" : JSON.stringify(value, null, 1) });
  area.addEventListener("change", () => {
    if (!area.value.trim()) return commit(null);
    try {
      return commit(JSON.parse(area.value));
    } catch (error) {
      return fail(`${pin.name}: not valid JSON (${error.message})`);
    }
  });
  return area;
}

/** ", 1 to 40" for a pin whose type declares a range: the field says it (checking values is the engine's job). */
function rangeText(pin) {
  const range = pin.options?.range;
  return range ? `, ${range[0]} to ${range[1]}` : "";
}

/** The selector that finds a field again after a redraw: its test id, and its pin for defaults (by id: the pins of
 * a variadic group share their name). */
function fieldSelector(field) {
  const pin = field.dataset.pinId ?? field.dataset.pinName;
  const attribute = field.dataset.pinId === undefined ? "data-pin-name" : "data-pin-id";
  return `[data-testid="${field.dataset.testid}"]${pin === undefined ? "" : `[${attribute}="${CSS.escape(pin)}"]`}`;
}

/**
 * Give `el` the children of `next`, except that `kept` (inside `el`) stays in the page in place of `standIn`
 * (its counterpart inside `next`). Browsers blur a field they remove, which commits its half-typed text and
 * drops the caret, so a focused field must never leave. Returns false when the two trees do not line up.
 */
function graft(el, next, kept, standIn) {
  const path = [];
  let old = kept;
  let young = standIn;
  for (; old !== el && young !== next; old = old.parentNode, young = young.parentNode) {
    if (old.tagName !== young.tagName || old.type !== young.type) return false;
    path.push([old, young]);
  }
  if (old !== el || young !== next) return false;
  for (const [oldChild, youngChild] of path.reverse()) {
    const siblings = [...youngChild.parentNode.childNodes];
    const at = siblings.indexOf(youngChild);
    for (const child of [...oldChild.parentNode.childNodes]) if (child !== oldChild) child.remove();
    oldChild.before(...siblings.slice(0, at));
    oldChild.after(...siblings.slice(at + 1));
    if (oldChild === kept) continue;
    for (const name of oldChild.getAttributeNames()) if (!youngChild.hasAttribute(name)) oldChild.removeAttribute(name);
    for (const name of youngChild.getAttributeNames()) oldChild.setAttribute(name, youngChild.getAttribute(name));
  }
  return true;
}

export class Inspector {
  constructor(editor) {
    this.editor = editor;
    this.nodeId = null;
    this.values = null; // {nodeId, generation, previews} of the node shown, from the kernel
    this.refused = null; // {pin, reason}: the pin whose typed text the message bar says is no value
    this.el = h("div", { class: "fl-inspector", "data-testid": "inspector" });
    // A field's text is "edited" from the first key until its change is committed (Enter or leaving it).
    this.el.addEventListener("input", (e) => { e.target.dataset.edited = "true"; });
    this.el.addEventListener("change", (e) => { delete e.target.dataset.edited; });
  }

  /** Redraw for the current selection; a field being typed into stays, with its focus, caret and text. */
  render() {
    const focused = this.el.getRootNode().activeElement;
    const field = focused && focused !== this.el && this.el.contains(focused) && focused.dataset.testid ? focused : null;
    const shown = this.nodeId;
    const next = h("div", {}, ...this.content());
    const standIn = field && shown === this.nodeId ? next.querySelector(fieldSelector(field)) : null;
    if (!standIn || !graft(this.el, next, field, standIn)) {
      this.el.replaceChildren(...next.childNodes);
      return;
    }
    if (field.dataset.edited) return;
    for (const key of ["value", "checked"]) if (field[key] !== standIn[key]) field[key] = standIn[key];
  }

  /** The panel's elements for the current selection: one node's editors, or a summary. */
  content() {
    const { store, selection } = this.editor;
    const node = selection.nodes.size === 1 ? store.nodes[[...selection.nodes][0]] : null;
    this.nodeId = node ? node.id : null;
    if (!node) {
      const count = selection.nodes.size;
      const board = store.document;
      return [h("div", { class: "fl-panel-title" }, count ? `${counted(count, "node")} selected` : board.name),
        count ? null : h("p", { class: "fl-description" }, board.description || "Select a node to edit it."),
        h("p", { class: "fl-muted" },
          `${counted(Object.keys(board.nodes).length, "node")}, ${counted(board.connections.length, "wire")}`)];
    }
    const send = (fields) => this.editor.send({ action: "update_node", node_id: node.id, ...fields });
    const name = h("input", { type: "text", class: "fl-field", "data-testid": "inspector-friendly-name", value: node.friendly_name });
    name.addEventListener("change", () => send({ friendly_name: name.value }));
    const comment = h("textarea", { class: "fl-field", rows: 2, "data-testid": "inspector-comment", value: node.comment || "", placeholder: "Comment" });
    comment.addEventListener("change", () => send({ comment: comment.value }));
    // Variable nodes name their variable in a `var_ref` text pin (as in Flow-Like): suggest the board's.
    const variableNames = Object.values(store.document.variables).map((v) => v.name);
    const defaults = pinsOf(node).inputs.filter((pin) => !isExec(pin)).map((pin) => {
      const wired = store.wiresInto(node.id, pin.id).length > 0;
      const editor = wired
        ? h("span", { class: "fl-muted", "data-testid": "inspector-wired", "data-pin-name": pin.name }, "wired")
        : defaultEditor(pin, (value) => this.commitDefault(send, pin, value),
          (reason) => this.refuseDefault(pin, reason), pin.name === "var_ref" ? variableNames : []);
      return h("label", { class: "fl-default", title: pin.description || "" },
        h("span", { class: "fl-default-name" }, pin.friendly_name || pin.name, h("small", {}, ` ${typeLabel(pin)}${rangeText(pin)}`)),
        editor);
    });
    return [
      h("div", { class: "fl-panel-title" }, "Node"),
      name,
      h("div", { class: "fl-muted", "data-testid": "inspector-type" }, `${node.name}${node.category ? ` · ${node.category}` : ""} · ${node.id}`),
      this.capabilities(node),
      h("p", { class: "fl-description", "data-testid": "inspector-description" }, node.description || ""),
      this.problemsSection(node.id),
      comment,
      defaults.length ? h("div", { class: "fl-panel-subtitle" }, "Inputs") : null,
      defaults,
      this.runSection(node.id),
      this.valuesSection(node)];
  }

  /** Send a pin's new default; a corrected value takes away the error its bad text showed. */
  commitDefault(send, pin, value) {
    if (this.refused?.pin === pin.id) {
      if (this.editor.message.textContent === this.refused.reason) this.editor.hideMessage();
      this.refused = null;
    }
    send({ defaults: { [pin.id]: value } });
  }

  /** Text that is no value for the pin (not a number, not JSON) stays in its field, and the message says why. */
  refuseDefault(pin, reason) {
    this.refused = { pin: pin.id, reason };
    this.editor.showMessage("error", reason);
  }

  /** The engine's problems with the node, each with its severity (a warning: the board runs, likely not as meant). */
  problemsSection(nodeId) {
    const problems = this.editor.problemsOf(nodeId)?.problems;
    if (!problems) return null;
    return h("div", { class: "fl-problems-list" }, problems.map((p) => h("div", {
      class: "fl-problem", "data-testid": "inspector-problem", "data-severity": p.severity, "data-code": p.code,
    }, h("strong", {}, p.severity === "error" ? "Error" : "Warning"), ` ${p.message}`)));
  }

  /** What the node's type reaches outside the run (network, files, processes, native code), from its catalog entry. */
  capabilities(node) {
    const entry = this.editor.catalogEntry(node.name);
    if (!entry) return null;
    const reaches = entry.capabilities || [];
    return h("div", { class: "fl-capabilities", "data-testid": "inspector-capabilities", "data-capabilities": reaches.join(" ") },
      h("span", { class: "fl-muted" }, "Reaches: "),
      reaches.length ? capabilityMarks(reaches) : h("span", { class: "fl-muted" }, "nothing outside the run"));
  }

  /** The node's pin values in the last run (asked of the kernel once per run batch), each sendable to the notebook. */
  valuesSection(node) {
    const generation = this.editor.runGeneration;
    if (!generation) return null;
    const known = this.values;
    if (!known || known.nodeId !== node.id || known.generation !== generation) {
      this.values = { nodeId: node.id, generation, previews: known?.nodeId === node.id ? known.previews : null };
      this.editor.ask({ action: "node_values", node_id: node.id }, (reply) => {
        if (this.values.nodeId === node.id && this.values.generation === generation) {
          this.values.previews = reply.values;
          this.render();
        }
      });
    }
    const previews = this.values.previews;
    if (!previews) return null;
    const rows = pinsOf(node).inputs.concat(pinsOf(node).outputs).filter((pin) => previews[pin.id]).map((pin) => {
      const name = h("input", { type: "text", class: "fl-field fl-bind-name", "data-testid": "value-bind-name",
        "data-pin-name": pin.name, "data-pin-id": pin.id, placeholder: "variable", value: pin.name });
      const bind = () => this.editor.ask({ action: "bind_value", node_id: node.id, pin_id: pin.id, name: name.value.trim() },
        (reply) => this.editor.showMessage("info", `sent to the notebook: ${reply.reason}`));
      name.addEventListener("keydown", (e) => { if (e.key === "Enter") bind(); });
      return h("div", { class: "fl-pin-value", "data-testid": "inspector-value", "data-pin-name": pin.name,
        "data-direction": pin.direction === "Input" ? "in" : "out" },
      h("div", { class: "fl-default-name" }, `${pin.direction === "Input" ? "in" : "out"} ${pin.friendly_name || pin.name}`),
      previewElement(previews[pin.id]),
      h("div", { class: "fl-bind" }, name, h("button", { class: "fl-button", "data-testid": "value-bind",
        "data-pin-name": pin.name, title: "Send this value to the notebook as a variable", onclick: bind }, "→ notebook")));
    });
    return rows.length ? h("div", {}, h("div", { class: "fl-panel-subtitle" }, "Values"), rows) : null;
  }

  runSection(nodeId) {
    const state = this.editor.runState.get(nodeId);
    if (!state) return null;
    const cached = state.status === "cached";
    return h("div", { class: "fl-run-info" },
      h("div", { class: "fl-panel-subtitle" }, "Last run"),
      h("div", { "data-testid": "inspector-duration", "data-status": state.status },
        `${cached ? "served from the result cache" : state.status}` +
        `${state.duration !== undefined ? ` in ${formatDuration(state.duration)}` : ""}` +
        `${state.count > 1 ? ` (${state.count} times)` : ""}`),
      state.error ? h("pre", { class: "fl-error", "data-testid": "inspector-error" }, state.error) : null,
      h("div", { class: "fl-logs", "data-testid": "inspector-logs" }, state.logs.map(logLine)));
  }
}

/** A log line of the last run; a line the result cache told again (the node did not run) says so. */
function logLine(line) {
  return h("div", {
    class: `fl-log fl-log-${line.level}${line.replayed ? " fl-log-replayed" : ""}`, "data-testid": "log-line",
    "data-level": line.level, "data-replayed": String(line.replayed),
    title: line.replayed ? "Replayed from the result cache: logged when the node last ran, not in this run" : null,
  },
  line.replayed ? h("span", { class: "fl-log-mark", "data-testid": "log-replayed" }, "replayed") : null,
  `[${line.level}] ${line.message}`);
}
