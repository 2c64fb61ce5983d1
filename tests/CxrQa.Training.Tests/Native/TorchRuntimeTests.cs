using CxrQa.Training.Native;
using TorchSharp;

namespace CxrQa.Training.Tests.Native;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Torch_loads_and_computes_after_the_patch()
    {
        TorchRuntime.EnsureLoadable();
        using var scope = torch.NewDisposeScope();
        Assert.Equal(2f, torch.ones(2).sum().item<float>());
    }

    [Fact]
    public void Library_beside_the_app_is_patched_and_a_second_patch_changes_nothing()
    {
        TorchRuntime.EnsureLoadable();
        var paths = TorchRuntime.CandidatePaths(AppContext.BaseDirectory).ToList();
        Assert.NotEmpty(paths);
        foreach (var path in paths)
            Assert.False(ElfVersionNeedPatcher.MarkVersionWeakInFile(path, ElfVersionNeedPatcher.GlibcxxVersionNeededByTorchSharp));
    }
}
