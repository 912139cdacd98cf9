using System.Net;
using WebRtcAsr.Rtc.Stun;

namespace WebRtcAsr.Rtc.Ice;

/// <summary>
/// An ICE-lite agent (RFC 8445 sections 2.5, 7.3, 8.2) with consent freshness (RFC 7675), sans-IO.
/// It never sends checks: it answers the full (controlling) agent's Binding requests, learns the
/// remote addresses they come from (peer-reflexive ones included), selects the highest-priority
/// nominated one, and fails when no valid check has arrived for the consent timeout.
/// Feed it with <see cref="HandleReceive"/> and <see cref="HandleTimeout"/>, then drain
/// <see cref="TryPollTransmit"/> and <see cref="TryPollEvent"/>; times are the caller's monotonic
/// microseconds. One owner; not thread-safe.
/// </summary>
public sealed class IceLiteAgent
{
    private const int TransmitSlotSize = 512;

    private readonly IceAgentOptions _options;
    private readonly byte[] _localKey;
    private readonly byte[][] _transmitBuffers;
    private readonly int[] _transmitLengths;
    private readonly IPEndPoint?[] _transmitTargets;
    private readonly Queue<IceEvent> _events = new();
    private readonly List<IceRemoteAddress> _remotes = [];
    private readonly long _createdMicros;
    private int _transmitHead;
    private int _transmitCount;
    private IceRemoteAddress? _selected;
    private string? _remoteUfrag;

    public IceLiteAgent(IceCredentials local, long nowMicros, IceAgentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(local);
        Local = local;
        _options = options ?? new IceAgentOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxRemoteAddresses, 2, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxPendingTransmits, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxPendingEvents, 1, nameof(options));
        if (_options.Software is { Length: > 127 })
        {
            throw new ArgumentException("SOFTWARE must be under 128 characters (RFC 8489 14.14)", nameof(options));
        }

        _localKey = StunIntegrity.ShortTermKey(local.Pwd);
        _createdMicros = nowMicros;
        _transmitBuffers = new byte[_options.MaxPendingTransmits][];
        for (int i = 0; i < _transmitBuffers.Length; i++)
        {
            _transmitBuffers[i] = new byte[TransmitSlotSize];
        }

