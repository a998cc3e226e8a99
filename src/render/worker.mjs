// A render worker: a child process that renders one request at a time and answers each with one
// message. The pool starts it in an empty working directory under ulimit and kills it on timeout.
// Plain JavaScript so it starts without tsx (~60 ms vs ~190 ms measured on this machine).
import { rasterizeSvg } from "./rasterize.mjs";

if (process.send === undefined) {
  process.stderr.write("worker.mjs must be started with an IPC channel (by the render pool)\n");
  process.exit(2);
}

// Why: a parent that died without closing its pool must not leave this process behind.
process.on("disconnect", () => process.exit(0));

process.on("message", (job) => {
  const result = rasterizeSvg(job.request);
  process.send({ type: "result", id: job.id, result });
});

process.send({ type: "ready" });
