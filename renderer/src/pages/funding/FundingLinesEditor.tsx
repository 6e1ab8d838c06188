import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldIssue } from '../../../../shared/errors';
import {
  checkFundingLines,
  formatBasisPoints,
  parseHours,
  parsePercent,
  remainderOf,
  type FundingLineDraft,
  type ShareKind,
} from '../../../../shared/domain/funding-lines';
import { eurosInput, parseEuros } from '../../../../shared/format/money';
import { COST_TYPES, type CostType } from '../../../../shared/schemas/funding';
import { SHARE_KINDS, type FundingLine, type FundingsList } from '../../../../shared/schemas/funding-lines';
import { api, asApiError } from '../../api';
import { Field } from '../../components/Field';
import { ErrorBanner, Loading, SubmitButton, SuccessBanner } from '../../components/Feedback';
import { formatMinutes } from '../../lib/format';
import { useQuery } from '../../lib/useQuery';
import type { ApiError } from '../../../../shared/errors';
import { useUnsavedGuard } from '../../lib/useUnsavedGuard';

export type FundingOwner = { enrolmentId: string } | { sessionId: string };

interface LineState {
  key: string;
  id?: string | undefined;
  funderCode: string;
  programmeId: string;
  costType: CostType;
  shareKind: ShareKind;
  /** « 33,33 » for a percent, « 120 » (hours) for minutes. */
  shareText: string;
  fileNumber: string;
  purchaseOrder: string;
  /** € per hour, « 18,00 ». */
  rateText: string;
}

let nextKey = 0;
const newKey = () => `line-${++nextKey}`;

function toState(l: FundingLine): LineState {
  const shareText =
    l.shareKind === 'percent' && l.shareValue !== null
      ? formatBasisPoints(l.shareValue).replace(' %', '')
      : l.shareKind === 'minutes' && l.shareValue !== null
        ? String(Math.round((l.shareValue / 60) * 100) / 100).replace('.', ',')
        : '';
  return {
    key: newKey(),
    id: l.id,
    funderCode: l.funderCode,
    programmeId: l.programmeId ?? '',
    costType: l.costType,
    shareKind: l.shareKind,
    shareText,
    fileNumber: l.fileNumber ?? '',
    purchaseOrder: l.purchaseOrder ?? '',
    rateText: l.rateCents === null ? '' : eurosInput(l.rateCents),
  };
}

function toDraft(l: LineState): FundingLineDraft {
  const shareValue = l.shareKind === 'percent' ? parsePercent(l.shareText) : l.shareKind === 'minutes' ? parseHours(l.shareText) : null;
  return { funderCode: l.funderCode, programmeId: l.programmeId || null, costType: l.costType, shareKind: l.shareKind, shareValue };
}

const orNull = (v: string) => (v.trim() ? v.trim() : null);

/**
 * The funding lines of an enrolment or of a whole session: funder × programme × cost type × share (a
 * percentage typed « 33,33 », hours typed « 120 », or the remainder), file number, purchase order and a
 * negotiated rate. The set is checked as it is typed by the same rule as the backend
 * (shared/domain/funding-lines.ts), and who takes the remainder of the planned hours is said in a sentence.
 */
