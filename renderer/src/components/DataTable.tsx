import { createSortedRowModel, rowSortingFeature, tableFeatures, useTable, type RowData, type SortingState } from '@tanstack/react-table';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../shared/errors';
import { toCsv, type CsvCell } from '../../../shared/format/csv';
import { asApiError } from '../api';
import { ErrorBanner } from './Feedback';

/**
 * The one list table of the app (issue #8, item 7), on TanStack Table (sorting state and row model) beside
 * TanStack Virtual (long lists): every column sorts from its header, the list exports to CSV (the shared
 * writer: `;`, BOM, formula guard) and XLSX (exceljs, loaded on first use) in the order shown, and the rows
 * grow with the page — a long list is virtualised against the page's own scroll, never in an inner box.
 * The search box, when given, is controlled by the page, which sends the term to its backend list query.
 */

/** A sort and export value: text, a number, or nothing. */
export type CellValue = string | number | null;

export interface DataColumn<T> {
  /** Stable id (sorting state, keys). */
  id: string;
  header: string;
  /** The value the column sorts by and exports (the cell shows it unless `cell` is given). */
  value: (row: T) => CellValue;
  /** What the cell shows; defaults to `value` (— when empty). */
  cell?: (row: T) => ReactNode;
  /** What the export writes when it differs from `value` (e.g. a formatted date). */
  exportValue?: (row: T) => CsvCell;
  /** Right-aligned number column. */
  num?: boolean;
  /** Class of the body cell (ignored when `num` is set). */
  className?: string;
  /** The cell that names the row (`<th scope="row">`); one column at most. */
  rowHeader?: boolean;
  /** Not sortable (e.g. a badge list). Sortable by default. */
  noSort?: boolean;
}

export interface DataTableProps<T> {
  rows: readonly T[];
  columns: readonly DataColumn<T>[];
  rowKey: (row: T) => string;
  /** The id of the heading that names the table. */
  labelledBy: string;
  /** A last, unsorted, unexported column of buttons for the row (« Modifier »). */
  actions?: (row: T) => ReactNode;
  /** File name without extension for the exports; no export buttons without it. */
  exportName?: string;
  /** The search box, controlled by the page (the backend filters). */
  search?: { id: string; label: string; value: string; onChange: (value: string) => void };
  /** Shown instead of the table when there are no rows. */
  empty?: ReactNode;
  /** Lists longer than this are virtualised against the page scroll. */
  virtualiseAbove?: number;
  /** Estimated row height (px) for the virtualised body. */
  rowHeight?: number;
  /** The table's id (tests and in-page links find it by it). */
  id?: string;
  /** A class for a row (e.g. `is-current` for the row being edited). */
  rowClassName?: (row: T) => string | undefined;
  /** The cells of a `<tfoot>` row (totals); not sorted, not exported. */
  footer?: ReactNode;
  /** Makes the wrapper a focusable, named region, so keyboard users can scroll a wide table sideways. */
  regionLabel?: string;
}

