// Synchronous clean-ups for a process that exits without closing what it opened (render pools
// and their workers). Only the 'exit' event is covered: a process killed by a signal skips it,
// and then its workers still exit on IPC disconnect after their current render.

const cleanups = new Set<() => void>();
let installed = false;

/** Runs `cleanup` if the process exits first; call the returned function once it is no longer needed. */
export function cleanUpOnExit(cleanup: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on("exit", () => {
      for (const each of cleanups) each();
    });
  }
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}
