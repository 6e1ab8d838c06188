import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../../shared/errors';
import { ROLES, type Role } from '../../../../shared/permissions';
import { accountInput, type Account, type AccountInput } from '../../../../shared/schemas/accounts';
import { api, asApiError } from '../../api';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { EditorPanel, useEditor } from '../../components/EditorPanel';
import { Field } from '../../components/Field';
import { EmptyState, ErrorBanner, Loading, SubmitButton, SuccessBanner } from '../../components/Feedback';
import { PageHeader } from '../../components/Layout';
import { useAuth } from '../../lib/auth';
import { formatDateTime } from '../../lib/format';
import { formResolver, orNull, useSubmitState } from '../../lib/forms';
import { passwordError, roleLabel } from '../../lib/labels';
import { useTimeZone } from '../../lib/timeZone';
import { useQuery } from '../../lib/useQuery';
import { PasswordRule } from '../auth/AuthScreen';
import '../../accounts.css';

/** The person or record an account stands for: the trainer of a trainer's account, the tutor of a tutor's. */
const linkedName = (a: Account) => a.trainerName ?? a.tutorName ?? null;

/** Folded for a search that ignores case and accents. */
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();

/**
 * « Comptes » (administrators): every account with its role, the trainer or tutor it stands for, whether it is
 * active and its last sign-in; « Nouveau compte » and « Modifier » open the editor (role with what it may do, the
 * trainer or tutor picker for those roles, the initial or a new password with its rule live); « Désactiver » asks
 * first, then the backend closes the account's sessions everywhere at once.
 */
export function AccountsPage() {
  const { t } = useTranslation();
  const zone = useTimeZone();
  const query = useQuery(() => api['accounts.list'](), []);
  const editor = useEditor<Account>();
  const [notice, setNotice] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const rows = useMemo(() => {
    const all = query.data ?? [];
    const term = fold(search.trim());
    return term ? all.filter((a) => fold(`${a.name} ${a.login} ${a.email ?? ''} ${linkedName(a) ?? ''}`).includes(term)) : all;
  }, [query.data, search]);
  const columns = useMemo<DataColumn<Account>[]>(
    () => [
      { id: 'name', header: t('accounts.columns.name'), value: (a) => a.name, rowHeader: true },
      { id: 'login', header: t('auth.fields.login'), value: (a) => a.login, cell: (a) => <span className="mono">{a.login}</span> },
      {
        id: 'role',
        header: t('accounts.fields.role'),
        value: (a) => roleLabel(a.role),
        // The trainer or tutor the account stands for, under its role: what its scope is cut to.
        cell: (a) => (
          <>
            {roleLabel(a.role)}
            {linkedName(a) ? <span className="cell-sub">{linkedName(a)}</span> : null}
          </>
        ),
        exportValue: (a) => [roleLabel(a.role), linkedName(a)].filter(Boolean).join(' — '),
      },
      {
        id: 'active',
        header: t('accounts.columns.active'),
        value: (a) => (a.active ? t('accounts.active') : t('accounts.disabled')),
        cell: (a) => <span className={`badge ${a.active ? 'account-active' : 'account-disabled'}`}>{a.active ? t('accounts.active') : t('accounts.disabled')}</span>,
      },
      { id: 'lastSignIn', header: t('accounts.columns.lastSignIn'), value: (a) => a.lastSignInAt, cell: (a) => formatDateTime(a.lastSignInAt, zone), exportValue: (a) => formatDateTime(a.lastSignInAt, zone) },
    ],
    [t, zone],
  );
  const saved = async (message: string) => {
    editor.close();
    setNotice(message);
    await query.reload();
  };
  return (
    <div aria-busy={query.loading}>
      <PageHeader title={t('accounts.title')} intro={t('accounts.intro')}>
        <button type="button" className="btn btn-primary" onClick={() => { setNotice(null); editor.openNew(); }}>{t('accounts.new')}</button>
      </PageHeader>
      <ErrorBanner error={query.error} />
      {editor.open ? <AccountEditor key={editor.record?.id ?? 'new'} account={editor.record} onClose={editor.close} onSaved={saved} /> : null}
      <SuccessBanner>{notice}</SuccessBanner>
      <section className="panel" aria-labelledby="accounts-list-title">
        <h2 id="accounts-list-title">{t('accounts.listTitle', { count: rows.length })}</h2>
        {query.loading && !query.data ? <Loading /> : null}
        {query.data ? (
          <DataTable<Account>
            id="accounts-table"
            rows={rows}
            columns={columns}
            rowKey={(a) => a.id}
            labelledBy="accounts-list-title"
            search={{ id: 'accounts-search', label: t('table.search'), value: search, onChange: setSearch }}
            exportName="sillon-comptes"
            rowClassName={(a) => [a.active ? '' : 'is-disabled', editor.record?.id === a.id ? 'is-current' : ''].filter(Boolean).join(' ') || undefined}
            empty={<EmptyState>{search ? t('common.noMatch') : t('accounts.empty')}</EmptyState>}
            actions={(a) => (
              <button type="button" className="btn btn-small btn-secondary" onClick={() => { setNotice(null); editor.openEdit(a); }}>
                {t('common.edit')}
                <span className="visually-hidden"> {a.name}</span>
              </button>
            )}
          />
        ) : null}
      </section>
    </div>
  );
}

