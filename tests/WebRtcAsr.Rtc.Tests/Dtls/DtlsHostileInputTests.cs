using WebRtcAsr.Rtc.Dtls;

namespace WebRtcAsr.Rtc.Tests.Dtls;

/// <summary>Garbage, truncation and mutation: never an exception, at worst a clean failure with an alert.</summary>
public class DtlsHostileInputTests
{
    [Fact]
    public void Garbage_datagrams_are_ignored_in_every_state()
    {
        var random = new Random(7);
        using var link = new InMemoryDtlsLink();
        byte[][] garbage =
        [
            [],
            [22],
            [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 1, 2, 3], // length beyond the datagram
            [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 1, 0, 0], // handshake header cut short
            [22, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], // TLS, not DTLS, version
            [23, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4], // epoch 1 before any keys
            [20, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1], // stray ChangeCipherSpec
            [21, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 1, 0, 0], // alert of the wrong length
            [99, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], // unknown content type
        ];
        void Spray()
        {
            foreach (var g in garbage)
            {
                link.Deliver(true, g);
                link.Deliver(false, g);
            }
            for (int i = 0; i < 50; i++)
            {
                var noise = new byte[random.Next(0, 300)];
                random.NextBytes(noise);
                link.Deliver(true, noise);
                link.Deliver(false, noise);
            }
        }

        Spray();
        link.Client.Start(link.NowMicros);
        Spray();
        link.Exchange();
        Spray();
        link.Run();
        Spray();
        link.DrainEvents();
        Assert.Equal(DtlsEndpointState.Connected, link.Server.State);
        Assert.Equal(DtlsEndpointState.Connected, link.Client.State);
        Assert.True(link.Server.DroppedRecords > 0);
    }

    [Fact]
    public void Mutated_handshake_datagrams_never_throw()
    {
        var random = new Random(11);
        for (int round = 0; round < 200; round++)
        {
            using var link = new InMemoryDtlsLink();
            link.Network = (toServer, index, d) =>
            {
                var copy = (byte[])d.Clone();
                if (random.Next(3) == 0 && copy.Length > 0)
                {
                    int flips = random.Next(1, 4);
                    for (int f = 0; f < flips; f++)
                    {
                        copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                    }
                }
                if (random.Next(10) == 0)
                {
                    copy = copy[..random.Next(copy.Length + 1)];
                }
                return [copy];
            };
            link.Handshake(maxSteps: 5000);
            // Corruption either went unnoticed (unauthenticated epoch-0 bytes the peer rejected and
            // retransmission repaired), or ended the handshake with a reason. Never anything else.
            Assert.Contains(link.Server.State, new[] { DtlsEndpointState.Connected, DtlsEndpointState.Failed, DtlsEndpointState.Handshaking });
            Assert.All(link.ServerEvents.Concat(link.ClientEvents), e =>
                Assert.True(e.Kind != DtlsEventKind.Failed || !string.IsNullOrEmpty(e.Reason)));
            if (link.Server.State == DtlsEndpointState.Connected && link.Client.State == DtlsEndpointState.Connected)
            {
                Assert.Equal(link.Server.Connection!.SrtpKeys!.Exported.ToArray(), link.Client.Connection!.SrtpKeys!.Exported.ToArray());
            }
        }
    }

    [Fact]
    public void A_client_hello_offering_only_other_cipher_suites_is_refused()
    {
        using var link = new InMemoryDtlsLink();
        var hello = new DtlsClientHello { Random = new byte[32] };
        hello.CipherSuites.Add(0x002F); // TLS_RSA_WITH_AES_128_CBC_SHA
        hello.Extensions.HasUseSrtp = true;
        hello.Extensions.SrtpProfiles.Add(1);
        byte[] message = DtlsHandshakeMessage.Encode(DtlsHandshakeType.ClientHello, 0, hello.Write());
        byte[] record = new byte[13 + message.Length];
        new DtlsRecordHeader(DtlsContentType.Handshake, DtlsWire.Version10, 0, 0, message.Length).Write(record);
        message.CopyTo(record, 13);
        link.Deliver(true, record);
        link.DrainEvents();
        var failed = Assert.Single(link.ServerEvents);
        Assert.Equal(DtlsAlertDescription.HandshakeFailure, failed.Alert);
        Assert.Contains("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", failed.Reason, StringComparison.Ordinal);
        // The fatal alert went out in the clear.
        var buffer = new byte[DtlsEndpoint.MaxDatagramLength];
        Assert.True(link.Server.PollTransmit(buffer, out int n));
        Assert.Equal(new byte[] { 21, 0xFE, 0xFD }, buffer[..3]);
        Assert.Equal(new byte[] { 2, 40 }, buffer.AsSpan(n - 2, 2).ToArray());
    }

    [Fact]
    public void A_flood_of_far_future_handshake_fragments_is_dropped_not_stored()
    {
        using var link = new InMemoryDtlsLink();
        for (int seq = 100; seq < 2000; seq++)
        {
            byte[] message = new byte[12 + 4];
            new DtlsHandshakeHeader(DtlsHandshakeType.Certificate, 16_000, seq, 0, 4).Write(message);
            byte[] record = new byte[13 + message.Length];
            new DtlsRecordHeader(DtlsContentType.Handshake, DtlsWire.Version12, 0, seq, message.Length).Write(record);
            message.CopyTo(record, 13);
            link.Deliver(true, record);
        }
        Assert.Equal(1900, link.Server.DroppedRecords);
        link.Handshake();
        Assert.Equal(DtlsEndpointState.Connected, link.Server.State);
    }
}
