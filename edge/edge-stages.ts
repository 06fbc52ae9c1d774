// The edge as an ordered list of stages: started in order, stopped in reverse, and a failed start undoes the
// stages already started — as evaluation/harness/store-stack.ts does for a whole store.
import type { Logger } from 'pino';

export interface EdgeStage {
  name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

/** Starts every stage in order; returns the stop of the whole list (reverse order, errors logged). */
export async function startStages(
  stages: readonly EdgeStage[],
  logger: Logger,
): Promise<() => Promise<void>> {
  const started: EdgeStage[] = [];
  const stopAll = async () => {
    for (const stage of started.reverse()) {
      try {
        await stage.stop();
      } catch (err) {
        logger.error({ err, stage: stage.name }, 'stage failed to stop');
      }
    }
  };
  for (const stage of stages) {
    try {
      await stage.start();
      started.push(stage);
    } catch (err) {
      await stopAll();
      throw err;
    }
  }
  return stopAll;
}
