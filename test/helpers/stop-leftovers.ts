/**
 * Jest setup for the scenario tests (setupFilesAfterEnv). A test that fails
 * half-way can leave workers running, and a running worker's child process
 * and link socket keep the main process alive, as they should in a program:
 * jest would then never exit. This stops, at the end of each test file, every
 * worker the file started and left running (a passing test stops its own).
 */
import { afterAll } from '@jest/globals';
import { Worker } from '@prodcon/core';

const started = new Set<Worker>();
const start = Worker.prototype.start;
Worker.prototype.start = function (this: Worker, ...args: Parameters<Worker['start']>) {
  started.add(this);
  return start.apply(this, args);
};

afterAll(async () => {
  await Promise.all([...started].map((worker) => worker.stop({ timeout: 0 }).catch(() => {})));
  started.clear();
});
