using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace WebRtcAsr.Server.Signaling;

/// <summary>
/// The SignalR JSON hub protocol, plus the one overload the web client's contract needs and SignalR lacks (hub
/// methods cannot be overloaded): an "Offer" invocation with three arguments (sdp, sessionId, lastSeq) is bound as
/// <see cref="SignalingHub.Resume"/>. Everything else is the JSON protocol unchanged.
/// </summary>
public sealed class OfferResumeProtocol(JsonHubProtocol json) : IHubProtocol
{
    private static readonly Type[] ResumeParameters = [typeof(string), typeof(string), typeof(long?)];

    public string Name => json.Name;

    public int Version => json.Version;

    public TransferFormat TransferFormat => json.TransferFormat;

    public bool IsVersionSupported(int version) => json.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var original = input;
        if (!json.TryParseMessage(ref input, binder, out message))
        {
            return false;
        }

        if (message is InvocationBindingFailureMessage { Target: nameof(SignalingHub.Offer) } failed)
        {
            // Bound again as the three-argument form; when that fails too, the first failure stands.
            var again = original;
            if (json.TryParseMessage(ref again, new ResumeBinder(binder), out var resumed) && resumed is InvocationMessage { Arguments.Length: 3 } invocation)
            {
                input = again;
                message = new InvocationMessage(invocation.InvocationId, nameof(SignalingHub.Resume), invocation.Arguments, invocation.StreamIds)
                {
                    Headers = invocation.Headers,
                };
                return true;
            }

            message = failed;
        }

        return true;
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => json.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => json.GetMessageBytes(message);

    /// <summary>The hub's binder, except that "Offer" takes Resume's parameters.</summary>
    private sealed class ResumeBinder(IInvocationBinder inner) : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) =>
            methodName == nameof(SignalingHub.Offer) ? ResumeParameters : inner.GetParameterTypes(methodName);

        public Type GetReturnType(string invocationId) => inner.GetReturnType(invocationId);

        public Type GetStreamItemType(string streamId) => inner.GetStreamItemType(streamId);
    }
}
