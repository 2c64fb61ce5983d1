using CxrQa.Tests.Support;
using CxrQa.Training.FineTuning;

namespace CxrQa.Training.Tests.FineTuning;

/// <summary>One tiny real fine-tuning run shared by the smoke tests: 24 real films, batch 4, one epoch.</summary>
public sealed class SmokeRunFixture : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("cxrqa-finetune-").FullName;

    public FineTuneOptions Options { get; }

    public FineTuneResult Result { get; }

    public SmokeRunFixture()
    {
        Options = SmokeOptions(Path.Combine(Root, "model"));
        Result = FineTuneRunner.RunAsync(Options).GetAwaiter().GetResult();
    }

    public static FineTuneOptions SmokeOptions(string outDir) => new()
    {
        DataDirectory = TestData.Path("kermany-224", "train"),
        OutputDirectory = outDir,
        Name = "smoke",
        Limit = 24,
        BatchSize = 4,
        Epochs = 1,
        Seed = 7,
        Threads = Environment.ProcessorCount,
    };

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
