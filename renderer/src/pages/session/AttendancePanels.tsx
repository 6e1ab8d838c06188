import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { SessionPage } from '../../../../shared/contract';
import { addDays, isoWeekday, todayIn } from '../../../../shared/domain/dates';
import type { ApiError } from '../../../../shared/errors';
import { api, asApiError } from '../../api';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { EmptyState, ErrorBanner, Loading } from '../../components/Feedback';
import { downloadBase64, fileSlug, readAsText } from '../../lib/files';
import { formatLongDate, formatMinutes } from '../../lib/format';
import { useQuery } from '../../lib/useQuery';
import type { SessionPageData } from '../SessionPage';
import '../../attendance.css';
import { useTimeZone } from '../../lib/timeZone';
import { DateInput } from '../../components/DateInput';
import { FileInput } from '../../components/FileInput';

const MAX_LINKS = 4;

/** « Faire l'appel » for the slots selected in the calendar: each opens its roll call. */
export function RollCallLinks({ page, selected }: { page: SessionPage; selected: ReadonlySet<string> }) {
  const { t } = useTranslation();
  const chosen = page.slots.filter((s) => selected.has(s.id) && !s.cancelled).sort((a, b) => (a.date + a.start).localeCompare(b.date + b.start));
  if (chosen.length === 0) return null;
  return (
    <nav className="rollcall-links" aria-label={t('attendance.session.rollCallLinks')}>
      <ul>
        {chosen.slice(0, MAX_LINKS).map((s) => (
          <li key={s.id}>
            <Link className="btn btn-small btn-primary" to={`/emargement/${s.id}`}>
              {t('attendance.session.takeRollCall')}
              <span className="rollcall-link-when"> — {formatLongDate(s.date)}, {t(`halfDays.${s.halfDay}`).toLowerCase()}</span>
            </Link>
          </li>
        ))}
      </ul>
      {chosen.length > MAX_LINKS ? <p className="muted">{t('attendance.session.moreSelected', { count: chosen.length - MAX_LINKS })}</p> : null}
    </nav>
  );
}

/** « Heures réalisées »: per enrolment, from the one realised-hours engine (`hours.realised`). */
interface HoursRow {
  id: string;
  name: string;
  attended: number;
  planned: number;
  excused: number;
  unexcused: number;
  /** The trainee's planned path (minutes). */
  path: number;
  /** AFEST minutes, work situations and reflective sequences apart (issue #11). */
  mst: number;
  sr: number;
}

const rate = (a: number, p: number) => (p > 0 ? `${Math.round((a / p) * 100)} %` : '—');

