// What every page must pass, in a real browser: axe-core's WCAG 2.2 A/AA rules and its best
// practices, and no sideways scrolling on a phone (content wider than the screen must wrap, or
// scroll inside its own box).
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/** A desktop screen, and a phone's (390 px: an iPhone 12 to 15, the narrowest common width). */
export const WIDTHS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

/** axe-core's violations on the page as it is now, one line each (rule, impact, the first elements). */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return results.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(', ')}`,
  );
}

/** Fails the test on any axe-core violation, each listed with where it is. */
export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  expect(await accessibilityViolations(page), `axe-core on ${what}`).toEqual([]);
}

/**
 * What sticks out sideways at this width: the page's own scroll width beyond the viewport, and
 * each visible element past either edge that no box of its own scrolls or clips.
 */
export async function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    if (document.documentElement.scrollWidth > width + 1) found.push(`the page is ${document.documentElement.scrollWidth}px wide on a ${width}px screen`);
    const contained = (el: Element) => {
      for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
        const overflowX = getComputedStyle(box).overflowX;
        if (/auto|scroll|hidden|clip/.test(overflowX) && box.getBoundingClientRect().right <= width + 1) return true;
      }
      return false;
    };
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) continue; // visually hidden
      if ((r.right > width + 1 || r.left < -1) && !contained(el)) {
        const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}`;
        found.push(`${name} reaches ${Math.round(r.left)}..${Math.round(r.right)}px: "${(el.textContent ?? '').trim().slice(0, 40)}"`);
      }
    }
    return found.slice(0, 8);
  });
}
