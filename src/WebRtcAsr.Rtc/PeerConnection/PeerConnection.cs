using System.Buffers;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using WebRtcAsr.Rtc.Certificates;
using WebRtcAsr.Rtc.Common;
using WebRtcAsr.Rtc.DataChannels;
using WebRtcAsr.Rtc.Dtls;
using WebRtcAsr.Rtc.Ice;
using WebRtcAsr.Rtc.Sctp;
using WebRtcAsr.Rtc.Sdp;
using WebRtcAsr.Rtc.Srtp;

namespace WebRtcAsr.Rtc.PeerConnection;

/// <summary>
/// One WebRTC peer as a sans-IO state machine: ICE (lite, or controlling for the client role),
/// DTLS-SRTP, SRTP/SRTCP and SCTP data channels on one 5-tuple, tied together the way str0m's
/// <c>Rtc</c> does it. The server role is created from a remote offer with <see cref="TryAccept"/>
/// (its <see cref="LocalDescription"/> is the answer); the client role (tests, load generation)
/// with <see cref="CreateOffer"/> and <see cref="SetRemoteAnswer"/>.
/// Feed it with <see cref="HandleReceive"/> and <see cref="HandleTimeout"/> (at
/// <see cref="NextTimeoutMicros"/>, the earliest of all its timers), then drain
/// <see cref="TryPollTransmit"/> and <see cref="TryPollEvent"/>. Times are the caller's monotonic
/// microseconds. No sockets, threads or clock reads here; one owner; not thread-safe.
/// </summary>
public sealed partial class PeerConnection : IDisposable
{
    /// <summary>The smallest destination buffer <see cref="TryPollTransmit"/> accepts.</summary>
    public const int MaxDatagramLength = 2048;

    private const int SctpMtu = 1200;
    private const int MaxValidatedAddresses = 32;

    private readonly PeerConnectionOptions _options;
    private readonly Queue<PeerConnectionEvent> _events = new();
    private readonly Queue<(byte[] Buffer, int Length)> _rtpOut = new();
    private readonly HashSet<IPEndPoint> _validated = [];
    private readonly byte[] _sctpScratch = new byte[SctpMtu];
    private IceLiteAgent? _ice;
    private IceControllingChecks? _checks;
    private IceConnectionState _checksState = IceConnectionState.New;
    private DtlsEndpoint? _dtls;
    private DataChannelTransport? _sctp;
    private SrtpContext? _srtpIn;
    private SrtpContext? _srtpOut;
    private IPEndPoint? _remote;
    private IPEndPoint? _dtlsSource;
    private byte[]? _lastEventBuffer;
    private long _remoteMaxMessageSize = 65536;
    private bool _closing;
    private long _closeDeadline = long.MaxValue;
    private bool _disposed;

    private PeerConnection(PeerConnectionOptions options, bool isServer, IceCredentials local, long nowMicros)
    {
        _options = options;
        IsServer = isServer;
        LocalCredentials = local;
        CreatedAtMicros = nowMicros;
    }

    /// <summary>True for the server role (ICE-lite, DTLS server, SCTP responder).</summary>
    public bool IsServer { get; }

    public PeerConnectionState State { get; private set; } = PeerConnectionState.New;

    /// <summary>Why the peer failed or closed.</summary>
    public string? StateReason { get; private set; }

    /// <summary>Our SDP: the answer (server role) or the offer (client role).</summary>
    public string LocalDescription { get; private set; } = "";

    /// <summary>Our ICE credentials; the UDP driver routes unknown addresses by <see cref="IceCredentials.Ufrag"/>.</summary>
    public IceCredentials LocalCredentials { get; }

    /// <summary>What was agreed with the offer (codecs and payload types, audio-level id, data channel); server role only.</summary>
    public SdpNegotiationResult? Negotiation { get; private set; }

    /// <summary>Where media and DTLS go: the ICE-selected remote address.</summary>
    public IPEndPoint? RemoteAddress => _remote ?? _dtlsSource;

    public PeerConnectionCounters Counters { get; } = new();

