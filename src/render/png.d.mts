/** Encodes straight RGBA (row-major, width * height * 4 bytes) as an 8-bit RGBA PNG. */
export declare function encodePng(rgba: Uint8Array, width: number, height: number): Buffer;

/** Decodes a PNG written by encodePng (and no other kind) back to its RGBA pixels. */
export declare function decodePng(png: Uint8Array): { width: number; height: number; rgba: Uint8Array };
