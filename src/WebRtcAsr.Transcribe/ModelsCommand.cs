using System.CommandLine;
using Microsoft.Extensions.Logging;
using WebRtcAsr.Speech.Models;

namespace WebRtcAsr.Transcribe;

/// <summary>`transcribe models list|fetch NAME`: the published models of models/manifest.json.</summary>
internal static class ModelsCommand
{
    public static Command Create(ILogger logger)
    {
        var manifestOption = new Option<string?>("--manifest") { Description = "Model manifest (default: models/manifest.json of the checkout)" };
        var list = new Command("list", "List the published models the project knows");
        list.Options.Add(manifestOption);
        list.SetAction(parse =>
        {
            var manifest = Load(parse.GetValue(manifestOption));
            foreach (var m in manifest.Models)
            {
                Console.WriteLine($"{m.Name}  ({m.Type}, {m.Language}, {m.License})  {m.Description}");
            }

            return 0;
        });

        var name = new Argument<string>("name") { Description = "Model name from the manifest" };
        var into = new Option<string?>("--into") { Description = "Folder to put the model folder in (default: models/ of the checkout)" };
        var fetch = new Command("fetch", "Download a published model into models/NAME, checking every file's SHA-256");
        fetch.Arguments.Add(name);
        fetch.Options.Add(manifestOption);
        fetch.Options.Add(into);
        fetch.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var manifest = Load(parse.GetValue(manifestOption));
                var model = manifest.Find(parse.GetValue(name)!);
                var target = Path.Combine(parse.GetValue(into) ?? Path.GetDirectoryName(manifest.Path)!, model.Name);
                using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
                await new ModelFetcher(http, logger).FetchAsync(model, target, cancellationToken).ConfigureAwait(false);
                Console.WriteLine(target);
                return 0;
            }
            catch (ModelManifestException ex)
            {
                logger.LogError("{Message}", ex.Message);
                return 1;
            }
        });

        var models = new Command("models", "Published models: list, fetch");
        models.Subcommands.Add(list);
        models.Subcommands.Add(fetch);
        return models;
    }

    private static ModelManifest Load(string? path)
    {
        if (path is not null)
        {
            return ModelManifest.Load(path);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models", "manifest.json");
            if (File.Exists(candidate))
            {
                return ModelManifest.Load(candidate);
            }
        }

        throw new ModelManifestException("models/manifest.json not found above " + AppContext.BaseDirectory + "; pass --manifest");
    }
}
