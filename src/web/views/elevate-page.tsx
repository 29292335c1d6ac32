// "Elevate Your Access": a basic session passes its second factor; in a full session, the
// second half of "Confirm it's you".
import { type Chrome, Layout } from './layout.tsx';
import { SecondFactorForm, type SecondFactorFormProps } from './second-factor-form.tsx';

/** "Elevate Your Access", and the second half of confirming it's you. */
export function ElevatePage(p: SecondFactorFormProps & { chrome: Chrome; confirming: boolean }) {
  return (
    <Layout title="Elevate Your Access" {...p.chrome}>
      <div class="card login">
        <h1>Two Factor Authentication</h1>
        <p>
          {p.confirming
            ? "To change your two-factor devices, confirm it's you with your second factor."
            : "Your session has basic access. Your second factor brings your group's full permissions."}
        </p>
        <SecondFactorForm {...p} />
      </div>
    </Layout>
  );
}
