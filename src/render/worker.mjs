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
// Why: Ctrl-C signals the whole foreground process group; the parent decides when to stop (after
// its current unit), and a render killed by it would be recorded as a crash the run never had.
process.on("SIGINT", () => {});

const waiting = [];
let busy = false;

// Why one at a time, and only after the previous answer is written: a render blocks the event
// loop, so an answer still queued for the IPC pipe (a 224 px image is ~200 KB) would trickle out
// one pipe-full per render, and the parent would see answers late, counting the next render's
// time against the previous one's timeout. Measured: 3x the throughput at 224 px.
function renderNext() {
  const job = waiting.shift();
  if (job === undefined) {
    busy = false;
    return;
  }
  busy = true;
  const rendered = rasterizeSvg(job.request);
  // The pixels stay here: the parent decodes them from the PNG when asked (worker-protocol.ts).
  const result =
    rendered.status === "rendered"
      ? {
          status: "renderedPng",
          width: rendered.width,
          height: rendered.height,
          png: rendered.png,
          pixelSha256: rendered.pixelSha256,
        }
      : rendered;
  process.send({ type: "result", id: job.id, result }, undefined, {}, () => renderNext());
}

process.on("message", (job) => {
  waiting.push(job);
  if (!busy) renderNext();
});

process.send({ type: "ready" });
