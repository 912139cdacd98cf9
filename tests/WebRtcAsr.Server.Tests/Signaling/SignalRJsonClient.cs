using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace WebRtcAsr.Server.Tests.Signaling;

/// <summary>
/// The small part of the SignalR JSON hub protocol a test client needs, over a plain WebSocket with
/// no negotiate step: handshake, invocations with completions, pings ignored. Records end with 0x1E.
/// (The .NET SignalR client package is not available here; browsers use the same subset.)
/// </summary>
internal sealed class SignalRJsonClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<(string Target, JsonElement[] Arguments)> _invocations = Channel.CreateBounded<(string, JsonElement[])>(4096);
    private Task? _receiving;
    private int _nextId;

    public static async Task<SignalRJsonClient> ConnectAsync(Uri hub)
    {
        var client = new SignalRJsonClient();
        var ws = new UriBuilder(hub) { Scheme = hub.Scheme == "https" ? "wss" : "ws" }.Uri;
        await client._socket.ConnectAsync(ws, CancellationToken.None);
        client._receiving = Task.Run(client.ReceiveAsync);
        await client.SendRecordAsync("{\"protocol\":\"json\",\"version\":1}");
        await client._handshake.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return client;
    }

    /// <summary>Invokes a hub method; throws <see cref="SignalRHubException"/> with the hub's error text.</summary>
    public async Task<JsonElement> InvokeAsync(string target, params object?[] arguments)
    {
        string id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        await SendRecordAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments }));
        return await completion.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Methods the hub invoked on this client (server pushes, e.g. "Caption"), in arrival order.</summary>
    public ChannelReader<(string Target, JsonElement[] Arguments)> Invocations => _invocations.Reader;

    /// <summary>Drops the connection without a close handshake (a tab that vanished).</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
        }

        _socket.Dispose();
        if (_receiving is not null)
        {
            await _receiving.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _sendLock.Dispose();
        _stop.Dispose();
    }

    private async Task SendRecordAsync(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json + RecordSeparator);
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[16 * 1024];
        var text = new StringBuilder();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                string all = text.ToString();
                int end;
                while ((end = all.IndexOf(RecordSeparator, StringComparison.Ordinal)) >= 0)
                {
                    OnRecord(all[..end]);
                    all = all[(end + 1)..];
                }

                text.Clear().Append(all);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new SignalRHubException("connection closed"));
        }
    }

    private void OnRecord(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("type", out var type))
        {
            _handshake.TrySetResult(); // "{}" (or {"error":...}) answers the handshake
            return;
        }

        if (type.GetInt32() == 1 && root.TryGetProperty("target", out var target))
        {
            var arguments = root.TryGetProperty("arguments", out var args) ? args.EnumerateArray().Select(a => a.Clone()).ToArray() : [];
            _invocations.Writer.TryWrite((target.GetString() ?? "", arguments));
            return;
        }

        if (type.GetInt32() == 3 && root.TryGetProperty("invocationId", out var id) && _pending.TryRemove(id.GetString()!, out var completion))
        {
            if (root.TryGetProperty("error", out var error))
            {
                completion.TrySetException(new SignalRHubException(error.GetString() ?? "error"));
            }
            else
            {
                completion.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
            }
        }
    }
}

/// <summary>An error a hub method returned (the HubException message).</summary>
internal sealed class SignalRHubException(string message) : Exception(message);
