using System.Net;
using System.Text;
using WebRtcAsr.Sip.Tests.Calls;
using WebRtcAsr.Sip.Messages;
using WebRtcAsr.Sip.Sdp;
using WebRtcAsr.Sip.Transactions;
using Xunit.Abstractions;

namespace WebRtcAsr.Sip.Tests.Messages;

/// <summary>
/// Seeded mutation fuzzing over valid messages: byte flips, insertions, truncation, duplicated and deleted
/// header lines, huge values. Nothing may escape or fault inside the parser, and every malformed request
/// that reaches the server is either answered (4xx/5xx) or dropped and counted.
/// </summary>
public class MutationFuzzTests(ITestOutputHelper output)
{
    private const int Mutations = 4000;

    private static readonly string[] Corpus =
    [
        new TrunkCall("fuzz-invite").Invite(),
        new TrunkCall("fuzz-options").Request("OPTIONS", "z9hG4bK-o", 1, "Accept: application/sdp\n", string.Empty),
        new TrunkCall("fuzz-bye").Request("BYE", "z9hG4bK-b", 2, string.Empty, string.Empty),
        new TrunkCall("fuzz-cancel").Cancel(),
        """
        SIP/2.0 200 OK
        Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc;rport=5060;received=192.0.2.1
        From: <sip:100@192.0.2.1>;tag=abc
        To: "Caller" <sip:+15551230000@198.51.100.7>;tag=def
        Call-ID: fuzz-response
        CSeq: 1 BYE
        Content-Length: 0


        """,
        """
        INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0
        TO :
         sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n
        from   : "J Rosenberg \\\""       <sip:jdrosen@example.com>
          ;
          tag = 98asjd8
        MaX-fOrWaRdS: 0068
        Call-ID: wsinv.ndaksdj@192.0.2.1
        cseq: 0009
          INVITE
        Via  : SIP  /   2.0
         /UDP
            192.0.2.2;branch=390skdjuw
        v:  SIP  / 2.0  / TCP     spindle.example.com   ;
          branch  =   z9hG4bK9ikj8  ,
         SIP  /    2.0   / UDP  192.168.255.111   ; branch=
         z9hG4bK30239
        m:"Quoted string \"\"" <sip:jdrosen@example.com> ; newparam =
              newvalue ;
          secondparam ; q = 0.33
        Content-Type: application/sdp

        v=0
        o=mhandley 29739 7272939 IN IP4 192.0.2.3
        s=-
        c=IN IP4 192.0.2.4
        t=0 0
        m=audio 49217 RTP/AVP 0 12

        """,
    ];

