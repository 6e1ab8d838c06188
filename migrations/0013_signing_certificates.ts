import type { Migration } from './index';

/**
 * Issue #9 (§3): the certificates that sign every printed PDF. Sillon makes a self-signed one for the
 * organisation on first need; the organisation may import one from a trust provider (.p12/.pfx), which then
 * signs. Rows are never changed: the newest row signs, older ones stay so that documents they signed are
 * still recognised as this organisation's. The private key is stored sealed by the app's secret store (like
 * the sync tokens), never in clear.
 */
export const signingCertificates: Migration = {
  version: 13,
  name: 'signing-certificates',
  sql: `
CREATE TABLE signing_certificates (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL CHECK (source IN ('self-signed', 'imported')),
  certificate_pem TEXT NOT NULL,
  chain_pem TEXT NOT NULL DEFAULT '',
  key_sealed TEXT NOT NULL,
  subject TEXT NOT NULL,
  issuer TEXT NOT NULL,
  not_before TEXT NOT NULL,
  not_after TEXT NOT NULL,
  fingerprint_sha256 TEXT NOT NULL UNIQUE CHECK (length(fingerprint_sha256) = 64),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT;
CREATE INDEX signing_certificates_created ON signing_certificates (created_at, id);
CREATE TRIGGER signing_certificates_append_only_u BEFORE UPDATE ON signing_certificates
  BEGIN SELECT RAISE(ABORT, 'signing_certificates: append-only, a new certificate supersedes'); END;
`,
};
