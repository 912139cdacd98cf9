using System.Net;
using Microsoft.Extensions.Options;

namespace WebRtcAsr.Server.Configuration;

/// <summary>
/// Checks <see cref="ServerOptions"/> at startup and names every problem at once, with its configuration key,
/// so an operator fixes the file in one go.
/// </summary>
public sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    /// <summary>Shortest signing secret accepted (HMAC-SHA256 wants at least its output size).</summary>
    public const int MinSecretLength = 32;

    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var s = ServerOptions.Section;
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                failures.Add(message);
            }
        }

        Check(options.UdpPort is >= 0 and <= 65535, $"{s}:UdpPort must be 0..65535 (got {options.UdpPort})");
        foreach (var address in options.HostAddresses)
        {
            Check(IPAddress.TryParse(address, out _), $"{s}:HostAddresses: '{address}' is not an IP address");
        }

        Check(options.PublicAddress is null || IPAddress.TryParse(options.PublicAddress, out _), $"{s}:PublicAddress: '{options.PublicAddress}' is not an IP address");
        Check(IPAddress.TryParse(options.BindAddress, out _), $"{s}:BindAddress: '{options.BindAddress}' is not an IP address");
        if (options.Https.IsConfigured)
        {
            // Loaded once here so that a missing, unreadable or expired file stops the start with its name.
            Check(PemCertificateFiles.TryLoadHttps(options.Https, $"{s}:Https", DateTimeOffset.UtcNow, out var https, out var httpsError), httpsError!);
            https?.Dispose();
        }

        if (options.Dtls.IsConfigured)
        {
            Check(PemCertificateFiles.TryLoadDtls(options.Dtls, $"{s}:Dtls", out var dtls, out var dtlsError), dtlsError!);
            dtls?.Dispose();
        }

        foreach (var url in options.Urls)
        {
            Check(ListenUrls.TryParse(url, out _, out var urlError), $"{s}:Urls: {urlError}");
        }

        Check(options.ModelDir is null || Directory.Exists(options.ModelDir), $"{s}:ModelDir: folder '{options.ModelDir}' does not exist");
        Check(options.Threads is >= 1 and <= 256, $"{s}:Threads must be 1..256 (got {options.Threads})");
        Check(options.DefaultEndpointingMs is null or (>= 0 and <= 60_000), $"{s}:DefaultEndpointingMs must be 0..60000 ms or unset (got {options.DefaultEndpointingMs})");
        Check(ExecutionProviders.TryParse(options.ExecutionProvider, out _), $"{s}:ExecutionProvider must be cpu, cuda or auto (got '{options.ExecutionProvider}')");

        var limits = options.Limits;
        Check(limits.MaxSessions >= 1, $"{s}:Limits:MaxSessions must be at least 1 (got {limits.MaxSessions})");
        Check(limits.MaxSessionsPerKey >= 1, $"{s}:Limits:MaxSessionsPerKey must be at least 1 (got {limits.MaxSessionsPerKey})");
        Check(limits.NewSessionsPerSecond > 0, $"{s}:Limits:NewSessionsPerSecond must be above 0 (got {limits.NewSessionsPerSecond})");
        Check(limits.NewSessionBurst >= 1, $"{s}:Limits:NewSessionBurst must be at least 1 (got {limits.NewSessionBurst})");
        Check(limits.SessionInputQueue is >= 8 and <= 65536, $"{s}:Limits:SessionInputQueue must be 8..65536 (got {limits.SessionInputQueue})");
        Check(limits.OutboxCapacity is >= 8 and <= 65536, $"{s}:Limits:OutboxCapacity must be 8..65536 (got {limits.OutboxCapacity})");
        Check(limits.ReplayCapacity is >= 8 and <= 65536, $"{s}:Limits:ReplayCapacity must be 8..65536 (got {limits.ReplayCapacity})");
        Check(limits.InferenceQueue >= 1, $"{s}:Limits:InferenceQueue must be at least 1 (got {limits.InferenceQueue})");
        Check(limits.MaxBatchSize is >= 1 and <= 256, $"{s}:Limits:MaxBatchSize must be 1..256 (got {limits.MaxBatchSize})");
        Check(limits.MaxPeers >= 1, $"{s}:Limits:MaxPeers must be at least 1 (got {limits.MaxPeers})");
        Check(limits.MaxPendingHandshakes >= 1, $"{s}:Limits:MaxPendingHandshakes must be at least 1 (got {limits.MaxPendingHandshakes})");
        Check(limits.MaxPeersPerConnection >= 1, $"{s}:Limits:MaxPeersPerConnection must be at least 1 (got {limits.MaxPeersPerConnection})");
        Check(limits.MaxOfferLength is >= 1024 and <= 1024 * 1024, $"{s}:Limits:MaxOfferLength must be 1024..1048576 (got {limits.MaxOfferLength})");
        Check(limits.PeerQueueLength is >= 8 and <= 65536, $"{s}:Limits:PeerQueueLength must be 8..65536 (got {limits.PeerQueueLength})");

        Check(!options.Archive.Enabled || !string.IsNullOrWhiteSpace(options.Archive.Folder), $"{s}:Archive:Folder must name a folder when the archive is enabled");
        Check(options.Archive.QueueCapacity >= 1, $"{s}:Archive:QueueCapacity must be at least 1 (got {options.Archive.QueueCapacity})");

        var auth = options.Auth;
        if (auth.Keys.Length > 0)
        {
            Check(auth.SigningSecret is { Length: >= MinSecretLength }, $"{s}:Auth:SigningSecret must be set to at least {MinSecretLength} characters when API keys are configured");
        }
        else
        {
            Check(auth.AllowUnauthenticatedLocalhost, $"{s}:Auth: no API keys are configured and AllowUnauthenticatedLocalhost is false, so no client could connect");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < auth.Keys.Length; i++)
        {
            var key = auth.Keys[i];
            Check(!string.IsNullOrWhiteSpace(key.Id) && key.Id.Length <= 64 && key.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'),
                $"{s}:Auth:Keys:{i}:Id must be 1..64 characters of letters, digits, '-', '_' or '.'");
            Check(ids.Add(key.Id), $"{s}:Auth:Keys:{i}:Id '{key.Id}' is used twice");
            Check(key.Key.Length >= 16, $"{s}:Auth:Keys:{i}:Key must be at least 16 characters");
            Check(secrets.Add(key.Key), $"{s}:Auth:Keys:{i}:Key is the same as another key's");
            Check(key.MaxSessions is null or >= 1, $"{s}:Auth:Keys:{i}:MaxSessions must be at least 1");
        }

        Check(auth.TokenLifetimeSeconds is >= 1 and <= 3600, $"{s}:Auth:TokenLifetimeSeconds must be 1..3600 (got {auth.TokenLifetimeSeconds})");

        var t = options.Timeouts;
        Check(t.IdleSeconds is > 0 and <= 86400, $"{s}:Timeouts:IdleSeconds must be in (0, 86400] (got {t.IdleSeconds})");
        Check(t.ReconnectGraceSeconds is >= 0 and <= 3600, $"{s}:Timeouts:ReconnectGraceSeconds must be 0..3600 (got {t.ReconnectGraceSeconds})");
        Check(t.ShutdownSeconds is > 0 and <= 600, $"{s}:Timeouts:ShutdownSeconds must be in (0, 600] (got {t.ShutdownSeconds})");
        Check(options.Vad.ModelPath is null || File.Exists(options.Vad.ModelPath), $"{s}:Vad:ModelPath: file '{options.Vad.ModelPath}' does not exist");

        failures.AddRange(options.Sip.Problems(s));

        return failures.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Invalid configuration: {string.Join("; ", failures)}.");
    }
}
