// npm run camera-bridge -- --camera CAM3 --source rtsp://… [--fps 10] [--listen]   (or --config bridge.json)
// Bridges real cameras (RTSP, HTTP MJPEG or a video file, decoded by ffmpeg) to the store's broker as Walkout
// cameras. Stops cleanly on SIGINT/SIGTERM; logs each camera's counts every 30 s.
import pino from 'pino';
import { systemClock } from '../../shared/clock.ts';
import { BridgeConfigError, loadBridgeConfig, parseBridgeArgs } from './bridge-config.ts';
import { CameraBridges } from './camera-bridges.ts';
import { assertFfmpegInstalled, FfmpegMissingError } from './ffmpeg-command.ts';

const STATS_EVERY_MS = 30_000;
const logger = pino({ name: 'walkout-camera-bridge', level: process.env.LOG_LEVEL ?? 'info' });

async function main(): Promise<void> {
  assertFfmpegInstalled();
  const config = loadBridgeConfig(parseBridgeArgs(process.argv.slice(2)), process.env);
  const bridges = new CameraBridges({ config, clock: systemClock, logger });
  await bridges.start();
  logger.info(
    { cameras: config.cameras.map((c) => c.camera), mqttUrl: config.mqttUrl },
    'camera bridge running',
  );
  const stats = setInterval(() => {
    for (const [camera, bridge] of bridges.bridges)
      logger.info({ camera, source: bridge.sourceState, ...bridge.stats }, 'camera bridge counts');
  }, STATS_EVERY_MS);
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'stopping camera bridge');
    clearInterval(stats);
    await bridges.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof BridgeConfigError || err instanceof FfmpegMissingError) console.error(err.message);
  else logger.error({ err }, 'camera bridge failed to start');
  process.exit(1);
});
