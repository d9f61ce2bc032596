import { readFileSync } from 'node:fs';
import {
  buildSchema,
  execute,
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Plain's official SDL (team-plain/sdk packages/graphql/src/schema.graphql @ bca2ab2, the file Plain serves at
 * https://core-api.uk.plain.com/graphql/v1/schema.graphql), only reformatted by prettier. Every query the
 * emulator answers is validated against it, so our queries cannot drift from Plain's schema.
 */
const SDL_URL = new URL('./plain-schema.graphql', import.meta.url);
let schema: GraphQLSchema | undefined;

export function plainSchema(): GraphQLSchema {
  // Building the 11k-line SDL takes ~300 ms: once per process.
  schema ??= buildSchema(readFileSync(SDL_URL, 'utf8'));
  return schema;
}

/** Error codes Plain documents: https://www.plain.com/docs/graphql/error-handling */
export type PlainErrorCode = 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED' | 'BAD_USER_INPUT';

export class PlainQueryError extends Error {
  constructor(
    readonly code: PlainErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface PreparedQuery {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** Top-level fields of the operation (fragments at the root resolved). */
  rootFields: Set<string>;
}

/** Parses and validates against the SDL; throws `PlainQueryError` with the documented code. */
export function prepareQuery(query: string, operationName: string | null): PreparedQuery {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof GraphQLError) throw new PlainQueryError('GRAPHQL_PARSE_FAILED', error.message);
    throw error;
  }
  const errors = validate(plainSchema(), document);
  const first = errors[0];
  if (first) throw new PlainQueryError('GRAPHQL_VALIDATION_FAILED', first.message);
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation =
    operationName === null
      ? operations.length === 1
        ? operations[0]
        : undefined
      : operations.find((o) => o.name?.value === operationName);
  if (!operation) {
    throw new PlainQueryError(
      'BAD_USER_INPUT',
      operationName === null
        ? 'Must provide operation name if query contains multiple operations.'
        : `Unknown operation named "${operationName}".`,
    );
  }
  if (operation.operation !== OperationTypeNode.QUERY) {
    throw new PlainQueryError(
      'GRAPHQL_VALIDATION_FAILED',
      `The emulator serves queries only, not ${operation.operation}.`,
    );
  }
  const rootFields = new Set<string>();
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const collect = (set: SelectionSetNode): void => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) rootFields.add(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) collect(s.selectionSet);
      else {
        const fragment = fragments.get(s.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return { document, operation, rootFields };
}

export type ExecutionOutcome =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; code: PlainErrorCode | 'INTERNAL_SERVER_ERROR'; message: string };

/** Runs a prepared query against a root object whose function properties receive the field arguments. */
export function runQuery(
  prepared: PreparedQuery,
  variables: Record<string, unknown>,
  rootValue: Record<string, unknown>,
): ExecutionOutcome {
  const result = execute({
    schema: plainSchema(),
    document: prepared.document,
    rootValue,
    variableValues: variables,
    operationName: prepared.operation.name?.value ?? null,
  });
  if (result instanceof Promise) throw new Error('Plain emulator resolvers must be synchronous');
  const first = result.errors?.[0];
  if (first) {
    const original = first.originalError;
    if (original instanceof PlainQueryError)
      return { ok: false, code: original.code, message: original.message };
    // Variable coercion fails before any resolver runs: https://spec.graphql.org/October2021/#sec-Coercing-Variable-Values
    if (!result.data) return { ok: false, code: 'BAD_USER_INPUT', message: first.message };
    if (original) throw original;
    return { ok: false, code: 'INTERNAL_SERVER_ERROR', message: first.message };
  }
  return { ok: true, data: result.data ?? {} };
}
