using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace WebRtcAsr.Server.Configuration;

/// <summary>
/// Applies ServerOptions.Urls to Kestrel: http:// and https:// URLs whose host is an IP address, localhost, or
/// * / + (every address). HTTPS uses WebRtcAsr:Https's certificate when set, else Kestrel's default certificate
/// (Kestrel:Certificates:Default, or the .NET development certificate). When Urls is empty, ASP.NET Core's own
/// settings (--urls, ASPNETCORE_URLS) apply.
/// </summary>
public static class ListenUrls
{
    /// <summary>Whether the URL can be listened on; the reason when not.</summary>
    public static bool TryParse(string url, out Uri? uri, out string? error)
    {
        uri = null;
        // Uri does not take "*" or "+" as a host; read them as "every address".
        var normalized = url?.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
        {
            error = $"'{url}' is not an http:// or https:// URL";
            return false;
        }

        if (!parsed.IsLoopback && !IPAddress.TryParse(parsed.Host.Trim('[', ']'), out _))
        {
            error = $"'{url}': the host must be an IP address, localhost, * or +";
            return false;
        }

        if (parsed.AbsolutePath != "/")
        {
            error = $"'{url}': a listen URL has no path";
            return false;
        }

        uri = parsed;
        error = null;
        return true;
    }

    public static void Apply(KestrelServerOptions kestrel, IReadOnlyList<string> urls)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(urls);
        foreach (var url in urls)
        {
            if (!TryParse(url, out var uri, out var error))
            {
                throw new InvalidOperationException(error);
            }

            var https = uri!.Scheme == Uri.UriSchemeHttps;
            void Configure(ListenOptions listen)
            {
                if (https)
                {
                    listen.UseHttps();
                }
            }

            if (uri.Host == "localhost")
            {
                kestrel.ListenLocalhost(uri.Port, Configure);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port, Configure);
            }
        }
    }
}
