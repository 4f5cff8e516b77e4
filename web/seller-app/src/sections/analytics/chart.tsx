import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartDataset,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../i18n';

// Only what the bar charts use: this screen's chunk stays small, and nothing else on the app loads Chart.js.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export interface Series {
  label: string;
  values: number[];
  color: string;
}

/**
 * A bar chart (Chart.js on a canvas) with the same figures as a table: the canvas is hidden from screen readers,
 * the table is read instead and can be shown on screen too. `data-series` on the canvas holds what was drawn.
 */
export function BarChart(props: {
  id: string;
  title: string;
  /** The table's first column: what each bar is (a day, a product). */
  labelHeading: string;
  labels: string[];
  series: Series[];
  format: (n: number) => string;
  horizontal?: boolean;
  stacked?: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [asTable, setAsTable] = useState(false);
  useEffect(() => {
    if (!canvas.current) return;
    const datasets: ChartDataset<'bar'>[] = props.series.map((s) => ({
      label: s.label,
      data: s.values,
      backgroundColor: s.color,
      stack: props.stacked ? 'one' : undefined,
    }));
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: { labels: props.labels, datasets },
      options: {
        indexAxis: props.horizontal ? 'y' : 'x',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: props.series.length > 1, position: 'bottom' },
          tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${props.format(Number(c.raw))}` } },
        },
        scales: {
          x: { stacked: props.stacked, ticks: { maxRotation: 0, autoSkipPadding: 8 } },
          y: { stacked: props.stacked, beginAtZero: true },
        },
      },
    });
    return () => chart.destroy();
  }, [JSON.stringify([props.labels, props.series])]);

  return (
    <figure class="chart" aria-labelledby={`${props.id}-title`}>
      <figcaption id={`${props.id}-title`} class="chart-head">
        <h2>{props.title}</h2>
        <button type="button" class="secondary small" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
          {t('analytics.asTable')}
        </button>
      </figcaption>
      <div class={`chart-box${props.horizontal ? ' tall' : ''}`} hidden={asTable}>
        <canvas
          ref={canvas}
          id={props.id}
          aria-hidden="true"
          data-series={JSON.stringify(props.series.map((s) => s.values))}
          data-labels={JSON.stringify(props.labels)}
        />
      </div>
      {/* The wrapper hides the table (a table box itself ignores overflow); screen readers still read it. */}
      <div class={asTable ? 'table-wrap' : 'visually-hidden'}>
        <table class="table">
          <caption class="visually-hidden">{props.title}</caption>
          <thead>
            <tr>
              <th scope="col">{props.labelHeading}</th>
              {props.series.map((s) => (
                <th key={s.label} scope="col" class="num">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.labels.map((label, i) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {props.series.map((s) => (
                  <td key={s.label} class="num">
                    {props.format(s.values[i])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
