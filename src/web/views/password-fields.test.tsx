import { describe, expect, it } from 'vitest';
import { PASSWORDS_DIFFER_MESSAGE, type PolicyContext } from '../../auth/methods/password/policy-rules.ts';
import { NewPasswordFields } from './password-fields.tsx';

const context: PolicyContext = {
  email: 'wendy.abbott@northfield.example',
  names: ['Wendy "Abbott"'],
  siteName: 'Northfield <Primary> School',
  minLength: 6,
  requireComposition: true,
};

function html(errors?: Parameters<typeof NewPasswordFields>[0]['errors']): string {
  return String(<NewPasswordFields context={context} errors={errors} />);
}

describe('NewPasswordFields', () => {
  it('says a single reason as one sentence after the lead, and several as a list', () => {
    const one = html([PASSWORDS_DIFFER_MESSAGE]);
    expect(one).toContain(`<p>That password cannot be used. ${PASSWORDS_DIFFER_MESSAGE}</p>`);
    expect(one).not.toContain('cannot be used:');
    expect(one).not.toContain('<li>The two passwords');
    const two = html([PASSWORDS_DIFFER_MESSAGE, 'It is one of the most common passwords.']);
    expect(two).toContain('<p>That password cannot be used, for these reasons:</p><ul><li>The two passwords do not match');
  });

  it('renders labelled password fields that keep every character and suit password managers', () => {
    const page = html();
    expect(page).toContain('<label for="new-password">New password</label>');
    expect(page).toContain('<label for="confirm-password">Confirm new password</label>');
    expect(page).toMatch(/<input id="new-password" name="password" type="password" autocomplete="new-password" required="" maxlength="1024"/);
    expect(page).toMatch(/<input id="confirm-password" name="confirmation" type="password" autocomplete="new-password" required="" maxlength="1024"/);
  });

  it('carries the policy context in data- attributes, escaped, with the minimum after its floor', () => {
    const page = html();
    expect(page).toContain('data-password-policy=""');
    expect(page).toContain('data-min-length="8"');
    expect(page).toContain('data-require-composition="true"');
    expect(page).toContain('data-email="wendy.abbott@northfield.example"');
    expect(page).toContain('data-names="[&quot;Wendy \\&quot;Abbott\\&quot;&quot;]"');
    expect(page).toContain('data-site-name="Northfield &lt;Primary&gt; School"');
  });

  it('lists the rules in plain words, each with an id, and a hidden meter for the script', () => {
    const page = html();
    expect(page).toContain('id="password-rule-min-length" data-rule="min-length">At least 8 characters long');
    expect(page).toContain('id="password-rule-composition"');
    expect(page).toContain('id="password-rule-not-reused"');
    expect(page).toMatch(/<div id="password-strength" class="password-strength" hidden="">/);
    expect(page).toMatch(/<meter id="password-strength-meter" min="0" max="4"[^>]* aria-label="Password strength" aria-valuetext="No password entered yet"/);
    expect(page).toContain('<script src="/static/js/password-strength.js" defer=""></script>');
    expect(page).not.toContain('role="alert"');
    expect(page).not.toContain('style=');
  });

  it('shows what the server refused, as an alert listing each failed rule, and marks those rules', () => {
    const page = html([{ rule: 'not-common', message: 'Your password is too <common>.' }, 'The two passwords do not match.']);
    expect(page).toContain('role="alert" id="new-password-errors"');
    expect(page).toContain('<li>Your password is too &lt;common&gt;.</li>');
    expect(page).toContain('<li>The two passwords do not match.</li>');
    expect(page).toContain('id="password-rule-not-common" data-rule="not-common" data-state="unmet"');
    expect(page).toContain('aria-describedby="new-password-rules password-strength-label new-password-errors" aria-invalid="true"');
  });
});
