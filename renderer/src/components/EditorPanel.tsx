import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useUnsavedGuard } from '../lib/useUnsavedGuard';

/** Which record a list page is editing: none, a new one, or an existing one. */
export function useEditor<T>() {
  const [editing, setEditing] = useState<{ record: T | null } | null>(null);
  return {
    open: editing !== null,
    record: editing?.record ?? null,
    openNew: () => setEditing({ record: null }),
    openEdit: (record: T) => setEditing({ record }),
    close: () => setEditing(null),
  };
}

/**
 * The create/edit form of a list page: a titled region that takes focus when it opens. While it holds
 * unsaved input it warns before leaving the screen: `dirty` when the form knows (react-hook-form's
 * `formState.isDirty`), else from the first thing typed or chosen in it until it is submitted or closes (a
 * save may move to another screen: it must not ask then).
 */
export function EditorPanel({ title, onClose, children, dirty }: { title: string; onClose: () => void; children: ReactNode; dirty?: boolean }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLElement>(null);
  const [touched, setTouched] = useState(false);
  useUnsavedGuard(dirty ?? touched);
  const touch = () => {
    if (!touched) setTouched(true);
  };
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea');
    first?.focus();
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, [title]);
  return (
    <section className="panel editor" ref={ref} aria-label={title} onInputCapture={touch} onChangeCapture={touch} onSubmitCapture={() => setTouched(false)}>
      <div className="panel-header">
        <h2>{title}</h2>
        <button type="button" className="btn btn-ghost" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      {children}
    </section>
  );
}
