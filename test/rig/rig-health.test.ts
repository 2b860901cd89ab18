import { describe, expect, it } from 'vitest';
import { RigHealth } from '../../src/gateway/rig/rig-health.js';

describe('RigHealth', () => {
  it('counts reads, writes and reconnects, and keeps the last error until the next connection', () => {
    let wall = 1000;
    const health = new RigHealth(() => wall);
    health.connected();
    health.readOk(40);
    wall = 2000;
    health.readOk(60);
    health.readFailed('timeout');
    health.writeDone();
    health.writeDone('refused');
    expect(health.snapshot()).toEqual({
      lastReadAt: 2000,
      lastError: 'refused',
      reads: 2,
      readFailures: 1,
      lastReadMs: 60,
      writes: 2,
      writeFailures: 1,
      reconnects: 0,
    });
    expect(health.typicalReadMs).toBeCloseTo(44, 5);
    health.connected();
    expect(health.snapshot()).toMatchObject({ lastError: null, reconnects: 1 });
  });
});
