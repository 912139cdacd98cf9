using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using WebRtcAsr.Rtc.Certificates;
using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.Rtc.Transport;
using WebRtcAsr.Server.Configuration;

namespace WebRtcAsr.Server.Signaling;

/// <summary>
/// Owns the WebRTC side of the server: the DTLS certificate, the one UDP transport, and which
/// signaling connection owns which peers (so a hang-up or a dropped connection removes them).
/// Peer events go to the application's <see cref="IPeerEventHandler"/> on each peer's worker.
/// </summary>
public sealed class WebRtcPeerHost : IHostedService, IAsyncDisposable, IPeerEventHandler
{
    private readonly ServerOptions _options;
    private readonly IPeerEventHandler _application;
    private readonly ILogger<WebRtcPeerHost> _logger;
    private readonly ILogger<UdpPeerTransport> _transportLogger;
    private readonly CancellationToken _stopping;
    // Who owns which peer; signaling-rate bookkeeping (never per packet), so a plain lock.
    private readonly Lock _ownership = new();
    private readonly Dictionary<string, string> _ownerOfPeer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _peersOfOwner = new(StringComparer.Ordinal);
    private DtlsCertificate? _certificate;
    private UdpPeerTransport? _transport;
    private PeerConnectionOptions? _peerOptions;

    public WebRtcPeerHost(IOptions<ServerOptions> options, IPeerEventHandler application, ILogger<WebRtcPeerHost> logger, ILogger<UdpPeerTransport> transportLogger,
        IHostApplicationLifetime? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _application = application;
        _logger = logger;
        _transportLogger = transportLogger;
        _stopping = lifetime?.ApplicationStopping ?? CancellationToken.None;
    }

    /// <summary>The transport (for metrics and tests); null before start.</summary>
    public UdpPeerTransport? Transport => _transport;

    /// <summary>The candidates answers announce.</summary>
    public IReadOnlyList<IPEndPoint> HostCandidates => _peerOptions?.HostCandidates ?? [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _certificate = LoadCertificate();
        var bind = new IPEndPoint(IPAddress.Parse(_options.BindAddress), _options.UdpPort);
        _transport = new UdpPeerTransport(new UdpPeerTransportOptions
        {
            LocalEndPoint = bind,
            MaxPeers = _options.Limits.MaxPeers,
            MaxPendingHandshakes = _options.Limits.MaxPendingHandshakes,
            PeerQueueLength = _options.Limits.PeerQueueLength,
        }, logger: _transportLogger);
        _peerOptions = new PeerConnectionOptions
        {
            Certificate = _certificate,
            HostCandidates = Candidates(_transport.LocalEndPoint),
            PublicAddress = string.IsNullOrEmpty(_options.PublicAddress) ? null : IPAddress.Parse(_options.PublicAddress),
            MaxSdpLength = _options.Limits.MaxOfferLength,
        };
        _transport.Start();
#pragma warning disable CA1848 // once at start
        _logger.LogInformation("WebRTC UDP on {Endpoint}, candidates {Candidates}, certificate {Fingerprint}",
            _transport.LocalEndPoint, string.Join(", ", _peerOptions.HostCandidates), _certificate.FingerprintSha256);
#pragma warning restore CA1848
        return Task.CompletedTask;
    }

    /// <summary>
    /// Answers an offer for <paramref name="owner"/> (a signaling connection id) and starts serving
    /// the peer; false with a reason the client can be shown.
    /// </summary>
    public bool TryAccept(string offerSdp, string owner, out OfferAnswer? answer, out string? error) =>
        TryAccept(offerSdp, owner, prepare: null, out answer, out _, out error);

    /// <summary>
    /// Answers an offer like <see cref="TryAccept(string, string, out OfferAnswer?, out string?)"/>, calling
    /// <paramref name="prepare"/> with the new peer before the transport serves it (so the application can bind its
    /// state before the first event; it returns an error to refuse the peer), and returns the served peer.
    /// </summary>
    public bool TryAccept(string offerSdp, string owner, Func<PeerConnection, string?>? prepare, out OfferAnswer? answer, out TransportPeer? served, out string? error)
    {
        ArgumentNullException.ThrowIfNull(offerSdp);
        answer = null;
        served = null;
        if (_transport is null || _peerOptions is null)
        {
            error = "the WebRTC transport is not running";
            return false;
        }

        if (!PeerConnection.TryAccept(offerSdp, _peerOptions, _transport.Clock.NowMicros, out var peer, out error))
        {
            return false;
        }

        // Owner first: the peer may finish (and be untracked) as soon as the transport serves it.
        string id = peer!.LocalCredentials.Ufrag;
        lock (_ownership)
        {
            if (!_peersOfOwner.TryGetValue(owner, out var owned))
            {
                _peersOfOwner[owner] = owned = new HashSet<string>(StringComparer.Ordinal);
            }

            if (owned.Count >= _options.Limits.MaxPeersPerConnection)
            {
                peer.Dispose();
                error = $"this connection already holds {owned.Count} peers (limit {_options.Limits.MaxPeersPerConnection})";
                return false;
            }

            owned.Add(id);
            _ownerOfPeer[id] = owner;
        }

        if (prepare?.Invoke(peer) is { } refused)
        {
            Untrack(id);
            peer.Dispose();
            error = refused;
            return false;
        }

        if (!_transport.TryAddPeer(peer, this, out served, out error))
        {
            Untrack(id);
            peer.Dispose();
            return false;
        }

        answer = new OfferAnswer(id, peer.LocalDescription);
        return true;
    }

