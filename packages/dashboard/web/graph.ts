import type { DashboardState } from '../src/state.js';
import { count, rate } from './format.js';

/** A box of the graph: a worker, a pool (its members inside) or a queue. */
interface GraphNode {
  id: string;
  kind: 'producer' | 'consumer' | 'pool' | 'queue';
  title: string;
  lines: string[];
  state: string;
  lossy: boolean;
  /** Queues: how full (0…1), and the drops. */
  fill?: number;
  drops?: number;
  height: number;
  rank: number;
  x: number;
  y: number;
}

interface GraphEdge {
  from: string;
  to: string;
  label: string;
  lossy: boolean;
}

const WIDTH = 190;
const COLUMN = 270;
const GAP = 18;
const SVG = 'http://www.w3.org/2000/svg';

/**
 * The topology as a graph, left to right: producers → queues → consumers,
 * pools as one box with their members, each edge labelled with its rate
 * (items a second over the last second), lossy queues dashed.
 */
export function renderGraph(svg: SVGSVGElement, state: DashboardState): void {
  const { nodes, edges } = layout(state);
  const width = Math.max(400, ...nodes.map((node) => node.x + WIDTH + 20));
  const height = Math.max(120, ...nodes.map((node) => node.y + node.height + 20));
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.replaceChildren();
  const byId = new Map(nodes.map((node) => [node.id, node]));
  for (const edge of edges) {
    const from = byId.get(edge.from);
    const to = byId.get(edge.to);
    if (from && to) svg.append(edgeElement(from, to, edge));
  }
  for (const node of nodes) svg.append(nodeElement(node));
}

function layout(state: DashboardState): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const ownerOf = new Map<string, string>(); // a pool member's id → its pool's id
  for (const pool of state.pools) for (const member of pool.members) ownerOf.set(member, pool.id);
  const lossy = new Set(state.queues.filter((queue) => queue.metrics.lossy).map((queue) => queue.id));

  for (const queue of state.queues) {
    if (queue.member) continue;
    const metrics = queue.metrics;
    nodes.push(node(queue.id, 'queue', metrics.owner.name === undefined ? metrics.name : `queue of ${metrics.owner.name}`, [`${count(metrics.size)} / ${count(metrics.capacity)}${metrics.lossy ? ' · lossy' : ''}`], metrics.ready ? 'started' : 'stopped', metrics.lossy, 56, {
      fill: metrics.size / metrics.capacity,
      drops: metrics.dropped,
    }));
  }
  for (const pool of state.pools) {
    const members = state.workers.filter((worker) => worker.pool === pool.id);
    const lines = members.map((member) => `${member.metrics.name}: ${member.metrics.status}`);
    nodes.push(node(pool.id, 'pool', `pool ${pool.metrics.name}`, [`${pool.metrics.state} · ${rate(pool.metrics.consumed.rate1s)}`, ...lines], pool.metrics.state === 'running' ? 'started' : pool.metrics.state, false, 40 + 15 * lines.length));
    edges.push({ from: pool.reads, to: pool.id, label: rate(pool.metrics.consumed.rate1s), lossy: false });
    const targets = new Set(members.flatMap((member) => member.writesTo));
    for (const target of targets) edges.push({ from: pool.id, to: target, label: rate(pool.metrics.forwarded.rate1s), lossy: lossy.has(target) });
  }
  for (const worker of state.workers) {
    if (ownerOf.has(worker.id)) continue;
    const metrics = worker.metrics;
    const failed = metrics.lastError !== undefined && metrics.state === 'stopped';
    const figure = metrics.kind === 'producer' ? `made ${rate(metrics.produced.rate1s)}` : `took ${rate(metrics.consumed.rate1s)}`;
    nodes.push(node(worker.id, metrics.kind, metrics.name, [`${metrics.status} · ${figure}`], failed ? 'failed' : metrics.state, false, 50));
    for (const target of worker.writesTo) {
      const flow = metrics.kind === 'producer' ? metrics.produced.rate1s : metrics.forwarded.rate1s;
      edges.push({ from: worker.id, to: target, label: rate(flow), lossy: lossy.has(target) });
    }
    if (worker.reads) edges.push({ from: worker.reads, to: worker.id, label: rate(metrics.consumed.rate1s), lossy: lossy.has(worker.reads) });
  }
  rank(nodes, edges);
  place(nodes, edges);
  return { nodes, edges };
}

