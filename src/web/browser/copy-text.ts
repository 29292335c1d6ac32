// The Copy buttons beside a value shown once (a system's client secret, recovery codes): each copies the text of
// the element its data-copy names and says so in its status (data-copy-status, a live region).
// Without this script, or without a clipboard, the buttons stay hidden and the text is selected
// and copied as any text is. Served by routes/browser-scripts.ts as /static/js/copy-text.js.

export function wireCopyButtons(): void {
  for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('button[data-copy]'))) {
    const source = document.getElementById(button.dataset.copy ?? '');
    const status = document.getElementById(button.dataset.copyStatus ?? '');
    if (!source || !status || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(source.textContent ?? '');
        status.textContent = 'Copied.';
      } catch {
        status.textContent = 'Could not copy: select the text and copy it instead.';
      }
    });
  }
}

/** Print buttons (data-print): the browser's own print, of a page whose print style shows only its content. */
export function wirePrintButtons(): void {
  for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('button[data-print]'))) {
    button.hidden = false;
    button.addEventListener('click', () => window.print());
  }
}

wireCopyButtons();
wirePrintButtons();
