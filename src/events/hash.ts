import { createHash } from "node:crypto";

/** SHA-256 as lower-case hex: the one hash mmzero uses for content, chains, blobs and weights. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** The chain hash before the first event of a log. */
export const chainGenesis = "0".repeat(64);

/** chain_n = SHA-256(chain_{n-1} ":" contentHash_n): an edit, gap or reorder anywhere changes every later link. */
export function chainNext(previousChainHash: string, contentHash: string): string {
  return sha256Hex(`${previousChainHash}:${contentHash}`);
}
