// Refusals that never strand anyone: a signed-in person's error pages keep their navigation
// and a way back, and a name of only spaces is refused as empty on the same page, with what
// was typed kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolAuthenticatorApp, fullAccessSession, personWithPassword } from '../support/admin-session.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

const NAVIGATION = /<nav aria-label="Main">[\s\S]*Dashboard[\s\S]*Account Settings[\s\S]*Logout/;

describe.each(await databaseKinds())('pages that never strand anyone (%s database)', (kind) => {
  let g: TestGatehouse;

  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    await seedSchools(g);
  });
  afterAll(() => g.close());

  async function teacherWithApp() {
    const { email } = await personWithPassword(g, { group: 'Teachers' });
    const c = new Client(g.url);
    await c.signIn('north', email, PASSWORD);
    await enrolAuthenticatorApp(c, 'north', 'Work phone');
    const page = await c.get('/north/account/security-keys');
    const deviceId = page.html.match(/action="\/north\/account\/security-keys\/([0-9a-f-]{36})\/rename"/)![1]!;
    return { c, deviceId };
  }

  it.each([
    ['spaces', '   '],
    ['no-break and ideographic spaces', '\u00a0\u3000 '],
    ['nothing', ''],
  ])('refuses a device name of %s as empty on the Security keys page itself, at that device, keeping what was typed', async (_what, typed) => {
    const { c, deviceId } = await teacherWithApp();
    const refused = await c.post(`/north/account/security-keys/${deviceId}/rename`, { name: typed });
    expect(refused.status).toBe(400);
    expect(refused.html).toMatch(NAVIGATION);
    expect(text(refused.html)).toContain('Account Settings');
    expect(text(refused.html)).toContain('The device was not renamed: Choose a name for the device');
    expect(refused.html).toContain(`<p class="field-error" id="rename-${deviceId}-error">Choose a name for the device</p>`);
    expect(refused.html).toMatch(new RegExp(`id="rename-${deviceId}"[^>]*value="${typed}"[^>]*aria-invalid="true"`));
    expect(text((await c.get('/north/account/security-keys')).html)).toContain('Work phone');
  });

  it("keeps a teacher's navigation and a way back on the admin area's refusal", async () => {
    const { email } = await personWithPassword(g, { group: 'Teachers' });
    const c = new Client(g.url);
    await c.signIn('north', email, PASSWORD);
    const refused = await c.get('/north/admin/users');
    expect(refused.status).toBe(403);
    expect(refused.html).toMatch(NAVIGATION);
    expect(refused.html).toContain('<a href="/north/">Back to your dashboard</a>');
  });

  it("keeps an admin's navigation on User not found, and on a page that does not exist", async () => {
    const { client } = await fullAccessSession(g);
    for (const path of ['/north/admin/users/00000000-0000-4000-8000-000000000000', '/north/no-such-page']) {
      const page = await client.get(path);
      expect(page.status, path).toBe(404);
      expect(page.html, path).toMatch(NAVIGATION);
      expect(page.html, path).toContain('<a href="/north/">Back to your dashboard</a>');
    }
  });

  it("offers the school's sign-in page as the way back to someone signed out", async () => {
    const page = await new Client(g.url).get('/north/no-such-page');
    expect(page.status).toBe(404);
    expect(page.html).not.toMatch(NAVIGATION);
    expect(page.html).toContain('<a href="/north/login">Back to the sign-in page</a>');
  });
});
