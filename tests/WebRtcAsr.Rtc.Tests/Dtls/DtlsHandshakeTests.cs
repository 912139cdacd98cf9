using WebRtcAsr.Rtc.Certificates;
using WebRtcAsr.Rtc.Dtls;

namespace WebRtcAsr.Rtc.Tests.Dtls;

public class DtlsHandshakeTests
{
    private static DtlsConnection Connected(List<DtlsRecordedEvent> events)
    {
        var e = Assert.Single(events, x => x.Kind == DtlsEventKind.Connected);
        return e.Connection!;
    }

    [Fact]
    public void Handshake_negotiates_gcm_and_both_sides_hold_the_same_srtp_keys()
    {
        using var link = new InMemoryDtlsLink();
        link.Handshake();

        Assert.Equal(DtlsEndpointState.Connected, link.Server.State);
        Assert.Equal(DtlsEndpointState.Connected, link.Client.State);
        var s = Connected(link.ServerEvents);
        var c = Connected(link.ClientEvents);
        Assert.Equal(DtlsSrtpProfile.AeadAes128Gcm, s.SrtpKeys!.Profile);
        Assert.Equal(DtlsSrtpProfile.AeadAes128Gcm, c.SrtpKeys!.Profile);
        Assert.Equal(56, s.SrtpKeys.Exported.Length);
        Assert.Equal(s.SrtpKeys.Exported.ToArray(), c.SrtpKeys.Exported.ToArray());
        // What one side sends with, the other receives with (RFC 5764 4.2).
        Assert.Equal(s.SrtpKeys.LocalMasterKey.ToArray(), c.SrtpKeys.RemoteMasterKey.ToArray());
        Assert.Equal(s.SrtpKeys.LocalMasterSalt.ToArray(), c.SrtpKeys.RemoteMasterSalt.ToArray());
        Assert.Equal(c.SrtpKeys.LocalMasterKey.ToArray(), s.SrtpKeys.RemoteMasterKey.ToArray());
        Assert.Equal(s.SrtpKeys.ServerWriteKey.ToArray(), s.SrtpKeys.LocalMasterKey.ToArray());
        Assert.Equal(12, s.SrtpKeys.ClientWriteSalt.Length);
        Assert.NotEqual(s.SrtpKeys.ClientWriteKey.ToArray(), s.SrtpKeys.ServerWriteKey.ToArray());
        Assert.Equal(link.ClientCertificate.FingerprintSha256, s.PeerFingerprint);
        Assert.Equal(link.ServerCertificate.FingerprintSha256, c.PeerFingerprint);
        Assert.True(s.ExtendedMasterSecret);
        Assert.Equal(0xC02B, s.CipherSuite);
        Assert.Null(link.Server.NextTimeoutMicros);
        Assert.Null(link.Client.NextTimeoutMicros);
        Assert.Empty(link.TimeoutsFired);
        Assert.Equal(link.Server.ExportKeyingMaterial("EXTRACTOR-test", 20), link.Client.ExportKeyingMaterial("EXTRACTOR-test", 20));
    }

    [Fact]
    public void Server_picks_cm_when_client_offers_only_cm()
    {
        using var link = new InMemoryDtlsLink(clientOptions: new DtlsOptions { SrtpProfiles = [DtlsSrtpProfile.Aes128CmHmacSha1_80] });
        link.Handshake();

        var s = Connected(link.ServerEvents);
        var c = Connected(link.ClientEvents);
        Assert.Equal(DtlsSrtpProfile.Aes128CmHmacSha1_80, s.SrtpKeys!.Profile);
        Assert.Equal(60, s.SrtpKeys.Exported.Length);
        Assert.Equal(14, s.SrtpKeys.ServerWriteSalt.Length);
        Assert.Equal(s.SrtpKeys.Exported.ToArray(), c.SrtpKeys!.Exported.ToArray());
    }

    [Fact]
    public void Server_prefers_gcm_even_when_client_lists_cm_first()
    {
        using var link = new InMemoryDtlsLink(clientOptions: new DtlsOptions
        {
            SrtpProfiles = [DtlsSrtpProfile.Aes128CmHmacSha1_80, DtlsSrtpProfile.AeadAes128Gcm],
        });
        link.Handshake();
        Assert.Equal(DtlsSrtpProfile.AeadAes128Gcm, Connected(link.ClientEvents).SrtpKeys!.Profile);
    }

