// Pin types as the user sees them (colour per data type, shape per value type) and the wiring rule
// the palette uses to offer only nodes that fit a dropped wire. The kernel's engine has the last word.

export const DATA_TYPES = ["Boolean", "Integer", "Float", "String", "Date", "PathBuf", "Byte", "Struct", "Generic"];
export const VALUE_TYPES = ["Normal", "Array", "HashMap", "HashSet"];

export function typeLabel(pin) {
  return pin.value_type === "Normal" ? pin.data_type : `${pin.value_type}<${pin.data_type}>`;
}

export const isExec = (pin) => pin.data_type === "Execution";
const isWildcard = (pin) => pin.data_type === "Generic" && !pin.generic;

/** Whether an output pin may feed an input pin (the engine's rules, less the struct-schema and cycle checks). */
export function fits(output, input) {
  if (isExec(output) !== isExec(input)) return false;
  if (isExec(output)) return true;
  if (isWildcard(output) || isWildcard(input)) return true;
  if (output.value_type !== input.value_type) return false;
  return output.data_type === input.data_type || output.data_type === "Generic" || input.data_type === "Generic";
}

/** Whether a catalog entry has a pin that fits `pin` (a pin already on the board). */
export function catalogFits(entry, pin) {
  const wanted = pin.direction === "Input" ? "Output" : "Input";
  return entry.pins.some((other) => other.direction === wanted &&
    (pin.direction === "Input" ? fits(other, pin) : fits(pin, other)));
}

/** Words a palette search matches: key, names, category, pack, description and pin types. */
export function searchText(entry) {
  const pins = entry.pins.map((p) => `${p.name} ${p.data_type} ${p.value_type} ${typeLabel(p)}`).join(" ");
  return `${entry.name} ${entry.friendly_name} ${entry.category} ${entry.pack} ${entry.description} ${pins}`
    .toLowerCase();
}
