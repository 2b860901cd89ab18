/**
 * System: the dashboard in real headless Chromium (Debian's `chromium`, driven by playwright-core),
 * while a real Hamlib `rigctl` drives a port against a real `rigctld -m 1`: the page shows the
 * frequency the client set, the trace shows the frame, the TX indicator follows PTT. Screenshots are
 * left in test-artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RigctlSession } from '../support/rigctl-session.js';
import { Rigctld, rigctlValue } from '../support/rigctld.js';
import { shippedProfileNames } from '../support/shipped-profiles.js';
import { describeWithTools } from '../support/tools.js';
import { artifactPath, launchChromium } from './browser.js';
import { HttpStack } from './stack.js';

const TOKEN = 'dashboard-test-token';

describeWithTools(['chromium', 'rigctl', 'rigctld', 'stdbuf'], 'dashboard in headless Chromium', () => {
  let rigctld: Rigctld;
  let stack: HttpStack;
  let browser: Browser;
  let page: Page;
  let client: RigctlSession;

  beforeAll(async () => {
    rigctld = await Rigctld.start();
    stack = await HttpStack.start({ shack: { type: 'rigctld', address: `127.0.0.1:${rigctld.port}` } }, [
      { name: 'ft8', rig: 'ts2000', backend: 'shack' },
      { name: 'logger', rig: 'ic7300', backend: 'shack' },
    ]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    client = await RigctlSession.open(2014, stack.harness.links.ft8!);
  });

  afterAll(async () => {
    await client?.close();
    await browser?.close();
    await stack?.stop();
    await rigctld?.kill();
  });

  it('shows a card per port, the frequency a client set and the frame in the trace', async () => {
    await page.goto(stack.url);
    const ft8 = page.locator('.card[data-port="ft8"]');
    await ft8.waitFor();
    await expect(page.locator('.card').count()).resolves.toBe(2);
    await expect(ft8.locator('.model').textContent()).resolves.toContain('Kenwood TS-2000');
    await expect(ft8.locator('.link').textContent()).resolves.toBe(stack.harness.links.ft8);
    await expect(page.locator('#backends tr[data-backend="shack"]').textContent()).resolves.toContain(
      'connected',
    );

    expect((await client.cmd('F 14074000')).ok).toBe(true);
    await page.waitForFunction(
      () => document.querySelector('.card[data-port="ft8"] .freq')?.textContent === '14.074.000',
      undefined,
      { timeout: 5000 },
    );
    // Both ports sit on one radio: the Icom card moved too.
    await expect(page.locator('.card[data-port="logger"] .freq').textContent()).resolves.toBe('14.074.000');
    await expect(ft8.locator('.client').textContent()).resolves.toMatch(/client open · 57600 baud 8N1/);
    const row = page.locator('#trace li', { hasText: 'FA00014074000; → set VFO A frequency 14.074 000 MHz' });
    await row.first().waitFor({ timeout: 5000 });
    await expect(row.first().locator('.port').textContent()).resolves.toBe('ft8 ');
    await page.screenshot({ path: artifactPath('dashboard.png'), fullPage: true });
  });

  it('lists every radio a port can emulate, with the Hamlib model to choose', async () => {
    await page.locator('#radios summary').click();
    const rows = page.locator('#profiles tbody tr');
    await expect(rows.count()).resolves.toBe(shippedProfileNames().length);
    const names = await page
      .locator('#profiles tbody tr')
      .evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.profile));
    expect(names).toEqual(shippedProfileNames());
    await expect(page.locator('#profiles tr[data-profile="ts890s"]').textContent()).resolves.toContain(
      'TS-890S (Hamlib 2041)',
    );
    await expect(page.locator('#profiles tr[data-profile="flex6000"]').textContent()).resolves.toContain(
      'network: CAT over TCP',
    );
    await expect(page.locator('#radios-count').textContent()).resolves.toBe(
      `${shippedProfileNames().length} models`,
    );
    await page.screenshot({ path: artifactPath('dashboard-radios.png'), fullPage: true });
    await page.locator('#radios summary').click();
  });

  it('cannot miss TX: the card turns red while the radio transmits; its button unkeys it', async () => {
    const ft8 = page.locator('.card[data-port="ft8"]');
    await expect(ft8.getAttribute('class')).resolves.not.toContain('transmitting');
    expect((await client.cmd('T 1')).ok).toBe(true);
    await page.waitForSelector('.card[data-port="ft8"].transmitting', { timeout: 5000 });
    await expect(ft8.locator('.tx').textContent()).resolves.toBe('TX');
    await page.screenshot({ path: artifactPath('dashboard-tx.png'), fullPage: true });
    await ft8.locator('.release').click();
    await page.waitForSelector('.card[data-port="ft8"]:not(.transmitting)', { timeout: 5000 });
    expect(await rigctlValue(rigctld.port, 't', 'PTT')).toBe('0');
  });

  it('the trace pauses, resumes and filters', async () => {
    const rows = (text: string) => page.locator('#trace li', { hasText: text });
    await page.locator('#pause').click();
    await expect(page.locator('#pause').textContent()).resolves.toBe('Resume');
    expect((await client.cmd('F 7074000')).ok).toBe(true);
    await page.waitForFunction(
      () => document.querySelector('.card[data-port="ft8"] .freq')?.textContent === '7.074.000',
      undefined,
      { timeout: 5000 },
    );
    // The display is live while the trace is paused; the frame waits.
    await expect(rows('FA00007074000;').count()).resolves.toBe(0);
    await page.locator('#pause').click();
    await rows('FA00007074000;').first().waitFor({ timeout: 2000 });

    await page.locator('#filter').fill('7.074 000');
    const shown = await page.locator('#trace li').allTextContents();
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((text) => text.includes('7.074 000'))).toBe(true);
    await page.locator('#filter').fill('');
    await expect(rows('14.074 000 MHz').count()).resolves.toBeGreaterThan(0);
  });
});

describeWithTools(['chromium', 'rigctl', 'stdbuf'], 'dashboard in headless Chromium with a token', () => {
  let stack: HttpStack;
  let browser: Browser;
  let client: RigctlSession;

  beforeAll(async () => {
    stack = await HttpStack.start(
      { sim: { type: 'sim' } },
      [{ name: 'ft8', rig: 'ts2000', backend: 'sim' }],
      TOKEN,
    );
    browser = await launchChromium();
    client = await RigctlSession.open(2014, stack.harness.links.ft8!);
  });

  afterAll(async () => {
    await client?.close();
    await browser?.close();
    await stack?.stop();
  });

  it('asks for the token once, refuses a wrong one, then works and keeps it for the session', async () => {
    const page = await browser.newPage();
    await page.goto(stack.url);
    await page.locator('#login').waitFor();
    expect(await page.locator('#app').isHidden()).toBe(true);

    await page.locator('#token').fill('wrong-token-123');
    await page.locator('#login button').click();
    await page.locator('#login-error', { hasText: 'refused' }).waitFor({ timeout: 5000 });

    await page.locator('#token').fill(TOKEN);
    await page.locator('#login button').click();
    await page.locator('.card[data-port="ft8"]').waitFor({ timeout: 5000 });
    expect((await client.cmd('F 10136000')).ok).toBe(true);
    await page.waitForFunction(
      () => document.querySelector('.card[data-port="ft8"] .freq')?.textContent === '10.136.000',
      undefined,
      { timeout: 5000 },
    );
    await page.locator('#trace li', { hasText: 'FA00010136000;' }).first().waitFor({ timeout: 5000 });
    await page.screenshot({ path: artifactPath('dashboard-token.png'), fullPage: true });

    // A reload in the same tab keeps the token (sessionStorage): no second prompt.
    await page.reload();
    await page.locator('.card[data-port="ft8"]').waitFor({ timeout: 5000 });
    expect(await page.locator('#login').isHidden()).toBe(true);
    await page.close();
  });
});
