/*
 * Which of this process's Node.js flags a worker child inherits. A child runs
 * prodcon's entry script; a flag that makes Node run something else instead
 * (`-e`, `-p`, stdin, the test runner, watch mode) would make every child run
 * the main program again, and each of those would start children of its own.
 */

/** Flags whose value may come as the next argument (`-e code`), and that a child must not get. */
const NOT_INHERITED_WITH_VALUE = new Set(['-e', '--eval', '-p', '--print', '--input-type', '--watch-path', '--test-name-pattern', '--test-reporter', '--test-reporter-destination', '--test-concurrency', '--test-shard', '--test-skip-pattern']);
/** Flags without a value that a child must not get. */
const NOT_INHERITED = new Set(['-c', '--check', '-i', '--interactive', '--test', '--test-only', '--watch', '--watch-preserve-output']);
/** A second debugger on the same port would fail to start. */
const DEBUGGER = /^--(?:inspect|inspect-brk|inspect-port|inspect-wait|debug)(?:=|$)/;

/** This process's flags, minus those that must not reach a worker child. */
export function inheritableExecArgv(flags: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < flags.length; index++) {
    const flag = flags[index];
    const name = flag.includes('=') ? flag.slice(0, flag.indexOf('=')) : flag;
    if (NOT_INHERITED_WITH_VALUE.has(name)) {
      if (!flag.includes('=')) index++; // its value is the next argument
      continue;
    }
    if (NOT_INHERITED.has(name) || DEBUGGER.test(flag)) continue;
    kept.push(flag);
  }
  return kept;
}
