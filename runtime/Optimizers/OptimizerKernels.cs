using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ModelGen.Kernels;

namespace ModelGen.Optimizers;

/// <summary>Constants of one Adam update of one tensor.</summary>
internal readonly record struct AdamStep(float Beta1, float Beta2, float Epsilon, float StepSize, float InverseBiasCorrection2Sqrt);

/// <summary>
/// Element-wise optimizer updates on the widest accelerated vector width, with the elements that no full vector
/// covers on the scalar path. Each element goes through the same operations on every width (fused multiply-add
/// where the hardware has it), so only the choice of machine changes the bits.
/// </summary>
internal static class OptimizerKernels
{
    /// <summary>
    /// Applies Adam: <c>m = β1·m + (1-β1)·g</c>, <c>v = β2·v + (1-β2)·g²</c>,
    /// <c>p -= stepSize·m / (sqrt(v)·inverseBiasCorrection2Sqrt + ε)</c>.
    /// </summary>
    internal static void Adam(Span<float> values, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, in AdamStep step, VectorWidth widest)
    {
        int n = values.Length;
        if (gradient.Length < n || m.Length < n || v.Length < n)
        {
            throw new ArgumentException($"Adam buffers are shorter than the {n} parameter values: gradient {gradient.Length}, m {m.Length}, v {v.Length}.");
        }

        int threads = KernelParallelism.ThreadsFor((long)n * AdamMultiplyAddsPerElement, n / ParallelChunk);
        if (threads > 1 && AdamParallel(values, gradient, m, v, step, widest, threads))
        {
            return;
        }

        AdamRange(ref MemoryMarshal.GetReference(values), ref MemoryMarshal.GetReference(gradient), ref MemoryMarshal.GetReference(m), ref MemoryMarshal.GetReference(v), 0, n, step, widest);
    }

    /// <summary>
    /// Multiply-add equivalents that one Adam element costs, for the multi-core threshold of
    /// <see cref="KernelParallelism"/>. NOTE: an estimate, not a measurement: a square root, a division and
    /// five streams of memory per element, rated at eight fused multiply-adds.
    /// </summary>
    private const long AdamMultiplyAddsPerElement = 8;

    /// <summary>Elements per unit of a multi-core split; a multiple of every vector width, so no element changes path.</summary>
    private const int ParallelChunk = 64;

    [ThreadStatic]
    private static AdamJob? t_adamJob;

    private static unsafe bool AdamParallel(Span<float> values, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, in AdamStep step, VectorWidth widest, int threads)
    {
        fixed (float* p = values)
        fixed (float* g = gradient)
        fixed (float* pm = m)
        fixed (float* pv = v)
        {
            AdamJob job = t_adamJob ??= new AdamJob();
            job.Set(p, g, pm, pv, values.Length, step, widest);
            return KernelWorkerPool.Instance.TryRun(job, threads);
        }
    }

    private static void AdamRange(ref float p, ref float g, ref float rm, ref float rv, int first, int end, in AdamStep step, VectorWidth widest)
    {
        int i = first;
        if (widest >= VectorWidth.Vector512)
        {
            i = Adam<Vector512Ops, Vector512<float>>(ref p, ref g, ref rm, ref rv, i, end, step);
        }

        if (widest >= VectorWidth.Vector256)
        {
            i = Adam<Vector256Ops, Vector256<float>>(ref p, ref g, ref rm, ref rv, i, end, step);
        }

        if (widest >= VectorWidth.Vector128)
        {
            i = Adam<Vector128Ops, Vector128<float>>(ref p, ref g, ref rm, ref rv, i, end, step);
        }

        Adam<ScalarOps, float>(ref p, ref g, ref rm, ref rv, i, end, step);
    }

    /// <summary>Applies plain gradient descent, <c>p -= lr·g</c>.</summary>
    internal static void Sgd(Span<float> values, ReadOnlySpan<float> gradient, float learningRate, VectorWidth widest)
    {
        int n = values.Length;
        if (gradient.Length < n)
        {
            throw new ArgumentException($"The gradient has {gradient.Length} values; {n} are needed.", nameof(gradient));
        }

        ref float p = ref MemoryMarshal.GetReference(values);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int i = 0;
        if (widest >= VectorWidth.Vector512)
        {
            i = Sgd<Vector512Ops, Vector512<float>>(ref p, ref g, i, n, learningRate);
        }

        if (widest >= VectorWidth.Vector256)
        {
            i = Sgd<Vector256Ops, Vector256<float>>(ref p, ref g, i, n, learningRate);
        }

        if (widest >= VectorWidth.Vector128)
        {
            i = Sgd<Vector128Ops, Vector128<float>>(ref p, ref g, i, n, learningRate);
        }

        Sgd<ScalarOps, float>(ref p, ref g, i, n, learningRate);
    }

