import { z } from 'zod';
import { mutation, none, query } from './define';

export const demoCounts = z.object({
  actions: z.number().int(),
  sessions: z.number().int(),
  slots: z.number().int(),
  trainees: z.number().int(),
  enrolments: z.number().int(),
});

/** The data folder, the demo records. */
export const systemContract = {
  'system.info': query('organisation.read', none, z.object({ appVersion: z.string(), schemaVersion: z.number().int(), dataDir: z.string(), deviceId: z.string().nullable() })),
  'system.counts': query('organisation.read', none, demoCounts),
  'demo.load': mutation('system.admin', none, demoCounts),
} as const;
