using Serilog;
using Serilog.Extensions.Logging;

namespace WebRtcAsr.Server.Configuration;

/// <summary>
/// Serilog as the server's one log provider, with every level set in one place: the "Logging" section
/// (appsettings.json, Logging__LogLevel__Microsoft.AspNetCore=Warning, --Logging:LogLevel:Default=Debug).
/// </summary>
public static class ServerLogging
{
    /// <summary>Console lines: time, level, category, the session id when the line belongs to a session, message.</summary>
    public const string ConsoleTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext} {SessionId} {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// A console logger that lets every level through: the Logging section filters before an event reaches it.
    /// Session scopes (BeginScope with a SessionId) become properties through the log context.
    /// </summary>
    public static Serilog.Core.Logger CreateConsoleLogger() => new LoggerConfiguration()
        .MinimumLevel.Verbose()
        .Enrich.FromLogContext()
        .WriteTo.Console(outputTemplate: ConsoleTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
        .CreateLogger();

    /// <summary>Makes <paramref name="logger"/> the only provider, filtered by the Logging section's levels.</summary>
    public static ILoggingBuilder UseServerSerilog(this ILoggingBuilder logging, Serilog.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        // Not AddSerilog(): it also adds a Trace-level filter for its provider, and a provider's own rule beats the
        // Logging section's, so "Microsoft.AspNetCore": "Warning" was ignored and every request logged at Information.
#pragma warning disable CA2000 // the logging container owns the provider; it does not own (dispose) the Serilog logger
        logging.AddProvider(new SerilogLoggerProvider(logger, dispose: false));
#pragma warning restore CA2000
        // A failed start is reported once, by Program, not also by the host with a stack trace.
        logging.AddFilter<SerilogLoggerProvider>("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        return logging;
    }
}
