import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  type ClientRequest,
  Agent as HttpAgent,
  type IncomingMessage,
  request as httpRequest,
  type RequestOptions,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { urlToHttpOptions } from 'node:url';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { AppConfig } from '../../config/app-config.js';

export const RESPONSE_EXCERPT_BYTES = 2048;

export interface SendResult {
  statusCode: number | null;
  headers: Record<string, string | undefined>;
  excerpt: string | null;
  error: string | null;
  durationMs: number;
}

/**
 * Reads at most `limit` bytes of a response body, then drops the rest (a receiver cannot make us buffer megabytes).
 * A body cut short (error, close, the deadline) still leaves us the status code, which is what decides the outcome.
 */
function readExcerpt(stream: Readable, limit: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => {
      stream.destroy();
      resolve(Buffer.concat(chunks).subarray(0, limit).toString('utf8'));
    };
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) finish();
    });
    stream.once('end', finish);
    stream.once('error', finish);
    stream.once('close', finish);
  });
}

/** Request options per address, parsed once: a shop has a handful of endpoints and each gets thousands of sends. */
const MAX_CACHED_TARGETS = 1000;

/**
 * POSTs one signed webhook. Connections are kept alive per receiver; at connect time the filtering agents refuse
 * private, loopback and link-local addresses (the address actually connected to, so DNS tricks do not pass).
 */
@Injectable()
export class HttpSender implements OnApplicationShutdown {
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  private readonly targets = new Map<string, { secure: boolean; options: RequestOptions }>();

  constructor(private readonly config: AppConfig) {
    const agentOptions = {
      keepAlive: true,
      maxSockets: config.webhooks.perEndpointConcurrency * 4,
      timeout: config.webhooks.timeoutMs,
    };
    if (config.webhooks.allowPrivateUrls) {
      this.httpAgent = new HttpAgent(agentOptions);
      this.httpsAgent = new HttpsAgent(agentOptions);
    } else {
      this.httpAgent = new RequestFilteringHttpAgent({
        ...agentOptions,
        allowPrivateIPAddress: false,
        allowMetaIPAddress: false,
      });
      this.httpsAgent = new RequestFilteringHttpsAgent({
        ...agentOptions,
        allowPrivateIPAddress: false,
        allowMetaIPAddress: false,
      });
    }
  }

  async post(url: string, body: string, headers: Record<string, string>, signal?: AbortSignal): Promise<SendResult> {
    const started = performance.now();
    const timeout = this.config.webhooks.timeoutMs;
    const elapsed = () => Math.round(performance.now() - started);
    // One deadline for the whole send (connect, answer, body) and the engine's own stop, as plain listeners: a timer
    // and one abort listener cost far less per send than AbortSignal.timeout() joined with AbortSignal.any().
    let req: ClientRequest | undefined;
    let res: IncomingMessage | undefined;
    let timedOut = false;
    const stop = (reason: Error) => {
      req?.destroy(reason);
      res?.destroy(reason);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop(new Error(`timed out after ${timeout} ms`));
    }, timeout);
    const onAbort = () => stop(new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) throw new Error('aborted');
      // node:http directly (no client library in between): this runs once per delivery attempt.
      const target = this.target(url);
      res = await new Promise<IncomingMessage>((resolve, reject) => {
        req = (target.secure ? httpsRequest : httpRequest)(
          {
            ...target.options,
            method: 'POST',
            headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
            agent: target.secure ? this.httpsAgent : this.httpAgent,
          },
          resolve,
        );
        req.once('error', reject);
        req.end(body);
      });
      const excerpt = await readExcerpt(res, RESPONSE_EXCERPT_BYTES);
      const resHeaders: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(res.headers)) resHeaders[k] = v === undefined ? undefined : String(v);
      return { statusCode: res.statusCode ?? null, headers: resHeaders, excerpt, error: null, durationMs: elapsed() };
    } catch (error) {
      const message = timedOut ? `timed out after ${timeout} ms` : describe(error);
      return { statusCode: null, headers: {}, excerpt: null, error: message, durationMs: elapsed() };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private target(url: string): { secure: boolean; options: RequestOptions } {
    let target = this.targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      if (this.targets.size >= MAX_CACHED_TARGETS) this.targets.clear();
      target = { secure: parsed.protocol === 'https:', options: urlToHttpOptions(parsed) };
      this.targets.set(url, target);
    }
    return target;
  }

  // After the engine has drained (beforeApplicationShutdown), never before: in-flight sends use these sockets.
  onApplicationShutdown(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const message = e?.message || String(error);
  return e?.code && !message.includes(e.code) ? `${e.code}: ${message}` : message;
}
