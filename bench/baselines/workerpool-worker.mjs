// workerpool's worker script: registers the same task as tinypool's.
import workerpool from 'workerpool';
import task from './thread-task.mjs';

workerpool.worker({ task });
