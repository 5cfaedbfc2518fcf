// Layout with ELK's layered algorithm (elkjs): nodes and collapsed layers' boxes in ranks along their wires, ports
// on the box sides where the canvas draws them, long chains wrapped into rows so a board stays about as wide
// as the canvas. It only computes places; the editor sends them to the kernel as one move (one undo step).
// ELK is a bundle of its own (static/elk.js, built from elk.js): the kernel sends it the first time a page
// lays out, and every editor of the page shares it. It runs in a worker: ELK takes seconds for a board of
// hundreds of nodes, and on the page's thread the whole notebook froze meanwhile (no scrolling, no clicks).

const SHARED = Symbol.for("flowlike-nb.elk");

/** The ELK bundle run in a module worker; resolves once the worker has loaded it (rejects if it cannot). The
 * worker answers each {id, graph} with {id, graph} laid out, or {id, error}. */
function elkWorker(elkUrl) {
  const runner = `import ELK from "${elkUrl}";
const elk = new ELK();
onmessage = async ({ data: { id, graph } }) => {
  try { postMessage({ id, graph: await elk.layout(graph) }); }
  catch (error) { postMessage({ id, error: String((error && error.message) || error) }); }
};
postMessage({ ready: true });`;
  return new Promise((ready, failed) => {
    const worker = new Worker(URL.createObjectURL(new Blob([runner], { type: "text/javascript" })), { type: "module" });
    const pending = new Map();
    let next = 0;
    worker.onmessage = ({ data }) => {
      if (data.ready) {
        ready({
          layout: (graph) => new Promise((resolve, reject) => {
            const id = next++;
            pending.set(id, { resolve, reject });
            worker.postMessage({ id, graph });
          }),
        });
        return;
      }
      const call = pending.get(data.id);
      pending.delete(data.id);
      if (call) data.error ? call.reject(new Error(data.error)) : call.resolve(data.graph);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      const error = new Error(event.message || "the layout worker failed");
      for (const { reject } of pending.values()) reject(error);
      pending.clear();
      failed(error);
    };
  });
}

/** The ELK instance of this page; `fetchSource()` resolves to the bundle's text (asked of the kernel once). */
function layoutEngine(fetchSource) {
  globalThis[SHARED] = globalThis[SHARED] || fetchSource().then(async (source) => {
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));  // kept: the worker imports it
    try {
      return await elkWorker(url);
    } catch {  // no module workers here: ELK on the page's thread
      const { default: ELK } = await import(/* webpackIgnore: true */ url);
      return new ELK();
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
