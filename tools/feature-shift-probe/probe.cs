// Times the shipped feature-shift gate's score per film (nearest-neighbour search over its references), outside the
// network: `dotnet run -c Release tools/feature-shift-probe/probe.cs -- models/cxrqa-ensemble-resnet18/feature_shift.bin`.
#:project ../../src/CxrQa.Core/CxrQa.Core.csproj
#:property PublishAot=false
using System.Diagnostics;
using CxrQa.Core.OutOfDistribution;

var detector = FeatureShiftDetector.Load(args[0]);
var random = new Random(1);
const int films = 200;
var features = detector.Dimensions.Select(d => Enumerable.Range(0, d * films).Select(_ => (float)random.NextDouble()).ToArray()).ToList();
for (var i = 0; i < 50; i++) detector.Score(features, i);
var clock = Stopwatch.StartNew();
var sum = 0.0;
for (var rep = 0; rep < 5; rep++)
    for (var i = 0; i < films; i++)
        sum += detector.Score(features, i);
Console.WriteLine($"{detector.Kind}, depths {string.Join(",", detector.Dimensions)}: {clock.Elapsed.TotalMilliseconds / (5 * films):0.000} ms per film (checksum {sum:0})");
