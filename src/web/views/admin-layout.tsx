import type { Child } from 'hono/jsx';
import { type Chrome, Layout } from './layout.tsx';

export type AdminTab = 'overview' | 'users' | 'groups' | 'settings' | 'imports' | 'audits' | 'integrations';

const TABS: Array<[AdminTab, string]> = [
  ['overview', 'Overview'],
  ['users', 'Users'],
  ['groups', 'Groups'],
  ['settings', 'Settings'],
  ['imports', 'Imports'],
  ['audits', 'Audits'],
  ['integrations', 'Integrations'],
];

/** The Admin area's frame: its heading and the tabs Overview, Users, Groups, Settings, Imports, Audits, Integrations. */
export function AdminLayout(p: { chrome: Chrome; current: AdminTab; title: string; notice?: string | undefined; children?: Child }) {
  const base = `/${p.chrome.signedIn!.site.slug}/admin`;
  return (
    <Layout title={`${p.title} · Admin`} {...p.chrome}>
      <h1>Admin</h1>
      <nav aria-label="Admin" class="tabs">
        {TABS.map(([tab, label]) => (
          <a href={`${base}/${tab}`} aria-current={tab === p.current ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      {p.notice && (
        <div class="message notice" role="status">
          {p.notice}
        </div>
      )}
      {p.children}
    </Layout>
  );
}
