/**
 * `npm run receiver` — the reference receiver for demos: prints its URL, a token for the demo organisation
 * and the admin token for fault injection. Options: --port N (default 8787), --db FILE (default in memory).
 */
import { parseArgs } from 'node:util';
import { startReceiver } from './server';

/** SIRET of the demo organisation (electron/backend/demo/demo.ts). */
const DEMO_SIRET = '99900100100018';
const DEMO_TOKEN = 'demo-99900100100018';

const { values } = parseArgs({ options: { port: { type: 'string' }, db: { type: 'string' } } });
const receiver = await startReceiver({ port: Number(values.port ?? 8787), ...(values.db ? { dbFile: values.db } : {}) });
const token = receiver.issueToken(DEMO_SIRET, { token: DEMO_TOKEN });
process.stdout.write(
  `Destinataire de référence (protocole d'échange v1) : ${receiver.url}
  jeton de démonstration (SIRET ${DEMO_SIRET}) : ${token}
  jeton admin (en-tête x-admin-token, pannes à la demande) : ${receiver.adminToken}

Exemples :
  npm run cli -- sync --url ${receiver.url} --token ${token}
  curl -X POST ${receiver.url}/admin/faults -H 'x-admin-token: ${receiver.adminToken}' -d '{"kind":"status","status":503,"retryAfter":5}'
  curl -X POST ${receiver.url}/admin/reject -H 'x-admin-token: ${receiver.adminToken}' -d '{"recordId":"<id>"}'
Ctrl+C pour arrêter.
`,
);
const stop = () => void receiver.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
