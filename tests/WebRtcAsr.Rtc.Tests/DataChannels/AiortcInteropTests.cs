using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using WebRtcAsr.Rtc.DataChannels;
using WebRtcAsr.Rtc.Sctp;

namespace WebRtcAsr.Rtc.Tests.DataChannels;

/// <summary>
/// Our data channels against aiortc's SCTP stack (Debian python3-aiortc), an independent
/// implementation. DTLS is replaced by plain UDP on loopback: each datagram is one SCTP packet,
/// exactly what DTLS application data would carry. The test is the thin driver of our sans-IO
/// transport; 5 % of our DATA packets are dropped so that retransmission is part of the exchange.
/// It takes a few seconds because it runs in real time against a real peer.
/// </summary>
public class AiortcInteropTests
{
    private const string Python = "/usr/bin/python3";

    // Only packets we send with DATA are dropped: that exercises our retransmission and aiortc's gap
    // reports, without waiting on aiortc's own timers (its RTO.Min is 1 s and backs off to a minute).
    private const double Loss = 0.05;

    // aiortc's RTCSctpTransport over a stand-in DTLS transport. It opens "captions", sends messages
    // of every kind, expects them echoed, reads a message on a channel we open and close, closes its
    // own channel, and stops (ABORT).
    private const string PeerScript = """
        import asyncio, json, socket, sys
        from aiortc.rtcsctptransport import RTCSctpTransport, RTCSctpCapabilities
        from aiortc.rtcdatachannel import RTCDataChannel, RTCDataChannelParameters

        class Ice:
            role = "controlling" if sys.argv[2] == "initiator" else "controlled"

        class Dtls:
            state = "connected"
            transport = Ice()
            def __init__(self, sock, port): self.sock, self.port = sock, port
            def _register_data_receiver(self, receiver): pass
            def _unregister_data_receiver(self, receiver): pass
            async def _send_data(self, data): self.sock.sendto(data, ("127.0.0.1", self.port))

        async def main():
            loop = asyncio.get_event_loop()
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind(("127.0.0.1", 0))
            sock.setblocking(False)
            print("PORT", sock.getsockname()[1], flush=True)
            sctp = RTCSctpTransport(Dtls(sock, int(sys.argv[1])))
            async def pump():
                while True:
                    await sctp._handle_data(await loop.sock_recv(sock, 2048))
            loop.create_task(pump())
            theirs = []
            theirs_closed = []
            @sctp.on("datachannel")
            def on_channel(channel):
                channel.on("message", lambda m: theirs.append([channel.label, channel.protocol, m]))
                channel.on("close", lambda: theirs_closed.append(channel.label))
            await sctp.start(RTCSctpCapabilities(maxMessageSize=262144), 5000)
            channel = RTCDataChannel(sctp, RTCDataChannelParameters(label="captions"))
            echoes = []
            channel.on("message", echoes.append)
            closed = asyncio.Event()
            channel.on("close", closed.set)
            for _ in range(400):
                if channel.readyState == "open": break
                await asyncio.sleep(0.025)
            sent = ["hi", b"\x01", "", b"", "\u00e9" * 600, b"y" * 65537, bytes(range(256)) * 800]
            for message in sent: channel.send(message)
            for _ in range(1800):
                if len(echoes) >= len(sent) and theirs_closed: break
                await asyncio.sleep(0.025)
            channel.close()
            try:
                await asyncio.wait_for(closed.wait(), 10)
            except asyncio.TimeoutError:
                pass
            print(json.dumps({"id": channel.id, "echoes_match": echoes == sent, "echo_count": len(echoes),
                              "theirs": theirs, "theirs_closed": theirs_closed,
                              "closed": closed.is_set()}), flush=True)
            await asyncio.sleep(0.3)
            await sctp.stop()

        asyncio.run(main())
        """;

