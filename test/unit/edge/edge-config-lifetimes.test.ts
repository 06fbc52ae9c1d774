import { describe, expect, it } from 'vitest';
import { EdgeConfigError, edgeLifetimes, loadEdgeConfig } from '../../../edge/edge-config.ts';

describe('edge config: maximum visit time, retentions and pick clips', () => {
  it('are unset by default (the stages use their documented defaults)', () => {
    expect(edgeLifetimes(loadEdgeConfig({}))).toEqual({
      lostExit: {},
      retention: {},
      pickClips: {},
      stuckReturns: {},
    });
  });

  it('read minutes and days from the environment', () => {
    const config = loadEdgeConfig({
      MAX_VISIT_MINUTES: '90',
      RETAIN_VISITS_DAYS: '60',
      RETAIN_DELIVERED_DAYS: '0.5',
    });
    expect(edgeLifetimes(config)).toEqual({
      lostExit: { maxVisitMs: 90 * 60_000 },
      retention: {
        visitsMs: 60 * 86_400_000,
        decidedExceptionsMs: 60 * 86_400_000,
        deliveredOutboxMs: 43_200_000,
      },
      pickClips: {},
      stuckReturns: {},
    });
  });

  it('read the hours a return waits for its receipt', () => {
    const config = loadEdgeConfig({ RETURN_MAX_WAIT_HOURS: '36' });
    expect(edgeLifetimes(config).stuckReturns).toEqual({ maxNotReadyMs: 36 * 3_600_000 });
  });

  it("read the pick clips' days and megabytes", () => {
    const config = loadEdgeConfig({ RETAIN_PICK_CLIPS_DAYS: '2', PICK_CLIPS_MAX_MB: '500' });
    expect(edgeLifetimes(config).pickClips).toEqual({ retentionMs: 2 * 86_400_000, maxBytes: 500_000_000 });
  });

  it.each([
    ['MAX_VISIT_MINUTES', 'three hours'],
    ['MAX_VISIT_MINUTES', '0'],
    ['MAX_VISIT_MINUTES', '90.5'],
    ['RETAIN_AUDIT_DAYS', '0'],
    ['RETAIN_FRAMES_DAYS', '-1'],
    ['RETAIN_PICK_CLIPS_DAYS', '0'],
    ['PICK_CLIPS_MAX_MB', '0'],
    ['PICK_CLIPS_MAX_MB', '1.5'],
    ['PICK_CLIPS_MAX_MB', 'lots'],
    ['RETURN_MAX_WAIT_HOURS', '0'],
    ['RETURN_MAX_WAIT_HOURS', 'a day'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadEdgeConfig({ [name]: value })).toThrow(EdgeConfigError);
    expect(() => loadEdgeConfig({ [name]: value })).toThrow(name);
  });
});
