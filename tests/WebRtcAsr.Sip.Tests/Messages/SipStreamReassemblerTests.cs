using System.Text;
using WebRtcAsr.Sip.Messages;

namespace WebRtcAsr.Sip.Tests.Messages;

public class SipStreamReassemblerTests
{
    private static byte[] Options(string callId, string body = "") => SipText.WithBody($"""
        OPTIONS sip:user@example.com SIP/2.0
        Via: SIP/2.0/TCP host5.example.net;branch=z9hG4bK{callId}
        To: sip:user@example.com
        From: sip:other@example.net;tag=3923942
        Call-ID: {callId}
        CSeq: 1 OPTIONS
        Content-Length: {"{LEN}"}


        """, body);

    [Fact]
    public void Frames_messages_split_at_every_byte_and_joined_back_to_back()
    {
        byte[] stream = [.. "\r\n\r\n"u8, .. Options("one", "body-1"), .. Options("two"), .. Options("three", "x")];
        var framer = new SipStreamReassembler(SipLimits.Default);
        var callIds = new List<string>();
        var keepAlives = 0;
        foreach (var b in stream)
        {
            Assert.True(framer.Append([b]));
            while (framer.TryRead(out var result))
            {
                if (result.Status == SipParseStatus.KeepAlive)
                {
                    keepAlives++;
                    continue;
                }

                Assert.True(result.IsMessage, result.Error);
                callIds.Add(result.Message!.CallId!);
            }
        }

        Assert.Equal(["one", "two", "three"], callIds);
        Assert.Equal(4, keepAlives); // each CR or LF byte arrives alone here
        Assert.Equal(0, framer.Buffered);
    }

    [Fact]
    public void Body_is_taken_by_content_length_not_by_the_end_of_the_read()
    {
        var framer = new SipStreamReassembler(SipLimits.Default);
        framer.Append(Options("a", "0123456789"));
        framer.Append(Encoding.ASCII.GetBytes("OPTIONS sip:partial"));
        Assert.True(framer.TryRead(out var result));
        Assert.Equal("0123456789", Encoding.ASCII.GetString(result.Message!.Body.Span));
        Assert.False(framer.TryRead(out _));
        Assert.Equal(19, framer.Buffered);
    }

    [Fact]
    public void Bad_content_length_breaks_the_stream()
    {
        var framer = new SipStreamReassembler(SipLimits.Default);
        framer.Append(Encoding.ASCII.GetBytes("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: abc\r\n\r\n"));
        Assert.True(framer.TryRead(out var result));
        Assert.Equal(SipParseStatus.Invalid, result.Status);
        Assert.True(framer.IsBroken);
    }

    [Fact]
    public void Oversized_data_without_a_message_end_breaks_the_stream()
    {
        var framer = new SipStreamReassembler(SipLimits.Default with { MaxMessageBytes = 1000 });
        Assert.True(framer.Append(new byte[900]));
        Assert.False(framer.Append(new byte[200]));
        Assert.True(framer.IsBroken);
    }
}
