// Production mode (NODE_ENV=production): the processes refuse what only a laptop may use — anonymous or
// demo broker credentials, the embedded broker without a policy, default staff passwords, demo secrets.

export function isProduction(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === 'production';
}

export class ProductionModeError extends Error {
  readonly code = 'REFUSED_IN_PRODUCTION';
  constructor(readonly problems: string[]) {
    super(`NODE_ENV=production refuses to start:\n  ${problems.join('\n  ')}`);
  }
}
