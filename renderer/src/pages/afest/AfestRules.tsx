import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { DEFAULT_AFEST_RULES } from '../../../../shared/domain/afest';
import { afestRuleInput } from '../../../../shared/schemas/afest';
import { api } from '../../api';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { EditorPanel } from '../../components/EditorPanel';
import { CheckField, Field } from '../../components/Field';
import { EmptyState, ErrorBanner, SubmitButton, SuccessBanner } from '../../components/Feedback';
import { formResolver, numberOrNull, orNull, useSubmitState } from '../../lib/forms';
import { formatDate } from '../../lib/format';
import { useQuery } from '../../lib/useQuery';
import type { AfestRule } from './afestView';

interface RuleRow {
  programmeId: string;
  programmeName: string;
  code: string;
  funderName: string;
  rule: AfestRule | null;
}

async function loadRules() {
  const [rules, programmes, funders] = await Promise.all([api['afest.rules'](), api['programmes.list']({}), api['funders.list']()]);
  const funderName = new Map(funders.map((f) => [f.code, f.name]));
  const rows: RuleRow[] = programmes.map((p) => ({
    programmeId: p.id,
    programmeName: p.name,
    code: p.code,
    funderName: funderName.get(p.funderCode) ?? p.funderCode,
    rule: rules.find((r) => r.programmeId === p.id) ?? null,
  }));
  // A rule whose programme the list no longer shows (archived) stays visible.
  for (const r of rules) {
    if (!rows.some((x) => x.programmeId === r.programmeId)) rows.push({ programmeId: r.programmeId, programmeName: r.programmeName, code: '', funderName: r.funderName, rule: r });
  }
  return rows;
}

/**
 * « Règles AFEST par dispositif »: the rules each programme sets as data (shared/domain/afest.ts AfestRules) —
 * the minimum AFEST share of the pathway, whether reflective sequences must be run by the facilitator rather
 * than the tutor — with a note (the text it comes from). A programme with no row follows the defaults.
 */
export function AfestRulesSection() {
  const { t } = useTranslation();
  const query = useQuery(loadRules, []);
  const [editing, setEditing] = useState<RuleRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const rows = useMemo(() => query.data ?? [], [query.data]);
  const yes = t('afest.rules.yes');
  const no = t('afest.rules.no');
  const columns = useMemo<DataColumn<RuleRow>[]>(
    () => [
      { id: 'programme', header: t('afest.rules.programme'), value: (r) => r.programmeName, rowHeader: true, cell: (r) => <>{r.programmeName}{r.code ? <span className="cell-sub">{r.code}</span> : null}</> },
      { id: 'funder', header: t('afest.rules.funder'), value: (r) => r.funderName },
      {
        id: 'min',
        header: t('afest.rules.minShare'),
        num: true,
        value: (r) => r.rule?.minSharePercent ?? null,
        cell: (r) => (r.rule ? (r.rule.minSharePercent !== null ? `${r.rule.minSharePercent} %` : t('afest.rules.noMin')) : <span className="muted">{t('afest.rules.default')}</span>),
      },
      {
        id: 'distinct',
        header: t('afest.rules.facilitatorDistinct'),
        value: (r) => ((r.rule ?? DEFAULT_AFEST_RULES).facilitatorDistinct ? yes : no),
        cell: (r) => <>{(r.rule ?? DEFAULT_AFEST_RULES).facilitatorDistinct ? yes : no}{r.rule ? null : <span className="cell-sub">{t('afest.rules.default')}</span>}</>,
      },
      { id: 'note', header: t('afest.rules.note'), value: (r) => r.rule?.note ?? null },
      { id: 'updated', header: t('afest.rules.updated'), value: (r) => r.rule?.updatedAt ?? null, cell: (r) => (r.rule ? formatDate(r.rule.updatedAt.slice(0, 10)) : '—') },
    ],
    [t, yes, no],
  );
  return (
    <section className="panel" aria-labelledby="afest-rules-title" aria-busy={query.loading}>
      <div className="panel-header">
        <div>
          <h2 id="afest-rules-title">{t('afest.rules.title')}</h2>
          <p className="muted">{t('afest.rules.intro')}</p>
        </div>
      </div>
      <SuccessBanner>{notice}</SuccessBanner>
      <ErrorBanner error={query.error} />
      {editing ? (
        <RuleEditor
          key={editing.programmeId}
          row={editing}
          onClose={() => setEditing(null)}
          onSaved={async (name) => {
            setEditing(null);
            await query.reload();
            setNotice(t('afest.rules.saved', { programme: name }));
          }}
        />
      ) : null}
      <DataTable
        id="afest-rules-table"
        rows={rows}
        columns={columns}
        rowKey={(r) => r.programmeId}
        labelledBy="afest-rules-title"
        rowClassName={(r) => (editing?.programmeId === r.programmeId ? 'is-current' : undefined)}
        empty={<EmptyState>{t('afest.rules.empty')}</EmptyState>}
        actions={(r) => (
          <button type="button" className="btn btn-small btn-secondary" onClick={() => { setNotice(null); setEditing(r); }}>
            {r.rule ? t('common.edit') : t('afest.rules.set')}<span className="visually-hidden"> — {r.programmeName}</span>
          </button>
        )}
      />
    </section>
  );
}

