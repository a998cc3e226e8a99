import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { sha256Hex } from "../events/index.ts";
import { type BlobFileHandle, type BlobFiles, nodeBlobFiles } from "./blob-files.ts";
import { assertBlobHash } from "./blob-hash.ts";
import { encodePackRecord, packHeaderBytes, packName, parsePackName, scanPack } from "./blob-pack-format.ts";
import type { BlobStore } from "./blob-store.ts";
import {
  BlobCorruptionError,
  BlobNotFoundError,
  BlobPackNumbersTakenError,
  BlobStoreClosedError,
} from "./errors.ts";
import { errorCode } from "./file-system.ts";
import { SerialQueue } from "./serial-queue.ts";

/** The folder of a blob directory that holds the pack files. */
const packsFolderName = "packs";
/** The per-file layout's folders (`<first two hex>/<hash>`), read but never written. */
const legacyFolderPattern = /^[0-9a-f]{2}$/;
/** Why a bound: each attempt follows a pack number another writer took meanwhile; more is a fight. */
const packCreateAttemptsMax = 100;

/** Where a blob's bytes lie. */
interface PackLocation {
  readonly pack: string;
  readonly offset: number;
  readonly length: number;
}

/** How far a pack another writer appends to has been scanned. */
interface ScannedPack {
  scannedTo: number;
  /** The size at the last scan: an unchanged size has nothing new (a torn tail is not read again). */
  size: number;
}

interface Writer {
  readonly name: string;
  readonly handle: BlobFileHandle;
  size: number;
}

interface PendingRecord {
  readonly hash: string;
  readonly record: Buffer;
}

interface Batch {
  readonly records: PendingRecord[];
  readonly written: Promise<void>;
}

/**
 * The content-addressed file BlobStore: blobs appended to pack files `<directory>/packs/000001.pack`,
 * ... (records in blob-pack-format.ts), found through an in-memory index hash -> (pack, offset,
 * length) built at open by scanning the packs' headers. Reads verify the SHA-256.
 *
 * Durability: a put resolves only once its record is written and the pack fdatasync'd; the pack's
 * creation is synced in its folder (and the `packs` folder's in the blob directory) before any record
 * is written to it. Puts made while a write and sync are under way wait in one batch and share the
 * next write and sync (group commit through a SerialQueue). Why packs: creating a file was what a put
 * cost (0.4-1 ms of kernel time each on the 2-core VM, 1,500-2,000 a quick run), an append and a
 * sync a small part of that.
 *
 * One writer per pack, several per directory: `replay --mode verify` puts into a run's blob store
 * without the run's log lock, possibly while the run writes, so two processes (or two stores in one)
 * may write the same directory. Each store appends only to pack files it created itself (a new
 * number, created exclusively, on its first put that writes), so no lock is needed and no two
 * writers ever append to one file. A writer never appends to an existing pack, so a torn tail (a
 * crash mid-append) stays at the end of its pack: scans report and skip it (a record cut off by the
 * end of the file, or zeros there) and read it again only if the pack grows; any other damage is
 * BlobPackCorruptionError. A failed write or sync abandons the pack (what it holds is uncertain) and
 * the next put starts a new one.
 *
 * Readers in other processes: on an index miss, `get` and `has` rescan (new packs, and bytes
 * appended to known ones since the last scan) before answering not-found, so a report or evaluation
 * sees blobs written after it opened. A reader reads only up to the size it saw, and a file's size
 * grows only after its bytes are in the page cache, so a record being appended reads as a torn tail.
 *
 * Idempotent: a put of a hash this store wrote, or one it can read back intact (from another pack,
 * or from the legacy layout), writes nothing; a copy that fails its hash (the torn body of a crashed
 * append) is written again, and the later copy is the one indexed (scans read packs in number order).
 *
 * Compatibility: run directories written before packs hold `<directory>/<first two hex>/<hash>`
 * files (test/fixtures/runs). Reads fall back to that path on an index miss; new blobs always go to
 * packs.
 */
export class FileBlobStore implements BlobStore {
  readonly directory: string;
  readonly #packs: string;
  readonly #index = new Map<string, PackLocation>();
  readonly #scanned = new Map<string, ScannedPack>();
  /** Packs this store created: never scanned (their records are indexed as written). */
  readonly #ownPacks = new Set<string>();
  #legacyFolders = new Set<string>();
  #hasPacksFolder = false;
  #packNumberMax = 0;
  #loaded: Promise<void> | undefined;
  readonly #scans = new SerialQueue();
  readonly #writes = new SerialQueue();
  #writer: Writer | null = null;
  #batch: Batch | null = null;
  readonly #putting = new Map<string, Promise<string>>();
  #closed = false;
  #writerClosed = false;

