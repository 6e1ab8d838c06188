import { useId } from 'react';

export interface BarDatum {
  label: string;
  value: number;
  /** What the bar's value reads as (« 102,41 € »). */
  text: string;
}

/**
 * A horizontal bar chart in plain SVG (no chart library): one row per value, its label on the left and its
 * amount at the end of the bar. For screen readers the figure is its caption and a list of the same values
 * (the SVG itself is decoration), so nothing is only in the picture.
 */
export function BarChart({ title, data, className }: { title: string; data: readonly BarDatum[]; className?: string }) {
  const id = useId();
  const max = Math.max(1, ...data.map((d) => Math.abs(d.value)));
  const row = 30;
  const labelWidth = 210;
  const barArea = 380;
  const width = labelWidth + barArea + 120;
  const height = data.length * row + 8;
  return (
    <figure className={['bar-chart', className].filter(Boolean).join(' ')} aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" aria-hidden="true" focusable="false" preserveAspectRatio="xMinYMin meet">
        {data.map((d, i) => {
          const y = 4 + i * row;
          const w = Math.max(2, Math.round((Math.abs(d.value) / max) * barArea));
          return (
            <g key={`${d.label}-${i}`}>
              <text x={labelWidth - 8} y={y + row / 2} textAnchor="end" dominantBaseline="middle" className="bar-label">
                {d.label.length > 28 ? `${d.label.slice(0, 27)}…` : d.label}
              </text>
              <rect x={labelWidth} y={y + 5} width={w} height={row - 10} rx={3} className={d.value < 0 ? 'bar bar-negative' : 'bar'} />
              <text x={labelWidth + w + 6} y={y + row / 2} dominantBaseline="middle" className="bar-value">{d.text}</text>
            </g>
          );
        })}
      </svg>
      <ul className="visually-hidden">
        {data.map((d, i) => <li key={`${d.label}-${i}`}>{`${d.label} : ${d.text}`}</li>)}
      </ul>
    </figure>
  );
}