    private static byte[] Mutate(byte[] message, Random random)
    {
        var bytes = new List<byte>(message);
        var steps = random.Next(1, 4);
        for (var step = 0; step < steps && bytes.Count > 0; step++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(8))
            {
                case 0: // flip a byte
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1: // insert random bytes
                    bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 8)).Select(_ => (byte)random.Next(256)));
                    break;
                case 2: // truncate
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3: // duplicate a header line
                case 4: // delete a line
                {
                    var lines = Encoding.Latin1.GetString([.. bytes]).Split("\r\n").ToList();
                    var line = random.Next(lines.Count);
                    if (random.Next(2) == 0 && line > 0)
                    {
                        lines.Insert(line, lines[line]);
                    }
                    else
                    {
                        lines.RemoveAt(line);
                    }

                    bytes = [.. Encoding.Latin1.GetBytes(string.Join("\r\n", lines))];
                    break;
                }

                case 5: // a huge value
                    bytes.InsertRange(at, Enumerable.Repeat((byte)(random.Next(2) == 0 ? '9' : 'a'), random.Next(100, 20_000)));
                    break;
                case 6: // special characters that parsers trip over
                    bytes.Insert(at, "\"<>;,:=@%\\\r\n\0 "u8[random.Next(14)]);
                    break;
                default: // swap two bytes
                    var other = random.Next(bytes.Count);
                    (bytes[at], bytes[other]) = (bytes[other], bytes[at]);
                    break;
            }
        }

        return [.. bytes];
    }

    [Fact]
    public void Parser_never_faults_and_server_answers_or_counts_every_bad_message()
    {
        var random = new Random(20261121);
        var server = new SipServer(ServerHarness.Options() with { RequestsPerSecondPerSource = 1e9, RequestBurstPerSource = 1e9, MaxCalls = 10_000 });
        var now = TimeSpan.FromSeconds(1);
        var flow = new SipFlow(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("198.51.100.7"), 5060));
        var corpus = Corpus.Select(SipText.Wire).ToArray();
        var invalid = 0;
        for (var i = 0; i < Mutations; i++)
        {
            var mutated = Mutate(corpus[random.Next(corpus.Length)], random);
            var datagram = SipMessageParser.Parse(mutated, SipLimits.Default, datagram: true);
            Assert.False(datagram.Error?.StartsWith("parser fault", StringComparison.Ordinal) ?? false, datagram.Error);
            var stream = SipMessageParser.Parse(mutated, SipLimits.Default, datagram: false);
            Assert.False(stream.Error?.StartsWith("parser fault", StringComparison.Ordinal) ?? false, stream.Error);
            if (datagram.Status == SipParseStatus.Invalid)
            {
                invalid++;
                Assert.False(string.IsNullOrEmpty(datagram.Error));
            }

            var sentBefore = server.Counters.BadRequestsAnswered;
            server.HandleDatagram(mutated, flow, now);
            now += TimeSpan.FromMilliseconds(10);
            server.HandleTimeout(now);
            while (server.TryPollTransmit(out var transmit))
            {
                var reply = SipMessageParser.Parse(transmit.Data, SipLimits.Default, datagram: true);
                Assert.True(reply.IsMessage, "the server sent something unparseable: " + reply.Error);
            }

            while (server.TryPollEvent(out _))
            {
            }

            Assert.True(server.Counters.BadRequestsAnswered - sentBefore <= 1);
        }

        output.WriteLine($"{Mutations} mutations: {invalid} invalid ({server.Counters.BadRequestsAnswered} answered 4xx/5xx, {server.Counters.InvalidDropped} dropped), "
            + $"{server.Counters.CallsOffered} calls offered, {server.Counters.RequestRetransmissions} absorbed as retransmissions");
        Assert.True(invalid > Mutations / 4, $"only {invalid} of {Mutations} mutations were invalid; the fuzzer is too gentle");
        Assert.Equal(invalid, server.Counters.ParseErrors);
        Assert.Equal(server.Counters.ParseErrors, server.Counters.BadRequestsAnswered + server.Counters.InvalidDropped);
        Assert.True(server.Counters.BadRequestsAnswered > 0);

        // Let every timer run out: all transactions end; calls that were never acknowledged are ended with BYE.
        for (var t = 0; t < 100 && server.NextTimeout is { } due; t++)
        {
            now = due + TimeSpan.FromSeconds(1);
            server.HandleTimeout(now);
            while (server.TryPollTransmit(out _))
            {
            }
        }

        Assert.Equal(0, server.ActiveCalls);
    }

    [Fact]
    public void Stream_reassembler_survives_mutated_streams_in_random_chunks()
    {
        var random = new Random(7);
        var corpus = Corpus.Select(SipText.Wire).ToArray();
        for (var i = 0; i < 500; i++)
        {
            var framer = new SipStreamReassembler(SipLimits.Default);
            var stream = Enumerable.Range(0, 3).SelectMany(_ => Mutate(corpus[random.Next(corpus.Length)], random)).ToArray();
            var offset = 0;
            var reads = 0;
            while (offset < stream.Length && !framer.IsBroken)
            {
                var chunk = Math.Min(random.Next(1, 600), stream.Length - offset);
                framer.Append(stream.AsSpan(offset, chunk));
                offset += chunk;
                while (framer.TryRead(out var result))
                {
                    Assert.False(result.Error?.StartsWith("parser fault", StringComparison.Ordinal) ?? false, result.Error);
                    Assert.True(++reads < 10_000, "framer loops");
                }
            }
        }
    }

    [Fact]
    public void Sdp_parser_and_answerer_survive_mutated_offers()
    {
        var random = new Random(11);
        var offer = SipText.Wire(TrunkCall.Offer);
        var options = new SdpAnswerOptions { MediaAddress = IPAddress.Loopback, LocalPort = 40000 };
        var accepted = 0;
        for (var i = 0; i < 2000; i++)
        {
            var mutated = Mutate(offer, random);
            if (SdpParser.TryParse(mutated, out var session, out _) && SdpAnswerer.TryAnswer(session, options, out _, out var media, out _))
            {
                accepted++;
                Assert.NotEmpty(media.Codecs);
            }
        }

        Assert.InRange(accepted, 1, 1999);
    }
}
