namespace CxrQa.Core.Learning;

/// <summary>A fitted model and how the solver got there.</summary>
/// <param name="Model">Weights and bias on raw features.</param>
/// <param name="Standardisation">The per-feature mean and scale the fit used internally.</param>
/// <param name="Iterations">Newton steps taken.</param>
/// <param name="GradientNorm">Gradient norm at the returned point (standardised space).</param>
/// <param name="Converged">Whether <see cref="GradientNorm"/> fell below the tolerance.</param>
/// <param name="Objective">The penalised objective at the returned point.</param>
public sealed record LogisticRegressionFit(
    LogisticModel Model, Standardisation Standardisation, int Iterations, double GradientNorm, bool Converged, double Objective);
