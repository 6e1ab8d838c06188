import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPermille, type ComplianceReport } from '../../../../shared/domain/afest';
import { asLocale, localise } from '../../../../shared/messages';
import type { AfestPage } from '../../../../shared/schemas/afest';
import { formatMinutes } from '../../lib/format';

type Check = ComplianceReport['checks'][number];

const GROUPS = [1, 2, 3, 4, null] as const;
const ICONS: Record<Check['status'], string> = { pass: '✓', fail: '✗', pending: '…', na: '–' };

/** « Conforme » or « 3 points à corriger »: the words always there, the colour only helps. */
export function ComplianceBadge({ compliant, failures }: { compliant: boolean; failures: number }) {
  const { t } = useTranslation();
  return compliant ? (
    <span className="badge afest-ok">{t('afest.compliance.compliant')}</span>
  ) : (
    <span className="badge afest-ko">{t('afest.compliance.failures', { count: failures })}</span>
  );
}

/**
 * The compliance panel: the four components of D.6313-3-2 and the conditions around them, each check green,
 * red or grey with its sentence, and — when a set-up field fixes it — a button that opens that field.
 * `live`: computed from the set-up being typed (not yet saved), said above the list.
 */
export function CompliancePanel({ report, live, onFix }: { report: ComplianceReport; live: boolean; onFix: (field: string) => void }) {
  const { t, i18n } = useTranslation();
  const titleId = useId();
  const locale = asLocale(i18n.language);
  const failures = report.checks.filter((c) => c.status === 'fail').length;
  return (
    <section className="panel afest-compliance" aria-labelledby={titleId} data-testid="afest-compliance">
      <div className="panel-header">
        <h2 id={titleId}>{t('afest.compliance.title')}</h2>
        <ComplianceBadge compliant={report.compliant} failures={failures} />
      </div>
      <p className="muted afest-compliance-intro">{t('afest.compliance.intro')}</p>
      {live ? <p className="notice" role="status">{t('afest.compliance.live')}</p> : null}
      {GROUPS.map((group) => {
        const checks = report.checks.filter((c) => c.component === group);
        if (checks.length === 0) return null;
        const headingId = `${titleId}-g${group ?? 0}`;
        return (
          <div key={group ?? 0} className="afest-check-group">
            <h3 id={headingId}>{group === null ? t('afest.compliance.conditions') : t(`afest.compliance.components.${group}`)}</h3>
            <ul className="afest-checks" aria-labelledby={headingId}>
              {checks.map((c) => (
                <li key={c.code} className={`afest-check is-${c.status}`} data-code={c.code} data-status={c.status}>
                  <span className="afest-check-icon" aria-hidden="true">{ICONS[c.status]}</span>
                  <span className="afest-check-text">
                    <span className="visually-hidden">{t(`afest.compliance.status.${c.status}`)} : </span>
                    {localise(c.message, locale)}
                    {c.sequences.length > 0 ? <span className="cell-sub">{t('afest.compliance.sequencesAtFault', { count: c.sequences.length })}</span> : null}
                  </span>
                  {c.status === 'fail' && c.field ? (
                    <button type="button" className="btn btn-small btn-secondary afest-fix" onClick={() => onFix(c.field!)}>
                      {t('afest.compliance.fix')}<span className="visually-hidden"> — {t(`afest.fields.${fieldKey(c.field)}`)}</span>
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

type FieldKey = 'companyId' | 'tutorId' | 'tutorDesignatedOn' | 'tutorAcceptedOn' | 'facilitatorId' | 'conventionRef' | 'analysisDate' | 'workSituations' | 'tasks' | 'competences' | 'plannedHours' | 'pathwayHours';
const FIELD_KEYS = new Set<string>(['companyId', 'tutorId', 'tutorDesignatedOn', 'tutorAcceptedOn', 'facilitatorId', 'conventionRef', 'analysisDate', 'workSituations', 'tasks', 'competences']);
/** The label key of a set-up field a check names (hours are typed, minutes are stored). */
function fieldKey(field: string): FieldKey {
  if (field === 'plannedMinutes') return 'plannedHours';
  if (field === 'pathwayMinutes') return 'pathwayHours';
  return (FIELD_KEYS.has(field) ? field : 'analysisDate') as FieldKey;
}

/**
 * The AFEST share of the pathway, planned and realised, against the programme's minimum: a gauge people read
 * at a glance (the bar reaches the line or not), with the same figures as text for screen readers.
 */
export function ShareGauge({ share }: { share: ComplianceReport['share'] }) {
  const { t } = useTranslation();
  const id = useId();
  const min = share.minPercent;
  const rows = [
    { key: 'planned', label: t('afest.share.planned'), permille: share.plannedPermille },
    { key: 'realised', label: t('afest.share.realised'), permille: share.realisedPermille },
  ] as const;
  // Sized for the half-width panel it sits in (about 420 px): the text stays at the page's own size.
  const left = 92;
  const track = 270;
  const width = left + track + 70;
  const rowH = 36;
  const top = 24;
  const height = top + rows.length * rowH + 6;
  const tone = (p: number | null) => (p === null ? 'none' : min === null ? 'neutral' : p >= min * 10 ? 'ok' : 'ko');
  const text = (p: number | null) => (p === null ? t('afest.share.unknown') : formatPermille(p));
  return (
    <figure className="afest-gauge" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>
        {min === null ? t('afest.share.captionNoMin') : t('afest.share.caption', { min })}
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" aria-hidden="true" focusable="false" preserveAspectRatio="xMinYMin meet">
        {[0, 25, 50, 75, 100].map((p) => (
          <g key={p}>
            <line x1={left + (track * p) / 100} x2={left + (track * p) / 100} y1={top - 4} y2={height - 4} className="gauge-grid" />
            <text x={left + (track * p) / 100} y={top - 8} textAnchor="middle" className="gauge-tick">{`${p} %`}</text>
          </g>
        ))}
        {rows.map((r, i) => {
          const y = top + i * rowH;
          const w = r.permille === null ? 0 : Math.max(2, Math.round((Math.min(r.permille, 1000) / 1000) * track));
          return (
            <g key={r.key}>
              <text x={left - 10} y={y + rowH / 2} textAnchor="end" dominantBaseline="middle" className="gauge-label">{r.label}</text>
              <rect x={left} y={y + 9} width={track} height={rowH - 18} rx={4} className="gauge-track" />
              {r.permille !== null ? <rect x={left} y={y + 9} width={w} height={rowH - 18} rx={4} className={`gauge-bar gauge-${tone(r.permille)}`} /> : null}
              <text x={left + track + 8} y={y + rowH / 2} dominantBaseline="middle" className="gauge-value">{r.permille === null ? '—' : text(r.permille)}</text>
            </g>
          );
        })}
        {min !== null ? (
          <g>
            <line x1={left + (track * min) / 100} x2={left + (track * min) / 100} y1={top - 2} y2={height - 2} className="gauge-min" />
          </g>
        ) : null}
      </svg>
      <ul className="visually-hidden">
        {rows.map((r) => <li key={r.key}>{`${r.label} : ${text(r.permille)}`}</li>)}
        {min !== null ? <li>{t('afest.share.minimum', { min })}</li> : null}
      </ul>
    </figure>
  );
}

/** Realised minutes per kind, shown apart: work situations, reflective sequences, evaluations, and the rest of the pathway. */
export function HoursCards({ hours }: { hours: AfestPage['summary']['hours'] }) {
  const { t } = useTranslation();
  const cards = [
    { key: 'mst', label: t('afest.hours.workSituation'), minutes: hours.workSituation },
    { key: 'sr', label: t('afest.hours.reflective'), minutes: hours.reflective },
    { key: 'eval', label: t('afest.hours.evaluation'), minutes: hours.evaluation },
    { key: 'afest', label: t('afest.hours.afest'), minutes: hours.afest },
    { key: 'other', label: t('afest.hours.other'), minutes: hours.other },
  ];
  return (
    <ul className="afest-hours" data-testid="afest-hours">
      {cards.map((c) => (
        <li key={c.key} className={`afest-hours-card afest-hours-${c.key}`} data-kind={c.key}>
          <span className="afest-hours-value">{formatMinutes(c.minutes)}</span>
          <span className="afest-hours-label">{c.label}</span>
        </li>
      ))}
    </ul>
  );
}
