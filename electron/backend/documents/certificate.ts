import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { AppError } from '../../../shared/errors';
import { inTransaction, type Ctx } from '../context';
import { sha256 } from '../evidence/hash';
import type { SecretStore } from '../sync/secret-store';
import { organisationHeader } from './common-model';

/**
 * The certificate that signs every PDF Sillon prints. On first need Sillon makes one for the organisation
 * (RSA 2048, self-signed, valid {@link SELF_SIGNED_YEARS} years, subject = the organisation's name and SIRET);
 * the organisation can import one from a trust provider (.p12/.pfx), which then signs. The private key is
 * sealed by the secret store (like the sync tokens: safeStorage in the app, a key file in CLI and tests)
 * and never written in clear. The newest row signs; older rows stay, so that documents they signed are still
 * recognised as this organisation's.
 */

export const SELF_SIGNED_YEARS = 5;

export type CertificateSource = 'self-signed' | 'imported';

/** What the organisation page shows, and what the verification names. */
export interface CertificateView {
  id: string;
  source: CertificateSource;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the certificate's DER, upper-case hex pairs separated by ':' as PDF readers show it. */
  fingerprint: string;
  createdAt: string;
}

/** A certificate ready to sign: its key opened from the secret store. */
export interface SigningIdentity {
  view: CertificateView;
  certificate: forge.pki.Certificate;
  /** Intermediate certificates of an imported one (none when self-signed). */
  chain: forge.pki.Certificate[];
  key: forge.pki.rsa.PrivateKey;
}

interface CertificateRow {
  id: string;
  source: CertificateSource;
  certificate_pem: string;
  chain_pem: string;
  key_sealed: string;
  subject: string;
  issuer: string;
  not_before: string;
  not_after: string;
  fingerprint_sha256: string;
  created_at: string;
}

/** SHA-256 of a certificate's DER, lower-case hex (as stored). */
export function certificateFingerprint(cert: forge.pki.Certificate): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  return sha256(Buffer.from(der, 'binary'));
}

/** "AB:CD:…" for people. */
export function displayFingerprint(hex: string): string {
  return hex.toUpperCase().match(/../g)!.join(':');
}

/** "CN=…, O=…, OU=…": the names as PDF readers show them. */
export function distinguishedName(attributes: forge.pki.CertificateField[]): string {
  return attributes.map((a) => `${a.shortName ?? a.name ?? a.type}=${readable(a)}`).join(', ');
}

/** A parsed certificate keeps UTF-8 names as raw bytes; one made here holds JavaScript text. */
function readable(a: forge.pki.CertificateField): string {
  const value = String(a.value);
  if ((a.valueTagClass as unknown) !== forge.asn1.Type.UTF8 || [...value].some((ch) => ch.charCodeAt(0) > 0xff)) return value;
  try {
    return forge.util.decodeUtf8(value);
  } catch {
    return value;
  }
}

function view(row: CertificateRow): CertificateView {
  return {
    id: row.id, source: row.source, subject: row.subject, issuer: row.issuer, notBefore: row.not_before, notAfter: row.not_after,
    fingerprint: displayFingerprint(row.fingerprint_sha256), createdAt: row.created_at,
  };
}

async function rows(ctx: Ctx): Promise<CertificateRow[]> {
  const list = await ctx.db.selectFrom('signingCertificates').selectAll().orderBy('createdAt', 'desc').orderBy('id', 'desc').execute();
  return list.map((r) => ({
    id: r.id, source: r.source, certificate_pem: r.certificatePem, chain_pem: r.chainPem, key_sealed: r.keySealed, subject: r.subject,
    issuer: r.issuer, not_before: r.notBefore, not_after: r.notAfter, fingerprint_sha256: r.fingerprintSha256, created_at: r.createdAt,
  }));
}

/** The certificate that signs now (null: none made yet). */
export async function currentCertificate(ctx: Ctx): Promise<CertificateView | null> {
  const [row] = await rows(ctx);
  return row ? view(row) : null;
}

/** The certificate of this organisation with this fingerprint (lower-case hex), current or past. */
export async function certificateByFingerprint(ctx: Ctx, fingerprintHex: string): Promise<CertificateView | null> {
  const row = (await rows(ctx)).find((r) => r.fingerprint_sha256 === fingerprintHex);
  return row ? view(row) : null;
}

async function insert(ctx: Ctx, secrets: SecretStore, source: CertificateSource, cert: forge.pki.Certificate, chain: forge.pki.Certificate[], key: forge.pki.rsa.PrivateKey): Promise<CertificateView> {
  const row: CertificateRow = {
    id: ctx.newId(), source,
    certificate_pem: forge.pki.certificateToPem(cert),
    chain_pem: chain.map((c) => forge.pki.certificateToPem(c)).join(''),
    key_sealed: secrets.seal(forge.pki.privateKeyToPem(key)),
    subject: distinguishedName(cert.subject.attributes),
    issuer: distinguishedName(cert.issuer.attributes),
    not_before: cert.validity.notBefore.toISOString(),
    not_after: cert.validity.notAfter.toISOString(),
    fingerprint_sha256: certificateFingerprint(cert),
    created_at: ctx.now().toISOString(),
  };
  await ctx.db.insertInto('signingCertificates').values({
    id: row.id, source, certificatePem: row.certificate_pem, chainPem: row.chain_pem, keySealed: row.key_sealed, subject: row.subject, issuer: row.issuer,
    notBefore: row.not_before, notAfter: row.not_after, fingerprintSha256: row.fingerprint_sha256, createdAt: row.created_at, createdBy: ctx.user.id,
  }).execute();
  return view(row);
}

