using WebRtcAsr.Speech.Onnx;
using WebRtcAsr.Speech.Tests.Reference;
using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Tests.Transducer;

public sealed class TransducerModelTests : IDisposable
{
    private readonly string temp = Path.Combine(Path.GetTempPath(), "webrtcasr-model-" + Guid.NewGuid().ToString("N"));

    public TransducerModelTests() => Directory.CreateDirectory(temp);

    public void Dispose() => Directory.Delete(temp, recursive: true);

    private static TransducerModelPaths Fixture(string name) => TransducerModelPaths.FromDirectory(RepositoryLayout.FixtureModelDir(name));

    [Fact]
    public void Zipformer2FixtureLoadsWithSherpasLayout()
    {
        using var model = TransducerModel.Load(Fixture("zipformer2"));
        Assert.Equal(TransducerModelType.Zipformer2, model.ModelType);
        Assert.Equal((45, 32, 2, 54, 80), (model.ChunkSize, model.ChunkShift, model.ContextSize, model.VocabSize, model.FeatureDim));
        Assert.Equal((8, 48, 48), (model.EncoderFramesPerChunk, model.EncoderDim, model.DecoderDim));

        // 3 layers × 6 caches, then embed_states and processed_lens; batch axes from the model's "N".
        var layout = model.StateLayout;
        Assert.Equal(20, layout.Count);
        Assert.Equal([1, 1, 1, 1, 0, 0], Enumerable.Range(0, 6).Select(i => layout[i].BatchAxis));
        Assert.Equal([32L, 1, 16], layout[0].StreamShape);
        Assert.Equal([1L, 48, 3], layout[17].StreamShape);
        Assert.Equal([1L, 128, 3, 19], layout[18].StreamShape);
        Assert.Equal("new_processed_lens", layout[19].OutputName);
        Assert.Equal(" ZERO", model.Tokens.DisplaySymbol(3));
    }

    [Fact]
    public void ZipformerFixtureLoadsWithSherpasLayout()
    {
        using var model = TransducerModel.Load(Fixture("zipformer"));
        Assert.Equal(TransducerModelType.Zipformer, model.ModelType);
        Assert.Equal((39, 32, 2, 54, 80), (model.ChunkSize, model.ChunkShift, model.ContextSize, model.VocabSize, model.FeatureDim));
        Assert.Equal((8, 48, 48), (model.EncoderFramesPerChunk, model.EncoderDim, model.DecoderDim));

        // 2 stacks x 7 kinds, grouped by kind: cached_len_0, cached_len_1, cached_avg_0, ...
        var layout = model.StateLayout;
        Assert.Equal(14, layout.Count);
        string[] kinds = ["cached_len", "cached_avg", "cached_key", "cached_val", "cached_val2", "cached_conv1", "cached_conv2"];
        Assert.Equal(kinds.SelectMany(k => new[] { k + "_0", k + "_1" }), Enumerable.Range(0, 14).Select(i => layout[i].InputName));
        Assert.Equal(kinds.SelectMany(k => new[] { "new_" + k + "_0", "new_" + k + "_1" }), Enumerable.Range(0, 14).Select(i => layout[i].OutputName));
        Assert.Equal([1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1], Enumerable.Range(0, 14).Select(i => layout[i].BatchAxis));
        Assert.Equal(OnnxElementType.Int64, layout[0].ElementType);
        Assert.Equal(OnnxElementType.Int64, layout[1].ElementType);
        Assert.All(Enumerable.Range(2, 12), i => Assert.Equal(OnnxElementType.Float, layout[i].ElementType));
        Assert.Equal([1L, 1], layout[0].StreamShape);
        Assert.Equal([2L, 1], layout[1].StreamShape);
        Assert.Equal([2L, 1, 48], layout[3].StreamShape);
        Assert.Equal([1L, 32, 1, 16], layout[4].StreamShape);
        Assert.Equal([2L, 16, 1, 12], layout[9].StreamShape);
        Assert.Equal([1L, 1, 32, 14], layout[10].StreamShape);
        Assert.Equal([2L, 1, 48, 6], layout[13].StreamShape);
        Assert.Equal(16, layout[1].StreamBytes);
    }

