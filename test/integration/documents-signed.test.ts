import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBackend } from '../../electron/backend/backend';
import { FileKeySecretStore } from '../../electron/backend/sync/secret-store';
import { runCli as runCliIn } from '../helpers/cli';
import { testBackend, type TestBackend } from '../helpers/backend';

/**
 * Issue #9 §3–4: every printed PDF carries a real digital signature (checked by poppler's `pdfsig`, which
 * knows nothing of Sillon), the verification screen's method tells authentic / changed / unknown, the
 * signing key never sits in clear in the database, an imported .p12 signs, and the CLI prints.
 */

const MONDAY = '2026-11-23';
const ISSUED = `${MONDAY}T06:00:00Z`;

let template: string;
let b: TestBackend;
const dirs: string[] = [];

async function fromTemplate(): Promise<TestBackend> {
  const t = await testBackend(ISSUED, template);
  dirs.push(t.dataDir);
  return t;
}

async function sessionId(t: TestBackend): Promise<string> {
  return (await t.api['sessions.list']({})).find((s) => s.label.includes('étoiles'))!.id;
}

/** pdfsig's report of a PDF written to a temp file. */
function pdfsig(bytes: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sillon-pdfsig-')), 'doc.pdf');
  writeFileSync(file, bytes);
  try {
    return execFileSync('pdfsig', [file], { encoding: 'utf8' });
  } finally {
    rmSync(file, { force: true });
  }
}