    /// <summary>Closes a peer gracefully, if <paramref name="owner"/> owns it.</summary>
    public bool HangUp(string peerId, string owner)
    {
        if (_transport is null || !Owns(peerId, owner) || !_transport.TryGetPeer(peerId, out var peer))
        {
            return false;
        }

        return peer!.TryPost((pc, now) => pc.Close(now));
    }

    /// <summary>Whether <paramref name="owner"/> owns <paramref name="peerId"/>.</summary>
    public bool Owns(string peerId, string owner)
    {
        lock (_ownership)
        {
            return _ownerOfPeer.TryGetValue(peerId, out var actual) && actual == owner;
        }
    }

    /// <summary>
    /// Closes every peer of a signaling connection (it disconnected). Not while the application stops: SignalR
    /// drops every connection as soon as stopping begins, but the peers must stay up until their sessions have
    /// delivered their last results over them (the sessions close them; <see cref="StopAsync"/> closes the rest).
    /// </summary>
    public int HangUpAll(string owner)
    {
        if (_stopping.IsCancellationRequested)
        {
            return 0;
        }

        string[] owned;
        lock (_ownership)
        {
            owned = _peersOfOwner.TryGetValue(owner, out var set) ? [.. set] : [];
        }

        return owned.Count(id => HangUp(id, owner));
    }

    /// <summary>Peers tracked with an owner (for tests: drops to zero once all are removed).</summary>
    public int TrackedPeerCount
    {
        get
        {
            lock (_ownership)
            {
                return _ownerOfPeer.Count;
            }
        }
    }

    /// <summary>Signaling connections holding peers.</summary>
    public int TrackedOwnerCount
    {
        get
        {
            lock (_ownership)
            {
                return _peersOfOwner.Count;
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_transport is null)
        {
            return;
        }

        string[] ids;
        lock (_ownership)
        {
            ids = [.. _ownerOfPeer.Keys];
        }

        foreach (string id in ids)
        {
            if (_transport.TryGetPeer(id, out var peer))
            {
                peer!.TryPost((pc, now) => pc.Close(now));
            }
        }

        // Let graceful closes go out (bounded by the peers' close timeout), then stop everything.
        var deadline = DateTime.UtcNow.AddSeconds(2);
        while (_transport.PeerCount > 0 && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
        }

        await _transport.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_transport is not null)
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }

        _certificate?.Dispose();
    }

    void IPeerEventHandler.OnEvent(TransportPeer peer, in PeerConnectionEvent peerEvent) => _application.OnEvent(peer, peerEvent);

    void IPeerEventHandler.OnRemoved(TransportPeer peer)
    {
        Untrack(peer.Id);
        _application.OnRemoved(peer);
    }

    private void Untrack(string id)
    {
        lock (_ownership)
        {
            if (_ownerOfPeer.Remove(id, out var owner) && _peersOfOwner.TryGetValue(owner, out var owned))
            {
                owned.Remove(id);
                if (owned.Count == 0)
                {
                    _peersOfOwner.Remove(owner);
                }
            }
        }
    }

    private DtlsCertificate LoadCertificate()
    {
        if (!_options.Dtls.IsConfigured)
        {
            return DtlsCertificate.Generate(DateTimeOffset.UtcNow);
        }

        // The validator has checked the files at start; this fails only if they changed since.
        return PemCertificateFiles.TryLoadDtls(_options.Dtls, $"{ServerOptions.Section}:Dtls", out var certificate, out var error)
            ? certificate!
            : throw new InvalidOperationException(error);
    }

    private List<IPEndPoint> Candidates(IPEndPoint bound)
    {
        var addresses = _options.HostAddresses.Select(IPAddress.Parse).ToList();
        if (addresses.Count == 0)
        {
            addresses = bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any)
                ? LocalAddresses(includeIPv6: bound.Address.Equals(IPAddress.IPv6Any))
                : [bound.Address];
        }

        return addresses.Select(a => new IPEndPoint(a, bound.Port)).ToList();
    }

    private static List<IPAddress> LocalAddresses(bool includeIPv6)
    {
        var found = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(u => u.Address))
            .Where(a => (a.AddressFamily == AddressFamily.InterNetwork || (includeIPv6 && a.AddressFamily == AddressFamily.InterNetworkV6))
                && !a.IsIPv6LinkLocal && !IPAddress.IsLoopback(a))
            .ToList();
        return found.Count > 0 ? found : [IPAddress.Loopback];
    }
}
