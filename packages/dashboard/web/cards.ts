import type { DashboardState, PipelineView, QueueView, WorkerView } from '../src/state.js';
import { Sparkline } from './charts.js';
import { bytes, count, duration, element, ms, rate } from './format.js';

/** Calls the dashboard's API (the page's buttons). */
export type Act = (id: string, action: string, message?: unknown) => Promise<void>;

/**
 * One worker's card: state, process, counters and rates, durations, the last
 * error with the child's stack, sparklines, and the buttons. Built once,
 * updated in place at every state (so that a half-typed message survives).
 */
class WorkerCard {
  readonly element = element('div', 'card worker');
  #title = element('h3');
  #facts = element('dl');
  #rateSpark = new Sparkline('items/s', '#2e6bd1');
  #durationSpark = new Sparkline('work, mean ms', '#b54708');
  #error = element('div', 'error-box');
  #buttons = new Map<string, HTMLButtonElement>();
  #feedback = element('div', 'feedback');
  #last: { at: number; calls: number; sum: number } | undefined;

  constructor(view: WorkerView, act: Act) {
    this.element.dataset.id = view.id;
    this.element.dataset.name = view.metrics.name;
    const sparks = element('div', 'sparks');
    sparks.append(this.#rateSpark.element, this.#durationSpark.element);
    const actions = element('div', 'actions');
    const labels: Array<[string, string]> = [['start', 'Start'], ['stop', 'Stop']];
    if (view.metrics.kind === 'producer') labels.push(['pause', 'Pause'], ['resume', 'Resume']);
    else labels.push(['stopAtQueueEnd', 'Stop at queue end']);
    for (const [action, label] of labels) {
      const button = element('button', undefined, label);
      button.dataset.action = action;
      button.addEventListener('click', () => void this.#run(act(view.id, action), label).catch(() => {}));
      this.#buttons.set(action, button);
      actions.append(button);
    }
    const form = element('form', 'message');
    const input = element('input');
    input.placeholder = 'message (JSON or text)';
    input.name = 'message';
    form.append(input, element('button', undefined, 'Send'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#run(act(view.id, 'message', parseMessage(input.value)), 'message sent').then(() => (input.value = ''), () => {});
    });
    this.#error.hidden = true;
    this.element.append(this.#title, this.#facts, sparks, this.#error, actions, form, this.#feedback);
  }

  update(view: WorkerView, at: number): void {
    const m = view.metrics;
    this.#title.replaceChildren(document.createTextNode(m.name), element('span', `badge ${m.state}`, m.status), element('span', 'kind', `${m.kind} · ${m.className}`));
    this.element.dataset.state = m.state;
    this.element.dataset.status = m.status;
    this.element.dataset.rate = String(m.kind === 'producer' ? m.produced.rate1s : m.consumed.rate1s);
    const rows: Array<[string, string]> = [
      ['pid', m.pid === undefined ? '–' : `${m.pid} · up ${duration(m.uptimeMs)}`],
      ['runs', `${m.runs} (${m.restarts} restarts)`],
    ];
    if (m.kind === 'producer') rows.push(['produced', `${count(m.produced.total)} · ${rate(m.produced.rate1s)} (10 s: ${rate(m.produced.rate10s)})`]);
    else rows.push(['consumed', `${count(m.consumed.total)} · ${rate(m.consumed.rate1s)} (10 s: ${rate(m.consumed.rate10s)})`]);
    rows.push(['forwarded', `${count(m.forwarded.total)} · ${rate(m.forwarded.rate1s)}`]);
    const d = m.work.duration;
    rows.push(['work', `${count(m.work.calls)} calls, ${m.work.errors} errors${d ? ` · p50 ${ms(d.p50)} p99 ${ms(d.p99)} max ${ms(d.max)}` : ''}`]);
    if (m.backPressure.waits > 0) rows.push(['held back', `${m.backPressure.waits} times, ${ms(m.backPressure.waitedMs)}`]);
    if (m.process) rows.push(['process', `${bytes(m.process.rssBytes)} RSS · ${m.process.cpuPercent.toFixed(1)} % CPU`]);
    if (m.total !== undefined) rows.push(['total', count(m.total)]);
    this.#facts.replaceChildren(...rows.flatMap(([key, value]) => [element('dt', undefined, key), element('dd', undefined, value)]));
    this.#rateSpark.push(at, m.kind === 'producer' ? m.produced.rate1s : m.consumed.rate1s);
    // The mean duration over the last interval, from the cumulative count and sum.
    if (d) {
      const last = this.#last;
      if (last && d.count > last.calls) this.#durationSpark.push(at, (d.sum - last.sum) / (d.count - last.calls));
      this.#last = { at, calls: d.count, sum: d.sum };
    }
    const error = m.lastError;
    this.#error.hidden = !error;
    if (error) {
      const stack = element('pre', undefined, error.stack ?? '');
      this.#error.replaceChildren(element('strong', undefined, `${error.name}${error.phase ? ` in ${error.phase}` : ''}: ${error.message}`), stack);
    }
    const running = m.state !== 'stopped';
    this.#enable('start', true);
    this.#enable('stop', running);
    this.#enable('pause', m.status === 'running' && !view.paused);
    this.#enable('resume', view.paused && running);
    this.#enable('stopAtQueueEnd', m.state === 'started');
  }

  #enable(action: string, enabled: boolean): void {
    const button = this.#buttons.get(action);
    if (button) button.disabled = !enabled;
  }

  #run(call: Promise<void>, done: string): Promise<void> {
    this.#feedback.className = 'feedback';
    this.#feedback.textContent = '…';
    return call.then(
      () => {
        this.#feedback.textContent = `${done}: done`;
      },
      (error: Error) => {
        this.#feedback.className = 'feedback error';
        this.#feedback.textContent = error.message;
        throw error;
      },
    );
  }
}

/** A message typed in the box: JSON when it parses, else the text itself. */
function parseMessage(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Keeps one card per unit, in the order of the state. */
export class WorkerCards {
  #cards = new Map<string, WorkerCard>();
  constructor(private readonly holder: HTMLElement, private readonly act: Act) {}

  update(state: DashboardState): void {
    const seen = new Set<string>();
    for (const view of state.workers) {
      seen.add(view.id);
      let card = this.#cards.get(view.id);
      if (!card) {
        card = new WorkerCard(view, this.act);
        this.#cards.set(view.id, card);
        this.holder.append(card.element);
      }
      card.update(view, state.at / 1000);
    }
    for (const [id, card] of this.#cards) {
      if (!seen.has(id)) {
        card.element.remove();
        this.#cards.delete(id);
      }
    }
  }
}

/** The queues: fill against capacity, drops by cause, latency. */
export function renderQueues(holder: HTMLElement, queues: QueueView[]): void {
  holder.replaceChildren(
    ...queues.map((view) => {
      const m = view.metrics;
      const card = element('div', 'card queue');
      card.dataset.id = view.id;
      card.dataset.dropped = String(m.dropped);
      card.dataset.name = m.owner.name ?? m.name;
      card.append(element('h3', undefined, m.name), element('span', 'kind', `${m.lossy ? 'lossy' : 'lossless'} · ${m.ready ? 'ready' : 'not ready'}`));
      const bar = element('div', `bar${m.size >= m.capacity ? ' full' : ''}`);
      const fill = element('span');
      fill.style.width = `${Math.min(100, (100 * m.size) / m.capacity)}%`;
      bar.append(fill);
      const facts = element('dl');
      const causes = Object.entries(m.drops).filter(([, value]) => value > 0).map(([cause, value]) => `${cause} ${count(value)}`).join(', ');
      const rows: Array<[string, string]> = [
        ['size', `${count(m.size)} / ${count(m.capacity)}`],
        ['in / out', `${count(m.received)} / ${count(m.taken)}`],
        ['dropped', m.dropped === 0 ? '0' : `${count(m.dropped)} (${causes})`],
        ['latency', m.latency ? `p50 ${ms(m.latency.p50)} · p99 ${ms(m.latency.p99)}` : '–'],
      ];
      facts.append(...rows.flatMap(([key, value]) => [element('dt', undefined, key), element('dd', undefined, value)]));
      card.append(bar, facts);
      return card;
    }),
  );
}

/** Each pipeline's progress: items done per stage against the declared total. */
export function renderPipelines(holder: HTMLElement, pipelines: PipelineView[], state: DashboardState): void {
  const names = new Map<string, string>(state.workers.map((worker) => [worker.id, worker.metrics.name]));
  for (const pool of state.pools) names.set(pool.id, pool.metrics.name);
  holder.replaceChildren(
    ...pipelines.map((view) => {
      const { progress } = view;
      const row = element('div', 'progress-row');
      row.dataset.id = view.id;
      const bar = element('div', 'bar');
      const fill = element('span');
      fill.style.width = `${(progress.fraction ?? 0) * 100}%`;
      bar.append(fill);
      const stages = view.stages.map((stage) => stage.map((id) => names.get(id) ?? id).join(' + ')).join(' → ');
      const done = `${count(progress.done)}${progress.total === undefined ? '' : ` / ${count(progress.total)}`}${progress.finished ? ' · finished' : ''}`;
      row.append(element('span', undefined, stages), bar, element('span', undefined, done));
      return row;
    }),
  );
}
