import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';

/**
 * One request header, read from Node's IncomingMessage when there is one. `c.req.header()` goes through the
 * Request's `headers`, which @hono/node-server builds as a WHATWG Headers object from every incoming header the
 * first time it is read: bench/api profiled that as about 5 % of an authenticated read, on every request, for a
 * lookup. Node has already parsed the headers into a plain object (names in lower case, repeated values joined
 * with ", ", a repeated Authorization or Host keeps its first value:
 * https://nodejs.org/api/http.html#messageheaders). Without a Node server (`app.request()` in tests) the Request's
 * own headers answer. `name` must be lower case.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const headers = (c.env as Partial<HttpBindings> | undefined)?.incoming?.headers;
  if (headers === undefined) return c.req.header(name);
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
