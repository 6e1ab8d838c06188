import { startTransition, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionPage } from '../../../../shared/contract';
import { addDays, isoWeekday } from '../../../../shared/domain/dates';
import type { HolidayZone } from '../../../../shared/domain/holiday-zones';
import type { Slot } from '../../../../shared/schemas/training';
import { formatDayMonth, formatLongDate, fullName, initials } from '../../lib/format';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
/**
 * Weeks drawn at once when the page opens; the rest follow in a transition (React renders it in slices
 * between frames), so a 264-slot calendar shows its first weeks at once instead of blocking on all 65.
 */
const FIRST_WEEKS = 10;

type HolidayName = (date: string, zone: HolidayZone) => string | undefined;
let holidayModule: Promise<HolidayName> | null = null;

/**
 * The public-holiday calendar, loaded on first use: its library and time-zone data are most of the
 * bundle's weight and only this screen needs them.
 */
function useHolidayName(): HolidayName | null {
  const [fn, setFn] = useState<HolidayName | null>(null);
  useEffect(() => {
    let alive = true;
    holidayModule ??= import('../../../../shared/domain/holidays').then((m) => m.holidayName);
    // A transition: the holiday names re-render every week, which must not hold up the first paint or a click.
    holidayModule.then(
      (f) => alive && startTransition(() => setFn(() => f)),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, []);
  return fn;
}

interface Week {
  monday: string;
  days: { date: string; inSession: boolean; holiday: string | undefined; slots: Slot[] }[];
  slotIds: string[];
}

/** The part of a place's name people recognise: « Lycée hôtelier A. Dumas — cuisine » → « Lycée hôtelier A. Dumas ». */
function shortPlace(name: string): string {
  return name.split(' — ')[0] ?? name;
}

/**
 * The session's half-day slots laid out as weeks (rows) × Monday–Sunday (columns). Slots are toggle
 * buttons: click or Space/Enter selects one, Shift+click selects a range, the week's header selects the
 * whole week; arrow keys move between slots.
 */
export function SlotCalendar({
  page,
  selected,
  onSelect,
  children,
}: {
  page: SessionPage;
  selected: ReadonlySet<string>;
  onSelect: (next: ReadonlySet<string>) => void;
  /** The « Affecter » panel, shown under the calendar whose selection it acts on. */
  children?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const { session, slots, trainers, places, place } = page;
  const zone = place?.holidayZone ?? 'metropole';
  const lastClicked = useRef<string | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const holidayName = useHolidayName();

  const trainerById = useMemo(() => new Map(trainers.map((tr) => [tr.id, tr])), [trainers]);
  const placeById = useMemo(() => new Map(places.map((p) => [p.id, p])), [places]);
  const ordered = useMemo(() => [...slots].sort((a, b) => (a.date + a.start).localeCompare(b.date + b.start)), [slots]);
  const orderIndex = useMemo(() => new Map(ordered.map((s, i) => [s.id, i])), [ordered]);

  const weeks = useMemo<Week[]>(() => {
    const byDate = new Map<string, Slot[]>();
    for (const s of ordered) byDate.set(s.date, [...(byDate.get(s.date) ?? []), s]);
    const firstDate = ordered[0] && ordered[0].date < session.startDate ? ordered[0].date : session.startDate;
    const lastSlot = ordered.at(-1);
    const lastDate = lastSlot && lastSlot.date > session.endDate ? lastSlot.date : session.endDate;
    const list: Week[] = [];
    for (let monday = addDays(firstDate, 1 - isoWeekday(firstDate)); monday <= lastDate; monday = addDays(monday, 7)) {
      const days = WEEKDAYS.map((wd) => {
        const date = addDays(monday, wd - 1);
        return { date, inSession: date >= session.startDate && date <= session.endDate, holiday: holidayName?.(date, zone), slots: byDate.get(date) ?? [] };
      });
      list.push({ monday, days, slotIds: days.flatMap((d) => d.slots.filter((s) => !s.cancelled).map((s) => s.id)) });
    }
    return list;
  }, [ordered, session.startDate, session.endDate, zone, holidayName]);

  const [allWeeks, setAllWeeks] = useState(false);
  useEffect(() => {
    if (!allWeeks) startTransition(() => setAllWeeks(true));
  }, [allWeeks]);
  const shownWeeks = allWeeks ? weeks : weeks.slice(0, FIRST_WEEKS);

  const weekdayNames = useMemo(() => {
    const short = new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'fr-FR', { weekday: 'short', timeZone: 'UTC' });
    const long = new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'fr-FR', { weekday: 'long', timeZone: 'UTC' });
    // 2024-01-01 was a Monday.
    return WEEKDAYS.map((wd) => ({ short: short.format(new Date(Date.UTC(2024, 0, wd))), long: long.format(new Date(Date.UTC(2024, 0, wd))) }));
  }, [i18n.language]);

  const selectable = ordered.filter((s) => !s.cancelled);

  function toggle(slot: Slot, event: MouseEvent<HTMLButtonElement>) {
    const next = new Set(selected);
    if (event.shiftKey && lastClicked.current && orderIndex.has(lastClicked.current)) {
      const a = orderIndex.get(lastClicked.current)!;
      const b = orderIndex.get(slot.id)!;
      for (const s of ordered.slice(Math.min(a, b), Math.max(a, b) + 1)) if (!s.cancelled) next.add(s.id);
    } else if (next.has(slot.id)) next.delete(slot.id);
    else next.add(slot.id);
    lastClicked.current = slot.id;
    onSelect(next);
  }

  function toggleWeek(week: Week) {
    const next = new Set(selected);
    const all = week.slotIds.every((id) => next.has(id));
    for (const id of week.slotIds) {
      if (all) next.delete(id);
      else next.add(id);
    }
    onSelect(next);
  }

  /** Arrow keys walk the slot buttons in date order (left/right) or by week (up/down). */
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const target = event.target as HTMLElement;
    const id = target.dataset.slotId;
    if (!id || !['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(event.key)) return;
    const index = orderIndex.get(id);
    if (index === undefined) return;
    let next: Slot | undefined;
    const current = ordered[index]!;
    if (event.key === 'ArrowRight') next = ordered[index + 1];
    else if (event.key === 'ArrowLeft') next = ordered[index - 1];
    else if (event.key === 'Home') next = ordered[0];
    else if (event.key === 'End') next = ordered.at(-1);
    else {
      const target7 = addDays(current.date, event.key === 'ArrowDown' ? 7 : -7);
      next = ordered.find((s) => s.date === target7 && s.halfDay === current.halfDay) ?? ordered.find((s) => s.date === target7);
    }
    if (next) {
      event.preventDefault();
      gridRef.current?.querySelector<HTMLElement>(`[data-slot-id="${next.id}"]`)?.focus();
    }
  }

  function describe(s: Slot): string {
    const names = s.trainerIds.map((id) => trainerById.get(id)).filter((x) => x !== undefined).map((tr) => `${tr.firstName} ${tr.lastName}`);
    const where = s.placeId ? placeById.get(s.placeId)?.name : undefined;
    return [
      formatLongDate(s.date),
      `${t(`halfDays.${s.halfDay}`)} ${s.start}–${s.end}`,
      names.length ? t('calendar.trainersList', { names: names.join(', ') }) : t('calendar.noTrainer'),
      where ? t('calendar.placeName', { name: where }) : t('calendar.noPlace'),
      s.cancelled ? t('calendar.cancelled') : '',
    ]
      .filter(Boolean)
      .join(', ');
  }

  return (
    <section className="panel calendar-panel" aria-labelledby="calendar-title">
      <div className="panel-header">
        <div>
          <h2 id="calendar-title">{t('calendar.title')}</h2>
          <p className="muted">{t('calendar.help')}</p>
        </div>
        <div className="toolbar" role="toolbar" aria-label={t('calendar.selectionTools')}>
          <p className="selection-count" aria-live="polite">{t('calendar.selected', { count: selected.size })}</p>
          <button type="button" className="btn btn-small btn-secondary" onClick={() => onSelect(new Set(selectable.map((s) => s.id)))} disabled={selectable.length === 0}>
            {t('calendar.selectAll')}
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => onSelect(new Set())} disabled={selected.size === 0}>
            {t('calendar.clear')}
          </button>
        </div>
      </div>
      {slots.length === 0 ? (
        <p className="empty">
          {t('calendar.empty')} <a href="#generate-title" onClick={(e) => { e.preventDefault(); document.getElementById('generate-from')?.focus(); }}>{t('calendar.goGenerate')}</a>
        </p>
      ) : (
        <div className="calendar-scroll" ref={gridRef} onKeyDown={onKeyDown} tabIndex={-1}>
          <table className="calendar" aria-describedby="calendar-legend">
            <caption className="visually-hidden">{t('calendar.caption', { label: session.label })}</caption>
            <thead>
              <tr>
                <th scope="col" className="week-col">{t('calendar.week')}</th>
                {weekdayNames.map((d) => (
                  <th scope="col" key={d.long}>
                    <abbr title={d.long}>{d.short}</abbr>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shownWeeks.map((week) => {
                const allSelected = week.slotIds.length > 0 && week.slotIds.every((id) => selected.has(id));
                return (
                  <tr key={week.monday}>
                    <th scope="row" className="week-col">
                      {week.slotIds.length > 0 ? (
                        <button
                          type="button"
                          className="week-button"
                          aria-pressed={allSelected}
                          aria-label={t('calendar.selectWeek', { date: formatLongDate(week.monday) })}
                          onClick={() => toggleWeek(week)}
                        >
                          {formatDayMonth(week.monday)}
                        </button>
                      ) : (
                        <span className="week-label">{formatDayMonth(week.monday)}</span>
                      )}
                    </th>
                    {week.days.map((day) => (
                      <td
                        key={day.date}
                        className={['day', day.inSession ? '' : 'day-out', day.holiday ? 'day-holiday' : '', isoWeekday(day.date) >= 6 ? 'day-weekend' : ''].filter(Boolean).join(' ')}
                      >
                        <span className="day-number">{Number(day.date.slice(8))}</span>
                        {day.holiday ? <span className="holiday" title={day.holiday}>{t('calendar.holiday', { name: day.holiday })}</span> : null}
                        {day.slots.map((s) => {
                          const trainerInitials = s.trainerIds.map((id) => trainerById.get(id)).filter((x) => x !== undefined);
                          const slotPlace = s.placeId ? placeById.get(s.placeId) : undefined;
                          const isSelected = selected.has(s.id);
                          return (
                            <button
                              key={s.id}
                              type="button"
                              className={`slot slot-${s.halfDay}${isSelected ? ' is-selected' : ''}${s.cancelled ? ' is-cancelled' : ''}`}
                              aria-pressed={isSelected}
                              aria-label={describe(s)}
                              data-slot-id={s.id}
                              data-date={s.date}
                              data-half-day={s.halfDay}
                              disabled={s.cancelled}
                              onClick={(e) => toggle(s, e)}
                            >
                              <span className="slot-time">{s.start}–{s.end}</span>
                              <span className="slot-meta">
                                {trainerInitials.length ? (
                                  trainerInitials.map((tr) => (
                                    <span key={tr.id} className="initials" title={fullName(tr)}>{initials(tr)}</span>
                                  ))
                                ) : (
                                  <span className="initials initials-none">—</span>
                                )}
                                {slotPlace ? <span className="slot-place">{shortPlace(slotPlace.name)}</span> : null}
                              </span>
                            </button>
                          );
                        })}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p className="legend" id="calendar-legend">
        <span className="legend-item"><span className="swatch swatch-am" aria-hidden="true" />{t('halfDays.am')}</span>
        <span className="legend-item"><span className="swatch swatch-pm" aria-hidden="true" />{t('halfDays.pm')}</span>
        <span className="legend-item"><span className="swatch swatch-selected" aria-hidden="true" />{t('calendar.legendSelected')}</span>
        <span className="legend-item"><span className="swatch swatch-holiday" aria-hidden="true" />{t('calendar.legendHoliday')}</span>
      </p>
      {slots.length > 0 ? children : null}
    </section>
  );
}
