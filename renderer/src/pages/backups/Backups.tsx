import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { DEFAULT_RETENTION, hasBackupOn, lastBackup } from '../../../../shared/domain/backup-retention';
import { todayIn } from '../../../../shared/domain/dates';
import type { ApiError } from '../../../../shared/errors';
import { asLocale, localise } from '../../../../shared/messages';
import { BACKUP_REASON_LABELS, backupPassphrase, exportBackupInput, MIN_PASSPHRASE_LENGTH, type BackupEntry, type BackupVerdict, type RestoreOutcome } from '../../../../shared/schemas/backups';
import { api, asApiError } from '../../api';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { Dialog, DialogActions } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { EmptyState, ErrorBanner, Loading, SuccessBanner } from '../../components/Feedback';
import { PageHeader } from '../../components/Layout';
import i18n from '../../i18n';
import { downloadBase64 } from '../../lib/files';
import { formatDateTime } from '../../lib/format';
import { formResolver, useSubmitState } from '../../lib/forms';
import { useTimeZone } from '../../lib/timeZone';
import { useQuery } from '../../lib/useQuery';
import '../../backups.css';

/**
 * « Sauvegardes » (administrators, route `/sauvegardes`): the retention rule and the last backup (a warning when
 * none was taken today), « Sauvegarder maintenant », and the list of the data folder's backups — the bases a restore
 * replaced included — each with « Vérifier » (the verdict beside the row), « Restaurer… » (a dialog that checks the
 * backup first, says where the current base goes, then restores it in place and reloads the app) and « Exporter… »
 * (a passphrase typed twice, its rule followed live, then the encrypted `.sillonbak` downloaded).
 */

/** Where the outcome of a restore waits for the reloaded page to show it. */
const RESTORED_KEY = 'sillon.backups.restored';

/** The backend's French sentence in the interface's language (shared/messages.ts), when the table knows it. */
const inLanguage = (message: string) => localise(message, asLocale(i18n.language));

