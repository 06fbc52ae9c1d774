// What a fault case is: when it strikes, what it does to which process, how it changes the way the store is
// started, and what it may touch while it runs (the store's processes, broker, database and simulator).
import type { ChildService } from './child-service.ts';
import type { FaultBroker } from './fault-broker.ts';
import type { CaseDatabase } from './fault-database.ts';
import type { ScenarioTimeline } from './fault-scenarios.ts';
import type { StoreProcesses } from './store-processes.ts';

export interface CaseContext {
  processes: StoreProcesses;
  broker: FaultBroker;
  db: CaseDatabase;
  simulator: ChildService;
  /** Steps the wall clock of the cloud and the edge forward by `ms` in all (cases with `setup.clockStep`). */
  stepClocks(ms: number): Promise<void>;
  /** One progress line. */
  say(line: string): void;
}

export type CaseNeed = 'restartable-broker';

/** How a case changes the way the store is started. */
export interface CaseSetup {
  /** Edge settings (environment), e.g. a short maximum visit time. */
  edgeEnv?: Record<string, string>;
  /** The edge reaches the cloud through a link the case cuts (`processes.uplink`). */
  cloudLink?: boolean;
  /** The cloud's and the edge's wall clocks can be stepped (`stepClocks`; clock-step.ts). */
  clockStep?: boolean;
  /** How long receipts may take once the simulator is done (default 60 s). */
  receiptsTimeoutMs?: number;
}

export interface FaultCase {
  name: string;
  /** What is done, for the table. */
  fault: string;
  timeline: ScenarioTimeline;
  needs: CaseNeed[];
  setup?: CaseSetup;
  /** Runs beside the simulator; resolves once the fault is injected and the killed part restarted. */
  inject(ctx: CaseContext): Promise<void>;
}
