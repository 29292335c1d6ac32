// The Gatehouse Authenticator's icon, drawn here rather than kept as a binary file: a white ring
// (the code's circle) around a keyhole on Gatehouse's blue, full-bleed so that it also serves as
// a maskable icon (everything white is inside the middle 80%). Each size is drawn once.
import { encodePng } from '../../lib/png.ts';

const BLUE = [0x1f, 0x4e, 0x79] as const;
/** Subsamples a side of each pixel: 4 x 4 gives smooth edges. */
const SAMPLES = 4;

/** Whether the point (0..1 across, 0..1 down) is white. */
function white(x: number, y: number): boolean {
  const r = Math.hypot(x - 0.5, y - 0.5);
  if (r >= 0.29 && r <= 0.37) return true;
  if (Math.hypot(x - 0.5, y - 0.44) <= 0.075) return true;
  if (y >= 0.46 && y <= 0.64) {
    const halfWidth = 0.03 + ((y - 0.46) / 0.18) * 0.035;
    return Math.abs(x - 0.5) <= halfWidth;
  }
  return false;
}

export function drawIcon(size: number): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) if (white((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size)) hits += 1;
      }
      const t = hits / (SAMPLES * SAMPLES);
      const i = (py * size + px) * 4;
      rgba[i] = Math.round(BLUE[0] + (255 - BLUE[0]) * t);
      rgba[i + 1] = Math.round(BLUE[1] + (255 - BLUE[1]) * t);
      rgba[i + 2] = Math.round(BLUE[2] + (255 - BLUE[2]) * t);
      rgba[i + 3] = 255;
    }
  }
  return encodePng(size, size, rgba);
}
