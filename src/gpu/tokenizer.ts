/**
 * A tokenizer for a closed vocabulary: greedy longest match over the entry strings. Decoding
 * concatenates token texts, so `decode(encode(text)) === text` for every text it accepts; text it
 * cannot cover is rejected with the position, never approximated. The vocabulary itself comes from
 * the caller (the world's words, numbers, SVG pieces, whitespace); this module stays generic.
 */

/** The tokens every model needs, plus role and field markers the caller wants as single tokens. */
export interface SpecialTokens {
  readonly pad: string;
  readonly bos: string;
  readonly eos: string;
  /** Extra whole-token markers (role and field tags); they get ids right after eos, in this order. */
  readonly markers: readonly string[];
}

/** Ids of the fixed specials: every tokenizer puts pad, bos and eos first, in this order. */
export const specialTokenIds = { pad: 0, bos: 1, eos: 2 } as const;

export const defaultSpecialTokens: SpecialTokens = { pad: "<pad>", bos: "<bos>", eos: "<eos>", markers: [] };

/** Text that no sequence of vocabulary entries covers. */
export class UnencodableTextError extends Error {
  override readonly name = "UnencodableTextError";
  constructor(
    readonly position: number,
    readonly remaining: string,
  ) {
    const shown = remaining.length > 24 ? `${remaining.slice(0, 24)}...` : remaining;
    super(
      `cannot encode text at character ${position}: no vocabulary entry starts ${JSON.stringify(shown)}; ` +
        "add the missing word to the vocabulary or keep the text inside the grammar",
    );
  }
}

/** A vocabulary that cannot make a tokenizer (empty or repeated entries). */
export class InvalidVocabularyError extends Error {
  override readonly name = "InvalidVocabularyError";
  constructor(readonly reason: string) {
    super(`invalid vocabulary: ${reason}; entries must be distinct, non-empty strings`);
  }
}

/** A token id outside the vocabulary (a model of another vocabulary size, or corrupt tokens). */
export class UnknownTokenIdError extends Error {
  override readonly name = "UnknownTokenIdError";
  constructor(
    readonly tokenId: number,
    readonly vocabularySize: number,
  ) {
    super(
      `token id ${tokenId} is not in this vocabulary of ${vocabularySize}; check model and tokenizer match`,
    );
  }
}

export class Tokenizer {
  readonly padId = specialTokenIds.pad;
  readonly bosId = specialTokenIds.bos;
  readonly eosId = specialTokenIds.eos;
  private readonly texts: readonly string[];
  private readonly ids: ReadonlyMap<string, number>;
  /** Candidate texts by first character, longest first: the greedy match tries them in this order. */
  private readonly candidatesByFirstCharacter: ReadonlyMap<string, readonly string[]>;

  constructor(entries: readonly string[], specials: SpecialTokens = defaultSpecialTokens) {
    const texts = [specials.pad, specials.bos, specials.eos, ...specials.markers, ...entries];
    const ids = new Map<string, number>();
    texts.forEach((text, id) => {
      if (text.length === 0) throw new InvalidVocabularyError(`token ${id} is the empty string`);
      if (ids.has(text)) throw new InvalidVocabularyError(`${JSON.stringify(text)} appears twice`);
      ids.set(text, id);
    });
    const byFirst = new Map<string, string[]>();
    for (const text of texts) {
      const first = text[0]!;
      const list = byFirst.get(first) ?? [];
      list.push(text);
      byFirst.set(first, list);
    }
    for (const list of byFirst.values()) list.sort((a, b) => b.length - a.length);
    this.texts = texts;
    this.ids = ids;
    this.candidatesByFirstCharacter = byFirst;
  }

  /** Number of token ids (specials, markers and entries). */
  get size(): number {
    return this.texts.length;
  }

  /** The id of one whole token text (an entry or special); UnencodableTextError if it is not one. */
  idOf(text: string): number {
    const id = this.ids.get(text);
    if (id === undefined) throw new UnencodableTextError(0, text);
    return id;
  }

  /** The text of one token id. */
  textOf(id: number): string {
    const text = Number.isInteger(id) ? this.texts[id] : undefined;
    if (text === undefined) throw new UnknownTokenIdError(id, this.texts.length);
    return text;
  }

  /** Greedy longest-match encoding; throws UnencodableTextError naming the first position it cannot cover. */
  encode(text: string): number[] {
    const tokens: number[] = [];
    let position = 0;
    while (position < text.length) {
      const match = this.longestMatchAt(text, position);
      if (match === undefined) throw new UnencodableTextError(position, text.slice(position));
      tokens.push(this.ids.get(match)!);
      position += match.length;
    }
    return tokens;
  }

  /** Concatenates the token texts: the exact inverse of `encode`. */
  decode(tokens: readonly number[]): string {
    return tokens.map((id) => this.textOf(id)).join("");
  }

  /**
   * Greedy longest-match encoding that skips, one character at a time, what no entry covers, and says
   * how many characters it dropped. For text assembled from model output (a prompt rebuilt from a
   * parsed proposal can hold words the closed vocabulary lacks): the model cannot read what its
   * vocabulary cannot express, so dropping it is the faithful encoding. Exact text uses `encode`.
   */
  encodeSkipping(text: string): { tokens: number[]; droppedCharacters: number } {
    const tokens: number[] = [];
    let droppedCharacters = 0;
    let position = 0;
    while (position < text.length) {
      const match = this.longestMatchAt(text, position);
      if (match === undefined) {
        droppedCharacters += 1;
        position += 1;
        continue;
      }
      tokens.push(this.ids.get(match)!);
      position += match.length;
    }
    return { tokens, droppedCharacters };
  }

  private longestMatchAt(text: string, position: number): string | undefined {
    const candidates = this.candidatesByFirstCharacter.get(text[position]!) ?? [];
    return candidates.find((candidate) => text.startsWith(candidate, position));
  }
}
