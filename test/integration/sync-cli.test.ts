/** `npm run cli -- sync …` in a child process, against the reference receiver on loopback. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBackend } from '../../electron/backend/backend';
import { startReceiver, type Receiver } from '../receiver/server';
import { attendancePayload, queue, queueMany, SIRET } from '../helpers/sync';


const cli = (...args: string[]) => runCli(args);

let tmp: string;
let receiver: Receiver;
let token: string;
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'sillon-sync-cli-'));
  receiver = await startReceiver();
  token = receiver.issueToken(SIRET);
  const b = await startBackend(tmp);
  await b.dispatch('organisation.save', { name: 'Organisme (CLI)', siret: SIRET });
  await queueMany(b.ctx, 1_200);
  await queue(b.ctx, '0192f3c1-0000-7000-8000-00000000dead', attendancePayload(999));
  await b.close();
});
afterAll(async () => {
  await receiver.close();
  rmSync(tmp, { recursive: true, force: true });
});

it('sync: refused token → exit 4 with the reason; with a good one → everything acked but one refused record, exit 7; sync status', async () => {
  const refused = await cli('sync', '--url', receiver.url, '--token', 'not-a-token', '--data-dir', tmp);
  expect(refused.code).toBe(4);
  expect(refused.stderr).toContain('File bloquée');
  expect(refused.stderr).toContain("refuse le jeton d'accès");

  const ok = await cli('sync', '--url', receiver.url, '--token', token, '--name', 'Région Grand Est', '--data-dir', tmp);
  expect(ok.stderr).toContain('1201 enregistrement(s) à envoyer');
  expect(ok.stderr).toMatch(/Lot 1 : 500 enregistrement\(s\)/);
  expect(ok.stdout).toContain('Synchronisation terminée : 1200 acquitté(s), 1 refusé(s), 0 abandonné(s).');
  expect(ok.code).toBe(7);
  expect(ok.stderr).toContain('1 enregistrement(s) refusé(s) par le destinataire pendant cet envoi');
  expect(receiver.current(SIRET).size).toBe(1_200);

  const status = await cli('sync', 'status', '--data-dir', tmp);
  expect(status.code).toBe(0);
  expect(status.stdout).toContain('Région Grand Est');
  expect(status.stdout).toMatch(/acquittés : 1200\n\s+refusés : 1\n/);
}, 120_000);
