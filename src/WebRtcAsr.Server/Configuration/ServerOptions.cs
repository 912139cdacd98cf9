namespace WebRtcAsr.Server.Configuration;

/// <summary>
/// Everything an operator sets, bound from the one "WebRtcAsr" section of appsettings.json, environment variables
/// (WEBRTCASR__UDPPORT=...) and the command line (--WebRtcAsr:UdpPort=...); every component reads its settings
/// from here. Checked at startup by <see cref="ServerOptionsValidator"/>: a bad value stops the start with one
/// message naming every problem.
/// </summary>
public sealed class ServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "WebRtcAsr";

    /// <summary>HTTP (and HTTPS) listen URLs; empty means ASP.NET Core's own (ASPNETCORE_URLS, --urls).</summary>
    public string[] Urls { get; set; } = [];

    /// <summary>The one UDP port of the WebRTC media transport: STUN, DTLS, SRTP and SCTP of every peer (0 picks a free port).</summary>
    public int UdpPort { get; set; } = 3478;

    /// <summary>Address the WebRTC UDP socket binds to: "0.0.0.0" (every IPv4 address), "::" (dual stack) or one address.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>
    /// Addresses announced as ICE host candidates, best first. Empty: the bound address, or when bound to every
    /// address, the machine's up, non-link-local unicast addresses (loopback only when there is nothing else).
    /// </summary>
    public string[] HostAddresses { get; set; } = [];

    /// <summary>Public address for 1:1 NAT (a cloud VM's elastic IP, a container host), announced first; null: none.</summary>
    public string? PublicAddress { get; set; }

    /// <summary>The HTTPS certificate (PEM files); unset: https:// URLs use Kestrel's default certificate.</summary>
    public CertificateFileOptions Https { get; set; } = new();

    /// <summary>The DTLS identity (PEM files, ECDSA P-256) whose fingerprint answers announce; unset: a fresh one at every start.</summary>
    public CertificateFileOptions Dtls { get; set; } = new();

    /// <summary>Model folder (sherpa-onnx layout); null: the embedded default model.</summary>
    public string? ModelDir { get; set; }

    /// <summary>ONNX Runtime intra-op threads per session.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>cpu, cuda or auto.</summary>
    public string ExecutionProvider { get; set; } = "cpu";

    /// <summary>
    /// Endpointing (ms of silence after the last word that ends an utterance) of every session until its client's
    /// Configure says otherwise; phone calls, which send no Configure, keep it. Null: the VAD's speech end.
    /// </summary>
    public int? DefaultEndpointingMs { get; set; }

    public LimitOptions Limits { get; set; } = new();

    public ArchiveOptions Archive { get; set; } = new();

    public AuthOptions Auth { get; set; } = new();

    public TimeoutOptions Timeouts { get; set; } = new();

    public VadServerOptions Vad { get; set; } = new();

    /// <summary>The SIP trunk endpoint: phone calls become caption sessions.</summary>
    public Calls.SipCallOptions Sip { get; set; } = new();
}

/// <summary>Bounds on sessions and their queues.</summary>
public sealed class LimitOptions
{
    public int MaxSessions { get; set; } = 200;

    /// <summary>Sessions one API key may hold at once (a key's own MaxSessions overrides it).</summary>
    public int MaxSessionsPerKey { get; set; } = 50;

    /// <summary>New sessions per second, sustained (token bucket refill rate).</summary>
    public double NewSessionsPerSecond { get; set; } = 20;

    /// <summary>New sessions allowed in a burst (token bucket size).</summary>
    public int NewSessionBurst { get; set; } = 40;

    /// <summary>Inputs (20 ms audio blocks, control messages) a session may have waiting.</summary>
    public int SessionInputQueue { get; set; } = 256;

    /// <summary>Messages kept for a client that is not attached yet.</summary>
    public int OutboxCapacity { get; set; } = 512;

    /// <summary>Delivered messages kept for a reconnecting client.</summary>
    public int ReplayCapacity { get; set; } = 512;

    /// <summary>Inference scheduler queue and batch.</summary>
    public int InferenceQueue { get; set; } = 256;

    public int MaxBatchSize { get; set; } = 16;

    /// <summary>WebRTC peers the UDP transport serves at once.</summary>
    public int MaxPeers { get; set; } = 1000;

    /// <summary>WebRTC peers still in their ICE/DTLS handshake at once.</summary>
    public int MaxPendingHandshakes { get; set; } = 100;

    /// <summary>WebRTC peers one signaling connection may hold.</summary>
    public int MaxPeersPerConnection { get; set; } = 4;

    /// <summary>Longest SDP offer accepted, in characters.</summary>
    public int MaxOfferLength { get; set; } = 32 * 1024;

    /// <summary>Datagrams and posted work a WebRTC peer may have waiting.</summary>
    public int PeerQueueLength { get; set; } = 256;
}

/// <summary>Where final transcripts are kept.</summary>
public sealed class ArchiveOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Folder of the daily JSONL files (relative paths are relative to the working directory).</summary>
    public string Folder { get; set; } = "archive";

    /// <summary>Ended sessions waiting to be written.</summary>
    public int QueueCapacity { get; set; } = 1024;
}

/// <summary>API keys and access tokens.</summary>
public sealed class AuthOptions
{
    public ApiKeyOptions[] Keys { get; set; } = [];

    /// <summary>HMAC-SHA256 secret that signs access tokens (at least 32 characters).</summary>
    public string? SigningSecret { get; set; }

    /// <summary>Lifetime of a granted access token, seconds.</summary>
    public int TokenLifetimeSeconds { get; set; } = 30;

    /// <summary>Lets requests from the loopback interface in without a key (development).</summary>
    public bool AllowUnauthenticatedLocalhost { get; set; }
}

/// <summary>One API key.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>Public name of the key (in tokens, logs and the archive).</summary>
    public string Id { get; set; } = "";

    /// <summary>The secret the client presents.</summary>
    public string Key { get; set; } = "";

    /// <summary>Sessions this key may hold at once; null: Limits.MaxSessionsPerKey.</summary>
    public int? MaxSessions { get; set; }

    /// <summary>
    /// Whether this key (and the access tokens granted for it) may list phone calls (GET /v1/calls) and watch their
    /// captions (the hub's WatchCall). Off unless set: a call's captions are other people's conversation, and a key
    /// given to a web page for its own microphone should not also see every call.
    /// </summary>
    public bool WatchCalls { get; set; }
}

/// <summary>Session lifetimes, seconds.</summary>
public sealed class TimeoutOptions
{
    /// <summary>A session with no audio and no KeepAlive for this long ends.</summary>
    public double IdleSeconds { get; set; } = 10;

    /// <summary>A session whose client disconnected waits this long for a reconnect.</summary>
    public double ReconnectGraceSeconds { get; set; } = 30;

    /// <summary>Graceful shutdown waits this long for sessions to deliver their last results.</summary>
    public double ShutdownSeconds { get; set; } = 10;
}

/// <summary>Voice activity detection in front of the recognizer.</summary>
public sealed class VadServerOptions
{
    /// <summary>Gate the recognizer with Silero VAD (SpeechStarted events need it).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The Silero VAD model file; null: where SileroVadModelLocator finds it.</summary>
    public string? ModelPath { get; set; }
}
