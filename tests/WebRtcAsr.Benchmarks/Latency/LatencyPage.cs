namespace WebRtcAsr.Benchmarks.Latency;

/// <summary>
/// The page the benchmark opens: the product's client module (web/captions-client.js) sending the fake microphone
/// with the browser's voice processing off (echo cancellation, noise suppression and gain control would change the
/// audio and add their own delay; the audio stays bit-exact to the script but for Chromium's resampling to its
/// fake device's 44.1 kHz). The observer script (Clients/page_observer.js, added before the page runs) taps the
/// track and logs every message on the page's clock.
/// </summary>
internal static class LatencyPage
{
    public const string Path = "/latency.html";

    public const string Html = """
        <!doctype html>
        <meta charset="utf-8">
        <title>WebRtcAsr caption latency</title>
        <script type="module">
        import { connect } from '/captions-client.js';

        window.latency = {
          async start(token, endpointing) {
            const constraints = { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 };
            const stream = await navigator.mediaDevices.getUserMedia({ audio: constraints, video: false });
            const session = connect({
              hubUrl: '/hubs/signaling',
              token,
              audio: stream.getAudioTracks()[0],
              options: { interim_results: true, endpointing },
            });
            window.latency.session = session;
            await session.ready;
            return session.peerId;
          },
          close: () => window.latency.session.close(),
        };
        </script>
        """;
}
