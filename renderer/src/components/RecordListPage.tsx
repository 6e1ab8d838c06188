import { Fragment, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArchiveKind } from '../../../shared/contract/archive';
import { ArchivedRecords } from './Archive';
import { useEditor } from './EditorPanel';
import { EmptyState, ErrorBanner, Loading, SuccessBanner } from './Feedback';
import { PageHeader } from './Layout';
import { useQuery } from '../lib/useQuery';

/** The translation sections that carry a list page's texts: title, intro, new, listTitle, empty. */
export type RecordListNamespace = 'actions' | 'companies' | 'places' | 'trainers';

export interface RecordColumn<T> {
  /** Column header text. */
  header: string;
  /** Body cell content. */
  cell: (row: T) => ReactNode;
  /** Right-aligned number column: puts `num` on both the header and the body cell. */
  num?: boolean;
  /** Class of the body cell (ignored when `num` is set). */
  className?: string;
}

export interface RecordEditorProps<T> {
  record: T | null;
  onClose: () => void;
  onSaved: (saved: T) => Promise<void>;
  /** After the record was archived: closes the editor and reloads the list. */
  onArchived: () => Promise<void>;
}

/**
 * The scaffolding shared by the reference-data list pages: header with a « new » button, the editor panel,
 * the saved notice, and a titled table whose first cell names the record and whose last holds « edit ».
 */
export function RecordListPage<T extends { id: string }>({
  ns,
  load,
  columns,
  titleHeader,
  rowTitle,
  rowName,
  savedNotice,
  editor: renderEditor,
  archiveKind,
}: {
  ns: RecordListNamespace;
  load: () => Promise<T[]>;
  /** The columns after the title column. */
  columns: RecordColumn<T>[];
  /** Header of the title column. */
  titleHeader: string;
  /** Content of the row's title cell; defaults to `rowName`. */
  rowTitle?: (row: T) => ReactNode;
  /** The record's name, read after « edit » by assistive technologies. */
  rowName: (row: T) => string;
  savedNotice: (saved: T) => string;
  editor: (props: RecordEditorProps<T>) => ReactNode;
  /** Records of this kind can be archived: « Afficher les archivés » under the list, to restore them. */
  archiveKind?: ArchiveKind;
}) {
  const { t } = useTranslation();
  const query = useQuery(load, []);
  const editor = useEditor<T>();
  const [notice, setNotice] = useState<string | null>(null);
  const rows = query.data ?? [];
  const listTitleId = `${ns}-list-title`;
  return (
    <div aria-busy={query.loading}>
      <PageHeader title={t(`${ns}.title`)} intro={t(`${ns}.intro`)}>
        <button type="button" className="btn btn-primary" onClick={() => { setNotice(null); editor.openNew(); }}>{t(`${ns}.new`)}</button>
      </PageHeader>
      <ErrorBanner error={query.error} />
      {editor.open ? (
        <Fragment key={editor.record?.id ?? 'new'}>
          {renderEditor({
            record: editor.record,
            onClose: editor.close,
            onSaved: async (saved) => {
              editor.close();
              setNotice(savedNotice(saved));
              await query.reload();
            },
            onArchived: async () => {
              editor.close();
              await query.reload();
            },
          })}
        </Fragment>
      ) : null}
      <SuccessBanner>{notice}</SuccessBanner>
      <section className="panel" aria-labelledby={listTitleId}>
        <h2 id={listTitleId}>{t(`${ns}.listTitle`, { count: rows.length })}</h2>
        {query.loading && !query.data ? <Loading /> : null}
        {query.data && rows.length === 0 ? <EmptyState>{t(`${ns}.empty`)}</EmptyState> : null}
        {rows.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{titleHeader}</th>
                  {columns.map((c, i) => (
                    <th key={i} scope="col" className={c.num ? 'num' : undefined}>{c.header}</th>
                  ))}
                  <th scope="col"><span className="visually-hidden">{t('common.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id}>
                    <th scope="row" className="cell-title">{(rowTitle ?? rowName)(row)}</th>
                    {columns.map((c, i) => (
                      <td key={i} className={c.num ? 'num' : c.className}>{c.cell(row)}</td>
                    ))}
                    <td className="cell-actions">
                      <button
                        type="button"
                        className="btn btn-small btn-secondary"
                        onClick={() => {
                          setNotice(null);
                          editor.openEdit(row);
                        }}
                      >
                        {t('common.edit')}<span className="visually-hidden"> {rowName(row)}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      {archiveKind ? <ArchivedRecords kind={archiveKind} onRestored={query.reload} /> : null}
    </div>
  );
}
