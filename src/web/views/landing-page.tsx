// The service's own address, /: there is no sign-in here, only where to find one's school's.
import { Layout } from './layout.tsx';

export function LandingPage({ csrfToken }: { csrfToken: string }) {
  return (
    <Layout title="Sign in" csrfToken={csrfToken}>
      <h1>Gatehouse</h1>
      <p>
        Each school has its own sign-in address, such as <code>/your-school/login</code>. Ask your school's Gatehouse administrator for yours.
      </p>
    </Layout>
  );
}
