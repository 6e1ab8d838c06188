import { eraseInput, erasurePreview, purgeResult, rgpdExport, traineeRef } from '../schemas/rgpd';
import { mutation, none, query } from './define';

/** A trainee's rights under the RGPD (shared/schemas/rgpd.ts, electron/backend/rgpd/). */
export const rgpdContract = {
  /**
   * The right of access (art. 15): everything about the trainee, NIR and sensitive fields included, as JSON and a
   * signed PDF summary. Written to the audit log (`rgpd.export`), hence a write.
   */
  'rgpd.export': mutation('people.sensitive.read', traineeRef, rgpdExport),
  /** What an erasure would remove now, what it keeps until when and why; the erasure already recorded, if any. */
  'rgpd.erasePreview': query('people.read', traineeRef, erasurePreview),
  /**
   * The right to erasure (art. 17) within the funders' retention (art. 17.3.b): removes now what nothing obliges to
   * keep, records the erasure and the day the rest is anonymised. Audited (`rgpd.erase`). Answers the new preview.
   */
  'rgpd.erase': mutation('system.admin', eraseInput, erasurePreview),
  /** Anonymises the erased trainees whose retention is over (also run at start-up and daily). Audited per trainee. */
  'rgpd.purgeDue': mutation('system.admin', none, purgeResult),
} as const;
