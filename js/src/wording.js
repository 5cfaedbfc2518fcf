// How quantities read on the page: the same words as flowlike_core/wording.py gives the CLI and the notebook
// (tests/widgets/test_wording_js.py holds the two to the same outputs).

/** `12 µs`, `1.23 ms`, `49.3 ms`, `493 ms`, `1.50 s`, `2 min 5 s`, `1 h 2 min`, nothing when there is no time. */
export function formatDuration(seconds) {
  if (seconds === undefined || seconds === null) return "";
  if (seconds < 0.0009995) return `${roundHalfEven(seconds * 1e6)} µs`;
  if (seconds < 0.9995) {
    const ms = seconds * 1e3;
    return ms < 9.995 ? `${ms.toFixed(2)} ms` : ms < 99.95 ? `${ms.toFixed(1)} ms` : `${roundHalfEven(ms)} ms`;
  }
  if (seconds < 59.995) return `${seconds.toFixed(2)} s`;
  if (seconds < 3599.5) {
    const whole = roundHalfEven(seconds);
    return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  }
  const minutes = roundHalfEven(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Python's rounding to a whole number: a half goes to the even one (Math.round takes it up). Only whole numbers
 * need it: a float is never exactly halfway at one or two decimals, so toFixed agrees with Python there. */
function roundHalfEven(x) {
  const nearest = Math.round(x);
  return nearest - x === 0.5 && nearest % 2 !== 0 ? nearest - 1 : nearest;
}

/** `1 node`, `0 nodes`, `1,234 nodes` (`plural` for a noun that is not made with an s). */
export function counted(count, noun, plural) {
  const figure = String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${figure} ${count === 1 ? noun : plural || `${noun}s`}`;
}
