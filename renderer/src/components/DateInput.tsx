import { forwardRef, useEffect, useId, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import { DayPicker } from 'react-day-picker';
import { enGB, fr } from 'react-day-picker/locale';
import 'react-day-picker/style.css';
import { useTranslation } from 'react-i18next';
import { displayToIso, isoToDisplay } from '../../../shared/domain/date-text';

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM-DD` → the local midnight DayPicker works with (and back), no time zone involved. */
function toDay(iso: string | undefined): Date | undefined {
  if (!iso || !ISO.test(iso)) return undefined;
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}
function fromDay(day: Date): string {
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
}

export interface DateInputProps {
  id?: string;
  name?: string;
  /** `YYYY-MM-DD`, or '' when empty. A text that is no date yet is passed through as typed. */
  value: string | null | undefined;
  /** Receives `YYYY-MM-DD` for a real date, '' when emptied, the raw text otherwise (the schema then refuses it). */
  onChange: (value: string) => void;
  onBlur?: () => void;
  min?: string | undefined;
  max?: string | undefined;
  required?: boolean;
  disabled?: boolean;
  className?: string;
  'aria-invalid'?: boolean | undefined;
  'aria-describedby'?: string | undefined;
  'aria-required'?: boolean | undefined;
}

/**
 * The one date field of the app: a text field that reads and writes `JJ/MM/AAAA` whatever the browser's
 * locale, beside a button opening a calendar (react-day-picker, keyboard driven). The form's value stays
 * `YYYY-MM-DD`. Works with react-hook-form through `Controller` (value/onChange/onBlur/ref).
 */
export const DateInput = forwardRef<HTMLInputElement, DateInputProps>(function DateInput(
  { id, name, value, onChange, onBlur, min, max, required, disabled, className, ...aria },
  ref,
) {
  const { t, i18n } = useTranslation();
  const autoId = useId();
  const inputId = id ?? autoId;
  const dialogId = `${inputId}-calendar`;
  const [text, setText] = useState(() => isoToDisplay(value ?? ''));
  const [open, setOpen] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  // The value changed from outside (reset, calendar, another field): show it, unless it is what is typed.
  useEffect(() => {
    const v = value ?? '';
    setText((current) => {
      if (v === '') return '';
      if (!ISO.test(v)) return current;
      return displayToIso(current) === v ? current : isoToDisplay(v);
    });
  }, [value]);

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (wrapper.current && !wrapper.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  const typed = (next: string) => {
    setText(next);
    if (next.trim() === '') onChange('');
    else onChange(displayToIso(next) ?? next);
  };

  const leave = (e: FocusEvent<HTMLInputElement>) => {
    const iso = displayToIso(e.target.value);
    if (iso) setText(isoToDisplay(iso));
    onBlur?.();
  };

  const closeCalendar = (focusButton: boolean) => {
    setOpen(false);
    if (focusButton) button.current?.focus();
  };

  const onDialogKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      closeCalendar(true);
    }
  };

  const selected = toDay(value ?? undefined);
  const minDay = toDay(min);
  const maxDay = toDay(max);
  const disabledDays = [...(minDay ? [{ before: minDay }] : []), ...(maxDay ? [{ after: maxDay }] : [])];
  const thisYear = new Date().getFullYear();

  return (
    <div className={['date-input', className ?? ''].filter(Boolean).join(' ')} ref={wrapper}>
      <input
        {...aria}
        ref={ref}
        id={inputId}
        name={name}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder={t('dateInput.placeholder')}
        value={text}
        required={required}
        disabled={disabled}
        onChange={(e) => typed(e.target.value)}
        onBlur={leave}
      />
      <button
        ref={button}
        type="button"
        className="date-input-button"
        aria-label={t('dateInput.open')}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? dialogId : undefined}
        disabled={disabled}
        onClick={() => setOpen((o) => !o)}
      >
        <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
          <rect x="3" y="5" width="18" height="16" rx="2" />
          <path d="M3 10h18M8 3v4M16 3v4" />
        </svg>
      </button>
      {open ? (
        <div id={dialogId} className="date-input-popover" role="dialog" aria-modal="false" aria-label={t('dateInput.calendar')} onKeyDown={onDialogKey}>
          <DayPicker
            mode="single"
            locale={i18n.language === 'en' ? enGB : fr}
            weekStartsOn={1}
            autoFocus
            captionLayout="dropdown"
            selected={selected}
            defaultMonth={selected ?? minDay}
            startMonth={minDay ?? new Date(thisYear - 100, 0, 1)}
            endMonth={maxDay ?? new Date(thisYear + 10, 11, 1)}
            disabled={disabledDays}
            onSelect={(day) => {
              if (!day) return;
              const iso = fromDay(day);
              setText(isoToDisplay(iso));
              onChange(iso);
              closeCalendar(true);
            }}
          />
        </div>
      ) : null}
    </div>
  );
});
