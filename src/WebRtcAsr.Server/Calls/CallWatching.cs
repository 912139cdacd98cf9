using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR;
using WebRtcAsr.Server.Auth;

namespace WebRtcAsr.Server.Calls;

/// <summary>
/// The signaling hub's WatchCall / UnwatchCall: a viewer (authenticated like any hub client) joins the call's
/// SignalR group and gets back what the call has said so far; everything after comes live as "Caption" messages,
/// and the viewer drops by seq what it got both ways. Errors are HubExceptions starting with a code.
/// </summary>
public sealed class CallWatching(CallDirectory directory, ClientAuthenticator authenticator)
{
    /// <summary>Joins the call's group first, then takes the history: no message can fall between the two.</summary>
    public async Task<CallWatch> WatchAsync(HubCallerContext context, IGroupManager groups, string callId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(groups);
        Authorize(context);
        if (string.IsNullOrEmpty(callId) || directory.Find(callId) is not { } call)
        {
            throw new HubException("unknown_call: no call with this id is in progress");
        }

        if (!directory.TryWatch(context.ConnectionId, callId))
        {
            throw new HubException($"watch_limit: one connection watches at most {CallDirectory.MaxWatchesPerConnection} calls");
        }

        await groups.AddToGroupAsync(context.ConnectionId, call.Sink.Group).ConfigureAwait(false);
        return new CallWatch(call.Summary(), call.Sink.History());
    }

    public async Task UnwatchAsync(HubCallerContext context, IGroupManager groups, string callId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(groups);
        if (string.IsNullOrEmpty(callId))
        {
            return;
        }

        directory.Unwatch(context.ConnectionId, callId);
        await groups.RemoveFromGroupAsync(context.ConnectionId, CallCaptionSink.GroupOf(callId)).ConfigureAwait(false);
    }

    public void Disconnected(HubCallerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        directory.Forget(context.ConnectionId);
    }

    /// <summary>The hub's rule for offers (an access token in the query's access_token or the Authorization header, or loopback where allowed), and a key allowed to watch calls.</summary>
    private void Authorize(HubCallerContext context)
    {
        var http = context.GetHttpContext();
        string? credentials = http?.Request.Query["access_token"].ToString();
        if (string.IsNullOrEmpty(credentials))
        {
            credentials = http?.Request.Headers.Authorization.ToString();
        }

        var access = authenticator.Authenticate(credentials, http?.Connection.RemoteIpAddress);
        if (!access.Allowed)
        {
            throw new HubException("unauthorized: " + access.Reason);
        }

        if (access.CallWatchRefusal is { } refusal)
        {
            throw new HubException("forbidden: " + refusal);
        }
    }
}

/// <summary>WatchCall's answer: the call, and its messages so far (oldest first; each a caption message with call_id, from, to).</summary>
public sealed record CallWatch(
    [property: JsonPropertyName("call")] CallSummary Call,
    [property: JsonPropertyName("messages")] IReadOnlyList<RawJson> Messages);
