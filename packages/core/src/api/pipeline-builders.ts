import { Pipeline, type PipelineOptions } from './pipeline.js';
import type { ChainedStages, LastStage, Stage, StageOutput, StageTaking } from './stages.js';

/*
 * The functions that build a Pipeline: pipeline(...stages, options?) and
 * convert(producer, consumers, options?), with the types that check the
 * stages and split off the options.
 */

/** `pipeline()`'s arguments: stages, optionally followed by the options. */
export type StagesAndOptions = [Stage, ...Stage[]] | [Stage, ...Stage[], PipelineOptions];

/** The stages of `pipeline()`'s arguments (without the options, when they are there). */
export type StagesOf<A extends readonly unknown[]> = A extends readonly [...infer S, infer Last] ? ([Last] extends [Stage] ? A : S) : A;

/** The arguments as they must be: the stages chained (see ChainedStages), then the options if any. */
export type ChainedArguments<A extends readonly unknown[]> = A extends readonly [...infer S, infer Last]
  ? [Last] extends [Stage]
    ? ChainedStages<A>
    : [...ChainedStages<S>, PipelineOptions]
  : never;

/**
 * Wires `stages` into a Pipeline (see Pipeline); options (`failFast`,
 * `metricsInterval`, `onProgress`) may follow the last stage. Each stage after
 * the first must take what the one before puts out (checked by the type
 * checker); the pipeline's items are what the last stage returns.
 *
 * @example
 * ```ts
 * const flow = pipeline(new Source(), new ConsumerPool(Parser, { size: 2 }), new Aggregator());
 * for await (const total of flow.items()) console.log(total);
 * await flow.done;
 * ```
 */
export function pipeline<A extends StagesAndOptions>(...args: A & ChainedArguments<A>): Pipeline<StageOutput<LastStage<StagesOf<A>>>> {
  const last = args.at(-1);
  const hasOptions = args.length > 1 && isOptions(last);
  const stages = (hasOptions ? args.slice(0, -1) : args) as Stage[];
  return new Pipeline(stages, hasOptions ? (last as PipelineOptions) : {});
}

/**
 * proconex's Converter: runs `producer` into `consumers` and yields what the
 * consumers return, as it comes, until the producer's stream ends. Pass
 * `onProgress` to follow how far it got (see Pipeline.progress()).
 *
 * @example
 * ```ts
 * for await (const square of convert(new Numbers({ args: { count: 5 } }), new Squarer())) console.log(square);
 * ```
 */
export function convert<P extends Stage, C extends Stage & StageTaking<StageOutput<P>>>(
  producer: P,
  consumers: C,
  options: PipelineOptions = {},
): AsyncGenerator<StageOutput<C>> {
  return new Pipeline<StageOutput<C>>([producer, consumers], options).items();
}

/** Options, not a stage: a plain object (a stage is a worker, a pool, or an array of them). */
function isOptions(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
