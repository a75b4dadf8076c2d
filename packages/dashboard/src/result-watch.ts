import { Worker } from '@prodcon/core';
import type { DashboardModel } from './model.js';

/** One value of the watched field: when it came (ms since the epoch) and the number. */
export type ResultPoint = [at: number, value: number];

/** Points kept for a page that connects while a field is watched. */
const KEPT_POINTS = 2000;

/**
 * The live plot: a numeric field of one worker's results (the sensor use
 * case: a reading over time). Only one worker is watched at a time, and only
 * while the page asks: a 'result' listener makes the child send its results,
 * which costs the worker something.
 */
export class ResultWatch {
  #model: DashboardModel;
  #send: (points: ResultPoint[]) => void;
  #worker: Worker<any, any, any, any, any> | undefined;
  #watchedId = '';
  #field = '';
  #listener = (result: unknown) => this.#take(result);
  #pending: ResultPoint[] = [];
  #kept: ResultPoint[] = [];

  /** @param send called (at most once per flush) with the points that came since the last one. */
  constructor(model: DashboardModel, send: (points: ResultPoint[]) => void) {
    this.#model = model;
    this.#send = send;
  }

  /** What is watched now. */
  get watching(): { id: string; field: string } | undefined {
    return this.#worker ? { id: this.#watchedId, field: this.#field } : undefined;
  }

  /** Watches `field` (a dotted path, or empty for a result that is itself a number) of worker `id`'s results. */
  watch(id: string, field: string): boolean {
    const unit = this.#model.find(id);
    this.stop();
    if (!(unit instanceof Worker)) return false;
    this.#worker = unit;
    this.#watchedId = id;
    this.#field = field;
    unit.on('result', this.#listener);
    return true;
  }

  stop(): void {
    this.#worker?.off('result', this.#listener);
    this.#worker = undefined;
    this.#kept = [];
    this.#pending = [];
  }

  /** The recent points, for a page that just connected. */
  recent(): ResultPoint[] {
    return [...this.#kept];
  }

  /** Sends what came since the last flush (the server calls it on its tick). */
  flush(): void {
    if (this.#pending.length === 0) return;
    const points = this.#pending;
    this.#pending = [];
    this.#send(points);
  }

  #take(result: unknown): void {
    const value = pick(result, this.#field);
    if (typeof value !== 'number' || !Number.isFinite(value)) return;
    const point: ResultPoint = [Date.now(), value];
    this.#pending.push(point);
    this.#kept.push(point);
    if (this.#kept.length > KEPT_POINTS) this.#kept.splice(0, this.#kept.length - KEPT_POINTS);
  }
}

/** `field` of `value` (a dotted path); the value itself for an empty path. */
function pick(value: unknown, field: string): unknown {
  if (field === '') return value;
  let current = value;
  for (const key of field.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