    public long CreatedAtMicros { get; }

    /// <summary>The SCTP association, for tests and metrics.</summary>
    internal SctpAssociation? Sctp => _sctp?.Association;

    /// <summary>The largest message the peer accepts (its a=max-message-size; 64 KiB when it gave none, RFC 8841 6).</summary>
    public long RemoteMaxMessageSize => _remoteMaxMessageSize;

    /// <summary>SCTP counters (packets, retransmissions, drops) when there is a data channel transport; for metrics.</summary>
    public SctpCounters? SctpCounters => _sctp?.Association.Counters;

    /// <summary>Data channel messages dropped (unknown stream or PPID, malformed DCEP) and the last reason; for diagnostics.</summary>
    public (long Count, string? LastReason) DataChannelDrops => (_sctp?.MessagesDropped ?? 0, _sctp?.LastDropReason);

    /// <summary>SCTP association state, for diagnostics.</summary>
    public SctpAssociationState? SctpState => _sctp?.Association.State;

    /// <summary>When the state became Connected (for the offer-to-connected figure); null before.</summary>
    public long? ConnectedAtMicros { get; private set; }

    /// <summary>Open (or opening, or closing) data channels.</summary>
    public IReadOnlyCollection<DataChannel> DataChannels => _sctp?.Channels ?? [];

    /// <summary>True when the offer/answer included a data channel (SCTP) section.</summary>
    public bool HasDataChannelTransport => _sctp is not null;

    /// <summary>True when the peer is finished (Closed or Failed); drain <see cref="TryPollTransmit"/> once more (close_notify) and drop it.</summary>
    public bool IsFinished => State is PeerConnectionState.Closed or PeerConnectionState.Failed;

    /// <summary>
    /// Server role: answers <paramref name="offerSdp"/> (ICE-lite, setup:passive, our fingerprint and
    /// host candidates, end-of-candidates) or refuses it with a reason.
    /// </summary>
    public static bool TryAccept(string offerSdp, PeerConnectionOptions options, long nowMicros, out PeerConnection? peer, out string? error)
    {
        ArgumentNullException.ThrowIfNull(offerSdp);
        ArgumentNullException.ThrowIfNull(options);
        peer = null;
        if (offerSdp.Length > options.MaxSdpLength)
        {
            error = $"offer is {offerSdp.Length} characters; the limit is {options.MaxSdpLength}";
            return false;
        }

        var local = IceCredentials.Generate();
        var result = SdpNegotiator.Negotiate(offerSdp, new SdpAnswerOptions
        {
            IceUfrag = local.Ufrag,
            IcePwd = local.Pwd,
            Fingerprint = new SdpFingerprint(options.Certificate.FingerprintSha256.Algorithm, options.Certificate.FingerprintSha256.Value.ToArray()),
            Candidates = options.HostCandidates,
            AnnouncedAddress = options.PublicAddress,
            SessionId = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) >> 2,
            MaxMessageSize = options.MaxMessageSize,
        });
        if (!result.Success)
        {
            error = result.Error;
            return false;
        }

        if (!TryPickFingerprint(result.RemoteFingerprints.Select(f => f.ToValue()), out var expected))
        {
            error = "offer has no fingerprint with a supported hash (sha-256, sha-384, sha-512)";
            return false;
        }

        var pc = new PeerConnection(options, isServer: true, local, nowMicros)
        {
            Negotiation = result,
            LocalDescription = result.Answer!,
        };
        pc._ice = new IceLiteAgent(local, nowMicros, options.Ice);
        pc._ice.SetRemoteUfrag(result.RemoteIceUfrag);
        pc._dtls = new DtlsServer(options.Certificate, expected!, options.Dtls);
        if (result.DataChannelMid is not null)
        {
            pc._remoteMaxMessageSize = result.RemoteMaxMessageSize ?? 65536;
            pc._sctp = pc.NewDataChannelTransport(result.RemoteSctpPort ?? 5000);
        }

