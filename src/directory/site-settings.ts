// A site's security settings: what admins may change, with the limits they must stay within.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { SupportContact } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { type SiteSettings, site } from '../db/schema.ts';
import { supportContactFields } from '../lib/support-contact.ts';
import { type AuditedBy, auditBy } from './admin-audit.ts';
import { DirectoryError } from './directory-error.ts';
import { DEFAULT_DORMANT_DAYS } from './user-filters.ts';

/**
 * The numbers an admin may choose, the one source of both the form's validation and the range
 * Admin > Settings shows beside each box.
 */
export const SETTING_RANGES = {
  sessionIdleMinutes: { min: 5, max: 240, unit: 'minutes' },
  sessionAbsoluteHours: { min: 1, max: 24, unit: 'hours' },
  minPasswordLength: { min: 8, max: 64, unit: 'characters' },
  dormantAfterDays: { min: 7, max: 3650, unit: 'days' },
} as const;

/** "From 5 to 240 minutes": a setting's range in words. */
export const rangeInWords = (range: { min: number; max: number; unit: string }) => `From ${range.min} to ${range.max} ${range.unit}`;

const R = SETTING_RANGES;

export const siteSettingsForm = z.object({
  sessionIdleMinutes: z.coerce
    .number({ error: 'Enter a number of minutes' })
    .int('Enter a whole number of minutes')
    .min(R.sessionIdleMinutes.min, `The idle timeout is at least ${R.sessionIdleMinutes.min} minutes`)
    .max(R.sessionIdleMinutes.max, `The idle timeout is at most ${R.sessionIdleMinutes.max} minutes`),
  sessionAbsoluteHours: z.coerce
    .number({ error: 'Enter a number of hours' })
    .int('Enter a whole number of hours')
    .min(R.sessionAbsoluteHours.min, `The absolute timeout is at least ${R.sessionAbsoluteHours.min} hour`)
    .max(R.sessionAbsoluteHours.max, `The absolute timeout is at most ${R.sessionAbsoluteHours.max} hours`),
  minPasswordLength: z.coerce
    .number({ error: 'Enter a number of characters' })
    .int('Enter a whole number')
    .min(R.minPasswordLength.min, `Passwords are never allowed below ${R.minPasswordLength.min} characters`)
    .max(R.minPasswordLength.max, `At most ${R.minPasswordLength.max} characters can be required`),
  requireComposition: z
    .literal('on')
    .optional()
    .transform((v) => v === 'on'),
  requireTwoFactor: z
    .literal('on')
    .optional()
    .transform((v) => v === 'on'),
  showSsoSwitch: z
    .literal('on')
    .optional()
    .transform((v) => v === 'on'),
  // Empty (or a form from before the setting) keeps the default.
  dormantAfterDays: z.preprocess(
    (v) => (v === undefined || v === '' ? DEFAULT_DORMANT_DAYS : v),
    z.coerce
      .number({ error: 'Enter a number of days' })
      .int('Enter a whole number of days')
      .min(R.dormantAfterDays.min, `Accounts are flagged after at least ${R.dormantAfterDays.min} days unused`)
      .max(R.dormantAfterDays.max, `Accounts are flagged after at most ${R.dormantAfterDays.max} days unused`),
  ),
  disableDormant: z
    .literal('on')
    .optional()
    .transform((v) => v === 'on'),
});

export type EditableSettings = Required<
  Pick<
    SiteSettings,
    | 'sessionIdleMinutes'
    | 'sessionAbsoluteHours'
    | 'minPasswordLength'
    | 'requireComposition'
    | 'requireTwoFactor'
    | 'showSsoSwitch'
    | 'dormantAfterDays'
    | 'disableDormant'
  >
>;

/** The settings in force: the site's own, or the service's defaults. */
export function effectiveSettings(settings: SiteSettings, defaults: { idleMinutes: number; absoluteHours: number }): EditableSettings {
  return {
    sessionIdleMinutes: settings.sessionIdleMinutes ?? defaults.idleMinutes,
    sessionAbsoluteHours: settings.sessionAbsoluteHours ?? defaults.absoluteHours,
    minPasswordLength: settings.minPasswordLength ?? 12,
    requireComposition: settings.requireComposition ?? false,
    requireTwoFactor: settings.requireTwoFactor ?? false,
    showSsoSwitch: settings.showSsoSwitch ?? true,
    dormantAfterDays: settings.dormantAfterDays ?? DEFAULT_DORMANT_DAYS,
    disableDormant: settings.disableDormant ?? false,
  };
}

/** Saves the settings; returns what changed, old and new, for the audit. */
export async function saveSiteSettings(db: Db, siteId: string, before: EditableSettings, after: EditableSettings): Promise<Record<string, string>> {
  await db.update(site).set({ settings: after }).where(eq(site.id, siteId));
  const changed: Record<string, string> = {};
  for (const key of Object.keys(after) as Array<keyof EditableSettings>) {
    if (before[key] !== after[key]) changed[key] = `${before[key]} -> ${after[key]}`;
  }
  return changed;
}

/** A school's own support contact as the command sets it: each part checked like SUPPORT_*. */
export const siteSupportContact = z.object(
  supportContactFields({
    email: '--email must be an email address, such as support@school.example',
    phone: '--phone must be a phone number, such as 0113 496 0000',
    url: '--url must be a web address, such as https://help.school.example',
  }),
);

/**
 * Sets (or with an empty contact, clears) the school's own support contact, shown instead of the
 * service's on its pages and in mail about it; audited in the same transaction.
 */
export async function setSiteSupportContact(db: Db, by: AuditedBy, siteSlug: string, contact: SupportContact): Promise<{ siteName: string }> {
  const checked = siteSupportContact.parse(contact);
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ id: site.id, name: site.name, settings: site.settings }).from(site).where(eq(site.slug, siteSlug)).for('update');
    if (!row) throw new DirectoryError(`there is no site "${siteSlug}"`);
    const { support: _old, ...rest } = row.settings;
    const support = Object.fromEntries(Object.entries(checked).filter(([, v]) => v)) as SiteSettings['support'];
    const settings: SiteSettings = support && Object.keys(support).length > 0 ? { ...rest, support } : rest;
    await tx.update(site).set({ settings }).where(eq(site.id, row.id));
    await auditBy(tx, by, row.id, 'support_contact_changed', {
      email: support?.email ?? null,
      phone: support?.phone ?? null,
      url: support?.url ?? null,
    });
    return { siteName: row.name };
  });
}
