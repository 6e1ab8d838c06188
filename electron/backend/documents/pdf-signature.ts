import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import forge from 'node-forge';
import type { PDFDocument } from 'pdf-lib';
import { certificateFingerprint, distinguishedName, type SigningIdentity } from './certificate';

/**
 * PAdES-style signatures of printed PDFs (SubFilter ETSI.CAdES.detached): @signpdf's pdf-lib placeholder,
 * then a CMS SignedData made with node-forge over the byte range. The signed attributes are those of PAdES
 * baseline B-B: content-type, message-digest and signing-certificate-v2 (ESS, which node-forge does not make:
 * added below and the signature computed again); no CMS signing-time (PAdES wants the dictionary's /M, which
 * comes from the backend's clock). Any PDF reader then tells whether the file changed since it was issued.
 */

const OID_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';
const asn1 = forge.asn1;

const nativeKeys = new WeakMap<forge.pki.rsa.PrivateKey, KeyObject>();

/**
 * RSASSA-PKCS1-v1_5 with SHA-256 over `data` by Node's native RSA (OpenSSL), not node-forge's JavaScript
 * big numbers (about 40 ms a signature on a 2-core machine, against well under 1 ms): the same bytes, since
 * PKCS#1 v1.5 signatures are deterministic. Returns them as forge's binary string.
 */
function rsaSign(key: forge.pki.rsa.PrivateKey, data: string): string {
  let native = nativeKeys.get(key);
  if (!native) nativeKeys.set(key, (native = createPrivateKey(forge.pki.privateKeyToPem(key))));
  return sign('sha256', Buffer.from(data, 'binary'), native).toString('binary');
}

/** A CMS signer over one identity (key opened from the secret store). */
class IdentitySigner extends Signer {
  readonly #identity: SigningIdentity;

  constructor(identity: SigningIdentity) {
    super();
    this.#identity = identity;
  }

  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    const { certificate, chain, key } = this.#identity;
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(pdfBuffer.toString('binary'));
    p7.addCertificate(certificate);
    for (const c of chain) p7.addCertificate(c);
    // node-forge computes a first signature over its two attributes; it is replaced below (with the ESS
    // attribute added), so that one is not worth an RSA operation.
    const placeholderKey = { sign: () => '' } as unknown as forge.pki.rsa.PrivateKey;
    p7.addSigner({
      key: placeholderKey, certificate, digestAlgorithm: forge.pki.oids.sha256!,
      authenticatedAttributes: [{ type: forge.pki.oids.contentType!, value: forge.pki.oids.data! }, { type: forge.pki.oids.messageDigest! }],
    });
    p7.sign({ detached: true });

    // ESS signing-certificate-v2: SEQUENCE { SEQUENCE OF ESSCertIDv2 { certHash (SHA-256, the default) } }.
    const certHash = Buffer.from(fingerprintOf(certificate), 'hex').toString('binary');
    const signingCertificate = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(OID_SIGNING_CERTIFICATE_V2).getBytes()),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
          asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
            asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, certHash)]),
          ]),
        ]),
      ]),
    ]);
    const signer = (p7 as unknown as { signers: { authenticatedAttributesAsn1: forge.asn1.Asn1 }[] }).signers[0]!;
    const attrs = signer.authenticatedAttributesAsn1.value as forge.asn1.Asn1[];
    // Appended last keeps the DER order of the SET (its encoding, 30 37…, sorts after the other two).
    attrs.push(signingCertificate);
    const signature = rsaSign(key, asn1.toDer(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, attrs)).getBytes());
    const signerInfo = (p7 as unknown as { signerInfos: forge.asn1.Asn1[] }).signerInfos[0]!;
    // node-forge re-encodes the issuer's UTF-8 names of a parsed certificate (twice encoded: "Ã©" for "é"),
    // so no verifier would find the signer: the issuer is taken as is from the certificate's own DER.
    const issuerAndSerial = (signerInfo.value as forge.asn1.Asn1[])[1]!;
    (issuerAndSerial.value as forge.asn1.Asn1[])[0] = issuerNameOf(certificate);
    const encryptedDigest = (signerInfo.value as forge.asn1.Asn1[]).find((v) => v.tagClass === asn1.Class.UNIVERSAL && v.type === asn1.Type.OCTETSTRING)!;
    encryptedDigest.value = signature;
    return Buffer.from(asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
  }
}

