using System.Text;
using WebRtcAsr.Rtc.Dtls;

namespace WebRtcAsr.Rtc.Tests.Dtls;

/// <summary>The building blocks: PRF, record header, replay window, reassembly, record protection.</summary>
public class DtlsPrimitiveTests
{
    [Fact]
    public void Prf_sha256_matches_the_published_tls12_test_vector()
    {
        // The TLS 1.2 PRF-SHA256 vector posted to the IETF TLS list (also what `openssl kdf TLS1-PRF` gives).
        byte[] secret = Convert.FromHexString("9bbe436ba940f017b17652849a71db35");
        byte[] seed = Convert.FromHexString("a0ba9f936cda311827a6f796ffd5198c");
        byte[] expected = Convert.FromHexString(
            "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66");
        Assert.Equal(expected, TlsPrf.Derive(secret, "test label", seed, 100));
    }

    [Fact]
    public void Record_header_round_trips_and_rejects_truncation()
    {
        var header = new DtlsRecordHeader(DtlsContentType.ApplicationData, DtlsWire.Version12, 1, 0x0000_1234_5678_9ABC, 3);
        byte[] wire = new byte[16];
        header.Write(wire);
        Assert.Equal(Convert.FromHexString("17FEFD0001123456789ABC0003000000"), wire);
        Assert.True(DtlsRecordHeader.TryParse(wire, out var parsed));
        Assert.Equal(header, parsed);
        Assert.False(DtlsRecordHeader.TryParse(wire.AsSpan(0, 15), out _));
        Assert.False(DtlsRecordHeader.TryParse(wire.AsSpan(0, 12), out _));
    }

    [Fact]
    public void Replay_window_accepts_each_number_once_and_forgets_beyond_64()
    {
        var window = new DtlsReplayWindow();
        Assert.True(window.IsFresh(5));
        window.Accept(5);
        Assert.False(window.IsFresh(5));
        Assert.True(window.IsFresh(3));
        window.Accept(3);
        Assert.False(window.IsFresh(3));
        window.Accept(100);
        Assert.True(window.IsFresh(37));
        Assert.False(window.IsFresh(36)); // 64 behind the highest: too old to tell, so refused
        Assert.True(window.IsFresh(99));
        window.Accept(99);
        Assert.False(window.IsFresh(99));
        Assert.True(window.IsFresh(101));
        window.Accept(1000);
        Assert.False(window.IsFresh(100));
        Assert.True(window.IsFresh(999));
    }

    [Fact]
    public void Reassembler_joins_out_of_order_and_overlapping_fragments_and_releases_in_sequence()
    {
        var r = new DtlsHandshakeReassembler();
        byte[] body = Encoding.ASCII.GetBytes("0123456789");
        byte[] second = Encoding.ASCII.GetBytes("xy");
        // Message 1 arrives complete before message 0.
        Assert.Equal(DtlsFragmentDisposition.Accepted, r.Add(new(DtlsHandshakeType.ServerKeyExchange, 2, 1, 0, 2), second, 0));
        Assert.False(r.TryTakeNext(out _));
        Assert.Equal(DtlsFragmentDisposition.Accepted, r.Add(new(DtlsHandshakeType.Certificate, 10, 0, 6, 4), body.AsSpan(6, 4), 0));
        Assert.Equal(DtlsFragmentDisposition.Accepted, r.Add(new(DtlsHandshakeType.Certificate, 10, 0, 0, 4), body.AsSpan(0, 4), 0));
        Assert.False(r.TryTakeNext(out _));
        Assert.Equal(DtlsFragmentDisposition.Accepted, r.Add(new(DtlsHandshakeType.Certificate, 10, 0, 3, 5), body.AsSpan(3, 5), 0));
        Assert.True(r.TryTakeNext(out var m0));
        Assert.Equal(body, m0!.Body);
        Assert.True(r.TryTakeNext(out var m1));
        Assert.Equal(second, m1!.Body);
        Assert.Equal(2, r.NextSeq);
        Assert.Equal(DtlsFragmentDisposition.Old, r.Add(new(DtlsHandshakeType.Certificate, 10, 0, 0, 4), body.AsSpan(0, 4), 0));
    }

