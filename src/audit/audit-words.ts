// What an audit entry says, in plain words, for Admin > Audits and its export: one sentence (or
// a few, for a settings change) per kind of entry, from its detail, never its field names.
import { AUDIT_ACTIONS, type AuditAction } from './audit-log.ts';

type Detail = Record<string, string | number | boolean | null>;

const text = (v: Detail[string] | undefined) => (v === null || v === undefined || v === '' ? 'none' : String(v));
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const fromTo = (v: Detail[string] | undefined) => {
  const [from, to] = text(v).split(' -> ');
  return { from: from ?? '', to: to ?? '' };
};

/** One sentence per setting changed: `changed` is the detail of settings_changed ("before -> after"). */
const SETTINGS: Record<string, (from: string, to: string) => string> = {
  sessionIdleMinutes: (f, t) => `Changed the idle timeout from ${f} to ${t} minutes`,
  sessionAbsoluteHours: (f, t) => `Changed the longest a session lasts from ${f} to ${t} hours`,
  minPasswordLength: (f, t) => `Changed the shortest password allowed from ${f} to ${t} characters`,
  requireComposition: (_f, t) =>
    t === 'true'
      ? 'Started requiring a capital letter, a number and a symbol in passwords'
      : 'Stopped requiring a capital letter, a number and a symbol in passwords',
  requireTwoFactor: (_f, t) => (t === 'true' ? 'Started requiring two-factor for all staff' : 'Stopped requiring two-factor'),
  showSsoSwitch: (_f, t) => (t === 'true' ? 'Turned the SSO switch on' : 'Turned the SSO switch off'),
  dormantAfterDays: (f, t) => `Changed when an unused account is flagged as dormant from ${f} to ${t} days`,
  disableDormant: (_f, t) => (t === 'true' ? 'Started disabling dormant accounts automatically' : 'Stopped disabling dormant accounts automatically'),
};

const DETAIL_NAMES: Record<string, string> = { name: 'name', email: 'email address', job_title: 'job title' };

