namespace CxrQa.Core.Dicom;

/// <summary>Unpacks stored sample values from native pixel bytes: picks BitsStored bits ending at HighBit (bits
/// above it may carry overlays) and sign-extends when PixelRepresentation is signed.</summary>
internal static class StoredSamples
{
    /// <summary>Reads <paramref name="count"/> consecutive samples starting at sample index <paramref name="first"/>.</summary>
    public static int[] Read(ReadOnlySpan<byte> frame, PixelModule m, bool bigEndian, int first, int count, int stride = 1)
    {
        var values = new int[count];
        var shift = m.HighBit + 1 - m.BitsStored;
        var mask = m.BitsStored >= 31 ? -1 : (1 << m.BitsStored) - 1;
        var signBit = 1 << (m.BitsStored - 1);
        var wrap = 1 << m.BitsStored;
        var signed = m.Signed;
        for (var i = 0; i < count; i++)
        {
            var index = first + i * stride;
            int raw = m.BitsAllocated == 8
                ? frame[index]
                : bigEndian
                    ? (frame[2 * index] << 8) | frame[2 * index + 1]
                    : frame[2 * index] | (frame[2 * index + 1] << 8);
            var v = (raw >> shift) & mask;
            if (signed && (v & signBit) != 0)
                v -= wrap;
            values[i] = v;
        }

        return values;
    }

    /// <summary>Interprets a 16-bit attribute value (e.g. Pixel Padding Value, US or SS) the way the pixels are.</summary>
    public static int FromAttribute(int word, PixelModule m) => m.Signed ? (short)word : word;
}
