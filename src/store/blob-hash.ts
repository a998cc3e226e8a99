import assert from "node:assert/strict";

const blobHashPattern = /^[0-9a-f]{64}$/;

/** A blob name must be a SHA-256 hex: anything else is a caller bug (and could escape a directory). */
export function assertBlobHash(hash: string): void {
  assert.match(
    hash,
    blobHashPattern,
    `blob hash must be 64 lower-case hex characters, got ${JSON.stringify(hash)}`,
  );
}
