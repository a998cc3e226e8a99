import { mkdir, open, readFile, rename, stat, unlink } from "node:fs/promises";

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
  open(path: string, flags: "wx" | "r"): Promise<BlobFileHandle>;
  rename(from: string, to: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readFile(path: string): Promise<Buffer>;
  isFile(path: string): Promise<boolean>;
}

/** node:fs/promises. */
export const nodeBlobFiles: BlobFiles = {
  open: (path, flags) => open(path, flags),
  rename,
  mkdir: async (path) => {
    await mkdir(path, { recursive: true });
  },
  unlink,
  readFile: (path) => readFile(path),
  isFile: async (path) => (await stat(path)).isFile(),
};
