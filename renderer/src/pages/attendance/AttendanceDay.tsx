import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { addDays, todayIn } from '../../../../shared/domain/dates';
import { api } from '../../api';
import { EmptyState, ErrorBanner, Loading } from '../../components/Feedback';
import { PageHeader } from '../../components/Layout';
import { formatLongDate } from '../../lib/format';
import { useQuery } from '../../lib/useQuery';
import '../../attendance.css';
import { useTimeZone } from '../../lib/timeZone';
import { DateInput } from '../../components/DateInput';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * « Émargement »: the slots of one day across sessions (`attendance.day`), today by default, with how
 * many of the expected trainees are marked and whether the trainer has closed it. The day lives in the
 * address (`?date=`), so going back returns to the same day.
 */
export function AttendanceDayPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const timeZone = useTimeZone();
  const today = todayIn(new Date(), timeZone);
  const asked = params.get('date') ?? '';
  const date = ISO_DATE.test(asked) ? asked : today;
  const query = useQuery(() => api['attendance.day']({ date }), [date]);
  const slots = query.data ?? [];
  const go = (next: string) => setParams(next === today ? {} : { date: next }, { replace: false });

  const done = slots.filter((s) => s.closed).length;

  return (
    <div aria-busy={query.loading}>
      <PageHeader title={t('attendance.day.title')} intro={t('attendance.day.intro')} />
      <section className="panel" aria-labelledby="day-title">
        <div className="panel-header day-toolbar">
          <h2 id="day-title" className="cap-first">
            {formatLongDate(date)}
            {date === today ? <span className="badge badge-today">{t('attendance.day.today')}</span> : null}
          </h2>
          <div className="toolbar" role="group" aria-label={t('attendance.day.chooseDay')}>
            <button type="button" className="btn btn-secondary" onClick={() => go(addDays(date, -1))}>
              <span aria-hidden="true">←</span> {t('attendance.day.previous')}
            </button>
            <div className="field day-picker">
              <label htmlFor="day-date" className="visually-hidden">{t('attendance.day.date')}</label>
              <DateInput id="day-date" value={date} required onChange={(v) => ISO_DATE.test(v) && go(v)} />
            </div>
            <button type="button" className="btn btn-secondary" onClick={() => go(addDays(date, 1))}>
              {t('attendance.day.next')} <span aria-hidden="true">→</span>
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => go(today)} disabled={date === today}>{t('attendance.day.backToToday')}</button>
          </div>
        </div>
        <ErrorBanner error={query.error} title={t('attendance.loadError')} />
        {query.loading && !query.data ? <Loading /> : null}
        {query.data ? (
          <p className="muted" aria-live="polite">
            {slots.length ? t('attendance.day.summary', { count: slots.length, closed: done }) : ''}
          </p>
        ) : null}
        {query.data && slots.length === 0 ? <EmptyState>{t('attendance.day.empty')}</EmptyState> : null}
        {slots.length > 0 ? (
          <ul className="day-list">
            {slots.map((s) => {
              const ratio = s.expected ? Math.min(1, s.marked / s.expected) : 0;
              return (
                <li key={s.id}>
                  <Link className={`day-slot${s.closed ? ' is-closed' : ''}`} to={`/emargement/${s.id}`}>
                    <span className={`day-time half-${s.halfDay}`}>
                      <span className="day-half">{t(`halfDays.${s.halfDay}`)}</span>
                      <span className="day-hours">{s.start}–{s.end}</span>
                    </span>
                    <span className="day-main">
                      <span className="day-session">{s.sessionLabel}</span>
                      <span className="day-meta">{s.actionTitle}</span>
                      <span className="day-meta">{s.placeName ?? t('attendance.noPlace')}</span>
                    </span>
                    <span className="day-progress">
                      <span className="day-count">{t('attendance.markedOf', { marked: s.marked, expected: s.expected })}</span>
                      <span className="meter" aria-hidden="true">
                        <span className="meter-fill" style={{ width: `${Math.round(ratio * 100)}%` }} />
                      </span>
                    </span>
                    <span className="day-state">
                      {s.closed ? (
                        <span className="badge badge-closed">{t('attendance.badges.closed')}</span>
                      ) : s.marked > 0 ? (
                        <span className="badge badge-progress">{t('attendance.badges.inProgress')}</span>
                      ) : (
                        <span className="badge badge-open">{t('attendance.badges.todo')}</span>
                      )}
                      <span className="day-action">{s.closed ? t('attendance.day.view') : t('attendance.day.open')}</span>
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        ) : null}
      </section>
    </div>
  );
}
