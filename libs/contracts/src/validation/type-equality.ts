/**
 * Compile-time ties between a schema and the interface it checks: `SchemaMatches<Static<typeof S>, I>`
 * is `true` only when both describe the same plain data (readonly modifiers aside, which JSON does
 * not carry). Use as `const _: SchemaMatches<...> = true;` next to the schema, so that a field
 * added to one and not to the other fails the build.
 */
export type SchemaMatches<A, B> = [Plain<A>] extends [Plain<B>] ? ([Plain<B>] extends [Plain<A>] ? true : false) : false;

type Plain<T> = T extends readonly (infer U)[]
  ? Plain<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Plain<T[K]> }
    : T;