// Per certificate object: an identity opened once signs a whole batch (the claim's documents).
const fingerprints = new WeakMap<forge.pki.Certificate, string>();
const issuers = new WeakMap<forge.pki.Certificate, forge.asn1.Asn1>();
function fingerprintOf(cert: forge.pki.Certificate): string {
  let f = fingerprints.get(cert);
  if (f === undefined) fingerprints.set(cert, (f = certificateFingerprint(cert)));
  return f;
}
function issuerNameOf(cert: forge.pki.Certificate): forge.asn1.Asn1 {
  let name = issuers.get(cert);
  if (!name) issuers.set(cert, (name = issuerName(cert)));
  // A fresh copy: the SignedData built around it is its own tree.
  return asn1.fromDer(asn1.toDer(name).getBytes());
}

/** The issuer Name exactly as encoded in the certificate (tbsCertificate: [version], serial, algorithm, issuer…). */
function issuerName(cert: forge.pki.Certificate): forge.asn1.Asn1 {
  const tbs = asn1.fromDer(asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes()).value as forge.asn1.Asn1[];
  const fields = (tbs[0]!.value as forge.asn1.Asn1[]);
  const first = fields[0]!;
  return fields[first.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 3 : 2]!;
}

export interface SignatureMeta {
  name: string;
  reason: string;
  location: string;
  contactInfo: string;
  /** The backend's clock: the dictionary's /M. */
  at: Date;
}

/** Adds the signature field to the finished document, saves it and signs the bytes. */
export async function signPdf(doc: PDFDocument, identity: SigningIdentity, meta: SignatureMeta): Promise<Uint8Array> {
  pdflibAddPlaceholder({
    pdfDoc: doc, reason: meta.reason, contactInfo: meta.contactInfo, name: meta.name, location: meta.location, signingTime: meta.at,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED, appName: 'Sillon',
  });
  const unsigned = Buffer.from(await doc.save({ useObjectStreams: false }));
  return new Uint8Array(await new SignPdf().sign(unsigned, new IdentitySigner(identity), meta.at));
}

/** What a PDF's signature says, checked without any network (digest, CMS signature, who signed). */
export interface SignatureInspection {
  /** No signature dictionary found (or not readable). */
  present: boolean;
  subFilter: string | null;
  /** The signed bytes' SHA-256 equals the CMS message-digest. */
  digestMatches: boolean;
  /** The CMS signature over the signed attributes verifies with the signer's public key. */
  signatureValid: boolean;
  /** The byte range covers the whole file except the signature itself (nothing appended after signing). */
  coversWholeFile: boolean;
  /** Lower-case hex SHA-256 of the signer's certificate. */
  signerFingerprint: string | null;
  signerSubject: string | null;
  /** The dictionary's /M (ISO), when readable. */
  signedAt: string | null;
  /** Why it could not be read, when it could not (French). */
  problem: string | null;
}

const NONE: SignatureInspection = {
  present: false, subFilter: null, digestMatches: false, signatureValid: false, coversWholeFile: false, signerFingerprint: null, signerSubject: null,
  signedAt: null, problem: null,
};

