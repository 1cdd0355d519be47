#include "CGlobalExecutorHook.h"
#include <stddef.h>

// The Swift runtime's hook (swift/Runtime/Concurrency.h): when set, swift_task_enqueueGlobal
// calls it with the job and the runtime's own enqueue function, in the Swift calling convention.
// Referenced by name rather than looked up with dlsym, so it also resolves in a binary with
// the Swift runtime linked statically (where the symbol is not exported).
typedef void (*machineauth_enqueue_original)(void *job) __attribute__((swiftcall));
extern void (*swift_task_enqueueGlobal_hook)(void *job, machineauth_enqueue_original original) __attribute__((swiftcall));

static machineauth_global_job_sink installed_sink = NULL;

__attribute__((swiftcall)) static void enqueue_on_sink(void *job, machineauth_enqueue_original original) {
    (void)original;
    installed_sink(job);
}

int machineauth_route_global_jobs(machineauth_global_job_sink sink) {
    if (sink == NULL || swift_task_enqueueGlobal_hook != NULL) return 0;
    installed_sink = sink;
    __atomic_store_n(&swift_task_enqueueGlobal_hook, &enqueue_on_sink, __ATOMIC_SEQ_CST);
    return 1;
}
