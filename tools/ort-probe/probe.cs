// Times one ONNX graph in ONNX Runtime alone (no CxrQa code): `dotnet run tools/ort-probe/probe.cs -- GRAPH INPUT_NAME BATCH`.
// Used to tell a slow machine from a slow graph (docs/benchmarks.md).
// The package version comes from Directory.Packages.props (central package management), as for every project here.
#:package Microsoft.ML.OnnxRuntime
using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
var path = args[0]; var input = args[1]; var batch = int.Parse(args[2]);
using var so = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
using var s = new InferenceSession(path, so);
var t = new DenseTensor<float>(new[] { batch, 3, 224, 224 });
var inputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor(input, t) };
for (int i = 0; i < 5; i++) s.Run(inputs).Dispose();
var ms = new List<double>();
for (int i = 0; i < 30; i++) { var sw = Stopwatch.StartNew(); s.Run(inputs).Dispose(); ms.Add(sw.Elapsed.TotalMilliseconds); }
ms.Sort(); Console.WriteLine($"{Path.GetFileName(path)} batch {batch}: p50 {ms[15]:0.0} ms min {ms[0]:0.0}");
