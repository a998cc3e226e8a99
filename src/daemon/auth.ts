import { createHash, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { isIP } from "node:net";

/**
 * The HTTP API's authentication: one bearer token, read from a file the operator keeps private
 * (`--auth-token-file`). A daemon listening beyond loopback must have one: anyone who can reach
 * the port could otherwise submit runs.
 */

/** Why 16: short tokens can be guessed; `openssl rand -hex 32` gives 64 characters. */
export const authTokenCharactersMin = 16;

/** The token file is unusable, or a non-loopback address has no token. */
export class AuthConfigurationError extends Error {
  override readonly name = "AuthConfigurationError";
}

/** Reads the token: the file's text without surrounding blanks, at least authTokenCharactersMin long. */
export async function readAuthToken(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new AuthConfigurationError(
      `cannot read the auth token file ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const token = text.trim();
  if (token.length < authTokenCharactersMin || /\s/.test(token))
    throw new AuthConfigurationError(
      `the auth token in ${path} must be one word of at least ${authTokenCharactersMin} characters (e.g. \`openssl rand -hex 32 > ${path}\`)`,
    );
  return token;
}

/** Whether a listen address only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}

/** Refuses to serve a non-loopback address without a token. */
export function assertAuthFor(host: string, token: string | undefined): void {
  if (token === undefined && !isLoopbackHost(host))
    throw new AuthConfigurationError(
      `listening on ${host} (not loopback) needs --auth-token-file: anyone who reaches the port could submit runs`,
    );
}

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

/** Whether an Authorization header carries the token; constant time in the token's content. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (match?.[1] === undefined) return false;
  // Why hash first: timingSafeEqual needs equal lengths, and comparing digests hides the length too.
  return timingSafeEqual(digest(match[1]), digest(token));
}
