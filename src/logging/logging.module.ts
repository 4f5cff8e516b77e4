import { Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { pino } from 'pino';
import { AppConfig } from '../config/app-config.js';
import { redactUrl } from './redact-url.js';

const REQUEST_ID = /^[\w.-]{1,128}$/;

/** A caller's X-Request-Id when it is sane, else a fresh one; echoed back on the response. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * Lines are buffered (4 KB) and written asynchronously, so a request never waits on the log's file or pipe; a quiet
 * instance still writes what it holds within a second (an operator tailing it sees the last requests), and pino
 * flushes what is buffered when the process exits.
 */
function bufferedStdout(): ReturnType<typeof pino.destination> {
  const destination = pino.destination({ dest: 1, minLength: 4096, sync: false });
  setInterval(() => {
    try {
      destination.flush();
    } catch {
      // A write already in progress: the next tick takes what is left.
    }
  }, 1000).unref();
  return destination;
}

interface LoggedRequest {
  id: unknown;
  method: string;
  url: string;
  raw: IncomingMessage & { ip?: string; originalUrl?: string };
}

/**
 * Structured JSON logs; secrets never reach them. A request line says what an operator needs (id, method, redacted
 * path, the client address as TRUST_PROXY resolves it, user agent, status, time) and no headers: cookies, keys and
 * Idempotency-Keys stay out by construction, not by a redaction list alone.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: [
          {
            level: config.logLevel,
            genReqId: requestId,
            serializers: {
              req: (req: LoggedRequest) => ({
                id: req.id,
                method: req.method,
                url: redactUrl(req.raw.originalUrl ?? req.url),
                remoteAddress: req.raw.ip ?? req.raw.socket?.remoteAddress,
                userAgent: req.raw.headers['user-agent'],
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            redact: {
              // Headers never reach a line (the serializers above leave them out); these catch a secret in any
              // object logged by name.
              paths: ['*.password', '*.passkey', '*.consumerSecret', '*.secret'],
              censor: '[redacted]',
            },
            autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/metrics' },
          },
          bufferedStdout(),
        ],
      }),
    }),
  ],
})
export class LoggingModule {}
