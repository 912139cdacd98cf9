using System.Net;
using WebRtcAsr.Sip.Security;

namespace WebRtcAsr.Server.Calls;

/// <summary>
/// The "WebRtcAsr:Sip" section: where the SIP trunk endpoint listens, which peers may call it, and its limits.
/// Checked at startup with the rest of the options (<see cref="Problems"/>).
/// </summary>
public sealed class SipCallOptions
{
    /// <summary>Trunk peers allowed when none are configured: this machine only, a safe default.</summary>
    public static readonly IReadOnlyList<string> LoopbackOnly = ["127.0.0.0/8", "::1/128"];

    /// <summary>Answer SIP calls at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Address the SIP (UDP and TCP) and RTP sockets bind to.</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>SIP port, UDP and TCP; 0 picks a free one (tests).</summary>
    public int Port { get; set; } = 5060;

    /// <summary>Also listen on TCP (same port).</summary>
    public bool Tcp { get; set; } = true;

    /// <summary>Address put in Contact, Via and the SDP c= line; null: WebRtcAsr:PublicAddress when set, else the listen address,
    /// or this host's first IPv4 address when listening on any.</summary>
    public string? PublicAddress { get; set; }

    /// <summary>RTP port range (even RTP ports, RTCP on the odd one above).</summary>
    public int MediaPortFirst { get; set; } = 20000;

    public int MediaPortLast { get; set; } = 29999;

    /// <summary>Trunk peers (IP addresses or CIDR blocks) that may send requests; others get 403. Null or empty: loopback only. "0.0.0.0/0" and "::/0" open it to all.</summary>
    public string[]? AllowedSources { get; set; }

    /// <summary>Digest users (RFC 8760: SHA-256, then MD5); empty: no digest authentication (the allowlist alone).</summary>
    public SipUserOptions[] Users { get; set; } = [];

    /// <summary>Digest realm.</summary>
    public string Realm { get; set; } = "webrtcasr";

    /// <summary>Digest algorithms challenged with, strongest first: "SHA-256" and/or "MD5" (legacy trunks read only the first challenge).</summary>
    public string[]? DigestAlgorithms { get; set; }

    /// <summary>Calls at once; more get 486 Busy Here. Each call is also a caption session within WebRtcAsr:Limits.</summary>
    public int MaxCalls { get; set; } = 100;

    /// <summary>SIP requests per second from one source address (token bucket; beyond it requests are dropped and counted).</summary>
    public double RequestsPerSecondPerSource { get; set; } = 50;

    public double RequestBurstPerSource { get; set; } = 100;

    /// <summary>A call whose RTP stops for this long is ended with BYE.</summary>
    public double MediaInactivitySeconds { get; set; } = 30;

    /// <summary>Time between 180 Ringing and 200 OK; 0 answers at once (the 200 still waits for the RTP port).</summary>
    public int RingingMs { get; set; }

    /// <summary>Sources that may call: the configured ones, else loopback only.</summary>
    public IReadOnlyList<string> EffectiveAllowedSources => AllowedSources is { Length: > 0 } sources ? sources : LoopbackOnly;

    /// <summary>Every problem with these settings, each naming its key under <paramref name="section"/>.</summary>
    public IEnumerable<string> Problems(string section)
    {
        var s = section + ":Sip";
        if (!IPAddress.TryParse(ListenAddress, out _))
        {
            yield return $"{s}:ListenAddress: '{ListenAddress}' is not an IP address";
        }

        if (PublicAddress is not null && !IPAddress.TryParse(PublicAddress, out _))
        {
            yield return $"{s}:PublicAddress: '{PublicAddress}' is not an IP address";
        }

        if (Port is < 0 or > 65535)
        {
            yield return $"{s}:Port must be 0..65535 (got {Port})";
        }

        if (MediaPortFirst is < 1024 or > 65534 || MediaPortLast is < 1025 or > 65535 || MediaPortLast <= MediaPortFirst)
        {
            yield return $"{s}:MediaPortFirst..MediaPortLast must be a range within 1024..65535 holding at least two ports (got {MediaPortFirst}..{MediaPortLast})";
        }
        else if ((MediaPortLast - MediaPortFirst + 1) / 2 < MaxCalls)
        {
            yield return $"{s}: the media port range {MediaPortFirst}..{MediaPortLast} holds {(MediaPortLast - MediaPortFirst + 1) / 2} calls, fewer than MaxCalls ({MaxCalls})";
        }

        foreach (var source in AllowedSources ?? [])
        {
            if (!AddressRange.TryParse(source.Trim(), out _))
            {
                yield return $"{s}:AllowedSources: '{source}' is not an IP address or CIDR block";
            }
        }

        for (var i = 0; i < Users.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(Users[i].Name) || Users[i].Name.Any(c => char.IsWhiteSpace(c) || c is '"' or '\\'))
            {
                yield return $"{s}:Users:{i}:Name must be a user name without spaces or quotes";
            }

            if (Users[i].Password.Length < 8)
            {
                yield return $"{s}:Users:{i}:Password must be at least 8 characters";
            }
        }

        if (Users.Select(u => u.Name).Distinct(StringComparer.Ordinal).Count() != Users.Length)
        {
            yield return $"{s}:Users: a user name is used twice";
        }

        if (string.IsNullOrWhiteSpace(Realm) || Realm.Contains('"', StringComparison.Ordinal))
        {
            yield return $"{s}:Realm must be a name without quotes";
        }

        foreach (var name in DigestAlgorithms ?? [])
        {
            if (!DigestComputation.TryParseName(name, out _, out var session) || session)
            {
                yield return $"{s}:DigestAlgorithms: '{name}' is not SHA-256 or MD5";
            }
        }

        if (MaxCalls is < 1 or > 10000)
        {
            yield return $"{s}:MaxCalls must be 1..10000 (got {MaxCalls})";
        }

        if (RequestsPerSecondPerSource <= 0 || RequestBurstPerSource < 1)
        {
            yield return $"{s}:RequestsPerSecondPerSource must be above 0 and RequestBurstPerSource at least 1";
        }

        if (MediaInactivitySeconds is < 1 or > 3600)
        {
            yield return $"{s}:MediaInactivitySeconds must be 1..3600 (got {MediaInactivitySeconds})";
        }

        if (RingingMs is < 0 or > 60000)
        {
            yield return $"{s}:RingingMs must be 0..60000 (got {RingingMs})";
        }
    }
}

/// <summary>One digest user a trunk authenticates as.</summary>
public sealed class SipUserOptions
{
    public string Name { get; set; } = "";

    public string Password { get; set; } = "";
}
