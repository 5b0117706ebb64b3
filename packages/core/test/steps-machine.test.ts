import { describe, expect, it } from 'vitest';
import {
  type DEPLOY_STEPS,
  firstStep,
  isTerminal,
  nextStep,
  ROLLBACK_STEPS,
  trafficMoved,
} from '../src/deployments/steps-machine';

describe('deployment state machine', () => {
  it('walks a deploy through every step in order, then ends', () => {
    const seen: string[] = [];
    let step: (typeof DEPLOY_STEPS)[number] | null = firstStep('deploy');
    while (step) {
      seen.push(step);
      step = nextStep('deploy', step);
    }
    expect(seen).toEqual(['build', 'release', 'launch', 'await_healthy', 'route', 'retire']);
  });

  it('starts a rollback at launch: no build, no new release', () => {
    expect(firstStep('rollback')).toBe('launch');
    expect(ROLLBACK_STEPS).not.toContain('build');
    expect(nextStep('rollback', 'route')).toBe('retire');
    expect(nextStep('rollback', 'retire')).toBeNull();
  });

  it('rejects a step that is not part of the kind', () => {
    expect(() => nextStep('rollback', 'build')).toThrow(/not part of a rollback/);
  });

  it('knows when traffic has moved, which decides whether a failure can clean up', () => {
    expect(trafficMoved('deploy', 'await_healthy')).toBe(false);
    expect(trafficMoved('deploy', 'route')).toBe(false);
    expect(trafficMoved('deploy', 'retire')).toBe(true);
  });

  it('treats succeeded, failed and canceled as terminal', () => {
    expect(['succeeded', 'failed', 'canceled'].every((s) => isTerminal(s as never))).toBe(true);
    expect(['queued', 'running', 'waiting'].some((s) => isTerminal(s as never))).toBe(false);
  });
});
