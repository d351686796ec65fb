import { CompiledQuery, type Compilable } from 'kysely';

const SLOT = '\u0000aopgate-slot:';

/**
 * A query Kysely builds and compiles once, for the calls every request makes: building and
 * compiling cost more JavaScript per call (~50 µs) than SQLite takes to run the statement
 * (README, Performance). `build` receives `slot(name)` to put where a value goes; each run binds
 * the values by name, in whatever order the dialect's SQL wants them. Parameters that are not
 * slots (constants in the builder) stay as compiled.
 */
export type Precompiled<K extends string> = (values: Readonly<Record<K, unknown>>) => CompiledQuery;

export function precompile<K extends string = never>(build: (slot: (name: K) => string) => Compilable): Precompiled<K> {
  const compiled = build((name) => SLOT + name).compile();
  const binders = compiled.parameters.map((p): ((values: Readonly<Record<K, unknown>>) => unknown) =>
    typeof p === 'string' && p.startsWith(SLOT) ? (values) => values[p.slice(SLOT.length) as K] : () => p,
  );
  return (values) =>
    CompiledQuery.raw(
      compiled.sql,
      binders.map((bind) => bind(values)),
    );
}
