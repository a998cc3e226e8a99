// Goal: `mmzero render` writes the PNG of a Coder output through the sandbox, or exits non-zero
// with the typed outcome's message. Method: run the real command (bin/mmzero.js) on a temp file
// and on stdin.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { renderSvgInProcess } from "../../src/render/index.ts";
import { geometrySvg } from "./scenes.ts";

const directory = mkdtempSync(join(tmpdir(), "mmzero-render-cli-"));
after(() => rmSync(directory, { recursive: true, force: true }));

function mmzero(argumentsList: readonly string[], input?: string) {
  return spawnSync(process.execPath, ["bin/mmzero.js", ...argumentsList], {
    input,
    encoding: "utf8",
    timeout: 20_000,
  });
}

test("renders a fenced Coder output to a PNG of the requested size", () => {
  const source = join(directory, "coder-output.txt");
  const out = join(directory, "out.png");
  writeFileSync(source, `Here you go:\n\`\`\`svg\n${geometrySvg()}\n\`\`\`\n`);
  const run = mmzero(["render", source, "--size", "48", "--out", out]);
  assert.equal(run.status, 0, run.stderr);
  const expected = renderSvgInProcess(geometrySvg(), { size: 48 });
  assert.ok(expected.kind === "ok");
  assert.match(
    run.stdout,
    new RegExp(`48x48, SVG from svgFence, pixels sha256 ${expected.image.pixelSha256}`),
  );
  assert.deepEqual(readFileSync(out), Buffer.from(expected.image.png));
});

test("exits 1 with the outcome's message for a forbidden SVG read from stdin", () => {
  const out = join(directory, "never.png");
  const hostile =
    '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><image href="/etc/passwd"/></svg>';
  const run = mmzero(["render", "-", "--out", out], hostile);
  assert.equal(run.status, 1);
  assert.match(run.stderr, /Forbidden: .*\/etc\/passwd.*externalReference/);
  assert.throws(() => readFileSync(out), { code: "ENOENT" });
});
