using CxrQa.Core.Numerics;
namespace CxrQa.Core.Learning;

/// <summary>
/// Binary L2-penalised logistic regression solved by Newton's method (Cholesky on the (d+1) x (d+1) Hessian, with a
/// backtracking line search). Features are standardised internally with the training set's statistics, because an
/// L2 penalty on raw embeddings would punish features by their units; the returned model is converted back to raw
/// features so that serving computes logit = w . x + b on the backbone output directly.
/// </summary>
public static class LogisticRegression
{
    // Columns of the design matrix are processed in blocks of this many samples so that one block of every
    // column (d x Block doubles) stays in the L2 cache while the Hessian's dot products sweep over it.
    private const int Block = 128;

    /// <param name="x">n x d features.</param>
    /// <param name="labels">n labels, 0 or 1; both classes must occur.</param>
    /// <param name="warmStart">A raw-space model to start from (e.g. the fit at a neighbouring C); null starts at 0.</param>
    public static LogisticRegressionFit Fit(
        FeatureMatrix x, IReadOnlyList<int> labels, LogisticRegressionOptions options,
        LogisticModel? warmStart = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        if (labels.Count != x.Rows) throw new ArgumentException($"{x.Rows} rows but {labels.Count} labels", nameof(labels));
        if (!(options.C > 0) || double.IsInfinity(options.C)) throw new ArgumentOutOfRangeException(nameof(options), options.C, "C must be positive and finite");
        if (warmStart is not null && warmStart.Weights.Length != x.Columns)
            throw new ArgumentException($"warm start has {warmStart.Weights.Length} weights, data has {x.Columns} features", nameof(warmStart));

        var n = x.Rows;
        var d = x.Columns;
        var p = d + 1; // the last parameter is the bias
        var y = new double[n];
        int positives = 0;
        for (var i = 0; i < n; i++)
        {
            if (labels[i] is not (0 or 1)) throw new ArgumentException($"label {i} is {labels[i]}; expected 0 or 1", nameof(labels));
            y[i] = labels[i];
            positives += labels[i];
        }
        if (positives == 0 || positives == n) throw new ArgumentException("both classes must be present to fit a classifier", nameof(labels));

        var sampleWeight = SampleWeights(labels, positives, options.ClassWeighting);
        var standardisation = Standardisation.Of(x);
        var zt = StandardisedColumns(x, standardisation);
        var lambda = 1.0 / (options.C * n);
        var invN = 1.0 / n;

        var theta = new double[p];
        if (warmStart is not null)
        {
            var (v, b) = standardisation.FromRaw(warmStart);
            v.CopyTo(theta, 0);
            theta[d] = b;
        }

        var eta = new double[n];
        var gradient = new double[p];
        var hessian = new double[p * p];
        var step = new double[p];
        var trial = new double[p];
        var objective = Evaluate(zt, n, d, theta, y, sampleWeight, lambda, invN, eta, gradient);
        var gradientNorm = Norm(gradient);
        var iterations = 0;
        while (gradientNorm >= options.GradientTolerance && iterations < options.MaxIterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            iterations++;
            BuildHessian(zt, n, d, eta, sampleWeight, lambda, invN, hessian);
            SolveNewton(hessian, p, gradient, step);

            // Backtracking (Armijo) line search: far from the optimum the full Newton step can overshoot.
            var slope = -VectorMath.Dot(gradient, step);
            var t = 1.0;
            double trialObjective;
            while (true)
            {
                for (var j = 0; j < p; j++) trial[j] = theta[j] - t * step[j];
                trialObjective = Objective(zt, n, d, trial, y, sampleWeight, lambda, invN);
                if (trialObjective <= objective + 1e-4 * t * slope || t < 1e-10) break;
                t *= 0.5;
            }
            if (!(trialObjective <= objective)) break; // no progress possible in floating point
            trial.CopyTo(theta, 0);
            objective = Evaluate(zt, n, d, theta, y, sampleWeight, lambda, invN, eta, gradient);
            gradientNorm = Norm(gradient);
        }

        var model = standardisation.ToRaw(theta.AsSpan(0, d), theta[d]);
        return new LogisticRegressionFit(model, standardisation, iterations, gradientNorm,
            gradientNorm < options.GradientTolerance, objective);
    }

