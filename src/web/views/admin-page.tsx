import { formatDateTime } from './format.ts';
import { type Chrome, Layout } from './layout.tsx';

export interface AdminUserRow {
  fullName: string;
  jobTitle: string | null;
  groupName: string;
  lastLoginAt: Date | null;
}

export function AdminUsersPage({ chrome, siteName, users }: { chrome: Chrome; siteName: string; users: AdminUserRow[] }) {
  return (
    <Layout title="Admin" {...chrome}>
      <h1>Admin</h1>
      <h2 id="users-heading">Users at {siteName}</h2>
      <div class="table-scroll">
        <table aria-labelledby="users-heading">
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Job Title</th><th scope="col">Group</th><th scope="col">Last Login</th></tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr>
                <td>{u.fullName}</td>
                <td>{u.jobTitle ?? ''}</td>
                <td>{u.groupName}</td>
                <td>{formatDateTime(u.lastLoginAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