    [Fact]
    public void ZipformerEncoderWithoutAttentionDimsNamesTheFileAndKey()
    {
        // The same encoder with its "attention_dims" metadata key renamed (same length, so the protobuf stays valid).
        var fixture = Fixture("zipformer");
        var bytes = File.ReadAllBytes(fixture.Encoder);
        var key = "attention_dims"u8;
        var at = bytes.AsSpan().IndexOf(key);
        Assert.True(at >= 0 && bytes.AsSpan(at + 1).IndexOf(key) < 0, "the key should occur once, in the metadata");
        "attention_dimz"u8.CopyTo(bytes.AsSpan(at));
        var encoder = Path.Combine(temp, "encoder.onnx");
        File.WriteAllBytes(encoder, bytes);

        var ex = Assert.Throws<TransducerModelException>(() => TransducerModel.Load(fixture with { Encoder = encoder }));
        Assert.Equal(encoder, ex.FilePath);
        Assert.Contains("'attention_dims' is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LstmFixtureLoads()
    {
        using var model = TransducerModel.Load(Fixture("lstm"));
        Assert.Equal(TransducerModelType.Lstm, model.ModelType);
        Assert.Equal((9, 4, 1), (model.ChunkSize, model.ChunkShift, model.EncoderFramesPerChunk));
        Assert.Equal(2, model.StateLayout.Count);
        Assert.Equal([2L, 1, 48], model.StateLayout[1].StreamShape);
        Assert.Equal(1, model.StateLayout[1].BatchAxis);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var paths = Fixture("lstm") with { Decoder = Path.Combine(temp, "decoder.onnx") };
        var ex = Assert.Throws<TransducerModelException>(() => TransducerModel.Load(paths));
        Assert.Equal(paths.Decoder, ex.FilePath);
        Assert.Contains("not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptModelIsNamed()
    {
        var encoder = Path.Combine(temp, "encoder.onnx");
        File.WriteAllBytes(encoder, [0x08, 0x07, 0xff, 0xff, 0x12, 0x34, 0x00, 0x01, 0x02]);
        var paths = Fixture("zipformer2") with { Encoder = encoder };
        var ex = Assert.Throws<TransducerModelException>(() => TransducerModel.Load(paths));
        Assert.Equal(encoder, ex.FilePath);
        Assert.Contains("cannot load the ONNX model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncoderWithoutModelTypeIsNamed()
    {
        // A valid ONNX model that is not a transducer encoder and has no sherpa metadata.
        var encoder = Path.Combine(RepositoryLayout.Root, "tests", "WebRtcAsr.Speech.Tests", "TestModels", "add_matmul.onnx");
        var paths = Fixture("zipformer2") with { Encoder = encoder };
        var ex = Assert.Throws<TransducerModelException>(() => TransducerModel.Load(paths));
        Assert.Equal(encoder, ex.FilePath);
        Assert.Contains("model_type", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncoderGivenAsDecoderIsRejectedWithTheFileNamed()
    {
        // An encoder in the decoder's place lacks the decoder metadata.
        var fixture = Fixture("zipformer2");
        var ex = Assert.Throws<TransducerModelException>(() => TransducerModel.Load(fixture with { Decoder = fixture.Encoder }));
        Assert.Equal(fixture.Encoder, ex.FilePath);
        Assert.Contains("context_size", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TokensThatDoNotMatchTheJoinerNameBothFiles()
    {
        var fixture = Fixture("lstm");
        var tokens = Path.Combine(temp, "tokens.txt");
        File.WriteAllLines(tokens, File.ReadAllLines(fixture.Tokens).Take(50));
        var ex = Assert.Throws<TransducerModelException>(() => TransducerModel.Load(fixture with { Tokens = tokens }));
        Assert.Equal(tokens, ex.FilePath);
        Assert.Contains(fixture.Joiner, ex.Message, StringComparison.Ordinal);
        Assert.Contains("50 tokens", ex.Message, StringComparison.Ordinal);
        Assert.Contains("54", ex.Message, StringComparison.Ordinal);
    }
}
