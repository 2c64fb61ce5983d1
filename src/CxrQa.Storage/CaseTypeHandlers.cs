using System.Data;
using System.Text.Json;
using CxrQa.Domain;
using Dapper;

namespace CxrQa.Storage;

/// <summary>
/// Dapper type handlers for the typed case record's columns that Dapper can map through a handler. The reasons list
/// is stored as a JSON array of the codes' names (<c>reasons_json</c>, unchanged). <see cref="CaseStatus"/> and
/// <see cref="ScreeningClass"/> stay mapped by hand in <c>CaseRow</c>: Dapper reads enums with its own conversion and
/// does not consult type handlers for them.
/// </summary>
internal static class CaseTypeHandlers
{
    private static readonly Lazy<bool> Registered = new(() =>
    {
        SqlMapper.AddTypeHandler(new ReasonCodeListHandler());
        return true;
    });

    /// <summary>Registers the handlers with Dapper, once per process (Dapper's registry is process-wide).</summary>
    public static void EnsureRegistered() => _ = Registered.Value;

    private sealed class ReasonCodeListHandler : SqlMapper.TypeHandler<IReadOnlyList<ReasonCode>>
    {
        public override void SetValue(IDbDataParameter parameter, IReadOnlyList<ReasonCode>? value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = JsonSerializer.Serialize(ReasonCode.Names(value ?? []));
        }

        public override IReadOnlyList<ReasonCode> Parse(object value) =>
            [.. (JsonSerializer.Deserialize<string[]>((string)value) ?? []).Select(ReasonCode.Parse)];
    }
}
