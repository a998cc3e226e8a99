// A minimal PNG encoder (8-bit RGBA, no filtering). resvg's own PNG covers only the rendered area,
// but the output is letterboxed onto a fixed square canvas, so the final pixels are encoded here.
import { crc32, deflateSync } from "node:zlib";

const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
const colorTypeRgba = 6;
// Why: levels 1-3 (zlib's fast path) encode a 224 px chart in ~0.1 ms vs ~0.4 ms at the default 6,
// for PNGs ~40% larger (4-7 KB). The pixel hash, not the PNG bytes, is the determinism contract.
const deflateLevel = 3;

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * @param {Uint8Array} rgba straight RGBA, row-major, width * height * 4 bytes
 * @param {number} width
 * @param {number} height
 * @returns {Buffer} the PNG file
 */
export function encodePng(rgba, width, height) {
  const stride = width * 4;
  const scanlines = Buffer.alloc((stride + 1) * height);
  for (let row = 0; row < height; row++) {
    // Each scanline starts with its filter type byte, 0 = none.
    scanlines.set(rgba.subarray(row * stride, (row + 1) * stride), row * (stride + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = colorTypeRgba;
  return Buffer.concat([
    signature,
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(scanlines, { level: deflateLevel })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
