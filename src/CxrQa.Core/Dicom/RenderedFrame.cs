namespace CxrQa.Core.Dicom;

/// <summary>The first frame rendered to 8-bit gray, with what the conversion learned about the source.</summary>
internal sealed record RenderedFrame(int Width, int Height, byte[] Gray, int Channels, double Colourfulness, bool WindowFromHeader);
