import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../shared/errors';
import { api, asApiError } from '../api';
import { ErrorBanner, Loading, SubmitButton, SuccessBanner } from '../components/Feedback';
import { Field } from '../components/Field';
import { FileInput } from '../components/FileInput';
import { readAsBase64 } from '../lib/files';
import { formatDate } from '../lib/format';
import { useQuery } from '../lib/useQuery';

/**
 * « Certificat de signature des documents »: the certificate every printed PDF is signed with (self-signed by
 * Sillon on the first print, or imported from a trust provider: a .p12/.pfx and its password), with what a
 * reader's PDF software shows of it (subject, issuer, validity, SHA-256 fingerprint).
 */
export function SigningCertificatePanel() {
  const { t } = useTranslation();
  const titleId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const cert = useQuery(() => api['documents.certificate'](), []);
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<unknown>, message: string) {
    setBusy(true);
    setDone('');
    setError(undefined);
    try {
      await action();
      await cert.reload();
      setDone(message);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  async function importP12(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      await api['documents.importCertificate']({ p12Base64: file ? await readAsBase64(file) : '', password });
      setFile(null);
      setPassword('');
      if (fileRef.current) fileRef.current.value = '';
    }, t('signingCertificate.imported'));
  }

  const fieldError = (...paths: string[]) => {
    const issue = error?.issues?.find((i) => paths.includes(i.path));
    return issue ? { message: issue.message } : undefined;
  };
  const c = cert.data;

  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('signingCertificate.title')}</h2>
      <p className="muted">{t('signingCertificate.intro')}</p>
      <ErrorBanner error={cert.error} />
      <SuccessBanner>{done}</SuccessBanner>
      {cert.loading && c === undefined ? <Loading /> : null}
      {c ? (
        <dl className="facts">
          <div>
            <dt>{t('signingCertificate.source')}</dt>
            <dd>{t(`signingCertificate.sources.${c.source}`)}</dd>
          </div>
          <div className="span-all">
            <dt>{t('signingCertificate.subject')}</dt>
            <dd>{c.subject}</dd>
          </div>
          <div className="span-all">
            <dt>{t('signingCertificate.issuer')}</dt>
            <dd>{c.source === 'self-signed' && c.issuer === c.subject ? t('signingCertificate.selfIssued') : c.issuer}</dd>
          </div>
          <div>
            <dt>{t('signingCertificate.validity')}</dt>
            <dd>{t('signingCertificate.validityRange', { from: formatDate(c.notBefore.slice(0, 10)), to: formatDate(c.notAfter.slice(0, 10)) })}</dd>
          </div>
          <div className="span-all">
            <dt>{t('signingCertificate.fingerprint')}</dt>
            <dd><code className="fingerprint">{c.fingerprint}</code></dd>
          </div>
        </dl>
      ) : null}
      {c === null ? (
        <div className="form-footer">
          <p className="muted">{t('signingCertificate.none')}</p>
          <button type="button" className="btn" disabled={busy} onClick={() => void run(() => api['documents.ensureCertificate'](), t('signingCertificate.created'))}>
            {t('signingCertificate.create')}
          </button>
        </div>
      ) : null}
      <form className="form signing-import" onSubmit={(e) => void importP12(e)} noValidate aria-labelledby={`${titleId}-import`}>
        <h3 id={`${titleId}-import`}>{t('signingCertificate.importTitle')}</h3>
        <p className="muted">{t('signingCertificate.importIntro')}</p>
        <ErrorBanner error={error && !error.issues?.length ? error : undefined} />
        <div className="grid grid-2">
          <Field label={t('signingCertificate.file')} error={fieldError('file', 'p12Base64')} required>
            {(p) => <FileInput {...p} ref={fileRef} accept=".p12,.pfx,application/x-pkcs12" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
          </Field>
          <Field label={t('signingCertificate.password')} error={fieldError('password')}>
            {(p) => <input {...p} type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />}
          </Field>
        </div>
        <div className="form-footer">
          <span />
          <SubmitButton busy={busy}>{t('signingCertificate.import')}</SubmitButton>
        </div>
      </form>
    </section>
  );
}
