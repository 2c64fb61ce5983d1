using CxrQa.Core.Model;
using CxrQa.Core.Pipeline;

namespace CxrQa.Cli.Commands;

/// <summary>Builds the same screening service the server uses, from command-line choices.</summary>
public static class ScreeningServiceFactory
{
    public static (ScreeningService Service, ModelBundle Model) Create(string? modelDirectory, ScreeningOptions options)
    {
        var model = ModelBundle.Load(ModelLocator.Resolve(modelDirectory));
        return (ScreeningService.Create(model, options), model);
    }
}
