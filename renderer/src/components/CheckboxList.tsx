import { useId } from 'react';

export interface CheckOption {
  value: string;
  label: string;
  hint?: string;
}

/** A group of checkboxes holding an array of values (trainers of a slot…): a fieldset with its legend. */
export function CheckboxList({
  legend,
  options,
  value,
  onChange,
  disabled,
  error,
  empty,
}: {
  legend: string;
  options: readonly CheckOption[];
  value: readonly string[];
  onChange: (next: string[]) => void;
  disabled?: boolean;
  error?: string | undefined;
  empty?: string;
}) {
  const id = useId();
  return (
    <fieldset className="checkbox-list" disabled={disabled} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      {options.length === 0 && empty ? <p className="muted">{empty}</p> : null}
      <div className="checkbox-grid">
        {options.map((o) => {
          const checked = value.includes(o.value);
          return (
            <label key={o.value} className="check-chip">
              <input
                type="checkbox"
                value={o.value}
                checked={checked}
                onChange={() => onChange(checked ? value.filter((v) => v !== o.value) : [...value, o.value])}
              />
              <span>
                {o.label}
                {o.hint ? <span className="muted"> · {o.hint}</span> : null}
              </span>
            </label>
          );
        })}
      </div>
      {error ? <p className="field-error" id={`${id}-error`}>{error}</p> : null}
    </fieldset>
  );
}
