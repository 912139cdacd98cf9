using WebRtcAsr.Rtc.PeerConnection;
using WebRtcAsr.Server.Tests.Signaling;
using WebRtcAsr.Server.Tests.Support;
using WebRtcAsr.Speech.Captions;

namespace WebRtcAsr.Server.Tests.Browser;

/// <summary>
/// A browser peer is a caption session, end to end over 127.0.0.1: the real hub (with an access token), the real UDP
/// transport, our client-role PeerConnection sending Opus RTP of a committed spoken-digit WAV, the LSTM fixture model
/// (untrained: its words are not the digits, but they come deterministically while someone speaks). About 1 s of
/// audio per test, sent at about ten times real time.
/// </summary>
public sealed class BrowserCaptionTests(BrowserCaptionServer server) : IClassFixture<BrowserCaptionServer>
{
    [Fact]
    public async Task Speech_gets_interims_then_finals_and_CloseStream_ends_with_Metadata_and_closes_the_peer()
    {
        await using var signaling = await ConnectSignalingAsync();
        await using var client = await CaptionPeerClient.ConnectAsync(signaling, server.UdpEndPoint);
        Assert.True(await client.WaitForChannelAsync());

        // An utterance and the silence after it: the VAD ends it with a final (speech_final).
        await client.SendAudioAsync(SpeechAudio.WithSilence(SpeechAudio.Load(), 1.5));
        Assert.True(await client.WaitForAsync(m => m.Any(x => x is ResultsMessage { IsFinal: true, SpeechFinal: true })), Describe(client));
        var messages = client.Messages;
        var final = messages.OfType<ResultsMessage>().First(r => r.IsFinal);
        var interims = messages.OfType<ResultsMessage>().Where(r => !r.IsFinal).ToList();
        Assert.NotEmpty(interims);
        Assert.True(interims[0].Seq < final.Seq);
        Assert.NotEmpty(final.Transcript());

        // Speech cut short by Finalize: its words come as a final from_finalize.
        await client.SendAudioAsync(SpeechAudio.Load("digits-95-lucas.wav"));
        client.Send("{\"type\":\"Finalize\"}");
        Assert.True(await client.WaitForAsync(m => m.Any(x => x is ResultsMessage { IsFinal: true, FromFinalize: true })), Describe(client));

        client.Send("{\"type\":\"CloseStream\"}");
        Assert.True(await client.WaitForAsync(m => m.Count > 0 && m[^1] is MetadataMessage), Describe(client));
        Assert.True(await PeerEventLog.WaitForAsync(() => client.Has(PeerConnectionState.Closed)), "the server did not close the peer");
        messages = client.Messages;
        Captions.AssertCompleteSequence(messages, client.SessionId);
        var metadata = Assert.IsType<MetadataMessage>(messages[^1]);
        Assert.Equal(client.SessionId, metadata.RequestId);
        Assert.True(metadata.Duration > 3, $"duration {metadata.Duration}");
        Assert.True(await server.NothingLeftAsync(), server.Counts());

        // The media path's counters reached /metrics.
        var (samples, _) = Metrics.PrometheusText.Parse(await server.MetricsAsync());
        double Value(string name) => samples.Single(s => s.Name == name && s.Labels.Count == 0).Value;
        Assert.True(Value("webrtcasr_rtp_packets_received_total") > 100);
        Assert.True(Value("webrtcasr_udp_datagrams_in") > 100);
        Assert.Equal(0, Value("webrtcasr_webrtc_peers"));
    }

    [Fact]
    public async Task Audio_sent_before_the_captions_channel_opens_is_delivered_once_it_opens()
    {
        await using var signaling = await ConnectSignalingAsync();
        await using var client = await CaptionPeerClient.ConnectAsync(signaling, server.UdpEndPoint, openCaptionsFirst: false);
        await client.SendAudioAsync(SpeechAudio.WithSilence(SpeechAudio.Load(), 1.5));
        var session = server.Registry.Find(client.SessionId)!;
        Assert.True(await PeerEventLog.WaitForAsync(() => session.PendingMessages > 0 && client.Messages.Count == 0));

        client.OpenCaptions();
        Assert.True(await client.WaitForAsync(m => m.Any(x => x is ResultsMessage { IsFinal: true })), Describe(client));
        client.Send("{\"type\":\"CloseStream\"}");
        Assert.True(await client.WaitForAsync(m => m.Count > 0 && m[^1] is MetadataMessage), Describe(client));
        var messages = client.Messages;
        Captions.AssertCompleteSequence(messages, client.SessionId); // from seq 1: nothing produced before the channel was lost
        Assert.Contains(messages, m => m is ResultsMessage { IsFinal: false });
        Assert.True(await server.NothingLeftAsync(), server.Counts());
    }

