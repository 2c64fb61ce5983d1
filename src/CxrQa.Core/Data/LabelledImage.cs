namespace CxrQa.Core.Data;

/// <summary>One labelled film of a dataset.</summary>
/// <param name="Path">Absolute path.</param>
/// <param name="RelativePath">Path relative to the dataset root, '/'-separated (as written in the manifest).</param>
/// <param name="Label"><see cref="BinaryLabel.Normal"/> or <see cref="BinaryLabel.Pneumonia"/>.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file's bytes.</param>
/// <param name="PatientId">See <see cref="PatientIdParser"/>.</param>
public sealed record LabelledImage(string Path, string RelativePath, int Label, string Sha256, string PatientId);