export function RealisedHours({ data }: { data: SessionPageData }) {
  const { t } = useTranslation();
  const sessionId = data.page.session.id;
  const query = useQuery(() => api['hours.realised']({ sessionId, groupBy: ['enrolment'] }), [sessionId, data]);
  const rows = useMemo(() => {
    const byEnrolment = new Map((query.data ?? []).map((r) => [r.key.enrolment ?? '', r]));
    return data.page.enrolments.map((e): HoursRow => {
      const h = byEnrolment.get(e.id);
      return {
        id: e.id,
        name: e.traineeName,
        attended: h?.attended ?? 0,
        planned: h?.planned ?? 0,
        excused: h?.absentExcused ?? 0,
        unexcused: h?.absentUnexcused ?? 0,
        path: e.plannedMinutes,
        mst: h?.afest['work-situation'] ?? 0,
        sr: h?.afest.reflective ?? 0,
      };
    });
  }, [query.data, data.page.enrolments]);
  const total = rows.reduce((s, r) => ({ attended: s.attended + r.attended, planned: s.planned + r.planned, excused: s.excused + r.excused, unexcused: s.unexcused + r.unexcused }), { attended: 0, planned: 0, excused: 0, unexcused: 0 });
  const withAfest = rows.some((r) => r.mst > 0 || r.sr > 0);
  const columns = useMemo<DataColumn<HoursRow>[]>(() => {
    const hours = (pick: (r: HoursRow) => number, dashIfZero: boolean): Pick<DataColumn<HoursRow>, 'value' | 'cell' | 'exportValue' | 'num'> => ({
      num: true,
      value: pick,
      cell: (r) => (dashIfZero && !pick(r) ? '—' : formatMinutes(pick(r))),
      exportValue: (r) => pick(r) / 60,
    });
    return [
      { id: 'trainee', header: t('attendance.hours.columns.trainee'), value: (r) => r.name, rowHeader: true, className: 'nowrap' },
      { id: 'attended', header: t('attendance.hours.columns.attended'), ...hours((r) => r.attended, false), cell: (r) => <span className="strong">{formatMinutes(r.attended)}</span> },
      { id: 'planned', header: t('attendance.hours.columns.planned'), ...hours((r) => r.planned, false) },
      { id: 'excused', header: t('attendance.hours.columns.excused'), ...hours((r) => r.excused, true) },
      {
        id: 'unexcused',
        header: t('attendance.hours.columns.unexcused'),
        ...hours((r) => r.unexcused, true),
        cell: (r) => (r.unexcused ? <span className="text-danger">{formatMinutes(r.unexcused)}</span> : '—'),
      },
      {
        id: 'rate',
        header: t('attendance.hours.columns.rate'),
        num: true,
        value: (r) => (r.planned > 0 ? Math.round((r.attended / r.planned) * 100) : null),
        cell: (r) => rate(r.attended, r.planned),
      },
      // AFEST sequences are their own modality: shown apart from the slots' attended minutes, when there are any.
      ...(withAfest
        ? [
            { id: 'afestMst', header: t('attendance.hours.columns.afestMst'), ...hours((r) => r.mst, true) },
            { id: 'afestSr', header: t('attendance.hours.columns.afestSr'), ...hours((r) => r.sr, true) },
          ]
        : []),
      { id: 'path', header: t('attendance.hours.columns.path'), ...hours((r) => r.path, false), cell: (r) => <span className="muted">{formatMinutes(r.path)}</span> },
    ];
  }, [t, withAfest]);

  return (
    <section className="panel" aria-labelledby="hours-title" aria-busy={query.loading}>
      <div className="panel-header">
        <div>
          <h2 id="hours-title">{t('attendance.hours.title')}</h2>
          <p className="muted">{t('attendance.hours.help')}</p>
        </div>
      </div>
      <ErrorBanner error={query.error} title={t('attendance.loadError')} />
      {query.loading && !query.data ? <Loading /> : null}
      {query.data && (rows.length === 0 || query.data.length === 0) ? <EmptyState>{rows.length === 0 ? t('attendance.hours.empty') : t('attendance.hours.noMarks')}</EmptyState> : null}
      {query.data && query.data.length > 0 && rows.length > 0 ? (
        <DataTable
          id="hours-table"
          rows={rows}
          columns={columns}
          rowKey={(r) => r.id}
          labelledBy="hours-title"
          // Focusable: on a phone the table scrolls sideways, and keyboard users must be able to scroll it too.
          regionLabel={t('attendance.hours.tableLabel')}
          exportName={`sillon-heures-realisees-${fileSlug(data.page.session.label)}`}
          footer={
            <>
              <th scope="row">{t('attendance.hours.total')}</th>
              <td className="num strong">{formatMinutes(total.attended)}</td>
              <td className="num">{formatMinutes(total.planned)}</td>
              <td className="num">{formatMinutes(total.excused)}</td>
              <td className="num">{formatMinutes(total.unexcused)}</td>
              <td className="num">{rate(total.attended, total.planned)}</td>
              <td />
            </>
          }
        />
      ) : null}
    </section>
  );
}

type Printed = { fileName: string; base64: string; shortHash: string };

function PrinterIcon() {
  return (
    <svg className="btn-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path d="M7 8V3h10v5M7 17H4v-7a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2v7h-3M7 14h10v7H7z" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" />
    </svg>
  );
}

function clampDate(date: string, from: string, to: string): string {
  return date < from ? from : date > to ? to : date;
}

