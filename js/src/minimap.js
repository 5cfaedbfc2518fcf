// The minimap: the whole board in a corner (a box per node, the view as a frame); click or drag in it
// to bring that part of the board into view. One <canvas>, redrawn at most once per frame.

import { h } from "./dom.js";
import { NODE_WIDTH } from "./geometry.js";
import { layersAt } from "./layers.js";

const WIDTH = 180;
const HEIGHT = 120;
const PAD = 6;

export class Minimap {
  constructor(canvas) {
    this.canvas = canvas;
    this.el = h("canvas", { class: "fl-minimap", "data-testid": "minimap", width: WIDTH, height: HEIGHT });
    this.frame = null;
    this.el.addEventListener("pointerdown", (e) => {
      e.stopPropagation();
      e.preventDefault();
      this.el.setPointerCapture(e.pointerId);
      this.dragging = true;
      this.go(e);
    });
    this.el.addEventListener("pointermove", (e) => { if (this.dragging) this.go(e); });
    this.el.addEventListener("pointerup", () => { this.dragging = false; });
  }

  /** Board coordinates -> minimap pixels: the board's box, centred (the view's frame may reach past it). */
  mapping(box = this.canvas.shownBounds()) {
    if (!box) return null;
    const [width, height] = [box.right - box.left, box.bottom - box.top];
    const ratio = Math.min((WIDTH - 2 * PAD) / width, (HEIGHT - 2 * PAD) / height);
    return { left: box.left - (WIDTH / ratio - width) / 2, top: box.top - (HEIGHT / ratio - height) / 2, ratio };
  }

  schedule() {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  /** Drawn only while part of the board is out of view: with all of it shown (after Fit) the minimap has nothing
   * to lead to, and it covered the nodes of the bottom-right corner. */
  draw() {
    this.frame = null;
    const context = this.el.getContext("2d");
    context.clearRect(0, 0, WIDTH, HEIGHT);
    const box = this.canvas.shownBounds();
    this.el.hidden = !box || this.allInView(box);
    if (this.el.hidden) return;
    const map = this.mapping(box);
    const at = (cx, cy) => [(cx - map.left) * map.ratio, (cy - map.top) * map.ratio];
    context.fillStyle = getComputedStyle(this.el).color || "#888";
    const side = Math.max(1.5, NODE_WIDTH * map.ratio);
    const layers = layersAt(this.canvas.store, this.canvas.editor.layer);
    for (const node of [...Object.values(this.canvas.store.nodes).filter((n) => this.canvas.shown(n)), ...layers]) {
      const [px, py] = at(node.coordinates[0], node.coordinates[1]);
      context.fillRect(px, py, side, Math.max(1.5, side / 2));
    }
    const rect = this.canvas.el.getBoundingClientRect();
    const { x, y, scale } = this.canvas.view;
    const [vx, vy] = at(-x / scale, -y / scale);
    context.strokeStyle = getComputedStyle(this.el).getPropertyValue("--fl-accent").trim() || "#1976d2";
    context.lineWidth = 1.5;
    context.strokeRect(vx, vy, (rect.width / scale) * map.ratio, (rect.height / scale) * map.ratio);
    this.el.dataset.ratio = map.ratio.toFixed(5);
  }

  /** Whether the board's box (board coordinates) lies inside the canvas's view. */
  allInView(box) {
    const rect = this.canvas.el.getBoundingClientRect();
    const { x, y, scale } = this.canvas.view;
    const [left, top] = [-x / scale, -y / scale];
    const slack = 1 / scale; // a pixel, for rounding
    return box.left >= left - slack && box.top >= top - slack && box.right <= left + rect.width / scale + slack
      && box.bottom <= top + rect.height / scale + slack;
  }

  /** Center the view on the board point under the pointer. */
  go(e) {
    const map = this.mapping();
    if (!map) return;
    const box = this.el.getBoundingClientRect();
    const cx = map.left + (e.clientX - box.left) / map.ratio;
    const cy = map.top + (e.clientY - box.top) / map.ratio;
    this.canvas.centerOnPoint(cx, cy);
  }
}
