import { HttpService } from '@nestjs/axios';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { AxiosError } from 'axios';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { firstValueFrom } from 'rxjs';
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

  constructor(
    private readonly http: HttpService,
    private readonly config: AppConfig,
  ) {
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
    const abort = AbortSignal.any([AbortSignal.timeout(timeout), ...(signal ? [signal] : [])]);
    try {
      const res = await firstValueFrom(
        this.http.post<Readable>(url, body, {
          headers,
          timeout,
          signal: abort,
          maxRedirects: 0,
          responseType: 'stream',
          validateStatus: () => true,
          transformRequest: [(data: unknown) => data],
          httpAgent: this.httpAgent,
          httpsAgent: this.httpsAgent,
          proxy: false,
        }),
      );
      const excerpt = await readExcerpt(res.data, RESPONSE_EXCERPT_BYTES);
      const resHeaders: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(res.headers)) resHeaders[k.toLowerCase()] = v == null ? undefined : String(v);
      return {
        statusCode: res.status,
        headers: resHeaders,
        excerpt,
        error: null,
        durationMs: Math.round(performance.now() - started),
      };
    } catch (error) {
      return {
        statusCode: null,
        headers: {},
        excerpt: null,
        error: describe(error, timeout),
        durationMs: Math.round(performance.now() - started),
      };
    }
  }

  // After the engine has drained (beforeApplicationShutdown), never before: in-flight sends use these sockets.
  onApplicationShutdown(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function describe(error: unknown, timeoutMs: number): string {
  const e = error as AxiosError & { cause?: { message?: string } };
  if (
    e?.code === 'ECONNABORTED' ||
    e?.code === 'ERR_CANCELED' ||
    e?.name === 'CanceledError' ||
    e?.name === 'TimeoutError'
  ) {
    return `timed out after ${timeoutMs} ms`;
  }
  const message = e?.message || String(error);
  return e?.code && !message.includes(e.code) ? `${e.code}: ${message}` : message;
}
