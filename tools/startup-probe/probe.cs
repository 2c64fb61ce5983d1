// Times the parts of the server's start-up that depend on the bundle: loading it (card, graph file and digest, ONNX
// Runtime session), the screening service over it (trust layer), the drift monitor's threshold simulation, and the
// first batch of one film. `dotnet run -c Release tools/startup-probe/probe.cs -- [BUNDLE_DIR]`
#:property PublishAot=false
#:property JsonSerializerIsReflectionEnabledByDefault=true
#:project ../../src/CxrQa.Core/CxrQa.Core.csproj
using System.Diagnostics;
using CxrQa.Core.Model;
using CxrQa.Core.Monitoring;
using CxrQa.Core.Pipeline;

var dir = ModelLocator.Resolve(args.Length > 0 ? args[0] : null);
var clock = Stopwatch.StartNew();
void Step(string what)
{
    Console.WriteLine($"{what,-44} {clock.Elapsed.TotalMilliseconds,8:F0} ms");
    clock.Restart();
}
using var model = ModelBundle.Load(dir);
Step($"ModelBundle.Load ({model.Card.Name})");
var service = ScreeningService.Create(model, new ScreeningOptions());
Step("ScreeningService (trust layer, Grad-CAM heads)");
if (CalibrationReference.ForBundle(model) is { } reference)
{
    Step("CalibrationReference.ForBundle");
    var calibration = DriftThresholdSimulation.Calibrate(reference, new DriftOptions());
    Step($"DriftThresholdSimulation ({calibration.Runs} runs)");
}
var film = File.ReadAllBytes(Directory.EnumerateFiles(Path.Combine(args.Length > 1 ? args[1] : "../shared/data", "kermany-224", "val", "NORMAL")).First());
service.Screen([new FilmInput("first.jpeg", film)]);
Step("first Screen of one film");
service.Screen([new FilmInput("second.jpeg", film)]);
Step("second Screen of one film");