    [Theory]
    [InlineData(true)] // aiortc sends INIT, as a browser does towards our server
    [InlineData(false)] // we send INIT (our load generator's role)
    public async Task Data_channels_interoperate_with_aiortc_under_loss(bool aiortcInitiates)
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int ourPort = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "-c", PeerScript, ourPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     aiortcInitiates ? "initiator" : "responder" })
        {
            start.ArgumentList.Add(arg);
        }

        using var python = Process.Start(start)!;
        var stderr = python.StandardError.ReadToEndAsync();
        string? portLine = await python.StandardOutput.ReadLineAsync();
        if (portLine?.StartsWith("PORT ", StringComparison.Ordinal) != true)
        {
            Assert.Fail($"aiortc did not start: {portLine} {await stderr}");
        }

        var peer = new IPEndPoint(IPAddress.Loopback, int.Parse(portLine[5..], System.Globalization.CultureInfo.InvariantCulture));
        var resultLine = python.StandardOutput.ReadLineAsync();

        // aiortc as SCTP client takes odd ids (it plays the DTLS server); so we are the DTLS client then.
        var transport = new DataChannelTransport(isDtlsClient: aiortcInitiates);
        var events = RunDriver(udp, peer, transport, aiortcInitiates, resultLine);
        if (await Task.WhenAny(resultLine, Task.Delay(5000)) != resultLine || await resultLine is null)
        {
            python.Kill();
            var counters = transport.Association.Counters;
            Assert.Fail($"aiortc gave no result: {await stderr}; we saw {string.Join(", ", events.Select(e => e.Kind))}; "
                + $"state {transport.Association.State} {transport.Association.CloseReason}, retransmitted {counters.DataChunksRetransmitted}, "
                + $"T3 {counters.RetransmissionTimeouts}, dropped {counters.PacketsDropped}/{counters.ChunksDropped} {counters.LastDropReason}");
        }

        string line = (await resultLine)!;
        await python.WaitForExitAsync();
        using var result = JsonDocument.Parse(line);
        var root = result.RootElement;
        Assert.True(root.GetProperty("echoes_match").GetBoolean(), line);
        Assert.True(root.GetProperty("closed").GetBoolean(), "aiortc saw no close");
        var theirs = root.GetProperty("theirs")[0];
        Assert.Equal(["from-us", "proto", "hello from C#"], theirs.EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("from-us", root.GetProperty("theirs_closed")[0].GetString()); // our stream reset closed it there

        var received = events.Where(e => e.Kind == DataChannelEventKind.Message).ToList();
        Assert.Equal(7, received.Count);
        Assert.All(received, e => Assert.Equal("captions", e.Channel!.Label));
        Assert.Equal([true, false, true, false, true, false, false], received.Select(e => e.IsString));
        Assert.Equal([2, 1, 0, 0, 1200, 65537, 204800], received.Select(e => e.Data!.Length));
        Assert.Contains(events, e => e.Kind == DataChannelEventKind.ChannelClosed && e.Channel!.Label == "captions");
        Assert.Contains(events, e => e.Kind == DataChannelEventKind.ChannelClosed && e.Channel!.Label == "from-us");
        Assert.Contains(events, e => e.Kind == DataChannelEventKind.AssociationClosed);
        Assert.True(transport.Association.Counters.DataChunksRetransmitted > 0);
    }

    private static bool CarriesData(ReadOnlySpan<byte> packet)
    {
        var reader = new SctpChunkReader(packet);
        while (reader.TryRead(out var chunk))
        {
            if (chunk.Type == (byte)SctpChunkType.Data)
            {
                return true;
            }
        }

        return false;
    }

    private static List<DataChannelEvent> RunDriver(UdpClient udp, IPEndPoint peer, DataChannelTransport transport,
        bool aiortcInitiates, Task<string?> done)
    {
        var clock = Stopwatch.StartNew();
        long Now() => clock.ElapsedTicks * 1_000_000 / Stopwatch.Frequency;
        var random = new Random(7);
        var buffer = new byte[1500];
        var events = new List<DataChannelEvent>();
        if (!aiortcInitiates)
        {
            transport.Connect(Now());
        }

        bool openedOurs = false;
        long deadline = Now() + 50_000_000;
        while (Now() < deadline && !events.Any(e => e.Kind == DataChannelEventKind.AssociationClosed))
        {
            long wait = Math.Clamp(transport.NextTimeoutMicros - Now(), 100, 10_000);
            if (udp.Client.Poll((int)wait, SelectMode.SelectRead))
            {
                while (udp.Available > 0)
                {
                    IPEndPoint? from = null;
                    transport.HandleReceive(udp.Receive(ref from), Now());
                }
            }

            transport.HandleTimeout(Now());
            while (transport.PollEvent(out var ev))
            {
                events.Add(ev);
                if (ev.Kind == DataChannelEventKind.Message)
                {
                    Assert.Equal(DataChannelSendStatus.Ok, transport.Send(ev.Channel!, ev.Data, ev.IsString, Now()));
                    if (!openedOurs)
                    {
                        openedOurs = true;
                        var ours = transport.CreateChannel("from-us", new DataChannelOptions { Protocol = "proto" }, Now(), out _)!;
                        transport.SendText(ours, "hello from C#", Now());
                        transport.Close(ours);
                    }
                }
            }

            int n;
            while ((n = transport.PollTransmit(buffer, Now())) > 0)
            {
                if (!CarriesData(buffer.AsSpan(0, n)) || random.NextDouble() >= Loss)
                {
                    udp.Send(buffer, n, peer);
                }
            }

            if (done.IsCompleted && events.Any(e => e.Kind == DataChannelEventKind.ChannelClosed))
            {
                deadline = Math.Min(deadline, Now() + 2_000_000); // aiortc stops (ABORT) right after
            }
        }

        return events;
    }
}