        _transmitLengths = new int[_options.MaxPendingTransmits];
        _transmitTargets = new IPEndPoint?[_options.MaxPendingTransmits];
    }

    public IceCredentials Local { get; }

    public IceConnectionState State { get; private set; } = IceConnectionState.New;

    /// <summary>Where media goes: the nominated remote address, or null before nomination.</summary>
    public IPEndPoint? SelectedRemote => _selected?.EndPoint;

    /// <summary>Requests answered with success.</summary>
    public long ValidChecks { get; private set; }

    /// <summary>STUN messages dropped or answered with an error (bad fingerprint, credentials, format).</summary>
    public long RejectedMessages { get; private set; }

    /// <summary>Responses dropped because the transmit queue was full.</summary>
    public long DroppedTransmits { get; private set; }

    /// <summary>Remote addresses that sent valid checks, best known first is not implied.</summary>
    public IEnumerable<IPEndPoint> RemoteAddresses => _remotes.Select(r => r.EndPoint);

    /// <summary>
    /// The remote ufrag from the offer. Optional: requests are authenticated with our password
    /// alone, but once known, a USERNAME with another remote ufrag is refused (401).
    /// </summary>
    public void SetRemoteUfrag(string ufrag) => _remoteUfrag = ufrag;

    /// <summary>When <see cref="HandleTimeout"/> must next be called; null when no timer runs.</summary>
    public long? NextTimeoutMicros => State switch
    {
        IceConnectionState.New or IceConnectionState.Checking => _createdMicros + Micros(_options.ConnectTimeout),
        IceConnectionState.Connected => _selected!.LastValidCheckMicros + Micros(_options.ConsentTimeout),
        _ => null,
    };

    /// <summary>
    /// Handles one datagram. Returns true when it was STUN (consumed here, answered or dropped),
    /// false when it is something else for the caller to route.
    /// </summary>
    public bool HandleReceive(ReadOnlySpan<byte> datagram, IPEndPoint from, long nowMicros)
    {
        ArgumentNullException.ThrowIfNull(from);
        if (!StunMessage.IsStun(datagram))
        {
            return false;
        }

        if (State is IceConnectionState.Failed or IceConnectionState.Closed)
        {
            return true;
        }

        if (!StunMessage.TryParse(datagram, out var message, out _))
        {
            RejectedMessages++;
            return true;
        }

        if (message!.Type.Class == StunClass.Request)
        {
            HandleRequest(message, datagram, Normalize(from), nowMicros);
        }

        // Indications are keepalives; responses cannot be ours since a lite agent sends no requests.
        return true;
    }

    public void HandleTimeout(long nowMicros)
    {
        switch (State)
        {
            case IceConnectionState.New or IceConnectionState.Checking
                when nowMicros >= _createdMicros + Micros(_options.ConnectTimeout):
                SetState(IceConnectionState.Failed);
                break;
            case IceConnectionState.Connected
                when nowMicros >= _selected!.LastValidCheckMicros + Micros(_options.ConsentTimeout):
                // Consent for the selected pair expired; another nominated address with fresh
                // consent (e.g. after a NAT rebinding) takes over, otherwise the session fails.
                var alternative = FreshNominatedAlternative(nowMicros);
                if (alternative is not null)
                {
                    Select(alternative);
                }
                else
                {
                    SetState(IceConnectionState.Failed);
                }

                break;
        }
    }

    // Its own method: a lambda capturing nowMicros in HandleTimeout would allocate its closure on
    // every call there, and HandleTimeout runs in the steady state (RTCP report timer).
    private IceRemoteAddress? FreshNominatedAlternative(long nowMicros)
    {
        IceRemoteAddress? best = null;
        long consent = Micros(_options.ConsentTimeout);
        foreach (var remote in _remotes)
        {
            if (remote.Nominated && remote != _selected && nowMicros < remote.LastValidCheckMicros + consent
                && (best is null || remote.Priority > best.Priority))
            {
                best = remote;
            }
        }

        return best;
    }

    /// <summary>Copies the next queued datagram into <paramref name="destination"/>.</summary>
    public bool TryPollTransmit(Span<byte> destination, out int length, out IPEndPoint? to)
    {
        if (_transmitCount == 0)
        {
            length = 0;
            to = null;
            return false;
        }

        int slot = _transmitHead;
        length = _transmitLengths[slot];
        to = _transmitTargets[slot];
        if (destination.Length < length)
        {
            throw new ArgumentException("destination smaller than the queued datagram", nameof(destination));
        }

        _transmitBuffers[slot].AsSpan(0, length).CopyTo(destination);
        _transmitTargets[slot] = null;
        _transmitHead = (_transmitHead + 1) % _transmitBuffers.Length;
        _transmitCount--;
        return true;
    }

    public bool TryPollEvent(out IceEvent iceEvent) => _events.TryDequeue(out iceEvent);

    public void Close()
    {
        if (State != IceConnectionState.Closed)
        {
            _transmitCount = 0;
            SetState(IceConnectionState.Closed);
        }
    }

    private void HandleRequest(StunMessage request, ReadOnlySpan<byte> datagram, IPEndPoint from, long nowMicros)
    {
        if (request.Type.Method != StunMessageType.BindingMethod)
        {
            RejectedMessages++;
            QueueError(request, from, 400, "Bad Request", authenticated: false);
            return;
        }

        // FINGERPRINT is how ICE tells STUN apart from other traffic on the port (RFC 8445 7.1):
        // without a valid one the request is silently dropped.
        if (!request.VerifyFingerprint(datagram))
        {
            RejectedMessages++;
            return;
        }

        // Short-term credential checks (RFC 8489 9.1.3).
        if (!request.HasMessageIntegrity || request.Username is null)
        {
            RejectedMessages++;
            QueueError(request, from, 400, "Bad Request", authenticated: false);
            return;
        }

        if (!UsernameMatches(request.Username) || !request.VerifyMessageIntegrity(datagram, _localKey))
        {
            RejectedMessages++;
            QueueError(request, from, 401, "Unauthorized", authenticated: false);
            return;
        }

        if (request.UnknownComprehensionRequired.Count > 0)
        {
            RejectedMessages++;
            QueueError(request, from, 420, "Unknown Attribute", authenticated: true);
            return;
        }

        if (request.Priority is not { } priority)
        {
            RejectedMessages++;
            QueueError(request, from, 400, "Bad Request", authenticated: true);
            return;
        }

        // A lite agent is always controlled (RFC 8445 6.1.1). A peer that also claims the
        // controlled role gets 487 so that it switches to controlling (7.3.1.1, 7.2.5.1).
        if (request.IceControlled is not null && request.IceControlling is null)
        {
            RejectedMessages++;
            QueueError(request, from, 487, "Role Conflict", authenticated: true);
            return;
        }

        QueueSuccess(request, from);
        ValidChecks++;
        var remote = Remember(from, priority, nowMicros);
        if (State == IceConnectionState.New)
        {
            SetState(IceConnectionState.Checking);
        }

        if (request.UseCandidate)
        {
            remote.Nominated = true;
            // RFC 8445 8.1.1: the highest-priority nominated pair wins, unless the selected one
            // went quiet while the controlling agent nominates elsewhere.
            if (_selected is null || _selected == remote || remote.Priority >= _selected.Priority
                || nowMicros >= _selected.LastValidCheckMicros + Micros(_options.StaleSelectionAfter))
            {
                Select(remote);
            }
        }
    }

    private bool UsernameMatches(string username)
    {
        // USERNAME is "<our ufrag>:<their ufrag>" in requests we receive (RFC 8445 7.2.2).
        int colon = username.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !username.AsSpan(0, colon).SequenceEqual(Local.Ufrag))
        {
            return false;
        }

        return _remoteUfrag is null || username.AsSpan(colon + 1).SequenceEqual(_remoteUfrag);
    }

    private IceRemoteAddress Remember(IPEndPoint from, uint priority, long nowMicros)
    {
        var remote = _remotes.Find(r => r.EndPoint.Equals(from));
        if (remote is not null)
        {
            remote.Priority = priority;
            remote.LastValidCheckMicros = nowMicros;
            return remote;
        }

        if (_remotes.Count >= _options.MaxRemoteAddresses)
        {
            // Forget the address heard from least recently, never the selected one.
            // With at least two slots there is always one that is not the selected address.
            var stalest = _remotes.Where(r => r != _selected).MinBy(r => r.LastValidCheckMicros)!;
            _remotes.Remove(stalest);
        }

        remote = new IceRemoteAddress(from, priority, nowMicros);
        _remotes.Add(remote);
        Raise(new IceEvent(IceEventKind.RemoteAddressValidated, State, from));
        return remote;
    }

    private void Select(IceRemoteAddress remote)
    {
        if (_selected != remote)
        {
            _selected = remote;
            Raise(new IceEvent(IceEventKind.SelectedPairChanged, State, remote.EndPoint));
        }

        if (State != IceConnectionState.Connected)
        {
            SetState(IceConnectionState.Connected);
        }
    }

    private void QueueSuccess(StunMessage request, IPEndPoint from)
    {
        if (!TryReserveTransmit(from, out var buffer, out int slot))
        {
            return;
        }

        var writer = new StunMessageWriter(buffer, StunMessageType.BindingSuccess, request.TransactionId);
        writer.AddXorMappedAddress(from);
        if (_options.Software is { } software)
        {
            writer.AddSoftware(software);
        }

        writer.AddMessageIntegrity(_localKey);
        writer.AddFingerprint();
        _transmitLengths[slot] = writer.Length;
    }

    private void QueueError(StunMessage request, IPEndPoint from, int code, string reason, bool authenticated)
    {
        if (!TryReserveTransmit(from, out var buffer, out int slot))
        {
            return;
        }

        var type = new StunMessageType(request.Type.Method, StunClass.ErrorResponse);
        var writer = new StunMessageWriter(buffer, type, request.TransactionId);
        writer.AddErrorCode(code, reason);
        if (code == 420)
        {
            int count = Math.Min(request.UnknownComprehensionRequired.Count, 32);
            Span<ushort> unknown = stackalloc ushort[count];
            for (int i = 0; i < count; i++)
            {
                unknown[i] = request.UnknownComprehensionRequired[i];
            }

            writer.AddUnknownAttributes(unknown);
        }

        // Only a request that authenticated gets an integrity-protected answer (RFC 8489 9.1.3).
        if (authenticated)
        {
            writer.AddMessageIntegrity(_localKey);
        }

        writer.AddFingerprint();
        _transmitLengths[slot] = writer.Length;
    }

    private bool TryReserveTransmit(IPEndPoint to, out Span<byte> buffer, out int slot)
    {
        if (_transmitCount == _transmitBuffers.Length)
        {
            DroppedTransmits++;
            buffer = default;
            slot = -1;
            return false;
        }

        slot = (_transmitHead + _transmitCount) % _transmitBuffers.Length;
        _transmitCount++;
        _transmitTargets[slot] = to;
        buffer = _transmitBuffers[slot];
        return true;
    }

    private void SetState(IceConnectionState state)
    {
        State = state;
        Raise(new IceEvent(IceEventKind.StateChanged, state, _selected?.EndPoint));
    }

    private void Raise(IceEvent iceEvent)
    {
        if (_events.Count >= _options.MaxPendingEvents)
        {
            _events.Dequeue();
        }

        _events.Enqueue(iceEvent);
    }

    /// <summary>A dual-mode socket reports IPv4 peers as ::ffff:a.b.c.d; ICE and XOR-MAPPED-ADDRESS want the IPv4 form.</summary>
    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private static long Micros(TimeSpan span) => span.Ticks / TimeSpan.TicksPerMicrosecond;
}
