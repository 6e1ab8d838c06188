import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { formatPermille } from '../../../../shared/domain/afest';
import { afestInput, type AfestSummary } from '../../../../shared/schemas/afest';
import { api } from '../../api';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { EditorPanel } from '../../components/EditorPanel';
import { Field } from '../../components/Field';
import { EmptyState, ErrorBanner, Loading, SubmitButton } from '../../components/Feedback';
import { PageHeader } from '../../components/Layout';
import { formResolver, useSubmitState } from '../../lib/forms';
import { formatMinutes } from '../../lib/format';
import { usePermissions } from '../../lib/permissions';
import { useQuery } from '../../lib/useQuery';
import { ComplianceBadge } from './CompliancePanel';
import { AfestRulesSection } from './AfestRules';
import '../../afest.css';

/** « 1 h 30 » kept on one line when the cell wraps. */
const nb = (text: string) => text.replace(/ /g, '\u00a0');

/**
 * « AFEST »: every AFEST with its trainee, company, tutor, programme, phase, compliance (« conforme » or the
 * number of points to fix), realised hours per kind and the AFEST share; « Nouvelle AFEST » picks an
 * enrolment and a title, then opens the AFEST's page on its set-up. Below, the programmes' AFEST rules.
 */
export function AfestListPage() {
  const { t } = useTranslation();
  const query = useQuery(() => api['afest.list']({}), []);
  const [creating, setCreating] = useState(false);
  const may = usePermissions();
  const rows = useMemo(() => query.data ?? [], [query.data]);
  const columns = useMemo<DataColumn<AfestSummary>[]>(
    () => [
      {
        id: 'trainee',
        header: t('afest.columns.trainee'),
        value: (a) => a.traineeName,
        rowHeader: true,
        cell: (a) => (
          <>
            <Link to={`/afest/${a.id}`}>{a.traineeName}</Link>
            <span className="cell-sub">{a.title}</span>
          </>
        ),
      },
      { id: 'company', header: t('afest.columns.company'), value: (a) => a.companyName },
      { id: 'tutor', header: t('afest.columns.tutor'), value: (a) => a.tutorName },
      { id: 'programme', header: t('afest.columns.programme'), value: (a) => a.programmeName },
      {
        id: 'phase',
        header: t('afest.columns.phase'),
        value: (a) => ['engineering', 'running', 'evaluated'].indexOf(a.phase),
        exportValue: (a) => t(`afest.phases.${a.phase}`),
        cell: (a) => <span className={`badge afest-phase-${a.phase}`}>{t(`afest.phases.${a.phase}`)}</span>,
      },
      {
        id: 'compliance',
        header: t('afest.columns.compliance'),
        value: (a) => a.failures,
        exportValue: (a) => (a.compliant ? t('afest.compliance.compliant') : t('afest.compliance.failures', { count: a.failures })),
        cell: (a) => <ComplianceBadge compliant={a.compliant} failures={a.failures} />,
      },
      {
        id: 'hours',
        header: t('afest.columns.hours'),
        className: 'afest-cell-num',
        value: (a) => a.hours.afest,
        exportValue: (a) => a.hours.afest / 60,
        cell: (a) => (
          <>
            {formatMinutes(a.hours.afest)}
            <span className="cell-sub">{t('afest.columns.hoursDetail', { mst: nb(formatMinutes(a.hours.workSituation)), sr: nb(formatMinutes(a.hours.reflective)), evaluation: nb(formatMinutes(a.hours.evaluation)) })}</span>
          </>
        ),
      },
      {
        id: 'share',
        header: t('afest.columns.share'),
        className: 'afest-cell-num',
        value: (a) => a.share.realisedPermille,
        exportValue: (a) => (a.share.realisedPermille === null ? '' : a.share.realisedPermille / 10),
        cell: (a) => (
          <>
            {formatPermille(a.share.realisedPermille)}
            <span className="cell-sub">
              {t('afest.columns.shareDetail', { planned: formatPermille(a.share.plannedPermille) })}
            </span>
            {a.share.minPercent !== null ? <span className="cell-sub">{t('afest.columns.shareMin', { min: a.share.minPercent })}</span> : null}
          </>
        ),
      },
    ],
    [t],
  );
  const failing = rows.filter((a) => !a.compliant).length;
  return (
    <div>
      <PageHeader title={t('afest.title')} intro={t('afest.intro')}>
        {may.has('afest.write') ? <Link to="/tuteur" className="btn btn-secondary">{t('afest.tutorMode')}</Link> : null}
        {may.has('afest.manage') ? <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>{t('afest.new')}</button> : null}
      </PageHeader>
      <ErrorBanner error={query.error} />
      {creating ? <NewAfest onClose={() => setCreating(false)} /> : null}
      <section className="panel" aria-labelledby="afest-list-title" aria-busy={query.loading}>
        <div className="panel-header">
          <h2 id="afest-list-title">{t('afest.listTitle', { count: rows.length })}</h2>
          {rows.length > 0 ? <p className="muted">{failing ? t('afest.listFailing', { count: failing }) : t('afest.listAllCompliant')}</p> : null}
        </div>
        {query.loading && !query.data ? <Loading /> : null}
        <DataTable
          id="afest-table"
          rows={rows}
          columns={columns}
          rowKey={(a) => a.id}
          labelledBy="afest-list-title"
          exportName="sillon-afest"
          regionLabel={t('afest.tableRegion')}
          empty={<EmptyState>{t('afest.empty')}</EmptyState>}
        />
      </section>
      {/* The programmes' rules read the funders' programmes: a tutor or a trainer sees only their AFESTs. */}
      {may.has('funding.read') ? <AfestRulesSection /> : null}
    </div>
  );
}

