import Dispatch

/// Jobs shared among worker threads, the one way Diffusion parallelises: at
/// most `threads` workers, worker w takes the contiguous run of jobs
/// w·J/W ..< (w+1)·J/W in order, on its own thread (inline when one suffices).
/// Callers keep results independent of the split (per-job scratch, seeds or
/// outputs), so the thread count never changes a number. A `GEMMProfile`
/// recording on the calling thread records the workers' products too.
enum Workers {
    /// How many workers `jobs` jobs get: at most one per job.
    static func count(jobs: Int, threads: Int) -> Int { max(1, min(threads, jobs)) }

    /// Runs `body(worker, job)` for every job in 0 ..< `jobs`.
    static func run(jobs: Int, threads: Int, _ body: (_ worker: Int, _ job: Int) -> Void) {
        let workers = count(jobs: jobs, threads: threads)
        func share(_ w: Int) {
            for job in (w * jobs / workers) ..< ((w + 1) * jobs / workers) { body(w, job) }
        }
        if workers <= 1 { share(0); return }
        let profile = GEMMProfile.current
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            if let profile { profile.record { share(w) } } else { share(w) }
        }
    }
}
