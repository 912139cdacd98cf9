using WebRtcAsr.Server.Metrics;
using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Server.Tests.Support;
using WebRtcAsr.Speech.Captions;

namespace WebRtcAsr.Server.Tests.Sessions;

[Collection(SpeechCollection.Name)]
public sealed class SessionRegistryTests(SpeechFixture speech)
{
    private readonly ManualTimeProvider clock = new();
    private readonly ServerMetrics metrics = new();

    [Fact]
    public async Task Refuses_sessions_beyond_the_server_limit()
    {
        var registry = Registry(new SessionRegistryOptions { MaxSessions = 2 });
        var a = Create(registry, "a");
        var b = Create(registry, "b");
        Assert.Null(registry.TryCreate("c", null, out var refusal));
        Assert.Equal(SessionRefusal.ServerFull, refusal);
        Assert.Equal(1, metrics.SessionsRefused.ValueOf(nameof(SessionRefusal.ServerFull)));

        await a.CloseAsync(SessionEndReason.TransportClosed);
        Create(registry, "c");
        await CloseAll(registry);
        _ = b;
    }

    [Fact]
    public async Task Refuses_sessions_beyond_a_keys_limit_and_counts_keys_apart()
    {
        var registry = Registry(new SessionRegistryOptions { MaxSessionsPerKey = 2 });
        Create(registry, "a");
        Create(registry, "a");
        Assert.Null(registry.TryCreate("a", null, out var refusal));
        Assert.Equal(SessionRefusal.KeyLimit, refusal);
        Create(registry, "b");

        // A key's own limit overrides the default.
        Create(registry, "big", keyLimit: 3);
        Create(registry, "big", keyLimit: 3);
        Create(registry, "big", keyLimit: 3);
        Assert.Null(registry.TryCreate("big", 3, out refusal));
        Assert.Equal(SessionRefusal.KeyLimit, refusal);
        await CloseAll(registry);
    }

    [Fact]
    public async Task Limits_the_rate_of_new_sessions_with_a_token_bucket()
    {
        var registry = Registry(new SessionRegistryOptions { NewSessionsPerSecond = 2, NewSessionBurst = 3 });
        Create(registry, "a");
        Create(registry, "a");
        Create(registry, "a");
        Assert.Null(registry.TryCreate("a", null, out var refusal));
        Assert.Equal(SessionRefusal.RateLimited, refusal);

        clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Null(registry.TryCreate("a", null, out refusal));
        Assert.Equal(SessionRefusal.RateLimited, refusal);
        clock.Advance(TimeSpan.FromMilliseconds(2));
        Create(registry, "a");
        Assert.Equal(2, metrics.SessionsRefused.ValueOf(nameof(SessionRefusal.RateLimited)));
        await CloseAll(registry);
    }

    [Fact]
    public async Task An_idle_session_ends_but_KeepAlive_holds_it_open()
    {
        var registry = Registry(new SessionRegistryOptions { Session = new SessionLimits { IdleTimeout = TimeSpan.FromSeconds(10) } });
        var session = Create(registry, "a");
        var sink = new RecordingSink();
        await session.AttachAsync(sink);

        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.True(session.TryWriteControl("{\"type\":\"KeepAlive\"}"u8));
        clock.Advance(TimeSpan.FromSeconds(6));
        registry.Sweep();
        clock.Advance(TimeSpan.FromSeconds(3.9));
        registry.Sweep();
        // Attach goes through the same queue: once it is handled, the ticks before it were too.
        var probe = new RecordingSink();
        await session.AttachAsync(probe);
        Assert.False(session.IsEnded);

        clock.Advance(TimeSpan.FromSeconds(0.2));
        registry.Sweep();
        Assert.Equal(SessionEndReason.IdleTimeout, await session.Completion);
        Assert.Equal(0, registry.Count);
        Assert.IsType<MetadataMessage>(probe.Messages[^1]);
    }

    [Fact]
    public async Task A_detached_session_waits_the_reconnect_grace_then_ends()
    {
        var registry = Registry(new SessionRegistryOptions { ReconnectGrace = TimeSpan.FromSeconds(30), Session = new SessionLimits { IdleTimeout = TimeSpan.FromHours(1) } });
        var session = Create(registry, "a");
        await session.AttachAsync(new RecordingSink());
        await WaitUntil(() => session.UnattachedSince is null);
        await session.DetachAsync();
        await WaitUntil(() => session.UnattachedSince is not null);

        clock.Advance(TimeSpan.FromSeconds(29));
        registry.Sweep();
        Assert.Same(session, registry.Find(session.Id));
        var back = new RecordingSink();
        await session.AttachAsync(back, lastSeqReceived: 0);
        await WaitUntil(() => session.UnattachedSince is null);
        clock.Advance(TimeSpan.FromSeconds(60));
        registry.Sweep();
        Assert.False(session.IsEnded);

        await session.DetachAsync();
        await WaitUntil(() => session.UnattachedSince is not null);
        clock.Advance(TimeSpan.FromSeconds(31));
        registry.Sweep();
        Assert.Equal(SessionEndReason.ReconnectTimeout, await session.Completion);
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public async Task Shutdown_finalizes_every_session_and_delivers_its_last_results()
    {
        var registry = new SessionRegistry(speech.Services(vad: false, metrics: metrics), new SessionRegistryOptions { DefaultSettings = new SessionSettings { EndpointingMs = 0 } });
        var audio = SpeechAudio.Load("digits-95-lucas.wav");
        var sinks = new List<RecordingSink>();
        for (var i = 0; i < 3; i++)
        {
            var session = Create(registry, "k");
            var sink = new RecordingSink();
            sinks.Add(sink);
            await session.AttachAsync(sink);
            await SpeechAudio.FeedAsync(session, audio);
        }

        await registry.ShutdownAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, registry.Count);
        Assert.Null(registry.TryCreate("k", null, out var refusal));
        Assert.Equal(SessionRefusal.ShuttingDown, refusal);
        foreach (var sink in sinks)
        {
            Assert.IsType<MetadataMessage>(sink.Messages[^1]);
            Assert.Contains(sink.Messages, m => m is ResultsMessage { IsFinal: true, FromFinalize: true });
            Assert.NotEmpty(sink.Messages.FinalText());
        }

        Assert.Equal(3, metrics.SessionsEnded.ValueOf(nameof(SessionEndReason.Shutdown)));
    }

    private SessionRegistry Registry(SessionRegistryOptions options) => new(speech.Services(vad: false, time: clock, metrics: metrics), options);

    private static CaptionSession Create(SessionRegistry registry, string key, int? keyLimit = null)
    {
        var session = registry.TryCreate(key, keyLimit, out var refusal);
        Assert.Equal(SessionRefusal.None, refusal);
        return session!;
    }

    private static async Task CloseAll(SessionRegistry registry)
    {
        await Task.WhenAll(registry.Sessions.Select(s => s.CloseAsync(SessionEndReason.TransportClosed)));
        Assert.Equal(0, registry.Count);
    }

    /// <summary>Waits for the session's worker to handle what was queued (a hang guard, not a timing assertion).</summary>
    private static async Task WaitUntil(Func<bool> condition)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(1, guard.Token);
        }
    }
}
