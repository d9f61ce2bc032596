import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { AppErrorCode } from '../lib/app-error.ts';
import { STATUS } from './errors.ts';

const REASON: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  431: 'Request Header Fields Too Large',
};

/**
 * What Node's HTTP parser refuses before any route runs, answered in the error contract instead of Node's bare
 * status line (https://nodejs.org/api/http.html#event-clienterror). The codes are the ones Node's own default
 * handler distinguishes: headers (the request line included) over `--max-http-header-size`, 16 KiB by default
 * (https://nodejs.org/api/cli.html#--max-http-header-sizesize); chunk extensions over their limit; a request not
 * received within `requestTimeout`; anything else the parser cannot read.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  // Nothing can be written after a response started, or on a socket that is gone (ECONNRESET and the like).
  const written = (socket as Duplex & { bytesWritten?: number }).bytesWritten ?? 0;
  if (!socket.writable || written > 0 || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const [code, message]: [AppErrorCode, string] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ['headers_too_large', 'the request line and headers are over 16 KiB']
      : err.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
        ? ['payload_too_large', 'chunk extensions over their limit']
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? ['request_timeout', 'the request was not received in time']
          : ['malformed_request', 'the request is not valid HTTP'];
  const status = STATUS[code];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${REASON[status] ?? ''}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${randomUUID()}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
