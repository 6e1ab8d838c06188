import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { LOCK_AFTER_MINUTES_RANGE } from '../../../../shared/domain/accounts';
import { authSettings } from '../../../../shared/schemas/accounts';
import { api } from '../../api';
import { Field } from '../../components/Field';
import { ErrorBanner, Loading, SubmitButton, SuccessBanner } from '../../components/Feedback';
import { useAuth } from '../../lib/auth';
import { formResolver, numberOrNull, useSubmitState } from '../../lib/forms';
import { useQuery } from '../../lib/useQuery';

interface LockValues {
  lockAfterMinutes: string;
}
const toInput = (v: LockValues) => ({ lockAfterMinutes: numberOrNull(v.lockAfterMinutes) });

/**
 * « Verrouillage des sessions » on the settings page (administrators): the inactivity after which every session
 * locks (1 to 240 minutes), the PIN or the password then needed. The backend locks idle sessions by this delay
 * itself; the screens' own timer follows it from the next status.
 */
export function LockSettings() {
  const { t } = useTranslation();
  const query = useQuery(() => api['auth.settings'](), []);
  return (
    <section className="panel" aria-labelledby="lock-settings-title" aria-busy={query.loading}>
      <h2 id="lock-settings-title">{t('auth.lockSettings.title')}</h2>
      <p className="muted">{t('auth.lockSettings.help')}</p>
      <ErrorBanner error={query.error} />
      {query.loading && !query.data ? <Loading /> : null}
      {query.data ? <LockForm minutes={query.data.lockAfterMinutes} /> : null}
    </section>
  );
}

function LockForm({ minutes }: { minutes: number }) {
  const { t } = useTranslation();
  const { refresh } = useAuth();
  const form = useForm<LockValues>({ defaultValues: { lockAfterMinutes: String(minutes) }, resolver: formResolver<LockValues>(authSettings, toInput) });
  const submit = useSubmitState(form);
  const { register, reset, formState: { errors, isSubmitting } } = form;
  const save = form.handleSubmit(
    (v) =>
      submit.run(async () => {
        const saved = await api['auth.saveSettings']({ lockAfterMinutes: Number(toInput(v).lockAfterMinutes) });
        reset({ lockAfterMinutes: String(saved.lockAfterMinutes) });
        await refresh();
        return t('auth.lockSettings.saved', { count: saved.lockAfterMinutes });
      }),
    submit.invalid,
  );
  return (
    <form className="form" onSubmit={(e) => void save(e)} noValidate aria-busy={isSubmitting || undefined}>
      <ErrorBanner error={submit.error} />
      <SuccessBanner>{submit.done}</SuccessBanner>
      <div className="inline-form">
        <Field label={t('auth.lockSettings.field')} error={errors.lockAfterMinutes} required hint={t('auth.lockSettings.hint', LOCK_AFTER_MINUTES_RANGE)}>
          {(p) => <input {...p} type="number" inputMode="numeric" min={LOCK_AFTER_MINUTES_RANGE.min} max={LOCK_AFTER_MINUTES_RANGE.max} step={1} {...register('lockAfterMinutes')} />}
        </Field>
        <SubmitButton busy={isSubmitting}>{t('auth.lockSettings.submit')}</SubmitButton>
      </div>
    </form>
  );
}
