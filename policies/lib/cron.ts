/**
 * The longest gap between two runs of an AWS cron expression (`cron(min hour dom month dow year)`),
 * used to compare a backup schedule with the RPO. Conservative: when days are restricted, the gap
 * is the longest gap between allowed days.
 */
const DAY_SECONDS = 86400;

/** Values a cron field allows within [min, max], or undefined for "every value". */
function fieldValues(field: string, min: number, max: number): number[] | undefined {
  if (field === "*" || field === "?") return undefined;
  const values = new Set<number>();
  for (const part of field.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText ? Number(stepText) : 1;
    const [from, end] = range === "*" ? [min, max] : range.split("-").map(Number);
    const to = end ?? (stepText ? max : from);
    if (![from, to, step].every(Number.isInteger) || step <= 0)
      throw new Error(`cannot read field "${field}"`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

/** Largest cyclic gap between sorted values in a cycle of length `period`. */
function maxGap(values: number[], period: number): number {
  if (values.length === 0) return period;
  let gap = values[0] + period - values[values.length - 1];
  for (let i = 1; i < values.length; i++) gap = Math.max(gap, values[i] - values[i - 1]);
  return gap;
}

/** Seconds between runs in the worst case, or throws when the expression cannot be read. */
export function maxCronIntervalSeconds(expression: string): number {
  const match = /^cron\((.*)\)$/.exec(expression.trim());
  if (!match) throw new Error(`"${expression}" is not a cron(...) expression`);
  const fields = match[1].trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`"${expression}" does not have 6 fields`);
  const [minutes, hours, dom, month, dow] = fields;
  const mins = fieldValues(minutes, 0, 59) ?? Array.from({ length: 60 }, (_, i) => i);
  const hrs = fieldValues(hours, 0, 23);
  let intraDay: number;
  if (hrs === undefined) intraDay = maxGap(mins, 60) * 60;
  else {
    const times = hrs.flatMap((h) => mins.map((m) => h * 60 + m));
    intraDay = maxGap(times, 24 * 60) * 60;
  }
  if (month !== "*" && month !== "?") return 366 * DAY_SECONDS; // only some months: treat as yearly
  const days =
    dow !== "*" && dow !== "?"
      ? fieldValues(
          dow.replace(/[A-Z]{3}/gi, (d) => String(dayIndex(d))),
          1,
          7,
        )
      : undefined;
  if (days) return Math.max(intraDay, (maxGap(days, 7) - 1) * DAY_SECONDS + intraDay);
  const dates =
    dom !== "*" && dom !== "?" && !/[LW]/.test(dom)
      ? fieldValues(dom, 1, 31)
      : dom === "*" || dom === "?"
        ? undefined
        : [1];
  if (dates) return Math.max(intraDay, (maxGap(dates, 31) - 1) * DAY_SECONDS + intraDay);
  return intraDay;
}

function dayIndex(day: string): number {
  return ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"].indexOf(day.toUpperCase()) + 1;
}

/**
 * Why a schedule expression never fires again, or undefined when it recurs: a Scheduler one-time
 * `at(...)` runs once, and a cron whose year field allows only years before `now`'s never runs.
 */
export function neverFiresBecause(expression: string, now: Date = new Date()): string | undefined {
  const text = expression.trim();
  if (/^at\(/.test(text)) return `"${text}" is a one-time schedule, not a recurring one`;
  const match = /^cron\((.*)\)$/.exec(text);
  if (!match) return undefined;
  const year = match[1].trim().split(/\s+/)[5];
  if (year === undefined || year === "*" || year === "?") return undefined;
  // The last year each part allows; a step (`2025/2`) or anything unreadable may recur.
  const lasts = year.split(",").map((part) => {
    const [range, step] = part.split("/");
    const [from, to] = range.split("-").map(Number);
    return step !== undefined ? Number.POSITIVE_INFINITY : (to ?? from);
  });
  if (lasts.some((y) => !Number.isInteger(y))) return undefined;
  const last = Math.max(...lasts);
  return last < now.getUTCFullYear()
    ? `"${text}" only runs in years up to ${last}, before ${now.getUTCFullYear()}`
    : undefined;
}
