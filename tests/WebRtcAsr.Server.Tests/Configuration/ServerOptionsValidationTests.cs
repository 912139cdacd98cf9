using Microsoft.Extensions.Options;
using WebRtcAsr.Server.Configuration;
using WebRtcAsr.Server.Tests.Support;

namespace WebRtcAsr.Server.Tests.Configuration;

public sealed class ServerOptionsValidationTests
{
    [Fact]
    public async Task Invalid_configuration_stops_the_start_with_one_message_naming_every_problem()
    {
        var settings = TestHost.Settings(Path.GetTempPath());
        settings["WebRtcAsr:UdpPort"] = "70000";
        settings["WebRtcAsr:ExecutionProvider"] = "tpu";
        settings["WebRtcAsr:Auth:SigningSecret"] = "short";
        settings["WebRtcAsr:Timeouts:IdleSeconds"] = "0";
        settings["WebRtcAsr:Urls:0"] = "http://example.com:80";
        await using var app = TestHost.Build(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Equal(
            "Invalid configuration: WebRtcAsr:UdpPort must be 0..65535 (got 70000); "
            + "WebRtcAsr:Urls: 'http://example.com:80': the host must be an IP address, localhost, * or +; "
            + "WebRtcAsr:ExecutionProvider must be cpu, cuda or auto (got 'tpu'); "
            + "WebRtcAsr:Auth:SigningSecret must be set to at least 32 characters when API keys are configured; "
            + "WebRtcAsr:Timeouts:IdleSeconds must be in (0, 86400] (got 0).",
            error.Message);
    }

    [Fact]
    public async Task A_leftover_WebRtc_section_stops_the_start_and_says_where_its_settings_went()
    {
        var settings = TestHost.Settings(Path.GetTempPath());
        settings["WebRtc:UdpPort"] = "0";
        await using var app = TestHost.Build(settings);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Equal(ServerOptionsRegistration.FoldedSectionMessage, error.Message);
    }

    [Fact]
    public void The_WebRTC_transport_settings_are_checked_with_the_rest()
    {
        var options = new ServerOptions { BindAddress = "any", Auth = new AuthOptions { AllowUnauthenticatedLocalhost = true } };
        options.Limits.MaxPeers = 0;
        options.Limits.MaxOfferLength = 100;
        Assert.Equal(
            "Invalid configuration: WebRtcAsr:BindAddress: 'any' is not an IP address; "
            + "WebRtcAsr:Limits:MaxPeers must be at least 1 (got 0); "
            + "WebRtcAsr:Limits:MaxOfferLength must be 1024..1048576 (got 100).",
            new ServerOptionsValidator().Validate(null, options).FailureMessage);
    }

    [Fact]
    public void The_defaults_with_a_key_and_secret_are_valid()
    {
        var options = new ServerOptions { Auth = new AuthOptions { Keys = [new ApiKeyOptions { Id = "a", Key = "0123456789abcdef" }], SigningSecret = new string('s', 32) } };
        Assert.True(new ServerOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void No_keys_and_no_localhost_access_is_refused_as_no_client_could_connect()
    {
        var result = new ServerOptionsValidator().Validate(null, new ServerOptions());
        Assert.True(result.Failed);
        Assert.Contains("no client could connect", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("https://[::1]:5001", true)]
    [InlineData("http://*:80", true)]
    [InlineData("http://+:80", true)]
    [InlineData("http://localhost:8080", true)]
    [InlineData("ftp://127.0.0.1:21", false)]
    [InlineData("http://127.0.0.1:80/path", false)]
    [InlineData("not a url", false)]
    public void Listen_urls_are_checked(string url, bool valid)
    {
        Assert.Equal(valid, ListenUrls.TryParse(url, out _, out var error));
        Assert.Equal(valid, error is null);
    }

    [Fact]
    public void Duplicate_key_ids_and_secrets_are_named()
    {
        var key = new ApiKeyOptions { Id = "a", Key = "0123456789abcdef" };
        var options = new ServerOptions { Auth = new AuthOptions { Keys = [key, key], SigningSecret = new string('s', 32) } };
        var message = new ServerOptionsValidator().Validate(null, options).FailureMessage;
        Assert.Contains("WebRtcAsr:Auth:Keys:1:Id 'a' is used twice", message, StringComparison.Ordinal);
        Assert.Contains("WebRtcAsr:Auth:Keys:1:Key is the same as another key's", message, StringComparison.Ordinal);
    }
}