/** « Quotidienne », « Avant mise à jour de la base »… from the one French table (shared/schemas/backups.ts). */
function reasonLabel(reason: BackupEntry['reason']): string {
  const text = inLanguage(BACKUP_REASON_LABELS[reason]);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Bytes → « 1,4 Mo » / « 1.4 MB », one decimal at most. */
function useSizeFormat(): (bytes: number) => string {
  const { t } = useTranslation();
  return useMemo(() => {
    const number = new Intl.NumberFormat(t('common.locale'), { maximumFractionDigits: 1 });
    return (bytes: number) => {
      if (bytes < 1024) return t('backups.size.bytes', { value: number.format(bytes) });
      if (bytes < 1024 ** 2) return t('backups.size.kb', { value: number.format(bytes / 1024) });
      if (bytes < 1024 ** 3) return t('backups.size.mb', { value: number.format(bytes / 1024 ** 2) });
      return t('backups.size.gb', { value: number.format(bytes / 1024 ** 3) });
    };
  }, [t]);
}

type CheckState = { state: 'checking' } | { state: 'done'; verdict: BackupVerdict } | { state: 'failed'; error: ApiError };

export function BackupsPage() {
  const { t } = useTranslation();
  const zone = useTimeZone();
  const size = useSizeFormat();
  const list = useQuery(() => api['backups.list'](), []);
  const [checks, setChecks] = useState<Record<string, CheckState>>({});
  const [taking, setTaking] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [restoring, setRestoring] = useState<BackupEntry | null>(null);
  const [exporting, setExporting] = useState<BackupEntry | null>(null);

  // After a restore the app reloaded: its outcome is shown once, here.
  useEffect(() => {
    try {
      const saved = window.sessionStorage.getItem(RESTORED_KEY);
      if (saved) {
        window.sessionStorage.removeItem(RESTORED_KEY);
        setNotice(t('backups.restoredBanner', { message: inLanguage(saved) }));
      }
    } catch {
      // No session storage (a locked-down browser): the outcome was shown in the dialog before the reload.
    }
  }, [t]);

  const entries = useMemo(() => list.data ?? [], [list.data]);
  const last = lastBackup(entries);
  const doneToday = hasBackupOn(entries, todayIn(new Date(), zone), zone);
  const rowName = (e: BackupEntry) => t('backups.rowName', { reason: reasonLabel(e.reason).toLowerCase(), date: formatDateTime(e.takenAt, zone) });

  async function takeNow() {
    setTaking(true);
    setActionError(null);
    setNotice(null);
    try {
      const entry = await api['backups.take']();
      setNotice(t('backups.taken', { file: entry.file, size: size(entry.bytes) }));
      await list.reload();
    } catch (e) {
      setActionError(asApiError(e));
    } finally {
      setTaking(false);
    }
  }

  async function check(entry: BackupEntry) {
    setChecks((c) => ({ ...c, [entry.file]: { state: 'checking' } }));
    try {
      const verdict = await api['backups.check']({ file: entry.file });
      setChecks((c) => ({ ...c, [entry.file]: { state: 'done', verdict } }));
    } catch (e) {
      setChecks((c) => ({ ...c, [entry.file]: { state: 'failed', error: asApiError(e) } }));
    }
  }

  const columns = useMemo<DataColumn<BackupEntry>[]>(
    () => [
      { id: 'takenAt', header: t('backups.columns.takenAt'), value: (e) => e.takenAt, cell: (e) => <span className="nowrap">{formatDateTime(e.takenAt, zone)}</span>, rowHeader: true },
      {
        id: 'reason',
        header: t('backups.columns.reason'),
        value: (e) => reasonLabel(e.reason),
        cell: (e) => (
          <>
            {reasonLabel(e.reason)}
            {e.manifest ? null : <span className="cell-sub">{t('backups.noManifest')}</span>}
          </>
        ),
      },
      { id: 'size', header: t('backups.columns.size'), value: (e) => e.bytes, cell: (e) => size(e.bytes), num: true },
      { id: 'schema', header: t('backups.columns.schema'), value: (e) => e.schemaVersion, num: true },
      { id: 'ledger', header: t('backups.columns.ledger'), value: (e) => e.ledgerEntries, cell: (e) => (e.ledgerEntries === null ? '—' : t('backups.entries', { count: e.ledgerEntries, value: new Intl.NumberFormat(t('common.locale')).format(e.ledgerEntries) })), num: true },
      {
        id: 'check',
        header: t('backups.columns.check'),
        noSort: true,
        value: (e) => {
          const c = checks[e.file];
          return c?.state === 'done' ? inLanguage(c.verdict.message) : null;
        },
        cell: (e) => <VerdictCell state={checks[e.file]} />,
        className: 'backup-check-cell',
      },
    ],
    [t, zone, size, checks],
  );

  return (
    <div aria-busy={list.loading || taking}>
      <PageHeader title={t('backups.title')} intro={t('backups.intro')}>
        <button type="button" className="btn btn-primary" onClick={() => void takeNow()} disabled={taking} aria-busy={taking || undefined}>
          {taking ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
          {taking ? t('backups.taking') : t('backups.take')}
        </button>
      </PageHeader>
      {taking ? <Loading label={t('backups.taking')} /> : null}
      <ErrorBanner error={list.error ?? actionError} />
      <SuccessBanner>{notice}</SuccessBanner>
      <section className="panel" aria-labelledby="backups-status-title">
        <h2 id="backups-status-title">{t('backups.statusTitle')}</h2>
        <p>{t('backups.policy', { days: DEFAULT_RETENTION.days, weeks: DEFAULT_RETENTION.weeks, months: DEFAULT_RETENTION.months })}</p>
        {list.data ? (
          <>
            <p data-testid="backups-last">{last ? t('backups.last', { date: formatDateTime(last.takenAt, zone), reason: reasonLabel(last.reason).toLowerCase() }) : t('backups.none')}</p>
            {doneToday ? null : <p className="notice" data-testid="backups-none-today"><strong>{t('backups.noneTodayTitle')}</strong> {t('backups.noneToday')}</p>}
          </>
        ) : null}
      </section>
      <section className="panel" aria-labelledby="backups-list-title">
        <h2 id="backups-list-title">{t('backups.listTitle', { count: entries.length })}</h2>
        <p className="muted">{t('backups.listHelp')}</p>
        {list.loading && !list.data ? <Loading /> : null}
        {list.data ? (
          <DataTable<BackupEntry>
            id="backups-table"
            rows={entries}
            columns={columns}
            rowKey={(e) => e.file}
            labelledBy="backups-list-title"
            regionLabel={t('backups.tableRegion')}
            empty={<EmptyState>{t('backups.empty')}</EmptyState>}
            actions={(e) => (
              <div className="button-row backup-actions">
                <button type="button" className="btn btn-small btn-secondary" onClick={() => void check(e)} disabled={checks[e.file]?.state === 'checking'} aria-busy={checks[e.file]?.state === 'checking' || undefined}>
                  {t('backups.check')}
                  <span className="visually-hidden"> {rowName(e)}</span>
                </button>
                <button type="button" className="btn btn-small btn-secondary" onClick={() => { setNotice(null); setRestoring(e); }}>
                  {t('backups.restore')}
                  <span className="visually-hidden"> {rowName(e)}</span>
                </button>
                <button type="button" className="btn btn-small btn-secondary" onClick={() => { setNotice(null); setExporting(e); }}>
                  {t('backups.export')}
                  <span className="visually-hidden"> {rowName(e)}</span>
                </button>
              </div>
            )}
          />
        ) : null}
      </section>
      {restoring ? <RestoreDialog entry={restoring} zone={zone} onClose={() => setRestoring(null)} /> : null}
      {exporting ? (
        <ExportDialog
          entry={exporting}
          zone={zone}
          size={size}
          onClose={() => setExporting(null)}
          onDone={(message) => {
            setExporting(null);
            setNotice(message);
          }}
        />
      ) : null}
    </div>
  );
}

/** The verdict of « Vérifier » beside its row: green with a tick, red with a cross, the backend's sentence. */
function VerdictCell({ state }: { state: CheckState | undefined }) {
  const { t } = useTranslation();
  return (
    <div role="status" className="backup-verdict-slot">
      {!state ? <span className="muted">{t('backups.notChecked')}</span> : null}
      {state?.state === 'checking' ? (
        <span className="backup-checking">
          <span className="spinner backup-spinner" aria-hidden="true" />
          {t('backups.checking')}
        </span>
      ) : null}
      {state?.state === 'done' ? <Verdict verdict={state.verdict} /> : null}
      {state?.state === 'failed' ? <div className="backup-verdict is-wrong"><span aria-hidden="true">✗ </span>{state.error.message}</div> : null}
    </div>
  );
}

/** A verdict, green with a tick or red with a cross (never the colour alone), in the backend's words. */
function Verdict({ verdict, detailed = false }: { verdict: BackupVerdict; detailed?: boolean }) {
  // The first problem is in the message already; the others are listed where there is room (the restore dialog).
  const more = detailed ? verdict.problems.slice(1) : [];
  return (
    <div className={`backup-verdict ${verdict.ok ? 'is-ok' : 'is-wrong'}`} data-testid="backup-verdict">
      <span aria-hidden="true">{verdict.ok ? '✓ ' : '✗ '}</span>
      {inLanguage(verdict.message)}
      {more.length > 0 ? (
        <ul className="backup-problems">
          {more.map((p) => <li key={p}>{inLanguage(p)}</li>)}
        </ul>
      ) : null}
      {verdict.notes.map((n) => <span key={n} className="cell-sub">{inLanguage(n)}</span>)}
    </div>
  );
}

/**
 * « Restaurer… »: the backup is checked first (the verdict shown), the dialog says that the current base is kept
 * aside, and « Restaurer cette sauvegarde » stays disabled unless the check passed (the backend checks again before
 * it replaces anything). Once restored, the outcome names the base kept aside and the app reloads on the restored
 * data (the session may end with it: the sign-in page then comes by itself).
 */
function RestoreDialog({ entry, zone, onClose }: { entry: BackupEntry; zone: string; onClose: () => void }) {
  const { t } = useTranslation();
  const explainId = useId();
  const [verdict, setVerdict] = useState<BackupVerdict | null>(null);
  const [checkError, setCheckError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [outcome, setOutcome] = useState<RestoreOutcome | null>(null);
  const reloadButton = useRef<HTMLButtonElement>(null);
  const date = formatDateTime(entry.takenAt, zone);

  useEffect(() => {
    if (outcome) reloadButton.current?.focus();
  }, [outcome]);

  useEffect(() => {
    let live = true;
    api['backups.check']({ file: entry.file }).then(
      (v) => live && setVerdict(v),
      (e: unknown) => live && setCheckError(asApiError(e)),
    );
    return () => {
      live = false;
    };
  }, [entry.file]);

  const reload = () => window.location.reload();

  async function restore() {
    setBusy(true);
    setError(null);
    try {
      const done = await api['backups.restore']({ file: entry.file });
      try {
        window.sessionStorage.setItem(RESTORED_KEY, done.message);
      } catch {
        // Shown in the dialog only.
      }
      setOutcome(done);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  // Once restored, every way out reloads: the screens hold data of the base that was replaced.
  return (
    <Dialog title={t('backups.restoreDialog.title', { date })} onClose={outcome ? reload : onClose} busy={busy} describedBy={explainId}>
      <p className="muted">{t('backups.restoreDialog.what', { file: entry.file, reason: reasonLabel(entry.reason).toLowerCase() })}</p>
      {outcome ? (
        <>
          <div className="banner banner-success" role="status">
            <strong className="banner-title">{t('backups.restoreDialog.done')}</strong>
            <span>{inLanguage(outcome.message)}</span>
            {outcome.keptAside ? <span>{t('backups.restoreDialog.keptAsideName')} <strong className="mono" data-testid="kept-aside">{outcome.keptAside}</strong></span> : null}
          </div>
          <p id={explainId}>{t('backups.restoreDialog.reloadHelp')}</p>
          <DialogActions>
            <button type="button" className="btn btn-primary" onClick={reload} ref={reloadButton}>{t('backups.restoreDialog.reload')}</button>
          </DialogActions>
        </>
      ) : (
        <>
          <div className="backup-dialog-check" aria-live="polite">
            {!verdict && !checkError ? <Loading label={t('backups.restoreDialog.checking')} /> : null}
            {verdict ? <Verdict verdict={verdict} detailed /> : null}
            {checkError ? <ErrorBanner error={checkError} /> : null}
            {verdict && !verdict.ok ? <p>{t('backups.restoreDialog.refused')}</p> : null}
          </div>
          <div id={explainId}>
            <p>{t('backups.restoreDialog.keptAside')}</p>
            <p>{t('backups.restoreDialog.consequence', { date })}</p>
          </div>
          <ErrorBanner error={error} />
          {busy ? <Loading label={t('backups.restoreDialog.restoring')} /> : null}
          <DialogActions>
            <button type="button" className="btn btn-ghost" onClick={onClose} disabled={busy} data-autofocus>{t('common.cancel')}</button>
            <button type="button" className="btn btn-restore" onClick={() => void restore()} disabled={busy || !verdict?.ok} aria-busy={busy || undefined}>
              {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
              {busy ? t('backups.restoreDialog.restoring') : t('backups.restoreDialog.confirm')}
            </button>
          </DialogActions>
        </>
      )}
    </Dialog>
  );
}

interface ExportValues {
  passphrase: string;
  confirm: string;
}

/** What the passphrase rule says of what is typed so far: the schema's own sentence, live. */
function PassphraseRule({ value }: { value: string }) {
  const { t } = useTranslation();
  const checked = backupPassphrase.safeParse(value);
  const state = value === '' ? 'empty' : checked.success ? 'ok' : 'wrong';
  return (
    <span className={`backup-rule${state === 'ok' ? ' is-ok' : state === 'wrong' ? ' is-wrong' : ''}`} aria-live="polite" data-testid="passphrase-rule">
      {state === 'empty' ? t('backups.exportDialog.rule', { min: MIN_PASSPHRASE_LENGTH }) : null}
      {state === 'wrong' ? `${inLanguage(checked.error!.issues[0]!.message)} ${t('backups.exportDialog.count', { count: [...value].length })}` : null}
      {state === 'ok' ? t('backups.exportDialog.ruleOk', { n: [...value].length }) : null}
    </span>
  );
}

/**
 * « Exporter… »: the passphrase twice (its rule and the match followed live), then the backend encrypts the backup
 * and hands the `.sillonbak` back, offered as a download.
 */
function ExportDialog({ entry, zone, size, onClose, onDone }: { entry: BackupEntry; zone: string; size: (bytes: number) => string; onClose: () => void; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const explainId = useId();
  const form = useForm<ExportValues>({
    defaultValues: { passphrase: '', confirm: '' },
    resolver: formResolver<ExportValues>(exportBackupInput, (v) => ({ file: entry.file, passphrase: v.passphrase }), {
      check: (v) => ({ confirm: v.confirm === '' ? t('backups.exportDialog.confirmMissing') : v.confirm !== v.passphrase ? t('backups.exportDialog.mismatch') : undefined }),
    }),
  });
  const submit = useSubmitState(form);
  const { register, watch, formState: { errors, isSubmitting } } = form;
  const [passphrase, confirm] = watch(['passphrase', 'confirm']);

  const save = form.handleSubmit(
    (v) =>
      submit.run(async () => {
        const file = await api['backups.export']({ file: entry.file, passphrase: v.passphrase });
        if (!('base64' in file)) throw new Error('export written to a path');
        downloadBase64(file.fileName, file.base64, 'application/octet-stream');
        onDone(t('backups.exportDialog.done', { name: file.fileName, size: size(file.bytes) }));
      }),
    submit.invalid,
  );

  return (
    <Dialog title={t('backups.exportDialog.title', { date: formatDateTime(entry.takenAt, zone) })} onClose={onClose} busy={isSubmitting} describedBy={explainId}>
      <form className="form" onSubmit={(e) => void save(e)} noValidate aria-busy={isSubmitting || undefined}>
        <p id={explainId}>{t('backups.exportDialog.intro')}</p>
        <ErrorBanner error={submit.error} />
        <Field label={t('backups.exportDialog.passphrase')} error={errors.passphrase} required hint={<PassphraseRule value={passphrase} />}>
          {(p) => <input {...p} type="password" autoComplete="new-password" data-autofocus {...register('passphrase')} />}
        </Field>
        <Field
          label={t('backups.exportDialog.confirmPassphrase')}
          error={errors.confirm}
          required
          hint={
            // Always there, empty until something is typed: a live region must exist before it speaks.
            <span className={`backup-rule${confirm === '' ? '' : confirm === passphrase ? ' is-ok' : ' is-wrong'}`} aria-live="polite" data-testid="passphrase-match">
              {confirm === '' ? t('backups.exportDialog.confirmRule') : confirm === passphrase ? t('backups.exportDialog.match') : t('backups.exportDialog.mismatch')}
            </span>
          }
        >
          {(p) => <input {...p} type="password" autoComplete="new-password" {...register('confirm')} />}
        </Field>
        <p className="notice">{t('backups.exportDialog.keep')}</p>
        {isSubmitting ? <Loading label={t('backups.exportDialog.working')} /> : null}
        <DialogActions>
          <button type="button" className="btn btn-ghost" onClick={onClose} disabled={isSubmitting}>{t('common.cancel')}</button>
          <button type="submit" className="btn btn-primary" disabled={isSubmitting} aria-busy={isSubmitting || undefined}>
            {isSubmitting ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
            {isSubmitting ? t('backups.exportDialog.working') : t('backups.exportDialog.submit')}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
