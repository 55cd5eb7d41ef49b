// A small PNG reader for the browser test's screenshot checks: 8-bit RGB or RGBA, not interlaced
// (what Chromium writes), and a way to find table rows by their exact fill colour.
import { inflateSync } from 'node:zlib';

export function readPng(buf) {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!buf.subarray(0, 8).equals(sig)) throw new Error('not a PNG');
  let off = 8;
  let width = 0, height = 0, colorType = 0;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('unsupported PNG depth or interlace');
      colorType = data[9];
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  if (!bpp) throw new Error(`unsupported PNG colour type ${colorType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const px = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? px[y * stride + x - bpp] : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] : 0;
      const c = x >= bpp && y > 0 ? px[(y - 1) * stride + x - bpp] : 0;
      let v = line[x];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      px[y * stride + x] = v & 0xff;
    }
  }
  return { width, height, bpp, px };
}

// Bands of consecutive pixel rows that hold at least `minRun` pixels of exactly `rgb` in a row: a
// filled table cell is one band (its padding keeps a run on every pixel row, text or not), and
// the 1-pixel borders between rows separate the bands.
export function colourBands(img, rgb, minRun = 4) {
  const bands = [];
  let inBand = false;
  for (let y = 0; y < img.height; y++) {
    let run = 0, best = 0;
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * img.bpp;
      if (img.px[i] === rgb[0] && img.px[i + 1] === rgb[1] && img.px[i + 2] === rgb[2]) best = Math.max(best, ++run);
      else run = 0;
    }
    if (best >= minRun && !inBand) bands.push(y);
    inBand = best >= minRun;
  }
  return bands;
}
