import { v7 as uuidv7 } from 'uuid';
import type { RollCall, SignatureInput } from '../../shared/schemas/attendance';
import type { TestBackend } from './backend';

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
/** A signature of one short stroke, as the pad sends it. */
export const SIGNATURE: SignatureInput = { strokes: [[[1, 1, 0], [5, 8, 16]]], pngBase64: PNG_1x1 };

/**
 * Records today's roll call of the demo's cuisine session (the demo loaded on 23/11/2026 or later), everyone present
 * and signed: one mark and one signature per row, appended to the ledger. The roll call as it was before.
 */
export async function recordDemoRollCall(b: TestBackend): Promise<RollCall> {
  const sessions = await b.api['sessions.list']({});
  const cuisine = sessions.find((s) => s.label.includes('étoiles'))!;
  const page = await b.api['sessions.get']({ id: cuisine.id });
  const slot = page.slots.find((s) => s.date >= '2026-11-23')!;
  const call = await b.api['attendance.rollCall']({ slotId: slot.id });
  const marks = call.rows.map((r) => ({ enrolmentId: r.enrolmentId, kind: 'present', method: 'signature' as const, signature: SIGNATURE }));
  await b.api['attendance.record']({ slotId: slot.id, submissionId: uuidv7(), marks });
  return call;
}
