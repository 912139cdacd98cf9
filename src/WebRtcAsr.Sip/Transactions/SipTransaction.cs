namespace WebRtcAsr.Sip.Transactions;

/// <summary>What every transaction state machine offers the timer wheel and the transaction table.</summary>
public abstract class SipTransaction(SipTransactionKey key, SipFlow flow, SipTimerSettings timers) : ISipTimed
{
    public SipTransactionKey Key { get; } = key;

    /// <summary>Where responses (server) or requests (client) go.</summary>
    public SipFlow Flow { get; } = flow;

    protected SipTimerSettings Timers { get; } = timers;

    /// <summary>When <see cref="OnTimer"/> must next run, or null when no timer is armed.</summary>
    public abstract TimeSpan? NextDue { get; }

    public abstract bool IsTerminated { get; }

    /// <summary>Fires every timer due at <paramref name="now"/>.</summary>
    public abstract void OnTimer(TimeSpan now, SipOutbox outbox);

    protected static TimeSpan? Earliest(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : (a < b ? a : b);

    protected static bool Due(TimeSpan? timer, TimeSpan now) => timer is { } t && t <= now;
}
