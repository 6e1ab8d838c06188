import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../shared/errors';

/** The backend's (or the form's) French sentence, announced at once and focusable so it is not missed. */
export function ErrorBanner({ error, title }: { error: ApiError | null | undefined; title?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  // A refusal that names no field gets the focus; otherwise the named field has it already.
  useEffect(() => {
    if (error && error.code !== 'validation' && !error.issues?.length) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  return (
    <div className="banner banner-error" role="alert" tabIndex={-1} ref={ref}>
      <strong className="banner-title">{title ?? t('common.errorTitle')}</strong>
      <span className="banner-text">{error.message}</span>
    </div>
  );
}

export function SuccessBanner({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <div className="banner banner-success" role="status">
      {children}
    </div>
  );
}

/** The "Chargement…" placeholder of anything slow; the region it stands for carries aria-busy. */
export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

/** A submit button that says it is working and cannot be pressed twice. */
export function SubmitButton({ busy, children, className }: { busy: boolean; children: ReactNode; className?: string }) {
  const { t } = useTranslation();
  return (
    <button type="submit" className={className ?? 'btn btn-primary'} disabled={busy} aria-busy={busy || undefined}>
      {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
      {busy ? t('common.saving') : children}
    </button>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
