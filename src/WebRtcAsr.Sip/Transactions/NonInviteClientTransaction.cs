namespace WebRtcAsr.Sip.Transactions;

/// <summary>States of the non-INVITE client transaction (RFC 3261 §17.1.2).</summary>
public enum NonInviteClientState
{
    Trying,
    Proceeding,
    Completed,
    Terminated,
}

/// <summary>
/// The non-INVITE client transaction (RFC 3261 §17.1.2 Figure 6), used for the BYEs we send: Timer E
/// retransmits the request (T1 doubling to T2 while Trying, T2 once Proceeding; unreliable transports only),
/// Timer F (64·T1) gives up, Timer K (T4, zero on reliable transports) absorbs response retransmissions.
/// </summary>
public sealed class NonInviteClientTransaction : SipTransaction
{
    private readonly byte[] _request;
    private TimeSpan? _timerE;
    private TimeSpan _intervalE;
    private TimeSpan? _timerF;
    private TimeSpan? _timerK;

    /// <summary>Creates the transaction and sends the request.</summary>
    public NonInviteClientTransaction(SipTransactionKey key, SipFlow flow, SipTimerSettings timers, byte[] request, TimeSpan now, SipOutbox outbox)
        : base(key, flow, timers)
    {
        _request = request;
        outbox.Send(flow, request);
        if (!flow.IsReliable)
        {
            _intervalE = timers.T1;
            _timerE = now + _intervalE;
        }

        _timerF = now + timers.TransactionTimeout;
    }

    public NonInviteClientState State { get; private set; } = NonInviteClientState.Trying;

    /// <summary>Final status received, 408 after Timer F, 0 while pending.</summary>
    public int FinalStatus { get; private set; }

    public override bool IsTerminated => State == NonInviteClientState.Terminated;

    public override TimeSpan? NextDue => Earliest(Earliest(_timerE, _timerF), _timerK);

    /// <summary>Feeds a response that matched this transaction.</summary>
    public void OnResponse(int status, TimeSpan now)
    {
        if (State is NonInviteClientState.Completed or NonInviteClientState.Terminated)
        {
            return;
        }

        if (status < 200)
        {
            State = NonInviteClientState.Proceeding;
            return;
        }

        FinalStatus = status;
        State = NonInviteClientState.Completed;
        _timerE = null;
        _timerF = null;
        _timerK = now + (Flow.IsReliable ? TimeSpan.Zero : Timers.T4);
    }

    public override void OnTimer(TimeSpan now, SipOutbox outbox)
    {
        if (Due(_timerF, now))
        {
            FinalStatus = 408;
            State = NonInviteClientState.Terminated;
            _timerE = _timerF = _timerK = null;
            return;
        }

        if (Due(_timerE, now))
        {
            outbox.Send(Flow, _request);
            _intervalE = State == NonInviteClientState.Proceeding ? Timers.T2 : Timers.Backoff(_intervalE);
            _timerE = now + _intervalE;
        }

        if (Due(_timerK, now))
        {
            State = NonInviteClientState.Terminated;
            _timerK = null;
        }
    }
}
