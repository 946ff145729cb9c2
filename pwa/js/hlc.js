// Hybrid logical clock: "<ms>-<counter>-<device>", compared by ms, then counter, then device.
// Pure functions over a small state {ms, counter}; db.js persists the state with each edit so
// the clock never goes backwards, even across reloads and tabs.

const MAX_COUNTER = 0xffff;

/** Format a clock reading. */
export function format(ms, counter, device) {
  return `${ms}-${counter}-${device}`;
}

/** Parse "<ms>-<counter>-<device>" (the device id may itself hold dashes). */
export function parse(text) {
  const match = /^(\d+)-(\d+)-(.+)$/.exec(String(text ?? ''));
  if (!match) throw new Error(`not a clock reading: ${text}`);
  return { ms: Number(match[1]), counter: Number(match[2]), device: match[3] };
}

/** Compare two readings: negative, zero or positive, like a sort comparator. */
export function compare(a, b) {
  const x = parse(a);
  const y = parse(b);
  if (x.ms !== y.ms) return x.ms < y.ms ? -1 : 1;
  if (x.counter !== y.counter) return x.counter < y.counter ? -1 : 1;
  if (x.device === y.device) return 0;
  return x.device < y.device ? -1 : 1;
}

function bump(state, ms) {
  const counter = state.counter + 1;
  if (counter > MAX_COUNTER) return { ms: ms + 1, counter: 0 };
  return { ms, counter };
}

/** Advance the clock for a local event; returns {state, stamp}. */
export function tick(state, device, now = Date.now()) {
  const prev = state || { ms: 0, counter: 0 };
  const next = now > prev.ms ? { ms: now, counter: 0 } : bump(prev, prev.ms);
  return { state: next, stamp: format(next.ms, next.counter, device) };
}

/** Merge a reading seen from elsewhere (a pulled change) so later ticks sort after it. */
export function receive(state, remote, now = Date.now()) {
  const prev = state || { ms: 0, counter: 0 };
  let other;
  try {
    other = parse(remote);
  } catch {
    return prev;
  }
  const ms = Math.max(prev.ms, other.ms, now);
  if (ms === prev.ms && ms === other.ms) {
    return bump({ ms, counter: Math.max(prev.counter, other.counter) }, ms);
  }
  if (ms === prev.ms) return bump(prev, ms);
  if (ms === other.ms) return bump({ ms, counter: other.counter }, ms);
  return { ms, counter: 0 };
}
