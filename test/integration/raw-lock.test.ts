import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../electron/backend/db/open';
import { rawGet, withRaw, type Raw } from '../../electron/backend/db/raw';

/**
 * The raw-SQL helper takes the same connection lock as Kysely's transactions: a raw read from another request
 * waits for a running transaction instead of reading its uncommitted rows.
 */
let dir: string;
let opened: OpenedDatabase;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sillon-raw-'));
  opened = await openDatabase(join(dir, 'sillon.db'));
});

afterEach(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

const FUNDER = "SELECT code, name FROM funders WHERE code = 'TEST'";

/** A transaction that inserts a funder, then waits for `release` before committing (or failing). */
function openTransaction(fail = false) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let inserted!: () => void;
  const afterInsert = new Promise<void>((resolve) => (inserted = resolve));
  const done = opened.db.transaction().execute(async (trx) => {
    await trx.insertInto('funders').values({ code: 'TEST', name: 'Financeur de test', kind: 'autre', active: 1 }).execute();
    inserted();
    await gate;
    if (fail) throw new Error('annulée');
  });
  return { release, afterInsert, done };
}

/** Lets every pending promise job and I/O callback run, so a read that could proceed has. */
async function settle() {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('withRaw and the connection lock', () => {
  it('the bare handle (the old way) reads a running transaction’s uncommitted row', async () => {
    const t = openTransaction();
    await t.afterInsert;
    // The bug the helper removes: same connection, no lock, so this read is inside the other request's transaction.
    expect(opened.raw.prepare(FUNDER).get()).toEqual({ code: 'TEST', name: 'Financeur de test' });
    t.release();
    await t.done;
  });

  it('a raw read through the helper waits for the transaction, then sees the committed row', async () => {
    const t = openTransaction();
    await t.afterInsert;
    let settled = false;
    const read = rawGet<{ code: string; name: string }>(opened.db, FUNDER).finally(() => (settled = true));
    await settle();
    expect(settled).toBe(false);
    t.release();
    await t.done;
    expect(await read).toEqual({ code: 'TEST', name: 'Financeur de test' });
  });

  it('a raw read through the helper never sees the row of a transaction that rolls back', async () => {
    const t = openTransaction(true);
    await t.afterInsert;
    const read = rawGet(opened.db, FUNDER);
    await settle();
    t.release();
    await expect(t.done).rejects.toThrow('annulée');
    expect(await read).toBeUndefined();
  });

  it('inside a transaction, the helper runs on that transaction: it sees its own rows and its writes roll back with it', async () => {
    await expect(
      opened.db.transaction().execute(async (trx) => {
        await trx.insertInto('funders').values({ code: 'TEST', name: 'Financeur de test', kind: 'autre', active: 1 }).execute();
        expect(await rawGet(trx, FUNDER)).toEqual({ code: 'TEST', name: 'Financeur de test' });
        await withRaw(trx, (raw) => raw.run("UPDATE funders SET name = 'Renommé' WHERE code = 'TEST'"));
        expect(await trx.selectFrom('funders').select('name').where('code', '=', 'TEST').executeTakeFirst()).toEqual({ name: 'Renommé' });
        throw new Error('annulée');
      }),
    ).rejects.toThrow('annulée');
    expect(await rawGet(opened.db, FUNDER)).toBeUndefined();
  });

  it('a Raw kept past its callback refuses to run', async () => {
    const kept = await withRaw(opened.db, (raw) => raw);
    expect(() => (kept as Raw).get(FUNDER)).toThrow(/outside withRaw/);
  });
});
