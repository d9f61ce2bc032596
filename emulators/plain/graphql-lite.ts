/**
 * Just enough GraphQL to answer identity queries: operations, aliases, arguments, variables, fragments and
 * @skip/@include, executed against plain objects. The repo has no `graphql` dependency; when the Plain data
 * API is emulated, replace this with graphql-js and the official SDL.
 * Error codes are the ones Plain documents: https://www.plain.com/docs/graphql/error-handling
 */

export class GraphQLLiteError extends Error {
  constructor(
    readonly code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED' | 'BAD_USER_INPUT',
    message: string,
  ) {
    super(message);
  }
}

export interface EmulatedObject {
  readonly __typename: string;
  readonly fields: Readonly<Record<string, FieldValue>>;
}
export type Resolved = null | string | number | boolean | readonly Resolved[] | EmulatedObject;
export type FieldValue = Resolved | ((args: Readonly<Record<string, unknown>>) => Resolved);

export function emulatedObject(typename: string, fields: Record<string, FieldValue>): EmulatedObject {
  return { __typename: typename, fields };
}

interface FieldNode {
  kind: 'field';
  alias: string | null;
  name: string;
  args: Record<string, unknown>;
  selections: Selection[] | null;
  isSkipped: boolean;
}
interface SpreadNode {
  kind: 'spread';
  name: string;
  isSkipped: boolean;
}
interface InlineNode {
  kind: 'inline';
  typeCondition: string | null;
  selections: Selection[];
  isSkipped: boolean;
}
type Selection = FieldNode | SpreadNode | InlineNode;
interface Operation {
  type: string;
  name: string | null;
  selections: Selection[];
}
interface Fragment {
  typeCondition: string;
  selections: Selection[];
}

const TOKEN =
  /[\s,\uFEFF]+|#[^\n\r]*|(\.\.\.|[!$&():=@[\]{|}])|([_A-Za-z][_0-9A-Za-z]*)|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|("(?:[^"\\\n\r]|\\.)*")/y;

type Token = { kind: 'punct' | 'name' | 'number' | 'string'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match)
      throw new GraphQLLiteError('GRAPHQL_PARSE_FAILED', `Syntax Error: Unexpected character at ${at}.`);
    const [, punct, name, number, string] = match;
    if (punct !== undefined) tokens.push({ kind: 'punct', text: punct });
    else if (name !== undefined) tokens.push({ kind: 'name', text: name });
    else if (number !== undefined) tokens.push({ kind: 'number', text: number });
    else if (string !== undefined) tokens.push({ kind: 'string', text: string });
  }
  return tokens;
}

class Parser {
  private index = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly variables: Readonly<Record<string, unknown>>,
  ) {}

  parseDocument(): { operations: Operation[]; fragments: Map<string, Fragment> } {
    const operations: Operation[] = [];
    const fragments = new Map<string, Fragment>();
    if (this.tokens.length === 0) throw this.error('Unexpected <EOF>.');
    while (this.peek() !== undefined) {
      if (this.isPunct('{')) {
        operations.push({ type: 'query', name: null, selections: this.parseSelectionSet() });
      } else if (this.isName('fragment')) {
        this.index += 1;
        const name = this.expectName();
        this.expectName('on');
        const typeCondition = this.expectName();
        this.skipDirectives();
        fragments.set(name, { typeCondition, selections: this.parseSelectionSet() });
      } else {
        const type = this.expectName();
        if (!['query', 'mutation', 'subscription'].includes(type))
          throw this.error(`Unexpected Name "${type}".`);
        const name = this.peek()?.kind === 'name' ? this.expectName() : null;
        if (this.isPunct('(')) this.skipBalanced('(', ')');
        this.skipDirectives();
        operations.push({ type, name, selections: this.parseSelectionSet() });
      }
    }
    return { operations, fragments };
  }

  private parseSelectionSet(): Selection[] {
    this.expectPunct('{');
    const selections: Selection[] = [];
    while (!this.isPunct('}')) {
      if (this.isPunct('...')) {
        this.index += 1;
        if (this.isName('on') || this.isPunct('{') || this.isPunct('@')) {
          let typeCondition: string | null = null;
          if (this.isName('on')) {
            this.index += 1;
            typeCondition = this.expectName();
          }
          const isSkipped = this.parseDirectives();
          selections.push({ kind: 'inline', typeCondition, selections: this.parseSelectionSet(), isSkipped });
        } else {
          const name = this.expectName();
          selections.push({ kind: 'spread', name, isSkipped: this.parseDirectives() });
        }
        continue;
      }
      let name = this.expectName();
      let alias: string | null = null;
      if (this.isPunct(':')) {
        this.index += 1;
        alias = name;
        name = this.expectName();
      }
      const args = this.isPunct('(') ? this.parseArguments() : {};
      const isSkipped = this.parseDirectives();
      const nested = this.isPunct('{') ? this.parseSelectionSet() : null;
      selections.push({ kind: 'field', alias, name, args, selections: nested, isSkipped });
    }
    this.expectPunct('}');
    if (selections.length === 0) throw this.error('Expected Name, found "}".');
    return selections;
  }

  private parseArguments(): Record<string, unknown> {
    this.expectPunct('(');
    const args: Record<string, unknown> = {};
    while (!this.isPunct(')')) {
      const name = this.expectName();
      this.expectPunct(':');
      args[name] = this.parseValue();
    }
    this.expectPunct(')');
    return args;
  }

  private parseValue(): unknown {
    const token = this.next();
    if (token.kind === 'string') return JSON.parse(token.text) as string;
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'name') {
      if (token.text === 'true' || token.text === 'false') return token.text === 'true';
      return token.text === 'null' ? null : token.text;
    }
    if (token.text === '$') return this.variables[this.expectName()] ?? null;
    if (token.text === '[') {
      const list: unknown[] = [];
      while (!this.isPunct(']')) list.push(this.parseValue());
      this.expectPunct(']');
      return list;
    }
    if (token.text === '{') {
      const object: Record<string, unknown> = {};
      while (!this.isPunct('}')) {
        const key = this.expectName();
        this.expectPunct(':');
        object[key] = this.parseValue();
      }
      this.expectPunct('}');
      return object;
    }
    throw this.error(`Unexpected "${token.text}".`);
  }

  /** Returns whether @skip(if: true) or @include(if: false) removes the selection. */
  private parseDirectives(): boolean {
    let isSkipped = false;
    while (this.isPunct('@')) {
      this.index += 1;
      const name = this.expectName();
      const args = this.isPunct('(') ? this.parseArguments() : {};
      if (name === 'skip' && args.if === true) isSkipped = true;
      if (name === 'include' && args.if === false) isSkipped = true;
    }
    return isSkipped;
  }

  private skipDirectives(): void {
    while (this.isPunct('@')) {
      this.index += 1;
      this.expectName();
      if (this.isPunct('(')) this.skipBalanced('(', ')');
    }
  }

  private skipBalanced(open: string, close: string): void {
    let depth = 0;
    do {
      const token = this.next();
      if (token.kind === 'punct' && token.text === open) depth += 1;
      if (token.kind === 'punct' && token.text === close) depth -= 1;
    } while (depth > 0);
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (!token) throw this.error('Unexpected <EOF>.');
    this.index += 1;
    return token;
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token?.kind === 'punct' && token.text === text;
  }

  private isName(text: string): boolean {
    const token = this.peek();
    return token?.kind === 'name' && token.text === text;
  }

  private expectPunct(text: string): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.text !== text)
      throw this.error(`Expected "${text}", found "${token.text}".`);
  }

  private expectName(text?: string): string {
    const token = this.next();
    if (token.kind !== 'name' || (text !== undefined && token.text !== text)) {
      throw this.error(`Expected ${text === undefined ? 'Name' : `"${text}"`}, found "${token.text}".`);
    }
    return token.text;
  }

  private error(message: string): GraphQLLiteError {
    return new GraphQLLiteError('GRAPHQL_PARSE_FAILED', `Syntax Error: ${message}`);
  }
}

