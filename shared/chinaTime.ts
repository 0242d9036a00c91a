/**
 * The desk's clock is China time (UTC+8) whatever the PC's zone: a 'day' is a Hunan working day,
 * and a time the desk states (since when a desk holds a workspace) is the time on the registrar's
 * wall.
 */
const CHINA_OFFSET_MS = 8 * 3600_000;

function chinaIso(iso: string | Date): string {
  const t = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  return new Date(t + CHINA_OFFSET_MS).toISOString();
}

/** 'YYYY-MM-DD' of that moment in China. */
export function chinaDate(iso: string | Date): string {
  return chinaIso(iso).slice(0, 10);
}

/** 'YYYY-MM-DD HH:mm' of that moment in China. */
export function chinaMinute(iso: string | Date): string {
  return chinaIso(iso).slice(0, 16).replace('T', ' ');
}
