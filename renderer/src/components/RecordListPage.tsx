import { Fragment, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArchiveKind } from '../../../shared/contract/archive';
import { ArchivedRecords } from './Archive';
import type { CsvCell } from '../../../shared/format/csv';
import { DataTable, type CellValue, type DataColumn } from './DataTable';
import { useEditor } from './EditorPanel';
import { EmptyState, ErrorBanner, Loading, SuccessBanner } from './Feedback';
import { PageHeader } from './Layout';
import { useDebounced, useQuery } from '../lib/useQuery';
import { fileSlug } from '../lib/files';

/** The translation sections that carry a list page's texts: title, intro, new, listTitle, empty. */
export type RecordListNamespace = 'actions' | 'companies' | 'places' | 'trainers' | 'funders';

export interface RecordColumn<T> {
  /** Column header text. */
  header: string;
  /** The value the column sorts by and exports. */
  value: (row: T) => CellValue;
  /** Body cell content; defaults to `value`. */
  cell?: (row: T) => ReactNode;
  /** What the export writes when it differs from `value`. */
  exportValue?: (row: T) => CsvCell;
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
 * the saved notice, and a titled {@link DataTable} (sorted by any column, searched by the backend ignoring
 * case and accents, exported to CSV and XLSX) whose first cell names the record and whose last holds « edit ».
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
  /** The list, filtered by the backend with the search typed ('' for all). */
  load: (search: string) => Promise<T[]>;
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
  const [search, setSearch] = useState('');
  const debounced = useDebounced(search.trim(), 200);
  const query = useQuery(() => load(debounced), [debounced]);
  const editor = useEditor<T>();
  const [notice, setNotice] = useState<string | null>(null);
  const rows = useMemo(() => query.data ?? [], [query.data]);
  const tableColumns = useMemo<DataColumn<T>[]>(
    () => [
      { id: 'title', header: titleHeader, value: rowName, cell: rowTitle ?? rowName, rowHeader: true },
      ...columns.map((c, i) => ({ id: `c${i}`, ...c })),
    ],
    // The pages build their columns inline on each render; the headers are what can change (language).
    [titleHeader, ...columns.map((c) => c.header)],
  );
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
        {query.data ? (
          <DataTable<T>
            rows={rows}
            columns={tableColumns}
            rowKey={(row) => row.id}
            labelledBy={listTitleId}
            search={{ id: `${ns}-search`, label: t('table.search'), value: search, onChange: setSearch }}
            exportName={`sillon-${fileSlug(t(`${ns}.title`))}`}
            empty={query.data ? <EmptyState>{debounced ? t('common.noMatch') : t(`${ns}.empty`)}</EmptyState> : null}
            actions={(row) => (
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
            )}
          />
        ) : null}
      </section>
      {archiveKind ? <ArchivedRecords kind={archiveKind} onRestored={query.reload} /> : null}
    </div>
  );
}
