/**
 * JSON schemas of every route (fastify validates requests with them and serialises replies through
 * them, so a reply holds exactly the documented fields). Kept beside each other so the README's
 * description of the API has one place to be checked against.
 */

const nullable = (type: string) => ({ type: [type, 'null'] });

export const errorSchema = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
  required: ['error'],
} as const;

export const portNameParams = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1, maxLength: 64 } },
  required: ['name'],
} as const;

export const stateSchema = {
  type: 'object',
  properties: {
    vfo: { type: 'string' },
    freqA: { type: 'integer' },
    freqB: { type: 'integer' },
    mode: { type: 'string' },
    passband: { type: 'integer' },
    split: { type: 'boolean' },
    txVfo: { type: 'string' },
    ptt: { type: 'boolean' },
  },
  required: ['vfo', 'freqA', 'freqB', 'mode', 'passband', 'split', 'txVfo', 'ptt'],
} as const;

const statsSchema = {
  type: 'object',
  properties: {
    commands: { type: 'integer' },
    unknownCommands: { type: 'integer' },
    errors: { type: 'integer' },
    lastCommandAt: nullable('string'),
  },
  required: ['commands', 'unknownCommands', 'errors', 'lastCommandAt'],
} as const;

const programsSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: { pid: { type: 'integer' }, command: { type: 'string' } },
    required: ['pid', 'command'],
  },
} as const;

export const portSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    rig: { type: 'string' },
    link: { type: 'string' },
    path: { type: 'string' },
    backend: { type: 'string' },
    client: {
      type: 'object',
      properties: {
        open: { type: 'boolean' },
        baud: nullable('integer'),
        dataBits: nullable('integer'),
        parity: nullable('string'),
        stopBits: nullable('integer'),
        programs: programsSchema,
        remote: nullable('string'),
      },
      required: ['open', 'baud', 'dataBits', 'parity', 'stopBits', 'programs', 'remote'],
    },
    state: stateSchema,
    stats: statsSchema,
    tcp: {
      type: ['object', 'null'],
      properties: { listen: { type: 'string' }, remote: nullable('string'), stats: statsSchema },
      required: ['listen', 'remote', 'stats'],
    },
  },
  required: ['name', 'rig', 'link', 'path', 'backend', 'client', 'state', 'stats', 'tcp'],
} as const;

/** A network server (`servers:`) and its connected clients. */
export const serverSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    type: { type: 'string' },
    listen: { type: 'string' },
    backend: { type: 'string' },
    clients: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          remote: { type: 'string' },
          connectedAt: { type: 'string' },
          transmitting: { type: 'boolean' },
          stats: statsSchema,
        },
        required: ['name', 'remote', 'connectedAt', 'transmitting', 'stats'],
      },
    },
  },
  required: ['name', 'type', 'listen', 'backend', 'clients'],
} as const;

export const backendSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    type: { type: 'string' },
    address: { type: 'string' },
    connected: { type: 'boolean' },
    latencyMs: nullable('number'),
    requests: { type: 'integer' },
    failures: { type: 'integer' },
    reconnects: { type: 'integer' },
    lastError: nullable('string'),
    pttOwner: nullable('string'),
    foreignPtt: { type: 'boolean' },
  },
  required: ['name', 'type', 'address', 'connected', 'latencyMs', 'requests', 'failures'],
} as const;

export const healthSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    uptimeSeconds: { type: 'number' },
    pid: { type: 'integer' },
    node: { type: 'string' },
    version: { type: 'string' },
    authRequired: { type: 'boolean' },
    backends: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          connected: { type: 'boolean' },
          lastError: nullable('string'),
          roundTripMs: nullable('number'),
        },
        required: ['name', 'connected', 'lastError', 'roundTripMs'],
      },
    },
    ports: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, open: { type: 'boolean' } },
        required: ['name', 'open'],
      },
    },
  },
  required: ['status', 'uptimeSeconds', 'pid', 'backends', 'ports'],
} as const;

export const profileSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    model: { type: 'string' },
    family: { type: 'string' },
    hamlib: {
      type: 'object',
      properties: {
        model: { type: 'integer' },
        name: { type: 'string' },
        /** How Hamlib opens the model: a network model needs the port's CAT over TCP. */
        port: { type: 'string', enum: ['serial', 'network'] },
      },
      required: ['model', 'name', 'port'],
    },
  },
  required: ['name', 'model', 'family', 'hamlib'],
} as const;

export const pttBody = {
  type: 'object',
  properties: { ptt: { type: 'boolean', enum: [false] } },
  required: ['ptt'],
  additionalProperties: false,
} as const;

export const pttReply = {
  type: 'object',
  properties: {
    port: { type: 'string' },
    backend: { type: 'string' },
    ptt: { type: 'boolean' },
    confirmed: { type: 'boolean' },
  },
  required: ['port', 'backend', 'ptt', 'confirmed'],
} as const;