function describe(action: AuditAction, d: Detail): string | undefined {
  switch (action) {
    case 'site_added':
      return `Added the site ${text(d.name)} (at /${text(d.address)})${d.trust ? `, in ${text(d.trust)}` : ''}`;
    case 'support_contact_changed': {
      const ways = [d.phone && `phone ${text(d.phone)}`, d.email && `email ${text(d.email)}`, d.url && text(d.url)].filter(Boolean);
      return ways.length > 0 ? `Set the school's own support contact: ${ways.join(', ')}` : "Cleared the school's own support contact: the service's is shown";
    }
    case 'user_added':
      return `Added the user, ${text(d.email)}, to ${text(d.group)}${d.password_set ? ', with a password' : ''}`;
    case 'sso_linked':
      return `Linked the user to ${d.new_account ? 'a new' : 'their'} Single Sign-On account (${text(d.email)})${d.password_set ? ', with a new password' : ''}`;
    case 'user_details_changed': {
      const changes = Object.keys(d)
        .filter((k) => k.endsWith('_from'))
        .map((k) => k.slice(0, -'_from'.length))
        .map((k) => `${DETAIL_NAMES[k] ?? k.replace(/_/g, ' ')} from ${text(d[`${k}_from`])} to ${text(d[`${k}_to`])}`);
      return changes.length > 0 ? `Changed the ${changes.join(', and the ')}` : undefined;
    }
    case 'user_group_changed':
      return `Moved the user from ${text(d.group_from)} to ${text(d.group_to)}`;
    case 'user_disabled':
      return typeof d.sessions_ended === 'number' ? `Disabled the user, signing them out (${plural(d.sessions_ended, 'session')} ended)` : 'Disabled the user';
    case 'user_enabled':
      return 'Enabled the user';
    case 'password_link_sent':
      return `Sent a link to set their password to ${text(d.email)}`;
    case 'devices_removed':
    case 'devices_removed_by_support': {
      const kept = typeof d.managed_tokens_kept === 'number' && d.managed_tokens_kept > 0 ? `, keeping ${plural(d.managed_tokens_kept, 'managed token')}` : '';
      const count = typeof d.count === 'number' ? plural(d.count, 'two-factor device') : 'the two-factor devices';
      return `Removed ${count} of the user's${kept}`;
    }
    case 'second_factors_unlocked':
    case 'second_factors_unlocked_by_support':
      return "Unlocked the user's two-factor sign-in";
    case 'managed_token_assigned':
      return `Assigned the managed token ${text(d.serial)}`;
    case 'group_created':
      return `Created the group ${text(d.group)}`;
    case 'group_renamed':
      return `Renamed the group ${text(d.from)} to ${text(d.to)}`;
    case 'group_permissions_changed':
      return `Changed what ${text(d.group)} may do, from "${text(d.from)}" to "${text(d.to)}"`;
    case 'settings_changed': {
      const sentences = Object.entries(d).map(([key, value]) => {
        const { from, to } = fromTo(value);
        return SETTINGS[key]?.(from, to) ?? `Changed a setting (${key}) from ${from} to ${to}`;
      });
      return sentences.length > 0 ? sentences.join('. ') : undefined;
    }
    case 'security_log_exported':
      return `Exported the user's security log (${plural(Number(d.entries ?? 0), 'entry', 'entries')})`;
    case 'audit_exported':
      return `Exported the audit (${plural(Number(d.entries ?? 0), 'entry', 'entries')})`;
    case 'staff_imported': {
      const disabled = Number(d.disabled_not_in_file ?? 0);
      const left = Number(d.rows_with_errors_left_out ?? 0);
      return [
        `Imported staff${d.file ? ` from ${text(d.file)}` : ''}: ${Number(d.added ?? 0)} added, ${Number(d.updated ?? 0)} updated, ${Number(d.unchanged ?? 0)} unchanged`,
        left > 0 ? `, ${plural(left, 'row')} with mistakes left out` : '',
        disabled > 0 ? `, ${plural(disabled, 'person', 'people')} not in the file disabled (${text(d.disabled_people)})` : '',
        Number(d.first_time_emails ?? 0) > 0 ? `, ${plural(Number(d.first_time_emails), 'first-time email')} sent` : '',
      ].join('');
    }
    case 'access_dates_changed':
      return `Changed the user's access dates: starting ${text(d.starts_to)} (was ${text(d.starts_from)}), ending ${text(d.ends_to)} (was ${text(d.ends_from)})`;
    case 'access_ended':
      return "Ended the user's access: the last day given for it is over";
    case 'user_marked_leaver':
      return `Marked the user as a leaver, ending their access${typeof d.sessions_ended === 'number' ? ` (${plural(d.sessions_ended, 'session')} ended)` : ''}`;
    case 'leaver_brought_back':
      return 'Brought the user back after leaving';
    case 'dormant_disabled':
      return 'Disabled the user: their account had not been used for the days the school set';
    case 'integration_registered':
      return `Registered the school system ${text(d.system)} (client id ${text(d.client_id)}), signing in back to ${text(d.redirect_uris)}`;
    case 'integration_secret_rotated':
      return `Gave the school system ${text(d.system)} a new secret; the old one stopped working`;
    case 'integration_disabled':
      return `Stopped the school system ${text(d.system)} signing people in`;
    case 'integration_enabled':
      return `Let the school system ${text(d.system)} sign people in again`;
    case 'integration_deleted':
      return `Deleted the school system ${text(d.system)} (client id ${text(d.client_id)})`;
    case 'change_refused':
      return `Refused: ${text(d.refused)}. ${text(d.why)}`;
    case 'audit_pruned':
      return `Removed ${plural(Number(d.removed ?? d.removed_in_all ?? 0), 'entry', 'entries')} older than the retention setting`;
  }
}

/** The entry in plain words; an entry of a kind this version does not know keeps its name and detail as written. */
export function describeAuditEntry(action: string, detail: Detail): string {
  const known = action in AUDIT_ACTIONS ? describe(action as AuditAction, detail) : undefined;
  if (known) return known;
  const label = AUDIT_ACTIONS[action as AuditAction] ?? action;
  const rest = Object.entries(detail).map(([key, value]) => `${key.replace(/_/g, ' ')}: ${text(value)}`);
  return rest.length > 0 ? `${label} (${rest.join(', ')})` : label;
}
