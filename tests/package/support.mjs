// What the package's browser tests share: Debian's Chromium, headless, with the flags this
// machine's closed network needs, and run-unique user IDs.
import { chromium } from 'playwright-core';

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export const unique = (name) => `${name}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
