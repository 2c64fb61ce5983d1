using CxrQa.Core.Model;
using CxrQa.Tests.Pipeline;

namespace CxrQa.Tests.Model;

/// <summary>Turning ONNX Runtime's thread spinning off (the server's default) changes scheduling, not results.</summary>
public sealed class OrtSpinningTests(ShippedModelFixture shipped) : IClassFixture<ShippedModelFixture>
{
    [Fact]
    public void A_session_without_spinning_gives_the_same_outputs()
    {
        using var quiet = ModelBundle.Load(shipped.Model.Directory, new ModelRuntimeOptions { AllowSpinning = false });
        var input = new float[2 * 3 * 224 * 224];
        var random = new Random(11);
        for (var i = 0; i < input.Length; i++)
            input[i] = (float)(random.NextDouble() * 255);
        var expected = shipped.Model.Run(input, 2);
        var actual = quiet.Run(input, 2);
        Assert.Equal(expected.Logits.ToArray(), actual.Logits.ToArray());
        Assert.Equal(expected.Embedding(1).ToArray(), actual.Embedding(1).ToArray());
    }
}
