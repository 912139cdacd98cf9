using System.Net;
using System.Security.Cryptography;
using WebRtcAsr.Rtc.Ice;
using WebRtcAsr.Rtc.Stun;

namespace WebRtcAsr.Rtc.PeerConnection;

/// <summary>
/// The controlling side of ICE, just enough to talk to an ICE-lite server (RFC 8445 2.5): sends
/// Binding requests with USE-CANDIDATE (aggressive nomination) to the remote host candidates every
/// check interval until one answers, selects that one, then keeps consent fresh (RFC 7675) and
/// fails when no response arrived for the consent timeout. Gathers nothing (the lite server learns
/// our address peer-reflexively). Sans-IO; one owner. Used by the client role (tests, load generator).
/// </summary>
internal sealed class IceControllingChecks
{
    private const int SlotSize = 256;
    private const int MaxOutstanding = 8;

    private readonly string _username;
    private readonly byte[] _remoteKey;
    private readonly IReadOnlyList<IPEndPoint> _remotes;
    private readonly long _checkInterval;
    private readonly long _consentInterval;
    private readonly long _consentTimeout;
    private readonly ulong _tieBreaker = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    private readonly (StunTransactionId Id, IPEndPoint To)[] _outstanding = new (StunTransactionId, IPEndPoint)[MaxOutstanding];
    private readonly byte[] _pending = new byte[SlotSize];
    private int _pendingLength;
    private IPEndPoint? _pendingTo;
    private int _outstandingNext;
    private int _nextRemote;
    private long _nextCheckAt;
    private long _lastResponseAt;

    public IceControllingChecks(IceCredentials local, string remoteUfrag, string remotePwd, IReadOnlyList<IPEndPoint> remotes, long nowMicros,
        TimeSpan checkInterval, TimeSpan consentInterval, TimeSpan consentTimeout)
    {
        _username = remoteUfrag + ":" + local.Ufrag;
        _remoteKey = StunIntegrity.ShortTermKey(remotePwd);
        _remotes = remotes;
        _checkInterval = checkInterval.Ticks / TimeSpan.TicksPerMicrosecond;
        _consentInterval = consentInterval.Ticks / TimeSpan.TicksPerMicrosecond;
        _consentTimeout = consentTimeout.Ticks / TimeSpan.TicksPerMicrosecond;
        _nextCheckAt = nowMicros;
        _lastResponseAt = nowMicros;
        State = remotes.Count == 0 ? IceConnectionState.Failed : IceConnectionState.Checking;
    }

    public IceConnectionState State { get; private set; }

    public IPEndPoint? Selected { get; private set; }

    public long? NextTimeoutMicros => State is IceConnectionState.Checking or IceConnectionState.Connected
        ? Math.Min(_nextCheckAt, _lastResponseAt + _consentTimeout)
        : null;

    public void HandleTimeout(long nowMicros)
    {
        if (State is not (IceConnectionState.Checking or IceConnectionState.Connected))
        {
            return;
        }

        if (nowMicros >= _lastResponseAt + _consentTimeout)
        {
            State = IceConnectionState.Failed;
            return;
        }

        if (nowMicros < _nextCheckAt)
        {
            return;
        }

        var to = Selected ?? _remotes[_nextRemote++ % _remotes.Count];
        QueueRequest(to);
        _nextCheckAt = nowMicros + (Selected is null ? _checkInterval : _consentInterval);
    }

    /// <summary>Handles a STUN datagram; false when it is not STUN.</summary>
    public bool HandleReceive(ReadOnlySpan<byte> datagram, IPEndPoint from, long nowMicros)
    {
        if (!StunMessage.IsStun(datagram))
        {
            return false;
        }

        if (!StunMessage.TryParse(datagram, out var message, out _) || message!.Type.Class != StunClass.SuccessResponse
            || !message.HasMessageIntegrity || !message.VerifyMessageIntegrity(datagram, _remoteKey))
        {
            return true;
        }

        int index = Array.FindIndex(_outstanding, o => o.To is not null && o.Id == message.TransactionId);
        if (index < 0 || !_outstanding[index].To.Equals(from))
        {
            return true;
        }

        _outstanding[index] = default;
        _lastResponseAt = nowMicros;
        if (Selected is null)
        {
            // Aggressive nomination: the request carried USE-CANDIDATE, so its success selects the pair.
            Selected = from;
            State = IceConnectionState.Connected;
            _nextCheckAt = nowMicros + _consentInterval;
        }

        return true;
    }

    public bool TryPollTransmit(Span<byte> destination, out int length, out IPEndPoint? to)
    {
        if (_pendingTo is null)
        {
            length = 0;
            to = null;
            return false;
        }

        _pending.AsSpan(0, _pendingLength).CopyTo(destination);
        length = _pendingLength;
        to = _pendingTo;
        _pendingTo = null;
        return true;
    }

    public void Close() => State = IceConnectionState.Closed;

    private void QueueRequest(IPEndPoint to)
    {
        var id = StunTransactionId.NewRandom();
        var writer = new StunMessageWriter(_pending, StunMessageType.BindingRequest, id);
        writer.AddUsername(_username);
        writer.AddPriority(0x6E0001FF); // peer-reflexive type preference 110 (RFC 8445 7.1.1)
        writer.AddIceControlling(_tieBreaker);
        writer.AddUseCandidate();
        writer.AddMessageIntegrity(_remoteKey);
        writer.AddFingerprint();
        _pendingLength = writer.Length;
        _pendingTo = to;
        _outstanding[_outstandingNext] = (id, to);
        _outstandingNext = (_outstandingNext + 1) % MaxOutstanding;
    }
}
