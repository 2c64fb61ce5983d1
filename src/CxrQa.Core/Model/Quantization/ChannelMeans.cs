namespace CxrQa.Core.Model.Quantization;

/// <summary>Running mean of each channel of NCHW tensors, over items and positions (what bias correction compares).</summary>
public sealed class ChannelMeans
{
    private readonly double[] sums;
    private long valuesPerChannel;

    public ChannelMeans(int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        sums = new double[channels];
    }

    public int Channels => sums.Length;

    /// <summary>Adds <paramref name="items"/> tensors laid out [item, channel, position...].</summary>
    public void Add(ReadOnlySpan<float> values, int items)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(items, 1);
        if (values.Length % (items * Channels) != 0)
            throw new ArgumentException($"{values.Length} values do not split into {items} items of {Channels} channels");
        var plane = values.Length / (items * Channels);
        for (var n = 0; n < items; n++)
            for (var c = 0; c < Channels; c++)
            {
                var sum = 0.0;
                foreach (var v in values.Slice((n * Channels + c) * plane, plane)) sum += v;
                sums[c] += sum;
            }
        valuesPerChannel += (long)items * plane;
    }

    public double[] Means()
    {
        if (valuesPerChannel == 0) throw new InvalidOperationException("no values were added");
        return sums.Select(s => s / valuesPerChannel).ToArray();
    }
}
