import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { api, asApiError } from '../api';
import { ErrorBanner, SubmitButton } from '../components/Feedback';
import { Field } from '../components/Field';
import { FileInput } from '../components/FileInput';
import { PageHeader } from '../components/Layout';
import { readAsBase64 } from '../lib/files';
import { formatDate } from '../lib/format';

type Verdict = MethodOutput<'documents.check'>;

/**
 * « Vérifier un document »: a printed PDF (or the code under its QR code) → authentic / changed / unknown,
 * and why (`documents.check`): the PDF's signature, whose certificate, the print in this database and its
 * ledger entry, its content recomputed today. What an auditor asks the organisation to run.
 */
export function VerifyDocumentPage() {
  const { t } = useTranslation();
  const resultId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [result, setResult] = useState<Verdict | null>(null);
  const resultRef = useRef<HTMLElement>(null);

  async function check(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setResult(null);
    try {
      const input = file ? { pdfBase64: await readAsBase64(file) } : { code };
      const verdict = await api['documents.check'](input);
      setResult(verdict);
      requestAnimationFrame(() => resultRef.current?.focus());
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (path: string) => {
    const issue = error?.issues?.find((i) => i.path === path);
    return issue ? { message: issue.message } : undefined;
  };

  return (
    <div>
      <PageHeader title={t('verifyDocument.title')} intro={t('verifyDocument.intro')} />
      <form className="panel form" onSubmit={(e) => void check(e)} noValidate aria-labelledby="verify-form-title">
        <h2 id="verify-form-title">{t('verifyDocument.formTitle')}</h2>
        <ErrorBanner error={error && !error.issues?.length ? error : undefined} />
        <div className="grid grid-2">
          <Field label={t('verifyDocument.file')} hint={t('verifyDocument.fileHint')} error={fieldError('pdfBase64')}>
            {(p) => (
              <FileInput
                {...p}
                ref={fileRef}
                accept="application/pdf,.pdf"
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  setResult(null);
                  if (e.target.files?.[0]) setCode('');
                }}
              />
            )}
          </Field>
          <Field label={t('verifyDocument.code')} hint={t('verifyDocument.codeHint')} error={fieldError('code')}>
            {(p) => (
              <input
                {...p}
                type="text"
                spellCheck={false}
                autoComplete="off"
                value={code}
                disabled={!!file}
                onChange={(e) => {
                  setCode(e.target.value);
                  setResult(null);
                }}
              />
            )}
          </Field>
        </div>
        <div className="form-footer">
          {file ? (
            <button
              type="button"
              className="btn"
              onClick={() => {
                setFile(null);
                setResult(null);
                if (fileRef.current) fileRef.current.value = '';
              }}
            >
              {t('verifyDocument.clearFile')}
            </button>
          ) : <span />}
          <SubmitButton busy={busy}>{t('verifyDocument.check')}</SubmitButton>
        </div>
      </form>
      {result ? (
        <section className="panel" aria-labelledby={resultId} tabIndex={-1} ref={resultRef} data-verdict={result.verdict}>
          <div className={`banner ${result.verdict === 'authentic' ? 'banner-success' : 'banner-error'}`}>
            <h2 id={resultId} className="result-title">{t(`verifyDocument.verdict.${result.verdict}`)}</h2>
            <p>{result.summary}</p>
          </div>
          <h3>{t('verifyDocument.reasons')}</h3>
          <ul className="verify-reasons">
            {result.reasons.map((r, i) => (
              <li key={i} className={r.ok ? 'reason-ok' : 'reason-ko'}>
                <span aria-hidden="true">{r.ok ? '✓' : '✗'}</span> <span className="visually-hidden">{r.ok ? t('verifyDocument.ok') : t('verifyDocument.ko')}</span>
                {r.text}
              </li>
            ))}
          </ul>
          {result.shortHash || result.signer ? (
            <dl className="facts">
              {result.shortHash ? (
                <div>
                  <dt>{t('verifyDocument.shortHash')}</dt>
                  <dd><code>{result.shortHash}</code></dd>
                </div>
              ) : null}
              {result.issuedAt ? (
                <div>
                  <dt>{t('verifyDocument.issuedAt')}</dt>
                  <dd>{formatDate(result.issuedAt.slice(0, 10))}</dd>
                </div>
              ) : null}
              {result.signer ? (
                <div>
                  <dt>{t('verifyDocument.signer')}</dt>
                  <dd>{result.signer}</dd>
                </div>
              ) : null}
            </dl>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
