import { describe, expect, it } from 'vitest';
import { DEVICE_CLOCK_TOLERANCE_MINUTES, deviceClockOffsetMinutes, deviceClockStrays } from '../../shared/domain/device-clock';

describe('a device’s reading of the time against the backend’s (shared/domain/device-clock.ts)', () => {
  const backend = '2026-11-23T09:00:00.000Z';
  it('measures the offset in whole minutes, positive when the device is ahead', () => {
    expect(deviceClockOffsetMinutes(backend, '2026-11-23T06:00:00.000Z')).toBe(-180);
    expect(deviceClockOffsetMinutes(backend, '2026-11-23T09:07:59.000Z')).toBe(7);
    expect(deviceClockOffsetMinutes(backend, null)).toBeNull();
    expect(deviceClockOffsetMinutes(null, backend)).toBeNull();
    expect(deviceClockOffsetMinutes(backend, 'pas une date')).toBeNull();
  });
  it('flags a reading more than 5 minutes away, either way; exactly 5 is within', () => {
    expect(DEVICE_CLOCK_TOLERANCE_MINUTES).toBe(5);
    expect(deviceClockStrays(backend, '2026-11-23T09:05:00.000Z')).toBe(false);
    expect(deviceClockStrays(backend, '2026-11-23T08:55:00.000Z')).toBe(false);
    expect(deviceClockStrays(backend, '2026-11-23T09:05:01.000Z')).toBe(true);
    expect(deviceClockStrays(backend, '2026-11-23T08:54:59.000Z')).toBe(true);
    expect(deviceClockStrays(backend, '2026-11-23T06:00:00.000Z')).toBe(true);
    // No reading sent: nothing to flag.
    expect(deviceClockStrays(backend, null)).toBe(false);
  });
});
