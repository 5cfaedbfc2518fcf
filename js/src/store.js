// The board document as the kernel last described it: a full document, then patches on top.
// The front end never edits it on its own; it changes only when the kernel says so.

export const wireKey = (w) => `${w.from_node}/${w.from_pin}>${w.to_node}/${w.to_pin}`;

export class BoardStore {
  constructor(document, revision) {
    this.reset(document, revision);
  }

  /** Start again from `document` (parsed for this store alone: it is kept, not copied). */
  reset(document, revision) {
    this.document = document;
    this.revision = revision;
    this.wires = new Map();
    this.wiresOf = new Map();
    for (const wire of this.document.connections || []) this._addWire(wire);
  }

  get nodes() {
    return this.document.nodes;
  }

  _addWire(wire) {
    const key = wireKey(wire);
    this.wires.set(key, wire);
    for (const node of [wire.from_node, wire.to_node]) {
      if (!this.wiresOf.has(node)) this.wiresOf.set(node, new Set());
      this.wiresOf.get(node).add(key);
    }
    return key;
  }

  _dropWire(wire) {
    const key = wireKey(wire);
    this.wires.delete(key);
    for (const node of [wire.from_node, wire.to_node]) this.wiresOf.get(node)?.delete(key);
    return key;
  }

  /** Wires whose input end is this pin (a data input has at most one). */
  wiresInto(nodeId, pinId) {
    return [...(this.wiresOf.get(nodeId) || [])].map((k) => this.wires.get(k))
      .filter((w) => w.to_node === nodeId && w.to_pin === pinId);
  }

  /** Apply a kernel patch; returns what changed, or null if it does not follow the revision we have. */
  apply(patch) {
    if (patch.base !== this.revision) return null;
    const doc = this.document;
    const removedWires = patch.wires_removed.map((w) => this._dropWire(w));
    for (const id of patch.removed_nodes) delete doc.nodes[id];
    const addedNodes = Object.keys(patch.nodes).filter((id) => !(id in doc.nodes));
    Object.assign(doc.nodes, patch.nodes);
    const addedWires = patch.wires_added.map((w) => this._addWire(w));
    doc.connections = [...this.wires.values()];
    if (patch.variables) doc.variables = patch.variables;
    if (patch.comments) doc.comments = patch.comments;
    const addedLayers = Object.keys(patch.meta?.layers || {}).filter((id) => !doc.layers?.[id]);
    if (patch.meta) Object.assign(doc, patch.meta);
    this.revision = patch.revision;
    return {
      nodes: Object.keys(patch.nodes),
      addedNodes,
      addedLayers,
      removedNodes: patch.removed_nodes,
      addedWires,
      removedWires,
      variables: !!patch.variables,
      comments: !!patch.comments,
      meta: !!patch.meta,
    };
  }
}
