using System.Globalization;

namespace CxrQa.Storage;

/// <summary>Values that the two engines return differently: SQLite gives text for times and integers for booleans,
/// PostgreSQL gives DateTime (UTC) and bool. Writes always pass a UTC DateTime and a bool.</summary>
internal static class DbValues
{
    public static DateTime ToDb(DateTimeOffset value) => value.UtcDateTime;

    public static DateTimeOffset Time(object value) => value switch
    {
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        DateTimeOffset dto => dto.ToUniversalTime(),
        string s => new DateTimeOffset(DateTime.Parse(s, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal), TimeSpan.Zero),
        _ => throw new InvalidCastException($"unexpected time value of type {value.GetType().Name}"),
    };

    public static bool Bool(object value) => value switch
    {
        bool b => b,
        long l => l != 0,
        int i => i != 0,
        _ => Convert.ToBoolean(value, CultureInfo.InvariantCulture),
    };
}
