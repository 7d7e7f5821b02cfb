using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace ModelGen.Kernels;

/// <summary>A piece of work split into parts that run at the same time, one per thread.</summary>
internal abstract class KernelJob
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    public abstract void Run(int part, int parts);
}

/// <summary>
/// Background threads that run the parts of a <see cref="KernelJob"/> while the calling thread runs part 0;
/// after that the caller also runs every part that no worker has started. Starting a job allocates nothing. Between jobs a worker spins for a short while (a training step starts
/// several products in quick succession) and then blocks on a semaphore. One job runs at a time; a caller that
/// finds the pool busy runs its job alone (see <see cref="TryRun"/>).
/// </summary>
internal sealed class KernelWorkerPool
{
    /// <summary>Spin iterations of an idle worker before it blocks; roughly 50 to 100 µs on current x64 cores.</summary>
    private const int IdleSpins = 2000;

    private static readonly Lock s_createLock = new();
    private static KernelWorkerPool? s_instance;
    private static long s_jobsRun;

    private readonly Lock _gate = new();
    private Worker[] _workers = [];
    private int _pending;
    private Exception? _failure;

    private KernelWorkerPool()
    {
    }

    /// <summary>The process-wide pool, created on first use.</summary>
    public static KernelWorkerPool Instance
    {
        get
        {
            KernelWorkerPool? pool = Volatile.Read(ref s_instance);
            if (pool is not null)
            {
                return pool;
            }

            lock (s_createLock)
            {
                s_instance ??= new KernelWorkerPool();
                return s_instance;
            }
        }
    }

    /// <summary>Number of jobs run with worker threads since the process started; tests read it.</summary>
    internal static long JobsRun => Interlocked.Read(ref s_jobsRun);

    /// <summary>
    /// Runs parts 0 to <paramref name="parts"/> - 1 of <paramref name="job"/>, part 0 on the calling thread, and
    /// returns when all are done. Returns false without running anything when another job is using the pool.
    /// </summary>
    /// <exception cref="AggregateException">A part threw; the first exception of a worker is inside.</exception>
    public bool TryRun(KernelJob job, int parts)
    {
        if (!_gate.TryEnter())
        {
            return false;
        }

        try
        {
            EnsureWorkers(parts - 1);
            Interlocked.Increment(ref s_jobsRun);
            _failure = null;
            Volatile.Write(ref _pending, parts - 1);
            for (int w = 0; w < parts - 1; w++)
            {
                _workers[w].Assign(job, parts);
            }

            Exception? own = null;
            try
            {
                job.Run(0, parts);

                // A worker that has not started its part yet (descheduled on a busy machine) loses it to this
                // thread, so a product waits only for parts that a worker has already begun.
                for (int w = 0; w < parts - 1; w++)
                {
                    if (_workers[w].TryClaim())
                    {
                        RunPart(job, w + 1, parts);
                    }
                }
            }
            catch (Exception exception)
            {
                own = exception;
            }

            var spinner = default(SpinWait);
            while (Volatile.Read(ref _pending) != 0)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            if (own is not null)
            {
                ExceptionDispatchInfo.Capture(own).Throw();
            }

            if (_failure is not null)
            {
                throw new AggregateException("A kernel worker thread failed.", _failure);
            }

            return true;
        }
        finally
        {
            _gate.Exit();
        }
    }

    private void EnsureWorkers(int count)
    {
        if (_workers.Length >= count)
        {
            return;
        }

        var workers = new Worker[count];
        Array.Copy(_workers, workers, _workers.Length);
        for (int w = _workers.Length; w < count; w++)
        {
            workers[w] = new Worker(this, w + 1);
        }

        _workers = workers;
    }

    private void RunPart(KernelJob job, int part, int parts)
    {
        try
        {
            job.Run(part, parts);
        }
        catch (Exception exception)
        {
            Interlocked.CompareExchange(ref _failure, exception, null);
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>
    /// One background thread. The pool hands it a part by writing the job and then raising its ticket. The
    /// worker runs at most one part per ticket, so it never runs a job it was not given.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Workers and their semaphores live as long as the process.")]
    private sealed class Worker
    {
        private readonly KernelWorkerPool _pool;
        private readonly int _part;
        private readonly SemaphoreSlim _wake = new(0);
        private KernelJob? _job;
        private int _parts;
        private int _ticket;
        private int _sleeping;
        private int _claimed;

        public Worker(KernelWorkerPool pool, int part)
        {
            _pool = pool;
            _part = part;
            var thread = new Thread(Loop)
            {
                IsBackground = true,
                Name = $"ModelGen kernel worker {part}",
            };
            thread.Start();
        }

        /// <summary>Gives the worker its part of <paramref name="job"/> and wakes it if it blocked.</summary>
        public void Assign(KernelJob job, int parts)
        {
            _job = job;
            _parts = parts;
            Interlocked.Exchange(ref _claimed, 0);
            Interlocked.Increment(ref _ticket);
            if (Interlocked.Exchange(ref _sleeping, 0) == 1)
            {
                _wake.Release();
            }
        }

        /// <summary>Claims this worker's current part; exactly one of the worker and the pool's caller succeeds.</summary>
        public bool TryClaim() => Interlocked.CompareExchange(ref _claimed, 1, 0) == 0;

        private void Loop()
        {
            int done = 0;
            while (true)
            {
                int spins = 0;
                while (Volatile.Read(ref _ticket) == done && spins < IdleSpins)
                {
                    Thread.SpinWait(30);
                    spins++;
                }

                if (Volatile.Read(ref _ticket) == done)
                {
                    Interlocked.Exchange(ref _sleeping, 1);
                    if (Volatile.Read(ref _ticket) == done || Interlocked.Exchange(ref _sleeping, 0) == 0)
                    {
                        // Either no part was assigned yet, or Assign already took the flag and releases us.
                        _wake.Wait();
                    }
                }

                // A ticket whose part the caller already took has nothing left to run. A late ticket may also
                // find the next job's part here; the claim makes sure that part still runs exactly once.
                done++;
                if (TryClaim())
                {
                    _pool.RunPart(_job!, _part, _parts);
                }
            }
        }
    }
}