    [Fact]
    public async Task A_reconnect_with_session_id_and_last_seq_has_no_duplicates_and_no_missing_finals()
    {
        await using var signaling = await ConnectSignalingAsync();
        await using var first = await CaptionPeerClient.ConnectAsync(signaling, server.UdpEndPoint);
        Assert.True(await first.WaitForChannelAsync());
        await first.SendAudioAsync(SpeechAudio.WithSilence(SpeechAudio.Load(), 1.5));
        Assert.True(await first.WaitForAsync(m => m.Any(x => x is ResultsMessage { IsFinal: true })), Describe(first));

        // The client believes its connection dropped and saw all but the last message it was sent (lost in flight):
        // it offers again, resuming after the one before. The server hands the session to the new peer and closes the old.
        var seen = first.Messages.ToList();
        seen = seen.Take(seen.Count - 1).ToList();
        await using var second = await CaptionPeerClient.ConnectAsync(signaling, server.UdpEndPoint, resume: (first.SessionId, seen[^1].Seq));
        Assert.Equal(first.SessionId, second.SessionId);
        Assert.True(await second.WaitForChannelAsync());
        Assert.True(await PeerEventLog.WaitForAsync(() => first.Has(PeerConnectionState.Closed)), "the superseded peer was not closed");

        await second.SendAudioAsync(SpeechAudio.Load("digits-95-lucas.wav"));
        second.Send("{\"type\":\"Finalize\"}");
        second.Send("{\"type\":\"CloseStream\"}");
        Assert.True(await second.WaitForAsync(m => m.Count > 0 && m[^1] is MetadataMessage), Describe(second));

        var all = seen.Concat(second.Messages).ToList();
        Captions.AssertCompleteSequence(all, first.SessionId);
        Assert.True(all.Finals().Count() >= 2, string.Join("\n", all.Select(CaptionJson.Serialize)));
        Assert.Contains(all, m => m is ResultsMessage { IsFinal: true, FromFinalize: true });
        Assert.True(await server.NothingLeftAsync(), server.Counts());
    }

    [Fact]
    public async Task Hang_up_detaches_and_the_session_ends_after_the_reconnect_grace_leaving_nothing()
    {
        await using var signaling = await ConnectSignalingAsync();
        await using var client = await CaptionPeerClient.ConnectAsync(signaling, server.UdpEndPoint);
        Assert.True(await client.WaitForChannelAsync());
        Assert.Equal(1, server.Binder.CallCount);
        Assert.NotNull(server.Registry.Find(client.SessionId));

        await signaling.InvokeAsync("HangUp", client.PeerId);
        Assert.True(await PeerEventLog.WaitForAsync(() => client.Has(PeerConnectionState.Closed) && server.Binder.CallCount == 0));
        Assert.NotNull(server.Registry.Find(client.SessionId)); // kept for a reconnect, for the grace
        Assert.True(await server.NothingLeftAsync(), server.Counts());
    }

    [Fact]
    public async Task Readyz_includes_the_bound_UDP_port()
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        using var ready = await http.GetAsync(new Uri("readyz", UriKind.Relative));
        var body = await ready.Content.ReadAsStringAsync();
        Assert.True(ready.IsSuccessStatusCode, body);
        Assert.Contains("\"udp\":\"ready\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offers_without_credentials_are_refused_in_plain_words()
    {
        await using var signaling = await SignalRJsonClient.ConnectAsync(server.HubUri);
        using var pc = PeerConnection.CreateOffer(new PeerConnectionOptions { Certificate = Rtc.Certificates.DtlsCertificate.Generate(DateTimeOffset.UtcNow) }, 0);
        var error = await Assert.ThrowsAsync<SignalRHubException>(() => signaling.InvokeAsync("Offer", pc.LocalDescription));
        Assert.Contains("HubException: unauthorized: credentials are required", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Registry.Count);
        Assert.Equal(0, server.Transport.PeerCount);
    }

    private async Task<SignalRJsonClient> ConnectSignalingAsync()
    {
        var token = await server.GrantAsync();
        return await SignalRJsonClient.ConnectAsync(new Uri(server.HubUri + "?access_token=" + Uri.EscapeDataString(token)));
    }

    private static string Describe(CaptionPeerClient client) =>
        string.Join("\n", client.Messages.Select(CaptionJson.Serialize));
}