const utf8 = forge.asn1.Type.UTF8;

/** A self-signed certificate for the organisation: RSA 2048 (made by Node's native crypto), SHA-256. */
async function makeSelfSigned(ctx: Ctx, secrets: SecretStore): Promise<CertificateView> {
  const organisation = await organisationHeader(ctx);
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  // A positive serial: a leading byte below 0x80.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  const now = ctx.now();
  cert.validity.notBefore = now;
  const until = new Date(now.getTime());
  until.setUTCFullYear(until.getUTCFullYear() + SELF_SIGNED_YEARS);
  cert.validity.notAfter = until;
  const names = [
    { name: 'commonName', value: organisation.name, valueTagClass: utf8 },
    { name: 'organizationName', value: organisation.name, valueTagClass: utf8 },
    { shortName: 'OU', value: `SIRET ${organisation.siret}`, valueTagClass: utf8 },
    { name: 'countryName', value: 'FR' },
  ] as forge.pki.CertificateField[];
  cert.setSubject(names);
  cert.setIssuer(names);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return insert(ctx, secrets, 'self-signed', cert, [], key);
}

function open(row: CertificateRow, secrets: SecretStore): SigningIdentity {
  let keyPem: string;
  try {
    keyPem = secrets.open(row.key_sealed);
  } catch {
    throw new AppError('business', "La clé du certificat de signature ne peut pas être ouverte sur ce poste (clé de chiffrement différente). Importez de nouveau le certificat de l'organisme dans la page Organisme.");
  }
  const chain = row.chain_pem ? (row.chain_pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((p) => forge.pki.certificateFromPem(p)) : [];
  return { view: view(row), certificate: forge.pki.certificateFromPem(row.certificate_pem), chain, key: forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey };
}

/** The identity that signs now, made (self-signed) on first need. */
export async function signingIdentity(ctx: Ctx, secrets: SecretStore): Promise<SigningIdentity> {
  return inTransaction(ctx, async (tx) => {
    let [row] = await rows(tx);
    if (!row) {
      await makeSelfSigned(tx, secrets);
      [row] = await rows(tx);
    }
    return open(row!, secrets);
  });
}

/**
 * Imports a certificate from a trust provider: a PKCS#12 file (.p12/.pfx) and its password. Its RSA key and
 * the certificate that matches it sign every document printed from now on. Errors name the field.
 */
export async function importCertificate(ctx: Ctx, secrets: SecretStore, input: { p12Base64: string; password: string }): Promise<CertificateView> {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const der = forge.util.createBuffer(Buffer.from(input.p12Base64, 'base64').toString('binary'));
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), false, input.password);
  } catch (e) {
    const wrongPassword = /mac|password|invalid/i.test((e as Error).message);
    throw new AppError(
      'validation',
      wrongPassword ? 'Mot de passe du certificat incorrect, ou fichier .p12/.pfx altéré.' : 'Fichier de certificat illisible : un fichier PKCS#12 (.p12 ou .pfx) est attendu.',
      [{ path: wrongPassword ? 'password' : 'file', message: wrongPassword ? 'Mot de passe incorrect.' : 'Fichier .p12/.pfx attendu.' }],
    );
  }
  const oids = forge.pki.oids as Record<string, string>;
  const bags = (type: string): forge.pkcs12.Bag[] => p12.getBags({ bagType: type })[type] ?? [];
  const keyBag = [...bags(oids.pkcs8ShroudedKeyBag!), ...bags(oids.keyBag!)][0];
  const key = keyBag?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key || !('n' in key)) {
    throw new AppError('validation', 'Le fichier ne contient pas de clé privée RSA : Sillon signe avec une clé RSA (demandez ce format à votre prestataire).', [{ path: 'file', message: 'Clé privée RSA absente.' }]);
  }
  const certs = bags(oids.certBag!).map((b) => b.cert).filter((c): c is forge.pki.Certificate => !!c);
  const own = certs.find((c: forge.pki.Certificate) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.compareTo(key.n) === 0 && pub.e.compareTo(key.e) === 0;
  });
  if (!own) throw new AppError('validation', 'Aucun certificat du fichier ne correspond à sa clé privée.', [{ path: 'file', message: 'Certificat et clé ne correspondent pas.' }]);
  const now = ctx.now();
  if (own.validity.notAfter < now || own.validity.notBefore > now) {
    throw new AppError('validation', `Ce certificat n'est pas valide aujourd'hui (valide du ${own.validity.notBefore.toISOString().slice(0, 10)} au ${own.validity.notAfter.toISOString().slice(0, 10)}).`, [{ path: 'file', message: 'Certificat hors de sa période de validité.' }]);
  }
  const fingerprint = certificateFingerprint(own);
  const existing = await ctx.db.selectFrom('signingCertificates').select('id').where('fingerprintSha256', '=', fingerprint).executeTakeFirst();
  if (existing) throw new AppError('conflict', 'Ce certificat est déjà importé.', [{ path: 'file', message: 'Certificat déjà importé.' }]);
  return inTransaction(ctx, (tx) => insert(tx, secrets, 'imported', own, certs.filter((c: forge.pki.Certificate) => c !== own), key));
}
