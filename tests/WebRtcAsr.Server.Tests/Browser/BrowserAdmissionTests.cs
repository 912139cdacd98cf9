using WebRtcAsr.Rtc.Certificates;
using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.Server.Tests.Signaling;

namespace WebRtcAsr.Server.Tests.Browser;

/// <summary>Offers the server refuses, with the code the page maps to plain words, leaving no session or peer behind.</summary>
public sealed class BrowserAdmissionTests : IAsyncLifetime
{
    private static readonly DtlsCertificate Certificate = DtlsCertificate.Generate(DateTimeOffset.UtcNow);
    private readonly BrowserCaptionServer server = new();

    public async Task InitializeAsync()
    {
        server.Overrides["WebRtcAsr:Limits:MaxSessionsPerKey"] = "1";
        await server.InitializeAsync();
    }

    public Task DisposeAsync() => server.DisposeAsync();

    [Fact]
    public async Task A_key_at_its_session_limit_is_refused_and_an_unusable_offer_frees_its_session()
    {
        var token = await server.GrantAsync();
        await using var signaling = await SignalRJsonClient.ConnectAsync(new Uri(server.HubUri + "?access_token=" + Uri.EscapeDataString(token)));
        using var offerer = PeerConnection.CreateOffer(new PeerConnectionOptions { Certificate = Certificate }, 0);

        var noAudio = await Assert.ThrowsAsync<SignalRHubException>(() => signaling.InvokeAsync("Offer", offerer.LocalDescription.Replace("m=audio", "m=video", StringComparison.Ordinal)));
        Assert.Contains("HubException: bad_offer: offer has no audio m-line", noAudio.Message, StringComparison.Ordinal);
        Assert.True(await PeerEventLog.WaitForAsync(() => server.Registry.Count == 0), "the refused offer's session was not ended");

        var first = await signaling.InvokeAsync("Offer", offerer.LocalDescription);
        Assert.NotNull(server.Registry.Find(first.GetProperty("sessionId").GetString()!));
        var second = await Assert.ThrowsAsync<SignalRHubException>(() => signaling.InvokeAsync("Offer", offerer.LocalDescription));
        Assert.Contains("HubException: session_limit: this API key holds its maximum of live sessions", second.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Registry.Count);
        Assert.Equal(1, server.Transport.PeerCount);

        // Resuming the session it holds is not a new session: allowed at the limit.
        var resumed = await signaling.InvokeAsync("Offer", offerer.LocalDescription, first.GetProperty("sessionId").GetString(), 0);
        Assert.Equal(first.GetProperty("sessionId").GetString(), resumed.GetProperty("sessionId").GetString());
        Assert.Equal(1, server.Registry.Count);
    }
}
