using WebRtcAsr.Server.Auth;
using WebRtcAsr.Server.Health;
using WebRtcAsr.Server.Metrics;

namespace WebRtcAsr.Server.Configuration;

/// <summary>The core's HTTP endpoints.</summary>
public static class CaptionServerEndpoints
{
    /// <summary>Maps GET /healthz, GET /readyz, GET /metrics and POST /v1/auth/grant.</summary>
    public static IEndpointRouteBuilder MapCaptionServer(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/healthz", () => Results.Text("ok"));
        endpoints.MapGet("/readyz", (ReadinessRegistry readiness) =>
        {
            var body = new Dictionary<string, object?>
            {
                ["status"] = readiness.IsReady ? "ready" : "not_ready",
                // Each component: "ready", or why it is not ("starting", a reason).
                ["components"] = readiness.Snapshot().ToDictionary(c => c.Key, c => c.Value ?? "ready", StringComparer.Ordinal),
            };
            return Results.Json(body, statusCode: readiness.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        endpoints.MapGet("/metrics", (ServerMetrics metrics) => Results.Text(metrics.Registry.WriteText(), MetricsRegistry.ContentType));
        endpoints.MapPost("/v1/auth/grant", (HttpRequest request, ClientAuthenticator authenticator, AccessTokenService tokens) =>
        {
            var authorization = request.Headers.Authorization.ToString();
            if (string.IsNullOrWhiteSpace(authorization) && authenticator.AllowsWithoutCredentials(request.HttpContext.Connection.RemoteIpAddress))
            {
                // A client that may connect without credentials (loopback, Auth:AllowUnauthenticatedLocalhost) needs no
                // token: the page asks first and connects without one, so it works out of the box with no key configured.
                return Results.NoContent();
            }

            var decision = authenticator.AuthenticateApiKey(authorization);
            if (!decision.Allowed || decision.KeyId is null)
            {
                return Results.Json(
                    new Dictionary<string, string> { ["err_code"] = "INVALID_AUTH", ["err_msg"] = decision.Reason ?? "an API key is required" },
                    statusCode: StatusCodes.Status401Unauthorized);
            }

            return Results.Json(new Dictionary<string, object>
            {
                ["access_token"] = tokens.Issue(decision.KeyId),
                ["expires_in"] = (int)tokens.Lifetime.TotalSeconds,
            });
        });
        return endpoints;
    }
}
