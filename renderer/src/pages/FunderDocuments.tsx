import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../shared/errors';
import type { FunderDocumentInput } from '../../../shared/schemas/organisation';
import { api, asApiError } from '../api';
import { ErrorBanner, Loading, SubmitButton, SuccessBanner } from '../components/Feedback';
import { Field } from '../components/Field';
import { readAsBase64 } from '../lib/files';
import { useQuery } from '../lib/useQuery';

const LOGO_TYPES = ['image/png', 'image/jpeg'] as const;

/**
 * « Documents des financeurs »: for each funder, the logo and the required mentions (the FSE+ co-funding
 * notice…) printed on the sheets and statements of the trainees it funds (`organisation.saveFunderDocument`).
 */
export function FunderDocumentsPanel() {
  const { t } = useTranslation();
  const titleId = useId();
  const list = useQuery(() => api['organisation.funderDocuments'](), []);
  const [code, setCode] = useState('');
  const [mentions, setMentions] = useState('');
  const [logo, setLogo] = useState<FunderDocumentInput['logo']>(undefined);
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const current = list.data?.find((f) => f.funderCode === code);

  useEffect(() => {
    setMentions(current?.mentions ?? '');
    setLogo(undefined);
    setError(undefined);
  }, [current]);

  async function pick(file: File | undefined) {
    if (!file) return;
    if (!(LOGO_TYPES as readonly string[]).includes(file.type)) {
      setError({ code: 'validation', message: t('funderDocuments.logoType'), issues: [{ path: 'logo', message: t('funderDocuments.logoType') }] });
      return;
    }
    setError(undefined);
    setLogo({ mime: file.type as (typeof LOGO_TYPES)[number], base64: await readAsBase64(file) });
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setDone('');
    try {
      await api['organisation.saveFunderDocument']({ funderCode: code, mentions: mentions || null, ...(logo !== undefined ? { logo } : {}) });
      await list.reload();
      setDone(t('funderDocuments.saved'));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (path: string) => (error?.issues?.find((i) => i.path === path) ? { message: error.issues.find((i) => i.path === path)!.message } : undefined);
  const logoState = logo === null ? t('funderDocuments.logoRemoved') : logo ? t('funderDocuments.logoNew') : current?.logo ? t('funderDocuments.logoKept', { type: current.logo.mime === 'image/png' ? 'PNG' : 'JPEG' }) : t('funderDocuments.noLogo');

  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('funderDocuments.title')}</h2>
      <p className="muted">{t('funderDocuments.intro')}</p>
      <ErrorBanner error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <form className="form" onSubmit={(e) => void save(e)} noValidate>
          <ErrorBanner error={error} />
          <SuccessBanner>{done}</SuccessBanner>
          <div className="grid grid-2">
            <Field label={t('funderDocuments.funder')} error={fieldError('funderCode')} required>
              {(p) => (
                <select {...p} value={code} onChange={(e) => { setCode(e.target.value); setDone(''); }}>
                  <option value="">{t('common.choose')}</option>
                  {list.data!.map((f) => (
                    <option key={f.funderCode} value={f.funderCode}>
                      {f.funderName}{f.mentions || f.logo ? ` — ${t('funderDocuments.set')}` : ''}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('funderDocuments.logo')} error={fieldError('logo')} hint={<>{t('funderDocuments.logoHint')} {logoState}</>}>
              {(p) => <input {...p} type="file" accept="image/png,image/jpeg" disabled={!code} onChange={(e) => void pick(e.target.files?.[0])} />}
            </Field>
            <Field label={t('funderDocuments.mentions')} error={fieldError('mentions')} hint={t('funderDocuments.mentionsHint')} className="span-2">
              {(p) => <textarea {...p} rows={3} maxLength={1000} value={mentions} disabled={!code} onChange={(e) => setMentions(e.target.value)} />}
            </Field>
          </div>
          <div className="form-footer">
            {current?.logo && logo !== null ? (
              <button type="button" className="btn" onClick={() => setLogo(null)}>{t('funderDocuments.removeLogo')}</button>
            ) : <span />}
            <SubmitButton busy={busy}>{t('funderDocuments.save')}</SubmitButton>
          </div>
        </form>
      ) : null}
    </section>
  );
}
