using System.Globalization;

namespace CxrQa.Core.Dicom.Results;

/// <summary>Relationship Type (0040,A010) values of PS3.3 C.17.3.2.4.</summary>
internal static class Relationship
{
    public const string Contains = "CONTAINS";
    public const string HasObsContext = "HAS OBS CONTEXT";
    public const string HasConceptMod = "HAS CONCEPT MOD";
    public const string InferredFrom = "INFERRED FROM";
}

/// <summary>SR content items (PS3.3 C.17.3, Document Content and Relationship Macros) as sequence items of a
/// Content Sequence; all by value.</summary>
internal static class SrContentItems
{
    public static WritableDataset Container(string relationship, CodedConcept name, IEnumerable<WritableDataset> children) =>
        ContainerInto(Item(relationship, "CONTAINER", name), children);

    /// <summary>Writes a CONTAINER's own attributes into <paramref name="target"/> (the root content item is the
    /// document's top-level data set).</summary>
    public static WritableDataset ContainerInto(WritableDataset target, IEnumerable<WritableDataset> children) => target
        .Text(DicomTag.ContinuityOfContent, "CS", "SEPARATE")
        .Sequence(DicomTag.ContentSequence, children);

    public static WritableDataset Root(WritableDataset target, CodedConcept title, string templateId, IEnumerable<WritableDataset> children)
    {
        target.Text(DicomTag.ValueType, "CS", "CONTAINER")
            .Sequence(DicomTag.ConceptNameCodeSequence, title.ToItem())
            .Sequence(DicomTag.ContentTemplateSequence, new WritableDataset()
                .Text(DicomTag.MappingResource, "CS", "DCMR")
                .Text(DicomTag.MappingResourceUid, "UI", "1.2.840.10008.8.1.1")
                .Text(DicomTag.TemplateIdentifier, "CS", templateId));
        return ContainerInto(target, children);
    }

    public static WritableDataset Code(string relationship, CodedConcept name, CodedConcept value, params IEnumerable<WritableDataset> children)
    {
        var item = Item(relationship, "CODE", name).Sequence(DicomTag.ConceptCodeSequence, value.ToItem());
        return WithChildren(item, children);
    }

    public static WritableDataset Text(string relationship, CodedConcept name, string text) =>
        Item(relationship, "TEXT", name).Text(DicomTag.TextValue, "UT", DicomText.Fit("UT", text));

    public static WritableDataset UidRef(string relationship, CodedConcept name, string uid) =>
        Item(relationship, "UIDREF", name).Text(DicomTag.Uid, "UI", uid);

    public static WritableDataset PersonName(string relationship, CodedConcept name, string personName) =>
        Item(relationship, "PNAME", name).Text(DicomTag.PersonName, "PN", DicomText.FitPersonName(personName));

    /// <summary>A NUM item: the value as a decimal string (DS, at most 16 characters) and, because a DS may round it,
    /// the exact double as Floating Point Value.</summary>
    public static WritableDataset Num(string relationship, CodedConcept name, double value, CodedConcept unit, params IEnumerable<WritableDataset> children)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), value, "a measured value is finite");
        var measured = new WritableDataset()
            .Sequence(DicomTag.MeasurementUnitsCodeSequence, unit.ToItem())
            .Float64(DicomTag.FloatingPointValue, value)
            .Text(DicomTag.NumericValue, "DS", DecimalString(value));
        var item = Item(relationship, "NUM", name).Sequence(DicomTag.MeasuredValueSequence, measured);
        return WithChildren(item, children);
    }

    /// <summary>An IMAGE item (no concept name: TID 1601 image library entries and INFERRED FROM references have none).</summary>
    public static WritableDataset Image(string relationship, InstanceReference image) => new WritableDataset()
        .Text(DicomTag.RelationshipType, "CS", relationship)
        .Text(DicomTag.ValueType, "CS", "IMAGE")
        .Sequence(DicomTag.ReferencedSopSequence, image.ToSopItem());

    /// <summary>At most 16 characters: up to 10 decimals for values in [0, 1], fewer for larger ones.</summary>
    public static string DecimalString(double value)
    {
        for (var decimals = 10; decimals >= 0; decimals--)
        {
            var text = Math.Round(value, decimals).ToString("0." + new string('#', Math.Max(decimals, 1)), CultureInfo.InvariantCulture);
            if (text.Length <= 16)
                return text;
        }
        return value.ToString("E8", CultureInfo.InvariantCulture);
    }

    private static WritableDataset Item(string relationship, string valueType, CodedConcept name) => new WritableDataset()
        .Text(DicomTag.RelationshipType, "CS", relationship)
        .Text(DicomTag.ValueType, "CS", valueType)
        .Sequence(DicomTag.ConceptNameCodeSequence, name.ToItem());

    private static WritableDataset WithChildren(WritableDataset item, IEnumerable<WritableDataset> children)
    {
        var list = children.ToList();
        return list.Count == 0 ? item : item.Sequence(DicomTag.ContentSequence, list);
    }
}
