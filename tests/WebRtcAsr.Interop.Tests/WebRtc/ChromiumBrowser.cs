using Microsoft.Playwright;

namespace WebRtcAsr.Interop.Tests.WebRtc;

/// <summary>Debian's Chromium through Playwright, headless, its fake microphone playing a WAV file; disposed with its Playwright.</summary>
internal sealed class ChromiumBrowser(IPlaywright playwright, IBrowserContext context) : IAsyncDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium";

    public static async Task<ChromiumBrowser> LaunchAsync(string microphoneWav, string scratch)
    {
        var playwright = await Playwright.CreateAsync();
        var context = await playwright.Chromium.LaunchPersistentContextAsync(Path.Combine(scratch, "profile"), new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                $"--use-file-for-fake-audio-capture={microphoneWav}", "--allow-loopback-in-peer-connection",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-gpu", "--disable-quic",
            ],
        });
        return new ChromiumBrowser(playwright, context);
    }

    public Task<IPage> NewPageAsync() => context.NewPageAsync();

    public async ValueTask DisposeAsync()
    {
        await context.CloseAsync();
        playwright.Dispose();
    }
}
