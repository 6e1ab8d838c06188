import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { CHECK_CODES, type Finding } from '../../../../shared/schemas/checks';
import { api } from '../../api';
import { EmptyState, ErrorBanner, Loading } from '../../components/Feedback';
import { PageHeader } from '../../components/Layout';
import { formatDate, formatNumber } from '../../lib/format';
import { useQuery } from '../../lib/useQuery';
import '../../attendance.css';
import { DateInput } from '../../components/DateInput';

interface Filters {
  sessionId: string;
  from: string;
  to: string;
}

const EMPTY: Filters = { sessionId: '', from: '', to: '' };

function toInput(f: Filters) {
  return { ...(f.sessionId ? { sessionId: f.sessionId } : {}), ...(f.from ? { from: f.from } : {}), ...(f.to ? { to: f.to } : {}) };
}

/** Where to fix a finding: a slot or a mark → its roll call; an enrolment → its session page (enrolments tab). */
export function findingLink(f: Finding): string {
  if (f.link.kind === 'enrolment') return `/sessions/${f.link.sessionId}?onglet=inscriptions`;
  if (!f.link.slotId) return `/sessions/${f.link.sessionId}`;
  return `/emargement/${f.link.slotId}`;
}

/**
 * « Contrôles »: the coherence checks run before anything is claimed (`checks.run`), grouped by kind with
 * a link to each record to fix, and the state of the tamper-evident ledger (`ledger.verify`).
 */
export function ChecksPage() {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [run, setRun] = useState(0);
  const sessions = useQuery(() => api['sessions.list']({}), []);
  const findings = useQuery(() => api['checks.run'](toInput(filters)), [filters, run]);
  const ledger = useQuery(() => api['ledger.verify'](), [run]);

  const groups = useMemo(() => {
    const byCode = new Map<Finding['code'], Finding[]>();
    for (const f of findings.data ?? []) byCode.set(f.code, [...(byCode.get(f.code) ?? []), f]);
    return CHECK_CODES.filter((c) => byCode.has(c)).map((code) => ({ code, items: byCode.get(code)! }));
  }, [findings.data]);
  const errorsCount = (findings.data ?? []).filter((f) => f.severity === 'error').length;
  const warningsCount = (findings.data ?? []).length - errorsCount;

  function submit(e: FormEvent) {
    e.preventDefault();
    setFilters({ ...draft });
    setRun((n) => n + 1);
  }

  const busy = findings.loading || ledger.loading;

  return (
    <div aria-busy={busy}>
      <PageHeader title={t('attendance.checks.title')} intro={t('attendance.checks.intro')} />

      <section className="panel" aria-labelledby="ledger-title" aria-busy={ledger.loading}>
        <div className="panel-header">
          <h2 id="ledger-title">{t('attendance.checks.ledgerTitle')}</h2>
        </div>
        <ErrorBanner error={ledger.error} title={t('attendance.loadError')} />
        {ledger.loading && !ledger.data ? <Loading label={t('attendance.checks.ledgerLoading')} /> : null}
        {ledger.data ? (
          ledger.data.ok ? (
            <p className="banner banner-success ledger-ok" role="status">
              <strong>{t('attendance.checks.ledgerOk', { count: ledger.data.entries, formatted: formatNumber(ledger.data.entries) })}</strong>
              <span>{t('attendance.checks.ledgerOkHelp')}</span>
            </p>
          ) : (
            <div className="banner banner-error" role="alert">
              <strong>{t('attendance.checks.ledgerBroken', { count: ledger.data.problems.length, entries: formatNumber(ledger.data.entries) })}</strong>
              <ul className="ledger-problems">
                {ledger.data.problems.slice(0, 50).map((p, i) => (
                  <li key={`${p.recordId}-${i}`}>
                    {p.seq !== null ? <span className="mono">n° {p.seq} · </span> : null}
                    {p.message}
                  </li>
                ))}
              </ul>
            </div>
          )
        ) : null}
      </section>

      <section className="panel" aria-labelledby="checks-title">
        <div className="panel-header">
          <div>
            <h2 id="checks-title">{t('attendance.checks.findingsTitle')}</h2>
            <p className="muted">{t('attendance.checks.findingsHelp')}</p>
          </div>
        </div>
        <form className="form checks-filters" onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor="checks-session">{t('attendance.checks.session')}</label>
            <select id="checks-session" value={draft.sessionId} onChange={(e) => setDraft({ ...draft, sessionId: e.target.value })}>
              <option value="">{t('attendance.checks.allSessions')}</option>
              {(sessions.data ?? []).map((s) => (
                <option key={s.id} value={s.id}>{s.label}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="checks-from">{t('attendance.checks.from')}</label>
            <DateInput id="checks-from" value={draft.from} onChange={(from) => setDraft((d) => ({ ...d, from }))} />
          </div>
          <div className="field">
            <label htmlFor="checks-to">{t('attendance.checks.to')}</label>
            <DateInput id="checks-to" value={draft.to} min={draft.from || undefined} onChange={(to) => setDraft((d) => ({ ...d, to }))} />
          </div>
          <div className="checks-run">
            <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy || undefined}>
              {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
              {busy ? t('attendance.checks.running') : t('attendance.checks.run')}
            </button>
          </div>
        </form>
        <ErrorBanner error={findings.error} title={t('attendance.loadError')} />
        {findings.loading && !findings.data ? <Loading label={t('attendance.checks.running')} /> : null}
        {findings.data ? (
          <p className="checks-summary" aria-live="polite">
            {findings.data.length === 0
              ? t('attendance.checks.none')
              : t('attendance.checks.summary', { count: findings.data.length, errors: errorsCount, warnings: warningsCount })}
          </p>
        ) : null}
        {findings.data && findings.data.length === 0 ? <EmptyState>{t('attendance.checks.noneHelp')}</EmptyState> : null}
        {groups.map(({ code, items }) => (
          <section key={code} className={`check-group severity-${items[0]!.severity}`} aria-labelledby={`check-${code}`}>
            <div className="check-head">
              <h3 id={`check-${code}`}>
                {t(`attendance.checks.codes.${code}.title`)} <span className="count">({items.length})</span>
              </h3>
              <span className={`badge badge-${items[0]!.severity}`}>{t(`attendance.checks.severity.${items[0]!.severity}`)}</span>
            </div>
            <p className="muted check-why">{t(`attendance.checks.codes.${code}.why`)}</p>
            <ul className="check-list">
              {items.slice(0, 200).map((f, i) => (
                <li key={`${f.link.id}-${i}`}>
                  <span className="check-date">{f.date ? formatDate(f.date) : '—'}</span>
                  <span className="check-message">{f.message}</span>
                  <Link className="btn btn-small btn-secondary" to={findingLink(f)}>
                    {f.link.kind === 'enrolment' ? t('attendance.checks.openSession') : t('attendance.checks.openRollCall')}
                    <span className="visually-hidden"> — {f.message}</span>
                  </Link>
                </li>
              ))}
            </ul>
            {items.length > 200 ? <p className="muted">{t('attendance.checks.more', { count: items.length - 200 })}</p> : null}
          </section>
        ))}
      </section>
    </div>
  );
}
