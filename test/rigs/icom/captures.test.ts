/**
 * Replays what Hamlib 4.5.4's CI-V backends sent in a capture (captures/*.wire.txt: the IC-9700 and
 * IC-7610, and issue 15's IC-7100, IC-7600, IC-9100, IC-706MkIIG, X6100 and G90) through the emulator:
 * every request Hamlib sent must get an answer, of the shape Hamlib accepted then — the same command
 * and sub-command, the same length, FB where it got FB. Values may differ (the capture's responder was
 * simpler than the emulator).
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
  // Bytes Hamlib sent that do not yet end a frame: the X6100 (3 ms write delay) writes one at a time.
  let pending: string[] = [];
  for (const line of text.split('\n')) {
    const marker = /=== (?:CMD (.*)|OPEN)/.exec(line);
    if (marker) during = marker[1] ?? 'open';
    const io = /\s(RX|TX)\s+\d+\s+\| ([0-9A-F ]+) \|/.exec(line);
    if (!io) continue;
    if (io[1] === 'TX') {
      exchanges.at(-1)!.reply = io[2]!.trim();
      continue;
    }
    pending.push(...io[2]!.trim().split(' '));
    if (pending.at(-1) !== 'FD') continue;
    exchanges.push({ request: pending.join(' '), reply: '', during });
    pending = [];
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

/**
 * Requests the capture's responder acknowledged (FB) that this radio refuses (FA), each with the reason.
 * Where the responder itself answered FA it did not know the command (it was a crude radio), so those
 * requests are not compared.
 */
const REFUSED: Record<string, { request: RegExp; why: string }> = {
  ic7100: {
    request: /^26 /,
    why: 'the IC-7100 has no 26: Hamlib then falls back to 06 + 1A 06 (icom.c icom_set_mode_x26, x26cmdfails)',
  },
  ic706mk2g: {
    request: /^06 01 00$/,
    why: 'filter 00 is none of FIL1-3 (Hamlib sends it for M PKTUSB 3000; the IC-706MkIIG has no data mode)',
  },
};

/** Frames Hamlib sends only to some models, which the emulator must know for them. */
const MODEL_FRAMES: Record<string, string[]> = {
  ic9700: ['16 5A'],
  ic7610: ['07 D0', '07 D1', '07 B0'],
  ic7600: ['07 D0', '07 D1', '07 B0'],
  // Hamlib's IC-9100 selects VFO A/B (07 00/01), not Main/Sub.
  ic9100: ['07 00', '07 01'],
  // The IC-7100 and IC-706MkIIG read the other VFO by exchanging A and B.
  ic7100: ['07 B0'],
  ic706mk2g: ['07 B0'],
};

describe.each([
  ['ic9700', 3081],
  ['ic7610', 3078],
  ['ic7100', 3070],
  ['ic7600', 3063],
  ['ic9100', 3068],
  ['ic706mk2g', 3011],
  ['x6100', 3087],
  ['g90', 3088],
])('%s: the requests Hamlib model %i sent in the capture', (profile) => {
  const exchanges = readCapture(profile);
  const body = (frame: string) => frame.slice(12, -3);

  it('are all answered in the shape Hamlib accepted, wherever the responder knew the command', () => {
    expect(exchanges.length).toBeGreaterThan(50);
    const r = icom(profile);
    let compared = 0;
    for (const { request, reply, during } of exchanges) {
      const answer = r.send(request);
      expect(answer, `${request} during ${during}: unanswered`).not.toBe('');
      if (body(reply) === 'FA') continue;
      const refused = REFUSED[profile]?.request.test(body(request));
      expect(shape(answer), `${request} during ${during}`).toBe(refused ? 'FA (6 bytes)' : shape(reply));
      compared++;
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('include the model-specific frames the emulator must know', () => {
    const requests = new Set(exchanges.map((e) => body(e.request)));
    for (const frame of MODEL_FRAMES[profile] ?? []) expect(requests).toContain(frame);
  });
});
