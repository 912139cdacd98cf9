using System.Diagnostics;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Media;
using WebRtcAsr.Sip.Tests.Transport;

namespace WebRtcAsr.Sip.Tests.Media;

/// <summary>
/// Media inactivity end to end: SIPp places a call and sends no RTP; the call media reports it stopped, the host
/// asks the SIP core for a BYE, and SIPp receives it (with a Reason header) and answers.
/// </summary>
public sealed class SippMediaTimeoutTests : IAsyncLifetime
{
    private CallMediaFixture _fixture = null!;

    public async Task InitializeAsync()
    {
        Sipp.Executable();
        _fixture = await CallMediaFixture.StartAsync(CallMediaFixture.MediaPortRange(3),
            new CallMediaOptions { InactivityTimeout = TimeSpan.FromSeconds(1) });
    }

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task A_call_without_rtp_is_hung_up_by_us_with_bye_after_the_inactivity_timeout()
    {
        var scenario = Path.Combine(AppContext.BaseDirectory, "Media", "Scenarios", "silent_call.xml");
        var run = await Task.Run(() => Sipp.Run(_fixture.Sip.UdpEndpoint!, scenario));
        Assert.True(run.ExitCode == 0, $"sipp exited with {run.ExitCode}:\n{run.Output}");

        var (events, _) = await _fixture.NextClosedCallAsync(TimeSpan.FromSeconds(10));
        var stopped = Assert.Single(events.OfType<CallMediaStopped>());
        Assert.True(stopped.Silence >= TimeSpan.FromSeconds(1));
        Assert.Equal(CallEndReason.MediaTimeout, Assert.Single(events.OfType<CallEnded>()).Reason);
        Assert.Equal(1, _fixture.Media.MediaTimeouts);
        Assert.Equal(0, _fixture.Media.ActiveCalls);
    }
}
