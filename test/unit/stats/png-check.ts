/**
 * Reads a PNG the way an image viewer must: signature, chunks with their CRCs,
 * IHDR first, IEND last, and image data that inflates to exactly one filtered
 * scanline per row. Shared by the renderer test and the end-to-end suites.
 */
import { inflateSync } from 'node:zlib';

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  chunks: string[];
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Samples per pixel by colour type (grey, RGB, palette, grey+alpha, RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Throws with what is wrong unless `bytes` is a complete, valid PNG. */
export function readPng(bytes: Uint8Array): PngInfo {
  if (bytes.length < 8 || SIGNATURE.some((b, k) => bytes[k] !== b)) throw new Error('not a PNG: bad signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: string[] = [];
  const idat: Uint8Array[] = [];
  let at = 8;
  let header: Omit<PngInfo, 'chunks'> | undefined;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new Error(`truncated chunk at byte ${at}`);
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (at + 12 + length > bytes.length) throw new Error(`chunk ${type} runs past the end`);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length)) throw new Error(`chunk ${type}: bad CRC`);
    if (chunks.length === 0 && type !== 'IHDR') throw new Error('the first chunk is not IHDR');
    if (type === 'IHDR') {
      const d = new DataView(data.buffer, data.byteOffset, data.byteLength);
      header = { width: d.getUint32(0), height: d.getUint32(4), bitDepth: data[8]!, colourType: data[9]! };
    }
    if (type === 'IDAT') idat.push(data);
    chunks.push(type);
    at += 12 + length;
  }
  if (!header) throw new Error('no IHDR');
  if (chunks.at(-1) !== 'IEND') throw new Error('the last chunk is not IEND');
  const channels = CHANNELS[header.colourType];
  if (channels === undefined) throw new Error(`unknown colour type ${header.colourType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const rowBytes = 1 + Math.ceil((header.width * channels * header.bitDepth) / 8);
  if (raw.length !== rowBytes * header.height) throw new Error(`image data is ${raw.length} bytes, expected ${rowBytes * header.height}`);
  return { ...header, chunks };
}