    /// <summary>w_c = n / (2 n_c) for Balanced, else 1.</summary>
    public static double[] SampleWeights(IReadOnlyList<int> labels, int positives, ClassWeighting weighting)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var n = labels.Count;
        var w = new double[n];
        double w1 = 1, w0 = 1;
        if (weighting == ClassWeighting.Balanced)
        {
            w1 = n / (2.0 * positives);
            w0 = n / (2.0 * (n - positives));
        }
        for (var i = 0; i < n; i++) w[i] = labels[i] == 1 ? w1 : w0;
        return w;
    }

    /// <summary>Column-major standardised design matrix with a final row of ones for the bias: (d+1) x n.</summary>
    private static double[] StandardisedColumns(FeatureMatrix x, Standardisation s)
    {
        var n = x.Rows;
        var d = x.Columns;
        var zt = new double[(d + 1) * n];
        for (var i = 0; i < n; i++)
        {
            var row = x.Row(i);
            for (var j = 0; j < d; j++) zt[j * n + i] = (row[j] - s.Mean[j]) / s.Scale[j];
        }
        zt.AsSpan(d * n, n).Fill(1);
        return zt;
    }

    private static void Logits(double[] zt, int n, int d, double[] theta, double[] eta)
    {
        Array.Fill(eta, theta[d]);
        for (var j = 0; j < d; j++)
            if (theta[j] != 0) VectorMath.AddScaled(eta, theta[j], zt.AsSpan(j * n, n));
    }

    private static double Objective(double[] zt, int n, int d, double[] theta, double[] y, double[] s, double lambda, double invN)
    {
        var eta = new double[n];
        Logits(zt, n, d, theta, eta);
        return Loss(eta, y, s, invN) + Penalty(theta, d, lambda);
    }

    /// <summary>Objective at theta; fills eta (logits) and the gradient.</summary>
    private static double Evaluate(double[] zt, int n, int d, double[] theta, double[] y, double[] s, double lambda, double invN,
        double[] eta, double[] gradient)
    {
        Logits(zt, n, d, theta, eta);
        var residual = new double[n];
        for (var i = 0; i < n; i++) residual[i] = invN * s[i] * (Sigmoid.Of(eta[i]) - y[i]);
        for (var j = 0; j <= d; j++) gradient[j] = VectorMath.Dot(zt.AsSpan(j * n, n), residual);
        for (var j = 0; j < d; j++) gradient[j] += lambda * theta[j];
        return Loss(eta, y, s, invN) + Penalty(theta, d, lambda);
    }

    private static double Loss(double[] eta, double[] y, double[] s, double invN)
    {
        var sum = 0.0;
        for (var i = 0; i < eta.Length; i++) sum += s[i] * (Sigmoid.Softplus(eta[i]) - y[i] * eta[i]);
        return sum * invN;
    }

    private static double Penalty(double[] theta, int d, double lambda)
    {
        var sum = 0.0;
        for (var j = 0; j < d; j++) sum += theta[j] * theta[j];
        return 0.5 * lambda * sum;
    }

    /// <summary>H = (1/n) Z^T diag(s p (1-p)) Z + lambda I (bias excluded), lower triangle mirrored to full.</summary>
    /// <remarks>The samples are cut into a fixed number of slices whose partial sums run in parallel and are then
    /// added in slice order, so the result does not depend on the number of cores or on scheduling.</remarks>
    private static void BuildHessian(double[] zt, int n, int d, double[] eta, double[] s, double lambda, double invN, double[] h)
    {
        var p = d + 1;
        var curvature = new double[n];
        for (var i = 0; i < n; i++)
        {
            var q = Sigmoid.Of(eta[i]);
            curvature[i] = invN * s[i] * q * (1 - q);
        }

        var blocks = (n + Block - 1) / Block;
        var slices = Math.Min(HessianSlices, blocks);
        var partial = new double[slices][];
        Parallel.For(0, slices, slice =>
        {
            var acc = new double[p * p];
            for (var b = slice * blocks / slices; b < (slice + 1) * blocks / slices; b++)
                AccumulateBlock(zt, n, p, curvature, b * Block, Math.Min(Block, n - b * Block), acc);
            partial[slice] = acc;
        });

        Array.Copy(partial[0], h, h.Length);
        for (var slice = 1; slice < slices; slice++) VectorMath.AddScaled(h, 1, partial[slice]);
        for (var j = 0; j < p; j++)
        {
            if (j < d) h[j * p + j] += lambda;
            for (var k = 0; k < j; k++) h[k * p + j] = h[j * p + k];
        }
    }

    private const int HessianSlices = 4;

    /// <summary>Adds the lower triangle of one block of samples' Z^T C Z to <paramref name="h"/>.</summary>
    private static void AccumulateBlock(double[] zt, int n, int p, double[] curvature, int start, int len, double[] h)
    {
        var wz = new double[len];
        var c = curvature.AsSpan(start, len);
        for (var j = 0; j < p; j++)
        {
            VectorMath.Multiply(zt.AsSpan(j * n + start, len), c, wz);
            var hRow = h.AsSpan(j * p, p);
            var k = 0;
            for (; k + 3 <= j; k += 4)
                VectorMath.Dot4(wz,
                    zt.AsSpan(k * n + start, len), zt.AsSpan((k + 1) * n + start, len),
                    zt.AsSpan((k + 2) * n + start, len), zt.AsSpan((k + 3) * n + start, len),
                    hRow.Slice(k, 4));
            for (; k <= j; k++) hRow[k] += VectorMath.Dot(wz, zt.AsSpan(k * n + start, len));
        }
    }

    private static void SolveNewton(double[] hessian, int p, double[] gradient, double[] step)
    {
        if (Cholesky.TrySolve(hessian, p, gradient, step)) return;
        // Only an unpenalised bias with a degenerate curvature can make H singular; a small ridge restores a
        // descent direction without changing the optimum the iteration converges to.
        var trace = 0.0;
        for (var j = 0; j < p; j++) trace += hessian[j * p + j];
        for (var jitter = 1e-12 * Math.Max(trace / p, 1e-300); ; jitter *= 100)
        {
            var damped = (double[])hessian.Clone();
            for (var j = 0; j < p; j++) damped[j * p + j] += jitter;
            if (Cholesky.TrySolve(damped, p, gradient, step)) return;
            if (jitter > 1e6) throw new InvalidOperationException("Newton system is not positive definite");
        }
    }

    private static double Norm(double[] v) => Math.Sqrt(VectorMath.Dot(v, v));
}
