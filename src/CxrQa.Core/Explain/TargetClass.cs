namespace CxrQa.Core.Explain;

/// <summary>The class a Grad-CAM map explains. The graph has a single pneumonia logit, so Normal is explained
/// through the negated logit: evidence against pneumonia.</summary>
public enum TargetClass
{
    Normal = 0,
    Pneumonia = 1,
}
