using System;

namespace ModelGen.Kernels;

/// <summary>The kernel that computes a <see cref="GemmProblem"/>.</summary>
internal enum GemmKind
{
    /// <summary><see cref="Gemm"/>, the blocked product.</summary>
    Blocked,

    /// <summary><see cref="GemmDot"/>, one dot product per element.</summary>
    Dot,
}

/// <summary>
/// Splits a <see cref="GemmProblem"/> among threads when it is large enough (see <see cref="KernelParallelism"/>).
/// The blocked product is split by whole column panels when each thread gets at least one, else by whole
/// row tiles. The dot-product kernel is split by groups of <see cref="GemmDot.RowGroup"/> rows. Either way every element keeps its single-thread computation.
/// </summary>
internal static unsafe class GemmParallel
{
    [ThreadStatic]
    private static GemmJob? t_job;

    /// <summary>Computes the whole of <paramref name="problem"/> on one or more threads.</summary>
    internal static void Multiply(in GemmProblem problem, GemmKind kind, VectorWidth widest)
    {
        long multiplyAdds = (long)problem.M * problem.N * problem.K;
        if (!KernelParallelism.MayUseThreads(multiplyAdds))
        {
            Run(problem, kind, widest);
            return;
        }

        int panelWidth = 2 * Math.Max((int)widest, 1);
        int panels = problem.N / panelWidth;
        int tileRows = Gemm.TileRowsFor(widest);
        int tiles = (problem.M + tileRows - 1) / tileRows;
        int maxParts = kind == GemmKind.Dot ? (problem.M + GemmDot.RowGroup - 1) / GemmDot.RowGroup : Math.Max(panels, tiles);
        int threads = KernelParallelism.ThreadsFor(multiplyAdds, maxParts);
        if (threads > 1)
        {
            GemmJob job = t_job ??= new GemmJob();
            job.Set(problem, kind, widest, splitColumns: kind == GemmKind.Blocked && panels >= threads);
            if (KernelWorkerPool.Instance.TryRun(job, threads))
            {
                return;
            }
        }

        Run(problem, kind, widest);
    }

    private static void Run(in GemmProblem problem, GemmKind kind, VectorWidth widest)
    {
        if (kind == GemmKind.Dot)
        {
            GemmDot.MultiplyRows(problem, 0, problem.M, widest);
        }
        else
        {
            Gemm.MultiplyColumns(problem, 0, problem.N, widest);
        }
    }

    private sealed class GemmJob : KernelJob
    {
        private GemmProblem _problem;
        private GemmKind _kind;
        private VectorWidth _widest;
        private bool _splitColumns;

        public void Set(in GemmProblem problem, GemmKind kind, VectorWidth widest, bool splitColumns)
        {
            _problem = problem;
            _kind = kind;
            _widest = widest;
            _splitColumns = splitColumns;
        }

        public override void Run(int part, int parts)
        {
            if (_splitColumns)
            {
                int panelWidth = 2 * (int)_widest;
                int panels = _problem.N / panelWidth;
                int first = panels * part / parts * panelWidth;
                int end = part == parts - 1 ? _problem.N : panels * (part + 1) / parts * panelWidth;
                Gemm.MultiplyColumns(_problem, first, end, _widest);
                return;
            }

            int rowUnit = _kind == GemmKind.Dot ? GemmDot.RowGroup : Gemm.TileRowsFor(_widest);
            int units = (_problem.M + rowUnit - 1) / rowUnit;
            int firstRow = units * part / parts * rowUnit;
            int endRow = part == parts - 1 ? _problem.M : units * (part + 1) / parts * rowUnit;
            if (endRow <= firstRow)
            {
                return;
            }

            GemmProblem rows = _problem;
            rows.A += firstRow * _problem.ARowStride;
            rows.C += firstRow * _problem.CStride;
            rows.M = endRow - firstRow;
            GemmParallel.Run(rows, _kind, _widest);
        }
    }
}
