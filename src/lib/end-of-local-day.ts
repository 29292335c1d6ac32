// "The link expires at midnight on the day it was sent": the first instant of the next day
// on the school's clock, whatever the clock changes do. Intl gives the zone's offset at any
// instant; there is no date library to trust with this, and the cases are few and tested.

interface WallClock {
  year: number;
  month: number;
  day: number;
}

function formatter(timeZone: string) {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
}

function wallClock(instant: number, timeZone: string) {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    asUtc: Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)),
  };
}

/** How far the zone's clock is ahead of UTC at that instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  return wallClock(instant, timeZone).asUtc - Math.floor(instant / 1000) * 1000;
}

function sameDay(a: WallClock, b: WallClock): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

export function endOfLocalDay(now: Date, timeZone: string): Date {
  const today = wallClock(now.getTime(), timeZone);
  const midnight = Date.UTC(today.year, today.month - 1, today.day + 1);
  const tomorrow = wallClock(midnight, 'UTC');
  // Midnight at the offset in force now, then at the offset in force then. Where a clock
  // change skips midnight itself, the second guess lands back in today: the day then ends
  // at the change, which is the first guess.
  const first = midnight - offsetAt(now.getTime(), timeZone);
  const second = midnight - offsetAt(first, timeZone);
  const candidates = [second, first].filter((t) => sameDay(wallClock(t, timeZone), tomorrow));
  return new Date(Math.min(...(candidates.length ? candidates : [first])));
}

/** An instant within the calendar day `date` (YYYY-MM-DD) on the zone's clock. */
function instantOnLocalDate(date: string, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const wanted = { year, month, day };
  // Noon UTC is that day on every clock from UTC-11 to UTC+11; the few zones beyond take a step.
  const noon = Date.UTC(year, month - 1, day, 12);
  const found = [noon, noon - 12 * 3_600_000, noon + 12 * 3_600_000].find((t) => sameDay(wallClock(t, timeZone), wanted));
  return new Date(found ?? noon);
}

/** "Access ends on 31/08/2027": the first instant after that day on the school's clock. */
export function endOfLocalDate(date: string, timeZone: string): Date {
  return endOfLocalDay(instantOnLocalDate(date, timeZone), timeZone);
}

/** "Access starts on 01/09/2027": the first instant of that day on the school's clock. */
export function startOfLocalDate(date: string, timeZone: string): Date {
  const day = instantOnLocalDate(date, timeZone);
  return endOfLocalDay(new Date(day.getTime() - 24 * 3_600_000), timeZone);
}

/** Today's date (YYYY-MM-DD) on the zone's clock. */
export function localDate(now: Date, timeZone: string): string {
  const { year, month, day } = wallClock(now.getTime(), timeZone);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
