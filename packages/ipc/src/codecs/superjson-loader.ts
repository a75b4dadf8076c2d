import type SuperJSONType from 'superjson';

type SuperJSONClass = typeof SuperJSONType;
type ClassRegistration = { kind: 'class'; target: new (...args: never[]) => unknown; identifier?: string };
type CustomRegistration = {
  kind: 'custom';
  transformer: Parameters<SuperJSONClass['registerCustom']>[0];
  name: string;
};

/**
 * superjson is loaded on demand: it costs ~14 ms at boot and most batches of
 * plain data never need it. Registrations made before it loads are replayed
 * when it does, so `registerClass` can be called at module top level.
 */
let loaded: SuperJSONClass | undefined;
let loading: Promise<SuperJSONClass> | undefined;
const registrations: Array<ClassRegistration | CustomRegistration> = [];

/** Loads superjson (once) and applies every registration made so far. */
export function loadSuperjson(): Promise<SuperJSONClass> {
  loading ??= import('superjson').then((module) => {
    loaded = module.default;
    for (const registration of registrations) apply(loaded, registration);
    return loaded;
  });
  return loading;
}

/** The loaded superjson, or undefined when nothing has loaded it yet. */
export function superjsonIfLoaded(): SuperJSONClass | undefined {
  return loaded;
}

/**
 * Registers a class whose instances should arrive as instances of the same
 * class on the other side. Call it at the top level of the module that defines
 * the class, so that the parent and every child register it. Instances are
 * revived without running the constructor, and `#private` fields do not cross.
 * @param identifier defaults to the class name; pass one if your code is minified.
 */
export function registerClass(target: new (...args: never[]) => unknown, identifier?: string): void {
  const registration: ClassRegistration = { kind: 'class', target, identifier: identifier ?? target.name };
  registrations.push(registration);
  if (loaded) apply(loaded, registration);
}

/** Registers a custom superjson transformer (for classes with private state). */
export function registerCustomType<I, O>(
  transformer: {
    isApplicable: (value: unknown) => value is I;
    serialize: (value: I) => O;
    deserialize: (value: O) => I;
  },
  name: string,
): void {
  const registration: CustomRegistration = {
    kind: 'custom',
    transformer: transformer as unknown as CustomRegistration['transformer'],
    name,
  };
  registrations.push(registration);
  if (loaded) apply(loaded, registration);
}

function apply(superjson: SuperJSONClass, registration: ClassRegistration | CustomRegistration): void {
  if (registration.kind === 'class') {
    superjson.registerClass(registration.target, { identifier: registration.identifier });
  } else {
    superjson.registerCustom(registration.transformer, registration.name);
  }
}