interface AccountValues {
  name: string;
  login: string;
  email: string;
  role: Role;
  trainerId: string;
  tutorId: string;
  password: string;
}

const toForm = (a: Account | null): AccountValues => ({
  name: a?.name ?? '',
  login: a?.login ?? '',
  email: a?.email ?? '',
  role: a?.role ?? 'staff',
  trainerId: a?.trainerId ?? '',
  tutorId: a?.tutorId ?? '',
  password: '',
});

function toInput(v: AccountValues, a: Account | null, active = a?.active ?? true): AccountInput {
  return {
    ...(a ? { id: a.id, version: a.version } : {}),
    login: v.login,
    name: v.name,
    email: orNull(v.email),
    role: v.role,
    active,
    trainerId: v.role === 'trainer' ? orNull(v.trainerId) : null,
    tutorId: v.role === 'tutor' ? orNull(v.tutorId) : null,
    password: v.password === '' ? null : v.password,
  };
}

function AccountEditor({ account, onClose, onSaved }: { account: Account | null; onClose: () => void; onSaved: (message: string) => Promise<void> }) {
  const { t } = useTranslation();
  const { status } = useAuth();
  const form = useForm<AccountValues>({
    defaultValues: toForm(account),
    resolver: formResolver<AccountValues>(accountInput, (v) => toInput(v, account), {
      check: (v) => ({
        trainerId: v.role === 'trainer' && !v.trainerId ? t('accounts.chooseTrainer') : undefined,
        tutorId: v.role === 'tutor' && !v.tutorId ? t('accounts.chooseTutor') : undefined,
        // A new account needs its initial password; an existing one keeps its own unless a new one is typed.
        password: !account || v.password !== '' ? passwordError(v.password, v.login.trim().toLowerCase()) : undefined,
      }),
    }),
  });
  const submit = useSubmitState(form);
  const { register, watch, formState: { errors, isSubmitting } } = form;
  const [role, password, login] = watch(['role', 'password', 'login']);
  const trainers = useQuery(async () => (role === 'trainer' ? api['trainers.list']({}) : null), [role === 'trainer']);
  const tutors = useQuery(async () => (role === 'tutor' ? api['afest.tutors']({}) : null), [role === 'tutor']);
  const own = account?.id === status.account?.id;

  const save = form.handleSubmit(
    (v) =>
      submit.run(async () => {
        const saved = await api['accounts.save'](toInput(v, account));
        await onSaved(account ? t('accounts.saved', { name: saved.name }) : t('accounts.created', { name: saved.name, login: saved.login }));
      }),
    submit.invalid,
  );

  return (
    <EditorPanel title={account ? t('accounts.editTitle', { name: account.name }) : t('accounts.newTitle')} onClose={onClose} dirty={form.formState.isDirty && !isSubmitting}>
      <form className="form" onSubmit={(e) => void save(e)} noValidate aria-busy={isSubmitting || undefined}>
        <p className="form-note">{t('common.requiredNote')}</p>
        <ErrorBanner error={submit.error} />
        {account && !account.active ? <p className="notice">{t('accounts.disabledNotice')}</p> : null}
        <div className="grid grid-3">
          <Field label={t('accounts.fields.name')} error={errors.name} required>
            {(p) => <input {...p} type="text" autoComplete="off" {...register('name')} />}
          </Field>
          <Field label={t('auth.fields.login')} error={errors.login} required hint={t('auth.hints.login')}>
            {(p) => <input {...p} type="text" autoComplete="off" autoCapitalize="none" spellCheck={false} {...register('login')} />}
          </Field>
          <Field label={t('auth.fields.email')} error={errors.email}>
            {(p) => <input {...p} type="email" autoComplete="off" {...register('email')} />}
          </Field>
          <Field className="span-2" label={t('accounts.fields.role')} error={errors.role} required hint={t(`accounts.roleHelp.${role}`)}>
            {(p) =>
              // One's own role is not changed here (the backend refuses it too): another administrator does it.
              own ? (
                <input {...p} type="text" readOnly value={roleLabel(role)} />
              ) : (
                <select {...p} {...register('role')}>
                  {ROLES.map((r) => <option key={r} value={r}>{roleLabel(r)}</option>)}
                </select>
              )
            }
          </Field>
          {role === 'trainer' ? (
            <Field label={t('accounts.fields.trainer')} error={errors.trainerId} required hint={t('accounts.hints.trainer')}>
              {(p) => (
                <select {...p} {...register('trainerId')}>
                  <option value="">{t('common.choose')}</option>
                  {(trainers.data ?? []).map((x) => <option key={x.id} value={x.id}>{`${x.lastName.toUpperCase()} ${x.firstName}`}</option>)}
                </select>
              )}
            </Field>
          ) : null}
          {role === 'tutor' ? (
            <Field label={t('accounts.fields.tutor')} error={errors.tutorId} required hint={t('accounts.hints.tutor')}>
              {(p) => (
                <select {...p} {...register('tutorId')}>
                  <option value="">{t('common.choose')}</option>
                  {(tutors.data ?? []).map((x) => <option key={x.id} value={x.id}>{`${x.lastName.toUpperCase()} ${x.firstName} — ${x.companyName}`}</option>)}
                </select>
              )}
            </Field>
          ) : null}
        </div>
        {own ? <p className="muted">{t('accounts.ownRole')}</p> : null}
        <ErrorBanner error={(role === 'trainer' ? trainers.error : role === 'tutor' ? tutors.error : undefined) ?? null} />
        <fieldset className="account-password">
          <legend>{account ? t('accounts.resetTitle') : t('accounts.initialTitle')}</legend>
          <Field
            label={account ? t('accounts.fields.newPassword') : t('accounts.fields.initialPassword')}
            error={errors.password}
            required={!account}
            hint={<PasswordRule password={password} login={login.trim().toLowerCase()} empty={account ? t('accounts.hints.keepPassword') : undefined} />}
          >
            {(p) => <input {...p} type="password" autoComplete="new-password" {...register('password')} />}
          </Field>
          <p className="hint">{account ? t('accounts.hints.resetPassword') : t('accounts.hints.initialPassword')}</p>
        </fieldset>
        <div className="form-footer">
          <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
          <SubmitButton busy={isSubmitting}>{account ? t('common.saveChanges') : t('accounts.create')}</SubmitButton>
        </div>
      </form>
      {account && !own ? <ActiveSection account={account} onSaved={onSaved} /> : null}
    </EditorPanel>
  );
}

