import type { Logger } from 'pino';
import type { Backend } from './backends/backend.js';
import { FlrigBackend } from './backends/flrig-backend.js';
import { RigctldBackend } from './backends/rigctld-backend.js';
import { SimBackend } from './backends/sim-backend.js';
import type { BackendConfig } from './config.js';

/** Builds the backend a config entry describes. */
export function createBackend(config: BackendConfig, logger: Logger): Backend {
  switch (config.type) {
    case 'sim':
      return new SimBackend();
    case 'rigctld': {
      const [host, port] = splitHostPort(config.address);
      return new RigctldBackend({ host, port, logger: logger.child({ backend: config.name }) });
    }
    case 'flrig': {
      const [host, port] = splitHostPort(config.address);
      return new FlrigBackend({ host, port, logger: logger.child({ backend: config.name }) });
    }
  }
}

export function splitHostPort(address: string): [string, number] {
  const match = /^\[?(.*?)\]?:(\d+)$/.exec(address);
  if (!match) throw new Error(`bad address "${address}"`);
  return [match[1]!, Number(match[2])];
}
