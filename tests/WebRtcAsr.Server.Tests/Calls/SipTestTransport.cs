using System.Net;
using System.Net.Sockets;
using System.Text;
using WebRtcAsr.Sip.Messages;

namespace WebRtcAsr.Server.Tests.Calls;

/// <summary>How <see cref="SipTestCaller"/> sends and receives SIP: datagrams, or one TCP connection with messages framed by Content-Length.</summary>
internal abstract class SipTestTransport : IDisposable
{
    public static SipTestTransport Udp() => new UdpTransport();

    public static SipTestTransport Tcp(IPEndPoint server) => new TcpTransport(server);

    /// <summary>The transport's name in a Via header.</summary>
    public abstract string ViaName { get; }

    /// <summary>What a Contact URI adds to say where requests reach us (";transport=tcp" on TCP).</summary>
    public abstract string ContactParameter { get; }

    public abstract IPEndPoint LocalEndPoint { get; }

    public abstract Task SendAsync(byte[] message, IPEndPoint server);

    /// <summary>The next message (parsed) and its text.</summary>
    public abstract Task<(SipMessage? Message, string Text)> ReceiveAsync(CancellationToken cancel);

    public abstract void Dispose();

    private sealed class UdpTransport : SipTestTransport
    {
        private readonly UdpClient socket = new(new IPEndPoint(IPAddress.Loopback, 0));

        public override string ViaName => "UDP";

        public override string ContactParameter => string.Empty;

        public override IPEndPoint LocalEndPoint => (IPEndPoint)socket.Client.LocalEndPoint!;

        public override Task SendAsync(byte[] message, IPEndPoint server) => socket.SendAsync(message, server).AsTask();

        public override async Task<(SipMessage? Message, string Text)> ReceiveAsync(CancellationToken cancel)
        {
            var datagram = await socket.ReceiveAsync(cancel);
            return (SipMessageParser.Parse(datagram.Buffer, SipLimits.Default, datagram: true).Message, Encoding.UTF8.GetString(datagram.Buffer));
        }

        public override void Dispose() => socket.Dispose();
    }

    private sealed class TcpTransport : SipTestTransport
    {
        private readonly TcpClient client = new(new IPEndPoint(IPAddress.Loopback, 0));
        private readonly IPEndPoint server;
        private readonly byte[] buffer = new byte[64 * 1024];
        private int filled;

        public TcpTransport(IPEndPoint server)
        {
            this.server = server;
            client.Connect(server);
        }

        public override string ViaName => "TCP";

        public override string ContactParameter => ";transport=tcp";

        public override IPEndPoint LocalEndPoint => (IPEndPoint)client.Client.LocalEndPoint!;

        public override Task SendAsync(byte[] message, IPEndPoint server)
        {
            if (!server.Equals(this.server))
            {
                throw new InvalidOperationException($"this connection goes to {this.server}, not {server}");
            }

            return client.GetStream().WriteAsync(message).AsTask();
        }

        public override async Task<(SipMessage? Message, string Text)> ReceiveAsync(CancellationToken cancel)
        {
            while (true)
            {
                // An empty buffer parses as a keep-alive of no bytes: read first.
                var parsed = filled == 0 ? default : SipMessageParser.Parse(buffer.AsSpan(0, filled), SipLimits.Default, datagram: false);
                switch (filled == 0 ? SipParseStatus.Incomplete : parsed.Status)
                {
                    case SipParseStatus.Message:
                    case SipParseStatus.KeepAlive:
                        var text = Encoding.UTF8.GetString(buffer, 0, parsed.Consumed);
                        Buffer.BlockCopy(buffer, parsed.Consumed, buffer, 0, filled - parsed.Consumed);
                        filled -= parsed.Consumed;
                        if (parsed.Status == SipParseStatus.Message)
                        {
                            return (parsed.Message, text);
                        }

                        continue;
                    case SipParseStatus.Invalid:
                        throw new InvalidDataException("the server sent a malformed SIP message: " + parsed.Error);
                }

                var read = await client.GetStream().ReadAsync(buffer.AsMemory(filled), cancel);
                if (read == 0)
                {
                    throw new EndOfStreamException("the server closed the SIP connection");
                }

                filled += read;
            }
        }

        public override void Dispose() => client.Dispose();
    }
}
