import { describe, expect, it } from 'vitest';
import { mergeStepData } from '../src/deployments/deployment-store';
import { parseStepData } from '../src/deployments/step-data';
import {
  type DEPLOY_STEPS,
  firstStep,
  isTerminal,
  needsRolloutSlot,
  nextStep,
  RELEASE_STEPS,
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

  it('starts config changes, resizes and rollbacks at release: no build', () => {
    for (const kind of ['config', 'resize', 'rollback'] as const) {
      expect(firstStep(kind)).toBe('release');
      expect(nextStep(kind, 'retire')).toBeNull();
    }
    expect(RELEASE_STEPS).not.toContain('build');
  });

  it('rejects a step that is not part of the kind', () => {
    expect(() => nextStep('rollback', 'build')).toThrow(/not part of a rollback/);
  });

  it('builds outside the rollout slot and changes what runs only inside it', () => {
    expect(needsRolloutSlot('build')).toBe(false);
    expect(RELEASE_STEPS.every(needsRolloutSlot)).toBe(true);
  });

  it('treats succeeded, failed and canceled as terminal', () => {
    expect(['succeeded', 'failed', 'canceled'].every((s) => isTerminal(s as never))).toBe(true);
    expect(['queued', 'running', 'waiting'].some((s) => isTerminal(s as never))).toBe(false);
  });
});

describe('step data', () => {
  const id = '4f1c0a35-7c6b-4ad8-9f35-2f7a1d7f6a10';

  it('merges a step’s new fields into what it saved before', () => {
    const saved = parseStepData({ launch: { created: [id], startedAt: '2026-01-01T00:00:00.000Z' } });
    const merged = mergeStepData(saved, { launch: { finishedAt: '2026-01-01T00:00:01.000Z' }, route: { phase: 'switching' } });
    expect(merged).toEqual({
      launch: { created: [id], startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z' },
      route: { phase: 'switching' },
    });
  });

  it('reads a record it cannot parse as empty rather than failing the deployment', () => {
    expect(parseStepData({ launch: { created: ['not-an-id'] } })).toEqual({});
    expect(parseStepData(null)).toEqual({});
  });
});
