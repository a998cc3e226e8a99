// Operating errors of the render pool itself (not of an SVG: those are RenderOutcome values).

export class RenderQueueFullError extends Error {
  override readonly name = "RenderQueueFullError";
  constructor(readonly queueDepthMax: number) {
    super(
      `the render queue is full (${queueDepthMax} requests waiting); await earlier renders before submitting more, or raise queueDepthMax`,
    );
  }
}

export class RenderPoolClosedError extends Error {
  override readonly name = "RenderPoolClosedError";
  constructor() {
    super("the render pool is closed (its workers were stopped); create a new pool with createRenderPool");
  }
}

export class RenderPoolBrokenError extends Error {
  override readonly name = "RenderPoolBrokenError";
  constructor(
    readonly startFailures: number,
    readonly detail: string,
  ) {
    super(
      `render workers failed to start ${startFailures} times in a row (last: ${detail}); check workerAddressSpaceMiB and that node can start, then create a new pool`,
    );
  }
}
