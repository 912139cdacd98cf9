using WebRtcAsr.Rtc.Dtls;

namespace WebRtcAsr.Rtc.Tests.Dtls;

/// <summary>Version and extension policy of the server towards hand-built ClientHellos.</summary>
public class DtlsServerPolicyTests
{
    private static DtlsRecordedEvent SendClientHello(DtlsClientHello hello, DtlsOptions? options = null)
    {
        using var link = new InMemoryDtlsLink(serverOptions: options);
        byte[] message = DtlsHandshakeMessage.Encode(DtlsHandshakeType.ClientHello, 0, hello.Write());
        byte[] record = new byte[13 + message.Length];
        new DtlsRecordHeader(DtlsContentType.Handshake, DtlsWire.Version10, 0, 0, message.Length).Write(record);
        message.CopyTo(record, 13);
        link.Deliver(true, record);
        link.DrainEvents();
        return link.ServerEvents.Count == 0 ? new DtlsRecordedEvent(DtlsEventKind.Connected, null, null, "no event", null) : link.ServerEvents[0];
    }

    private static DtlsClientHello WebRtcLikeHello(bool ems = true, ushort version = DtlsWire.Version12)
    {
        var hello = new DtlsClientHello { Random = new byte[32], Version = version };
        hello.CipherSuites.Add(DtlsWire.CipherEcdheEcdsaAes128GcmSha256);
        hello.Extensions.HasUseSrtp = true;
        hello.Extensions.SrtpProfiles.Add(7);
        hello.Extensions.ExtendedMasterSecret = ems;
        return hello;
    }

    [Fact]
    public void Dtls_1_0_only_clients_are_refused_with_protocol_version()
    {
        var e = SendClientHello(WebRtcLikeHello(version: DtlsWire.Version10));
        Assert.Equal(DtlsEventKind.Failed, e.Kind);
        Assert.Equal(DtlsAlertDescription.ProtocolVersion, e.Alert);
    }

    [Fact]
    public void Clients_without_extended_master_secret_are_refused_unless_allowed()
    {
        var refused = SendClientHello(WebRtcLikeHello(ems: false));
        Assert.Equal(DtlsAlertDescription.HandshakeFailure, refused.Alert);
        Assert.Contains("extended_master_secret", refused.Reason, StringComparison.Ordinal);
        var allowed = SendClientHello(WebRtcLikeHello(ems: false), new DtlsOptions { RequireExtendedMasterSecret = false });
        Assert.Equal("no event", allowed.Reason); // answered with flight 4, no failure
    }

    [Fact]
    public void Legacy_master_secret_handshake_completes_when_both_sides_allow_it()
    {
        using var link = new InMemoryDtlsLink(
            serverOptions: new DtlsOptions { RequireExtendedMasterSecret = false },
            clientOptions: new DtlsOptions { RequireExtendedMasterSecret = false, OfferExtendedMasterSecret = false });
        link.Handshake();
        Assert.False(link.Server.Connection!.ExtendedMasterSecret);
        Assert.False(link.Client.Connection!.ExtendedMasterSecret);
        Assert.Equal(link.Server.Connection.SrtpKeys!.Exported.ToArray(), link.Client.Connection.SrtpKeys!.Exported.ToArray());
    }

    [Fact]
    public void Client_refuses_a_server_that_drops_extended_master_secret()
    {
        using var link = new InMemoryDtlsLink(
            serverOptions: new DtlsOptions { RequireExtendedMasterSecret = false },
            clientOptions: new DtlsOptions { OfferExtendedMasterSecret = false });
        link.Handshake();
        var failed = Assert.Single(link.ClientEvents);
        Assert.Contains("extended_master_secret", failed.Reason, StringComparison.Ordinal);
    }
}
