import { mkdir, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { syncDirectory } from "./file-system.ts";

/** An open file as the blob store uses it. */
export interface BlobFileHandle {
  writeFile(bytes: Uint8Array): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The file-system calls the file blob store makes. Why a port: the durability order of a put (file
 * fsynced before its rename, folder fsynced before the put resolves) is only observable by recording
 * these calls; tests pass a recording one, everything else the real one.
 */
export interface BlobFiles {
  /** Creates a new file (fails if it exists, or with ENOENT if its folder does not). */
  create(path: string): Promise<BlobFileHandle>;
  rename(from: string, to: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readFile(path: string): Promise<Buffer>;
  isFile(path: string): Promise<boolean>;
  /** Makes a folder's entries durable (file-system.ts). */
  syncDirectory(path: string): Promise<void>;
}

/** node:fs/promises. */
export const nodeBlobFiles: BlobFiles = {
  create: (path) => open(path, "wx"),
  rename,
  mkdir: async (path) => {
    await mkdir(path, { recursive: true });
  },
  unlink,
  readFile: (path) => readFile(path),
  isFile: async (path) => (await stat(path)).isFile(),
  syncDirectory,
};
