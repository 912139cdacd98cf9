using Microsoft.Extensions.Options;
using WebRtcAsr.Server.Auth;
using WebRtcAsr.Server.Configuration;
using WebRtcAsr.Server.Metrics;

namespace WebRtcAsr.Server.Calls;

/// <summary>Wires SIP calls into the server: the SIP service, the call directory, watchers, metrics and GET /v1/calls.</summary>
public static class CallRegistration
{
    /// <summary>Registers the SIP trunk endpoint ("WebRtcAsr:Sip") as a hosted service; needs AddCaptionServer and the signaling hub.</summary>
    public static IServiceCollection AddSipCalls(this IServiceCollection services)
    {
        services.AddSingleton<CallDirectory>();
        services.AddSingleton<CallMetrics>();
        services.AddSingleton<CallWatching>();
        services.AddSingleton<SipCallService>();
        services.AddHostedService(sp => sp.GetRequiredService<SipCallService>());
        return services;
    }

    /// <summary>Maps GET /v1/calls (the active calls; the same credentials as the hub: Authorization "Token key" or "Bearer token", or loopback where allowed; the key must have WatchCalls).</summary>
    public static IEndpointRouteBuilder MapSipCalls(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        _ = endpoints.ServiceProvider.GetRequiredService<CallMetrics>(); // its gauges are on /metrics from the start
        endpoints.MapGet("/v1/calls", (HttpRequest request, ClientAuthenticator authenticator, CallDirectory directory) =>
        {
            var decision = authenticator.Authenticate(request.Headers.Authorization.ToString(), request.HttpContext.Connection.RemoteIpAddress);
            if (!decision.Allowed)
            {
                return Results.Json(
                    new Dictionary<string, string> { ["err_code"] = "INVALID_AUTH", ["err_msg"] = decision.Reason ?? "credentials are required" },
                    statusCode: StatusCodes.Status401Unauthorized);
            }

            if (decision.CallWatchRefusal is { } refusal)
            {
                return Results.Json(
                    new Dictionary<string, string> { ["err_code"] = "FORBIDDEN", ["err_msg"] = refusal },
                    statusCode: StatusCodes.Status403Forbidden);
            }

            return Results.Json(directory.Snapshot().Select(c => c.Summary()).ToArray());
        });
        return endpoints;
    }
}
