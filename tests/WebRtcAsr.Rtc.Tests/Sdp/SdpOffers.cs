namespace WebRtcAsr.Rtc.Tests.Sdp;

/// <summary>
/// Offers in the exact shape real peers send, kept as files under Offers/: Chromium 156
/// (captured from Debian chromium 156 createOffer with an audio track and a data channel), a
/// Chromium-120-shaped one with an srflx candidate written from its known shape, Firefox ESR 153
/// (captured: session-level fingerprint and direction, no candidates until trickled), and aiortc 1.4 (Debian
/// python3-aiortc 1.4.0 createOffer output: candidates inline, one ICE transport per m-section,
/// legacy "DTLS/SCTP 5000" data channel).
/// </summary>
internal static class SdpOffers
{
    public static string Chromium => Read("chromium-120.sdp");

    public static string Chromium156 => Read("chromium-156.sdp");

    public static string Firefox => Read("firefox-esr-153.sdp");

    public static string Aiortc => Read("aiortc-1.4.sdp");

    private static string Read(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sdp", "Offers", name));
}
