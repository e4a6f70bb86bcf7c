// Time formatting in the user's local time zone.
//
// Formatters are made once and reused: `toLocaleDateString(locale, options)` and friends build a
// new ICU formatter on every call (milliseconds each, plus garbage the GC finalizes later), which
// was most of the cost of rendering a row.

let dateFmt: Intl.DateTimeFormat | undefined;
let clockFmt: Intl.DateTimeFormat | undefined;
let preciseFmt: Intl.DateTimeFormat | undefined;
let plainDateFmt: Intl.DateTimeFormat | undefined;

function fmtDate(d: Date): string {
  dateFmt ??= new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  return dateFmt.format(d);
}

function fmtPreciseTime(d: Date): string {
  preciseFmt ??= new Intl.DateTimeFormat(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
    timeZoneName: 'short',
  });
  return preciseFmt.format(d);
}

/** relativeTime renders `iso` relative to `now` ("just now", "5 s ago", "3 min ago", "2 h ago", "4 d ago"). */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.round((now - t) / 1000);
  // The ticking clock may lag a fresh delivery by a few seconds: that is still "just now".
  if (s < -60) return 'in the future';
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.floor(h / 24);
  if (d < 30) return `${d} d ago`;
  plainDateFmt ??= new Intl.DateTimeFormat();
  return plainDateFmt.format(t);
}

/** absoluteTime renders `iso` as a local date and time with milliseconds and the zone name. */
export function absoluteTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${fmtDate(d)} ${fmtPreciseTime(d)}`;
}

/** shortTime renders the local time of day (HH:MM:SS). */
export function shortTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  clockFmt ??= new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return clockFmt.format(d);
}
