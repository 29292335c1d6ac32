// A camera for browser tests: Chromium's fake video capture plays a Y4M file, looped, to any page
// that asks for the camera (--use-fake-device-for-media-stream, and
// --use-file-for-fake-video-capture=<file>). Chromium opens the file when a page starts the
// camera, so a test may write what the camera shows (a QR code) after the browser started.
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

export const CAMERA_WIDTH = 640;
export const CAMERA_HEIGHT = 480;

/** Chromium's switches for a fake camera playing `file`, allowed without asking. */
export function fakeCameraArgs(file: string): string[] {
  return ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${file}`];
}

/**
 * Writes a one-frame Y4M (4:2:0) showing the PNG in the middle of a white frame, scaled up by
 * whole pixels as far as it fits: black and white only, as a QR code is.
 */
export function writeCameraFrame(file: string, png: Buffer): void {
  const image = PNG.sync.read(png);
  const scale = Math.max(1, Math.floor(Math.min((CAMERA_WIDTH * 0.9) / image.width, (CAMERA_HEIGHT * 0.9) / image.height)));
  const left = Math.floor((CAMERA_WIDTH - image.width * scale) / 2);
  const top = Math.floor((CAMERA_HEIGHT - image.height * scale) / 2);
  const luma = Buffer.alloc(CAMERA_WIDTH * CAMERA_HEIGHT, 235);
  for (let y = 0; y < image.height * scale; y++) {
    for (let x = 0; x < image.width * scale; x++) {
      const i = (Math.floor(y / scale) * image.width + Math.floor(x / scale)) * 4;
      const grey = 0.299 * image.data[i]! + 0.587 * image.data[i + 1]! + 0.114 * image.data[i + 2]!;
      luma[(top + y) * CAMERA_WIDTH + left + x] = grey < 128 ? 16 : 235;
    }
  }
  const chroma = Buffer.alloc((CAMERA_WIDTH / 2) * (CAMERA_HEIGHT / 2) * 2, 128);
  const header = Buffer.from(`YUV4MPEG2 W${CAMERA_WIDTH} H${CAMERA_HEIGHT} F30:1 Ip A1:1 C420jpeg\nFRAME\n`, 'ascii');
  writeFileSync(file, Buffer.concat([header, luma, chroma]));
}