/** « Désactiver » (after a confirmation: the account's sessions end everywhere at once) or « Réactiver ». */
function ActiveSection({ account, onSaved }: { account: Account; onSaved: (message: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const setActive = async (active: boolean) => {
    setBusy(true);
    setError(null);
    try {
      // The account as saved, not what the form holds: disabling must not save half-typed changes with it.
      const saved = await api['accounts.save'](toInput({ ...toForm(account), password: '' }, account, active));
      await onSaved(active ? t('accounts.enabled', { name: saved.name }) : t('accounts.disabledDone', { name: saved.name }));
    } catch (e) {
      setError(asApiError(e));
      setBusy(false);
    }
  };
  return (
    <section className="panel-section account-active-section" aria-labelledby="account-active-title">
      <h3 id="account-active-title">{account.active ? t('accounts.disableTitle') : t('accounts.enableTitle')}</h3>
      <ErrorBanner error={error} />
      {account.active ? (
        <>
          <p className="muted">{t('accounts.disableHelp')}</p>
          <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)} aria-expanded={confirming} aria-controls="account-disable-confirm" disabled={busy}>
            {t('accounts.disable')}
          </button>
          {confirming ? (
            <div id="account-disable-confirm" className="account-confirm" role="group" aria-labelledby="account-disable-confirm-text">
              <p id="account-disable-confirm-text">{t('accounts.disableConfirm', { name: account.name })}</p>
              <div className="button-row">
                <button type="button" className="btn btn-danger" onClick={() => void setActive(false)} disabled={busy} aria-busy={busy || undefined}>
                  {t('accounts.disableConfirmButton')}
                </button>
                <button type="button" className="btn btn-ghost" onClick={() => setConfirming(false)} disabled={busy}>{t('common.cancel')}</button>
              </div>
            </div>
          ) : null}
        </>
      ) : (
        <>
          <p className="muted">{t('accounts.enableHelp')}</p>
          <button type="button" className="btn btn-secondary" onClick={() => void setActive(true)} disabled={busy} aria-busy={busy || undefined}>{t('accounts.enable')}</button>
        </>
      )}
    </section>
  );
}
