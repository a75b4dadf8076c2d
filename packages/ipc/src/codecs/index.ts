export * from './codec.js';
export * from './inspect.js';
export * from './superjson-loader.js';
