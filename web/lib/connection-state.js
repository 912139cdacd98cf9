// The states of a captions connection, and how each is described to a person.

/** States, in the order a session usually passes through them. */
export const ConnectionState = Object.freeze({
  Idle: 'idle',
  Connecting: 'connecting',
  Live: 'live',
  Reconnecting: 'reconnecting',
  Closing: 'closing',
  Closed: 'closed',
  Failed: 'failed',
});

const LABELS = Object.freeze({
  idle: 'Not connected',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closing: 'Stopping…',
  closed: 'Stopped',
  failed: 'Failed',
});

/** A short label for a state, as shown next to the state indicator. */
export function stateLabel(state) {
  return LABELS[state] ?? String(state);
}

/** True for the states a session does not leave (a new connect() is needed). */
export function isTerminal(state) {
  return state === ConnectionState.Closed || state === ConnectionState.Failed;
}
