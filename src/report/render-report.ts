import assert from "node:assert/strict";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import {
  BlobNotFoundError,
  type BlobStore,
  openFileBlobStore,
  type ReadOnlyTail,
  type RecordedEvent,
  readFileLogReadOnly,
  runEventsDirectory,
} from "../store/index.ts";
import { loadReportAssets } from "./assets.ts";
import {
  galleryCandidates,
  galleryDetails,
  gallerySamplesMaxDefault,
  selectGallerySamples,
} from "./gallery.ts";
import { reportPageHtml } from "./page.ts";
import { applyReportEvent, emptyReportState, type ReportState } from "./projection.ts";
import { type RunLogFailures, readRunLogFailures } from "./run-failures.ts";

/**
 * The report's edges: read a run directory (its log without locking, so a running run can be
 * reported), fold it, fetch the chosen gallery images from the blob store and write the page.
 */

export interface ReportOptions {
  /**
   * Reload the page every this many seconds while the run is running (a live view, as the daemon
   * serves it). @default no reload
   */
  readonly refreshSeconds?: number;
  /** Most gallery samples embedded in the page. @default gallerySamplesMaxDefault (120) */
  readonly gallerySamplesMax?: number;
}

/** The path is not a run (no events/ directory with a log); the store names what it found. */
export { NotARunDirectoryError as RunDirectoryError } from "../store/index.ts";

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** A run's events and blobs directories: `<run>/events` and `<run>/blobs`. */
export async function runDirectories(
  runDirectory: string,
): Promise<{ events: string; blobs: string | null }> {
  const events = await runEventsDirectory(runDirectory);
  const blobs = join(runDirectory, "blobs");
  return { events, blobs: (await isDirectory(blobs)) ? blobs : null };
}

export interface FoldedRun {
  readonly state: ReportState;
  /** Why the last record could not be read (a writer mid-append), or null. */
  readonly incompleteTail: string | null;
}

/** Folds an event stream into the report's state (a fresh one, or a live view's, which it consumes). */
export async function foldReportEvents(
  events: AsyncIterable<RecordedEvent>,
  state = emptyReportState(),
): Promise<ReportState> {
  let folded = state;
  for await (const recorded of events) folded = applyReportEvent(folded, recorded);
  return folded;
}

/** Reads and folds a run directory's log without taking its write lock. */
export async function foldRunDirectory(runDirectory: string): Promise<FoldedRun> {
  const { events } = await runDirectories(runDirectory);
  const tail: { value?: ReadOnlyTail } = {};
  const state = await foldReportEvents(readFileLogReadOnly(events, tail));
  const incomplete = tail.value?.incompleteTail ?? null;
  return {
    state,
    incompleteTail:
      incomplete === null ? null : `${incomplete.segment}:${incomplete.offset}: ${incomplete.reason}`,
  };
}

async function imageUrls(blobs: Pick<BlobStore, "get"> | null, hashes: readonly string[]) {
  const urls = new Map<string, string>();
  if (blobs === null) return urls;
  for (const hash of new Set(hashes)) {
    try {
      const bytes = await blobs.get(hash);
      urls.set(hash, `data:image/png;base64,${Buffer.from(bytes).toString("base64")}`);
    } catch (error) {
      // A missing image leaves its card without a picture; the rest of the page is still right.
      if (!(error instanceof BlobNotFoundError)) throw error;
    }
  }
  return urls;
}

/**
 * The page for a folded state, with images from `blobs` (any BlobStore: file or JetStream). A live
 * view can keep the state, apply new events with `applyReportEvent`, and call this again.
 */
export async function renderReportFromState(
  state: ReportState,
  blobs: Pick<BlobStore, "get"> | null,
  options: ReportOptions & {
    readonly incompleteTail?: string | null;
    readonly runLogFailures?: RunLogFailures;
  } = {},
): Promise<string> {
  const limit = options.gallerySamplesMax ?? gallerySamplesMaxDefault;
  const refreshSeconds = options.refreshSeconds ?? null;
  assert(refreshSeconds === null || refreshSeconds > 0, `refreshSeconds ${refreshSeconds} must be positive`);
  const candidates = galleryCandidates(state);
  const samples = galleryDetails(state, selectGallerySamples(candidates, limit));
  const urls = await imageUrls(
    blobs,
    samples.flatMap((sample) => (sample.image === null ? [] : [sample.image.png])),
  );
  return reportPageHtml(
    {
      state,
      gallery: { candidateCount: candidates.length, samples, imageUrls: urls },
      incompleteTail: options.incompleteTail ?? null,
      ...(options.runLogFailures === undefined ? {} : { runLogFailures: options.runLogFailures }),
      refreshSeconds,
    },
    await loadReportAssets(),
  );
}

/** The self-contained HTML report of a run directory (`<run>/events`, `<run>/blobs`). */
export async function renderReport(runDirectory: string, options: ReportOptions = {}): Promise<string> {
  const { blobs } = await runDirectories(runDirectory);
  const { state, incompleteTail } = await foldRunDirectory(runDirectory);
  await using store = blobs === null ? null : await openFileBlobStore(blobs);
  const runLogFailures = await readRunLogFailures(runDirectory);
  return await renderReportFromState(state, store, { ...options, incompleteTail, runLogFailures });
}
