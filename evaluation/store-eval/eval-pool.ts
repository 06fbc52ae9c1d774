// Runs evaluation jobs on N worker processes (one scenario run at a time each), biggest first, and reports each
// result as it comes back. A worker that dies fails its job with the reason; the others carry on.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EvalJob, EvalJobAnswer } from './eval-worker.ts';

const WORKER = fileURLToPath(new URL('./eval-worker.ts', import.meta.url));

export async function runJobs(
  jobs: readonly EvalJob[],
  workers: number,
  onAnswer: (answer: EvalJobAnswer, job: EvalJob) => void,
): Promise<void> {
  const queue = [...jobs];
  const startWorker = async (): Promise<void> => {
    let child: ChildProcess | undefined;
    try {
      for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
        child ??= fork(WORKER, [], {
          execArgv: ['--import', 'tsx'],
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        });
        const answer = await ask(child, job);
        onAnswer(answer, job);
        if (!answer.ok && !child.connected) child = undefined;
      }
    } finally {
      child?.disconnect();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, jobs.length)) }, startWorker));
}

function ask(child: ChildProcess, job: EvalJob): Promise<EvalJobAnswer> {
  return new Promise((resolve) => {
    const onMessage = (answer: EvalJobAnswer) => {
      if (answer.id !== job.id) return;
      done(answer);
    };
    const onExit = (code: number | null, signal: string | null) =>
      done({ id: job.id, ok: false, error: `worker exited (${signal ?? `code ${code}`}) during the run` });
    const done = (answer: EvalJobAnswer) => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(answer);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.send(job);
  });
}
