using System.Net;
using System.Net.Sockets;
using System.Text;
using WebRtcAsr.Sip.Calls;
using WebRtcAsr.Sip.Messages;
using WebRtcAsr.Sip.Tests.Calls;
using WebRtcAsr.Sip.Transport;

namespace WebRtcAsr.Sip.Tests.Transport;

/// <summary>The TCP driver on loopback: stream framing of split writes, keep-alives, the connection limit.</summary>
public sealed class TcpTransportTests : IAsyncLifetime
{
    private SipTransportHost _host = null!;

    public Task InitializeAsync()
    {
        var server = new SipServer(ServerHarness.Options() with { SignalingHost = "127.0.0.1", MediaAddress = IPAddress.Loopback });
        _host = new SipTransportHost(server, new SipTransportOptions { Udp = null, Tcp = new IPEndPoint(IPAddress.Loopback, 0), MaxTcpConnections = 1 });
        _host.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<SipResponse> ReadResponseAsync(SipStreamReassembler framer, NetworkStream stream, CancellationToken cancel)
    {
        var buffer = new byte[4096];
        while (true)
        {
            while (framer.TryRead(out var result))
            {
                if (result.IsMessage)
                {
                    return Assert.IsType<SipResponse>(result.Message);
                }
            }

            var n = await stream.ReadAsync(buffer, cancel);
            Assert.True(n > 0, "connection closed");
            framer.Append(buffer.AsSpan(0, n));
        }
    }

    [Fact]
    public async Task Invite_written_in_pieces_with_keepalives_is_answered_on_the_same_connection()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var client = new TcpClient();
        await client.ConnectAsync(_host.TcpEndpoint!, timeout.Token);
        var stream = client.GetStream();
        var invite = new TrunkCall("tcp-1").Invite().Replace("SIP/2.0/UDP", "SIP/2.0/TCP", StringComparison.Ordinal);
        byte[] bytes = [.. "\r\n\r\n"u8, .. SipText.Wire(invite)];
        await stream.WriteAsync(bytes.AsMemory(0, 50), timeout.Token);
        await stream.FlushAsync(timeout.Token);
        await Task.Delay(50, timeout.Token);
        await stream.WriteAsync(bytes.AsMemory(50), timeout.Token);

        var framer = new SipStreamReassembler(SipLimits.Default);
        Assert.Equal(100, (await ReadResponseAsync(framer, stream, timeout.Token)).StatusCode); // after the CRLF pong
        var ok = await ReadResponseAsync(framer, stream, timeout.Token);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal("<sip:127.0.0.1:5060;transport=tcp>", ok.Headers.Get("Contact"));
        Assert.Equal(1, await _host.InspectAsync(s => s.Counters.KeepAlives));
    }

    [Fact]
    public async Task Connections_beyond_the_limit_are_closed()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var first = new TcpClient();
        await first.ConnectAsync(_host.TcpEndpoint!, timeout.Token);
        await first.GetStream().WriteAsync(SipText.Wire(new TrunkCall("a").Request("OPTIONS", "z9hG4bK-a", 1, string.Empty, string.Empty)), timeout.Token);
        Assert.Equal(200, (await ReadResponseAsync(new SipStreamReassembler(SipLimits.Default), first.GetStream(), timeout.Token)).StatusCode);

        using var second = new TcpClient();
        await second.ConnectAsync(_host.TcpEndpoint!, timeout.Token);
        var n = await second.GetStream().ReadAsync(new byte[16], timeout.Token);
        Assert.Equal(0, n);
    }

    [Fact]
    public async Task Unframeable_stream_gets_the_connection_closed()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var client = new TcpClient();
        await client.ConnectAsync(_host.TcpEndpoint!, timeout.Token);
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: -5\r\n\r\n"), timeout.Token);
        var n = await client.GetStream().ReadAsync(new byte[16], timeout.Token);
        Assert.Equal(0, n);
    }
}
