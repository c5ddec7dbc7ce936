/** Formatting shared by the views: times, ages, short IDs. */

export const DAY_MS = 86_400_000;

/** `2026-12-04 20:51:07` in the browser's time zone, or a dash. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Whole days from `iso` to `now` (negative: in the future). */
export function daysSince(iso: string, now: number = Date.now()): number {
  return Math.floor((now - new Date(iso).getTime()) / DAY_MS);
}

/** `in 89 days`, `3 days ago`, `today`. */
export function relativeDays(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '';
  const days = Math.round((new Date(iso).getTime() - now) / DAY_MS);
  if (days === 0) return 'today';
  return days > 0 ? `in ${days} day${days === 1 ? '' : 's'}` : `${-days} day${days === -1 ? '' : 's'} ago`;
}

/** The first 12 characters of an ID, as `docker node ls` shows them. */
export function shortId(id: string): string {
  return id.slice(0, 12);
}
