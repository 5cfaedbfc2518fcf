// Layout with ELK's layered algorithm (elkjs): nodes and collapsed layers' boxes in ranks along their wires, ports
// on the box sides where the canvas draws them, long chains wrapped into rows so a board stays about as wide
// as the canvas. It only computes places; the editor sends them to the kernel as one move (one undo step).
// ELK is a bundle of its own (static/elk.js, built from elk.js): the kernel sends it the first time a page
// lays out, and every editor of the page shares it.

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
 * New top-left corners ({id: [x, y]}) for `blocks` (node boxes and layer boxes: {id, width, height, ports: [{id, x,
 * y, side}]}, ports relative to the block), laid out among the `wires` ({id, source, target}: port ids) between
 * them; `aspect` is the width/height ratio to aim for, `origin` the top-left corner, `fetchSource()` the ELK bundle's
 * text.
 */
export async function layered(blocks, wires, aspect, origin, fetchSource) {
  const elk = await layoutEngine(fetchSource);
  const owner = new Map(blocks.flatMap((block) => block.ports.map((port) => [port.id, block.id])));
  const children = blocks.map((block) => ({
    id: block.id, width: block.width, height: block.height,
    layoutOptions: { "elk.portConstraints": "FIXED_POS" },
    ports: block.ports.map((port) => ({ id: port.id, x: port.x, y: port.y, width: 1, height: 1,
      layoutOptions: { "elk.port.side": port.side } })),
  }));
  const edges = [];
  for (const { id, source, target } of wires) {
    const [from, to] = [owner.get(source), owner.get(target)];
    if (from && to && from !== to) edges.push({ id, sources: [source], targets: [target] });
  }
  const wrap = blocks.length > WRAP_ABOVE ? { "elk.layered.wrapping.strategy": "MULTI_EDGE", "elk.aspectRatio": String(aspect) } : {};
  const graph = await elk.layout({ id: "board", layoutOptions: { ...OPTIONS, ...wrap }, children, edges });
  return Object.fromEntries(graph.children.map((child) => [child.id, [origin[0] + child.x, origin[1] + child.y]]));
}
