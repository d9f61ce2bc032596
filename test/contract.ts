import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/*
 * Every response a test receives is checked against the published OpenAPI document: the status must be declared
 * for that operation, the declared headers present, the content type declared and a JSON body valid against its
 * schema. OpenAPI 3.1 schemas are JSON Schema 2020-12, so Ajv's 2020 draft validates them as they are; only the
 * `#/components/...` references are rewritten to point into one schema holding every component. Each schema is
 * compiled once per test process, on first use.
 *
 * Checked by status and content type only: responses outside the API (`OUTSIDE_THE_API`: the sandbox emulators,
 * which answer in their helpdesks' shapes, and the dashboard's pages) and non-JSON bodies (CSV, HTML, Prometheus
 * text).
 */

interface Schema {
  [key: string]: unknown;
}
interface MediaType {
  schema?: Schema;
}
interface ResponseObject {
  description: string;
  headers?: Record<string, { $ref?: string; required?: boolean }>;
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId?: string;
  responses: Record<string, ResponseObject | { $ref: string }>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: {
    schemas?: Record<string, Schema>;
    headers?: Record<string, { required?: boolean }>;
    responses?: Record<string, ResponseObject>;
  };
}

const COMPONENTS_ID = 'deskpulse-openapi-components';

/**
 * Served on the API's port but not part of the API, so not in the document: the sandbox emulators, the
 * dashboard's pages and assets (web.ts: `/` and `/invite` redirect there) and Swagger UI's files under /docs/.
 */
const OUTSIDE_THE_API = [/^\/_sandbox\//, /^\/app(\/|$)/, /^\/docs\/./, /^\/$/, /^\/invite$/];

/** `#/components/schemas/X` → a reference into the one schema that holds every component. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')
        ? `${COMPONENTS_ID}#/$defs/${v.slice('#/components/schemas/'.length)}`
        : rewriteRefs(v),
    ]),
  );
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

interface Route {
  path: string;
  method: string;
  pattern: RegExp;
  literalSegments: number;
  operation: Operation;
}

export class ContractValidator {
  private readonly ajv: Ajv2020;
  private readonly routes: Route[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenApiDocument) {
    this.ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: COMPONENTS_ID, $defs: rewriteRefs(doc.components?.schemas ?? {}) as object });
    this.routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, operation]) => {
        const segments = path.split('/');
        const pattern = new RegExp(
          `^${segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/')}$`,
        );
        return {
          path,
          method: method.toUpperCase(),
          pattern,
          literalSegments: segments.filter((s) => !s.startsWith('{')).length,
          operation,
        };
      }),
    );
  }

  /** The operation a request reaches: literal segments win over templates, as the router registers them. */
  private route(method: string, pathname: string): Route | undefined {
    return this.routes
      .filter((r) => r.method === method && r.pattern.test(pathname))
      .sort((a, b) => b.literalSegments - a.literalSegments)[0];
  }

  private validator(key: string, schema: Schema): ValidateFunction {
    let v = this.compiled.get(key);
    if (!v) {
      v = this.ajv.compile(rewriteRefs(schema) as object);
      this.compiled.set(key, v);
    }
    return v;
  }

  private errorSchema(): Schema {
    return { $ref: '#/components/schemas/Error' };
  }

  /**
   * Everything the document does not say about this response, one line each; empty when it describes it. The
   * body is read from a clone, so the caller's response is untouched.
   */
  async check(method: string, url: string, res: Response): Promise<string[]> {
    const pathname = new URL(url, 'http://x').pathname;
    const where = `${method} ${pathname} → ${res.status}`;
    const problems: string[] = [];
    const text = await res.clone().text();
    const type = (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!res.headers.get('x-request-id')) problems.push(`${where}: no X-Request-Id header`);

    if (OUTSIDE_THE_API.some((re) => re.test(pathname))) {
      if (res.status < 100 || res.status > 599) problems.push(`${where}: not an HTTP status`);
      if (text.length > 0 && !type) problems.push(`${where}: a body without a Content-Type`);
      return problems;
    }

    const route = this.route(method, pathname);
    if (!route) {
      // No operation here: the one answer is the router's 404 in the error contract.
      if (res.status !== 404) problems.push(`${where}: no operation in the document for this path`);
      else problems.push(...this.checkJson(where, 'not-found', this.errorSchema(), type, text));
      return problems;
    }
    const op = `${route.method} ${route.path}`;
    const declared =
      route.operation.responses[String(res.status)] ??
      route.operation.responses[`${String(res.status)[0]}XX`] ??
      route.operation.responses.default;
    if (!declared) {
      return [...problems, `${where}: status ${res.status} is not declared for ${op}: ${text.slice(0, 300)}`];
    }
    if ('$ref' in declared)
      return [...problems, `${where}: response $ref is not supported by this validator`];

    for (const [name, header] of Object.entries(declared.headers ?? {})) {
      const ref = header.$ref?.replace('#/components/headers/', '');
      const required = ref ? this.doc.components?.headers?.[ref]?.required : header.required;
      if (required && res.headers.get(name) === null) problems.push(`${where}: missing header ${name}`);
    }

    const content = declared.content;
    if (!content) {
      if (text.length > 0) problems.push(`${where}: a body where ${op} declares none: ${text.slice(0, 200)}`);
      return problems;
    }
    // Declared types may carry parameters (`text/plain; version=0.0.4`): their essence is what must match.
    const media = Object.entries(content).find(([t]) => {
      const essence = t.split(';')[0]?.trim().toLowerCase() ?? '';
      return essence === type || (essence.endsWith('/*') && type.startsWith(essence.slice(0, -1)));
    })?.[1];
    if (!media) {
      return [
        ...problems,
        `${where}: content type "${type}" is not declared (${Object.keys(content).join(', ')})`,
      ];
    }
    if (!/^application\/([\w.-]+\+)?json$/.test(type) || !media.schema) return problems;
    problems.push(...this.checkJson(where, `${op} ${res.status} ${type}`, media.schema, type, text));
    return problems;
  }

  private checkJson(where: string, key: string, schema: Schema, type: string, text: string): string[] {
    if (!/json$/.test(type)) return [`${where}: expected a JSON body, got "${type}"`];
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [`${where}: the body is not JSON: ${text.slice(0, 200)}`];
    }
    const validate = this.validator(key, schema);
    if (validate(body)) return [];
    const errors = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
    return [`${where}: body does not match the document: ${errors.join('; ')}; body: ${text.slice(0, 300)}`];
  }
}

/** The error a test gets for a response the document does not describe. */
export class ContractViolation extends Error {
  constructor(problems: string[]) {
    super(`response not described by the OpenAPI document:\n  ${problems.join('\n  ')}`);
    this.name = 'ContractViolation';
  }
}
