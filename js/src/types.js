// Pin types as the user sees them (colour per data type, shape per value type). What may be wired to
// what is the kernel's to say (flowlike_nb/widgets/rules.py asks the engine): no copy of the rules here.

export const DATA_TYPES = ["Boolean", "Integer", "Float", "String", "Date", "PathBuf", "Byte", "Struct", "Generic"];
export const VALUE_TYPES = ["Normal", "Array", "HashMap", "HashSet"];

export function typeLabel(pin) {
  return pin.value_type === "Normal" ? pin.data_type : `${pin.value_type}<${pin.data_type}>`;
}

export const isExec = (pin) => pin.data_type === "Execution";