    [Fact]
    public void Reassembler_drops_inconsistent_oversized_and_far_future_fragments()
    {
        var r = new DtlsHandshakeReassembler();
        Assert.Equal(DtlsFragmentDisposition.Accepted, r.Add(new(DtlsHandshakeType.Certificate, 10, 0, 0, 2), [1, 2], 0));
        Assert.Equal(DtlsFragmentDisposition.Dropped, r.Add(new(DtlsHandshakeType.Certificate, 11, 0, 2, 2), [3, 4], 0));
        Assert.Equal(DtlsFragmentDisposition.Dropped, r.Add(new(DtlsHandshakeType.Finished, 10, 0, 2, 2), [3, 4], 0));
        Assert.Equal(DtlsFragmentDisposition.Dropped, r.Add(new(DtlsHandshakeType.Certificate, 10, 0, 2, 2), [3, 4], 1));
        Assert.Equal(DtlsFragmentDisposition.Dropped, r.Add(new(DtlsHandshakeType.Certificate, 1 << 20, 1, 0, 2), [3, 4], 0));
        Assert.Equal(DtlsFragmentDisposition.Dropped, r.Add(new(DtlsHandshakeType.Certificate, 2, DtlsHandshakeReassembler.Window, 0, 2), [3, 4], 0));
        Assert.Equal(DtlsFragmentDisposition.Dropped, r.Add(new(DtlsHandshakeType.Certificate, 10, 0, 2, 3), [3, 4], 0));
    }

    [Fact]
    public void Handshake_header_rejects_a_fragment_beyond_the_message()
    {
        byte[] wire = new byte[12];
        new DtlsHandshakeHeader(DtlsHandshakeType.Finished, 12, 3, 10, 4).Write(wire);
        var reader = new TlsWireReader(wire);
        Assert.False(DtlsHandshakeHeader.TryParse(ref reader, out _));
    }

    [Fact]
    public void Gcm_record_protection_round_trips_and_binds_the_header()
    {
        byte[] key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
        byte[] salt = Convert.FromHexString("a0a1a2a3");
        using var sealer = new DtlsGcmRecordCipher(key, salt);
        using var opener = new DtlsGcmRecordCipher(key, salt);
        var header = new DtlsRecordHeader(DtlsContentType.ApplicationData, DtlsWire.Version12, 1, 7, 5);
        byte[] fragment = new byte[5 + DtlsWire.GcmRecordOverhead];
        Assert.Equal(fragment.Length, sealer.Seal(header, "hello"u8, fragment));
        // The explicit nonce is epoch || sequence.
        Assert.Equal(Convert.FromHexString("0001000000000007"), fragment[..8]);
        var plain = new byte[64];
        var wireHeader = header with { Length = fragment.Length };
        Assert.True(opener.TryOpen(wireHeader, fragment, plain, out int n));
        Assert.Equal("hello"u8.ToArray(), plain[..n]);
        Assert.False(opener.TryOpen(wireHeader with { SequenceNumber = 8 }, fragment, plain, out _));
        Assert.False(opener.TryOpen(wireHeader with { Type = DtlsContentType.Alert }, fragment, plain, out _));
        Assert.False(opener.TryOpen(wireHeader, fragment.AsSpan(0, 10), plain, out _));
    }

    [Fact]
    public void Srtp_keying_material_splits_as_rfc5764_says()
    {
        byte[] exported = Enumerable.Range(0, 60).Select(i => (byte)i).ToArray();
        var server = new DtlsSrtpKeyingMaterial(DtlsSrtpProfile.Aes128CmHmacSha1_80, exported, isServer: true);
        var client = new DtlsSrtpKeyingMaterial(DtlsSrtpProfile.Aes128CmHmacSha1_80, exported, isServer: false);
        Assert.Equal(exported[0..16], server.ClientWriteKey.ToArray());
        Assert.Equal(exported[16..32], server.ServerWriteKey.ToArray());
        Assert.Equal(exported[32..46], server.ClientWriteSalt.ToArray());
        Assert.Equal(exported[46..60], server.ServerWriteSalt.ToArray());
        Assert.Equal(server.ServerWriteKey.ToArray(), server.LocalMasterKey.ToArray());
        Assert.Equal(server.ClientWriteSalt.ToArray(), server.RemoteMasterSalt.ToArray());
        Assert.Equal(client.ClientWriteKey.ToArray(), client.LocalMasterKey.ToArray());
        Assert.Equal(56, DtlsSrtpProfileLengths.KeyingMaterialLength(DtlsSrtpProfile.AeadAes128Gcm));
        Assert.Throws<ArgumentException>(() => new DtlsSrtpKeyingMaterial(DtlsSrtpProfile.AeadAes128Gcm, exported, true));
    }

    [Fact]
    public void Hello_extensions_reject_duplicates_and_malformed_use_srtp()
    {
        byte[] duplicate = Convert.FromHexString("0017000000170000");
        Assert.False(DtlsHelloExtensions.TryParse(duplicate, out _, out var error));
        Assert.Contains("duplicate", error, StringComparison.Ordinal);
        byte[] badSrtp = Convert.FromHexString("000E00030001FF"); // odd profile list length
        Assert.False(DtlsHelloExtensions.TryParse(badSrtp, out _, out _));
        // use_srtp with GCM then CM and an empty MKI, as Chromium sends it.
        byte[] good = Convert.FromHexString("000E0007000400070001" + "00");
        Assert.True(DtlsHelloExtensions.TryParse(good, out var ext, out _));
        Assert.Equal(new ushort[] { 7, 1 }, ext.SrtpProfiles);
    }
}
