// Service health for the diagnostics endpoints (teleport-behaviour.md §5.4, lib/tbot/readyz): every service
// starts `initializing`, then reports `healthy` or `unhealthy` with a reason.

export type Status = 'initializing' | 'healthy' | 'unhealthy';

export interface ServiceStatus {
  status: Status;
  reason?: string;
}

export class StatusRegistry {
  private services = new Map<string, ServiceStatus>();
  private waiters: Array<() => void> = [];

  register(name: string): void {
    this.services.set(name, { status: 'initializing' });
  }

  report(name: string, status: Exclude<Status, 'initializing'>, reason?: string): void {
    this.services.set(name, { status, ...(reason ? { reason } : {}) });
    if (this.allReported()) {
      for (const w of this.waiters.splice(0)) w();
    }
  }

  get(name: string): ServiceStatus | undefined {
    return this.services.get(name);
  }

  allReported(name?: string): boolean {
    if (name !== undefined) return this.services.get(name)?.status !== 'initializing';
    return [...this.services.values()].every((s) => s.status !== 'initializing');
  }

  /** Resolves once every service (or `name`) has reported. */
  async waitReported(name?: string): Promise<void> {
    while (!this.allReported(name)) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Only `healthy` or `unhealthy`: a service not yet reported counts as unhealthy (readyz.go
   * `OverallStatus`, teleport-behaviour.md §5.4). */
  overall(): Exclude<Status, 'initializing'> {
    const all = [...this.services.values()];
    return all.every((s) => s.status === 'healthy') ? 'healthy' : 'unhealthy';
  }

  snapshot(): { status: Exclude<Status, 'initializing'>; services: Record<string, ServiceStatus> } {
    return { status: this.overall(), services: Object.fromEntries(this.services) };
  }
}
