// Deterministic filler that makes stand-in binaries as big, and about as compressible, as real
// Teleport binaries (Go binaries gzip to roughly 35-40 %). It is written inside a JavaScript
// block comment, so it must never contain `*/`: every byte is in 0x30-0x6F ('0'..'o'), which
// holds neither '*' (0x2A) nor '/' (0x2F), and is ASCII so node decodes it cheaply.
import { createCipheriv, createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

const BLOCK = 4096;
const CHUNK = 256 * BLOCK; // 1 MiB written per call: bounded memory, few syscalls.
// Copies reach back at most 7 blocks (28 KiB), inside gzip's 32 KiB window, so gzip can
// encode them as matches, like the repeated code and tables of a real binary.
const MAX_BACK = 7;
// Share of blocks (out of 256) that copy an earlier block; the rest are high-entropy text
// (6 bits a byte, which gzip squeezes to ~77 %). 136/256 copies gives ~36 % overall.
const COPY_THRESHOLD = 136;

/** A seeded AES-CTR keystream: fast (hardware AES), reproducible, and needs no state file. */
function keystream(seed: string): (n: number) => Buffer {
  const key = createHash('sha256').update(seed).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(CHUNK);
  return (n) => cipher.update(zeros.subarray(0, n));
}

/** Fills `out` (length a multiple of 4, 4-byte aligned) with padding from the keystream. */
function fillChunk(out: Buffer, random: Buffer): void {
  random.copy(out);
  const words = new Uint32Array(out.buffer, out.byteOffset, out.length >>> 2);
  const blocks = out.length / BLOCK;
  for (let b = 0; b < blocks; b++) {
    const start = b * BLOCK;
    // The first byte of each block's random data decides its kind (before we rewrite it).
    const roll = random[start] ?? 0;
    if (b > 0 && roll < COPY_THRESHOLD) {
      const back = 1 + ((random[start + 1] ?? 0) % Math.min(b, MAX_BACK));
      out.copyWithin(start, start - back * BLOCK, start - back * BLOCK + BLOCK);
    } else {
      // Map each byte to 0x30 + (byte & 0x3F), four bytes per operation.
      for (let w = start >>> 2, end = (start + BLOCK) >>> 2; w < end; w++) {
        words[w] = ((words[w] ?? 0) & 0x3f3f3f3f) + 0x30303030;
      }
    }
  }
}

/**
 * Appends exactly `bytes` bytes of padding derived from `seed` to `file`, streaming 1 MiB at
 * a time. The same seed always gives the same bytes, so tarballs are reproducible.
 */
export async function writePadding(file: FileHandle, bytes: number, seed: string): Promise<void> {
  const next = keystream(seed);
  const out = Buffer.alloc(CHUNK); // own ArrayBuffer, offset 0: safe for the Uint32Array view.
  let left = bytes;
  while (left > 0) {
    const random = next(CHUNK);
    fillChunk(out, random);
    const n = Math.min(left, CHUNK);
    await file.write(out, 0, n);
    left -= n;
  }
}
