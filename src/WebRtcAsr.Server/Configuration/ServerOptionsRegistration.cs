using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace WebRtcAsr.Server.Configuration;

/// <summary>Binds the one "WebRtcAsr" section, once, for every component that reads it, and applies its listen settings to Kestrel.</summary>
public static class ServerOptionsRegistration
{
    /// <summary>
    /// What the host allows beyond Timeouts:ShutdownSeconds for the rest of a graceful stop: sessions that missed the
    /// deadline are aborted (up to 2 s), peers send their closes (up to 2 s), the archive is drained.
    /// </summary>
    public static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(5);

    /// <summary>The section that once held the WebRTC transport's settings; they are all in "WebRtcAsr" now.</summary>
    public const string FoldedSection = "WebRtc";

    /// <summary>Why a configuration that still has a "WebRtc" section does not start.</summary>
    public const string FoldedSectionMessage =
        "the \"WebRtc\" section is no longer read; its settings are in \"WebRtcAsr\": UdpPort, BindAddress, HostAddresses, PublicAddress, "
        + "Dtls:CertificatePath and Dtls:KeyPath (were CertificatePemPath, PrivateKeyPemPath), and Limits:MaxPeers, MaxPendingHandshakes, "
        + "MaxPeersPerConnection, MaxOfferLength, PeerQueueLength";

    /// <summary>
    /// Registers <see cref="ServerOptions"/> (validated at start) and Kestrel's listen URLs and HTTPS certificate from it.
    /// Idempotent: the caption core and the signaling both call it, and binding twice would append arrays twice.
    /// </summary>
    public static IServiceCollection AddServerOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<ServerOptions>) && d.ImplementationType == typeof(ServerOptionsValidator)))
        {
            return services;
        }

        var section = configuration.GetSection(ServerOptions.Section);
        services.AddOptions<ServerOptions>()
            .Bind(section)
            // A configuration written for the old second section would otherwise be ignored without a word.
            .Validate(_ => !configuration.GetSection(FoldedSection).Exists(), FoldedSectionMessage)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>());

        // The host's own stop deadline follows the sessions' one, so a SIGTERM never waits longer than configured.
        services.Configure<HostOptions>(host =>
        {
            var text = section.GetSection(nameof(ServerOptions.Timeouts)).GetSection(nameof(TimeoutOptions.ShutdownSeconds)).Value;
            var seconds = new TimeoutOptions().ShutdownSeconds;
            if (text is null || double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out seconds))
            {
                host.ShutdownTimeout = TimeSpan.FromSeconds(Math.Clamp(seconds, 0, 600)) + ShutdownMargin;
            }
        });

        // Kestrel's options read the configuration itself, not the validated options: they are also made while a
        // host that failed validation is disposed, and that must not throw again. A bad value here is skipped; the
        // validator has already stopped the start with its reason.
        services.Configure<KestrelServerOptions>(kestrel =>
        {
            var https = section.GetSection(nameof(ServerOptions.Https)).Get<CertificateFileOptions>();
            if (https is { IsConfigured: true }
                && PemCertificateFiles.TryLoadHttps(https, $"{ServerOptions.Section}:Https", DateTimeOffset.UtcNow, out var certificate, out _))
            {
                // Every https:// endpoint (WebRtcAsr:Urls, --urls, ASPNETCORE_URLS) uses it; it lives as long as the process.
                kestrel.ConfigureHttpsDefaults(listen => listen.ServerCertificate = certificate);
            }

            var urls = section.GetSection(nameof(ServerOptions.Urls)).Get<string[]>() ?? [];
            if (urls.Length > 0)
            {
                ListenUrls.Apply(kestrel, [.. urls.Where(u => ListenUrls.TryParse(u, out _, out _))]);
            }
        });
        return services;
    }
}
