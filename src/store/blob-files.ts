import { mkdir, open, readdir, readFile, stat } from "node:fs/promises";
import { syncDirectory } from "./file-system.ts";
import { readAt } from "./segment-reader.ts";

/** A pack file open for appending, as the blob store uses it. */
export interface BlobFileHandle {
  /** Writes all of `bytes` at `position`. */
  write(bytes: Uint8Array, position: number): Promise<void>;
  /** Makes the written bytes (and the file's size) durable. */
  datasync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The file-system calls the file blob store makes. Why a port: the durability order of a put (the
 * pack's creation synced in its folder, the bytes written and synced before the put resolves) is
 * only observable by recording these calls; tests pass a recording one, everything else the real one.
 */
export interface BlobFiles {
  /** Creates a new file for appending (fails with EEXIST if it exists, ENOENT if its folder does not). */
  create(path: string): Promise<BlobFileHandle>;
  mkdir(path: string): Promise<void>;
  /** The names in a folder (ENOENT if it does not exist). */
  list(path: string): Promise<string[]>;
  size(path: string): Promise<number>;
  /** Up to `length` bytes at `position`; fewer only where the file ends. */
  readAt(path: string, position: number, length: number): Promise<Buffer>;
  readFile(path: string): Promise<Buffer>;
  isFile(path: string): Promise<boolean>;
  /** Makes a folder's entries durable (file-system.ts). */
  syncDirectory(path: string): Promise<void>;
}

/** node:fs/promises. */
export const nodeBlobFiles: BlobFiles = {
  async create(path) {
    const handle = await open(path, "wx");
    return {
      async write(bytes, position) {
        let written = 0;
        while (written < bytes.length) {
          const { bytesWritten } = await handle.write(
            bytes,
            written,
            bytes.length - written,
            position + written,
          );
          written += bytesWritten;
        }
      },
      datasync: () => handle.datasync(),
      close: () => handle.close(),
    };
  },
  mkdir: async (path) => {
    await mkdir(path, { recursive: true });
  },
  list: (path) => readdir(path),
  size: async (path) => (await stat(path)).size,
  async readAt(path, position, length) {
    const handle = await open(path, "r");
    try {
      return await readAt(handle, position, length);
    } finally {
      await handle.close();
    }
  },
  readFile: (path) => readFile(path),
  isFile: async (path) => (await stat(path)).isFile(),
  syncDirectory,
};
