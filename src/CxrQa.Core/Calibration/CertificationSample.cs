using System.Security.Cryptography;
using System.Text;

namespace CxrQa.Core.Calibration;

/// <summary>
/// Which calibration films a certificate counts: the eligible films, and of those one per patient when patients are
/// known.
/// </summary>
/// <remarks>
/// Clopper-Pearson needs independent answers. Patients are drawn independently; films of one patient are not (a
/// patient whose disease the model misreads is usually misread on every film), so k films of one patient weigh as
/// if they were k independent confirmations and the bound comes out too tight. One film per patient restores
/// independence exactly and keeps the exact binomial bound; a cluster-aware bound would have to estimate the
/// within-patient correlation or fall back to a bounded-mean inequality, both far looser at 1 % error rates.
///
/// The film is the one whose SHA-256 of (patient id, film key) is smallest: it depends on names only, never on a
/// label, a score or the other films' order, so the chosen film is as good as a uniformly random film of that patient
/// and the chosen films stay exchangeable with a new patient's film. The same key picks the same film on every
/// machine and run (string.GetHashCode is randomised per process and would not).
/// </remarks>
public static class CertificationSample
{
    /// <summary>
    /// Indices (ascending) of the films to certify on: films with <paramref name="eligible"/> false are dropped, and
    /// with patient ids only each patient's eligible film of smallest rank remains (a patient with no eligible film
    /// contributes nothing).
    /// </summary>
    /// <param name="films">Number of calibration films.</param>
    /// <param name="units">Patients and film keys; null: every film is its own unit.</param>
    /// <param name="eligible">This set's eligibility mask (a shifted set has its own); null: all eligible.</param>
    public static int[] Indices(int films, CertificationUnits? units, bool[]? eligible)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(films);
        units?.Validate(films);
        if (eligible is not null && eligible.Length != films)
            throw new ArgumentException($"{eligible.Length} eligibility flags but {films} calibration films", nameof(eligible));
        bool Counts(int i) => eligible is null || eligible[i];

        if (units?.PatientIds is not { } patients)
            return [.. Enumerable.Range(0, films).Where(Counts)];

        var keys = units.FilmKeys ?? PositionKeys(patients);
        var best = new Dictionary<string, (ulong Rank, int Index)>(StringComparer.Ordinal);
        for (var i = 0; i < films; i++)
        {
            if (!Counts(i))
                continue;
            var rank = Rank(patients[i], keys[i]);
            if (!best.TryGetValue(patients[i], out var b) || rank < b.Rank || (rank == b.Rank && i < b.Index))
                best[patients[i]] = (rank, i);
        }
        var chosen = best.Values.Select(b => b.Index).ToArray();
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>The pseudo-random rank of a film within its patient: the first 8 bytes of SHA-256(id, 0x1F, key), big-endian.</summary>
    public static ulong Rank(string patientId, string filmKey)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(patientId + "\u001f" + filmKey), hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    /// <summary>
    /// "0", "1", ...: each film's position among its patient's films in input order, counted over all films so that
    /// a film's key does not depend on which other films are eligible.
    /// </summary>
    private static string[] PositionKeys(string[] patients)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var keys = new string[patients.Length];
        for (var i = 0; i < patients.Length; i++)
        {
            seen.TryGetValue(patients[i], out var k);
            keys[i] = k.ToString(System.Globalization.CultureInfo.InvariantCulture);
            seen[patients[i]] = k + 1;
        }
        return keys;
    }
}
