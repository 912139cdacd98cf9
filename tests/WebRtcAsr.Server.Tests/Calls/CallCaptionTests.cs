using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WebRtcAsr.Server.Configuration;
using WebRtcAsr.Server.Tests.Signaling;
using WebRtcAsr.TestSupport;
using Xunit.Abstractions;

namespace WebRtcAsr.Server.Tests.Calls;

/// <summary>
/// A SIP call into the whole server: it becomes a caption session whose messages (with call_id, from, to) reach
/// the call's watchers over the signaling hub, history first for a viewer who joins mid-call; key presses arrive as
/// Dtmf messages; the end is pushed; the archive record names the call; limits refuse calls with 503 and a reason.
/// </summary>
public sealed class CallCaptionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_call_is_a_caption_session_watched_mid_call_with_dtmf_end_and_archive()
    {
        var said = RecognizableDigits.Choose(RepoPaths.Model("digits-en-lstm"), count: 1)[0];
        await using var server = await CallCaptionServer.StartAsync();
        var token = await server.GrantAsync();
        await using var hub = await SignalRJsonClient.ConnectAsync(new Uri(server.HubUri + "?access_token=" + token));
        var watcher = new CallWatcher(hub);
        using var caller = new SipTestCaller(server.SipEndpoint, "call-" + Guid.NewGuid().ToString("N")[..12]);

        var ok = await caller.InviteAsync(Timeout);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal([100, 200], caller.Statuses);

        // Listed while it is up, with who called whom and the codec once the ACK started it.
        var listed = await ListedAsync(server, token, caller.CallId);
        Assert.Equal(caller.From, listed.GetProperty("from").GetString());
        Assert.Equal(caller.To, listed.GetProperty("to").GetString());
        Assert.Equal("PCMU", listed.GetProperty("codec").GetString());

        // The digits, then (after the viewer joined) two key presses: 5 and #.
        var speech = new PhoneRtpStream(0x5EED_0007).Silence(1600).Audio(said.Samples);
        await caller.SendRtpAsync(speech.Packets);
        await watcher.WatchAsync(caller.CallId);
        var keys = new PhoneRtpStream(0x5EED_0008).KeyPress(5, 1600).Silence(1600).KeyPress(11, 1600).Silence(4000);
        await caller.SendRtpAsync(keys.Packets);
        var hangUp = System.Diagnostics.Stopwatch.StartNew();
        await caller.ByeAsync(Timeout);
        await watcher.UntilEndedAsync(Timeout);
        output.WriteLine($"INVITE → 200 OK (port bound first): {caller.AnsweredAfter.TotalMilliseconds:F1} ms; BYE → last words, Metadata and CallEnded at the viewer: {hangUp.Elapsed.TotalMilliseconds:F0} ms");

        output.WriteLine($"said {said.Digits}; history {watcher.HistoryCount}, duplicates {watcher.Duplicates}; {watcher.Describe()}");
        output.WriteLine("final text: " + watcher.FinalText());
        var messages = watcher.Messages;
        Assert.True(watcher.HistoryCount > 0, "a viewer joining mid-call gets what was said so far");
        Assert.Equal(Enumerable.Range(1, messages.Count).Select(i => (long)i), messages.Select(m => m.GetProperty("seq").GetInt64()));
        Assert.All(messages, m =>
        {
            Assert.Equal(caller.CallId, m.GetProperty("call_id").GetString());
            Assert.Equal(caller.From, m.GetProperty("from").GetString());
            Assert.Equal(caller.To, m.GetProperty("to").GetString());
        });
        Assert.Equal(said.Digits, DigitErrorRate.DigitsOf(watcher.FinalText()));
        Assert.Equal(["5", "#"], watcher.Dtmf());
        var press = messages.First(m => m.GetProperty("type").GetString() == "Dtmf");
        Assert.InRange(press.GetProperty("duration").GetDouble(), 0.19, 0.21);
        Assert.Equal("Metadata", messages[^1].GetProperty("type").GetString());
        Assert.Equal("RemoteHangup", watcher.Ended!.Value.GetProperty("reason").GetString());
        Assert.Equal(caller.CallId, watcher.Ended.Value.GetProperty("call_id").GetString());

        // Gone from the list; archived with the call's fields; counted.
        Assert.Equal(0, (await server.CallsAsync("Bearer " + token)).Body.GetArrayLength());
        var archived = await ArchivedAsync(server, caller.CallId);
        Assert.Equal(caller.From, archived.GetProperty("from").GetString());
        Assert.Equal(caller.To, archived.GetProperty("to").GetString());
        Assert.Equal("TransportClosed", archived.GetProperty("end_reason").GetString());
        Assert.Equal("sip:trunk", archived.GetProperty("key_id").GetString());
        var metrics = await server.MetricsAsync();
        Assert.Contains("webrtcasr_calls_total 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("webrtcasr_calls_active 0\n", metrics, StringComparison.Ordinal);
        Assert.Contains("webrtcasr_calls_ended_total{reason=\"RemoteHangup\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("webrtcasr_sip_parse_errors 0\n", metrics, StringComparison.Ordinal);
        Assert.Matches(@"webrtcasr_sip_messages_received [3-9]\n", metrics); // INVITE, ACK, BYE (and nothing else)
    }

    [Fact]
    public async Task A_call_signaled_over_tcp_is_captioned_and_hung_up_on_the_same_connection()
    {
        var said = RecognizableDigits.Choose(RepoPaths.Model("digits-en-lstm"), count: 1)[0];
        await using var server = await CallCaptionServer.StartAsync();
        var token = await server.GrantAsync();
        await using var hub = await SignalRJsonClient.ConnectAsync(new Uri(server.HubUri + "?access_token=" + token));
        var watcher = new CallWatcher(hub);
        using var caller = new SipTestCaller(server.Sip.TcpEndpoint!, "tcp-" + Guid.NewGuid().ToString("N")[..12], tcp: true);

        var ok = await caller.InviteAsync(Timeout);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal([100, 200], caller.Statuses);
        await watcher.WatchAsync(caller.CallId);
        await caller.SendRtpAsync(new PhoneRtpStream(0x5EED_0017).Silence(1600).Audio(said.Samples).Silence(8000).Packets);
        await caller.ByeAsync(Timeout);
        await watcher.UntilEndedAsync(Timeout);

        output.WriteLine($"said {said.Digits}; final text: {watcher.FinalText()}; INVITE → 200 OK over TCP in {caller.AnsweredAfter.TotalMilliseconds:F1} ms");
        Assert.Equal([100, 200, 200], caller.Statuses);
        Assert.Equal(said.Digits, DigitErrorRate.DigitsOf(watcher.FinalText()));
        Assert.Equal("RemoteHangup", watcher.Ended!.Value.GetProperty("reason").GetString());
        Assert.Contains("webrtcasr_calls_ended_total{reason=\"RemoteHangup\"} 1\n", await server.MetricsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_cancelled_while_ringing_gets_487_and_leaves_no_session_behind()
    {
        await using var server = await CallCaptionServer.StartAsync(new Dictionary<string, string?> { ["WebRtcAsr:Sip:RingingMs"] = "5000" });
        var token = await server.GrantAsync();
        using var caller = new SipTestCaller(server.SipEndpoint, "cancel-" + Guid.NewGuid().ToString("N")[..12]);

        var (cancelStatus, inviteStatus) = await caller.InviteThenCancelAsync(Timeout);
        output.WriteLine("statuses: " + string.Join(", ", caller.Statuses));
        Assert.Equal(200, cancelStatus);
        Assert.Equal(487, inviteStatus);

        // The call never became a session: not listed, nothing open, the ringing port given back.
        await Task.Delay(200);
        Assert.Equal(0, (await server.CallsAsync("Bearer " + token)).Body.GetArrayLength());
        Assert.Equal(0, server.Registry.Count);
        Assert.Contains("webrtcasr_calls_active 0\n", await server.MetricsAsync(), StringComparison.Ordinal);

        // The next call is answered as usual.
        using var next = new SipTestCaller(server.SipEndpoint, "after-" + Guid.NewGuid().ToString("N")[..12]);
        Assert.Equal(200, (await next.InviteAsync(Timeout)).StatusCode);
        await next.ByeAsync(Timeout);
    }

    [Fact]
    public async Task A_call_beyond_the_session_limit_gets_503_with_the_reason_and_shutdown_hangs_up_the_others()
    {
        var server = await CallCaptionServer.StartAsync(new Dictionary<string, string?> { ["WebRtcAsr:Limits:MaxSessions"] = "1" });
        SipTestCaller? first = null;
        var stopped = false;
        try
        {
            var token = await server.GrantAsync();
            first = new SipTestCaller(server.SipEndpoint, "first-" + Guid.NewGuid().ToString("N")[..8]);
            Assert.Equal(200, (await first.InviteAsync(Timeout)).StatusCode);

            using var second = new SipTestCaller(server.SipEndpoint, "second-" + Guid.NewGuid().ToString("N")[..8]);
            var refused = await second.InviteAsync(Timeout);
            Assert.Equal(503, refused.StatusCode);
            Assert.Contains("session_limit", refused.Headers.Get("Warning"), StringComparison.Ordinal);
            Assert.NotNull(refused.Headers.Get("Retry-After"));
            Assert.Contains("webrtcasr_calls_refused_total{reason=\"ServerFull\"} 1\n", await server.MetricsAsync(), StringComparison.Ordinal);

            await using var hub = await SignalRJsonClient.ConnectAsync(new Uri(server.HubUri + "?access_token=" + token));
            var watcher = new CallWatcher(hub);
            await ListedAsync(server, token, first.CallId);
            await watcher.WatchAsync(first.CallId);
            var metrics = server.CallMetrics;

            // The server stops: the call is hung up (BYE) and counted; its session ends before the host is down.
            stopped = true;
            var stopping = Task.Run(() => server.DisposeAsync().AsTask());
            Assert.True(await first.ByeSeenAsync(Timeout), "the caller got no BYE");
            await stopping.WaitAsync(Timeout);
            Assert.Equal(1, metrics.Ended.ValueOf("LocalHangup"));

            // Viewers are told too while SignalR still has them (best effort: SignalR then closes without flushing).
            var pushed = new List<string>();
            while (hub.Invocations.TryRead(out var invocation))
            {
                pushed.Add(invocation.Target == "CallEnded" ? "CallEnded:" + invocation.Arguments[0].GetProperty("reason").GetString() : invocation.Arguments[0].GetProperty("type").GetString()!);
            }

            output.WriteLine("pushed at shutdown: " + string.Join(", ", pushed));
            Assert.DoesNotContain(pushed, p => p.StartsWith("CallEnded:", StringComparison.Ordinal) && p != "CallEnded:LocalHangup");
        }
        finally
        {
            first?.Dispose();
            if (!stopped)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_silent_call_outlives_the_session_idle_timeout_and_ends_at_the_media_timeout_with_bye()
    {
        await using var server = await CallCaptionServer.StartAsync(new Dictionary<string, string?>
        {
            ["WebRtcAsr:Timeouts:IdleSeconds"] = "0.5",
            ["WebRtcAsr:Sip:MediaInactivitySeconds"] = "3",
        });
        var token = await server.GrantAsync();
        using var caller = new SipTestCaller(server.SipEndpoint, "silent-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(200, (await caller.InviteAsync(Timeout)).StatusCode);
        var listed = await ListedAsync(server, token, caller.CallId);

        // Well past the session idle timeout, the call (no RTP at all) and its session are still up.
        await Task.Delay(1500);
        Assert.Equal(listed.GetProperty("session_id").GetString(), (await ListedAsync(server, token, caller.CallId)).GetProperty("session_id").GetString());
        Assert.NotNull(server.Registry.Find(listed.GetProperty("session_id").GetString()!));

        // No RTP for MediaInactivitySeconds: the server hangs up with BYE and the call's session ends.
        Assert.True(await caller.ByeSeenAsync(TimeSpan.FromSeconds(10)), "no BYE after the media timeout");
        for (var i = 0; i < 200 && server.Calls.Count > 0; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(0, server.Calls.Count);
        Assert.Equal(1, server.CallMetrics.Ended.ValueOf("MediaTimeout"));
        Assert.Null(server.Registry.Find(listed.GetProperty("session_id").GetString()!));
    }

    [Fact]
    public async Task Watching_needs_credentials_and_a_live_call_and_the_list_needs_credentials()
    {
        await using var server = await CallCaptionServer.StartAsync();
        await using (var anonymous = await SignalRJsonClient.ConnectAsync(server.HubUri))
        {
            var refused = await Assert.ThrowsAsync<SignalRHubException>(() => anonymous.InvokeAsync("WatchCall", "anything"));
            Assert.Contains("HubException: unauthorized:", refused.Message, StringComparison.Ordinal);
        }

        var token = await server.GrantAsync();
        await using var hub = await SignalRJsonClient.ConnectAsync(new Uri(server.HubUri + "?access_token=" + token));
        var unknown = await Assert.ThrowsAsync<SignalRHubException>(() => hub.InvokeAsync("WatchCall", "no-such-call"));
        Assert.Contains("HubException: unknown_call:", unknown.Message, StringComparison.Ordinal);
        await hub.InvokeAsync("UnwatchCall", "no-such-call");

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.CallsAsync(null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.CallsAsync("Bearer not-a-token")).Status);
        var listed = await server.CallsAsync("Token " + Support.TestHost.ApiKey);
        Assert.Equal(HttpStatusCode.OK, listed.Status);
        Assert.Equal(JsonValueKind.Array, listed.Body.ValueKind);
    }

    [Fact]
    public async Task A_key_without_WatchCalls_may_caption_its_own_audio_but_neither_list_nor_watch_calls()
    {
        const string AppKey = "web-app-key-0123456789";
        await using var server = await CallCaptionServer.StartAsync(new Dictionary<string, string?>
        {
            ["WebRtcAsr:Auth:Keys:1:Id"] = "web-app",
            ["WebRtcAsr:Auth:Keys:1:Key"] = AppKey,
        });
        using var caller = new SipTestCaller(server.SipEndpoint, "private-" + Guid.NewGuid().ToString("N")[..12]);
        Assert.Equal(200, (await caller.InviteAsync(Timeout)).StatusCode);

        var forbidden = await server.CallsAsync("Token " + AppKey);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Equal("FORBIDDEN", forbidden.Body.GetProperty("err_code").GetString());
        Assert.Contains("'web-app' may not watch phone calls; set WatchCalls to true", forbidden.Body.GetProperty("err_msg").GetString(), StringComparison.Ordinal);

        // Its access token gets into the hub (it may still caption its own microphone) but not into the call.
        var token = await Support.TestHost.GrantAsync(server.BaseUri, AppKey);
        await using (var hub = await SignalRJsonClient.ConnectAsync(new Uri(server.HubUri + "?access_token=" + token)))
        {
            var refused = await Assert.ThrowsAsync<SignalRHubException>(() => hub.InvokeAsync("WatchCall", caller.CallId));
            Assert.Contains("HubException: forbidden: the API key 'web-app' may not watch phone calls", refused.Message, StringComparison.Ordinal);
        }

        // The key with WatchCalls sees the call.
        Assert.Equal(1, (await server.CallsAsync("Token " + Support.TestHost.ApiKey)).Body.GetArrayLength());
        await caller.ByeAsync(Timeout);
    }

    [Fact]
    public async Task A_sip_port_in_use_stops_the_start_with_one_clear_message()
    {
        using var squatter = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)squatter.Client.LocalEndPoint!).Port;
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            CallCaptionServer.StartAsync(new Dictionary<string, string?> { ["WebRtcAsr:Sip:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        output.WriteLine(failure.Message);
        Assert.Contains($"SIP port 127.0.0.1:{port} is already in use", failure.Message, StringComparison.Ordinal);
        Assert.Contains("WebRtcAsr:Sip:Port", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_sip_settings_are_named_with_their_keys()
    {
        var options = new ServerOptions
        {
            Auth = new AuthOptions { AllowUnauthenticatedLocalhost = true },
            Sip = new WebRtcAsr.Server.Calls.SipCallOptions
            {
                ListenAddress = "everywhere",
                Port = 70000,
                MediaPortFirst = 30000,
                MediaPortLast = 30009,
                MaxCalls = 10,
                AllowedSources = ["10.0.0.0/33"],
                Users = [new WebRtcAsr.Server.Calls.SipUserOptions { Name = "trunk", Password = "short" }],
                DigestAlgorithms = ["SHA-1"],
            },
        };
        var result = new ServerOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        output.WriteLine(result.FailureMessage);
        foreach (var expected in new[]
        {
            "WebRtcAsr:Sip:ListenAddress: 'everywhere' is not an IP address",
            "WebRtcAsr:Sip:Port must be 0..65535 (got 70000)",
            "WebRtcAsr:Sip: the media port range 30000..30009 holds 5 calls, fewer than MaxCalls (10)",
            "WebRtcAsr:Sip:AllowedSources: '10.0.0.0/33' is not an IP address or CIDR block",
            "WebRtcAsr:Sip:Users:0:Password must be at least 8 characters",
            "WebRtcAsr:Sip:DigestAlgorithms: 'SHA-1' is not SHA-256 or MD5",
        })
        {
            Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
        }

        Assert.True(new ServerOptionsValidator().Validate(null, new ServerOptions { Auth = new AuthOptions { AllowUnauthenticatedLocalhost = true } }).Succeeded);
    }

    /// <summary>Waits until GET /v1/calls lists the call as active; returns its entry.</summary>
    private static async Task<JsonElement> ListedAsync(CallCaptionServer server, string token, string callId)
    {
        for (var i = 0; i < 200; i++)
        {
            var (status, body) = await server.CallsAsync("Bearer " + token);
            Assert.Equal(HttpStatusCode.OK, status);
            foreach (var call in body.EnumerateArray())
            {
                if (call.GetProperty("call_id").GetString() == callId && call.GetProperty("state").GetString() == "active")
                {
                    Assert.False(string.IsNullOrEmpty(call.GetProperty("session_id").GetString()));
                    Assert.True(call.GetProperty("started").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
                    return call;
                }
            }

            await Task.Delay(25);
        }

        Assert.Fail($"call {callId} was never listed as active");
        return default;
    }

    private static async Task<JsonElement> ArchivedAsync(CallCaptionServer server, string callId)
    {
        for (var i = 0; i < 200; i++)
        {
            var line = server.ArchiveLines().FirstOrDefault(l => l.TryGetProperty("call_id", out var id) && id.GetString() == callId);
            if (line.ValueKind == JsonValueKind.Object)
            {
                return line;
            }

            await Task.Delay(25);
        }

        Assert.Fail($"no archive line for call {callId}");
        return default;
    }
}
