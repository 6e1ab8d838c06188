import type { systemContract } from '../../../shared/contract/system';
import { LATEST_SCHEMA_VERSION } from '../../../migrations';
import { withRaw } from '../db/raw';
import { loadDemo } from '../demo/demo';
import { knownDevice } from '../evidence/devices';
import type { HandlersOf } from '../handler';
import { APP_VERSION } from '../version';

export const systemHandlers: HandlersOf<typeof systemContract> = {
  // The installation's device id: on its evidence rows and sync batches (null until its first one).
  'system.info': async (ctx) => ({ appVersion: APP_VERSION, schemaVersion: LATEST_SCHEMA_VERSION, dataDir: ctx.dataDir, deviceId: await withRaw(ctx.db, knownDevice) }),
  'system.counts': async (ctx) => {
    const count = async (t: 'actions' | 'sessions' | 'slots' | 'trainees' | 'enrolments') =>
      Number((await ctx.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return { actions: await count('actions'), sessions: await count('sessions'), slots: await count('slots'), trainees: await count('trainees'), enrolments: await count('enrolments') };
  },
  'demo.load': (ctx) => loadDemo(ctx),
};
