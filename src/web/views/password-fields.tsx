// "New password" and "Confirm new password", with the rules in plain words, what the server
// refused last time, and a strength meter that /static/js/password-strength.js brings to life.
// Everything works without the script: the server checks every rule again.
import {
  describePasswordRules,
  effectiveMinLength,
  MAX_PASSWORD_LENGTH,
  type PolicyContext,
  type PolicyFailure,
} from '../../auth/methods/password/policy-rules.ts';
import { PASSWORD_FIELD_IDS as IDS, PASSWORD_STRENGTH_SCRIPT, RULE_STATE_TEXT, ruleItemId } from '../browser/password-fields-dom.ts';

/** The form fields' names: what the route reads from the submitted form. */
export const NEW_PASSWORD_FIELD = 'password';
export const CONFIRM_PASSWORD_FIELD = 'confirmation';

export interface NewPasswordFieldsProps {
  context: PolicyContext;
  /** What the server refused last time: failures (their rules are marked in the list) or plain messages. */
  errors?: ReadonlyArray<PolicyFailure | string> | undefined;
  /** Show "Not one of your last 5 passwords" (default true; the flow checks it). */
  includeReuseRule?: boolean;
}

const messageOf = (e: PolicyFailure | string) => (typeof e === 'string' ? e : e.message);

/** A password manager offers to generate and save a new password for autocomplete="new-password". */
function PasswordInput(p: { id: string; name: string; describedBy: string; invalid?: boolean }) {
  return (
    <input
      id={p.id}
      name={p.name}
      type="password"
      autocomplete="new-password"
      required
      maxlength={MAX_PASSWORD_LENGTH}
      aria-describedby={p.describedBy}
      aria-invalid={p.invalid ? 'true' : undefined}
    />
  );
}

export function NewPasswordFields({ context, errors = [], includeReuseRule = true }: NewPasswordFieldsProps) {
  const failed = new Set(errors.flatMap((e) => (typeof e === 'string' ? [] : [e.rule])));
  const hasErrors = errors.length > 0;
  const describedBy = (...ids: string[]) => [...ids, ...(hasErrors ? [IDS.errors] : [])].join(' ');
  return (
    <div
      class="new-password"
      data-password-policy=""
      data-min-length={String(effectiveMinLength(context.minLength))}
      data-require-composition={String(context.requireComposition)}
      data-email={context.email}
      data-names={JSON.stringify(context.names)}
      data-site-name={context.siteName}
    >
      {hasErrors && (
        <div class="message error" role="alert" id={IDS.errors}>
          {errors.length === 1 ? (
            // One reason reads as one sentence after the lead ("…cannot be used. The two passwords do not match…").
            <p>That password cannot be used. {messageOf(errors[0]!)}</p>
          ) : (
            <>
              <p>That password cannot be used, for these reasons:</p>
              <ul>
                {errors.map((e) => (
                  <li>{messageOf(e)}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}

      <label for={IDS.newPassword}>New password</label>
      <PasswordInput id={IDS.newPassword} name={NEW_PASSWORD_FIELD} describedBy={describedBy(IDS.rules, IDS.strengthLabel)} invalid={hasErrors} />

      <div id={IDS.strength} class="password-strength" hidden>
        <meter id={IDS.meter} min={0} max={4} low={2} high={3} optimum={4} value={0} aria-label="Password strength" aria-valuetext="No password entered yet" />
        <span id={IDS.strengthLabel} aria-live="polite">
          Strength: no password entered yet
        </span>
        <p id={IDS.warning} class="password-warning" aria-live="polite"></p>
      </div>

      <div id={IDS.rules} class="password-rules">
        <p>Rules for your new password:</p>
        <ul>
          {describePasswordRules(context, { includeReuse: includeReuseRule }).map(({ rule, text }) => (
            <li id={ruleItemId(rule)} data-rule={rule} data-state={failed.has(rule) ? 'unmet' : undefined}>
              {text}
              <span class="visually-hidden rule-state">{failed.has(rule) ? RULE_STATE_TEXT.unmet : ''}</span>
            </li>
          ))}
        </ul>
        <p class="hint">
          Spaces, accents, emoji and any symbols are allowed, up to {MAX_PASSWORD_LENGTH.toLocaleString('en-GB')} characters. A few unrelated words you will
          remember make a strong password.
        </p>
      </div>

      <label for={IDS.confirmation}>Confirm new password</label>
      <PasswordInput id={IDS.confirmation} name={CONFIRM_PASSWORD_FIELD} describedBy={describedBy(IDS.match)} />
      <p id={IDS.match} class="password-match" aria-live="polite" hidden></p>

      <script src={PASSWORD_STRENGTH_SCRIPT} defer></script>
    </div>
  );
}
