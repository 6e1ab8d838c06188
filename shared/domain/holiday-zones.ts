/**
 * Public-holiday zones (*jours fériés*). Alsace-Moselle (57, 67, 68) adds Good Friday and 26 December;
 * overseas departments add the abolition of slavery day and (some) Good Friday.
 *
 * Kept apart from holidays.ts so the schemas (and the renderer bundle) need not pull in the holiday
 * calendar library and its time-zone data just to name the zones.
 */
export const HOLIDAY_ZONES = ['metropole', '57', '67', '68', 'GP', 'MQ', 'GF', 'RE', 'YT', 'MF', 'BL'] as const;
export type HolidayZone = (typeof HOLIDAY_ZONES)[number];