export function FundingLinesEditor({
  owner,
  title,
  totalMinutes,
  funders,
  onSaved,
  onClose,
}: {
  owner: FundingOwner;
  title: string;
  /** The planned minutes the shares apply to (the enrolment's, or the session's slots). */
  totalMinutes: number;
  funders: readonly { code: string; name: string }[];
  onSaved?: (message: string) => Promise<void> | void;
  onClose?: () => void;
}) {
  const { t } = useTranslation();
  const ownerKey = 'enrolmentId' in owner ? owner.enrolmentId : owner.sessionId;
  const query = useQuery(() => api['fundings.list'](owner), [ownerKey]);
  const [notice, setNotice] = useState<string | null>(null);
  const ref = useRef<HTMLElement>(null);
  // Focus once, when the panel opens (a parent re-rendering hands a new onClose: focus must not jump back here).
  const opensAsPanel = onClose !== undefined;
  useEffect(() => {
    if (opensAsPanel) ref.current?.focus();
  }, [opensAsPanel]);
  return (
    <section className={onClose ? 'subpanel funding-lines' : 'panel funding-lines'} ref={ref} tabIndex={onClose ? -1 : undefined} aria-labelledby={`funding-title-${ownerKey}`}>
      <div className="panel-header">
        <h3 id={`funding-title-${ownerKey}`}>{title}</h3>
        {onClose ? <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.close')}</button> : null}
      </div>
      <ErrorBanner error={query.error} />
      <SuccessBanner>{notice}</SuccessBanner>
      {query.data ? (
        <LinesForm key={query.data.lines.map((l) => `${l.id}:${l.version}`).join('|')} owner={owner} list={query.data} totalMinutes={totalMinutes} funders={funders} onSaved={async (message) => { await query.reload(); setNotice(message); await onSaved?.(message); }} onEdit={() => setNotice(null)} />
      ) : query.loading ? (
        <Loading />
      ) : null}
    </section>
  );
}

function LinesForm({
  owner,
  list,
  totalMinutes,
  funders,
  onSaved,
  onEdit,
}: {
  owner: FundingOwner;
  list: FundingsList;
  totalMinutes: number;
  funders: readonly { code: string; name: string }[];
  onSaved: (message: string) => Promise<void>;
  onEdit: () => void;
}) {
  const { t } = useTranslation();
  const [lines, setLines] = useState<LineState[]>(() => list.lines.map(toState));
  const [dirty, setDirty] = useState(false);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [serverIssues, setServerIssues] = useState<FieldIssue[]>([]);
  useUnsavedGuard(dirty);
  const funderName = useMemo(() => new Map(funders.map((f) => [f.code, f.name])), [funders]);
  const isEnrolment = 'enrolmentId' in owner;

  const drafts = useMemo(() => lines.map(toDraft), [lines]);
  const issues = useMemo(() => {
    const found = checkFundingLines(drafts, { funders, programmes: list.programmes }, { requireOne: isEnrolment });
    lines.forEach((l, i) => {
      const rate = parseEuros(l.rateText);
      if (rate !== null && Number.isNaN(rate)) found.push({ path: `lines.${i}.rateCents`, message: t('fundings.rateInvalid') });
    });
    return found;
  }, [drafts, lines, funders, list.programmes, isEnrolment, t]);
  const shown = tried ? [...issues, ...serverIssues] : serverIssues;
  const errorAt = (path: string) => {
    const issue = shown.find((i) => i.path === path);
    return issue ? { message: issue.message } : undefined;
  };

  const change = (key: string, patch: Partial<LineState>) => {
    setDirty(true);
    onEdit();
    setServerIssues([]);
    setLines((all) => all.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  };
  const add = () => {
    setDirty(true);
    onEdit();
    setLines((all) => [
      ...all,
      { key: newKey(), funderCode: '', programmeId: '', costType: 'pedagogique', shareKind: all.some((l) => l.shareKind === 'remainder') ? 'percent' : 'remainder', shareText: '', fileNumber: '', purchaseOrder: '', rateText: '' },
    ]);
  };
  const remove = (key: string) => {
    setDirty(true);
    onEdit();
    setServerIssues([]);
    setLines((all) => all.filter((l) => l.key !== key));
  };

  const save = async () => {
    setTried(true);
    setError(null);
    onEdit();
    if (issues.length > 0) {
      setError({ code: 'validation', message: t('common.formInvalid', { count: issues.length }) });
      return;
    }
    setBusy(true);
    try {
      await api['fundings.save']({
        ...owner,
        lines: lines.map((l, i) => ({
          ...(l.id ? { id: l.id } : {}),
          funderCode: l.funderCode,
          programmeId: l.programmeId || null,
          costType: l.costType,
          shareKind: l.shareKind,
          shareValue: drafts[i]!.shareValue,
          fileNumber: orNull(l.fileNumber),
          purchaseOrder: orNull(l.purchaseOrder),
          rateCents: parseEuros(l.rateText),
        })),
      });
      setDirty(false);
      await onSaved(t('fundings.saved'));
    } catch (e) {
      const apiError = asApiError(e);
      setError(apiError);
      setServerIssues(apiError.issues ?? []);
    } finally {
      setBusy(false);
    }
  };

  const costTypes = COST_TYPES.filter((c) => drafts.some((d) => d.costType === c));
  return (
    <form className="form" noValidate onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <ErrorBanner error={error} />
      {lines.length === 0 ? <p className="muted">{t('fundings.none')}</p> : null}
      {lines.map((l, i) => {
        const n = i + 1;
        const at = (field: string) => `lines.${i}.${field}`;
        const hidden = <span className="visually-hidden"> ({t('fundings.lineN', { n })})</span>;
        const programmes = list.programmes.filter((p) => p.funderCode === l.funderCode || p.id === l.programmeId);
        return (
          <fieldset key={l.key} className="funding-line">
            <legend>{t('fundings.lineN', { n })}</legend>
            <div className="grid grid-4">
              <Field label={<>{t('fundings.fields.funder')}{hidden}</>} error={errorAt(at('funderCode'))} required>
                {(p) => (
                  <select {...p} value={l.funderCode} onChange={(e) => change(l.key, { funderCode: e.target.value, programmeId: '' })}>
                    <option value="">{t('common.choose')}</option>
                    {funders.map((f) => <option key={f.code} value={f.code}>{f.name}</option>)}
                  </select>
                )}
              </Field>
              <Field label={<>{t('fundings.fields.programme')}{hidden}</>} error={errorAt(at('programmeId'))}>
                {(p) => (
                  <select {...p} value={l.programmeId} onChange={(e) => change(l.key, { programmeId: e.target.value })}>
                    <option value="">{t('fundings.noProgramme')}</option>
                    {programmes.map((pr) => <option key={pr.id} value={pr.id}>{pr.name}</option>)}
                  </select>
                )}
              </Field>
              <Field label={<>{t('fundings.fields.costType')}{hidden}</>} error={errorAt(at('costType'))}>
                {(p) => (
                  <select {...p} value={l.costType} onChange={(e) => change(l.key, { costType: e.target.value as CostType })}>
                    {COST_TYPES.map((c) => <option key={c} value={c}>{t(`costTypes.${c}`)}</option>)}
                  </select>
                )}
              </Field>
              <Field label={<>{t('fundings.fields.shareKind')}{hidden}</>} error={errorAt(at('shareKind'))}>
                {(p) => (
                  <select {...p} value={l.shareKind} onChange={(e) => change(l.key, { shareKind: e.target.value as ShareKind, shareText: '' })}>
                    {SHARE_KINDS.map((k) => <option key={k} value={k}>{t(`fundings.shareKinds.${k}`)}</option>)}
                  </select>
                )}
              </Field>
              {l.shareKind !== 'remainder' ? (
                <Field
                  label={<>{t(l.shareKind === 'percent' ? 'fundings.fields.percent' : 'fundings.fields.hours')}{hidden}</>}
                  error={errorAt(at('shareValue'))}
                  hint={t(l.shareKind === 'percent' ? 'fundings.hints.percent' : 'fundings.hints.hours')}
                  required
                >
                  {(p) => <input {...p} type="text" inputMode="decimal" value={l.shareText} onChange={(e) => change(l.key, { shareText: e.target.value })} />}
                </Field>
              ) : null}
              <Field label={<>{t('fundings.fields.fileNumber')}{hidden}</>} error={errorAt(at('fileNumber'))}>
                {(p) => <input {...p} type="text" value={l.fileNumber} onChange={(e) => change(l.key, { fileNumber: e.target.value })} />}
              </Field>
              <Field label={<>{t('fundings.fields.purchaseOrder')}{hidden}</>} error={errorAt(at('purchaseOrder'))}>
                {(p) => <input {...p} type="text" value={l.purchaseOrder} onChange={(e) => change(l.key, { purchaseOrder: e.target.value })} />}
              </Field>
              <Field label={<>{t('fundings.fields.rate')}{hidden}</>} error={errorAt(at('rateCents'))} hint={t('fundings.hints.rate')}>
                {(p) => <input {...p} type="text" inputMode="decimal" value={l.rateText} onChange={(e) => change(l.key, { rateText: e.target.value })} />}
              </Field>
            </div>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => remove(l.key)}>
              {t('fundings.remove')}<span className="visually-hidden"> — {t('fundings.lineN', { n })}</span>
            </button>
          </fieldset>
        );
      })}
      {errorAt('lines') ? <p className="field-error">{errorAt('lines')?.message}</p> : null}
      <div className="funding-remainders" aria-live="polite">
        {costTypes.map((c) => {
          const rest = remainderOf(drafts, c, totalMinutes);
          if (!rest) return null;
          const prefix = costTypes.length > 1 ? `${t(`costTypes.${c}`)} — ` : '';
          const taker = rest.index === null ? null : drafts[rest.index]!.funderCode;
          return (
            <p key={c} className="funding-remainder">
              {prefix}
              {taker !== null
                ? t('fundings.remainder', { hours: formatMinutes(rest.minutes), funder: funderName.get(taker) ?? t('fundings.funderNotChosen'), total: formatMinutes(totalMinutes) })
                : t('fundings.unfunded', { hours: formatMinutes(rest.minutes), total: formatMinutes(totalMinutes) })}
            </p>
          );
        })}
      </div>
      <div className="form-footer">
        <button type="button" className="btn btn-secondary" onClick={add}>{t('fundings.add')}</button>
        <SubmitButton busy={busy}>{t('fundings.save')}</SubmitButton>
      </div>
    </form>
  );
}
