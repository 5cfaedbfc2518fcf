// Layout with ELK's layered algorithm (elkjs): nodes in layers along their wires, ports on the
// box sides where the canvas draws them, long chains wrapped into rows so a board stays about as wide
// as the canvas. It only computes places; the editor sends them to the kernel as one move (one undo step).
// ELK is a bundle of its own (static/elk.js, built from elk.js): the kernel sends it the first time a page
// lays out, and every editor of the page shares it.

import { NODE_WIDTH, nodeHeight, pinPoint } from "./geometry.js";

const SHARED = Symbol.for("flowlike-nb.elk");

/** The ELK instance of this page; `fetchSource()` resolves to the bundle's text (asked of the kernel once). */
function layoutEngine(fetchSource) {
  globalThis[SHARED] = globalThis[SHARED] || fetchSource().then(async (source) => {
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    try {
      const { default: ELK } = await import(/* webpackIgnore: true */ url);
      return new ELK();
    } finally {
      URL.revokeObjectURL(url);
    }
  });
  globalThis[SHARED].catch(() => { delete globalThis[SHARED]; }); // a failed load is tried again next time
  return globalThis[SHARED];
}

const WRAP_ABOVE = 12; // nodes: a longer board is wrapped into rows about as wide as the canvas

const OPTIONS = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.edgeRouting": "SPLINES",
  "elk.spacing.nodeNode": "36",
  "elk.layered.spacing.nodeNodeBetweenLayers": "90",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
};

/**
 * New top-left corners ({id: [x, y]}) for the nodes `ids` of `store`, laid out among the wires between them;
 * `rowsOf(node)` gives the pins drawn, `aspect` the width/height ratio to aim for, `origin` the top-left corner,
 * `fetchSource()` the ELK bundle's text.
 */
export async function layered(store, ids, rowsOf, aspect, origin, fetchSource) {
  const elk = await layoutEngine(fetchSource);
  const inside = new Set(ids);
  const children = ids.map((id) => {
    const node = store.nodes[id];
    const rows = rowsOf(node);
    const [x, y] = node.coordinates;
    const port = (pin, side) => {
      const [px, py] = pinPoint(node, pin.id, rows);
      return { id: `${id}/${pin.id}`, x: px - x, y: py - y, width: 1, height: 1,
        layoutOptions: { "elk.port.side": side } };
    };
    return {
      id, width: NODE_WIDTH, height: nodeHeight(node, rows),
      layoutOptions: { "elk.portConstraints": "FIXED_POS" },
      ports: [...rows.inputs.map((p) => port(p, "WEST")), ...rows.outputs.map((p) => port(p, "EAST"))],
    };
  });
  const ports = new Set(children.flatMap((child) => child.ports.map((p) => p.id)));
  const edges = [];
  for (const [key, wire] of store.wires) {
    const [source, target] = [`${wire.from_node}/${wire.from_pin}`, `${wire.to_node}/${wire.to_pin}`];
    if (inside.has(wire.from_node) && inside.has(wire.to_node) && ports.has(source) && ports.has(target)) {
      edges.push({ id: key, sources: [source], targets: [target] });
    }
  }
  const wrap = ids.length > WRAP_ABOVE ? { "elk.layered.wrapping.strategy": "MULTI_EDGE", "elk.aspectRatio": String(aspect) } : {};
  const graph = await elk.layout({ id: "board", layoutOptions: { ...OPTIONS, ...wrap }, children, edges });
  return Object.fromEntries(graph.children.map((child) => [child.id, [origin[0] + child.x, origin[1] + child.y]]));
}
