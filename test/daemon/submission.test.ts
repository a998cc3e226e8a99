// Goal: submissions resolve to the run id of their config (field order does not matter, unknown
// fields are refused with a reason), and submission.json files round-trip: read back in sequence
// order, with foreign directories ignored and damaged or misplaced files reported, not trusted.
// Method: fast-check (seeded) over key orders; real files in a temporary runs directory.
import assert from "node:assert/strict";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { runIdOf } from "../../src/actors/index.ts";
import { resolveRunConfig } from "../../src/config/index.ts";
import {
  checkSubmissionShape,
  InvalidSubmissionError,
  readSubmissions,
  resolveSubmission,
  submissionDepthMax,
  submissionFileName,
  writeSubmission,
} from "../../src/daemon/index.ts";
import { makeTempDir } from "../support/temp-dir.ts";

const overrides = { seed: "7", iterations: 2, benchmark: { sliceSize: 6 }, render: { workers: 1 } };

function shuffledObject(entries: ReadonlyArray<readonly [string, unknown]>, order: readonly number[]) {
  return Object.fromEntries(order.map((index) => entries[index]!));
}

describe("submissions", () => {
  test("the run id is the config's, whatever the key order", () => {
    const expected = runIdOf(resolveRunConfig("smoke", overrides));
    const entries = Object.entries(overrides);
    fc.assert(
      fc.property(fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }), (order) => {
        const config = shuffledObject(entries, order);
        assert.equal(resolveSubmission({ config, preset: "smoke" }).runId, expected);
      }),
      { seed: 2026, numRuns: 24 },
    );
    assert.notEqual(
      resolveSubmission({ preset: "smoke", config: { ...overrides, seed: "8" } }).runId,
      expected,
    );
  });

  test("malformed submissions are InvalidSubmissionError with a reason", () => {
    const cases: Array<[unknown, RegExp]> = [
      [null, /preset/],
      [{ preset: 3 }, /preset/],
      [{ preset: "smoke", extra: true }, /extra/],
      [{ preset: "tiny" }, /unknown preset "tiny"/],
      [{ preset: "smoke", config: { iterations: 0 } }, /iterations/],
    ];
    for (const [body, reason] of cases)
      assert.throws(
        () => resolveSubmission(body),
        (error: unknown) => {
          assert.ok(error instanceof InvalidSubmissionError);
          assert.match(error.message, reason);
          return true;
        },
      );
  });

  test("stored submissions read back in sequence order; others are skipped or reported", async () => {
    await using runs = await makeTempDir("submissions");
    const later = resolveSubmission({ preset: "smoke", config: overrides });
    const earlier = resolveSubmission({ preset: "smoke" });
    await writeSubmission(join(runs.path, later.runId), { format: 1, sequence: 5, ...later });
    await writeSubmission(join(runs.path, earlier.runId), { format: 1, sequence: 2, ...earlier });
    await mkdir(join(runs.path, "a-plain-mmzero-run"));
    await mkdir(join(runs.path, "damaged"));
    await writeFile(join(runs.path, "damaged", submissionFileName), "{ not json");
    await writeSubmission(join(runs.path, "misplaced"), { format: 1, sequence: 9, ...earlier });
    const { submissions, unreadable } = await readSubmissions(runs.path);
    assert.deepEqual(
      submissions.map((stored) => [stored.runId, stored.sequence]),
      [
        [earlier.runId, 2],
        [later.runId, 5],
      ],
    );
    assert.deepEqual(submissions[1]!.config, later.config);
    assert.deepEqual(unreadable.map((problem) => problem.directory.split("/").at(-1)).sort(), [
      "damaged",
      "misplaced",
    ]);
  });

  test("shape: any JSON under the depth limit without prototype keys passes; nesting to the limit never does", () => {
    const key = fc
      .string({ maxLength: 8 })
      .filter((name) => !["__proto__", "constructor", "prototype"].includes(name));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof(
        { depthSize: "small", maxDepth: submissionDepthMax - 2 },
        fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null)),
        fc.array(tie("tree"), { maxLength: 3 }),
        fc.dictionary(key, tie("tree"), { maxKeys: 3 }),
      ),
    }));
    fc.assert(
      fc.property(tree, (value) => {
        checkSubmissionShape(JSON.parse(JSON.stringify(value)));
      }),
      { seed: 15, numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.integer({ min: submissionDepthMax, max: 70_000 }), key, (depth, name) => {
        const text = `${`{${JSON.stringify(name)}:`.repeat(depth)}1${"}".repeat(depth)}`;
        assert.throws(() => checkSubmissionShape(JSON.parse(text)), /nests deeper than 16 levels/);
      }),
      { seed: 15, numRuns: 20 },
    );
  });

  test("shape: a prototype key at any depth is an unknown field, before any merge can use it", () => {
    for (const forbidden of ["__proto__", "constructor", "prototype"]) {
      for (const text of [
        `{"preset": "smoke", "${forbidden}": {}}`,
        `{"preset": "smoke", "config": {"model": {"${forbidden}": {"checkpoint": "x"}}}}`,
        `{"preset": "smoke", "config": {"a": [{"${forbidden}": 1}]}}`,
      ]) {
        assert.throws(
          () => resolveSubmission(JSON.parse(text)),
          new RegExp(`unknown field "${forbidden}"`),
          text,
        );
      }
    }
  });

  test("a submission that cannot be serialised leaves no directory and no temporary file", async () => {
    await using runs = await makeTempDir("submission-unserialisable");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const stored = {
      format: 1,
      runId: "smoke-x",
      sequence: 1,
      preset: "smoke",
      overrides: cyclic,
      config: {},
    };
    await assert.rejects(writeSubmission(join(runs.path, "smoke-x"), stored as never), TypeError);
    assert.deepEqual(await readdir(runs.path), []);
  });
});
