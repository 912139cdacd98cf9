using System.Net;
using WebRtcAsr.Server.Tests.Support;

namespace WebRtcAsr.Server.Tests.Auth;

/// <summary>
/// The page asks /v1/auth/grant before it connects. Without a key, a client the server lets in unauthenticated gets
/// 204 (no token needed) — otherwise a server run with no keys configured would show "API key needed" to everyone.
/// </summary>
public sealed class GrantWithoutKeyTests
{
    [Theory]
    [InlineData(true, HttpStatusCode.NoContent)]
    [InlineData(false, HttpStatusCode.Unauthorized)]
    public async Task A_loopback_client_without_a_key_needs_no_token_only_where_the_server_allows_it(bool allowLocalhost, HttpStatusCode expected)
    {
        var settings = TestHost.Settings(Path.Combine(Path.GetTempPath(), "webrtcasr-grant-" + Guid.NewGuid().ToString("N")));
        settings["WebRtcAsr:Auth:AllowUnauthenticatedLocalhost"] = allowLocalhost ? "true" : "false";
        await using var app = TestHost.Build(settings);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = TestHost.Address(app) };

        using var response = await http.PostAsync(new Uri("/v1/auth/grant", UriKind.Relative), content: null);

        Assert.Equal(expected, response.StatusCode);
    }
}
