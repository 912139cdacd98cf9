using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WebRtcAsr.Server.Auth;
using WebRtcAsr.Server.Health;
using WebRtcAsr.Server.Sessions;
using WebRtcAsr.Server.Tests.Metrics;
using WebRtcAsr.Server.Tests.Support;

namespace WebRtcAsr.Server.Tests.Health;

/// <summary>The composed server over HTTP: health, readiness, metrics, grants, and a session through the registry it built.</summary>
public sealed class CaptionServerHttpTests : IDisposable
{
    private readonly string archive = Path.Combine(Path.GetTempPath(), "webrtcasr-http-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Serves_health_readiness_metrics_and_grants()
    {
        await using var app = TestHost.Build(TestHost.Settings(archive));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = TestHost.Address(app) };

        Assert.Equal("ok", await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));

        var readiness = app.Services.GetRequiredService<ReadinessRegistry>();
        using (var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        readiness.Declare(ReadinessComponents.Udp); // a transport that has not bound its port yet
        using (var notReady = await http.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            using var body = JsonDocument.Parse(await notReady.Content.ReadAsStringAsync());
            Assert.Equal("starting", body.RootElement.GetProperty("components").GetProperty("udp").GetString());
            Assert.Equal("ready", body.RootElement.GetProperty("components").GetProperty("model").GetString());
        }

        readiness.MarkReady(ReadinessComponents.Udp);
        using (var grant = new HttpRequestMessage(HttpMethod.Post, "/v1/auth/grant"))
        {
            grant.Headers.TryAddWithoutValidation("Authorization", "Token " + TestHost.ApiKey);
            using var response = await http.SendAsync(grant);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(30, body.RootElement.GetProperty("expires_in").GetInt32());
            var token = body.RootElement.GetProperty("access_token").GetString();
            var decision = app.Services.GetRequiredService<ClientAuthenticator>().Authenticate(token, IPAddress.Parse("198.51.100.7"));
            Assert.True(decision.Allowed);
            Assert.Equal("tester", decision.KeyId);
        }

        using (var refused = new HttpRequestMessage(HttpMethod.Post, "/v1/auth/grant"))
        {
            refused.Headers.TryAddWithoutValidation("Authorization", "Token not-a-key");
            using var response = await http.SendAsync(refused);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();
            Assert.Equal("INVALID_AUTH", body!["err_code"]);
        }

        // A session through the composed registry, then the metrics it leaves.
        var registry = app.Services.GetRequiredService<SessionRegistry>();
        var session = registry.TryCreate("tester", null, out _)!;
        var sink = new RecordingSink();
        await session.AttachAsync(sink);
        await SpeechAudio.FeedAsync(session, SpeechAudio.WithSilence(SpeechAudio.Load(), 1.5));
        Assert.True(session.TryWriteControl("{\"type\":\"CloseStream\"}"u8));
        await session.Completion;

        using var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType!.ToString());
        var (samples, types) = PrometheusText.Parse(await metrics.Content.ReadAsStringAsync());
        double Value(string name) => samples.Single(s => s.Name == name).Value;
        Assert.Equal(1, Value("webrtcasr_sessions_total"));
        Assert.Equal(0, Value("webrtcasr_sessions_active"));
        Assert.InRange(Value("webrtcasr_vad_speech_ratio"), 0.1, 0.99);
        Assert.True(Value("webrtcasr_inference_batches") > 0);
        Assert.True(Value("webrtcasr_word_first_partial_latency_seconds_count") > 0);
        Assert.True(Value("webrtcasr_word_final_latency_seconds_count") > 0);
        Assert.Equal(1, Value("webrtcasr_session_realtime_factor_count"));
        Assert.Equal("histogram", types["webrtcasr_word_final_latency_seconds"]);

        await app.StopAsync();
        Assert.NotEmpty(Directory.GetFiles(archive, "*.jsonl"));
    }

    [Fact]
    public async Task Stopping_the_host_finalizes_open_sessions_and_delivers_their_last_results()
    {
        await using var app = TestHost.Build(TestHost.Settings(archive));
        await app.StartAsync();
        var registry = app.Services.GetRequiredService<SessionRegistry>();
        var session = registry.TryCreate(null, null, out _)!;
        var sink = new RecordingSink();
        await session.AttachAsync(sink);
        await SpeechAudio.FeedAsync(session, SpeechAudio.Load("digits-95-lucas.wav"));

        await app.StopAsync();
        Assert.Equal(SessionEndReason.Shutdown, await session.Completion);
        Assert.IsType<WebRtcAsr.Speech.Captions.MetadataMessage>(sink.Messages[^1]);
        Assert.Contains(sink.Messages, m => m is WebRtcAsr.Speech.Captions.ResultsMessage { FromFinalize: true });
        Assert.Equal(0, registry.Count);
    }

    public void Dispose()
    {
        if (Directory.Exists(archive))
        {
            Directory.Delete(archive, recursive: true);
        }
    }
}
