using WebRtcAsr.Server.Browser;

namespace WebRtcAsr.Server.Tests.Browser;

/// <summary>Where the server finds the web client: the configured folder, else the nearest web/ holding index.html above the content root.</summary>
public sealed class WebRootTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("webrtcasr-webroot-").FullName;

    [Fact]
    public void The_nearest_web_folder_with_an_index_above_the_content_root_is_found()
    {
        var web = Directory.CreateDirectory(Path.Combine(root, "web")).FullName;
        var contentRoot = Directory.CreateDirectory(Path.Combine(root, "src", "WebRtcAsr.Server", "bin")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "src", "web")); // no index.html: not the client
        Assert.Null(BrowserRegistration.FindWebRoot(null, contentRoot));

        File.WriteAllText(Path.Combine(web, "index.html"), "<!doctype html>");
        Assert.Equal(web, BrowserRegistration.FindWebRoot(null, contentRoot));
    }

    [Fact]
    public void A_configured_folder_wins_and_a_missing_one_is_an_error()
    {
        var site = Directory.CreateDirectory(Path.Combine(root, "site")).FullName;
        Assert.Equal(site, BrowserRegistration.FindWebRoot("site", root));
        Assert.Throws<DirectoryNotFoundException>(() => BrowserRegistration.FindWebRoot("nowhere", root));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
