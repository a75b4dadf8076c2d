/**
 * The dashboard page: one Server-Sent Events stream from the process
 * (`state` every half second, `points` of the watched field), rendered into
 * the graph, the cards and the plots. Buttons call the process's API.
 */
import type { DashboardState } from '../src/state.js';
import { renderGraph } from './graph.js';
import { LivePlot } from './charts.js';
import { WorkerCards, renderPipelines, renderQueues, type Act } from './cards.js';

const token = new URLSearchParams(location.search).get('token');
const withToken = (path: string) => (token ? `${path}?token=${encodeURIComponent(token)}` : path);
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(withToken(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await response.json()) as { ok: boolean; error?: { message: string } };
  if (!answer.ok) throw new Error(answer.error?.message ?? `HTTP ${response.status}`);
}

const act: Act = (id, action, message) => post('/api/command', { id, action, message });
const cards = new WorkerCards(byId('workers'), act);
const plot = new LivePlot(byId('plot'));
let latest: DashboardState | undefined;

const local = ['127.', 'localhost', '[::1]'].some((prefix) => location.hostname.startsWith(prefix));
byId('reach').textContent = local ? `bound to ${location.hostname}: this machine only` : `open on ${location.hostname} (token required)`;

function render(state: DashboardState): void {
  latest = state;
  document.body.dataset.at = String(state.at);
  renderGraph(byId<HTMLElement>('graph') as unknown as SVGSVGElement, state);
  cards.update(state);
  renderQueues(byId('queues'), state.queues.filter((queue) => !queue.member));
  byId('pipelines-section').hidden = state.pipelines.length === 0;
  renderPipelines(byId('pipelines'), state.pipelines, state);
  updateWorkerChoice(state);
}

function updateWorkerChoice(state: DashboardState): void {
  const select = byId<HTMLSelectElement>('watch-worker');
  const wanted = state.workers.map((worker) => `${worker.id}\u0000${worker.metrics.name}`).join('\n');
  if (select.dataset.options === wanted) return;
  const chosen = select.value;
  select.dataset.options = wanted;
  select.replaceChildren(
    ...state.workers.map((worker) => {
      const option = document.createElement('option');
      option.value = worker.id;
      option.textContent = worker.metrics.name;
      return option;
    }),
  );
  if (chosen) select.value = chosen;
}

function connect(): void {
  const events = new EventSource(withToken('/events'));
  const status = byId('connection');
  events.addEventListener('open', () => {
    status.textContent = 'live';
    status.className = 'connection';
  });
  events.addEventListener('error', () => {
    status.textContent = 'disconnected: retrying…';
    status.className = 'connection lost';
  });
  events.addEventListener('state', (event) => render(JSON.parse((event as MessageEvent<string>).data) as DashboardState));
  events.addEventListener('watching', (event) => {
    const { watching, points } = JSON.parse((event as MessageEvent<string>).data) as {
      watching: { id: string; field: string } | null;
      points: Array<[number, number]>;
    };
    const label = byId('watch-status');
    if (!watching) {
      plot.clear();
      label.textContent = '';
      return;
    }
    const name = latest?.workers.find((worker) => worker.id === watching.id)?.metrics.name ?? watching.id;
    label.textContent = `plotting ${name}${watching.field ? `.${watching.field}` : ''}`;
    plot.reset(watching.field || name);
    plot.add(points);
  });
  events.addEventListener('points', (event) => {
    plot.add(JSON.parse((event as MessageEvent<string>).data) as Array<[number, number]>);
    byId('plot').dataset.points = String(plot.size);
  });
}

byId<HTMLFormElement>('watch-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = byId<HTMLSelectElement>('watch-worker').value;
  const field = byId<HTMLInputElement>('watch-field').value.trim();
  post('/api/watch', { id, field }).catch((error: Error) => (byId('watch-status').textContent = error.message));
});
byId('watch-stop').addEventListener('click', () => {
  post('/api/watch', { id: null }).catch(() => {});
});

connect();