function node(id: string, kind: GraphNode['kind'], title: string, lines: string[], state: string, lossy: boolean, height: number, extra: Partial<GraphNode> = {}): GraphNode {
  return { id, kind, title, lines, state, lossy, height, rank: 0, x: 0, y: 0, ...extra };
}

/** Each node one column right of the furthest node that feeds it (bounded: a cycle cannot loop forever). */
function rank(nodes: GraphNode[], edges: GraphEdge[]): void {
  const byId = new Map(nodes.map((item) => [item.id, item]));
  for (let round = 0; round < nodes.length; round++) {
    let moved = false;
    for (const edge of edges) {
      const from = byId.get(edge.from);
      const to = byId.get(edge.to);
      if (from && to && to.rank < from.rank + 1) {
        to.rank = from.rank + 1;
        moved = true;
      }
    }
    if (!moved) return;
  }
}

/**
 * Column by column, left to right; within a column, each node as level as it
 * can be with the nodes that feed it (the mean of their heights): a chain
 * stays on one line, and edges rarely cross.
 */
function place(nodes: GraphNode[], edges: GraphEdge[]): void {
  const byId = new Map(nodes.map((item) => [item.id, item]));
  const feeders = new Map<string, GraphNode[]>();
  for (const edge of edges) {
    const from = byId.get(edge.from);
    if (from) feeders.set(edge.to, [...(feeders.get(edge.to) ?? []), from]);
  }
  const ranks = [...new Set(nodes.map((item) => item.rank))].sort((a, b) => a - b);
  for (const rank of ranks) {
    const column = nodes.filter((item) => item.rank === rank);
    const wanted = (item: GraphNode) => {
      const from = feeders.get(item.id) ?? [];
      return from.length === 0 ? Infinity : from.reduce((sum, feeder) => sum + feeder.y, 0) / from.length;
    };
    const order = column.map((item, index) => ({ item, index, at: wanted(item) })).sort((a, b) => a.at - b.at || a.index - b.index);
    let y = 16;
    for (const { item, at } of order) {
      item.x = 16 + rank * COLUMN;
      item.y = Number.isFinite(at) ? Math.max(y, at) : y;
      y = item.y + item.height + GAP;
    }
  }
}

function nodeElement(item: GraphNode): SVGGElement {
  const group = svgElement('g', { class: `node ${item.kind} ${item.state}${item.lossy ? ' lossy' : ''}`, 'data-id': item.id, 'data-name': item.title, transform: `translate(${item.x},${item.y})` });
  group.append(svgElement('rect', { class: 'frame', width: WIDTH, height: item.height }));
  group.append(text(10, 17, item.title, ''));
  item.lines.forEach((line, index) => group.append(text(10, 33 + index * 15, line, 'sub')));
  if (item.fill !== undefined) {
    group.append(svgElement('rect', { class: 'track', x: 10, y: 40, width: WIDTH - 100, height: 7 }));
    group.append(svgElement('rect', { class: `fill${item.fill >= 0.999 ? ' full' : ''}`, x: 10, y: 40, width: Math.max(0, Math.min(1, item.fill)) * (WIDTH - 100), height: 7 }));
    group.append(text(WIDTH - 84, 47, `${count(item.drops ?? 0)} dropped`, item.drops ? 'sub drops' : 'sub'));
  }
  return group;
}

function edgeElement(from: GraphNode, to: GraphNode, edge: GraphEdge): SVGGElement {
  const group = svgElement('g', { class: `edge${edge.lossy ? ' lossy' : ''}`, 'data-from': edge.from, 'data-to': edge.to });
  const x1 = from.x + WIDTH;
  const y1 = from.y + Math.min(from.height / 2, 25);
  const x2 = to.x;
  const y2 = to.y + Math.min(to.height / 2, 25);
  const middle = (x1 + x2) / 2;
  group.append(svgElement('path', { d: `M${x1},${y1} C${middle},${y1} ${middle},${y2} ${x2},${y2}` }));
  // The label sits near the start of the edge: edges that meet at one node keep their labels apart.
  group.append(text(x1 + 8, y1 - 5, edge.label, 'rate'));
  return group;
}

function text(x: number, y: number, content: string, className: string): SVGTextElement {
  const node = svgElement('text', { x, y, class: className });
  node.textContent = content;
  return node;
}

function svgElement<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}
