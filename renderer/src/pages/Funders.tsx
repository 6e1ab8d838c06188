import { useState } from 'react';
import { Controller, useFieldArray, useForm } from 'react-hook-form';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { DEFAULT_PAYER_CATEGORY } from '../../../shared/domain/funding-reference';
import { parseHours, parsePercent } from '../../../shared/domain/funding-lines';
import { eurosInput, formatCents, parseEuros } from '../../../shared/format/money';
import { matchesSearch } from '../../../shared/domain/search';
import { BILLING_UNITS, EVIDENCE_KINDS, FUNDER_KINDS, PAYER_CATEGORIES, type BillingUnit, type EvidenceKind, type FunderKind, type FundingRule, type PayerCategory } from '../../../shared/schemas/funding';
import {
  funderInput,
  programmeInput,
  ruleVersionInput,
  type FunderRecord,
  type Programme,
  type ReferenceImportResult,
  type RuleVersion,
} from '../../../shared/schemas/funding-reference';
import type { ApiError } from '../../../shared/errors';
import { api, asApiError } from '../api';
import { CheckboxList } from '../components/CheckboxList';
import { DateInput } from '../components/DateInput';
import { EditorPanel } from '../components/EditorPanel';
import { CheckField, Field } from '../components/Field';
import { EmptyState, ErrorBanner, Loading, SubmitButton, SuccessBanner } from '../components/Feedback';
import { RecordListPage } from '../components/RecordListPage';
import { formatDate } from '../lib/format';
import { formResolver, orNull, useSubmitState } from '../lib/forms';
import { useQuery } from '../lib/useQuery';

/** A funder as the list page holds it: keyed by its code. */
type FunderRow = FunderRecord & { id: string };

interface FunderForm {
  code: string;
  name: string;
  kind: FunderKind;
  payerCategory: PayerCategory;
  siret: string;
  address: string;
  postcode: string;
  city: string;
  active: boolean;
}

const toFunderForm = (f: FunderRecord | null): FunderForm => ({
  code: f?.code ?? '',
  name: f?.name ?? '',
  kind: (f?.kind ?? 'region') as FunderKind,
  payerCategory: (f?.payerCategory ?? DEFAULT_PAYER_CATEGORY[f?.kind ?? 'region'] ?? 'C-11') as PayerCategory,
  siret: f?.siret ?? '',
  address: f?.address ?? '',
  postcode: f?.postcode ?? '',
  city: f?.city ?? '',
  active: f?.active ?? true,
});

const toFunderInput = (v: FunderForm, create: boolean) => ({
  code: v.code,
  create,
  name: v.name,
  kind: v.kind,
  payerCategory: v.payerCategory,
  siret: orNull(v.siret),
  address: orNull(v.address),
  postcode: orNull(v.postcode),
  city: orNull(v.city),
  active: v.active,
});

/** « Financeurs »: funders, their programmes and each programme's dated rule versions. */
export function FundersPage() {
  const { t } = useTranslation();
  return (
    <RecordListPage<FunderRow>
      ns="funders"
      load={async (search) => (await api['funders.list']()).filter((f) => matchesSearch([f.code, f.name, f.city], search)).map((f) => ({ ...f, id: f.code }))}
      titleHeader={t('funders.fields.name')}
      columns={[
        { header: t('funders.fields.code'), value: (f) => f.code },
        { header: t('funders.fields.kind'), value: (f) => t(`funders.kinds.${f.kind}`, { defaultValue: f.kind }) },
        { header: t('funders.fields.payerCategory'), value: (f) => f.payerCategory },
        { header: t('funders.columns.programmes'), value: (f) => f.programmeCount, num: true },
        {
          header: t('funders.fields.active'),
          value: (f) => (f.active ? t('funders.activeYes') : t('funders.activeNo')),
        },
      ]}
      rowName={(f) => f.name}
      savedNotice={(f) => t('funders.saved', { name: f.name })}
      editor={(p) => <FunderEditor funder={p.record} onClose={p.onClose} onSaved={p.onSaved} />}
    />
  );
}

