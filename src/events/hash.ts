import crypto from "node:crypto";

/**
 * One-shot hashing where Node has it (20.12 and later): creating a Hash object cost more than
 * hashing an event's few hundred bytes, and events are hashed on every append and read.
 */
const sha256OneShot: (bytes: Uint8Array | string) => string =
  typeof crypto.hash === "function"
    ? (bytes) => crypto.hash("sha256", bytes, "hex")
    : (bytes) => crypto.createHash("sha256").update(bytes).digest("hex");

/** SHA-256 as lower-case hex: the one hash mmzero uses for content, chains, blobs and weights. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return sha256OneShot(bytes);
}

/** The chain hash before the first event of a log. */
export const chainGenesis = "0".repeat(64);

/** chain_n = SHA-256(chain_{n-1} ":" contentHash_n): an edit, gap or reorder anywhere changes every later link. */
export function chainNext(previousChainHash: string, contentHash: string): string {
  return sha256Hex(`${previousChainHash}:${contentHash}`);
}
