// A gradient worker thread (gradient-worker.ts): plain JavaScript, so it can load tsx's loader
// before the TypeScript it runs. Registering again under a parent started with `--import tsx` is harmless.
import { register } from "tsx/esm/api";

register();
await import("./gradient-worker-thread.ts");
