// A tiny element builder: h("div", {class: "x", "data-testid": "y", onclick: f}, child, "text").

const SVG = "http://www.w3.org/2000/svg";

const PROPERTIES = new Set(["value", "checked", "disabled", "selected"]);

function build(element, attrs, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null) continue;
    if (PROPERTIES.has(key)) element[key] = value;
    else if (value === false) continue;
    else if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else if (key === "style" && typeof value === "object") Object.assign(element.style, value);
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  return element;
}

/** Replace an element's children; arrays are flattened and null, undefined and false are skipped. */
export function fill(element, ...children) {
  element.replaceChildren();
  return build(element, {}, children);
}

export const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);
export const svg = (tag, attrs, ...children) => build(document.createElementNS(SVG, tag), attrs, children);

/** Whether a key press belongs to a form field (so the canvas shortcuts must leave it alone). */
export function inField(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

const NOT_TEXT = new Set(["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"]);

/** Whether a field takes typed text, and so has an undo of its own (a checkbox or a drop-down has none). */
export function takesText(target) {
  return inField(target) && target.tagName !== "SELECT" && !(target.tagName === "INPUT" && NOT_TEXT.has(target.type));
}
