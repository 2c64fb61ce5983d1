namespace CxrQa.Core.Dicom;

/// <summary>
/// Turns stored monochrome samples into display-ready 8-bit gray: Modality LUT, then the header VOI window or, if
/// there is none, a min-max stretch of the frame, then inversion for MONOCHROME1 so air is dark. Stored values span
/// at most 16 bits, so the whole chain is evaluated once per distinct value into a lookup table.
/// </summary>
internal static class GrayscaleRenderer
{
    public static byte[] Render(int[] stored, ModalityTransform modality, VoiWindow? window, bool invert, int? paddingValue)
    {
        var (min, max) = Range(stored, null);
        var lut = new byte[max - min + 1];

        Func<double, double> voi;
        if (window is { } w)
        {
            voi = w.Apply;
        }
        else
        {
            // Padding (outside the scanned field) would otherwise dominate the stretch; it still maps, clamped.
            var (lo, hi) = paddingValue is { } p ? Range(stored, p) : (min, max);
            var mmin = double.MaxValue;
            var mmax = double.MinValue;
            var present = Presence(stored, min, lut.Length, paddingValue);
            for (var v = lo; v <= hi; v++)
            {
                if (!present[v - min])
                    continue;
                var mv = modality.Apply(v);
                mmin = Math.Min(mmin, mv);
                mmax = Math.Max(mmax, mv);
            }

            voi = mmax > mmin ? x => (x - mmin) / (mmax - mmin) * 255 : _ => 0;
        }

        for (var v = min; v <= max; v++)
        {
            var y = Math.Clamp(Math.Round(voi(modality.Apply(v)), MidpointRounding.AwayFromZero), 0, 255);
            lut[v - min] = (byte)(invert ? 255 - y : y);
        }

        var gray = new byte[stored.Length];
        for (var i = 0; i < stored.Length; i++)
            gray[i] = lut[stored[i] - min];
        return gray;
    }

    /// <summary>Min and max of the samples, ignoring <paramref name="excluded"/>; the full range when every sample is
    /// excluded.</summary>
    private static (int Min, int Max) Range(int[] values, int? excluded)
    {
        int min = int.MaxValue, max = int.MinValue;
        foreach (var v in values)
        {
            if (v == excluded)
                continue;
            if (v < min) min = v;
            if (v > max) max = v;
        }

        return min <= max ? (min, max) : excluded is null ? (0, 0) : Range(values, null);
    }

    private static bool[] Presence(int[] values, int min, int size, int? excluded)
    {
        var present = new bool[size];
        var any = false;
        foreach (var v in values)
        {
            if (v == excluded)
                continue;
            present[v - min] = true;
            any = true;
        }

        if (!any)
            Array.Fill(present, true);
        return present;
    }
}
