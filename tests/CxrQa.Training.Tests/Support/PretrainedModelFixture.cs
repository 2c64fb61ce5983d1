using CxrQa.Training.Backbone;

namespace CxrQa.Training.Tests.Support;

/// <summary>One pretrained <see cref="CxrResNet"/> per test class: parsing the 64 MB graph takes a while.</summary>
public sealed class PretrainedModelFixture : IDisposable
{
    public CxrResNet Model { get; } = PretrainedBackbone.Load();

    public void Dispose() => Model.Dispose();
}
