// The Gatehouse Authenticator's web app manifest: what a phone needs to install it (Add to Home
// Screen) and open it as an app of its own, without the browser's bars.
export const APP_PATH = '/authenticator';
export const ICON_SIZES = [192, 512] as const;

export function authenticatorManifest() {
  return {
    name: 'Gatehouse Authenticator',
    short_name: 'Authenticator',
    description: 'Codes and sign-in approvals for your Gatehouse accounts.',
    id: APP_PATH,
    start_url: APP_PATH,
    scope: APP_PATH,
    display: 'standalone',
    orientation: 'any',
    background_color: '#f4f6f8',
    theme_color: '#1f4e79',
    lang: 'en-GB',
    icons: [
      ...ICON_SIZES.map((size) => ({ src: `${APP_PATH}/icon-${size}.png`, sizes: `${size}x${size}`, type: 'image/png', purpose: 'any' })),
      { src: `${APP_PATH}/icon-512.png`, sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  };
}
