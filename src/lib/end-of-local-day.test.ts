import { describe, expect, it } from 'vitest';
import { endOfLocalDate, endOfLocalDay, localDate, startOfLocalDate } from './end-of-local-day.ts';

const at = (iso: string, tz = 'Europe/London') => endOfLocalDay(new Date(iso), tz).toISOString();

describe('links expire at midnight on the day they were sent, on the school’s clock', () => {
  it('in winter (GMT), at 00:00 GMT', () => {
    expect(at('2026-01-15T09:30:00Z')).toBe('2026-01-16T00:00:00.000Z');
  });

  it('in summer (BST), at 00:00 BST, which is 23:00 UTC', () => {
    expect(at('2026-07-15T09:30:00Z')).toBe('2026-07-15T23:00:00.000Z');
  });

  it('on the evening before the clocks go forward (29 March 2026), at midnight GMT', () => {
    expect(at('2026-03-28T22:00:00Z')).toBe('2026-03-29T00:00:00.000Z');
  });

  it('on the day the clocks go forward, a 23-hour day ending at midnight BST', () => {
    expect(at('2026-03-29T00:30:00Z')).toBe('2026-03-29T23:00:00.000Z');
    expect(at('2026-03-29T12:00:00Z')).toBe('2026-03-29T23:00:00.000Z');
  });

  it('on the evening before the clocks go back (25 October 2026), at midnight BST', () => {
    expect(at('2026-10-24T22:59:00Z')).toBe('2026-10-24T23:00:00.000Z');
  });

  it('on the day the clocks go back, a 25-hour day ending at midnight GMT', () => {
    expect(at('2026-10-24T23:00:00Z')).toBe('2026-10-26T00:00:00.000Z');
    expect(at('2026-10-25T00:59:59Z')).toBe('2026-10-26T00:00:00.000Z');
    expect(at('2026-10-25T01:00:00Z')).toBe('2026-10-26T00:00:00.000Z');
  });

  it('gives a link sent at 23:59:59 one second', () => {
    expect(at('2026-06-15T22:59:59Z')).toBe('2026-06-15T23:00:00.000Z');
    expect(at('2026-12-15T23:59:59Z')).toBe('2026-12-16T00:00:00.000Z');
  });

  it('gives a link sent at the first second of the day the whole day', () => {
    expect(at('2026-12-15T00:00:00Z')).toBe('2026-12-16T00:00:00.000Z');
  });

  it('follows another time zone: New York, Kolkata (+05:30), Chatham (+13:45)', () => {
    expect(at('2026-07-15T03:00:00Z', 'America/New_York')).toBe('2026-07-15T04:00:00.000Z');
    expect(at('2026-07-15T20:00:00Z', 'Asia/Kolkata')).toBe('2026-07-16T18:30:00.000Z');
    expect(at('2026-01-15T12:00:00Z', 'Pacific/Chatham')).toBe('2026-01-16T10:15:00.000Z');
  });

  it('ends the day at the clock change where a zone skips midnight itself (Santiago, September)', () => {
    // Chile moves from 24:00 on Saturday 5 September 2026 straight to 01:00 on the Sunday.
    expect(at('2026-09-05T16:00:00Z', 'America/Santiago')).toBe('2026-09-06T04:00:00.000Z');
  });

  it('uses UTC for UTC', () => {
    expect(at('2026-03-29T00:30:00Z', 'UTC')).toBe('2026-03-30T00:00:00.000Z');
  });
});

describe('access that ends on a date ends at the end of that day on the school’s clock', () => {
  it('in winter at midnight GMT, in summer at midnight BST', () => {
    expect(endOfLocalDate('2027-01-15', 'Europe/London').toISOString()).toBe('2027-01-16T00:00:00.000Z');
    expect(endOfLocalDate('2027-08-31', 'Europe/London').toISOString()).toBe('2027-08-31T23:00:00.000Z');
  });

  it('on the days the clocks change: the 23-hour and the 25-hour day', () => {
    expect(endOfLocalDate('2027-03-28', 'Europe/London').toISOString()).toBe('2027-03-28T23:00:00.000Z');
    expect(endOfLocalDate('2027-10-31', 'Europe/London').toISOString()).toBe('2027-11-01T00:00:00.000Z');
  });

  it('the day before a clock change starts where the day before it ended', () => {
    expect(startOfLocalDate('2027-03-28', 'Europe/London').toISOString()).toBe('2027-03-28T00:00:00.000Z');
    expect(startOfLocalDate('2027-11-01', 'Europe/London').toISOString()).toBe('2027-11-01T00:00:00.000Z');
    expect(startOfLocalDate('2027-09-01', 'Europe/London').toISOString()).toBe('2027-08-31T23:00:00.000Z');
  });

  it('in zones far from UTC, the same calendar day', () => {
    expect(endOfLocalDate('2027-08-31', 'Pacific/Kiritimati').toISOString()).toBe('2027-08-31T10:00:00.000Z');
    expect(endOfLocalDate('2027-08-31', 'Pacific/Pago_Pago').toISOString()).toBe('2027-09-01T11:00:00.000Z');
  });

  it("today's date is the school's, not UTC's", () => {
    expect(localDate(new Date('2027-08-31T23:30:00Z'), 'Europe/London')).toBe('2027-09-01');
    expect(localDate(new Date('2027-08-31T23:30:00Z'), 'UTC')).toBe('2027-08-31');
  });
});
