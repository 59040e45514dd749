/** `decisions serve`: runs the bot until SIGTERM or SIGINT, then closes cleanly. */
import { loadConfig } from './config';
import { createLogger } from './logger';
import { startApp } from './app';

export async function serve(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = await startApp(config, logger);
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'Shutting down');
      app.stop().then(resolve, (err: unknown) => {
        logger.error({ err }, 'Shutdown failed');
        resolve();
      });
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
  return 0;
}