    [Fact]
    public void Server_refuses_a_client_without_common_srtp_profile()
    {
        using var link = new InMemoryDtlsLink(
            serverOptions: new DtlsOptions { SrtpProfiles = [DtlsSrtpProfile.AeadAes128Gcm] },
            clientOptions: new DtlsOptions { SrtpProfiles = [DtlsSrtpProfile.Aes128CmHmacSha1_80] });
        link.Handshake();
        var failed = Assert.Single(link.ServerEvents);
        Assert.Equal(DtlsEventKind.Failed, failed.Kind);
        Assert.Contains("SRTP", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(DtlsEventKind.Failed, Assert.Single(link.ClientEvents).Kind);
        Assert.Equal(DtlsAlertDescription.HandshakeFailure, link.ClientEvents[0].Alert);
    }

    [Fact]
    public void Cookie_exchange_completes_and_the_server_keeps_no_timer_for_the_cookie()
    {
        using var link = new InMemoryDtlsLink(serverOptions: new DtlsOptions { UseCookie = true });
        link.Client.Start(link.NowMicros);
        link.Exchange(); // ClientHello → server
        Assert.Null(link.Server.NextTimeoutMicros);
        link.Run();
        Assert.Equal(DtlsEndpointState.Connected, link.Server.State);
        Assert.Equal(DtlsEndpointState.Connected, link.Client.State);
        Assert.Equal(Connected(link.ServerEvents).SrtpKeys!.Exported.ToArray(), Connected(link.ClientEvents).SrtpKeys!.Exported.ToArray());
        // ClientHello, ClientHello+cookie, flight 5.
        Assert.Equal(3, link.ToServerLog.Count);
        Assert.True(link.Client.ReceivedHelloVerifyRequest);
    }

    [Fact]
    public void Client_certificate_not_matching_the_offer_fingerprint_is_refused_with_bad_certificate()
    {
        using var other = DtlsCertificate.Generate(InMemoryDtlsLink.Epoch);
        using var link = new InMemoryDtlsLink(serverExpects: other.FingerprintSha256);
        link.Handshake();

        var s = Assert.Single(link.ServerEvents);
        Assert.Equal(DtlsEventKind.Failed, s.Kind);
        Assert.Equal(DtlsAlertDescription.BadCertificate, s.Alert);
        Assert.Contains("does not match the SDP fingerprint", s.Reason, StringComparison.Ordinal);
        var c = Assert.Single(link.ClientEvents);
        Assert.Equal(DtlsEventKind.Failed, c.Kind);
        Assert.Equal(DtlsAlertDescription.BadCertificate, c.Alert);
        Assert.Equal(DtlsEndpointState.Failed, link.Server.State);
        Assert.Null(link.Server.NextTimeoutMicros);
    }

    [Fact]
    public void Server_certificate_not_matching_the_answer_fingerprint_is_refused_by_the_client()
    {
        using var other = DtlsCertificate.Generate(InMemoryDtlsLink.Epoch);
        using var link = new InMemoryDtlsLink(clientExpects: other.FingerprintSha256);
        link.Handshake();

        var c = Assert.Single(link.ClientEvents);
        Assert.Equal(DtlsEventKind.Failed, c.Kind);
        Assert.Equal(DtlsAlertDescription.BadCertificate, c.Alert);
        Assert.Contains(link.ServerCertificate.FingerprintSha256.HexValue, c.Reason, StringComparison.Ordinal);
        Assert.Equal(DtlsAlertDescription.BadCertificate, Assert.Single(link.ServerEvents).Alert);
    }

    [Fact]
    public void A_fingerprint_with_another_hash_function_is_checked_with_that_function()
    {
        using var link0 = new InMemoryDtlsLink();
        var sha512 = CertificateFingerprint.Compute(link0.ClientCertificate.Der, "sha-512");
        // Rebuild the server with a sha-512 expectation of the same client certificate.
        using var server = new DtlsServer(link0.ServerCertificate, sha512);
        link0.Client.Start(0);
        var buffer = new byte[DtlsEndpoint.MaxDatagramLength];
        for (int round = 0; round < 10; round++)
        {
            while (link0.Client.PollTransmit(buffer, out int n)) { server.HandleReceive(buffer.AsSpan(0, n), 0); }
            while (server.PollTransmit(buffer, out int n)) { link0.Client.HandleReceive(buffer.AsSpan(0, n), 0); }
        }
        Assert.Equal(DtlsEndpointState.Connected, server.State);
        Assert.Equal(DtlsEndpointState.Connected, link0.Client.State);
    }

    [Fact]
    public void Handshake_fragments_flights_to_a_small_mtu_and_still_completes()
    {
        var options = new DtlsOptions { Mtu = 256 };
        using var link = new InMemoryDtlsLink(serverOptions: options, clientOptions: options);
        link.Handshake();
        Assert.Equal(DtlsEndpointState.Connected, link.Client.State);
        Assert.All(link.ToClientLog, d => Assert.True(d.Length <= 256));
        Assert.All(link.ToServerLog, d => Assert.True(d.Length <= 256));
        Assert.True(link.ToClientLog.Count >= 3, "server flight should need several datagrams at MTU 256");
    }
}
