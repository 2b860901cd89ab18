import { traceFrame } from '../../../src/gateway/http/trace.js';
import type { FrameEvent } from '../../../src/rigs/emulator.js';
import type { GatewayHarness } from '../../support/gateway-harness.js';

/**
 * Keeps the last CAT frames each port saw (the gateway's decoded trace, as the dashboard shows it), so
 * a failing program test can say what the program sent and what the port answered.
 */
export class WireTrace {
  private readonly frames = new Map<string, string[]>();

  constructor(
    harness: GatewayHarness,
    ports: string[],
    private readonly keep = 80,
  ) {
    for (const port of ports) {
      const list: string[] = [];
      this.frames.set(port, list);
      harness.session(port).on('frame', (event: FrameEvent) => {
        const t = traceFrame(port, event, Date.now());
        list.push(`${t.at.slice(11, 23)} ${t.kind} ${t.summary}`);
        if (list.length > this.keep) list.splice(0, list.length - this.keep);
      });
    }
  }

  /** The last `n` frames on one port, one per line. */
  tail(port: string, n = 40): string {
    return (this.frames.get(port) ?? []).slice(-n).join('\n    ');
  }

  /** Appends the port's recent wire trace to an error's message. */
  annotate(err: unknown, port: string, n = 40): Error {
    const error = err instanceof Error ? err : new Error(String(err));
    error.message += `\n  last CAT frames on ${port}:\n    ${this.tail(port, n)}`;
    return error;
  }
}
