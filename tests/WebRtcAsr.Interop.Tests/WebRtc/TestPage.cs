using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using WebRtcAsr.TestSupport;

namespace WebRtcAsr.Interop.Tests.WebRtc;

/// <summary>Serves a test page from Clients/ and, beside it under /lib, the product's web/lib modules the pages import.</summary>
internal static class TestPage
{
    public static void Serve(WebApplication app, string route, string fileName)
    {
        string page = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Clients", fileName));
        app.MapGet(route, () => Results.Content(page, "text/html"));
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(RepoPaths.Root, "web", "lib")),
            RequestPath = "/lib",
        });
    }
}
