/**
 * The backend's clock is the time of the evidence (a signature's `signed_at`, a closure's `closed_at`); the
 * capturing screen's own reading of that moment is kept beside it as it was sent (`device_signed_at`,
 * `device_closed_at`). A reading far from the backend's is not corrected nor refused: it is flagged in the
 * mark's history, since a screen whose clock is wrong (or a time typed in) is worth an explanation.
 */

/** How far (minutes, either way) a device's reading may stray from the backend's before it is flagged. */
export const DEVICE_CLOCK_TOLERANCE_MINUTES = 5;

/**
 * Minutes from the backend's instant to the device's reading (positive: the device is ahead), rounded toward
 * zero; null when there is no device reading or either instant does not parse.
 *
 * @example deviceClockOffsetMinutes('2026-11-23T09:00:00Z', '2026-11-23T06:00:00Z') // -180
 */
export function deviceClockOffsetMinutes(backendAt: string | null | undefined, deviceAt: string | null | undefined): number | null {
  if (!backendAt || !deviceAt) return null;
  const backend = Date.parse(backendAt);
  const device = Date.parse(deviceAt);
  if (Number.isNaN(backend) || Number.isNaN(device)) return null;
  return Math.trunc((device - backend) / 60_000);
}

/**
 * Whether the device's reading is more than {@link DEVICE_CLOCK_TOLERANCE_MINUTES} away from the backend's
 * (exactly 5 minutes is still within).
 *
 * @example deviceClockStrays('2026-11-23T09:00:00Z', '2026-11-23T09:05:00Z') // false
 * @example deviceClockStrays('2026-11-23T09:00:00Z', '2026-11-23T09:05:01Z') // true
 */
export function deviceClockStrays(backendAt: string | null | undefined, deviceAt: string | null | undefined): boolean {
  if (!backendAt || !deviceAt) return false;
  const backend = Date.parse(backendAt);
  const device = Date.parse(deviceAt);
  if (Number.isNaN(backend) || Number.isNaN(device)) return false;
  return Math.abs(device - backend) > DEVICE_CLOCK_TOLERANCE_MINUTES * 60_000;
}
