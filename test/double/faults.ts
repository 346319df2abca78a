// Fault injection for the CDN double: the failures a download must survive (or report) in
// the wild. Each fault applies to matching requests until its `times` runs out.

export type Fault =
  /** Answer with `status` (default 503) instead of serving. */
  | { kind: 'status'; status?: number; times: number; path?: string }
  /** Send the headers (full Content-Length) and part of the body, then destroy the socket. */
  | { kind: 'drop-mid-body'; times: number; afterBytes?: number; path?: string }
  /** The `.sha256` file holds a different, valid-looking hash. */
  | { kind: 'wrong-checksum'; times?: number; path?: string }
  /** The `.sha256` file is a 404. */
  | { kind: 'missing-checksum'; times?: number; path?: string }
  /** Throttle the tarball body to `bytesPerSecond`. */
  | { kind: 'slow-body'; bytesPerSecond: number; times?: number; path?: string };

export type FaultKind = Fault['kind'];

/** What a request is, for matching faults that have no `path` filter. */
export type Target = 'tarball' | 'checksum' | 'other';

// Without a `path` filter, a fault hits the files it is about: checksum faults the .sha256
// files, every other kind the tarballs.
const DEFAULT_TARGET: Record<FaultKind, Target> = {
  status: 'tarball',
  'drop-mid-body': 'tarball',
  'slow-body': 'tarball',
  'wrong-checksum': 'checksum',
  'missing-checksum': 'checksum',
};

interface Armed {
  fault: Fault;
  left: number;
}

export class FaultSet {
  private armed: Armed[] = [];

  inject(fault: Fault): void {
    const left = fault.times ?? Number.POSITIVE_INFINITY;
    if (left > 0) this.armed.push({ fault, left });
  }

  clear(): void {
    this.armed = [];
  }

  /**
   * The first armed fault of `kind` matching this request, counted as used; undefined when
   * none applies. Call it only once the fault is actually going to be applied.
   */
  take<K extends FaultKind>(
    kind: K,
    path: string,
    target: Target,
  ): Extract<Fault, { kind: K }> | undefined {
    const i = this.armed.findIndex(
      ({ fault }) =>
        fault.kind === kind &&
        (fault.path !== undefined ? path.includes(fault.path) : DEFAULT_TARGET[kind] === target),
    );
    const hit = this.armed[i];
    if (!hit) return undefined;
    hit.left -= 1;
    if (hit.left <= 0) this.armed.splice(i, 1);
    return hit.fault as Extract<Fault, { kind: K }>;
  }
}
