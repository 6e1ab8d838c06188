import { useRef, type KeyboardEvent } from 'react';

export interface Segment {
  value: string;
  label: string;
  /** A single key that picks this segment from anywhere in its row; shown as a key cap. */
  shortcut?: string | undefined;
  /** Extra class for the colour of the chosen segment (e.g. the status category). */
  tone?: string | undefined;
}

/**
 * A row of mutually exclusive buttons (ARIA radiogroup): one tab stop, arrow keys move and choose,
 * Home/End jump to the ends; every segment is at least 44 px high for a finger.
 */
export function SegmentedControl({
  label,
  labelledBy,
  options,
  value,
  onChange,
  id,
  invalid,
  describedBy,
  disabled,
  size = 'normal',
}: {
  label?: string;
  labelledBy?: string;
  options: readonly Segment[];
  value: string;
  onChange: (value: string) => void;
  /** The id of the group, so an error can move the focus to it (the checked segment takes it). */
  id?: string;
  invalid?: boolean;
  describedBy?: string | undefined;
  disabled?: boolean;
  size?: 'normal' | 'small';
}) {
  const ref = useRef<HTMLDivElement>(null);
  const index = options.findIndex((o) => o.value === value);

  function move(event: KeyboardEvent<HTMLButtonElement>, from: number) {
    let next: number | null = null;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = (from + 1) % options.length;
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = (from - 1 + options.length) % options.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = options.length - 1;
    if (next === null) return;
    event.preventDefault();
    const option = options[next];
    if (!option) return;
    onChange(option.value);
    ref.current?.querySelectorAll<HTMLButtonElement>('[role="radio"]')[next]?.focus();
  }

  return (
    <div
      ref={ref}
      id={id}
      role="radiogroup"
      aria-label={labelledBy ? undefined : label}
      aria-labelledby={labelledBy}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      aria-disabled={disabled || undefined}
      className={`segmented segmented-${size}${invalid ? ' is-invalid' : ''}`}
      tabIndex={-1}
      onFocus={(e) => {
        // Focus given to the group itself (an error pointing at it) goes on to the segment that holds the tab stop.
        if (e.target === ref.current) ref.current.querySelector<HTMLButtonElement>('[tabindex="0"]')?.focus();
      }}
    >
      {options.map((o, i) => {
        const checked = o.value === value;
        return (
          <button
            key={o.value}
            type="button"
            role="radio"
            aria-checked={checked}
            aria-keyshortcuts={o.shortcut}
            tabIndex={checked || (index === -1 && i === 0) ? 0 : -1}
            className={`segment${checked ? ' is-checked' : ''}${o.tone ? ` tone-${o.tone}` : ''}`}
            disabled={disabled}
            onClick={() => onChange(o.value)}
            onKeyDown={(e) => move(e, i)}
          >
            <span className="segment-label">{o.label}</span>
            {o.shortcut ? <kbd className="segment-key" aria-hidden="true">{o.shortcut}</kbd> : null}
          </button>
        );
      })}
    </div>
  );
}
