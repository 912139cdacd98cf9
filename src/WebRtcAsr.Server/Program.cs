using Microsoft.Extensions.Options;
using Serilog;
using WebRtcAsr.Server.Configuration;

Log.Logger = ServerLogging.CreateConsoleLogger();

try
{
    // appsettings.json and the web client are found from the program's folder, whatever the working directory
    // (dotnet run, a container's WORKDIR, a service manager); relative paths in the settings stay relative to it.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.Logging.UseServerSerilog(Log.Logger);
    builder.Services.AddWebRtcAsrServer(builder.Configuration);

    var app = builder.Build();
    app.UseWebRtcAsrServer();
    await app.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (OptionsValidationException ex)
{
    Log.Fatal("WebRtcAsr server did not start: {Reason}", ex.Message);
    return 2;
}
catch (InvalidOperationException ex) when (ex.Message.StartsWith("Unable to configure HTTPS endpoint", StringComparison.Ordinal))
{
    // Kestrel's own text points at `dotnet dev-certs`; say how this server takes a certificate.
    Log.Fatal("WebRtcAsr server did not start: an https:// URL has no certificate. Set WebRtcAsr:Https:CertificatePath and "
        + "WebRtcAsr:Https:KeyPath to PEM files (./run.sh --https makes and uses development ones). Kestrel said: {Reason}", ex.Message);
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