interface NewAfestValues {
  sessionId: string;
  enrolmentId: string;
  title: string;
}

const toNew = (v: NewAfestValues) => ({ enrolmentId: v.enrolmentId, title: v.title });

/** « Nouvelle AFEST »: the trainee (an enrolment: session, then trainee) and a title; the rest is the set-up. */
function NewAfest({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const sessions = useQuery(() => api['sessions.list']({}), []);
  const form = useForm<NewAfestValues>({
    defaultValues: { sessionId: '', enrolmentId: '', title: '' },
    resolver: formResolver<NewAfestValues>(afestInput, toNew, {
      check: (v) => ({ ...(v.sessionId ? {} : { sessionId: t('afest.create.chooseSession') }), ...(v.enrolmentId ? {} : { enrolmentId: t('afest.create.chooseTrainee') }) }),
    }),
  });
  const submit = useSubmitState(form);
  const { register, watch, setValue, getValues, formState: { errors, isSubmitting } } = form;
  const sessionId = watch('sessionId');
  const enrolments = useQuery(async () => (sessionId ? (await api['sessions.get']({ id: sessionId })).enrolments : []), [sessionId]);
  const save = form.handleSubmit(
    (v) => submit.run(async () => {
      const page = await api['afest.save'](toNew(v));
      navigate(`/afest/${page.afest.id}`);
    }),
    submit.invalid,
  );
  return (
    <EditorPanel title={t('afest.create.title')} onClose={onClose} dirty={form.formState.isDirty && !isSubmitting}>
      <form className="form" onSubmit={(e) => void save(e)} noValidate aria-busy={isSubmitting || undefined}>
        <p className="form-note">{t('afest.create.intro')}</p>
        <ErrorBanner error={submit.error ?? sessions.error} />
        <div className="grid grid-3">
          <Field label={t('afest.create.session')} error={errors.sessionId} required>
            {(p) => (
              <select
                {...p}
                {...register('sessionId', {
                  onChange: (e: { target: { value: string } }) => {
                    setValue('enrolmentId', '');
                    const s = (sessions.data ?? []).find((x) => x.id === e.target.value);
                    if (s && !getValues('title')) setValue('title', t('afest.create.defaultTitle', { action: s.actionTitle }));
                  },
                })}
              >
                <option value="">{t('common.choose')}</option>
                {(sessions.data ?? []).map((s) => <option key={s.id} value={s.id}>{`${s.label} — ${s.actionTitle}`}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('afest.create.trainee')} error={errors.enrolmentId} required>
            {(p) => (
              <select {...p} {...register('enrolmentId')} disabled={!sessionId}>
                <option value="">{t('common.choose')}</option>
                {(enrolments.data ?? []).map((e) => <option key={e.id} value={e.id}>{e.companyName ? `${e.traineeName} — ${e.companyName}` : e.traineeName}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('afest.fields.title')} error={errors.title} required>
            {(p) => <input {...p} type="text" {...register('title')} />}
          </Field>
        </div>
        <div className="form-footer">
          <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
          <SubmitButton busy={isSubmitting}>{t('afest.create.submit')}</SubmitButton>
        </div>
      </form>
    </EditorPanel>
  );
}
