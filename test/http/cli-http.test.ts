/**
 * System: the `catbridge` command as a user runs it serves HTTP from its start and stops serving with
 * it: the ready output names the URL, the API and dashboard answer there, and SIGTERM with a websocket
 * client attached still exits within the 2 s budget and closes the listener.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/util/package-root.js';
import { until } from '../support/gateway-harness.js';
import { EventsClient } from './ws-client.js';

const cli = join(packageRoot(), 'dist', 'src', 'cli.js');
let dir: string;

beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: npm test builds it first (pretest)`);
  dir = mkdtempSync(join(tmpdir(), 'catbridge-cli-http-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });
}

describe('catbridge CLI with HTTP', () => {
  it('prints the dashboard URL, serves the API there, and stops serving on SIGTERM within 2 s', async () => {
    const file = join(dir, 'http.yaml');
    writeFileSync(
      file,
      `http:\n  listen: 127.0.0.1:0\nbackends:\n  sim:\n    type: sim\nports:\n  ft8:\n    rig: ts2000\n    backend: sim\n    link: ${dir}/ft8\n`,
    );
    const child = spawn(process.execPath, [cli, '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      await until(() => /catbridge ready/.test(output), 10_000, 'ready line');
      const url = /dashboard and API at (http:\/\/127\.0\.0\.1:(\d+))\//.exec(output);
      expect(url, output).not.toBeNull();
      const base = url![1]!;
      const port = Number(url![2]);
      const health = (await (await fetch(`${base}/api/health`)).json()) as {
        status: string;
        ports: unknown[];
      };
      expect(health).toMatchObject({ status: 'ok', ports: [{ name: 'ft8', open: false }] });
      expect(await (await fetch(`${base}/`)).text()).toContain('<title>catbridge</title>');
      const events = await EventsClient.connect(base);
      await events.waitFor((e) => e.type === 'hello');

      const stopAt = Date.now();
      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);
      expect(Date.now() - stopAt).toBeLessThan(2000);
      expect(await refused(port)).toBe(true);
      expect(existsSync(`${dir}/ft8`)).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a port already taken is an error at start, not a gateway without its API', async () => {
    const blocker = await new Promise<Server>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    });
    const taken = (blocker.address() as { port: number }).port;
    const file = join(dir, 'taken.yaml');
    writeFileSync(
      file,
      `http:\n  listen: 127.0.0.1:${taken}\nbackends:\n  sim:\n    type: sim\nports:\n  ft8:\n    rig: ts2000\n    backend: sim\n    link: ${dir}/taken\n`,
    );
    const child = spawn(process.execPath, [cli, '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    try {
      expect(await exited(child)).toBe(1);
      expect(stderr).toMatch(new RegExp(`cannot serve HTTP on 127\\.0\\.0\\.1:${taken}: .*EADDRINUSE`));
      expect(existsSync(`${dir}/taken`)).toBe(false);
    } finally {
      child.kill('SIGKILL');
      blocker.close();
    }
  });
});
