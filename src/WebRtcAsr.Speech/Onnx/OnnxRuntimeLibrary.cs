using System.Runtime.InteropServices;
using System.Text;

namespace WebRtcAsr.Speech.Onnx;

/// <summary>
/// Finds and loads ONNX Runtime's native library. The binding reaches the library only through
/// <c>OrtGetApiBase</c>, taken with <see cref="NativeLibrary.GetExport"/>, so no DllImport resolver is
/// registered on this assembly (an assembly can have only one, and other code may need it).
/// </summary>
internal static class OnnxRuntimeLibrary
{
    /// <summary>File name of the library, as onnxruntime-node ships it.</summary>
    public const string FileName = "libonnxruntime.so.1";

    /// <summary>Environment variable that names the library file explicitly.</summary>
    public const string PathVariable = "WEBRTCASR_ONNXRUNTIME";

    /// <summary>Loads the library the process should use: the variable's file, the copy next to the program, then the default search.</summary>
    public static nint Load(out string loadedFrom) =>
        Load(Environment.GetEnvironmentVariable(PathVariable), AppContext.BaseDirectory, searchDefault: true, out loadedFrom);

    /// <summary>
    /// Tries, in order: <paramref name="explicitPath"/> (when set), <see cref="FileName"/> in
    /// <paramref name="baseDirectory"/>, then (when <paramref name="searchDefault"/>) the loader's default search.
    /// Throws <see cref="OnnxRuntimeNotFoundException"/> listing every place tried when none loads.
    /// <paramref name="loadedFrom"/> says where the library came from (a path, or the default search).
    /// </summary>
    public static nint Load(string? explicitPath, string baseDirectory, bool searchDefault, out string loadedFrom)
    {
        var tried = new StringBuilder();
        nint handle;
        if (!string.IsNullOrEmpty(explicitPath))
        {
            if (TryLoadFile(explicitPath, $"{PathVariable}={explicitPath}", tried, out handle))
            {
                loadedFrom = explicitPath;
                return handle;
            }
        }

        string besideProgram = Path.Combine(baseDirectory, FileName);
        if (TryLoadFile(besideProgram, besideProgram, tried, out handle))
        {
            loadedFrom = besideProgram;
            return handle;
        }

        if (searchDefault)
        {
            foreach (string name in new[] { FileName, "libonnxruntime.so", "onnxruntime" })
            {
                if (NativeLibrary.TryLoad(name, out handle) && HasEntryPoint(handle))
                {
                    loadedFrom = $"default library search ({name})";
                    return handle;
                }
            }
            tried.Append("; the default library search (LD_LIBRARY_PATH, ldconfig): not found");
        }

        throw new OnnxRuntimeNotFoundException(
            $"ONNX Runtime's native library {FileName} could not be loaded. Looked in: {tried}. " +
            $"Run scripts/bootstrap.sh (it fetches onnxruntime-node 1.23.2), or set {PathVariable} to the library's path.");
    }

    private static bool TryLoadFile(string path, string label, StringBuilder tried, out nint handle)
    {
        handle = 0;
        if (tried.Length > 0) tried.Append("; ");
        if (!File.Exists(path))
        {
            tried.Append(label).Append(": no such file");
            return false;
        }
        try
        {
            handle = NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            tried.Append(label).Append(": ").Append(e.Message);
            return false;
        }
        catch (BadImageFormatException e)
        {
            tried.Append(label).Append(": ").Append(e.Message);
            return false;
        }
        if (!HasEntryPoint(handle))
        {
            NativeLibrary.Free(handle);
            handle = 0;
            tried.Append(label).Append(": loaded, but it has no OrtGetApiBase (not ONNX Runtime)");
            return false;
        }
        return true;
    }

    private static bool HasEntryPoint(nint handle) => NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out _);
}
