/**
 * Replays what Hamlib 4.5.4's IC-9700 (3081) and IC-7610 (3078) backends sent in a capture
 * (captures/*.wire.txt) through the emulator: every request Hamlib sent must get an answer of the
 * shape Hamlib accepted then — the same command and sub-command, the same length, FB where it got FB.
 * Values may differ (the capture's responder was simpler than the emulator).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytes, hexOf, icom } from './harness.js';

interface Exchange {
  request: string;
  reply: string;
  during: string;
}

function readCapture(name: string): Exchange[] {
  const text = readFileSync(join(import.meta.dirname, 'captures', `${name}.wire.txt`), 'utf8');
  const exchanges: Exchange[] = [];
  let during = 'open';
  for (const line of text.split('\n')) {
    const marker = /=== (?:CMD (.*)|OPEN)/.exec(line);
    if (marker) during = marker[1] ?? 'open';
    const io = /\s(RX|TX)\s+\d+\s+\| ([0-9A-F ]+) \|/.exec(line);
    if (!io) continue;
    if (io[1] === 'RX') exchanges.push({ request: io[2]!.trim(), reply: '', during });
    else exchanges.at(-1)!.reply = io[2]!.trim();
  }
  return exchanges;
}

/** Command, sub-command (where the command has one) and length: what Hamlib checks in a reply. */
function shape(reply: string): string {
  const b = bytes(reply);
  const body = b.subarray(4, b.length - 1);
  const withSub = [0x07, 0x14, 0x15, 0x16, 0x19, 0x1a, 0x1c, 0x25, 0x26].includes(body[0]!);
  return `${hexOf(body.subarray(0, withSub ? 2 : 1))} (${b.length} bytes)`;
}

describe.each([
  ['ic9700', 3081],
  ['ic7610', 3078],
])('%s: the requests Hamlib model %i sent in the capture', (profile) => {
  const exchanges = readCapture(profile);

  it('are all answered in the shape Hamlib accepted', () => {
    expect(exchanges.length).toBeGreaterThan(50);
    const r = icom(profile);
    for (const { request, reply, during } of exchanges) {
      expect(shape(r.send(request)), `${request} during ${during}`).toBe(shape(reply));
    }
  });

  it('include the model-specific frames the emulator must know', () => {
    const requests = new Set(exchanges.map((e) => e.request.slice(12, -3)));
    if (profile === 'ic9700') expect(requests).toContain('16 5A');
    if (profile === 'ic7610') {
      expect(requests).toContain('07 D0');
      expect(requests).toContain('07 D1');
      expect(requests).toContain('07 B0');
    }
  });
});
