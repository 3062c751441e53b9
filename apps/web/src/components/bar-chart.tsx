import { useId } from 'react';

export interface BarSeries { name: string; className: string }
export interface BarRow { label: string; values: number[] }

/**
 * Horizontal bars in plain SVG: a title and description for screen readers, and the same
 * numbers as a table under "Show the data".
 */
export function BarChart({ title, description, series, rows, format = String }: {
  title: string;
  description: string;
  series: BarSeries[];
  rows: BarRow[];
  format?: (value: number) => string;
}) {
  const id = useId();
  const max = Math.max(1, ...rows.flatMap((r) => r.values));
  const labelWidth = 330;
  const barArea = 360;
  const barHeight = 16;
  const rowHeight = series.length * (barHeight + 2) + 10;
  const height = Math.max(rowHeight * rows.length, 20) + 24;
  return (
    <figure className="chart">
      <figcaption id={`${id}-title`}><strong>{title}</strong></figcaption>
      {rows.length === 0 ? <p>No data in this window.</p> : (
        <>
          {series.length > 1 && (
            <p className="legend" aria-hidden="true">
              {series.map((s) => <span key={s.name}><span className={`swatch ${s.className}`} /> {s.name}</span>)}
            </p>
          )}
          <svg role="img" aria-labelledby={`${id}-title ${id}-desc`} viewBox={`0 0 ${labelWidth + barArea + 110} ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
            <desc id={`${id}-desc`}>{description}</desc>
            {rows.map((row, i) => {
              const y = i * rowHeight;
              return (
                <g key={row.label} transform={`translate(0, ${y})`}>
                  <text x={labelWidth - 8} y={(series.length * (barHeight + 2)) / 2 + 4} textAnchor="end" className="chart-label">{row.label.length > 48 ? `${row.label.slice(0, 47)}…` : row.label}</text>
                  {row.values.map((v, j) => (
                    <g key={j}>
                      <rect x={labelWidth} y={j * (barHeight + 2)} width={Math.max((v / max) * barArea, v > 0 ? 2 : 0)} height={barHeight} className={series[j]?.className} />
                      <text x={labelWidth + Math.max((v / max) * barArea, 0) + 6} y={j * (barHeight + 2) + barHeight - 4} className="chart-value">{format(v)}</text>
                    </g>
                  ))}
                </g>
              );
            })}
          </svg>
          <details>
            <summary>Show the data of “{title}”</summary>
            <table>
              <thead><tr><th scope="col">Row</th>{series.map((s) => <th key={s.name} scope="col">{s.name}</th>)}</tr></thead>
              <tbody>{rows.map((r) => <tr key={r.label}><th scope="row">{r.label}</th>{r.values.map((v, j) => <td key={j}>{format(v)}</td>)}</tr>)}</tbody>
            </table>
          </details>
        </>
      )}
    </figure>
  );
}
