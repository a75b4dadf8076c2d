import uPlot from 'uplot';

/** Points kept per sparkline: two minutes at the default half-second tick. */
const SPARK_POINTS = 240;

/** A tiny line chart (uPlot, no axes) of the recent values of one figure. */
export class Sparkline {
  readonly element: HTMLElement;
  #plot: uPlot;
  #times: number[] = [];
  #values: number[] = [];

  constructor(label: string, color: string) {
    this.element = document.createElement('div');
    this.element.className = 'spark';
    const caption = document.createElement('div');
    caption.textContent = label;
    const holder = document.createElement('div');
    this.element.append(caption, holder);
    this.#plot = new uPlot(
      {
        width: 150,
        height: 36,
        cursor: { show: false },
        legend: { show: false },
        axes: [{ show: false }, { show: false }],
        scales: { x: { time: false }, y: { range: (_plot, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
        series: [{}, { stroke: color, width: 1.5, fill: `${color}22`, points: { show: false } }],
      },
      [[], []],
      holder,
    );
  }

  push(at: number, value: number): void {
    this.#times.push(at);
    this.#values.push(value);
    if (this.#times.length > SPARK_POINTS) {
      this.#times.shift();
      this.#values.shift();
    }
    this.#plot.setData([this.#times, this.#values]);
  }
}

/** The live plot: one numeric field of a worker's results over time. */
export class LivePlot {
  #plot: uPlot | undefined;
  #holder: HTMLElement;
  #times: number[] = [];
  #values: number[] = [];
  #limit = 2000;

  constructor(holder: HTMLElement) {
    this.#holder = holder;
  }

  /** Starts afresh, titled `label`. */
  reset(label: string): void {
    this.#plot?.destroy();
    this.#times = [];
    this.#values = [];
    this.#plot = new uPlot(
      {
        width: Math.max(400, this.#holder.clientWidth - 16),
        height: 260,
        series: [{}, { label, stroke: '#2e6bd1', width: 1.5 }],
        scales: { x: { time: true } },
      },
      [[], []],
      this.#holder,
    );
  }

  /** Adds points ([ms since the epoch, value]). */
  add(points: Array<[number, number]>): void {
    if (!this.#plot) return;
    for (const [at, value] of points) {
      this.#times.push(at / 1000);
      this.#values.push(value);
    }
    const extra = this.#times.length - this.#limit;
    if (extra > 0) {
      this.#times.splice(0, extra);
      this.#values.splice(0, extra);
    }
    this.#plot.setData([this.#times, this.#values]);
  }

  /** How many points it shows. */
  get size(): number {
    return this.#times.length;
  }

  clear(): void {
    this.#plot?.destroy();
    this.#plot = undefined;
  }
}
