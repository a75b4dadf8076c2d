/**
 * What the child entry script needs from this package. It imports them from
 * the package's index (the bundle), so that the child and the user's module
 * share one instance of every module. Not a public API.
 */
export { ChildLink } from './child/link.js';
export { ChildRuntime } from './child/runtime.js';
export { HookFailure } from './child/control.js';
export { markAsChild } from './shared/mark.js';
export { LINK_ENV } from './shared/protocol.js';
