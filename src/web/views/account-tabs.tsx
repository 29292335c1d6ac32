export type AccountTab = 'account' | 'security-keys' | 'security-log';

const TABS: Array<[AccountTab, string, string]> = [
  ['account', 'Account', '/account'],
  ['security-keys', 'Security keys', '/account/security-keys'],
  ['security-log', 'Security log', '/account/security-log'],
];

export function AccountTabs({ base, current }: { base: string; current: AccountTab }) {
  return (
    <nav aria-label="Account Settings" class="tabs">
      {TABS.map(([tab, label, path]) => (
        <a href={`${base}${path}`} aria-current={tab === current ? 'page' : undefined}>
          {label}
        </a>
      ))}
    </nav>
  );
}
