import type { Child } from 'hono/jsx';

/**
 * A table's box: on a narrow screen the table scrolls sideways inside it rather than the page.
 * It is a named region (a section with a name) a keyboard can focus, so it can be scrolled without a mouse (WCAG 2.1.1).
 */
export function TableScroll(p: { labelledBy?: string; label?: string; children: Child }) {
  return (
    <section class="table-scroll" tabindex={0} aria-labelledby={p.labelledBy} aria-label={p.labelledBy ? undefined : p.label}>
      {p.children}
    </section>
  );
}
