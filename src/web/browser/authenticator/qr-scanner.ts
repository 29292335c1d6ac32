// Reading the QR code with the camera: the back camera's frames drawn on a canvas a few times a
// second and decoded by jsQR, until a code is found or the person stops. The stream is stopped
// whatever happens, so the camera light goes off.
import jsQRModule from 'jsqr';

// jsqr is a UMD bundle whose module.exports is the function itself; its types say `export default`.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

export interface Scan {
  /** The text of the first QR code seen, or undefined when stopped first. */
  result: Promise<string | undefined>;
  stop(): void;
}

const FRAME_INTERVAL_MS = 150;

export function cameraAvailable(): boolean {
  return typeof navigator.mediaDevices?.getUserMedia === 'function';
}

/** Starts the camera into `video`; rejects when there is no camera or it was refused. */
export async function scanQrCode(video: HTMLVideoElement): Promise<Scan> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  video.srcObject = stream;
  video.muted = true;
  video.setAttribute('playsinline', '');
  await video.play();
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let finish: (text: string | undefined) => void = () => undefined;
  const result = new Promise<string | undefined>((resolve) => {
    finish = (text) => {
      if (timer !== undefined) clearTimeout(timer);
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
      finish = () => undefined;
      resolve(text);
    };
  });
  const look = () => {
    if (context && video.videoWidth > 0) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' });
      if (code?.data) return finish(code.data);
    }
    timer = setTimeout(look, FRAME_INTERVAL_MS);
  };
  look();
  return { result, stop: () => finish(undefined) };
}
