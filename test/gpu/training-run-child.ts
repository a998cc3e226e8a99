// Prints the hashes of trainingRunHashes(backend, seed, steps) as JSON: the cross-process half of
// test/gpu/determinism.test.ts.
import { parseBackendName } from "../../src/gpu/index.ts";
import { trainingRunHashes } from "./training-run.ts";

const [backend = "wasm", seed = "seed", steps = "2"] = process.argv.slice(2);
const name = parseBackendName(backend);
if (name === "auto") throw new Error("name a backend");
process.stdout.write(JSON.stringify(await trainingRunHashes(name, seed, Number(steps))));