function FunderEditor({ funder, onClose, onSaved }: { funder: FunderRow | null; onClose: () => void; onSaved: (f: FunderRow) => Promise<void> }) {
  const { t } = useTranslation();
  const create = funder === null;
  const form = useForm<FunderForm>({ defaultValues: toFunderForm(funder), resolver: formResolver<FunderForm>(funderInput, (v) => toFunderInput(v, create)) });
  const submit = useSubmitState(form);
  const { register, formState: { errors, isSubmitting } } = form;
  const save = form.handleSubmit(
    (v) => submit.run(async () => {
      const saved = await api['funders.save'](toFunderInput(v, create));
      await onSaved({ ...saved, id: saved.code });
    }),
    submit.invalid,
  );
  return (
    <EditorPanel title={funder ? t('funders.editTitle', { name: funder.name }) : t('funders.newTitle')} onClose={onClose}>
      <form className="form" onSubmit={(e) => void save(e)} noValidate>
        <p className="form-note">{t('common.requiredNote')}</p>
        <ErrorBanner error={submit.error} />
        <div className="grid grid-3">
          <Field label={t('funders.fields.code')} error={errors.code} required hint={t('funders.hints.code')}>
            {(p) => <input {...p} type="text" readOnly={!create} {...register('code')} />}
          </Field>
          <Field label={t('funders.fields.name')} error={errors.name} required className="span-2">
            {(p) => <input {...p} type="text" {...register('name')} />}
          </Field>
          <Field label={t('funders.fields.kind')} error={errors.kind} required>
            {(p) => (
              <select {...p} {...register('kind')}>
                {FUNDER_KINDS.map((k) => <option key={k} value={k}>{t(`funders.kinds.${k}`)}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('funders.fields.payerCategory')} error={errors.payerCategory} required hint={t('funders.hints.payerCategory')}>
            {(p) => (
              <select {...p} {...register('payerCategory')}>
                {PAYER_CATEGORIES.map((c) => <option key={c} value={c}>{c}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('funders.fields.siret')} error={errors.siret}>
            {(p) => <input {...p} type="text" inputMode="numeric" {...register('siret')} />}
          </Field>
          <Field label={t('funders.fields.address')} error={errors.address} className="span-3">
            {(p) => <input {...p} type="text" {...register('address')} />}
          </Field>
          <Field label={t('funders.fields.postcode')} error={errors.postcode}>
            {(p) => <input {...p} type="text" inputMode="numeric" {...register('postcode')} />}
          </Field>
          <Field label={t('funders.fields.city')} error={errors.city}>
            {(p) => <input {...p} type="text" {...register('city')} />}
          </Field>
          <CheckField label={t('funders.fields.activeLong')}>
            {(p) => <input {...p} type="checkbox" {...register('active')} />}
          </CheckField>
        </div>
        <div className="form-footer">
          <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
          <SubmitButton busy={isSubmitting}>{funder ? t('common.saveChanges') : t('funders.create')}</SubmitButton>
        </div>
      </form>
      {funder ? <ProgrammesSection funder={funder} /> : null}
    </EditorPanel>
  );
}

function ProgrammesSection({ funder }: { funder: FunderRecord }) {
  const { t } = useTranslation();
  const query = useQuery(() => api['programmes.list']({ funderCode: funder.code }), [funder.code]);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [imported, setImported] = useState<ReferenceImportResult | null>(null);
  const [importError, setImportError] = useState<unknown>(null);
  const importReference = async () => {
    setNotice(null);
    setImportError(null);
    try {
      setImported(await api['programmes.importReference']({}));
      await query.reload();
    } catch (e) {
      setImportError(e);
    }
  };
  return (
    <section className="funder-programmes" aria-labelledby="funder-programmes-title">
      <div className="panel-header">
        <h3 id="funder-programmes-title">{t('funders.programmes.title', { count: query.data?.length ?? 0 })}</h3>
        <div className="button-row">
          <button type="button" className="btn btn-secondary" onClick={() => void importReference()}>{t('funders.programmes.import')}</button>
          <button type="button" className="btn btn-primary" onClick={() => { setNotice(null); setAdding(true); }}>{t('funders.programmes.new')}</button>
        </div>
      </div>
      <ErrorBanner error={query.error ?? (importError ? { code: 'internal', message: (importError as Error).message } : null)} />
      {imported ? (
        <div className="banner banner-info" role="status">
          <p>{t('funders.programmes.imported', { created: imported.programmesCreated, versions: imported.versionsAdded, unchanged: imported.unchanged })}</p>
          {imported.skipped.length > 0 ? (
            <ul>{imported.skipped.map((s) => <li key={s.code}>{t('funders.programmes.skipped', { code: s.code, reason: s.reason })}</li>)}</ul>
          ) : null}
        </div>
      ) : null}
      <SuccessBanner>{notice}</SuccessBanner>
      {adding ? (
        <ProgrammeForm
          funderCode={funder.code}
          onClose={() => setAdding(false)}
          onSaved={async (p) => {
            setAdding(false);
            setNotice(t('funders.programmes.saved', { code: p.code }));
            await query.reload();
          }}
        />
      ) : null}
      {query.loading && !query.data ? <Loading /> : null}
      {query.data && query.data.length === 0 ? <EmptyState>{t('funders.programmes.empty')}</EmptyState> : null}
      {query.data?.map((p) => <ProgrammeCard key={p.id} programme={p} funder={funder} onChanged={query.reload} />)}
    </section>
  );
}

function ProgrammeForm({ funderCode, onClose, onSaved }: { funderCode: string; onClose: () => void; onSaved: (p: Programme) => Promise<void> }) {
  const { t } = useTranslation();
  type F = { code: string; name: string; region: string; euCofunded: boolean };
  const toInput = (v: F) => ({ code: v.code, name: v.name, region: orNull(v.region), funderCode, euCofunded: v.euCofunded });
  const form = useForm<F>({ defaultValues: { code: '', name: '', region: '', euCofunded: false }, resolver: formResolver<F>(programmeInput, toInput) });
  const submit = useSubmitState(form);
  const { register, formState: { errors, isSubmitting } } = form;
  const save = form.handleSubmit((v) => submit.run(async () => onSaved(await api['programmes.save'](toInput(v)))), submit.invalid);
  return (
    <form className="form subpanel" aria-label={t('funders.programmes.new')} onSubmit={(e) => { e.stopPropagation(); void save(e); }} noValidate>
      <ErrorBanner error={submit.error} />
      <div className="grid grid-3">
        <Field label={t('funders.programmes.code')} error={errors.code} required>
          {(p) => <input {...p} type="text" {...register('code')} />}
        </Field>
        <Field label={t('funders.programmes.name')} error={errors.name} required>
          {(p) => <input {...p} type="text" {...register('name')} />}
        </Field>
        <Field label={t('funders.programmes.region')} error={errors.region}>
          {(p) => <input {...p} type="text" {...register('region')} />}
        </Field>
        <div className="span-3">
          <CheckField label={t('funders.programmes.euCofunded')} hint={t('funders.programmes.euCofundedHint')}>
            {(p) => <input {...p} type="checkbox" {...register('euCofunded')} />}
          </CheckField>
        </div>
      </div>
      <div className="form-footer">
        <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
        <SubmitButton busy={isSubmitting}>{t('funders.programmes.create')}</SubmitButton>
      </div>
    </form>
  );
}

/** Whether the EU co-funds the programme (FSE+): its supporting pieces are then kept 10 years (RGPD retention). */
function EuCofundedToggle({ programme, onSaved }: { programme: Programme; onSaved: (p: Programme) => Promise<void> }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const toggle = async (euCofunded: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const { id, code, name, region, funderCode } = programme;
      await onSaved(await api['programmes.save']({ id, code, name, region, funderCode, euCofunded }));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <ErrorBanner error={error} />
      <CheckField label={t('funders.programmes.euCofunded')} hint={t('funders.programmes.euCofundedHint')}>
        {(p) => <input {...p} type="checkbox" checked={programme.euCofunded} disabled={busy} onChange={(e) => void toggle(e.currentTarget.checked)} />}
      </CheckField>
    </>
  );
}

function ProgrammeCard({ programme, funder, onChanged }: { programme: Programme; funder: FunderRecord; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<{ replaces: RuleVersion | null } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const titleId = `programme-${programme.id}`;
  return (
    <article className="subpanel programme" aria-labelledby={titleId}>
      <div className="panel-header">
        <h4 id={titleId}>
          {programme.code} — {programme.name}
          {programme.region ? <span className="cell-sub">{programme.region}</span> : null}
        </h4>
        <span className="badge">{t(`funders.sources.${programme.source}`)}</span>
      </div>
      <SuccessBanner>{notice}</SuccessBanner>
      <EuCofundedToggle programme={programme} onSaved={async (p) => { setNotice(t('funders.programmes.saved', { code: p.code })); await onChanged(); }} />
      {programme.versions.length === 0 ? (
        <p className="muted">{t('funders.versions.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('funders.versions.caption', { code: programme.code })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('funders.versions.window')}</th>
                <th scope="col">{t('funders.rule.unit')}</th>
                <th scope="col" className="num">{t('funders.rule.rate')}</th>
                <th scope="col">{t('funders.versions.state')}</th>
                <th scope="col">{t('funders.versions.note')}</th>
                <th scope="col"><span className="visually-hidden">{t('funders.versions.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {programme.versions.map((v) => (
                <tr key={v.id}>
                  <th scope="row">{windowLabel(t, v)}</th>
                  <td>{t(`funders.units.${v.rule.unit}`)}</td>
                  <td className="num">{v.rule.rateCents === null ? '—' : formatCents(v.rule.rateCents)}</td>
                  <td><span className={`badge version-${v.state}`}>{t(`funders.states.${v.state}`)}</span></td>
                  <td>{v.note ?? ''}</td>
                  <td>
                    {v.state !== 'replaced' && !v.frozen ? (
                      <button type="button" className="btn btn-small btn-secondary" onClick={() => { setNotice(null); setEditing({ replaces: v }); }}>
                        {t('funders.versions.correct')}<span className="visually-hidden"> {windowLabel(t, v)}</span>
                      </button>
                    ) : v.frozen ? <span className="muted">{t('funders.versions.frozen')}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing ? (
        <RuleVersionForm
          programme={programme}
          replaces={editing.replaces}
          payerCategory={funder.payerCategory ?? 'C-11'}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            setNotice(t('funders.versions.saved'));
            await onChanged();
          }}
        />
      ) : (
        <button type="button" className="btn btn-secondary" onClick={() => { setNotice(null); setEditing({ replaces: null }); }}>
          {t('funders.versions.add')}<span className="visually-hidden"> {programme.code}</span>
        </button>
      )}
    </article>
  );
}

function windowLabel(t: TFunction, v: { validFrom: string; validTo: string | null }): string {
  return v.validTo ? t('funders.versions.fromTo', { from: formatDate(v.validFrom), to: formatDate(v.validTo) }) : t('funders.versions.fromOpen', { from: formatDate(v.validFrom) });
}

const BILLABLE = ['present', 'late', 'earlyLeave', 'excused', 'unexcused', 'remote'] as const;

interface MajorationForm {
  code: string;
  label: string;
  amount: string;
  condition: 'site-zrr-qpv' | 'strategic-sector';
  sectors: string;
}

interface RuleForm {
  validFrom: string;
  validTo: string;
  unit: BillingUnit;
  rate: string;
  grantPercent: string;
  capHourly: string;
  capHours: string;
  capLine: string;
  capBudget: string;
  billable: string[];
  minDayMinutes: string;
  yearDays: string;
  majorations: MajorationForm[];
  combineMajorations: boolean;
  onRupture: 'keep' | 'pro-rata' | 'drop';
  requireCountersignature: boolean;
  evidence: EvidenceKind[];
  payerCategory: PayerCategory;
  note: string;
}

const wholeNumber = (text: string, fallback: number): number => (text.trim() === '' ? fallback : Number(text.replace(',', '.')));

function toRuleForm(v: RuleVersion | null, payerCategory: string): RuleForm {
  const r: Partial<FundingRule> = v?.rule ?? {};
  return {
    validFrom: v?.validFrom ?? '',
    validTo: v?.validTo ?? '',
    unit: r.unit ?? 'trainee-hour',
    rate: eurosInput(r.rateCents ?? null),
    grantPercent: r.grantBasisPoints ? String(r.grantBasisPoints / 100).replace('.', ',') : '',
    capHourly: eurosInput(r.caps?.hourlyPriceCents ?? null),
    capHours: r.caps?.minutesPerEnrolment ? String(r.caps.minutesPerEnrolment / 60).replace('.', ',') : '',
    capLine: eurosInput(r.caps?.amountPerLineCents ?? null),
    capBudget: eurosInput(r.caps?.budgetCents ?? null),
    billable: r.billable ? BILLABLE.filter((k) => r.billable![k]) : ['present', 'late', 'earlyLeave', 'remote'],
    minDayMinutes: String(r.minDayMinutes ?? 1),
    yearDays: String(r.yearDays ?? 365),
    majorations: (r.majorations ?? []).map((m) => ({
      code: m.code,
      label: m.label,
      amount: eurosInput(m.amountCents),
      condition: m.condition,
      sectors: m.sectors.map((s) => s.rncpCode).join(' '),
    })),
    combineMajorations: r.combineMajorations ?? false,
    onRupture: r.onRupture ?? 'pro-rata',
    requireCountersignature: r.requireCountersignature ?? true,
    evidence: r.evidence ?? ['certificat', 'invoice', 'statement'],
    payerCategory: (r.payerCategory ?? payerCategory) as PayerCategory,
    note: '',
  };
}

function toRuleInput(v: RuleForm, programmeId: string, replacesId: string | null) {
  const percent = parsePercent(v.grantPercent);
  const hours = parseHours(v.capHours);
  return {
    programmeId,
    validFrom: v.validFrom,
    validTo: v.validTo || null,
    replacesId,
    note: orNull(v.note),
    rule: {
      unit: v.unit,
      rateCents: parseEuros(v.rate),
      grantBasisPoints: v.unit === 'grant-percent' ? percent : null,
      caps: { hourlyPriceCents: parseEuros(v.capHourly), minutesPerEnrolment: hours, amountPerLineCents: parseEuros(v.capLine), budgetCents: parseEuros(v.capBudget) },
      billable: Object.fromEntries(BILLABLE.map((k) => [k, v.billable.includes(k)])),
      minDayMinutes: wholeNumber(v.minDayMinutes, 1),
      yearDays: wholeNumber(v.yearDays, 365),
      majorations:
        v.unit === 'contract-majoration'
          ? v.majorations.map((m) => ({
              code: m.code,
              label: m.label,
              amountCents: parseEuros(m.amount) ?? Number.NaN,
              condition: m.condition,
              sectors: m.sectors.split(/[\s,;]+/).filter(Boolean).map((rncpCode) => ({ rncpCode: rncpCode.toUpperCase(), from: v.validFrom, to: v.validTo || null })),
            }))
          : [],
      combineMajorations: v.combineMajorations,
      onRupture: v.onRupture,
      requireCountersignature: v.requireCountersignature,
      evidence: v.evidence,
      payerCategory: v.payerCategory,
    },
  };
}

/** Where an input path lands in the form. */
const RULE_FIELDS: Record<string, string> = {
  'rule.rateCents': 'rate', 'rule.grantBasisPoints': 'grantPercent', 'rule.caps.hourlyPriceCents': 'capHourly', 'rule.caps.minutesPerEnrolment': 'capHours',
  'rule.caps.amountPerLineCents': 'capLine', 'rule.caps.budgetCents': 'capBudget', 'rule.unit': 'unit', 'rule.minDayMinutes': 'minDayMinutes',
  'rule.yearDays': 'yearDays', 'rule.payerCategory': 'payerCategory', 'rule.majorations': 'majorationsError', replacesId: 'validFrom',
};
function ruleFieldOf(path: string): string {
  if (RULE_FIELDS[path]) return RULE_FIELDS[path];
  const m = /^rule\.majorations\.(\d+)\.(code|label|amountCents|condition|sectors)/.exec(path);
  if (m) return `majorations.${m[1]}.${m[2] === 'amountCents' ? 'amount' : m[2]}`;
  return path.startsWith('rule.') ? 'unit' : path;
}

function RuleVersionForm({
  programme,
  replaces,
  payerCategory,
  onClose,
  onSaved,
}: {
  programme: Programme;
  replaces: RuleVersion | null;
  payerCategory: string;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const replacesId = replaces?.id ?? null;
  const form = useForm<RuleForm>({
    defaultValues: toRuleForm(replaces, payerCategory),
    resolver: formResolver<RuleForm>(ruleVersionInput, (v) => toRuleInput(v, programme.id, replacesId), { fieldOf: ruleFieldOf }),
  });
  const submit = useSubmitState(form, ruleFieldOf);
  const { register, control, watch, formState: { errors, isSubmitting } } = form;
  const majorations = useFieldArray({ control, name: 'majorations' });
  const unit = watch('unit');
  const save = form.handleSubmit(
    (v) => submit.run(async () => {
      await api['programmeRules.add'](toRuleInput(v, programme.id, replacesId));
      await onSaved();
    }),
    submit.invalid,
  );
  const title = replaces ? t('funders.versions.correctTitle', { window: windowLabel(t, replaces), code: programme.code }) : t('funders.versions.addTitle', { code: programme.code });
  const majorationsError = (errors as Record<string, { message?: string } | undefined>).majorationsError;
  return (
    <form className="form subpanel" aria-label={title} onSubmit={(e) => { e.stopPropagation(); void save(e); }} noValidate>
      <h5>{title}</h5>
      {replaces ? <p className="hint">{t('funders.versions.correctHint')}</p> : null}
      <ErrorBanner error={submit.error} />
      <div className="grid grid-3">
        <Field label={t('funders.versions.validFrom')} error={errors.validFrom} required>
          {(p) => <Controller control={control} name="validFrom" render={({ field }) => <DateInput {...p} {...field} />} />}
        </Field>
        <Field label={t('funders.versions.validTo')} error={errors.validTo} hint={t('funders.versions.validToHint')}>
          {(p) => <Controller control={control} name="validTo" render={({ field }) => <DateInput {...p} {...field} />} />}
        </Field>
        <Field label={t('funders.rule.unit')} error={errors.unit} required hint={t(`funders.unitHints.${unit}`)}>
          {(p) => (
            <select {...p} {...register('unit')}>
              {BILLING_UNITS.map((u) => <option key={u} value={u}>{t(`funders.units.${u}`)}</option>)}
            </select>
          )}
        </Field>
        <Field label={t('funders.rule.rate')} error={errors.rate} hint={t('funders.rule.rateHint')}>
          {(p) => <input {...p} type="text" inputMode="decimal" {...register('rate')} />}
        </Field>
        {unit === 'grant-percent' ? (
          <Field label={t('funders.rule.grantPercent')} error={errors.grantPercent} required>
            {(p) => <input {...p} type="text" inputMode="decimal" {...register('grantPercent')} />}
          </Field>
        ) : null}
        {unit === 'day' ? (
          <Field label={t('funders.rule.minDayMinutes')} error={errors.minDayMinutes}>
            {(p) => <input {...p} type="text" inputMode="numeric" {...register('minDayMinutes')} />}
          </Field>
        ) : null}
        {unit === 'contract' ? (
          <Field label={t('funders.rule.yearDays')} error={errors.yearDays}>
            {(p) => <input {...p} type="text" inputMode="numeric" {...register('yearDays')} />}
          </Field>
        ) : null}
        <Field label={t('funders.fields.payerCategory')} error={errors.payerCategory} required>
          {(p) => (
            <select {...p} {...register('payerCategory')}>
              {PAYER_CATEGORIES.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          )}
        </Field>
      </div>
      <fieldset className="fieldset">
        <legend>{t('funders.rule.caps')}</legend>
        <div className="grid grid-3">
          <Field label={t('funders.rule.capHourly')} error={errors.capHourly}>
            {(p) => <input {...p} type="text" inputMode="decimal" {...register('capHourly')} />}
          </Field>
          <Field label={t('funders.rule.capHours')} error={errors.capHours}>
            {(p) => <input {...p} type="text" inputMode="decimal" {...register('capHours')} />}
          </Field>
          <Field label={t('funders.rule.capLine')} error={errors.capLine}>
            {(p) => <input {...p} type="text" inputMode="decimal" {...register('capLine')} />}
          </Field>
          <Field label={t('funders.rule.capBudget')} error={errors.capBudget}>
            {(p) => <input {...p} type="text" inputMode="decimal" {...register('capBudget')} />}
          </Field>
        </div>
      </fieldset>
      <Controller
        control={control}
        name="billable"
        render={({ field }) => (
          <CheckboxList legend={t('funders.rule.billable')} options={BILLABLE.map((k) => ({ value: k, label: t(`funders.billable.${k}`) }))} value={field.value} onChange={field.onChange} />
        )}
      />
      {unit === 'contract-majoration' ? (
        <fieldset className="fieldset">
          <legend>{t('funders.rule.majorations')}</legend>
          {majorationsError?.message ? <p className="field-error" role="alert">{majorationsError.message}</p> : null}
          {majorations.fields.map((m, i) => (
            <div className="grid grid-3" key={m.id}>
              <Field label={t('funders.majoration.code')} error={errors.majorations?.[i]?.code} required>
                {(p) => <input {...p} type="text" {...register(`majorations.${i}.code`)} />}
              </Field>
              <Field label={t('funders.majoration.label')} error={errors.majorations?.[i]?.label} required>
                {(p) => <input {...p} type="text" {...register(`majorations.${i}.label`)} />}
              </Field>
              <Field label={t('funders.majoration.amount')} error={errors.majorations?.[i]?.amount} required>
                {(p) => <input {...p} type="text" inputMode="decimal" {...register(`majorations.${i}.amount`)} />}
              </Field>
              <Field label={t('funders.majoration.condition')} error={errors.majorations?.[i]?.condition}>
                {(p) => (
                  <select {...p} {...register(`majorations.${i}.condition`)}>
                    <option value="site-zrr-qpv">{t('funders.majoration.conditions.site-zrr-qpv')}</option>
                    <option value="strategic-sector">{t('funders.majoration.conditions.strategic-sector')}</option>
                  </select>
                )}
              </Field>
              <Field label={t('funders.majoration.sectors')} error={errors.majorations?.[i]?.sectors} hint={t('funders.majoration.sectorsHint')}>
                {(p) => <input {...p} type="text" {...register(`majorations.${i}.sectors`)} />}
              </Field>
              <div className="field">
                <button type="button" className="btn btn-ghost" onClick={() => majorations.remove(i)}>
                  {t('funders.majoration.remove')}<span className="visually-hidden"> {i + 1}</span>
                </button>
              </div>
            </div>
          ))}
          <button type="button" className="btn btn-secondary" onClick={() => majorations.append({ code: '', label: '', amount: '', condition: 'site-zrr-qpv', sectors: '' })}>
            {t('funders.majoration.add')}
          </button>
          <div className="grid grid-3">
            <CheckField label={t('funders.rule.combineMajorations')}>
              {(p) => <input {...p} type="checkbox" {...register('combineMajorations')} />}
            </CheckField>
            <Field label={t('funders.rule.onRupture')} error={errors.onRupture}>
              {(p) => (
                <select {...p} {...register('onRupture')}>
                  {(['keep', 'pro-rata', 'drop'] as const).map((o) => <option key={o} value={o}>{t(`funders.rupture.${o}`)}</option>)}
                </select>
              )}
            </Field>
          </div>
        </fieldset>
      ) : null}
      <Controller
        control={control}
        name="evidence"
        render={({ field }) => (
          <CheckboxList legend={t('funders.rule.evidence')} options={EVIDENCE_KINDS.map((k) => ({ value: k, label: t(`funders.evidence.${k}`) }))} value={field.value} onChange={(next) => field.onChange(next as EvidenceKind[])} />
        )}
      />
      <div className="grid grid-3">
        <CheckField label={t('funders.rule.requireCountersignature')}>
          {(p) => <input {...p} type="checkbox" {...register('requireCountersignature')} />}
        </CheckField>
        <Field label={t('funders.versions.note')} error={errors.note} className="span-2">
          {(p) => <input {...p} type="text" {...register('note')} />}
        </Field>
      </div>
      <p className="hint">{t('funders.rule.rounding')}</p>
      <div className="form-footer">
        <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
        <SubmitButton busy={isSubmitting}>{replaces ? t('funders.versions.saveCorrection') : t('funders.versions.save')}</SubmitButton>
      </div>
    </form>
  );
}
