// Admin > Settings and Groups in Chromium, by accessible names: each number box is described by
// its allowed range; a group's refused save is told beside that group, what was typed kept, and
// the other groups as they were.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fullAccessSession } from '../test/support/admin-session.ts';
import { useBrowserHarness } from './support/harness.ts';
import { expectNoAxeViolations } from './support/page-checks.ts';
import { submitWith } from './support/pages.ts';

const h = useBrowserHarness();

/** A new admin at North in a full-access session (made through the pages by HTTP), in a browser. */
async function adminPage(): Promise<Page> {
  const { client } = await fullAccessSession(h.gatehouse);
  const context = await h.newContext();
  await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: h.gatehouse.url })));
  return context.newPage();
}

/** What a screen reader reads after a box's name: the text of the elements its aria-describedby names. */
async function descriptionOf(box: Locator): Promise<string> {
  const ids = (await box.getAttribute('aria-describedby')) ?? '';
  const parts = await Promise.all(ids.split(' ').map((id) => box.page().locator(`[id="${id}"]`).innerText()));
  return parts.join(' ');
}

describe('Admin > Settings', () => {
  it('describes each number box by its allowed range, and the browser keeps to it', async () => {
    const page = await adminPage();
    await page.goto('/north/admin/settings');
    await page.getByRole('heading', { name: 'Security settings' }).waitFor();
    expect(await descriptionOf(page.getByLabel('Sign out after this many minutes of inactivity', { exact: true }))).toBe('From 5 to 240 minutes');
    expect(await descriptionOf(page.getByLabel('Sign out after this many hours, however active', { exact: true }))).toBe('From 1 to 24 hours');
    expect(await descriptionOf(page.getByLabel('Minimum password length', { exact: true }))).toBe('From 8 to 64 characters');
    expect(await descriptionOf(page.getByLabel('Flag accounts not used for this many days', { exact: true }))).toBe('From 7 to 3650 days');
    const idle = page.getByLabel('Sign out after this many minutes of inactivity', { exact: true });
    await idle.fill('300');
    expect(await idle.evaluate((el: HTMLInputElement) => el.validity.rangeOverflow)).toBe(true);
    await expectNoAxeViolations(page, 'Admin > Settings');
  });
});

describe('Admin > Groups', () => {
  it("says why a group's save was refused beside that group, keeping the name typed; the other groups are as they were", async () => {
    const page = await adminPage();
    await page.goto('/north/admin/groups');
    const teachers = page.getByRole('region', { name: 'Teachers' });
    await teachers.getByLabel('Group name').fill('SLT');
    await submitWith(page, teachers.getByRole('button', { name: 'Save Teachers' }));

    const box = page.getByRole('region', { name: 'Teachers' });
    expect(await box.getByLabel('Group name').inputValue()).toBe('SLT');
    expect(await box.getByLabel('Group name').getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(box.getByLabel('Group name'))).toMatch(/already/);
    expect(await page.getByRole('alert').innerText()).toMatch(/^The group Teachers was not saved: .*already/);
    // The others: their own names, no message.
    const slt = page.getByRole('region', { name: 'SLT' });
    expect(await slt.getByLabel('Group name').inputValue()).toBe('SLT');
    expect(await slt.getByLabel('Group name').getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByRole('region', { name: 'DSL' }).getByLabel('Group name').inputValue()).toBe('DSL');
    await expectNoAxeViolations(page, "Admin > Groups with a group's refusal");
  });
});
