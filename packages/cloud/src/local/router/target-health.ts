import { probeHttp } from '../process/probe-http';
import type { TargetGroup } from './route-table';

interface Target {
  id: string;
  port: number;
  group: string;
  path: string;
  timeoutMs: number;
  healthy: boolean;
  failures: number;
  lastProbeAt: number;
  /** The probe in flight (a new target's first one included), shared by everyone who wants its answer. */
  inflight: Promise<void> | null;
}

/**
 * The router's own health checks, like an ALB target group: a target joins
 * the rotation once it has answered HTTP and leaves after two failures in a
 * row (at once when nothing listens on its port any more). Targets not yet
 * healthy are checked every round; healthy ones only every HEALTHY_EVERY_MS,
 * since a failed request reports them at once anyway and an app's own
 * request log should not fill with health checks.
 */
const HEALTHY_EVERY_MS = 10_000;

export class TargetHealth {
  private readonly targets = new Map<string, Target>();
  private readonly cursors = new Map<string, number>();

  constructor(private readonly maxProbeTimeoutMs: number) {}

  /** Tracks exactly the instances of the given groups; new ones are probed right away. */
  sync(groups: Iterable<TargetGroup>): void {
    const seen = new Set<string>();
    for (const group of groups) {
      for (const instance of group.instances) {
        seen.add(instance.id);
        if (this.targets.has(instance.id)) continue;
        const target: Target = {
          ...instance,
          group: group.ref,
          path: group.healthCheck.path,
          timeoutMs: Math.min(group.healthCheck.timeoutMs, this.maxProbeTimeoutMs),
          healthy: false,
          failures: 0,
          lastProbeAt: 0,
          inflight: null,
        };
        this.targets.set(instance.id, target);
        void this.probe(target);
      }
    }
    for (const id of this.targets.keys()) if (!seen.has(id)) this.targets.delete(id);
  }

  async probeAll(): Promise<void> {
    const due = [...this.targets.values()].filter((t) => !t.healthy || Date.now() - t.lastProbeAt >= HEALTHY_EVERY_MS);
    await Promise.all(due.map((target) => this.probe(target)));
  }

  /** Round-robin over the group's healthy targets, skipping `exclude`. */
  pick(group: TargetGroup, exclude?: string): { id: string; port: number } | null {
    const healthy = group.instances.filter((i) => i.id !== exclude && this.targets.get(i.id)?.healthy === true);
    if (healthy.length === 0) return null;
    const cursor = this.cursors.get(group.ref) ?? 0;
    this.cursors.set(group.ref, cursor + 1);
    return healthy[cursor % healthy.length] ?? null;
  }

  /** Waits for probes still running for the group (a just-created group's first ones included). */
  async settle(group: TargetGroup): Promise<void> {
    const pending = group.instances.map((i) => this.targets.get(i.id)?.inflight).filter((p) => p != null);
    if (pending.length > 0) await Promise.all(pending);
  }

  /**
   * Probes the group's targets not yet healthy, now. A route may switch to a
   * group between two periodic probes (the deployer saw it healthy first), and
   * a request must not fail for that.
   */
  async probeUnhealthy(group: TargetGroup): Promise<void> {
    const waiting = group.instances.map((i) => this.targets.get(i.id)).filter((t) => t !== undefined && !t.healthy);
    await Promise.all(waiting.map((t) => this.probe(t as Target)));
  }

  /** A proxied request failed to reach the target. */
  reportFailure(id: string, refused: boolean): void {
    const target = this.targets.get(id);
    if (target === undefined) return;
    target.failures += 1;
    if (refused || target.failures >= 2) target.healthy = false;
  }

  private probe(target: Target): Promise<void> {
    target.inflight ??= (async () => {
      target.lastProbeAt = Date.now();
      if (await probeHttp(target.port, target.timeoutMs, target.path)) {
        target.healthy = true;
        target.failures = 0;
      } else {
        target.failures += 1;
        if (target.failures >= 2) target.healthy = false;
      }
    })().finally(() => {
      target.inflight = null;
    });
    return target.inflight;
  }
}
