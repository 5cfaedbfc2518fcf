// What a node type reaches outside the run (flowlike_core.policy.Capability), as the catalog declares it:
// small marks in the search popup and the inspector, so that a user sees which nodes use the network, files
// outside the store, other programs or native code before running a board.

import { h } from "./dom.js";

export const CAPABILITIES = {
  network: ["net", "Connects to other machines (HTTP, mail, databases, brokers, model servers)"],
  files: ["files", "Reads or writes files outside the app's store"],
  processes: ["proc", "Starts other programs"],
  native: ["native", "Loads native code or runs a model file in a native runtime"],
};

/** One mark per capability (its short name; the explanation as the title). */
export function capabilityMarks(capabilities = []) {
  return capabilities.map((name) => {
    const [short, what] = CAPABILITIES[name] || [name, name];
    return h("span", { class: `fl-cap fl-cap-${name}`, "data-testid": "capability", "data-capability": name, title: what }, short);
  });
}
