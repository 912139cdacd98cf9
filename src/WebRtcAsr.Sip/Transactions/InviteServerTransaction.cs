namespace WebRtcAsr.Sip.Transactions;

/// <summary>States of the INVITE server transaction (RFC 3261 §17.2.1, with RFC 6026's Accepted).</summary>
public enum InviteServerState
{
    Proceeding,
    Completed,
    Confirmed,
    Accepted,
    Terminated,
}

/// <summary>
/// The INVITE server transaction (RFC 3261 §17.2.1 Figure 7, as amended by RFC 6026). Provisional responses
/// are resent on request retransmissions; a 3xx–6xx final response is retransmitted on Timer G (T1 doubling
/// to T2, unreliable transports only) until ACK or Timer H (64·T1); after ACK, Timer I (T4) absorbs ACK
/// retransmissions. A 2xx moves to Accepted for 64·T1 (Timer L), where retransmitted INVITEs are absorbed:
/// the dialog retransmits the 2xx itself until its ACK.
/// </summary>
public sealed class InviteServerTransaction(SipTransactionKey key, SipFlow flow, SipTimerSettings timers)
    : SipTransaction(key, flow, timers)
{
    private byte[]? _lastResponse;
    private TimeSpan? _timerG;
    private TimeSpan _intervalG;
    private TimeSpan? _timerH;
    private TimeSpan? _timerI;
    private TimeSpan? _timerL;

    public InviteServerState State { get; private set; } = InviteServerState.Proceeding;

    /// <summary>Status of the last response sent, 0 before any.</summary>
    public int LastStatus { get; private set; }

    /// <summary>True when Timer H fired: a non-2xx final response was never acknowledged.</summary>
    public bool AckTimedOut { get; private set; }

    public override bool IsTerminated => State == InviteServerState.Terminated;

    public override TimeSpan? NextDue => Earliest(Earliest(_timerG, _timerH), Earliest(_timerI, _timerL));

    /// <summary>Sends a response from the TU. Returns false when the state admits none (already final).</summary>
    public bool Respond(int status, byte[] response, TimeSpan now, SipOutbox outbox)
    {
        if (State != InviteServerState.Proceeding)
        {
            return false;
        }

        _lastResponse = response;
        LastStatus = status;
        outbox.Send(Flow, response);
        if (status < 200)
        {
            return true;
        }

        if (status < 300)
        {
            State = InviteServerState.Accepted;
            _timerL = now + Timers.TransactionTimeout;
            return true;
        }

        State = InviteServerState.Completed;
        if (!Flow.IsReliable)
        {
            _intervalG = Timers.T1;
            _timerG = now + _intervalG;
        }

        _timerH = now + Timers.TransactionTimeout;
        return true;
    }

    /// <summary>The same INVITE arrived again: resend the last provisional or final (non-2xx) response.</summary>
    public void OnRetransmission(SipOutbox outbox)
    {
        if (State is InviteServerState.Proceeding or InviteServerState.Completed && _lastResponse is not null)
        {
            outbox.Send(Flow, _lastResponse);
        }
    }

    /// <summary>An ACK matched this transaction; true when it was for our non-2xx final response (absorbed here).</summary>
    public bool OnAck(TimeSpan now)
    {
        if (State == InviteServerState.Confirmed)
        {
            return true;
        }

        if (State != InviteServerState.Completed)
        {
            return false;
        }

        State = InviteServerState.Confirmed;
        _timerG = null;
        _timerH = null;
        _timerI = now + (Flow.IsReliable ? TimeSpan.Zero : Timers.T4);
        return true;
    }

    public override void OnTimer(TimeSpan now, SipOutbox outbox)
    {
        if (Due(_timerH, now))
        {
            AckTimedOut = true;
            Terminate();
            return;
        }

        if (Due(_timerG, now))
        {
            outbox.Send(Flow, _lastResponse!);
            _intervalG = Timers.Backoff(_intervalG);
            _timerG = now + _intervalG;
        }

        if (Due(_timerI, now) || Due(_timerL, now))
        {
            Terminate();
        }
    }

    private void Terminate()
    {
        State = InviteServerState.Terminated;
        _timerG = _timerH = _timerI = _timerL = null;
    }
}
