// A date on a school's calendar (YYYY-MM-DD, as "access ends on" is kept), as staff read it:
// "31 Aug 2027". A calendar date is the same on every clock, so no time zone comes into it.
const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });

export function showCalendarDate(date: string | null | undefined, none = 'none'): string {
  return date ? dayFormat.format(new Date(`${date}T00:00:00Z`)) : none;
}
