using System.Buffers.Binary;
using System.Diagnostics;
using CxrQa.Core.Errors;
using CxrQa.Core.Imaging;

namespace CxrQa.Tests.Dicom;

/// <summary>
/// Deterministic mutation fuzzing: seeded byte flips, length-field corruption, truncation and splices of real and
/// synthetic files. The only acceptable outcomes are a decoded film or a <see cref="CxrQaException"/>; anything else,
/// or an iteration that runs past its guard, fails with the seed and iteration needed to reproduce it.
/// </summary>
public sealed class DicomFuzzTests
{
    private static readonly TimeSpan IterationGuard = TimeSpan.FromSeconds(10);

    /// <summary>Smaller than the defaults so a corrupted Rows/Columns cannot make one iteration slow.</summary>
    private static readonly DecodeLimits Limits = new() { MaxPixels = 4_000_000 };

    public static TheoryData<string, int> Corpora() => new()
    {
        { "synthetic", 2500 },
        { "chest/CR-MONO1-10-chest", 300 },
        { "chest/" + DicomFiles.SiimJpeg, 100 },
        { "other/GH177_D_CLUNIE_CT1_IVRLE_BigEndian_undefined_length.dcm", 200 },
        { "other/OT-PAL-8-face.dcm", 100 },
        { "other/US1_UNCR.dcm", 100 },
        { "other/MR2_UNCI.dcm", 40 },
    };

    [Theory]
    [MemberData(nameof(Corpora))]
    public async Task MutatedFilesDecodeOrFailWithATypedError(string corpus, int iterations)
    {
        var seeds = corpus == "synthetic" ? SyntheticSeeds() : [LoadReal(corpus)];
        var random = new Random(StableHash(corpus));
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            var source = seeds[random.Next(seeds.Length)];
            var mutated = Mutate(source, random);
            CxrQaException? error;
            try
            {
                (_, error) = await Task.Run(() => DicomFiles.TryRead(DicomFiles.WithoutGdcm, mutated, Limits))
                    .WaitAsync(IterationGuard);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{corpus} iteration {i}: decoding did not finish within {IterationGuard}");
                return;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{corpus} iteration {i}: {ex}");
                return;
            }

            if (error is not null)
                Assert.DoesNotContain("SECRET", error.Message);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"{corpus}: {iterations} iterations took {watch.Elapsed}");
    }

    private static byte[][] SyntheticSeeds() =>
    [
        SyntheticFilms.Signed16WithRescaleAndWindow(TestSyntax.ImplicitLittle).ToFile(false, false),
        SyntheticFilms.Signed16WithRescaleAndWindow(TestSyntax.ExplicitLittle).ToFile(),
        SyntheticFilms.Signed16WithRescaleAndWindow(TestSyntax.ExplicitBig).ToFile(),
        SyntheticFilms.Signed16WithRescaleAndWindow(TestSyntax.DeflatedExplicitLittle).ToFile(),
        SyntheticFilms.EightBitMonochrome1(TestSyntax.ImplicitLittle).ToFile(),
        SyntheticFilms.Header(TestSyntax.ExplicitLittle).PixelModule(32, 64, 8, 8, false, frames: 2)
            .EncapsulatedPixelData([0, 0], DicomSyntheticTests.GrayJpeg(64, 32, true), DicomSyntheticTests.GrayJpeg(64, 32, false))
            .ToFile(transferSyntaxUid: "1.2.840.10008.1.2.4.50"),
    ];

    private static byte[] LoadReal(string corpus)
    {
        var parts = corpus.Split('/', 2);
        return DicomFiles.Load(parts[0], parts[1]);
    }

    /// <summary>One to three mutations. Offsets favour the first 4 KB, where the header (and every parsing
    /// decision) lives; flips deep in the pixel data only exercise the codecs.</summary>
    private static byte[] Mutate(byte[] source, Random random)
    {
        var bytes = source.ToArray();
        var count = random.Next(1, 4);
        for (var m = 0; m < count && bytes.Length > 0; m++)
        {
            var at = random.Next(4) == 0 ? random.Next(bytes.Length) : random.Next(Math.Min(bytes.Length, 4096));
            switch (random.Next(5))
            {
                case 0: // flip a few bits
                    for (var k = 0; k < random.Next(1, 9) && at + k < bytes.Length; k++)
                        bytes[at + k] ^= (byte)(1 << random.Next(8));
                    break;
                case 1: // corrupt what may be a length field with a boundary value
                    if (at + 4 <= bytes.Length)
                    {
                        uint[] values = [0, 1, 0xFFFF, 0xFFFFFFFF, 0x7FFFFFFF, 0xFFFFFFFE, (uint)random.Next(), (uint)bytes.Length];
                        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), values[random.Next(values.Length)]);
                    }

                    break;
                case 2: // 16-bit field (short VR lengths, Rows/Columns/Bits values)
                    if (at + 2 <= bytes.Length)
                        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), (ushort)random.Next(65536));
                    break;
                case 3: // truncate
                    bytes = bytes[..at];
                    break;
                default: // splice: copy a chunk from elsewhere over this position
                    var from = random.Next(bytes.Length);
                    var length = Math.Min(random.Next(1, 64), Math.Min(bytes.Length - from, bytes.Length - at));
                    Array.Copy(bytes, from, bytes, at, length);
                    break;
            }
        }

        return bytes;
    }

    private static int StableHash(string s)
    {
        var h = 17;
        foreach (var c in s)
            h = unchecked(h * 31 + c);
        return h;
    }
}
