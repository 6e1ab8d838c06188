import { useId, type ReactNode } from 'react';

export interface ControlProps {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
  'aria-required': boolean | undefined;
}

interface FieldProps {
  /** A fixed id for the control, when something else must point at it (a link that focuses it). */
  id?: string;
  label: ReactNode;
  error?: { message?: string | undefined } | undefined;
  hint?: ReactNode;
  required?: boolean;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}

/** A labelled control with its hint and its error, wired for screen readers (aria-describedby, aria-invalid). */
export function Field({ id: fixedId, label, error, hint, required, className, children }: FieldProps) {
  const autoId = useId();
  const id = fixedId ?? autoId;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error?.message ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', error?.message ? 'has-error' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={id}>
        {label}
        {required ? <span className="required" aria-hidden="true"> *</span> : null}
      </label>
      {children({ id, 'aria-invalid': error?.message ? true : undefined, 'aria-describedby': describedBy, 'aria-required': required || undefined })}
      {hint ? <p className="hint" id={hintId}>{hint}</p> : null}
      {error?.message ? <p className="field-error" id={errorId}>{error.message}</p> : null}
    </div>
  );
}

interface CheckFieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: { message?: string | undefined } | undefined;
  children: (control: ControlProps) => ReactNode;
}

/** A checkbox with its label on the right, the whole line clickable. */
export function CheckField({ label, hint, error, children }: CheckFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error?.message ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field field-check">
      <div className="check-line">
        {children({ id, 'aria-invalid': error?.message ? true : undefined, 'aria-describedby': describedBy, 'aria-required': undefined })}
        <label htmlFor={id}>{label}</label>
      </div>
      {hint ? <p className="hint" id={hintId}>{hint}</p> : null}
      {error?.message ? <p className="field-error" id={errorId}>{error.message}</p> : null}
    </div>
  );
}
