import { toNestErrors } from '@hookform/resolvers';
import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldError, FieldErrors, FieldValues, Path, Resolver, ResolverOptions, UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';
import type { ApiError } from '../../../shared/errors';
import { asApiError } from '../api';
import { asLocale, localise } from '../../../shared/messages';
import i18n from '../i18n';

export interface ResolverSetup<F extends FieldValues> {
  /** Where an input path (`timetable.2.start`) lives in the form (`days.1.pmStart`). Identity by default. */
  fieldOf?: (inputPath: string, values: F) => string;
  /** Checks the schema cannot word well for a screen, e.g. "choose a trainee" on an empty select. */
  check?: (values: F) => Partial<Record<string, string>>;
}

function flatten(errors: FieldErrors, prefix: string, out: Map<string, FieldError>): void {
  for (const [key, value] of Object.entries(errors)) {
    if (!value || typeof value !== 'object' || key === 'ref' || key === 'types') continue;
    const path = key === 'root' ? prefix : prefix ? `${prefix}.${key}` : key;
    const err = value as FieldError;
    if (typeof err.message === 'string' && typeof err.type === 'string') {
      if (!out.has(path)) out.set(path, { type: err.type, message: err.message });
    }
    flatten(value as FieldErrors, path, out);
  }
}

/**
 * A react-hook-form resolver that validates with the SAME zod input schema as the backend, so the field
 * messages people read are the backend's French sentences. `toInput` turns the screen's values (strings
 * of inputs, hours…) into the API input; errors come back under the form's own field names.
 */
export function formResolver<F extends FieldValues>(
  schema: z.ZodType,
  toInput: (values: F) => unknown,
  setup: ResolverSetup<F> = {},
): Resolver<F> {
  const inner = zodResolver(schema as unknown as z.ZodType<unknown, FieldValues>, undefined, { raw: true }) as unknown as Resolver<FieldValues>;
  const fieldOf = setup.fieldOf ?? ((p: string) => p);
  return async (values, context, options) => {
    const found = new Map<string, FieldError>();
    for (const [path, message] of Object.entries(setup.check?.(values) ?? {})) {
      if (message) found.set(path, { type: 'required', message });
    }
    const result = await inner(toInput(values) as FieldValues, context, {
      ...options,
      fields: {},
      names: undefined,
      shouldUseNativeValidation: false,
    } as unknown as ResolverOptions<FieldValues>);
    const schemaErrors = new Map<string, FieldError>();
    flatten(result.errors, '', schemaErrors);
    for (const [path, err] of schemaErrors) {
      const field = fieldOf(path, values);
      // The schema's sentence in the interface's language (shared/messages.ts), dates as JJ/MM/AAAA.
      if (!found.has(field)) found.set(field, { ...err, message: localise(err.message ?? '', asLocale(i18n.language)) });
    }
    if (found.size === 0) return { values, errors: {} };
    return { values: {}, errors: toNestErrors<F>(Object.fromEntries(found), options) };
  };
}

/** Empty input → null: what optional fields of the schemas expect. */
export const orNull = (v: string | undefined | null): string | null => (v && v.trim() ? v.trim() : null);
/** Empty input → undefined: for optional ids and dates the schema leaves out. */
export const orUndefined = (v: string | undefined | null): string | undefined => (v && v.trim() ? v.trim() : undefined);
/** A number input's text → number, or null when empty; NaN is kept so the schema reports it. */
export const numberOrNull = (v: string | undefined | null): number | null => (v === undefined || v === null || v.trim() === '' ? null : Number(v.replace(',', '.')));

/**
 * Runs a save and turns a refusal into what people see: the backend's French sentence in a banner and each
 * `issues[].path` as the matching field's error.
 */
export function useSubmitState<F extends FieldValues>(form: UseFormReturn<F>, fieldOf: (path: string) => string = (p) => p) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  /** handleSubmit's second callback: the fields already show their messages, the banner sums them up. */
  const invalid = useCallback(
    (errors: FieldErrors<F>) => {
      const found = new Map<string, FieldError>();
      flatten(errors as FieldErrors, '', found);
      setDone(null);
      setError({ code: 'validation', message: t('common.formInvalid', { count: found.size }) });
    },
    [t],
  );
  const run = useCallback(
    async (save: () => Promise<string | void>) => {
      setError(null);
      setDone(null);
      try {
        const message = await save();
        if (message) setDone(message);
      } catch (e) {
        const apiError = asApiError(e);
        setError(apiError);
        let first = true;
        for (const issue of apiError.issues ?? []) {
          const name = fieldOf(issue.path) as Path<F>;
          form.setError(name, { type: 'server', message: issue.message }, { shouldFocus: first });
          first = false;
        }
      }
    },
    [form, fieldOf],
  );
  return { error, done, run, invalid, setDone, clear: () => { setError(null); setDone(null); } };
}
