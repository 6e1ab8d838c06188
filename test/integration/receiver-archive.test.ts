/**
 * Issue #8 item 9 for sync receivers: a receiver created by mistake is archived while nothing was ever sent
 * to it; archived, it gets no new records and the engine skips it; restored, it gets what was queued meanwhile.
 * Once a batch went to it, archiving is refused and nothing changes.
 */
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { attendancePayload, queue, syncBench, type SyncBench } from '../helpers/sync';

let bench: SyncBench | undefined;
afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

const archivedAt = (b: SyncBench) => (b.tb.raw.prepare('SELECT archived_at AS a FROM sync_receivers WHERE id = ?').get(b.receiverId) as { a: string | null }).a;

describe('item 9: archiving a sync receiver', () => {
  it('archives a receiver nothing was sent to: no new records routed, skipped by the engine; restored, it gets them and sends', async () => {
    const b = (bench = await syncBench());
    const first = uuidv7();
    await queue(b.tb.ctx, first, attendancePayload(60));
    expect(b.items().map((i) => i.state)).toEqual(['pending']);

    expect(await b.tb.api['sync.archive']({ id: b.receiverId, archived: true })).toEqual({ id: b.receiverId, archived: true });
    expect(archivedAt(b)).not.toBeNull();
    expect((await b.tb.api['sync.receivers']()).map((r) => r.id)).toEqual([]);
    expect((await b.tb.api['sync.status']()).map((s) => s.receiver.id)).toEqual([]);
    expect((await b.tb.api['sync.archived']({})).map((r) => r.id)).toEqual([b.receiverId]);

    // A record queued while archived is not routed to it, and the engine does not send.
    const second = uuidv7();
    await queue(b.tb.ctx, second, attendancePayload(90));
    expect(b.items().map((i) => i.recordId)).toEqual([first]);
    expect((await b.tb.sync.step(b.receiverId)).kind).toBe('idle');
    expect(b.batches()).toEqual([]);

    expect(await b.tb.api['sync.archive']({ id: b.receiverId, archived: false })).toEqual({ id: b.receiverId, archived: false });
    expect(archivedAt(b)).toBeNull();
    expect((await b.tb.api['sync.receivers']()).map((r) => r.id)).toEqual([b.receiverId]);
    expect((await b.tb.api['sync.archived']({})).map((r) => r.id)).toEqual([]);
    // Restored: the record queued meanwhile is routed, and both are sent.
    expect(b.items().map((i) => i.recordId)).toEqual([first, second]);
    await b.drain();
    expect(b.items().map((i) => i.state)).toEqual(['acked', 'acked']);
    expect(b.batches()).toHaveLength(1);
  });

  it('refuses to archive a receiver that was sent a batch, saying so, and changes nothing', async () => {
    const b = (bench = await syncBench());
    await queue(b.tb.ctx, uuidv7(), attendancePayload(60));
    await b.drain();
    expect(b.batches().map((x) => x.state)).toEqual(['acked']);

    await expect(b.tb.api['sync.archive']({ id: b.receiverId, archived: true })).rejects.toThrow(
      /ne peut pas être archivé : il a déjà reçu 1 envoi\(s\) et a déjà traité 1 enregistrement\(s\).*Il reste dans l'historique/,
    );
    expect(archivedAt(b)).toBeNull();
    expect((await b.tb.api['sync.receivers']()).map((r) => r.id)).toEqual([b.receiverId]);
    expect(await b.tb.api['sync.archived']({})).toEqual([]);
    // Still routed to: a new record lands in its queue.
    await queue(b.tb.ctx, uuidv7(), attendancePayload(90));
    expect(b.items().map((i) => i.state)).toEqual(['acked', 'pending']);
  });
});
