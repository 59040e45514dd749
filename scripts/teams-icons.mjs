// Draws the Teams app icons as PNG files: teams/color.png (192x192, full colour) and
// teams/outline.png (32x32, white on transparent). Run `node scripts/teams-icons.mjs`
// after changing the drawing; the PNGs are committed.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';
import { crc32, deflateSync } from 'node:zlib';

const teamsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'teams');

/** A PNG file (8-bit RGBA, no interlace) from `size`x`size` pixels given as [r, g, b, a] by `pixel(x, y)`. */
export function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y);
      raw.set([r, g, b, a], row + 1 + x * 4);
    }
  }
  const chunk = (type, data) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Distance from point p to the segment a-b, all in unit coordinates. */
function toSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

// A tick: "decided". Unit coordinates, y down.
const TICK = [[0.27, 0.52], [0.43, 0.68], [0.74, 0.33]];

function inTick(x, y, width) {
  return toSegment(x, y, TICK[0], TICK[1]) <= width / 2 || toSegment(x, y, TICK[1], TICK[2]) <= width / 2;
}

/** Coverage (0..1) of a pixel by a shape, from 4x4 samples: smooth edges. */
function coverage(size, x, y, inside) {
  let n = 0;
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) if (inside((x + (i + 0.5) / 4) / size, (y + (j + 0.5) / 4) / size)) n++;
  }
  return n / 16;
}

const BLUE = [0x1d, 0x70, 0xb8];

export function colourIcon() {
  const size = 192;
  return png(size, (x, y) => {
    const t = coverage(size, x, y, (u, v) => inTick(u, v, 0.11));
    const mix = (c) => Math.round(c * (1 - t) + 255 * t);
    return [mix(BLUE[0]), mix(BLUE[1]), mix(BLUE[2]), 255];
  });
}

export function outlineIcon() {
  const size = 32;
  return png(size, (x, y) => {
    // A rounded frame and the tick, white; everything else transparent.
    const frame = (u, v) => {
      const r = 0.2;
      const cx = Math.min(Math.max(u, r + 0.06), 1 - r - 0.06);
      const cy = Math.min(Math.max(v, r + 0.06), 1 - r - 0.06);
      const d = Math.hypot(u - cx, v - cy);
      return Math.abs(d - r) <= 0.035;
    };
    const a = coverage(size, x, y, (u, v) => inTick(u, v, 0.12) || frame(u, v));
    return [255, 255, 255, Math.round(a * 255)];
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(join(teamsDir, 'color.png'), colourIcon());
  writeFileSync(join(teamsDir, 'outline.png'), outlineIcon());
  process.stdout.write(`Wrote ${join(teamsDir, 'color.png')} and ${join(teamsDir, 'outline.png')}\n`);
}
