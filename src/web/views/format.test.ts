import { describe, expect, it } from 'vitest';
import { formatDateTime } from './format.ts';

describe("dates in the school's time zone", () => {
  it('shows GMT in winter and BST in summer for Europe/London', () => {
    expect(formatDateTime(new Date('2026-01-15T09:30:00Z'))).toBe('15 Jan 2026, 09:30');
    expect(formatDateTime(new Date('2026-07-15T09:30:00Z'))).toBe('15 Jul 2026, 10:30');
  });

  it('uses another time zone when the site has one', () => {
    expect(formatDateTime(new Date('2026-07-15T09:30:00Z'), 'Asia/Dubai')).toBe('15 Jul 2026, 13:30');
  });

  it('says Never for a date that never happened', () => {
    expect(formatDateTime(null)).toBe('Never');
  });
});
