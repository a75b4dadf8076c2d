/** An emitter that tells when listeners come and go (any EventEmitter). */
export interface ListenerSource {
  on(event: 'newListener' | 'removeListener', listener: (event: string | symbol) => void): unknown;
}

/** The period of the 'metrics' event when a listener turned it on and no `metricsInterval` was given (ms). */
const DEFAULT_METRICS_INTERVAL = 1000;

/** What a MetricsFeed needs of the unit (worker, pool, pipeline) it feeds. */
export interface MetricsFeedOwner {
  /** The `metricsInterval` option (undefined or 0: only while a listener is attached). */
  readonly interval: number | undefined;
  /** How many 'metrics' listeners are attached now. */
  listeners(): number;
  /** Emits one 'metrics' event. */
  emit(): void;
  /** Metrics were switched on or off (a worker tells its child). */
  switched?(on: boolean): void;
}

/**
 * The 'metrics' event of one unit: on while a `metricsInterval` was given or a
 * listener is attached; then emitted every interval while the unit is live
 * (running), and once more when it stops, with the final figures. Its timer
 * does not keep the process alive.
 */
export class MetricsFeed {
  #owner: MetricsFeedOwner;
  #on = false;
  #live = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(owner: MetricsFeedOwner) {
    this.#owner = owner;
    this.#on = this.#wanted();
  }

  /** Whether metrics are on. */
  get on(): boolean {
    return this.#on;
  }

  /** Looks again whenever a 'metrics' listener of `emitter` comes or goes. */
  followListeners(emitter: ListenerSource): void {
    // 'newListener' fires before the listener is added: look once it is there.
    emitter.on('newListener', (event: string | symbol) => {
      if (event === 'metrics') queueMicrotask(() => this.update());
    });
    emitter.on('removeListener', (event: string | symbol) => {
      if (event === 'metrics') this.update();
    });
  }

  /** A listener came or went: look again. */
  update(): void {
    const on = this.#wanted();
    if (on === this.#on) return;
    this.#on = on;
    this.#owner.switched?.(on);
    this.#arm();
  }

  /** The unit started running (true) or stopped (false: one last event, with the final figures). */
  live(live: boolean): void {
    if (live === this.#live) return;
    this.#live = live;
    this.#arm();
    if (!live && this.#on) this.#owner.emit();
  }

  #wanted(): boolean {
    return (this.#owner.interval ?? 0) > 0 || this.#owner.listeners() > 0;
  }

  #arm(): void {
    const running = this.#on && this.#live;
    if (running && !this.#timer) {
      const interval = this.#owner.interval || DEFAULT_METRICS_INTERVAL;
      this.#timer = setInterval(() => this.#owner.emit(), interval);
      this.#timer.unref();
    } else if (!running && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