interface RuleValues {
  minSharePercent: string;
  facilitatorDistinct: boolean;
  note: string;
}

function RuleEditor({ row, onClose, onSaved }: { row: RuleRow; onClose: () => void; onSaved: (programmeName: string) => Promise<void> }) {
  const { t } = useTranslation();
  const toInput = (v: RuleValues) => ({ programmeId: row.programmeId, minSharePercent: numberOrNull(v.minSharePercent.replace('%', '')), facilitatorDistinct: v.facilitatorDistinct, note: orNull(v.note) });
  const rule = row.rule;
  const form = useForm<RuleValues>({
    defaultValues: {
      minSharePercent: rule?.minSharePercent !== null && rule?.minSharePercent !== undefined ? String(rule.minSharePercent) : '',
      facilitatorDistinct: (rule ?? DEFAULT_AFEST_RULES).facilitatorDistinct,
      note: rule?.note ?? '',
    },
    resolver: formResolver<RuleValues>(afestRuleInput, toInput),
  });
  const submit = useSubmitState(form);
  const { register, formState: { errors, isSubmitting } } = form;
  const save = form.handleSubmit((v) => submit.run(async () => {
    const saved = await api['afest.saveRule'](toInput(v));
    await onSaved(saved.programmeName);
  }), submit.invalid);
  return (
    <EditorPanel title={t('afest.rules.editTitle', { programme: row.programmeName })} onClose={onClose} dirty={form.formState.isDirty && !isSubmitting}>
      <form className="form" onSubmit={(e) => void save(e)} noValidate>
        <ErrorBanner error={submit.error} />
        <div className="grid grid-3">
          <Field label={t('afest.rules.minShareField')} error={errors.minSharePercent} hint={t('afest.rules.minShareHint')}>
            {(p) => <input {...p} type="text" inputMode="numeric" {...register('minSharePercent')} />}
          </Field>
          <div className="span-2">
            <CheckField label={t('afest.rules.facilitatorDistinctField')} hint={t('afest.rules.facilitatorDistinctHint')} error={errors.facilitatorDistinct}>
              {(p) => <input {...p} type="checkbox" {...register('facilitatorDistinct')} />}
            </CheckField>
          </div>
          <Field label={t('afest.rules.note')} error={errors.note} hint={t('afest.rules.noteHint')} className="span-3">
            {(p) => <input {...p} type="text" {...register('note')} />}
          </Field>
        </div>
        <div className="form-footer">
          <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
          <SubmitButton busy={isSubmitting}>{t('afest.rules.save')}</SubmitButton>
        </div>
      </form>
    </EditorPanel>
  );
}
