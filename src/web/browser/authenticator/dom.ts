// Building the app's elements from data with textContent only (never HTML from strings), so that
// nothing a server or a QR code says can become markup or script.
type Attributes = Record<string, string | boolean | undefined>;
type Child = Node | string | false | undefined;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child !== false && child !== undefined) element.append(child);
  return element;
}

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

/** Says `text` in a live region: emptied first, so that the same words are announced again. */
export function announce(region: HTMLElement, text: string, kind: 'notice' | 'error' = 'notice'): void {
  region.replaceChildren();
  if (text === '') return;
  // A new element a moment later: screen readers announce an addition more reliably than a change.
  requestAnimationFrame(() => region.replaceChildren(el('p', { class: `message ${kind}` }, text)));
}
