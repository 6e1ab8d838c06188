import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArchiveKind } from '../../../shared/contract/archive';
import type { ApiError } from '../../../shared/errors';
import { api, asApiError } from '../api';
import { ErrorBanner } from './Feedback';

/** The methods that archive and list a kind (shared/contract/archive.ts). */
function archiveCall(kind: ArchiveKind, id: string, archived: boolean) {
  if (kind === 'trainee' || kind === 'company' || kind === 'trainer') return api['people.archive']({ kind, id, archived });
  if (kind === 'place' || kind === 'action') return api['catalogue.archive']({ kind, id, archived });
  if (kind === 'receiver') return api['sync.archive']({ kind, id, archived });
  return api['sessions.archive']({ kind, id, archived });
}
function archivedCall(kind: ArchiveKind) {
  if (kind === 'trainee' || kind === 'company' || kind === 'trainer') return api['people.archived']({ kind });
  if (kind === 'place' || kind === 'action') return api['catalogue.archived']({ kind });
  if (kind === 'receiver') return api['sync.archived']({ kind });
  return api['sessions.archived']({ kind });
}

/**
 * "Archiver" in an editor: for a record created by mistake. The backend refuses, saying why, when evidence
 * hangs on it; the refusal shows next to the button.
 */
export function ArchiveButton({ kind, id, name, label, onArchived }: { kind: ArchiveKind; id: string; name: string; label?: string; onArchived: () => void | Promise<void> }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const archive = async () => {
    if (!window.confirm(t('archive.confirm', { name }))) return;
    setBusy(true);
    setError(null);
    try {
      await archiveCall(kind, id, true);
      await onArchived();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="btn btn-ghost" disabled={busy} onClick={() => void archive()}>
        {label ?? t('archive.archive')}
      </button>
      {error ? <div className="span-all"><ErrorBanner error={error} title={t('archive.refusedTitle')} /></div> : null}
    </>
  );
}

/** "Afficher les archivés": the archived records of a kind, each with "Restaurer". */
export function ArchivedRecords({ kind, label, onRestored }: { kind: ArchiveKind; label?: string; onRestored: () => void | Promise<void> }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<{ id: string; label: string }[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const load = async () => {
    try {
      setRows(await archivedCall(kind));
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const restore = async (id: string) => {
    try {
      await archiveCall(kind, id, false);
      await load();
      await onRestored();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <details className="panel archived" onToggle={(e) => { if ((e.target as HTMLDetailsElement).open) void load(); }}>
      <summary>{label ?? t('archive.show')}</summary>
      <ErrorBanner error={error} />
      {rows && rows.length === 0 ? <p className="muted">{t('archive.none')}</p> : null}
      {rows && rows.length > 0 ? (
        <ul>
          {rows.map((r) => (
            <li key={r.id}>
              {r.label}{' '}
              <button type="button" className="btn btn-ghost" onClick={() => void restore(r.id)}>
                {t('archive.restore')}
                <span className="visually-hidden"> {r.label}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </details>
  );
}