    /// <summary>
    /// Applies SGD with momentum: <c>buf = g</c> on the first step, else <c>buf = momentum·buf + g</c>; then
    /// <c>p -= lr·buf</c>, or <c>p -= lr·(g + momentum·buf)</c> with Nesterov momentum.
    /// </summary>
    internal static void SgdMomentum(Span<float> values, ReadOnlySpan<float> gradient, Span<float> velocity, float learningRate, float momentum, bool nesterov, bool first, VectorWidth widest)
    {
        int n = values.Length;
        if (gradient.Length < n || velocity.Length < n)
        {
            throw new ArgumentException($"SGD buffers are shorter than the {n} parameter values: gradient {gradient.Length}, velocity {velocity.Length}.");
        }

        ref float p = ref MemoryMarshal.GetReference(values);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        ref float b = ref MemoryMarshal.GetReference(velocity);
        var step = new MomentumStep(learningRate, first ? 0f : momentum, momentum, nesterov);
        int i = 0;
        if (widest >= VectorWidth.Vector512)
        {
            i = SgdMomentum<Vector512Ops, Vector512<float>>(ref p, ref g, ref b, i, n, step);
        }

        if (widest >= VectorWidth.Vector256)
        {
            i = SgdMomentum<Vector256Ops, Vector256<float>>(ref p, ref g, ref b, i, n, step);
        }

        if (widest >= VectorWidth.Vector128)
        {
            i = SgdMomentum<Vector128Ops, Vector128<float>>(ref p, ref g, ref b, i, n, step);
        }

        SgdMomentum<ScalarOps, float>(ref p, ref g, ref b, i, n, step);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Adam<TOps, TVector>(ref float p, ref float g, ref float m, ref float v, int first, int n, in AdamStep step)
        where TOps : IVectorOps<TVector>
        where TVector : struct
    {
        int width = TOps.Count;
        TVector beta1 = TOps.Broadcast(step.Beta1), oneMinusBeta1 = TOps.Broadcast(1f - step.Beta1);
        TVector beta2 = TOps.Broadcast(step.Beta2), oneMinusBeta2 = TOps.Broadcast(1f - step.Beta2);
        TVector epsilon = TOps.Broadcast(step.Epsilon), stepSize = TOps.Broadcast(step.StepSize);
        TVector inverseCorrection = TOps.Broadcast(step.InverseBiasCorrection2Sqrt);
        int i = first;
        for (; i <= n - width; i += width)
        {
            TVector gi = TOps.Load(ref g, i);
            TVector mi = TOps.MultiplyAdd(oneMinusBeta1, gi, TOps.Multiply(beta1, TOps.Load(ref m, i)));
            TVector vi = TOps.MultiplyAdd(oneMinusBeta2, TOps.Multiply(gi, gi), TOps.Multiply(beta2, TOps.Load(ref v, i)));
            TOps.Store(mi, ref m, i);
            TOps.Store(vi, ref v, i);
            TVector denominator = TOps.MultiplyAdd(TOps.Sqrt(vi), inverseCorrection, epsilon);
            TVector update = TOps.Divide(TOps.Multiply(stepSize, mi), denominator);
            TOps.Store(TOps.Subtract(TOps.Load(ref p, i), update), ref p, i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Sgd<TOps, TVector>(ref float p, ref float g, int first, int n, float learningRate)
        where TOps : IVectorOps<TVector>
        where TVector : struct
    {
        int width = TOps.Count;
        TVector rate = TOps.Broadcast(learningRate);
        int i = first;
        for (; i <= n - width; i += width)
        {
            TOps.Store(TOps.Subtract(TOps.Load(ref p, i), TOps.Multiply(rate, TOps.Load(ref g, i))), ref p, i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SgdMomentum<TOps, TVector>(ref float p, ref float g, ref float b, int first, int n, in MomentumStep step)
        where TOps : IVectorOps<TVector>
        where TVector : struct
    {
        int width = TOps.Count;
        TVector rate = TOps.Broadcast(step.LearningRate);
        TVector decay = TOps.Broadcast(step.BufferDecay);
        TVector momentum = TOps.Broadcast(step.Momentum);
        bool nesterov = step.Nesterov;
        int i = first;
        for (; i <= n - width; i += width)
        {
            TVector gi = TOps.Load(ref g, i);
            TVector bi = TOps.MultiplyAdd(decay, TOps.Load(ref b, i), gi);
            TOps.Store(bi, ref b, i);
            TVector direction = nesterov ? TOps.MultiplyAdd(momentum, bi, gi) : bi;
            TOps.Store(TOps.Subtract(TOps.Load(ref p, i), TOps.Multiply(rate, direction)), ref p, i);
        }

        return i;
    }

    /// <summary>Constants of one momentum update; <see cref="BufferDecay"/> is 0 on the first step so that <c>buf = g</c>.</summary>
    private readonly record struct MomentumStep(float LearningRate, float BufferDecay, float Momentum, bool Nesterov);

    /// <summary>One Adam update split into contiguous ranges of whole <see cref="ParallelChunk"/>s, one per thread.</summary>
    private sealed unsafe class AdamJob : KernelJob
    {
        private float* _values;
        private float* _gradient;
        private float* _m;
        private float* _v;
        private int _length;
        private AdamStep _step;
        private VectorWidth _widest;

        public void Set(float* values, float* gradient, float* m, float* v, int length, in AdamStep step, VectorWidth widest)
        {
            _values = values;
            _gradient = gradient;
            _m = m;
            _v = v;
            _length = length;
            _step = step;
            _widest = widest;
        }

        public override void Run(int part, int parts)
        {
            int chunks = _length / ParallelChunk;
            int first = (int)((long)chunks * part / parts) * ParallelChunk;
            int end = part == parts - 1 ? _length : (int)((long)chunks * (part + 1) / parts) * ParallelChunk;
            AdamRange(ref *_values, ref *_gradient, ref *_m, ref *_v, first, end, _step, _widest);
        }
    }
}
