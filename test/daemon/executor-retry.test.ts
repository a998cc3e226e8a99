// Goal: the daemon resumes a run that failed recoverably (issue 15, defect 5), with a growing wait and
// a limit, and never retries a permanent failure; a drain during the wait stops the run at once.
// Method: withRetries around a scripted executor (each call returns the next report); waits of a
// millisecond; the delay schedule checked as a fast-check law.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  type RetryNotice,
  type RetryPolicy,
  type RunReport,
  type RunRequest,
  retryDelayMs,
  withRetries,
} from "../../src/daemon/executor.ts";

const recoverable: RunReport = {
  status: "failed",
  failure: { name: "RequestTimeoutError", message: "no reply", recoverable: true },
};
const permanent: RunReport = {
  status: "failed",
  failure: { name: "DeterminismViolationError", message: "differs", recoverable: false },
};
const completed: RunReport = { status: "completed", failure: null };
const quick: RetryPolicy = { attemptsMax: 3, delayMinMs: 1, delayMaxMs: 4 };

function request(stopSignal: AbortSignal = new AbortController().signal): RunRequest {
  return {
    runId: "r1",
    config: {} as RunRequest["config"],
    runDirectory: "/nonexistent",
    stopSignal,
    progress: { unit() {}, metrics() {} },
    onLogOpened: async () => {},
  };
}

/** An executor returning `reports` in order (the last one repeated), counting its calls. */
function scripted(reports: readonly RunReport[]) {
  let calls = 0;
  return {
    calls: () => calls,
    execute: async () => reports[Math.min(calls++, reports.length - 1)]!,
  };
}

describe("withRetries", () => {
  test("a recoverable failure is resumed until the run completes, with a notice per retry", async () => {
    const script = scripted([recoverable, recoverable, completed]);
    const notices: RetryNotice[] = [];
    const report = await withRetries(script.execute, quick, (notice) => notices.push(notice))(request());
    assert.deepEqual(report, completed);
    assert.equal(script.calls(), 3);
    assert.deepEqual(
      notices.map((notice) => [notice.attempt, notice.delayMs, notice.failure.name]),
      [
        [1, 1, "RequestTimeoutError"],
        [2, 2, "RequestTimeoutError"],
      ],
    );
  });

  test("after attemptsMax retries the last recoverable failure is the report", async () => {
    const script = scripted([recoverable]);
    const report = await withRetries(script.execute, quick)(request());
    assert.deepEqual(report, recoverable);
    assert.equal(script.calls(), 1 + quick.attemptsMax);
  });

  test("a permanent failure is never retried", async () => {
    const script = scripted([permanent, completed]);
    assert.deepEqual(await withRetries(script.execute, quick)(request()), permanent);
    assert.equal(script.calls(), 1);
  });

  test("a stop during the wait ends the run stopped, without another attempt", async () => {
    const stop = new AbortController();
    const script = scripted([recoverable, completed]);
    const slow: RetryPolicy = { attemptsMax: 3, delayMinMs: 600_000, delayMaxMs: 600_000 };
    const report = await withRetries(script.execute, slow, () => stop.abort())(request(stop.signal));
    assert.deepEqual(report, { status: "stopped", failure: null });
    assert.equal(script.calls(), 1);
  });

  test("law: delays start at delayMinMs, never shrink, double until capped at delayMaxMs", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (min, extra) => {
          const policy = { attemptsMax: 60, delayMinMs: min, delayMaxMs: min + extra };
          assert.equal(retryDelayMs(policy, 1), min);
          for (let attempt = 2; attempt <= 60; attempt++) {
            const previous = retryDelayMs(policy, attempt - 1);
            const delay = retryDelayMs(policy, attempt);
            assert.equal(delay, Math.min(policy.delayMaxMs, previous * 2));
          }
        },
      ),
      { seed: 15 },
    );
  });
});
