using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using WebRtcAsr.Server.Configuration;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Server.Tests.Configuration;

/// <summary>Log levels come from the Logging section alone, with Serilog as the provider, as Program.cs wires it.</summary>
public sealed class ServerLoggingTests
{
    [Fact]
    public void The_shipped_appsettings_levels_hold_back_request_lines_and_keep_session_lines_with_their_id()
    {
        var events = new EventList();
        using var serilog = new LoggerConfiguration().MinimumLevel.Verbose().Enrich.FromLogContext().WriteTo.Sink(events).CreateLogger();
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepoPaths.Root, "src", "WebRtcAsr.Server", "appsettings.json"))
            .Build();
        using var services = new ServiceCollection()
            .AddLogging(logging =>
            {
                logging.AddConfiguration(configuration.GetSection("Logging")); // what WebApplication.CreateBuilder does
                logging.UseServerSerilog(serilog);
            })
            .BuildServiceProvider();
        var loggers = services.GetRequiredService<ILoggerFactory>();

        var requests = loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");
        requests.LogInformation("Request starting HTTP/1.1 GET /");
        requests.LogWarning("a warning still shows");
        var session = loggers.CreateLogger("WebRtcAsr.Server.Sessions.CaptionSession");
        using (session.BeginScope(new Dictionary<string, object> { ["SessionId"] = "s-42" }))
        {
            session.LogInformation("Session started");
        }

        session.LogDebug("below the default level");

        var lines = events.Snapshot();
        Assert.Equal(["a warning still shows", "Session started"], lines.Select(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("\"s-42\"", lines[1].Properties["SessionId"].ToString());
    }

    [Fact]
    public void A_level_set_on_the_command_line_wins()
    {
        var events = new EventList();
        using var serilog = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(events).CreateLogger();
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepoPaths.Root, "src", "WebRtcAsr.Server", "appsettings.json"))
            .AddCommandLine(["--Logging:LogLevel:Microsoft.AspNetCore=Information"])
            .Build();
        using var services = new ServiceCollection()
            .AddLogging(logging =>
            {
                logging.AddConfiguration(configuration.GetSection("Logging"));
                logging.UseServerSerilog(serilog);
            })
            .BuildServiceProvider();

        services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").LogInformation("Request starting");

        Assert.Single(events.Snapshot());
    }

    private sealed class EventList : ILogEventSink
    {
        private readonly List<LogEvent> events = [];

        public void Emit(LogEvent logEvent)
        {
            lock (events)
            {
                events.Add(logEvent);
            }
        }

        public List<LogEvent> Snapshot()
        {
            lock (events)
            {
                return [.. events];
            }
        }
    }
}
