using Microsoft.Extensions.Options;
using WebRtcAsr.Server.Archive;
using WebRtcAsr.Server.Sessions;

namespace WebRtcAsr.Server.Configuration;

/// <summary>
/// Starts the speech engine with the host (model load and warm-up happen before traffic; a failure stops the start)
/// and, when the host stops, ends every session gracefully — their last results delivered — within the shutdown
/// timeout, then drains the archive. Sessions end in StoppingAsync, which the host runs before any hosted service's
/// StopAsync, so the transports (data channels, SignalR) are still up to carry the last results.
/// </summary>
internal sealed class CaptionServerLifetime(IServiceProvider services, IOptions<ServerOptions> options) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<SessionRegistry>(); // loads and warms up the engine
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (services.GetRequiredService<ITranscriptArchive>() is JsonlTranscriptArchive archive)
        {
            await archive.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var registry = services.GetRequiredService<SessionRegistry>();
        await registry.ShutdownAsync(TimeSpan.FromSeconds(options.Value.Timeouts.ShutdownSeconds), cancellationToken).ConfigureAwait(false);
    }
}
