import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

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

/** The create/edit form of a list page: a titled region that takes focus when it opens. */
export function EditorPanel({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea');
    first?.focus();
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, [title]);
  return (
    <section className="panel editor" ref={ref} aria-label={title}>
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
