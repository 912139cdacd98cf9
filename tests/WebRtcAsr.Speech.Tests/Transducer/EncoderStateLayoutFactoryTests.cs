using WebRtcAsr.Speech.Onnx;
using WebRtcAsr.Speech.Transducer;

namespace WebRtcAsr.Speech.Tests.Transducer;

public class EncoderStateLayoutFactoryTests
{
    private const string File = "encoder.onnx";

    private static Dictionary<string, string> ZipformerMeta() => new()
    {
        ["model_type"] = "zipformer2",
        ["encoder_dims"] = "8",
        ["query_head_dims"] = "2",
        ["value_head_dims"] = "3",
        ["num_heads"] = "2",
        ["num_encoder_layers"] = "1",
        ["cnn_module_kernels"] = "5",
        ["left_context_len"] = "4",
    };

    private static OnnxTensorInfo Info(string name, OnnxElementType type, long[] shape, string[] symbolic) => new(name, type, shape, symbolic);

    private static (List<OnnxTensorInfo> Inputs, List<OnnxTensorInfo> Outputs) ZipformerIo(string batch)
    {
        var f = OnnxElementType.Float;
        var inputs = new List<OnnxTensorInfo>
        {
            Info("x", f, [-1, 45, 80], [batch, "", ""]),
            Info("cached_key_0", f, [4, -1, 4], ["", batch, ""]),
            Info("cached_nonlin_attn_0", f, [1, -1, 4, 6], ["", batch, "", ""]),
            Info("cached_val1_0", f, [4, -1, 6], ["", batch, ""]),
            Info("cached_val2_0", f, [4, -1, 6], ["", batch, ""]),
            Info("cached_conv1_0", f, [-1, 8, 2], [batch, "", ""]),
            Info("cached_conv2_0", f, [-1, 8, 2], [batch, "", ""]),
            Info("embed_states", f, [-1, 128, 3, 19], [batch, "", "", ""]),
            Info("processed_lens", OnnxElementType.Int64, [-1], [batch]),
        };
        var outputs = new List<OnnxTensorInfo> { Info("encoder_out", f, [-1, 8, 16], [batch, "", ""]) };
        foreach (var i in inputs.Skip(1))
        {
            outputs.Add(i with { Name = "new_" + i.Name });
        }

        return (inputs, outputs);
    }

    [Fact]
    public void Zipformer2StatesFollowSherpaShapesAndTheModelsBatchAxes()
    {
        var (inputs, outputs) = ZipformerIo("batch_size");
        var layout = EncoderStateLayoutFactory.Create(TransducerModelType.Zipformer2, new ModelMetadata(File, ZipformerMeta()), inputs, outputs, 80);
        Assert.Equal(8, layout.Count);
        Assert.Equal([4L, 1, 4], layout[0].StreamShape);
        Assert.Equal(1, layout[0].BatchAxis);
        Assert.Equal([1L, 1, 4, 6], layout[1].StreamShape);
        Assert.Equal(1, layout[1].BatchAxis);
        Assert.Equal(0, layout[4].BatchAxis);
        Assert.Equal([1L, 128, 3, 19], layout[6].StreamShape);
        Assert.Equal(OnnxElementType.Int64, layout[7].ElementType);
        Assert.Equal("new_cached_key_0", layout[0].OutputName);
    }

    private static Dictionary<string, string> ZipformerV1Meta() => new()
    {
        ["model_type"] = "zipformer",
        ["encoder_dims"] = "8,12",
        ["attention_dims"] = "6,4",
        ["num_encoder_layers"] = "2,1",
        ["cnn_module_kernels"] = "5,3",
        ["left_context_len"] = "4,2",
    };