  /** A store over `directory`, which may not exist yet: nothing is read or created until it is used. */
  constructor(
    directory: string,
    private readonly files: BlobFiles = nodeBlobFiles,
  ) {
    this.directory = directory;
    this.#packs = join(directory, packsFolderName);
  }

  /** Builds the index (once; every operation waits for it). */
  open(): Promise<void> {
    this.#assertOpen();
    this.#loaded ??= this.#scans
      .run(() => this.#rescan())
      .catch((error: unknown) => {
        this.#loaded = undefined;
        throw error;
      });
    return this.#loaded;
  }

  async put(bytes: Uint8Array): Promise<string> {
    this.#assertOpen();
    const hash = sha256Hex(bytes);
    // Why now: the caller may reuse its array once put is called; the record is this store's copy.
    const record = encodePackRecord(hash, bytes);
    const inFlight = this.#putting.get(hash);
    if (inFlight !== undefined) return inFlight;
    const putting = this.#put(hash, record).finally(() => this.#putting.delete(hash));
    this.#putting.set(hash, putting);
    return putting;
  }

  async get(hash: string): Promise<Uint8Array> {
    this.#assertOpen();
    assertBlobHash(hash);
    await this.open();
    const found = await this.#locate(hash);
    if (found === null) throw new BlobNotFoundError(hash);
    let bytes: Buffer;
    try {
      bytes = await this.#read(found);
    } catch (error) {
      if (errorCode(error) === "ENOENT") throw new BlobNotFoundError(hash);
      throw error;
    }
    const actualHash = sha256Hex(bytes);
    if (actualHash !== hash) throw new BlobCorruptionError(hash, actualHash);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async has(hash: string): Promise<boolean> {
    this.#assertOpen();
    assertBlobHash(hash);
    await this.open();
    return (await this.#locate(hash)) !== null;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Why through the queue: batches already queued are written first; none can start after.
    await this.#writes.run(async () => {
      this.#writerClosed = true;
      const writer = this.#writer;
      this.#writer = null;
      await writer?.handle.close();
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #put(hash: string, record: Buffer): Promise<string> {
    await this.open();
    if (!(await this.#holdsIntact(hash))) await this.#append({ hash, record });
    return hash;
  }

  /** Whether the store holds an intact copy, without rescanning (a put of a new blob reads nothing). */
  async #holdsIntact(hash: string): Promise<boolean> {
    const location = this.#index.get(hash);
    if (location !== undefined && this.#ownPacks.has(location.pack)) return true;
    const found = location ?? (this.#legacyFolders.has(hash.slice(0, 2)) ? this.#legacyPath(hash) : null);
    if (found === null) return false;
    try {
      return sha256Hex(await this.#read(found)) === hash;
    } catch (error) {
      if (errorCode(error) === "ENOENT") return false;
      throw error;
    }
  }

  /** Joins the batch waiting to be written, or starts one; resolves once the batch is durable. */
  async #append(record: PendingRecord): Promise<void> {
    let batch = this.#batch;
    if (batch === null) {
      const records: PendingRecord[] = [];
      batch = { records, written: this.#writes.run(() => this.#writeBatch(records)) };
      this.#batch = batch;
    }
    batch.records.push(record);
    await batch.written;
  }

  async #writeBatch(records: PendingRecord[]): Promise<void> {
    assert.equal(this.#batch?.records, records, "the batch written is the one puts joined");
    // Why first: puts from here on wait for the next write, not this one.
    this.#batch = null;
    const writer = await this.#openWriter();
    const bytes =
      records.length === 1 ? records[0]!.record : Buffer.concat(records.map(({ record }) => record));
    try {
      await writer.handle.write(bytes, writer.size);
      await writer.handle.datasync();
    } catch (error) {
      // What the pack holds past `writer.size` is uncertain: the next batch starts a new pack.
      this.#writer = null;
      await writer.handle.close().catch(() => undefined);
      throw error;
    }
    let offset = writer.size;
    for (const { hash, record } of records) {
      this.#index.set(hash, {
        pack: writer.name,
        offset: offset + packHeaderBytes,
        length: record.length - packHeaderBytes,
      });
      offset += record.length;
    }
    writer.size = offset;
  }

  /** The pack this store appends to, created (with a number no pack has) on the first write. */
  async #openWriter(): Promise<Writer> {
    if (this.#writerClosed) throw new BlobStoreClosedError(this.directory);
    if (this.#writer !== null) return this.#writer;
    if (!this.#hasPacksFolder) {
      await this.files.mkdir(this.#packs);
      await this.files.syncDirectory(this.directory);
      this.#hasPacksFolder = true;
    }
    for (let attempt = 0; attempt < packCreateAttemptsMax; attempt++) {
      this.#packNumberMax += 1;
      const name = packName(this.#packNumberMax);
      // Why before creating: a scan running meanwhile must not take the new pack for another writer's.
      this.#ownPacks.add(name);
      let handle: BlobFileHandle;
      try {
        handle = await this.files.create(join(this.#packs, name));
      } catch (error) {
        this.#ownPacks.delete(name);
        if (errorCode(error) === "EEXIST") continue;
        throw error;
      }
      try {
        await this.files.syncDirectory(this.#packs);
      } catch (error) {
        await handle.close().catch(() => undefined);
        throw error;
      }
      this.#writer = { name, handle, size: 0 };
      return this.#writer;
    }
    throw new BlobPackNumbersTakenError(this.directory, packCreateAttemptsMax);
  }

  /** Where the blob is: the index, else the legacy layout, else (after a rescan) the index again. */
  async #locate(hash: string): Promise<PackLocation | string | null> {
    const known = this.#index.get(hash);
    if (known !== undefined) return known;
    if (this.#legacyFolders.has(hash.slice(0, 2))) {
      const path = this.#legacyPath(hash);
      try {
        if (await this.files.isFile(path)) return path;
      } catch (error) {
        if (errorCode(error) !== "ENOENT") throw error;
      }
    }
    await this.#scans.run(() => this.#rescan());
    return this.#index.get(hash) ?? null;
  }

  /** The bytes at a pack location or a legacy path (unchecked). */
  #read(found: PackLocation | string): Promise<Buffer> {
    if (typeof found === "string") return this.files.readFile(found);
    return this.files.readAt(join(this.#packs, found.pack), found.offset, found.length);
  }

  /** Lists the legacy folders and the packs, and indexes what other writers appended since the last scan. */
  async #rescan(): Promise<void> {
    const names = await this.#listOrNone(this.directory);
    this.#legacyFolders = new Set(names.filter((name) => legacyFolderPattern.test(name)));
    this.#hasPacksFolder = names.includes(packsFolderName);
    if (!this.#hasPacksFolder) return;
    const packs = (await this.#listOrNone(this.#packs))
      .map((name) => ({ name, number: parsePackName(name) }))
      .filter((pack): pack is { name: string; number: number } => pack.number !== null)
      .sort((left, right) => left.number - right.number);
    for (const { name, number } of packs) {
      this.#packNumberMax = Math.max(this.#packNumberMax, number);
      if (!this.#ownPacks.has(name)) await this.#scanPack(name);
    }
  }

  async #scanPack(name: string): Promise<void> {
    const path = join(this.#packs, name);
    const scanned = this.#scanned.get(name) ?? { scannedTo: 0, size: -1 };
    this.#scanned.set(name, scanned);
    const size = await this.files.size(path);
    if (size === scanned.size) return;
    const scan = await scanPack(
      path,
      (position, length) => this.files.readAt(path, position, length),
      scanned.scannedTo,
      size,
    );
    for (const { hash, offset, length } of scan.records)
      this.#index.set(hash, { pack: name, offset, length });
    scanned.scannedTo = scan.scannedTo;
    scanned.size = size;
  }

  async #listOrNone(path: string): Promise<string[]> {
    try {
      return await this.files.list(path);
    } catch (error) {
      if (errorCode(error) === "ENOENT") return [];
      throw error;
    }
  }

  #legacyPath(hash: string): string {
    return join(this.directory, hash.slice(0, 2), hash);
  }

  #assertOpen(): void {
    if (this.#closed) throw new BlobStoreClosedError(this.directory);
  }
}

/** Opens (creating the directory if needed) a file blob store in `directory` and builds its index. */
export async function openFileBlobStore(directory: string, files?: BlobFiles): Promise<FileBlobStore> {
  await mkdir(directory, { recursive: true });
  const store = new FileBlobStore(directory, files);
  await store.open();
  return store;
}
