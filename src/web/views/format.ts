// Dates as staff read them, in the school's time zone: "20 Nov 2026, 09:14".
export function formatDateTime(date: Date | null | undefined, timeZone = 'Europe/London'): string {
  if (!date) return 'Never';
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}

/** "7 Oct 2026": when a date is enough (a device's registration). */
export function formatDate(date: Date, timeZone = 'Europe/London'): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric' }).format(date);
}
