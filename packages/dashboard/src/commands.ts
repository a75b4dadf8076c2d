import { Consumer, ConsumerPool, Pipeline, Producer, Worker } from '@prodcon/core';
import { DashboardError } from './errors.js';
import type { DashboardModel } from './model.js';

/** What the page asks for: an action on a unit, by the id the dashboard gave it. */
export interface Command {
  id: string;
  action: 'start' | 'stop' | 'pause' | 'resume' | 'stopAtQueueEnd' | 'message' | 'close';
  /** For `message`: what to send to the worker (as `worker.sendMessage(message)`). */
  message?: unknown;
}

/**
 * Runs a command through the same API a program would call: start(),
 * stop(), pause(), resume(), stopAtQueueEnd(), sendMessage(), a pool's
 * close(), a pipeline's start() and stop(). Resolves when that call did;
 * rejects with its error (a StateError for a message to a stopped worker...).
 */
export async function runCommand(model: DashboardModel, command: Command): Promise<void> {
  const unit = typeof command?.id === 'string' ? model.find(command.id) : undefined;
  if (!unit) throw new DashboardError('ERR_DASHBOARD_COMMAND', `no live unit has the id ${JSON.stringify(command?.id)}`);
  const action = command.action;
  if (unit instanceof Worker) {
    if (action === 'start') return unit.start();
    if (action === 'stop') return unit.stop();
    if (action === 'message') return unit.sendMessage(command.message);
    if (unit instanceof Producer && action === 'pause') return unit.pause();
    if (unit instanceof Producer && action === 'resume') return unit.resume();
    if (unit instanceof Consumer && action === 'stopAtQueueEnd') return unit.stopAtQueueEnd();
  } else if (unit instanceof ConsumerPool) {
    if (action === 'start') return unit.start();
    if (action === 'stop') return unit.stop();
    if (action === 'close') return unit.close();
  } else if (unit instanceof Pipeline) {
    if (action === 'start') return unit.start();
    if (action === 'stop') return unit.stop();
  }
  throw new DashboardError('ERR_DASHBOARD_COMMAND', `${command.id} has no action ${JSON.stringify(action)}`);
}
