// Admin > Overview: the school's figures at a glance. For an admin each is a link to the Users
// tab filtered to exactly those people (directory/user-filters.ts: one condition for the figure
// and its list); a DSL, who has the overview but not the Admin area, sees the figures alone,
// without the Admin area's tabs.
import { USER_FILTERS, type UserFilter } from '../../directory/user-filters.ts';
import { AdminLayout } from './admin-layout.tsx';
import { usersBase } from './admin-users.tsx';
import { type Chrome, Layout } from './layout.tsx';

export function OverviewPage(p: { chrome: Chrome; counts: Record<UserFilter, number>; dormantDays: number; admin: boolean }) {
  const base = usersBase(p.chrome);
  const label = (f: UserFilter) => (f === 'dormant' ? `Dormant accounts: not used for ${p.dormantDays} days` : USER_FILTERS[f]);
  const figures = (
    <>
      <h2 id="overview-heading">{p.chrome.signedIn!.site.name} at a glance</h2>
      <ul class="figures" aria-labelledby="overview-heading">
        {(Object.keys(USER_FILTERS) as UserFilter[]).map((f) => {
          const figure = (
            <>
              <strong class="figure">{p.counts[f]}</strong> {label(f)}
            </>
          );
          return <li>{p.admin ? <a href={`${base}?filter=${f}`}>{figure}</a> : <span class="plain">{figure}</span>}</li>;
        })}
      </ul>
      <p class="hint">
        Higher access is anything beyond recording a concern and one's own account.{' '}
        {p.admin ? 'Each figure opens the list of those people.' : "Your school's admins can open the list behind each figure."}
      </p>
    </>
  );
  if (p.admin) {
    return (
      <AdminLayout chrome={p.chrome} current="overview" title="Overview">
        {figures}
      </AdminLayout>
    );
  }
  return (
    <Layout title="Security overview" {...p.chrome}>
      <h1>Security overview</h1>
      {figures}
    </Layout>
  );
}
