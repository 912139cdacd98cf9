// When to try again after a dropped connection: exponential backoff with jitter and a bounded
// number of attempts. Pure: the random source is passed in, and nothing here waits.

/** Defaults: 0.5 s, 1 s, 2 s, 4 s, 8 s, 8 s (each shortened by up to 20% jitter); then give up. */
export const DEFAULT_RECONNECT = Object.freeze({ maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 8000, jitter: 0.2 });

/**
 * The delay before attempt number `attempt` (1-based): base·2^(attempt−1), capped at maxDelayMs, then
 * shortened by a random fraction up to `jitter` (so many clients dropped at once do not return at once).
 * `random` is a number in [0, 1).
 */
export function backoffDelay(attempt, options, random) {
  const { baseDelayMs, maxDelayMs, jitter } = { ...DEFAULT_RECONNECT, ...options };
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError('attempt starts at 1');
  const raw = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(raw * (1 - jitter * random));
}

/** Counts reconnect attempts for one dropped connection; reset it once a connection is live again. */
export class ReconnectPolicy {
  #options;
  /** Attempts made since the last reset. */
  attempts = 0;

  constructor(options = {}) {
    this.#options = { ...DEFAULT_RECONNECT, ...options };
    const { maxAttempts, baseDelayMs, maxDelayMs, jitter } = this.#options;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 0) throw new RangeError('maxAttempts must be a whole number ≥ 0');
    if (!(baseDelayMs > 0) || !(maxDelayMs >= baseDelayMs)) throw new RangeError('need 0 < baseDelayMs ≤ maxDelayMs');
    if (!(jitter >= 0 && jitter < 1)) throw new RangeError('jitter must be in [0, 1)');
  }

  /** The most attempts this policy allows. */
  get maxAttempts() {
    return this.#options.maxAttempts;
  }

  /** The delay before the next attempt, or null when no attempt is left. Counts the attempt. */
  next(random) {
    if (this.attempts >= this.#options.maxAttempts) return null;
    this.attempts++;
    return backoffDelay(this.attempts, this.#options, random);
  }

  /** A connection is live again: the next drop starts counting from the first attempt. */
  reset() {
    this.attempts = 0;
  }
}
