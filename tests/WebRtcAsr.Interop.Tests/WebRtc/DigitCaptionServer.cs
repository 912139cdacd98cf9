using Microsoft.AspNetCore.Builder;
using WebRtcAsr.Server.Tests.Browser;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Interop.Tests.WebRtc;

/// <summary>
/// The whole server with the digit model, serving the repository's web/ folder (the real page), open to
/// unauthenticated localhost clients as in development; one per test class.
/// </summary>
public sealed class DigitCaptionServer : IAsyncLifetime
{
    public BrowserCaptionServer Server { get; private set; } = null!;

    /// <summary>Maps more endpoints (a test page), set before start.</summary>
    public Action<WebApplication>? Map { get; init; }

    public Uri PageUri(string path) => new(Server.BaseUri, path);

    public async Task InitializeAsync()
    {
        Server = new BrowserCaptionServer { Map = Map };
        Server.Overrides["WebRtcAsr:ModelDir"] = DigitSpeech.ModelDir;
        Server.Overrides["WebRtcAsr:WebRoot"] = Path.Combine(RepoPaths.Root, "web");
        Server.Overrides["WebRtcAsr:Auth:AllowUnauthenticatedLocalhost"] = "true";
        await Server.InitializeAsync();
    }

    public Task DisposeAsync() => Server.DisposeAsync();
}
