// Admin > Overview: the school's figures at a glance, each a link to the Users tab filtered to
// exactly those people (directory/user-filters.ts: one condition for the figure and its list).
import { USER_FILTERS, type UserFilter } from '../../directory/user-filters.ts';
import { AdminLayout } from './admin-layout.tsx';
import { usersBase } from './admin-users.tsx';
import type { Chrome } from './layout.tsx';

export function OverviewPage(p: { chrome: Chrome; counts: Record<UserFilter, number>; dormantDays: number }) {
  const base = usersBase(p.chrome);
  const label = (f: UserFilter) => (f === 'dormant' ? `Dormant accounts: not used for ${p.dormantDays} days` : USER_FILTERS[f]);
  return (
    <AdminLayout chrome={p.chrome} current="overview" title="Overview">
      <h2 id="overview-heading">{p.chrome.signedIn!.site.name} at a glance</h2>
      <ul class="figures" aria-labelledby="overview-heading">
        {(Object.keys(USER_FILTERS) as UserFilter[]).map((f) => (
          <li>
            <a href={`${base}?filter=${f}`}>
              <strong class="figure">{p.counts[f]}</strong> {label(f)}
            </a>
          </li>
        ))}
      </ul>
      <p class="hint">Higher access is anything beyond recording a concern and one's own account. Each figure opens the list of those people.</p>
    </AdminLayout>
  );
}
