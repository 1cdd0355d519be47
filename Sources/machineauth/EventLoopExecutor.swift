import CGlobalExecutorHook
import NIOCore
import NIOPosix

/// Runs Swift concurrency's global jobs on NIO's event loops (`MultiThreadedEventLoopGroup.singleton`,
/// which the HTTP server uses too) instead of the runtime's own thread pool.
///
/// A request's handler then runs on the event loop that read it, and its response is written
/// there without a thread switch; a job started from another thread goes to one loop. This is
/// what SwiftNIO's `unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor`
/// does, through the same runtime hook, but it finds the hook with `dlsym`, which fails when the
/// Swift runtime is linked statically (as `scripts/release` builds it).
///
/// ```swift
/// EventLoopExecutor.install()   // once, before the server starts
/// ```
enum EventLoopExecutor {
    /// Installs the routing; `false` when another hook was installed first (nothing changes).
    @discardableResult
    static func install() -> Bool {
        machineauth_route_global_jobs { job in
            guard let job else { return }
            let unowned = unsafeBitCast(job, to: UnownedJob.self)
            MultiThreadedEventLoopGroup.singleton.any().enqueue(ExecutorJob(unowned))
        } == 1
    }
}