    /// <summary>Inputs as icefall's pruned_transducer_stateless7_streaming/export-onnx.py names and shapes them, for the metadata above.</summary>
    private static (List<OnnxTensorInfo> Inputs, List<OnnxTensorInfo> Outputs) ZipformerV1Io(string batch)
    {
        var f = OnnxElementType.Float;
        var inputs = new List<OnnxTensorInfo>
        {
            Info("x", f, [-1, 39, 80], [batch, "", ""]),
            Info("cached_len_0", OnnxElementType.Int64, [2, -1], ["", batch]),
            Info("cached_len_1", OnnxElementType.Int64, [1, -1], ["", batch]),
            Info("cached_avg_0", f, [2, -1, 8], ["", batch, ""]),
            Info("cached_avg_1", f, [1, -1, 12], ["", batch, ""]),
            Info("cached_key_0", f, [2, 4, -1, 6], ["", "", batch, ""]),
            Info("cached_key_1", f, [1, 2, -1, 4], ["", "", batch, ""]),
            Info("cached_val_0", f, [2, 4, -1, 3], ["", "", batch, ""]),
            Info("cached_val_1", f, [1, 2, -1, 2], ["", "", batch, ""]),
            Info("cached_val2_0", f, [2, 4, -1, 3], ["", "", batch, ""]),
            Info("cached_val2_1", f, [1, 2, -1, 2], ["", "", batch, ""]),
            Info("cached_conv1_0", f, [2, -1, 8, 4], ["", batch, "", ""]),
            Info("cached_conv1_1", f, [1, -1, 12, 2], ["", batch, "", ""]),
            Info("cached_conv2_0", f, [2, -1, 8, 4], ["", batch, "", ""]),
            Info("cached_conv2_1", f, [1, -1, 12, 2], ["", batch, "", ""]),
        };
        var outputs = new List<OnnxTensorInfo> { Info("encoder_out", f, [-1, 8, 16], [batch, "", ""]) };
        foreach (var i in inputs.Skip(1))
        {
            outputs.Add(i with { Name = "new_" + i.Name });
        }

        return (inputs, outputs);
    }

    [Fact]
    public void ZipformerStatesAreGroupedByKindWithSherpasShapes()
    {
        var (inputs, outputs) = ZipformerV1Io("N");
        var layout = EncoderStateLayoutFactory.Create(TransducerModelType.Zipformer, new ModelMetadata(File, ZipformerV1Meta()), inputs, outputs, 80);
        Assert.Equal(14, layout.Count);
        for (var i = 0; i < 14; i++)
        {
            var info = inputs[i + 1];
            Assert.Equal(info.Name, layout[i].InputName);
            Assert.Equal("new_" + info.Name, layout[i].OutputName);
            Assert.Equal(info.ElementType, layout[i].ElementType);
            Assert.Equal(Array.IndexOf(info.SymbolicDims, "N"), layout[i].BatchAxis);
            Assert.Equal(info.Shape.Select(d => d < 0 ? 1 : d), layout[i].StreamShape);
        }

        Assert.Equal(2 * 8, layout[0].StreamBytes); // cached_len: int64 per layer
    }

