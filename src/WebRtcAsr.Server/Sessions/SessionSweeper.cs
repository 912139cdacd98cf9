namespace WebRtcAsr.Server.Sessions;

/// <summary>Sweeps the registry once a second (idle timeouts, reconnect grace): the thin timer driver of the registry.</summary>
internal sealed class SessionSweeper(SessionRegistry registry, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                registry.Sweep();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
