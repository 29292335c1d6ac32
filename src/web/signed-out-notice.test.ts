import { describe, expect, it } from 'vitest';
import { describeMinutes, timedOutMessage } from './signed-out-notice.ts';

describe('why the sign-in page says a person was signed out', () => {
  it('counts in minutes, or in whole hours', () => {
    expect(describeMinutes(1)).toBe('1 minute');
    expect(describeMinutes(30)).toBe('30 minutes');
    expect(describeMinutes(90)).toBe('90 minutes');
    expect(describeMinutes(60)).toBe('1 hour');
    expect(describeMinutes(720)).toBe('12 hours');
  });

  it('names the timeout that did it', () => {
    expect(timedOutMessage({ reason: 'idle_timeout', limitMinutes: 30 })).toBe(
      'You were signed out after 30 minutes without activity. Sign in again to carry on.',
    );
    expect(timedOutMessage({ reason: 'absolute_timeout', limitMinutes: 600 })).toBe(
      'You were signed out because you had been signed in for 10 hours, the longest a session lasts here. Sign in again to carry on.',
    );
  });
});