        peer = pc;
        error = null;
        return true;
    }

    /// <summary>The earliest time <see cref="HandleTimeout"/> must run (ICE, DTLS, SCTP, RTCP reports, close); null when no timer runs.</summary>
    public long? NextTimeoutMicros
    {
        get
        {
            if (State is PeerConnectionState.Closed or PeerConnectionState.Failed)
            {
                return null;
            }

            long next = _closeDeadline;
            if (State is PeerConnectionState.New or PeerConnectionState.Connecting)
            {
                next = Math.Min(next, ConnectDeadline);
            }

            next = Math.Min(next, _ice?.NextTimeoutMicros ?? long.MaxValue);
            next = Math.Min(next, _checks?.NextTimeoutMicros ?? long.MaxValue);
            next = Math.Min(next, _dtls?.NextTimeoutMicros ?? long.MaxValue);
            next = Math.Min(next, _sctp?.NextTimeoutMicros ?? long.MaxValue);
            next = Math.Min(next, ReceiverReportDeadline);
            return next == long.MaxValue ? null : next;
        }
    }

    /// <summary>Handles one datagram from <paramref name="from"/>, demultiplexed by its first byte (RFC 7983).</summary>
    public void HandleReceive(ReadOnlySpan<byte> datagram, IPEndPoint from, long nowMicros)
    {
        ArgumentNullException.ThrowIfNull(from);
        if (State is PeerConnectionState.Closed or PeerConnectionState.Failed)
        {
            return;
        }

        Counters.DatagramsReceived++;
        if (from.Address.IsIPv4MappedToIPv6)
        {
            from = new IPEndPoint(from.Address.MapToIPv4(), from.Port);
        }

        switch (PacketClassifier.Classify(datagram))
        {
            case PacketKind.Stun:
                _ice?.HandleReceive(datagram, from, nowMicros);
                _checks?.HandleReceive(datagram, from, nowMicros);
                break;
            case PacketKind.Dtls when IsValidated(from):
                _dtlsSource = from;
                _dtls?.HandleReceive(datagram, nowMicros);
                break;
            case PacketKind.Rtp when IsValidated(from):
                ReceiveRtp(datagram, nowMicros);
                break;
            case PacketKind.Rtcp when IsValidated(from):
                ReceiveRtcp(datagram, nowMicros);
                break;
            case PacketKind.Dtls or PacketKind.Rtp or PacketKind.Rtcp:
                Counters.DroppedUnvalidatedSource++;
                break;
            default:
                Counters.DroppedUnknown++;
                break;
        }

        Pump(nowMicros);
    }

    /// <summary>Runs every timer that is due.</summary>
    public void HandleTimeout(long nowMicros)
    {
        if (State is PeerConnectionState.Closed or PeerConnectionState.Failed)
        {
            return;
        }

        if (State is PeerConnectionState.New or PeerConnectionState.Connecting && nowMicros >= ConnectDeadline)
        {
            Fail($"not connected within {_options.ConnectTimeout.TotalSeconds:0.#} s (ICE {(_remote is null ? "not nominated" : "connected")}, DTLS {_dtls?.State.ToString() ?? "not started"})");
            Pump(nowMicros);
            return;
        }

        _ice?.HandleTimeout(nowMicros);
        _checks?.HandleTimeout(nowMicros);
        _dtls?.HandleTimeout(nowMicros);
        _sctp?.HandleTimeout(nowMicros);
        SendReceiverReportIfDue(nowMicros);
        if (_closing && nowMicros >= _closeDeadline)
        {
            _sctp?.Abort("close timed out");
            Pump(nowMicros);
            FinishClose("closed locally (SCTP shutdown timed out)", nowMicros);
        }

        Pump(nowMicros);
    }

    /// <summary>
    /// Copies the next datagram to send into <paramref name="destination"/> (at least
    /// <see cref="MaxDatagramLength"/> bytes) with where it goes: ICE responses to the address the
    /// check came from; DTLS, SCTP and media to the ICE-selected address.
    /// </summary>
    public bool TryPollTransmit(Span<byte> destination, out int length, out IPEndPoint? to)
    {
        if (destination.Length < MaxDatagramLength)
        {
            throw new ArgumentException($"destination must hold {MaxDatagramLength} bytes", nameof(destination));
        }

        if (_ice is not null && _ice.TryPollTransmit(destination, out length, out to))
        {
            return true;
        }

        if (_checks is not null && _checks.TryPollTransmit(destination, out length, out to))
        {
            return true;
        }

        to = RemoteAddress;
        if (to is not null && _dtls is not null && _dtls.PollTransmit(destination, out length))
        {
            return true;
        }

        if (to is not null && TryTakeRtcp(destination, out length))
        {
            return true;
        }

        if (to is not null && _rtpOut.TryDequeue(out var rtp))
        {
            rtp.Buffer.AsSpan(0, rtp.Length).CopyTo(destination);
            length = rtp.Length;
            ArrayPool<byte>.Shared.Return(rtp.Buffer);
            Counters.RtpSent++;
            return true;
        }

        length = 0;
        to = null;
        return false;
    }

    /// <summary>Takes the next event. An AudioRtp event's data stays valid until the next call.</summary>
    public bool TryPollEvent(out PeerConnectionEvent peerEvent)
    {
        if (_lastEventBuffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_lastEventBuffer);
            _lastEventBuffer = null;
        }

        if (!_events.TryDequeue(out peerEvent))
        {
            return false;
        }

        if (peerEvent.Kind == PeerConnectionEventKind.AudioRtp && MemoryMarshal.TryGetArray(peerEvent.Data, out var segment))
        {
            _lastEventBuffer = segment.Array;
        }

        return true;
    }

    /// <summary>
    /// Closes gracefully: SCTP SHUTDOWN (ABORT after <see cref="PeerConnectionOptions.CloseTimeout"/>),
    /// then DTLS close_notify. The state becomes Closed once that is done; keep draining transmits.
    /// </summary>
    public void Close(long nowMicros)
    {
        if (State is PeerConnectionState.Closed or PeerConnectionState.Failed || _closing)
        {
            return;
        }

        _closing = true;
        if (_sctp is { Association.State: SctpAssociationState.Established } && _dtls?.State == DtlsEndpointState.Connected)
        {
            _sctp.Shutdown(nowMicros);
            _closeDeadline = nowMicros + Micros(_options.CloseTimeout);
            Pump(nowMicros);
        }
        else
        {
            _sctp?.Abort("closed");
            Pump(nowMicros);
            FinishClose("closed locally", nowMicros);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _dtls?.Dispose();
        _srtpIn?.Dispose();
        _srtpOut?.Dispose();
        while (TryPollEvent(out _))
        {
            // returns pooled buffers
        }

        while (_rtpOut.TryDequeue(out var rtp))
        {
            ArrayPool<byte>.Shared.Return(rtp.Buffer);
        }
    }

    /// <summary>Moves work between the layers until nothing changes: ICE events, DTLS events, SCTP events and packets.</summary>
    private void Pump(long nowMicros)
    {
        bool progress;
        do
        {
            progress = false;
            DrainIce(nowMicros);
            if (_dtls is not null)
            {
                while (_dtls.PollEvent(out var dtlsEvent))
                {
                    progress = true;
                    OnDtlsEvent(dtlsEvent, nowMicros);
                }
            }

            if (_sctp is not null)
            {
                // Events only while there is room: SCTP keeps the rest and its receive window pushes back.
                while (_events.Count < _options.MaxPendingEvents && _sctp.PollEvent(out var channelEvent))
                {
                    progress = true;
                    OnDataChannelEvent(channelEvent, nowMicros);
                }

                if (_dtls?.State == DtlsEndpointState.Connected)
                {
                    int n;
                    while ((n = _sctp.PollTransmit(_sctpScratch, nowMicros)) > 0)
                    {
                        progress = true;
                        if (!_dtls.Send(_sctpScratch.AsSpan(0, n)))
                        {
                            Counters.DroppedSctpPackets++;
                        }
                    }
                }
            }
        }
        while (progress);
    }

    private void DrainIce(long nowMicros)
    {
        if (_ice is not null)
        {
            while (_ice.TryPollEvent(out var iceEvent))
            {
                switch (iceEvent.Kind)
                {
                    case IceEventKind.RemoteAddressValidated:
                        Validate(iceEvent.Remote!);
                        break;
                    case IceEventKind.SelectedPairChanged:
                        _remote = iceEvent.Remote;
                        break;
                    case IceEventKind.StateChanged when iceEvent.State is IceConnectionState.Checking or IceConnectionState.Connected:
                        if (State == PeerConnectionState.New)
                        {
                            SetState(PeerConnectionState.Connecting, null);
                        }

                        break;
                    case IceEventKind.StateChanged when iceEvent.State == IceConnectionState.Failed:
                        Fail(_remote is null ? "ICE: no nominated pair before the connect timeout" : "ICE: consent expired (no valid check for the consent timeout)");
                        break;
                }
            }
        }

        if (_checks is not null && _checks.State != _checksState)
        {
            _checksState = _checks.State;
            if (_checksState == IceConnectionState.Connected)
            {
                _remote = _checks.Selected;
                Validate(_remote!);
                if (_dtls is DtlsClient client)
                {
                    client.Start(nowMicros);
                }
            }
            else if (_checksState == IceConnectionState.Failed)
            {
                Fail("ICE: no response to connectivity or consent checks");
            }
        }
    }

    private void Validate(IPEndPoint remote)
    {
        if (_validated.Count >= MaxValidatedAddresses)
        {
            // ICE itself remembers a bounded set; keep ours bounded too, never losing the selected one.
            _validated.Clear();
            if (_remote is not null)
            {
                _validated.Add(_remote);
            }
        }

        if (_validated.Add(remote))
        {
            Raise(new PeerConnectionEvent(PeerConnectionEventKind.RemoteAddressValidated, State, remote: remote));
        }
    }

    private bool IsValidated(IPEndPoint from) => from.Equals(_remote) || _validated.Contains(from);

    private void OnDtlsEvent(in DtlsEvent dtlsEvent, long nowMicros)
    {
        switch (dtlsEvent.Kind)
        {
            case DtlsEventKind.Connected:
                var keys = dtlsEvent.Connection?.SrtpKeys;
                if (keys is null)
                {
                    Fail("DTLS: no SRTP profile negotiated");
                    return;
                }

                var material = SrtpKeyingMaterial.FromDtlsExport(keys.Exported, (SrtpProfile)(ushort)keys.Profile, IsServer);
                _srtpIn = material.CreateInboundContext();
                _srtpOut = material.CreateOutboundContext();
                ConnectedAtMicros = nowMicros;
                SetState(PeerConnectionState.Connected, null);
                StartReceiverReports(nowMicros);
                if (!IsServer)
                {
                    _sctp?.Connect(nowMicros);
                }

                break;
            case DtlsEventKind.ApplicationData:
                Counters.DtlsApplicationDataReceived++;
                _sctp?.HandleReceive(dtlsEvent.Data.Span, nowMicros);
                break;
            case DtlsEventKind.Closed when !_closing:
                _sctp?.Abort("DTLS closed by the peer"); // ends the channels (their Closed events follow)
                _ice?.Close();
                _checks?.Close();
                SetState(PeerConnectionState.Closed, "closed by the peer (DTLS close_notify)");
                break;
            case DtlsEventKind.Failed:
                Fail("DTLS: " + dtlsEvent.Reason);
                break;
        }
    }

    private void ReceiveRtp(ReadOnlySpan<byte> datagram, long nowMicros)
    {
        if (_srtpIn is null)
        {
            Counters.DroppedBeforeKeys++;
            return;
        }

        if (_events.Count >= _options.MaxPendingEvents)
        {
            Counters.DroppedEvents++;
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(datagram.Length);
        datagram.CopyTo(buffer);
        var status = _srtpIn.UnprotectRtp(buffer.AsSpan(0, datagram.Length), out var header, out int payloadLength);
        if (status != SrtpStatus.Ok)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Counters.DroppedSrtp++;
            return;
        }

        Counters.RtpReceived++;
        _reporter?.OnRtp(header.SequenceNumber, header.Timestamp, header.Ssrc, nowMicros);
        _events.Enqueue(new PeerConnectionEvent(PeerConnectionEventKind.AudioRtp, State,
            data: buffer.AsMemory(0, header.HeaderLength + payloadLength), rtp: header));
    }

    private void ReceiveRtcp(ReadOnlySpan<byte> datagram, long nowMicros)
    {
        if (_srtpIn is null)
        {
            Counters.DroppedBeforeKeys++;
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(datagram.Length);
        datagram.CopyTo(buffer);
        var status = _srtpIn.UnprotectRtcp(buffer.AsSpan(0, datagram.Length), out int rtcpLength);
        if (status == SrtpStatus.Ok)
        {
            Counters.RtcpReceived++;
            OnRtcp(buffer.AsSpan(0, rtcpLength), nowMicros);
        }
        else
        {
            Counters.DroppedSrtp++;
        }

        ArrayPool<byte>.Shared.Return(buffer);
    }

    private void FinishClose(string reason, long nowMicros)
    {
        Pump(nowMicros);
        _closeDeadline = long.MaxValue;
        _sctp?.Abort("closing");
        Pump(nowMicros);
        _dtls?.Close();
        _ice?.Close();
        _checks?.Close();
        SetState(PeerConnectionState.Closed, reason);
        while (_dtls is not null && _dtls.PollEvent(out _))
        {
            // the endpoint's own Closed event: already reported
        }
    }

    private void Fail(string reason)
    {
        if (State is PeerConnectionState.Closed or PeerConnectionState.Failed)
        {
            return;
        }

        _ice?.Close();
        _checks?.Close();
        _sctp?.Abort("peer connection failed"); // ends the channels (their Closed events follow)
        _closeDeadline = long.MaxValue;
        SetState(PeerConnectionState.Failed, reason);
    }

    private void SetState(PeerConnectionState state, string? reason)
    {
        if (State == state)
        {
            return;
        }

        State = state;
        StateReason = reason;
        Raise(new PeerConnectionEvent(PeerConnectionEventKind.StateChanged, state, reason));
    }

    /// <summary>Control events always queue (they are few and bounded by states and channels); audio is dropped when full.</summary>
    private void Raise(in PeerConnectionEvent peerEvent) => _events.Enqueue(peerEvent);

    private DataChannelTransport NewDataChannelTransport(int remotePort) => new(isDtlsClient: !IsServer, new DataChannelTransportOptions
    {
        MaxChannels = _options.MaxDataChannels,
        AcceptOpenOnEitherParity = IsServer, // aiortc 1.4 opens odd streams as DTLS client
        Sctp = new SctpOptions
        {
            LocalPort = 5000,
            RemotePort = (ushort)remotePort,
            Mtu = SctpMtu,
            MaxMessageSize = _options.MaxMessageSize,
            RtoMinMicros = _options.SctpRtoMinMicros,
            RtoInitialMicros = _options.SctpRtoInitialMicros,
            DelayedAckMicros = _options.SctpDelayedAckMicros,
        },
    });

    private static bool TryPickFingerprint(IEnumerable<string> sdpValues, out CertificateFingerprint? fingerprint)
    {
        fingerprint = null;
        foreach (string value in sdpValues)
        {
            if (CertificateFingerprint.TryParse(value, out var parsed, out _)
                && (fingerprint is null || parsed!.Algorithm == "sha-256"))
            {
                fingerprint = parsed;
            }
        }

        return fingerprint is not null;
    }

    private long ConnectDeadline => CreatedAtMicros + Micros(_options.ConnectTimeout);

    private static long Micros(TimeSpan span) => span.Ticks / TimeSpan.TicksPerMicrosecond;
}
