namespace CxrQa.Core.Data;

/// <summary>Item indices of a three-way split by patient.</summary>
public sealed record TrainValidationCalibration(int[] Train, int[] Validation, int[] Calibration);

/// <summary>Train / validation / calibration split by patient, stratified by class as far as whole patients allow.</summary>
public static class PatientSplit
{
    public static TrainValidationCalibration Split(
        IReadOnlyList<int> labels, IReadOnlyList<string> patientIds,
        double trainFraction, double validationFraction, double calibrationFraction, int seed)
    {
        var partOf = StratifiedGroupPartitioner.Assign(
            labels, patientIds, [trainFraction, validationFraction, calibrationFraction], seed);
        int[] Part(int p) => Enumerable.Range(0, partOf.Length).Where(i => partOf[i] == p).ToArray();
        return new TrainValidationCalibration(Part(0), Part(1), Part(2));
    }
}