/** One byte changed inside the first signed range: the document's /Producer text (Sillon → Silmon). */
function oneByteChanged(pdf: Buffer): Buffer {
  const copy = Buffer.from(pdf);
  const at = copy.indexOf('/Producer <FEFF');
  expect(at).toBeGreaterThan(0);
  const range = /\/ByteRange \[(\d+) +(\d+)/.exec(copy.toString('latin1'))!;
  expect(at + 40).toBeLessThan(Number(range[1]) + Number(range[2])); // inside the signed bytes
  const hexAt = at + '/Producer <FEFF'.length + 4 * 3; // 4th character: 'l' (006C)
  expect(copy.subarray(hexAt, hexAt + 4).toString('latin1')).toBe('006C');
  copy.write('006D', hexAt, 'latin1');
  return copy;
}

/** A PKCS#12 as a trust provider delivers one: an RSA key, its certificate issued by a CA, the CA. */
function providerP12(password: string): { base64: string; cn: string } {
  const caKeys = forge.pki.rsa.generateKeyPair(1024);
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = '01';
  ca.validity.notBefore = new Date('2026-01-01T00:00:00Z');
  ca.validity.notAfter = new Date('2029-01-01T00:00:00Z');
  const caName = [{ name: 'commonName', value: 'Prestataire de confiance CA' }, { name: 'countryName', value: 'FR' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([{ name: 'basicConstraints', cA: true }]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());
  const keys = forge.pki.rsa.generateKeyPair(1024);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '02';
  cert.validity.notBefore = new Date('2026-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2028-01-01T00:00:00Z');
  const cn = 'Les Ateliers du Sillon (cachet serveur)';
  cert.setSubject([{ name: 'commonName', value: cn }, { name: 'organizationName', value: 'Les Ateliers du Sillon' }, { name: 'countryName', value: 'FR' }]);
  cert.setIssuer(caName);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert, ca], password, { algorithm: '3des' });
  return { base64: Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary').toString('base64'), cn };
}

const runCli = (args: string[], dataDir: string) => runCliIn([...args, '--data-dir', dataDir]);

beforeAll(async () => {
  const t = await testBackend(ISSUED);
  await t.api['demo.load']({});
  await t.close();
  template = t.dataDir;
}, 120_000);
afterAll(() => {
  rmSync(template, { recursive: true, force: true });
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('signed documents', () => {
  beforeEach(async () => {
    b = await fromTemplate();
  });
  afterEach(async () => b.cleanup());

  it('pdfsig says the signature of a printed sheet is valid, ETSI.CAdES.detached, over the whole file, at the backend clock', async () => {
    const doc = await b.api['documents.attendanceSheet']({ sessionId: await sessionId(b), weekStart: '2026-11-16' });
    const report = pdfsig(Buffer.from(doc.base64, 'base64'));
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expect(report).toContain('Signature Type: ETSI.CAdES.detached');
    expect(report).toContain('Signing Hash Algorithm: SHA-256');
    expect(report).toContain('Total document signed');
    expect(report).toContain('Signing Time: Nov 23 2026 06:00:00'); // the backend's clock (UTC)
    expect(report).toContain('Signer Certificate Common Name: Les Ateliers du Sillon — organisme de démonstration (fictif)');
    // Self-signed: no trust anchor, which pdfsig says apart from the signature itself.
    expect(report).toMatch(/Certificate Validation: Certificate issuer is unknown/);

    const cert = await b.api['documents.certificate']({});
    expect(cert).toMatchObject({ source: 'self-signed', notBefore: '2026-11-23T06:00:00.000Z', notAfter: '2031-11-23T06:00:00.000Z' });
    expect(cert!.subject).toBe('CN=Les Ateliers du Sillon — organisme de démonstration (fictif), O=Les Ateliers du Sillon — organisme de démonstration (fictif), OU=SIRET 99900100100018, C=FR');
    expect(cert!.issuer).toBe(cert!.subject);
    expect(cert!.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    const check = await b.api['documents.check']({ pdfBase64: doc.base64 });
    expect(check.verdict).toBe('authentic');
    expect(check.reasons.every((r) => r.ok)).toBe(true);
    expect(check.reasons.map((r) => r.text).join('\n')).toMatch(/Signature électronique intacte[\s\S]*certificat de cet organisme \(auto-signé par Sillon\)[\s\S]*registre des preuves est intacte[\s\S]*correspond exactement/);
    expect(check).toMatchObject({ printId: doc.printId, shortHash: doc.shortHash, kind: 'attendance-sheet', issuedAt: '2026-11-23T06:00:00.000Z' });
  });

  it('one byte changed inside the signed range: pdfsig reports a digest mismatch and the check says changed', async () => {
    const doc = await b.api['documents.attendanceSheet']({ sessionId: await sessionId(b), weekStart: '2026-11-16' });
    const changed = oneByteChanged(Buffer.from(doc.base64, 'base64'));
    const report = pdfsig(changed);
    expect(report).not.toContain('Signature is Valid');
    expect(report).toContain('Signature Validation: Digest Mismatch.');

    const check = await b.api['documents.check']({ pdfBase64: changed.toString('base64') });
    expect(check.verdict).toBe('changed');
    expect(check.reasons[0]).toEqual({ ok: false, text: expect.stringMatching(/^Signature électronique rompue/) });
    expect(check.reasons[1]).toMatchObject({ ok: true, text: expect.stringMatching(/certificat de cet organisme/) });
  });

  it('a PDF signed by another installation is unknown; the code alone checks the print; a print id that does not go with the hash is unknown', async () => {
    const other = await fromTemplate(); // same demo data, its own certificate and database
    try {
      const foreign = await other.api['documents.blankSheet']({ sessionId: await sessionId(other), weekStart: MONDAY });
      expect(pdfsig(Buffer.from(foreign.base64, 'base64'))).toContain('Signature is Valid.');
      const check = await b.api['documents.check']({ pdfBase64: foreign.base64 });
      expect(check.verdict).toBe('unknown');
      expect(check.reasons.map((r) => r.text).join('\n')).toMatch(/Signé par un autre certificat que ceux de cet organisme/);
      expect(check.signer).toMatch(/^CN=Les Ateliers du Sillon/);
    } finally {
      await other.cleanup();
    }

    const doc = await b.api['documents.blankSheet']({ sessionId: await sessionId(b), weekStart: MONDAY });
    expect((await b.api['documents.check']({ code: `sillon:verify:${doc.printId}:${doc.shortHash}` })).verdict).toBe('authentic');
    expect((await b.api['documents.check']({ code: doc.shortHash })).verdict).toBe('authentic'); // the code under the QR
    expect((await b.api['documents.verify']({ shortHash: `sillon:verify:${doc.shortHash}` })).status).toBe('unchanged'); // older QR codes
    const wrongId = await b.api['documents.check']({ code: `sillon:verify:01900000-0000-7000-8000-000000000000:${doc.shortHash}` });
    expect(wrongId.verdict).toBe('unknown');
    const bad = await b.api['documents.check']({}).catch((e: { api: unknown }) => e.api);
    expect(bad).toMatchObject({ code: 'validation', issues: [{ path: 'code' }] });
    const notPdf = await b.api['documents.check']({ pdfBase64: Buffer.from('bonjour').toString('base64') });
    expect(notPdf).toMatchObject({ verdict: 'unknown', reasons: [{ ok: false, text: "Ce fichier n'est pas un PDF." }] });
  });

  it('keeps the signing key sealed: never in clear in the database file', async () => {
    await b.api['documents.blankSheet']({ sessionId: await sessionId(b), weekStart: MONDAY });
    const row = b.raw.prepare('SELECT key_sealed FROM signing_certificates').get() as { key_sealed: string };
    expect(row.key_sealed).toMatch(/^v1:/);
    const pem = new FileKeySecretStore(join(b.dataDir, 'sync.key')).open(row.key_sealed);
    expect(pem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    const body = pem.split('\n')[1]!; // 64 characters of the key itself
    const modulusHex = (forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey).d.toString(16);
    const exponent = Buffer.from(modulusHex.length % 2 ? `0${modulusHex}` : modulusHex, 'hex');
    b.raw.pragma('wal_checkpoint(TRUNCATE)');
    const files = readdirSync(b.dataDir).filter((f) => f.startsWith('sillon') || f.endsWith('.db') || f.includes('.db-'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = readFileSync(join(b.dataDir, f));
      expect(bytes.includes('PRIVATE KEY'), f).toBe(false);
      expect(bytes.includes(body), f).toBe(false);
      expect(bytes.includes(exponent.subarray(0, 32)), f).toBe(false); // nor its private exponent in binary
    }
  });

  it('an imported .p12 signs every later print; earlier prints stay authentic', async () => {
    const before = await b.api['documents.blankSheet']({ sessionId: await sessionId(b), weekStart: MONDAY });
    const { base64, cn } = providerP12('s3cret');
    const wrong = await b.api['documents.importCertificate']({ p12Base64: base64, password: 'faux' }).catch((e: { api: unknown }) => e.api);
    expect(wrong).toMatchObject({ code: 'validation', issues: [{ path: 'password' }] });
    const imported = await b.api['documents.importCertificate']({ p12Base64: base64, password: 's3cret' });
    expect(imported).toMatchObject({ source: 'imported', subject: `CN=${cn}, O=Les Ateliers du Sillon, C=FR`, issuer: 'CN=Prestataire de confiance CA, C=FR', notAfter: '2028-01-01T00:00:00.000Z' });
    expect(await b.api['documents.certificate']({})).toEqual(imported);

    const after = await b.api['documents.attendanceSheet']({ sessionId: await sessionId(b), weekStart: '2026-11-16' });
    const report = pdfsig(Buffer.from(after.base64, 'base64'));
    expect(report).toContain(`Signer Certificate Common Name: ${cn}`);
    expect(report).toContain('Signature Validation: Signature is Valid.');
    const check = await b.api['documents.check']({ pdfBase64: after.base64 });
    expect(check.verdict).toBe('authentic');
    expect(check.reasons[1]!.text).toMatch(/certificat de cet organisme \(importé\)/);
    expect((await b.api['documents.check']({ pdfBase64: before.base64 })).verdict).toBe('authentic');
  }, 60_000);
});

describe('cli print', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sillon-cli-print-'));
    dirs.push(dataDir);
    cpSync(template, dataDir, { recursive: true });
  });

  it('writes a signed week sheet (exit 0), and refuses a bad --week in French naming the option', async () => {
    const t = await startBackend(dataDir, { lock: false });
    const session = (await t.dispatch('sessions.list', {})) as { ok: true; value: { id: string; label: string }[] };
    const enrolments = ((await t.dispatch('sessions.get', { id: session.value.find((s) => s.label.includes('étoiles'))!.id })) as { ok: true; value: { enrolments: { id: string }[] } }).value.enrolments;
    const id = session.value.find((s) => s.label.includes('étoiles'))!.id;
    await t.close();

    const out = join(dataDir, 'feuille.pdf');
    const ok = await runCli(['print', 'week-sheet', '--session', id, '--week', '2026-11-18', '--out', out], dataDir);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^Document signé écrit dans .*feuille\.pdf \(\d+ Ko, empreinte [0-9a-f]{12}/);
    expect(existsSync(out)).toBe(true);
    expect(pdfsig(readFileSync(out))).toContain('Signature Validation: Signature is Valid.');

    const statement = join(dataDir, 'releve.pdf');
    const st = await runCli(['print', 'statement', '--enrolment', enrolments[0]!.id, '--month', '2026-11', '--out', statement], dataDir);
    expect(st.code, st.stderr).toBe(0);
    expect(pdfsig(readFileSync(statement))).toContain('Signature is Valid.');

    const badWeek = await runCli(['print', 'blank-sheet', '--session', id, '--week', '2026-13-45', '--out', out], dataDir);
    expect(badWeek.code).toBe(1);
    expect(badWeek.stderr).toContain('Erreur : Option --week invalide « 2026-13-45 » : date AAAA-MM-JJ attendue');
    const noOut = await runCli(['print', 'blank-sheet', '--session', id, '--week', '2026-11-23'], dataDir);
    expect(noOut.code).toBe(1);
    expect(noOut.stderr).toContain('Option --out manquante');
    const badKind = await runCli(['print', 'certificat', '--out', out], dataDir);
    expect(badKind.code).toBe(1);
    expect(badKind.stderr).toContain('Document à imprimer inconnu « certificat »');
    const help = await runCli(['help'], dataDir);
    expect(help.stdout).toContain('print week-sheet --session ID --week AAAA-MM-JJ --out F.pdf');
  }, 240_000);
});
