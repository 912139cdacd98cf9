using Microsoft.Extensions.Options;
using Serilog;
using WebRtcAsr.Server.Browser;
using WebRtcAsr.Server.Calls;
using WebRtcAsr.Server.Configuration;
using WebRtcAsr.Server.Signaling;

Log.Logger = new LoggerConfiguration()
    .Enrich.FromLogContext()
    .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext} {SessionId} {Message:lj}{NewLine}{Exception}")
    .CreateLogger();

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.Logging.ClearProviders();
    builder.Logging.AddSerilog(Log.Logger, dispose: false);
    // A failed start is reported once, below, not also by the host with a stack trace.
    builder.Logging.AddFilter<Serilog.Extensions.Logging.SerilogLoggerProvider>("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    builder.Services.AddCaptionServer(builder.Configuration);
    builder.Services.AddBrowserCaptions();
    builder.Services.AddWebRtcSignaling(builder.Configuration);
    builder.Services.AddSipCalls();

    var app = builder.Build();
    app.UseBrowserCaptions();
    app.MapCaptionServer();
    app.MapWebRtcSignaling();
    app.MapSipCalls();
    await app.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (OptionsValidationException ex)
{
    Log.Fatal("WebRtcAsr server did not start: {Reason}", ex.Message);
    return 2;
}
catch (Exception ex) when (ex is not OperationCanceledException)
{
    Log.Fatal(ex, "WebRtcAsr server stopped: {Reason}", ex.Message);
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync().ConfigureAwait(false);
}
