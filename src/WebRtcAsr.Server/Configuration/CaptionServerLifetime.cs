using Microsoft.Extensions.Options;
using WebRtcAsr.Server.Archive;
using WebRtcAsr.Server.Sessions;

namespace WebRtcAsr.Server.Configuration;

/// <summary>
/// Starts the speech engine with the host (model load and warm-up happen before traffic; a failure stops the start)
/// and, when the host stops, ends every session gracefully — their last results delivered — within the shutdown
/// timeout, then drains the archive.
/// </summary>
internal sealed class CaptionServerLifetime(IServiceProvider services, IOptions<ServerOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<SessionRegistry>(); // loads and warms up the engine
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var registry = services.GetRequiredService<SessionRegistry>();
        await registry.ShutdownAsync(TimeSpan.FromSeconds(options.Value.Timeouts.ShutdownSeconds), cancellationToken).ConfigureAwait(false);
        if (services.GetRequiredService<ITranscriptArchive>() is JsonlTranscriptArchive archive)
        {
            await archive.DisposeAsync().ConfigureAwait(false);
        }
    }
}
