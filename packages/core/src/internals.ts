/**
 * What the child entry script needs from this package. It imports them from
 * the package's index (the bundle), so that the child and the user's module
 * share one instance of every module. Not a public API.
 */
export { ChildLink } from './child/link.js';
export { ChildRuntime, HookFailure } from './child/runtime.js';
export { CHILD_MARK } from './child/load-module.js';
export { LINK_ENV } from './protocol.js';
