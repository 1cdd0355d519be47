#ifndef MACHINEAUTH_GLOBAL_EXECUTOR_HOOK_H
#define MACHINEAUTH_GLOBAL_EXECUTOR_HOOK_H

/// Receives every job the Swift runtime would hand to its global executor (the job pointer is
/// an `UnownedJob`).
typedef void (*machineauth_global_job_sink)(void *job);

/// Routes the Swift runtime's global-executor jobs to `sink` through the runtime's
/// `swift_task_enqueueGlobal_hook`. Returns 1 when installed, 0 when a hook was set already
/// (nothing is changed then). Call once, at start-up, before the server runs.
int machineauth_route_global_jobs(machineauth_global_job_sink sink);

#endif
