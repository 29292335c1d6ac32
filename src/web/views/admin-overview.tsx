// Admin > Overview: the school's figures at a glance, each a link to the list of exactly the
// people it counts (directory/user-filters.ts: one condition for the figure and its list). An
// admin's open the Users tab, filtered; a DSL, who has the overview but not the Admin area,
// gets a read-only list of their own (OverviewListPage): who, and why the figure counts them,
// without the Admin area's tabs, profiles or actions.
import type { CountedUser, FilterFact } from '../../directory/user-filters.ts';
import { FILTER_FACTS, USER_FILTERS, type UserFilter } from '../../directory/user-filters.ts';
import type { Paged } from '../../directory/user-search.ts';
import { showCalendarDate } from '../../lib/calendar-date.ts';
import { AdminLayout } from './admin-layout.tsx';
import { Pager, PeopleHead, PersonCells, usersBase } from './admin-users.tsx';
import { formatDateTime } from './format.ts';
import { type Chrome, Layout } from './layout.tsx';
import { TableScroll } from './table-scroll.tsx';

const overviewBase = (chrome: Chrome) => `/${chrome.signedIn!.site.slug}/admin/overview`;

const figureLabel = (f: UserFilter, dormantDays: number) => (f === 'dormant' ? `Dormant accounts: not used for ${dormantDays} days` : USER_FILTERS[f]);

export function OverviewPage(p: { chrome: Chrome; counts: Record<UserFilter, number>; dormantDays: number; admin: boolean }) {
  const listOf = (f: UserFilter) => (p.admin ? `${usersBase(p.chrome)}?filter=${f}` : `${overviewBase(p.chrome)}/${f}`);
  const figures = (
    <>
      <h2 id="overview-heading">{p.chrome.signedIn!.site.name} at a glance</h2>
      <ul class="figures" aria-labelledby="overview-heading">
        {(Object.keys(USER_FILTERS) as UserFilter[]).map((f) => (
          <li>
            <a href={listOf(f)}>
              <strong class="figure">{p.counts[f]}</strong> {figureLabel(f, p.dormantDays)}
            </a>
          </li>
        ))}
      </ul>
      <p class="hint">Higher access is anything beyond recording a concern and one's own account. Each figure opens the list of those people.</p>
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

function Fact({ fact, timeZone }: { fact: FilterFact; timeZone: string }) {
  if ('higherAccess' in fact) return <td class="higher-access">{fact.higherAccess.join(', ')}</td>;
  if ('on' in fact) return <td>{showCalendarDate(fact.on, '')}</td>;
  return <td>{formatDateTime(fact.at, timeZone)}</td>;
}

/** The people one figure counts, a page at a time, for a DSL: read-only, nothing links into the Admin area. */
export function OverviewListPage(p: {
  chrome: Chrome;
  timeZone: string;
  filter: UserFilter;
  /** The figure: how many the list has in all, over its pages. */
  count: number;
  list: Paged<CountedUser>;
  dormantDays: number;
}) {
  const base = overviewBase(p.chrome);
  const label = figureLabel(p.filter, p.dormantDays);
  return (
    <Layout title={`${label} - Security overview`} {...p.chrome}>
      <h1>Security overview</h1>
      <p>
        <a href={base}>Back to the figures</a>
      </p>
      <h2 id="list-heading">
        {label} at {p.chrome.signedIn!.site.name} ({p.count})
      </h2>
      {p.list.rows.length === 0 ? (
        <p>Nobody.</p>
      ) : (
        <TableScroll labelledBy="list-heading">
          <table aria-labelledby="list-heading">
            <PeopleHead last={FILTER_FACTS[p.filter]} />
            <tbody>
              {p.list.rows.map((u) => (
                <tr>
                  <PersonCells person={u} timeZone={p.timeZone} />
                  <Fact fact={u.fact} timeZone={p.timeZone} />
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Pager base={`${base}/${p.filter}`} list={p.list} />
      <p class="hint">Changing an account is for the school's admins, in the Admin area.</p>
    </Layout>
  );
}