/**
 * Printed documents (`documents.*`): the week's émargement sheet, a blank sheet for the paper fallback,
 * and a trainee's monthly statement. Each comes back as a PDF offered for download (Blob URL) with the
 * short hash printed in its QR code.
 */
export function PrintDocuments({ data }: { data: SessionPageData }) {
  const { t } = useTranslation();
  const { session, enrolments } = data.page;
  const timeZone = useTimeZone();
  const today = todayIn(new Date(), timeZone);
  const anchor = clampDate(today, session.startDate, session.endDate);
  const [week, setWeek] = useState(addDays(anchor, 1 - isoWeekday(anchor)));
  const [enrolmentId, setEnrolmentId] = useState(enrolments[0]?.id ?? '');
  const [month, setMonth] = useState(anchor.slice(0, 7));
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [last, setLast] = useState<Printed | null>(null);

  async function print(what: 'sheet' | 'blank' | 'statement') {
    setBusy(what);
    setError(null);
    try {
      const doc =
        what === 'statement'
          ? await api['documents.monthlyStatement']({ enrolmentId, month })
          : await api[what === 'sheet' ? 'documents.attendanceSheet' : 'documents.blankSheet']({ sessionId: session.id, weekStart: week });
      setLast(doc);
      downloadBase64(doc.fileName, doc.base64);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(null);
    }
  }

  const button = (what: 'sheet' | 'blank' | 'statement', label: string, disabled = false) => (
    <button type="button" className={what === 'blank' ? 'btn btn-secondary' : 'btn btn-primary'} onClick={() => void print(what)} disabled={busy !== null || disabled} aria-busy={busy === what || undefined}>
      {busy === what ? <span className={`spinner ${what === 'blank' ? 'spinner-dark' : 'spinner-small'}`} aria-hidden="true" /> : <PrinterIcon />}
      {busy === what ? t('attendance.print.working') : label}
    </button>
  );

  return (
    <section className="panel" aria-labelledby="print-title" aria-busy={busy !== null}>
      <div className="panel-header">
        <div>
          <h2 id="print-title">{t('attendance.print.title')}</h2>
          <p className="muted">{t('attendance.print.help')}</p>
        </div>
      </div>
      <ErrorBanner error={error} title={t('attendance.print.refused')} />
      <div className="print-grid">
        <fieldset className="print-box">
          <legend>{t('attendance.print.weekLegend')}</legend>
          <div className="field">
            <label htmlFor="print-week">{t('attendance.print.week')}</label>
            <DateInput id="print-week" value={week} min={session.startDate} max={session.endDate} onChange={(v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && setWeek(v)} aria-describedby="print-week-hint" />
            <p className="hint" id="print-week-hint">{t('attendance.print.weekHint')}</p>
          </div>
          <div className="button-row">
            {button('sheet', t('attendance.print.sheet'))}
            {button('blank', t('attendance.print.blank'))}
          </div>
        </fieldset>
        <fieldset className="print-box">
          <legend>{t('attendance.print.statementLegend')}</legend>
          <div className="grid grid-2">
            <div className="field">
              <label htmlFor="print-enrolment">{t('attendance.print.enrolment')}</label>
              <select id="print-enrolment" value={enrolmentId} onChange={(e) => setEnrolmentId(e.target.value)}>
                {enrolments.map((e) => (
                  <option key={e.id} value={e.id}>{e.traineeName}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="print-month">{t('attendance.print.month')}</label>
              <input id="print-month" type="month" value={month} min={session.startDate.slice(0, 7)} max={session.endDate.slice(0, 7)} onChange={(e) => e.target.value && setMonth(e.target.value)} />
            </div>
          </div>
          <div className="button-row">{button('statement', t('attendance.print.statement'), !enrolmentId)}</div>
        </fieldset>
      </div>
      <div aria-live="polite" className="print-result">
        {last ? (
          <p className="banner banner-success">
            <span>
              <strong>{t('attendance.print.ready', { name: last.fileName })}</strong> {t('attendance.print.hash', { hash: last.shortHash })}
            </span>
            <button type="button" className="link-button" onClick={() => downloadBase64(last.fileName, last.base64)}>{t('attendance.print.again')}</button>
          </p>
        ) : null}
      </div>
    </section>
  );
}

/** Distance learning: import an LMS / virtual-class connection log (CSV) and see each trainee's time. */
export function ConnectionLog({ data }: { data: SessionPageData }) {
  const { t } = useTranslation();
  const sessionId = data.page.session.id;
  const [version, setVersion] = useState(0);
  const totals = useQuery(() => api['attendance.connectionTotals']({ sessionId }), [sessionId, version]);
  const [file, setFile] = useState<File | null>(null);
  const [source, setSource] = useState('LMS');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<{ rows: number; matched: number; unmatched: string[] } | null>(null);

  async function importLog() {
    setError(null);
    setResult(null);
    if (!file) {
      setError({ code: 'validation', message: t('attendance.connection.chooseFile'), issues: [{ path: 'csv', message: t('attendance.connection.chooseFile') }] });
      document.getElementById('log-file')?.focus();
      return;
    }
    setBusy(true);
    try {
      const csv = await readAsText(file);
      const r = await api['attendance.importLog']({ fileName: file.name, source: source.trim() || 'LMS', csv });
      setResult(r);
      setVersion((v) => v + 1);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  const rows = totals.data ?? [];
  return (
    <section className="panel" aria-labelledby="log-title" aria-busy={busy || totals.loading}>
      <div className="panel-header">
        <div>
          <h2 id="log-title">{t('attendance.connection.title')}</h2>
          <p className="muted">{t('attendance.connection.help')}</p>
        </div>
      </div>
      <div className="log-import">
        <div className={`field${error?.issues?.some((i) => i.path === 'csv') ? ' has-error' : ''}`}>
          <label htmlFor="log-file">{t('attendance.connection.file')}</label>
          <FileInput id="log-file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} aria-describedby="log-file-hint" />
          <p className="hint" id="log-file-hint">{t('attendance.connection.fileHint')}</p>
        </div>
        <div className="field">
          <label htmlFor="log-source">{t('attendance.connection.source')}</label>
          <input id="log-source" type="text" maxLength={80} value={source} onChange={(e) => setSource(e.target.value)} />
        </div>
        <div className="log-submit">
          <button type="button" className="btn btn-primary" onClick={() => void importLog()} disabled={busy} aria-busy={busy || undefined}>
            {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
            {busy ? t('attendance.connection.importing') : t('attendance.connection.import')}
          </button>
        </div>
      </div>
      <ErrorBanner error={error} title={t('attendance.connection.refused')} />
      {error?.issues && error.issues.length > 1 ? (
        <ul className="issue-list">
          {error.issues.slice(0, 10).map((i) => (
            <li key={`${i.path}-${i.message}`}>{i.message}</li>
          ))}
        </ul>
      ) : null}
      <div aria-live="polite">
        {result ? (
          <p className="banner banner-success">
            <strong>{t('attendance.connection.imported', { count: result.rows, matched: result.matched })}</strong>
            {result.unmatched.length ? <span>{t('attendance.connection.unmatched', { list: result.unmatched.join(', ') })}</span> : null}
          </p>
        ) : null}
      </div>
      {totals.loading && !totals.data ? <Loading /> : null}
      {totals.data && rows.length === 0 ? <EmptyState>{t('attendance.connection.empty')}</EmptyState> : null}
      {rows.length > 0 ? (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('attendance.connection.tableLabel')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('attendance.connection.columns.trainee')}</th>
                <th scope="col" className="num">{t('attendance.connection.columns.connections')}</th>
                <th scope="col" className="num">{t('attendance.connection.columns.time')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.traineeId}>
                  <th scope="row" className="cell-title">{r.traineeName}</th>
                  <td className="num">{r.connections}</td>
                  <td className="num">{r.connections ? formatMinutes(r.minutes) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/** Whether a session is (partly) at a distance: its course is, or any of its slots is. */
export function isDistance(page: SessionPage): boolean {
  return page.action.modality === 'distanciel' || page.slots.some((s) => s.modality === 'distanciel');
}
