import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
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

/** Reads at most `limit` bytes of a response body, then drops the rest (a receiver cannot make us buffer megabytes). */
async function readExcerpt(stream: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      chunks.push(buf);
      size += buf.length;
      if (size >= limit) break;
    }
  } catch {
    // A body cut short still leaves us the status code, which is what decides the outcome.
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/**
 * POSTs one signed webhook. Connections are kept alive per receiver; at connect time the filtering agents refuse
 * private, loopback and link-local addresses (the address actually connected to, so DNS tricks do not pass).
 */
@Injectable()
export class HttpSender implements OnApplicationShutdown {
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;

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
    const deadline = AbortSignal.timeout(timeout);
    const abort = AbortSignal.any([deadline, ...(signal ? [signal] : [])]);
    const elapsed = () => Math.round(performance.now() - started);
    try {
      // node:http directly (no client library in between): this runs once per delivery attempt.
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = (secure ? httpsRequest : httpRequest)(
          target,
          {
            method: 'POST',
            headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
            agent: secure ? this.httpsAgent : this.httpAgent,
            signal: abort,
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
      const message = deadline.aborted ? `timed out after ${timeout} ms` : describe(error);
      return { statusCode: null, headers: {}, excerpt: null, error: message, durationMs: elapsed() };
    }
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
