// How a browser may reach a key (usb, nfc, ble, hybrid…), as the browser reported it at
// registration. Kept and handed back in allowCredentials so the browser offers the right way;
// a value this version does not know is dropped rather than stored or sent back.

const KNOWN: ReadonlySet<string> = new Set(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);

export function knownTransports(values: readonly string[] | null | undefined): string[] {
  return [...new Set((values ?? []).filter((v) => KNOWN.has(v)))];
}
