import { forwardRef, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { normaliseTime } from '../../../shared/domain/date-text';

export interface TimeInputProps {
  id?: string;
  name?: string;
  /** `HH:MM` (24 h), or '' when empty. */
  value: string | null | undefined;
  /** Receives `HH:MM` for a real time (`8h30` → `08:30`), '' when emptied, the raw text otherwise. */
  onChange: (value: string) => void;
  onBlur?: () => void;
  required?: boolean;
  disabled?: boolean;
  className?: string;
  'aria-invalid'?: boolean | undefined;
  'aria-describedby'?: string | undefined;
  'aria-required'?: boolean | undefined;
}

/**
 * The one time field of the app: 24 h `HH:MM` whatever the browser's locale (no AM/PM), typed as `8:30`,
 * `8h30` or `0830` and shown `08:30` once left. Works with react-hook-form through `Controller`.
 */
export const TimeInput = forwardRef<HTMLInputElement, TimeInputProps>(function TimeInput(
  { value, onChange, onBlur, className, ...rest },
  ref,
) {
  const { t } = useTranslation();
  const [text, setText] = useState(value ?? '');

  useEffect(() => {
    const v = value ?? '';
    setText((current) => (v === '' ? '' : normaliseTime(current) === v ? current : v));
  }, [value]);

  return (
    <input
      {...rest}
      ref={ref}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      maxLength={5}
      placeholder={t('timeInput.placeholder')}
      className={['time-input', className ?? ''].filter(Boolean).join(' ')}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const v = e.target.value.trim();
        onChange(v === '' ? '' : (normaliseTime(v) ?? v));
      }}
      onBlur={(e) => {
        const v = normaliseTime(e.target.value);
        if (v) setText(v);
        onBlur?.();
      }}
    />
  );
});