    [Theory]
    [InlineData("attention_dims")]
    [InlineData("cnn_module_kernels")]
    [InlineData("num_encoder_layers")]
    public void ZipformerWithoutAMetadataKeyNamesTheFileAndKey(string key)
    {
        var (inputs, outputs) = ZipformerV1Io("N");
        var meta = ZipformerV1Meta();
        meta.Remove(key);
        var ex = Assert.Throws<TransducerModelException>(() => EncoderStateLayoutFactory.Create(TransducerModelType.Zipformer, new ModelMetadata(File, meta), inputs, outputs, 80));
        Assert.Equal(File, ex.FilePath);
        Assert.Contains($"'{key}' is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZipformerMetadataListsOfDifferentLengthsAreRejected()
    {
        var (inputs, outputs) = ZipformerV1Io("N");
        var meta = ZipformerV1Meta();
        meta["attention_dims"] = "6";
        var ex = Assert.Throws<TransducerModelException>(() => EncoderStateLayoutFactory.Create(TransducerModelType.Zipformer, new ModelMetadata(File, meta), inputs, outputs, 80));
        Assert.Contains("'attention_dims' has 1 entries but 'encoder_dims' has 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZipformerCachedLenStoredAsFloatIsRejected()
    {
        var (inputs, outputs) = ZipformerV1Io("N");
        inputs[2] = inputs[2] with { ElementType = OnnxElementType.Float };
        var ex = Assert.Throws<TransducerModelException>(() => EncoderStateLayoutFactory.Create(TransducerModelType.Zipformer, new ModelMetadata(File, ZipformerV1Meta()), inputs, outputs, 80));
        Assert.Contains("cached_len_1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Int64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZipformerStatesOutOfSherpasOrderAreRejected()
    {
        // States in another order than sherpa passes them (it feeds them by position): the shapes stop
        // matching the metadata at the first misplaced input, and the error names it.
        var (inputs, outputs) = ZipformerV1Io("N");
        (inputs[2], inputs[3]) = (inputs[3], inputs[2]);
        var ex = Assert.Throws<TransducerModelException>(() => EncoderStateLayoutFactory.Create(TransducerModelType.Zipformer, new ModelMetadata(File, ZipformerV1Meta()), inputs, outputs, 80));
        Assert.Contains("cached_avg_0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LstmStatesAreBatchedOnTheSymbolicAxis()
    {
        var f = OnnxElementType.Float;
        var inputs = new List<OnnxTensorInfo>
        {
            Info("x", f, [-1, 40, 80], ["N", "", ""]),
            Info("h", f, [2, -1, 16], ["", "N", ""]),
            Info("c", f, [2, -1, 24], ["", "N", ""]),
        };
        var outputs = new List<OnnxTensorInfo> { Info("encoder_out", f, [-1, 8, 16], ["N", "", ""]), Info("next_h", f, [2, -1, 16], ["", "N", ""]), Info("next_c", f, [2, -1, 24], ["", "N", ""]) };
        var meta = new Dictionary<string, string> { ["num_encoder_layers"] = "2", ["d_model"] = "16", ["rnn_hidden_size"] = "24" };
        var layout = EncoderStateLayoutFactory.Create(TransducerModelType.Lstm, new ModelMetadata(File, meta), inputs, outputs, 80);
        Assert.Equal(2, layout.Count);
        Assert.Equal([2L, 1, 24], layout[1].StreamShape);
        Assert.Equal(1, layout[1].BatchAxis);
        Assert.Equal("next_c", layout[1].OutputName);
    }

    [Fact]
    public void MissingMetadataNamesTheFileAndKey()
    {
        var (inputs, outputs) = ZipformerIo("N");
        var meta = ZipformerMeta();
        meta.Remove("left_context_len");
        var ex = Assert.Throws<TransducerModelException>(() => EncoderStateLayoutFactory.Create(TransducerModelType.Zipformer2, new ModelMetadata(File, meta), inputs, outputs, 80));
        Assert.Equal(File, ex.FilePath);
        Assert.Contains("left_context_len", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShapeThatContradictsTheMetadataIsRejected()
    {
        var (inputs, outputs) = ZipformerIo("N");
        var meta = ZipformerMeta();
        meta["left_context_len"] = "5";
        var ex = Assert.Throws<TransducerModelException>(() => EncoderStateLayoutFactory.Create(TransducerModelType.Zipformer2, new ModelMetadata(File, meta), inputs, outputs, 80));
        Assert.Contains("cached_key_0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StateWithoutTheBatchDimensionIsRejected()
    {
        var (inputs, outputs) = ZipformerIo("N");
        inputs[1] = inputs[1] with { Shape = [4, 1, 4], SymbolicDims = ["", "", ""] };
        var ex = Assert.Throws<TransducerModelException>(() => EncoderStateLayoutFactory.Create(TransducerModelType.Zipformer2, new ModelMetadata(File, ZipformerMeta()), inputs, outputs, 80));
        Assert.Contains("cannot be batched", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedMetadataValueIsRejected()
    {
        var (inputs, outputs) = ZipformerIo("N");
        var meta = ZipformerMeta();
        meta["encoder_dims"] = "8,x";
        var ex = Assert.Throws<TransducerModelException>(() => EncoderStateLayoutFactory.Create(TransducerModelType.Zipformer2, new ModelMetadata(File, meta), inputs, outputs, 80));
        Assert.Contains("encoder_dims", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "no 'model_type'")]
    [InlineData("conformer", "'conformer' is not supported")]
    public void UnsupportedModelTypeNamesFileAndType(string? type, string expected)
    {
        var meta = new Dictionary<string, string>();
        if (type is not null)
        {
            meta["model_type"] = type;
        }

        var ex = Assert.Throws<TransducerModelException>(() => TransducerModel.ParseModelType(new ModelMetadata(File, meta)));
        Assert.StartsWith(File + ": ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zipformer", TransducerModelType.Zipformer)]
    [InlineData("zipformer2", TransducerModelType.Zipformer2)]
    [InlineData("lstm", TransducerModelType.Lstm)]
    public void SherpasModelTypesAreRecognised(string value, TransducerModelType expected) =>
        Assert.Equal(expected, TransducerModel.ParseModelType(new ModelMetadata(File, new Dictionary<string, string> { ["model_type"] = value })));
}
