// Drops duplicate server messages by their per-session `seq`, and notices gaps and new sessions.
// After a reconnect the server replays from the last seq the client reports, so a message may
// arrive twice; a message that was lost for good shows up as a gap.

/** Tracks the last seq seen in one caption session. */
export class SeqFilter {
  /** The session the last accepted message belonged to (null before the first). */
  sessionId = null;
  /** The largest seq accepted so far (0 before the first). */
  lastSeq = 0;
  /** How many messages were dropped as duplicates. */
  duplicates = 0;
  /** How many seq numbers were skipped (messages that never arrived). */
  missed = 0;

  /**
   * Decides whether a parsed server message is new. Returns `{ accept, newSession, gap, reason }`:
   * `accept` false for a duplicate or a message without a usable seq; `newSession` true when the
   * message starts a different session than the one seen so far (the server could not resume it);
   * `gap` how many seq numbers were skipped just before this one.
   */
  accept(message) {
    const seq = message?.seq;
    if (!Number.isSafeInteger(seq) || seq < 1) return { accept: false, newSession: false, gap: 0, reason: 'no valid "seq"' };
    const sid = typeof message.session_id === 'string' ? message.session_id : null;
    let newSession = false;
    if (sid !== null && sid !== this.sessionId) {
      newSession = this.sessionId !== null;
      this.sessionId = sid;
      this.lastSeq = 0;
    }
    if (seq <= this.lastSeq) {
      this.duplicates++;
      return { accept: false, newSession: false, gap: 0, reason: `duplicate seq ${seq} (last was ${this.lastSeq})` };
    }
    const gap = seq - this.lastSeq - 1;
    this.missed += gap;
    this.lastSeq = seq;
    return { accept: true, newSession, gap, reason: null };
  }

  /** What to tell the server when resuming: the session and the last seq received. */
  resumePoint() {
    return this.sessionId === null ? null : { sessionId: this.sessionId, lastSeq: this.lastSeq };
  }
}
