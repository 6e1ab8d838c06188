import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import type { RollCall } from '../../../../shared/schemas/attendance';
import { api } from '../../api';
import { ErrorBanner, Loading } from '../../components/Feedback';
import { formatLongDate, formatMinutes } from '../../lib/format';
import { useQuery } from '../../lib/useQuery';
import { formatInstant } from './model';
import { ClosedRollCall } from './RollCallClosed';
import { OpenRollCall } from './RollCallOpen';
import '../../attendance.css';
import { useTimeZone } from '../../lib/timeZone';

/**
 * The roll call of one slot (*appel*): while open, statuses and signatures are taken, then the trainer
 * countersigns and closes it; once closed, it is read-only and changes only by correction, with history.
 */
export function RollCallPage() {
  const { t } = useTranslation();
  const { slotId = '' } = useParams();
  const query = useQuery(() => api['attendance.rollCall']({ slotId }), [slotId]);
  // The roll call in progress, as left before a reload or a crash: resumed as it was (issue #8, item 1).
  // Tagged with its slot: going from one slot's roll call to another's keeps the previous answer until the new
  // one arrives, and another slot's drafts must never be resumed here.
  const drafts = useQuery(async () => ({ slotId, list: await api['attendance.drafts']({ slotId }) }), [slotId]);
  const data = query.data;
  const resumed = drafts.data?.slotId === slotId ? drafts.data.list : null;

  if (!data || data.slot.id !== slotId || (!data.closure && !resumed)) {
    return (
      <div aria-busy={query.loading}>
        <p className="breadcrumb"><Link to="/emargement">{t('attendance.rollCall.backToDay')}</Link></p>
        <ErrorBanner error={query.error ?? drafts.error} title={t('attendance.loadError')} />
        {query.loading || drafts.loading ? <Loading /> : null}
      </div>
    );
  }

  return (
    <div aria-busy={query.loading} className="rollcall-page">
      <p className="breadcrumb">
        <Link to={`/emargement?date=${data.slot.date}`}>{t('attendance.rollCall.backToDayOf', { date: formatLongDate(data.slot.date) })}</Link>
      </p>
      <RollCallHeader data={data} />
      <ErrorBanner error={query.error} title={t('attendance.loadError')} />
      {data.closure ? <ClosedRollCall data={data} reload={query.reload} /> : <OpenRollCall key={slotId} data={data} reload={query.reload} resumed={resumed ?? []} />}
    </div>
  );
}

function RollCallHeader({ data }: { data: RollCall }) {
  const { t, i18n } = useTranslation();
  const timeZone = useTimeZone();
  const { slot, closure, rows } = data;
  const marked = rows.filter((r) => r.mark).length;
  return (
    <header className="panel rc-header">
      <div className="rc-title">
        <p className="eyebrow">{slot.actionTitle}</p>
        <h1>
          {t('attendance.rollCall.title', { label: slot.sessionLabel })}
        </h1>
        <p className="session-badges">
          {closure ? (
            <span className="badge badge-closed">{t('attendance.badges.closed')}</span>
          ) : (
            <span className="badge badge-open">{t('attendance.badges.open')}</span>
          )}
          <span className={`badge badge-${slot.modality}`}>{t(`modalities.${slot.modality}` as 'modalities.presentiel', { defaultValue: slot.modality })}</span>
          <Link className="rc-session-link" to={`/sessions/${slot.sessionId}`}>{t('attendance.rollCall.openSession')}</Link>
        </p>
      </div>
      <dl className="facts">
        <div>
          <dt>{t('attendance.rollCall.facts.date')}</dt>
          <dd className="cap-first">{formatLongDate(slot.date)}</dd>
        </div>
        <div>
          <dt>{t('attendance.rollCall.facts.time')}</dt>
          <dd>{t('attendance.rollCall.timeRange', { halfDay: t(`halfDays.${slot.halfDay}`), start: slot.start, end: slot.end, duration: formatMinutes(slot.minutes) })}</dd>
        </div>
        <div>
          <dt>{t('attendance.rollCall.facts.place')}</dt>
          <dd>{slot.placeName ?? t('attendance.noPlace')}</dd>
        </div>
        <div>
          <dt>{t('attendance.rollCall.facts.trainers')}</dt>
          <dd>{slot.trainers.length ? slot.trainers.map((tr) => tr.name).join(', ') : t('attendance.rollCall.noTrainer')}</dd>
        </div>
        <div>
          <dt>{t('attendance.rollCall.facts.marked')}</dt>
          <dd>{t('attendance.markedOf', { marked, expected: rows.length })}</dd>
        </div>
        {closure ? (
          <div>
            <dt>{t('attendance.rollCall.facts.closed')}</dt>
            <dd>{t('attendance.rollCall.closedBy', { date: formatInstant(closure.closedAt, i18n.language, timeZone), name: closure.trainerName })}</dd>
          </div>
        ) : null}
      </dl>
    </header>
  );
}
