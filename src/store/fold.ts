import type { EventLog, ReadRange, RecordedEvent } from "./event-log.ts";

/**
 * A projection: state rebuilt from events alone. `apply` must be pure (no clock, no randomness, no
 * mutation of its inputs), so folding the same events always gives the same state.
 */
export interface Projection<State> {
  readonly initial: State;
  apply(state: State, recorded: RecordedEvent): State;
}

/** Folds events, in the order given, into a projection's state. */
export function foldEvents<State>(events: Iterable<RecordedEvent>, projection: Projection<State>): State {
  let state = projection.initial;
  for (const recorded of events) state = projection.apply(state, recorded);
  return state;
}

/** Folds a log (or a range of it) into a projection's state, reading it once. */
export async function foldLog<State>(
  log: EventLog,
  projection: Projection<State>,
  range?: ReadRange,
): Promise<State> {
  let state = projection.initial;
  for await (const recorded of log.read(range)) state = projection.apply(state, recorded);
  return state;
}

type StateOf<P> = P extends Projection<infer State> ? State : never;
type Projections = Readonly<Record<string, Projection<unknown>>>;
export type CombinedState<Parts extends Projections> = {
  readonly [Name in keyof Parts]: StateOf<Parts[Name]>;
};

/**
 * Several projections as one, so one pass over a log feeds them all: the state is a record of each
 * part's state under its name.
 */
export function combineProjections<Parts extends Projections>(
  parts: Parts,
): Projection<CombinedState<Parts>> {
  const entries = Object.entries(parts);
  // Why the casts: Object.fromEntries cannot type a record keyed by Parts' names; each value is the
  // state of the projection under the same name, which is what CombinedState says.
  const initial = Object.fromEntries(
    entries.map(([name, part]) => [name, part.initial]),
  ) as CombinedState<Parts>;
  return {
    initial,
    apply(state, recorded) {
      const states: Readonly<Record<string, unknown>> = state;
      const next = entries.map(([name, part]) => [name, part.apply(states[name], recorded)]);
      return Object.fromEntries(next) as CombinedState<Parts>;
    },
  };
}