function isEmulatedObject(value: Resolved): value is EmulatedObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and runs one query against `root`; throws `GraphQLLiteError` for parse and validation errors. */
export function executeQuery(
  query: string,
  variables: Readonly<Record<string, unknown>>,
  operationName: string | null,
  root: EmulatedObject,
): Record<string, unknown> {
  const { operations, fragments } = new Parser(tokenize(query), variables).parseDocument();
  const operation =
    operationName === null
      ? operations.length === 1
        ? operations[0]
        : undefined
      : operations.find((candidate) => candidate.name === operationName);
  if (!operation) {
    const message =
      operationName === null
        ? 'Must provide operation name if query contains multiple operations.'
        : `Unknown operation named "${operationName}".`;
    throw new GraphQLLiteError('BAD_USER_INPUT', message);
  }
  if (operation.type !== 'query') {
    throw new GraphQLLiteError(
      'GRAPHQL_VALIDATION_FAILED',
      `The emulator serves queries only, not ${operation.type}.`,
    );
  }

  const collect = (selections: Selection[], typename: string, into: FieldNode[]): FieldNode[] => {
    for (const selection of selections) {
      if (selection.isSkipped) continue;
      if (selection.kind === 'field') into.push(selection);
      else if (selection.kind === 'inline') {
        if (selection.typeCondition === null || selection.typeCondition === typename) {
          collect(selection.selections, typename, into);
        }
      } else {
        const fragment = fragments.get(selection.name);
        if (!fragment)
          throw new GraphQLLiteError('GRAPHQL_VALIDATION_FAILED', `Unknown fragment "${selection.name}".`);
        if (fragment.typeCondition === typename) collect(fragment.selections, typename, into);
      }
    }
    return into;
  };

  const complete = (field: FieldNode, parent: string, value: Resolved): unknown => {
    if (value === null) return null;
    if (Array.isArray(value)) return value.map((item: Resolved) => complete(field, parent, item));
    if (isEmulatedObject(value)) {
      if (field.selections === null) {
        throw new GraphQLLiteError(
          'GRAPHQL_VALIDATION_FAILED',
          `Field "${field.name}" of type "${value.__typename}" must have a selection of subfields.`,
        );
      }
      return resolveObject(value, field.selections);
    }
    if (field.selections !== null) {
      throw new GraphQLLiteError(
        'GRAPHQL_VALIDATION_FAILED',
        `Field "${field.name}" must not have a selection since type on "${parent}" has no subfields.`,
      );
    }
    return value;
  };

  const resolveObject = (object: EmulatedObject, selections: Selection[]): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    for (const field of collect(selections, object.__typename, [])) {
      const key = field.alias ?? field.name;
      if (field.name === '__typename') {
        result[key] = object.__typename;
        continue;
      }
      if (!Object.hasOwn(object.fields, field.name)) {
        throw new GraphQLLiteError(
          'GRAPHQL_VALIDATION_FAILED',
          `Cannot query field "${field.name}" on type "${object.__typename}".`,
        );
      }
      const raw = object.fields[field.name] ?? null;
      const value = typeof raw === 'function' ? raw(field.args) : raw;
      result[key] = complete(field, object.__typename, value);
    }
    return result;
  };

  return resolveObject(root, operation.selections);
}
