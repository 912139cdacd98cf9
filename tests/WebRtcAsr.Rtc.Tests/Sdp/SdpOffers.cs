namespace WebRtcAsr.Rtc.Tests.Sdp;

/// <summary>
/// Offers in the exact shape real peers send, kept as files under Offers/: Chromium 120
/// (audio + data channel, mDNS host candidate, trickle), Firefox 121 (session-level
/// fingerprint, no candidates) written to their known shape, and aiortc 1.4 (Debian
/// python3-aiortc 1.4.0 createOffer output: candidates inline, one ICE transport per m-section,
/// legacy "DTLS/SCTP 5000" data channel).
/// </summary>
internal static class SdpOffers
{
    public static string Chromium => Read("chromium-120.sdp");

    public static string Firefox => Read("firefox-121.sdp");

    public static string Aiortc => Read("aiortc-1.4.sdp");

    private static string Read(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sdp", "Offers", name));
}
