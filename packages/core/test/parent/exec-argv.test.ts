import { inheritableExecArgv } from '../../src/parent/exec-argv.js';

describe("the Node.js flags a worker child inherits", () => {
  it('keep loaders, options and memory settings', () => {
    const flags = ['--import', 'tsx', '--max-old-space-size=512', '--enable-source-maps', '--require', './hook.cjs'];
    expect(inheritableExecArgv(flags)).toEqual(flags);
  });

  it('drop what would make the child run something else, with its value', () => {
    expect(inheritableExecArgv(['-e', 'main()', '--import', 'tsx'])).toEqual(['--import', 'tsx']);
    expect(inheritableExecArgv(['--input-type=module', '--eval', 'main()'])).toEqual([]);
    expect(inheritableExecArgv(['--input-type', 'module', '-p', '1 + 1'])).toEqual([]);
    expect(inheritableExecArgv(['--test', '--test-name-pattern', 'x', '--watch', '--watch-path=src'])).toEqual([]);
    expect(inheritableExecArgv(['--check', '-i'])).toEqual([]);
  });

  it('drop debugger flags (a second debugger on the same port would not start)', () => {
    expect(inheritableExecArgv(['--inspect', '--inspect-brk=9229', '--inspect-port=1', '--trace-warnings'])).toEqual(['--trace-warnings']);
  });
});
