import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { AppModule } from './app.module.js';
import { ReadinessService } from './health/readiness.service.js';
import { configureApp } from './app.setup.js';
import { AppConfig } from './config/app-config.js';
import { ConfigError, parseEnv } from './config/env.validation.js';
import { resolveDatabase } from './database/database-server.js';
import { describeError } from './database/embedded-postgres.js';
import { flushTelemetryBeforeExit } from './telemetry/flush.js';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: AppConfig;
  try {
    config = parseEnv(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`sokohub: bad configuration: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const database = await resolveDatabase(config, (line) => console.log(`sokohub: ${line}`));
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register({ DATABASE_URL: database.url }), {
    bufferLogs: true,
  });
  configureApp(app);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`sokohub: ${signal} received, draining`);
    // Readiness turns 503 first; requests keep being served for the grace period while the load balancer notices,
    // then the app closes (no new connections, in-flight requests and deliveries finish), then the embedded server.
    app.get(ReadinessService).drain();
    await new Promise((resolve) => setTimeout(resolve, config.shutdownGraceMs));
    await app.close().catch((e: unknown) => console.error(e));
    await database.stop().catch((e: unknown) => console.error(e));
    await flushTelemetryBeforeExit();
    process.exit(0);
  };
  // embedded-postgres installs exit hooks that would exit the process mid-drain; this handler does it all in order.
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGINT');
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen(config.port);
  console.log(`sokohub: listening on http://localhost:${config.port} (Swagger UI at /docs)`);
}

void main().catch((error: unknown) => {
  console.error(`sokohub: failed to start: ${describeError(error)}`);
  process.exit(1);
});
