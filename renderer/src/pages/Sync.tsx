import { useEffect, useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ApiError } from '../../../shared/errors';
import { SYNC_ITEM_STATES, SYNC_RECORD_TYPES, syncReceiverInput, type SyncReceiver, type SyncReceiverStatus, type SyncRecordRow } from '../../../shared/schemas/sync';
import { api, asApiError } from '../api';
import { ArchiveButton, ArchivedRecords } from '../components/Archive';
import { DataTable, type DataColumn } from '../components/DataTable';
import { EditorPanel, useEditor } from '../components/EditorPanel';
import { CheckField, Field } from '../components/Field';
import { EmptyState, ErrorBanner, Loading, SubmitButton, SuccessBanner } from '../components/Feedback';
import { PageHeader } from '../components/Layout';
import { formatNumber } from '../lib/format';
import { fileSlug } from '../lib/files';
import { formResolver, useSubmitState } from '../lib/forms';
import { useQuery } from '../lib/useQuery';

type ItemState = (typeof SYNC_ITEM_STATES)[number];
type RecordType = (typeof SYNC_RECORD_TYPES)[number];

/** While the page is open the status is read again every so often: runs progress in the background. */
const POLL_MS = 1_500;

function formatInstant(iso: string | null, locale: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
}

function download(file: { fileName: string; mime: string; contentBase64: string }) {
  const bytes = Uint8Array.from(atob(file.contentBase64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Synchronisation: per receiver (funder system), what is waiting, in flight, acknowledged, rejected (with the
 * receiver's reasons and a link to the record to fix) or abandoned; "Synchroniser maintenant", pause and
 * resume; adding a receiver. Everything is committed locally first: this page only shows how far it went.
 */
export function SyncPage() {
  const { t } = useTranslation();
  const query = useQuery(() => api['sync.status'](), []);
  const editor = useEditor<SyncReceiver>();
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);

  // Follow runs started here, by the timer or by a local change; and send as soon as the network is back.
  useEffect(() => {
    const timer = setInterval(() => void query.reload(), POLL_MS);
    const online = () => void api['sync.online']().then(() => query.reload());
    window.addEventListener('online', online);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', online);
    };
  }, []);

  async function act(run: () => Promise<string | null>) {
    setActionError(null);
    setNotice(null);
    try {
      setNotice(await run());
      await query.reload();
    } catch (e) {
      setActionError(asApiError(e));
    }
  }

  const rows = query.data ?? [];
  return (
    <div aria-busy={query.loading && !query.data}>
      <PageHeader title={t('sync.title')} intro={t('sync.intro')}>
        <button type="button" className="btn btn-primary" onClick={() => { setNotice(null); editor.openNew(); }}>{t('sync.new')}</button>
      </PageHeader>
      <ErrorBanner error={query.error} />
      <ErrorBanner error={actionError} />
      {editor.open ? (
        <ReceiverEditor
          key={editor.record?.id ?? 'new'}
          receiver={editor.record}
          onClose={editor.close}
          onSaved={async (r) => {
            editor.close();
            setNotice(t('sync.saved', { name: r.name }));
            await query.reload();
          }}
          onArchived={async () => {
            editor.close();
            await query.reload();
          }}
        />
      ) : null}
      <SuccessBanner>{notice}</SuccessBanner>
      {query.loading && !query.data ? <Loading /> : null}
      {query.data && rows.length === 0 ? (
        <section className="panel">
          <EmptyState>{t('sync.empty')}</EmptyState>
        </section>
      ) : null}
      {rows.map((s) => (
        <ReceiverPanel key={s.receiver.id} status={s} onEdit={() => editor.openEdit(s.receiver)} act={act} />
      ))}
      <ArchivedRecords kind="receiver" label={t('archive.showReceivers')} onRestored={query.reload} />
    </div>
  );
}

function ReceiverPanel({ status, onEdit, act }: { status: SyncReceiverStatus; onEdit: () => void; act: (run: () => Promise<string | null>) => Promise<void> }) {
  const { t } = useTranslation();
  const locale = t('common.locale');
  const r = status.receiver;
  const c = status.counts;
  const titleId = `receiver-${r.id}`;
  const [view, setView] = useState<ItemState>(status.toFix.rejected > 0 ? 'rejected' : 'pending');
  const total = c.pending + c.inFlight + c.acked + c.rejected + c.dead;
  const settled = c.acked + c.rejected + c.dead;
  const stats: { state: ItemState; value: number; label: string }[] = [
    { state: 'pending', value: c.pending, label: t('sync.states.pending') },
    { state: 'in_flight', value: c.inFlight, label: t('sync.states.in_flight') },
    { state: 'acked', value: c.acked, label: t('sync.states.acked') },
    { state: 'rejected', value: status.toFix.rejected, label: t('sync.toFix') },
    { state: 'dead', value: status.toFix.dead, label: t('sync.states.dead') },
  ];
  return (
    <section className="panel" aria-labelledby={titleId}>
      <div className="panel-header">
        <h2 id={titleId}>
          {r.name}{' '}
          {r.paused ? <span className="badge">{t('sync.paused')}</span> : null}
          {status.offlineSince ? <span className="badge">{t('sync.offline')}</span> : null}
          {status.running ? <span className="badge">{t('sync.running')}</span> : null}
        </h2>
        <div className="button-row">
          {r.kind === 'http' ? (
            <button type="button" className="btn btn-primary" disabled={r.paused} onClick={() => void act(async () => { await api['sync.now']({ receiverId: r.id }); return t('sync.started', { name: r.name }); })}>
              {t('sync.now')}<span className="visually-hidden"> — {r.name}</span>
            </button>
          ) : (
            <>
              <button type="button" className="btn btn-primary" onClick={() => void act(async () => { const f = await api['sync.exportFile']({ receiverId: r.id, format: 'csv' }); download(f); return t('sync.fileMade', { name: f.fileName, count: f.records }); })}>
                {t('sync.exportCsv')}
              </button>
              <button type="button" className="btn btn-secondary" onClick={() => void act(async () => { const f = await api['sync.exportFile']({ receiverId: r.id, format: 'xlsx' }); download(f); return t('sync.fileMade', { name: f.fileName, count: f.records }); })}>
                {t('sync.exportXlsx')}
              </button>
            </>
          )}
          {r.paused ? (
            <button type="button" className="btn btn-secondary" onClick={() => void act(async () => { await api['sync.resume']({ receiverId: r.id }); return t('sync.resumed', { name: r.name }); })}>
              {t('sync.resume')}<span className="visually-hidden"> — {r.name}</span>
            </button>
          ) : (
            <button type="button" className="btn btn-secondary" onClick={() => void act(async () => { await api['sync.pause']({ receiverId: r.id }); return t('sync.pausedDone', { name: r.name }); })}>
              {t('sync.pause')}<span className="visually-hidden"> — {r.name}</span>
            </button>
          )}
          <button type="button" className="btn btn-ghost" onClick={onEdit}>
            {t('common.edit')}<span className="visually-hidden"> {r.name}</span>
          </button>
        </div>
      </div>
      {r.paused && r.pausedReason ? (
        <p className="notice" role="status">
          <strong>{r.pausedKind === 'auth' ? t('sync.pausedAuth') : r.pausedKind === 'protocol' ? t('sync.pausedProtocol') : t('sync.paused')} : </strong>
          {r.pausedReason}
        </p>
      ) : null}
      {!r.paused && status.lastError ? <p className="notice">{t('sync.lastError', { error: status.lastError })}</p> : null}
      <dl className="facts">
        <div>
          <dt>{t('sync.lastSuccess')}</dt>
          <dd>{formatInstant(r.lastSuccessAt, locale)}</dd>
        </div>
        {status.nextAttemptAt ? (
          <div>
            <dt>{t('sync.nextAttempt')}</dt>
            <dd>{formatInstant(status.nextAttemptAt, locale)}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('sync.progress')}</dt>
          <dd>
            <progress max={Math.max(total, 1)} value={settled} aria-label={t('sync.progressLabel', { name: r.name })} />{' '}
            {t('sync.progressText', { done: formatNumber(settled), total: formatNumber(total) })}
          </dd>
        </div>
        {r.url ? (
          <div>
            <dt>{t('sync.fields.url')}</dt>
            <dd className="mono">{r.url}</dd>
          </div>
        ) : null}
      </dl>
      <div className="toolbar" role="group" aria-label={t('sync.showLabel', { name: r.name })} style={{ marginTop: '1rem', flexWrap: 'wrap' }}>
        {stats.map((s) => (
          <button key={s.state} type="button" className="btn btn-small btn-secondary" aria-pressed={view === s.state} onClick={() => setView(s.state)}>
            {s.label} <strong>{formatNumber(s.value)}</strong>
          </button>
        ))}
        {status.toFix.dead > 0 ? (
          <button type="button" className="btn btn-small btn-ghost" onClick={() => void act(async () => { const f = await api['sync.exportDead']({ receiverId: r.id }); download(f); return t('sync.deadExported', { count: f.records }); })}>
            {t('sync.exportDead')}
          </button>
        ) : null}
      </div>
      <RecordsTable receiver={r} state={view} version={settled + c.pending + c.inFlight} />
      {r.kind === 'file' ? <FileBatches receiver={r} act={act} version={settled} /> : null}
    </section>
  );
}

function RecordsTable({ receiver, state, version }: { receiver: SyncReceiver; state: ItemState; version: number }) {
  const { t } = useTranslation();
  const query = useQuery(() => api['sync.records']({ receiverId: receiver.id, state, limit: 50 }), [receiver.id, state, version]);
  const rows: SyncRecordRow[] = useMemo(() => query.data?.rows ?? [], [query.data]);
  const columns = useRecordColumns(state);
  const captionId = `records-${receiver.id}`;
  return (
    <div aria-busy={query.loading && !query.data}>
      <ErrorBanner error={query.error} />
      <h3 id={captionId}>{t('sync.recordsTitle', { state: t(`sync.states.${state}`), count: query.data?.total ?? 0 })}</h3>
      {query.data ? (
        <DataTable<SyncRecordRow>
          rows={rows}
          columns={columns}
          rowKey={(row) => String(row.seq)}
          labelledBy={captionId}
          exportName={`sillon-${state}-${fileSlug(receiver.name)}`}
          empty={<EmptyState>{t('sync.noRecords')}</EmptyState>}
          actions={(row) =>
            row.link && (state === 'rejected' || state === 'dead') ? (
              <Link className="btn btn-small btn-secondary" to={recordLink(row.recordType, row.link)}>
                {t('sync.fix')}<span className="visually-hidden"> {row.label}</span>
              </Link>
            ) : null
          }
        />
      ) : null}
    </div>
  );
}

function useRecordColumns(state: ItemState): DataColumn<SyncRecordRow>[] {
  const { t } = useTranslation();
  return useMemo<DataColumn<SyncRecordRow>[]>(
    () => [
      {
        id: 'record',
        header: t('sync.columns.record'),
        rowHeader: true,
        value: (row) => row.label,
        cell: (row) => (
          <>
            {row.label}
            {row.attempts > 0 ? <span className="cell-sub">{t('sync.attempts', { count: row.attempts })}</span> : null}
          </>
        ),
      },
      { id: 'type', header: t('sync.columns.type'), value: (row) => t(`sync.types.${row.recordType as RecordType}`) },
      state === 'acked'
        ? { id: 'ref', header: t('sync.columns.ref'), value: (row) => row.receiverRef ?? t(`sync.results.${row.result === 'covered' ? 'covered' : 'ok'}`), className: 'mono' }
        : {
            id: 'reasons',
            header: t('sync.columns.reasons'),
            value: (row) => (row.errors.length > 0 ? row.errors.map((e) => e.message).join(' ; ') : row.lastError),
            cell: (row) =>
              row.errors.length > 0 ? (
                <ul className="vlist-inner">
                  {row.errors.map((e, i) => (
                    <li key={i}>{e.message}</li>
                  ))}
                </ul>
              ) : (
                (row.lastError ?? '—')
              ),
          },
    ],
    [t, state],
  );
}

function FileBatches({ receiver, act, version }: { receiver: SyncReceiver; act: (run: () => Promise<string | null>) => Promise<void>; version: number }) {
  const { t } = useTranslation();
  const query = useQuery(() => api['sync.batches']({ receiverId: receiver.id, limit: 20 }), [receiver.id, version]);
  const open = (query.data ?? []).filter((b) => b.state === 'in_flight');
  if (open.length === 0) return null;
  const mark = (batchId: string, outcome: 'uploaded' | 'accepted' | 'rejected') =>
    act(async () => {
      const reason = outcome === 'rejected' ? (window.prompt(t('sync.rejectReason')) ?? '') : undefined;
      await api['sync.markFile']({ batchId, outcome, ...(reason !== undefined ? { reason } : {}) });
      await query.reload();
      return t(`sync.marked.${outcome}`);
    });
  return (
    <div>
      <h3>{t('sync.filesTitle')}</h3>
      <ul className="link-list">
        {open.map((b) => (
          <li key={b.id}>
            <span className="link-title">{b.fileName}</span>
            <span className="link-meta">{t('sync.fileMeta', { count: b.recordCount, status: t(`sync.fileStatus.${b.fileStatus ?? 'exported'}`) })}</span>
            <div className="button-row">
              {b.fileStatus !== 'uploaded' ? <button type="button" className="btn btn-small btn-secondary" onClick={() => void mark(b.id, 'uploaded')}>{t('sync.markUploaded')}</button> : null}
              <button type="button" className="btn btn-small btn-secondary" onClick={() => void mark(b.id, 'accepted')}>{t('sync.markAccepted')}</button>
              <button type="button" className="btn btn-small btn-ghost" onClick={() => void mark(b.id, 'rejected')}>{t('sync.markRejected')}</button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface ReceiverForm {
  name: string;
  kind: 'http' | 'file';
  url: string;
  token: string;
  recordTypes: RecordType[];
}

const toInput = (v: ReceiverForm, id?: string) => ({
  ...(id ? { id } : {}),
  name: v.name,
  kind: v.kind,
  url: v.kind === 'http' ? v.url.trim() || null : null,
  ...(v.kind === 'http' && v.token.trim() ? { token: v.token.trim() } : {}),
  recordTypes: v.recordTypes,
});

function ReceiverEditor({ receiver, onClose, onSaved, onArchived }: { receiver: SyncReceiver | null; onClose: () => void; onSaved: (r: SyncReceiver) => Promise<void>; onArchived: () => Promise<void> }) {
  const { t } = useTranslation();
  const form = useForm<ReceiverForm>({
    defaultValues: { name: receiver?.name ?? '', kind: receiver?.kind ?? 'http', url: receiver?.url ?? '', token: '', recordTypes: receiver?.recordTypes ?? [...SYNC_RECORD_TYPES] },
    resolver: formResolver<ReceiverForm>(syncReceiverInput, (v) => toInput(v, receiver?.id)),
  });
  const submit = useSubmitState(form);
  const { register, watch, formState: { errors, isSubmitting } } = form;
  const kind = watch('kind');
  const save = form.handleSubmit((v) => submit.run(async () => onSaved(await api['sync.saveReceiver'](toInput(v, receiver?.id)))), submit.invalid);
  return (
    <EditorPanel title={receiver ? t('sync.editTitle', { name: receiver.name }) : t('sync.newTitle')} onClose={onClose}>
      <form className="form" onSubmit={(e) => void save(e)} noValidate>
        <p className="form-note">{t('common.requiredNote')}</p>
        <ErrorBanner error={submit.error} />
        <div className="grid grid-2">
          <Field label={t('sync.fields.name')} error={errors.name} required>
            {(p) => <input {...p} type="text" {...register('name')} />}
          </Field>
          <Field label={t('sync.fields.kind')} error={errors.kind} required>
            {(p) => (
              <select {...p} {...register('kind')}>
                <option value="http">{t('sync.kinds.http')}</option>
                <option value="file">{t('sync.kinds.file')}</option>
              </select>
            )}
          </Field>
          {kind === 'http' ? (
            <>
              <Field label={t('sync.fields.url')} error={errors.url} required hint={t('sync.hints.url')}>
                {(p) => <input {...p} type="url" inputMode="url" autoComplete="off" {...register('url')} />}
              </Field>
              <Field label={t('sync.fields.token')} error={errors.token} required={!receiver?.hasToken} hint={receiver?.hasToken ? t('sync.hints.tokenKept') : t('sync.hints.token')}>
                {(p) => <input {...p} type="password" autoComplete="off" {...register('token')} />}
              </Field>
            </>
          ) : null}
        </div>
        <fieldset className="checkbox-list">
          <legend>{t('sync.fields.recordTypes')}</legend>
          {SYNC_RECORD_TYPES.map((type) => (
            <CheckField key={type} label={t(`sync.types.${type}`)}>
              {(p) => <input {...p} type="checkbox" value={type} {...register('recordTypes')} />}
            </CheckField>
          ))}
          {errors.recordTypes?.message ? <p className="field-error">{errors.recordTypes.message}</p> : null}
        </fieldset>
        <div className="form-footer">
          <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
          {receiver ? <ArchiveButton kind="receiver" id={receiver.id} name={receiver.name} label={t('archive.archiveReceiver')} onArchived={onArchived} /> : null}
          <SubmitButton busy={isSubmitting}>{receiver ? t('common.saveChanges') : t('sync.create')}</SubmitButton>
        </div>
      </form>
    </EditorPanel>
  );
}

/** Where a refused or dead record is fixed: a trainee's form, an enrolment's tab, or the session's planning. */
function recordLink(recordType: SyncRecordRow['recordType'], link: NonNullable<SyncRecordRow['link']>): string {
  if (link.page === 'trainee') return `/stagiaires?fiche=${link.id}`;
  return recordType === 'enrolment' ? `/sessions/${link.id}?onglet=inscriptions` : `/sessions/${link.id}`;
}
