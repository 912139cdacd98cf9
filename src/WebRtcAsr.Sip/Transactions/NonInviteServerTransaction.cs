namespace WebRtcAsr.Sip.Transactions;

/// <summary>States of the non-INVITE server transaction (RFC 3261 §17.2.2).</summary>
public enum NonInviteServerState
{
    Trying,
    Proceeding,
    Completed,
    Terminated,
}

/// <summary>
/// The non-INVITE server transaction (RFC 3261 §17.2.2 Figure 8): request retransmissions are answered with the
/// last response; once final, it lingers for Timer J (64·T1 on unreliable transports, zero on reliable ones).
/// </summary>
public sealed class NonInviteServerTransaction(SipTransactionKey key, SipFlow flow, SipTimerSettings timers)
    : SipTransaction(key, flow, timers)
{
    private byte[]? _lastResponse;
    private TimeSpan? _timerJ;

    public NonInviteServerState State { get; private set; } = NonInviteServerState.Trying;

    public int LastStatus { get; private set; }

    public override bool IsTerminated => State == NonInviteServerState.Terminated;

    public override TimeSpan? NextDue => _timerJ;

    public bool Respond(int status, byte[] response, TimeSpan now, SipOutbox outbox)
    {
        if (State is NonInviteServerState.Completed or NonInviteServerState.Terminated)
        {
            return false;
        }

        _lastResponse = response;
        LastStatus = status;
        outbox.Send(Flow, response);
        if (status < 200)
        {
            State = NonInviteServerState.Proceeding;
            return true;
        }

        State = NonInviteServerState.Completed;
        _timerJ = now + (Flow.IsReliable ? TimeSpan.Zero : Timers.TransactionTimeout);
        return true;
    }

    public void OnRetransmission(SipOutbox outbox)
    {
        if (State is NonInviteServerState.Proceeding or NonInviteServerState.Completed)
        {
            outbox.Send(Flow, _lastResponse!);
        }
    }

    public override void OnTimer(TimeSpan now, SipOutbox outbox)
    {
        if (Due(_timerJ, now))
        {
            State = NonInviteServerState.Terminated;
            _timerJ = null;
        }
    }
}
