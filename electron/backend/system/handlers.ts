import type { systemContract } from '../../../shared/contract/system';
import { LATEST_SCHEMA_VERSION } from '../../../migrations';
import { loadDemo } from '../demo/demo';
import type { HandlersOf } from '../handler';
import { APP_VERSION } from '../version';

export const systemHandlers: HandlersOf<typeof systemContract> = {
  'system.info': async (ctx) => ({ appVersion: APP_VERSION, schemaVersion: LATEST_SCHEMA_VERSION, dataDir: ctx.dataDir }),
  'demo.load': (ctx) => loadDemo(ctx),
};
