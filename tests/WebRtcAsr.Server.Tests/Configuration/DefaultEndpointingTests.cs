using WebRtcAsr.Server.Configuration;

namespace WebRtcAsr.Server.Tests.Configuration;

/// <summary>WebRtcAsr:DefaultEndpointingMs reaches every new session's settings (phone calls send no Configure).</summary>
public sealed class DefaultEndpointingTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(450)]
    public void The_setting_is_every_session_s_starting_endpointing(int? ms)
    {
        var registry = CaptionServerServiceCollectionExtensions.RegistryOptions(new ServerOptions { DefaultEndpointingMs = ms });
        Assert.Equal(ms, registry.DefaultSettings.EndpointingMs);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(60_001)]
    public void Out_of_range_values_stop_the_start_with_the_key_named(int ms)
    {
        var result = new ServerOptionsValidator().Validate(null, new ServerOptions { DefaultEndpointingMs = ms });
        Assert.True(result.Failed);
        Assert.Contains($"WebRtcAsr:DefaultEndpointingMs must be 0..60000 ms or unset (got {ms})", result.FailureMessage, StringComparison.Ordinal);
    }
}