const features = tableFeatures({ rowSortingFeature, sortedRowModel: createSortedRowModel() });

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/** Numbers by value, text in French alphabetical order (case and accents aside), empty cells after. */
export function compareCells(a: CellValue, b: CellValue): number {
  if (a === b) return 0;
  if (a === null || a === '') return 1;
  if (b === null || b === '') return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

export function DataTable<T extends RowData>({
  rows,
  columns,
  rowKey,
  labelledBy,
  actions,
  exportName,
  search,
  empty,
  virtualiseAbove = 150,
  rowHeight = 49,
  id,
  rowClassName,
  footer,
  regionLabel,
}: DataTableProps<T>) {
  const { t } = useTranslation();
  const [sorting, setSorting] = useState<SortingState>([]);
  const [exportError, setExportError] = useState<ApiError | null>(null);
  const data = useMemo(() => [...rows], [rows]);
  const tableColumns = useMemo(
    () =>
      columns.map((c) => ({
        id: c.id,
        accessorFn: (row: T) => c.value(row),
        header: c.header,
        enableSorting: !c.noSort,
        // Ascending first for every column (TanStack starts numbers descending).
        sortDescFirst: false,
        sortFn: (a: { getValue: (id: string) => unknown }, b: { getValue: (id: string) => unknown }, id: string) =>
          compareCells(a.getValue(id) as CellValue, b.getValue(id) as CellValue),
      })),
    [columns],
  );
  const table = useTable({
    features,
    // The column defs are built from DataColumn above; TanStack's generic column type is not worth spelling out.
    columns: tableColumns as never,
    data,
    getRowId: (row: T) => rowKey(row),
    state: { sorting },
    onSortingChange: setSorting,
  });
  const sortedRows = table.getRowModel().rows;
  const ordered = useMemo(() => sortedRows.map((r) => r.original as T), [sortedRows]);

  const exportRows = () => ({
    header: columns.map((c) => c.header),
    body: ordered.map((row) => columns.map((c) => (c.exportValue ? c.exportValue(row) : c.value(row)))),
  });
  const stamp = () => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  };
  const exportCsv = () => {
    const { header, body } = exportRows();
    download(new Blob([toCsv(header, body, { decimalComma: true })], { type: 'text/csv;charset=utf-8' }), `${exportName}-${stamp()}.csv`);
  };
  const exportXlsx = async () => {
    setExportError(null);
    try {
      const { header, body } = exportRows();
      download(await toXlsxBlob(header, body), `${exportName}-${stamp()}.xlsx`);
    } catch (e) {
      setExportError(asApiError(e));
    }
  };

  const toolbar =
    search || exportName ? (
      <div className="table-toolbar">
        {search ? (
          <div className="search">
            <label htmlFor={search.id}>{search.label}</label>
            <input id={search.id} type="search" value={search.value} onChange={(e) => search.onChange(e.target.value)} autoComplete="off" />
          </div>
        ) : null}
        {exportName && rows.length > 0 ? (
          <div className="button-row table-exports" role="group" aria-label={t('table.exportLabel')}>
            <button type="button" className="btn btn-small btn-secondary" onClick={exportCsv}>{t('table.exportCsv')}</button>
            <button type="button" className="btn btn-small btn-secondary" onClick={() => void exportXlsx()}>{t('table.exportXlsx')}</button>
          </div>
        ) : null}
      </div>
    ) : null;

  return (
    <>
      {toolbar}
      <ErrorBanner error={exportError} />
      {rows.length === 0 ? (
        empty
      ) : (
        <div className="table-wrap" {...(regionLabel ? { tabIndex: 0, role: 'region', 'aria-label': regionLabel } : {})}>
          <table className="table" id={id} aria-labelledby={labelledBy} aria-rowcount={rows.length + 1 + (footer ? 1 : 0)}>
            <thead>
              <tr aria-rowindex={1}>
                {table.getHeaderGroups()[0]!.headers.map((h, i) => {
                  const col = columns[i]!;
                  const dir = h.column.getIsSorted();
                  const canSort = h.column.getCanSort();
                  return (
                    <th key={h.id} scope="col" className={col.num ? 'num' : undefined} aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : canSort ? 'none' : undefined}>
                      {canSort ? (
                        <button type="button" className="sort-button" onClick={h.column.getToggleSortingHandler()}>
                          {col.header}
                          <span className="sort-mark" aria-hidden="true">{dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕'}</span>
                          <span className="visually-hidden">{dir === 'asc' ? t('table.sortedAsc') : dir === 'desc' ? t('table.sortedDesc') : t('table.sortable')}</span>
                        </button>
                      ) : (
                        col.header
                      )}
                    </th>
                  );
                })}
                {actions ? <th scope="col"><span className="visually-hidden">{t('common.actions')}</span></th> : null}
              </tr>
            </thead>
            <Body rows={ordered} columns={columns} rowKey={rowKey} rowClassName={rowClassName} actions={actions} virtual={ordered.length > virtualiseAbove} rowHeight={rowHeight} />
            {footer ? (
              <tfoot>
                <tr aria-rowindex={rows.length + 2}>{footer}</tr>
              </tfoot>
            ) : null}
          </table>
        </div>
      )}
    </>
  );
}

function Body<T>({ rows, columns, rowKey, rowClassName, actions, virtual, rowHeight }: {
  rows: readonly T[];
  columns: readonly DataColumn<T>[];
  rowKey: (row: T) => string;
  rowClassName: ((row: T) => string | undefined) | undefined;
  actions: ((row: T) => ReactNode) | undefined;
  virtual: boolean;
  rowHeight: number;
}) {
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const [margin, setMargin] = useState(0);
  useLayoutEffect(() => {
    if (!virtual) return;
    const measure = () => setMargin((bodyRef.current?.getBoundingClientRect().top ?? 0) + window.scrollY);
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [virtual]);
  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: () => rowHeight,
    overscan: 10,
    scrollMargin: margin,
    enabled: virtual,
  });
  const width = columns.length + (actions ? 1 : 0);
  const row = (r: T, index: number, measure?: (el: Element | null) => void) => (
    <tr key={rowKey(r)} className={rowClassName?.(r)} aria-rowindex={index + 2} data-index={index} ref={measure}>
      {columns.map((c) => {
        const content = c.cell ? c.cell(r) : (c.value(r) ?? '—');
        const className = c.num ? 'num' : c.className;
        return c.rowHeader ? (
          <th key={c.id} scope="row" className={['cell-title', className].filter(Boolean).join(' ')}>{content}</th>
        ) : (
          <td key={c.id} className={className}>{content}</td>
        );
      })}
      {actions ? <td className="cell-actions">{actions(r)}</td> : null}
    </tr>
  );
  if (!virtual) return <tbody ref={bodyRef}>{rows.map((r, i) => row(r, i))}</tbody>;
  const items = virtualizer.getVirtualItems();
  const before = items.length > 0 ? items[0]!.start - margin : 0;
  const after = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)!.end - margin) : 0;
  return (
    <tbody ref={bodyRef}>
      {before > 0 ? <tr aria-hidden="true" className="spacer"><td colSpan={width} style={{ height: before, padding: 0, border: 0 }} /></tr> : null}
      {items.map((item) => row(rows[item.index]!, item.index, virtualizer.measureElement))}
      {after > 0 ? <tr aria-hidden="true" className="spacer"><td colSpan={width} style={{ height: after, padding: 0, border: 0 }} /></tr> : null}
    </tbody>
  );
}

function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** One sheet, bold frozen header; exceljs is loaded on first use so the main chunk stays small. */
async function toXlsxBlob(header: readonly string[], body: readonly (readonly CsvCell[])[]): Promise<Blob> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Sillon';
  const sheet = workbook.addWorksheet('Sillon');
  sheet.addRow([...header]).font = { bold: true };
  // Plain values only: exceljs writes text as text, never as a formula (formulas need { formula } objects).
  for (const r of body) sheet.addRow(r.map((v) => (v === undefined ? null : v)));
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const buffer = await workbook.xlsx.writeBuffer();
  return new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}