/** Reads the last signature of a PDF and checks it. Never throws: what cannot be read is said in `problem`. */
export function inspectSignature(pdf: Buffer): SignatureInspection {
  const text = pdf.toString('latin1');
  const at = text.lastIndexOf('/ByteRange');
  if (at < 0) return { ...NONE, problem: "Ce PDF ne porte aucune signature électronique." };
  const range = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text.slice(at, at + 120));
  if (!range) return { ...NONE, present: true, problem: 'La signature du PDF est illisible (plage d’octets signée).' };
  const [a, b, c, d] = range.slice(1, 5).map(Number) as [number, number, number, number];
  const dictStart = text.lastIndexOf('<<', at);
  const subFilter = /\/SubFilter\s*\/([A-Za-z0-9.]+)/.exec(text.slice(dictStart, a + b + (c - a - b) + 2000))?.[1] ?? null;
  const m = /\/M\s*\(D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'?\d{2}'?)?/.exec(text.slice(dictStart, dictStart + 20000));
  const signedAt = m ? isoFromPdfDate(m) : null;
  const base = { ...NONE, present: true, subFilter, signedAt };
  if (a !== 0 || b <= 0 || c <= a + b || c + d > pdf.length) return { ...base, problem: 'La plage d’octets signée ne correspond pas au fichier.' };
  const coversWholeFile = c + d === pdf.length;
  const hex = text.slice(a + b, c).replace(/[<>\s]/g, '').replace(/(00)+$/, '');
  let cms: forge.pkcs7.PkcsSignedData;
  try {
    cms = forge.pkcs7.messageFromAsn1(asn1.fromDer(forge.util.createBuffer(Buffer.from(hex, 'hex').toString('binary')))) as forge.pkcs7.PkcsSignedData;
  } catch {
    return { ...base, coversWholeFile, problem: 'La signature du PDF est illisible (structure CMS).' };
  }
  const signedData = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
  const digest = createHash('sha256').update(signedData).digest();

  const raw = (cms as unknown as { rawCapture: { signerInfos?: forge.asn1.Asn1[] } }).rawCapture;
  const signerInfo = raw.signerInfos?.[0];
  if (!signerInfo) return { ...base, coversWholeFile, problem: 'La signature du PDF ne nomme aucun signataire.' };
  const parts = signerInfo.value as forge.asn1.Asn1[];
  const attrs = parts.find((p) => p.tagClass === asn1.Class.CONTEXT_SPECIFIC && p.type === 0);
  const signature = parts.find((p) => p.tagClass === asn1.Class.UNIVERSAL && p.type === asn1.Type.OCTETSTRING);
  if (!attrs || !signature) return { ...base, coversWholeFile, problem: 'La signature du PDF est illisible (attributs signés).' };
  let messageDigest: string | null = null;
  for (const attr of attrs.value as forge.asn1.Asn1[]) {
    const [oid, set] = attr.value as forge.asn1.Asn1[];
    if (oid && asn1.derToOid(oid.value as string) === forge.pki.oids.messageDigest) {
      messageDigest = ((set!.value as forge.asn1.Asn1[])[0]!.value as string) ?? null;
    }
  }
  const digestMatches = messageDigest !== null && Buffer.from(messageDigest, 'binary').equals(digest);

  const md = forge.md.sha256.create();
  md.update(asn1.toDer(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, attrs.value as forge.asn1.Asn1[])).getBytes());
  const attrsDigest = md.digest().getBytes();
  let signer: forge.pki.Certificate | null = null;
  for (const cert of cms.certificates ?? []) {
    try {
      if ((cert.publicKey as forge.pki.rsa.PublicKey).verify(attrsDigest, signature.value as string)) {
        signer = cert;
        break;
      }
    } catch {
      // Not this certificate's key (or not RSA): try the next one.
    }
  }
  return {
    ...base, coversWholeFile, digestMatches, signatureValid: signer !== null,
    signerFingerprint: signer ? certificateFingerprint(signer) : null,
    signerSubject: signer ? distinguishedName(signer.subject.attributes) : null,
  };
}

function isoFromPdfDate(m: RegExpExecArray): string | null {
  const [, y, mo, d, h, mi, s, zone] = m;
  const offset = !zone || zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.replace(/'/g, '').slice(3, 5)}`;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}
