import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import { schemaErrorText } from '../schema-error-text';
import { ExchangeError } from './exchange.errors';

const CODE = '^[a-z0-9]+(-[a-z0-9]+)*$';

/**
 * JSON Schema of the exchange file (EXCHANGE_FILE, 市区失信信息互通): this deployment's code and,
 * per peer deployment (the city for a district, a district for the city), what goes there (by
 * memorandum) and how what comes from there is read (the peer's broker, the topic prefix it
 * uses, the bridge's user there, and the local publisher of kind "deployment" the bridge writes
 * as). What a schema cannot say checkExchangeConfig checks.
 */
export const EXCHANGE_CONFIG_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://credit-engine.local/schemas/exchange.schema.json',
  title: 'City ↔ district exchange links',
  type: 'object',
  required: ['deployment', 'links'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    $comment: { type: 'string' },
    deployment: { description: "This deployment's code, as its peers name it in routes.", type: 'string', pattern: CODE },
    links: { type: 'array', items: { $ref: '#/$defs/link' } },
  },
  $defs: {
    link: {
      type: 'object',
      required: ['peer'],
      additionalProperties: false,
      properties: {
        $comment: { type: 'string' },
        peer: { description: "The peer deployment's code.", type: 'string', pattern: CODE },
        outbound: {
          description: 'What this deployment sends the peer: the events that list, remove, repair or object to entries of these memoranda.',
          type: 'object',
          required: ['memoranda'],
          additionalProperties: false,
          properties: {
            memoranda: { type: 'array', items: { type: 'string', pattern: CODE }, minItems: 1, uniqueItems: true },
            reader: { description: "The SCRAM user the peer's bridge reads with on this cluster (kafka-admin grants it the topic and its group).", type: 'string', pattern: '^[\\w.@-]+$' },
          },
        },
        inbound: {
          description: "How this deployment's bridge reads what the peer sends it.",
          type: 'object',
          required: ['publisher', 'brokers', 'username', 'passwordEnv'],
          additionalProperties: false,
          properties: {
            publisher: { description: 'The local publisher (kind "deployment" in the departments registry) whose inbound topic the bridge writes.', type: 'string', pattern: CODE },
            brokers: { type: 'array', items: { type: 'string', pattern: '^[^\\s:]+:\\d{1,5}$' }, minItems: 1 },
            topicPrefix: { description: "The peer deployment's topic prefix (default none).", type: 'string', pattern: '^[a-z0-9._-]*$' },
            username: { description: "The bridge's SCRAM user at the peer's broker.", type: 'string', minLength: 1 },
            passwordEnv: { description: "The environment variable that holds that user's password: never the password itself.", type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' },
            tlsCaFile: { description: "PEM file of the CA that signed the peer brokers' certificates (absent: the system's CAs). The bridge always connects over TLS.", type: 'string', minLength: 1 },
          },
        },
      },
    },
  },
} as const;

/** What this deployment sends a peer. */
export interface OutboundLink {
  /** Memoranda whose entries' events go to the peer. */
  memoranda: readonly string[];
  /** The peer bridge's user on this cluster. */
  reader?: string;
}

/** How this deployment's bridge reads a peer. */
export interface InboundLink {
  publisher: string;
  brokers: readonly string[];
  topicPrefix: string;
  username: string;
  passwordEnv: string;
  tlsCaFile?: string;
}

export interface ExchangeLink {
  peer: string;
  outbound?: OutboundLink;
  inbound?: InboundLink;
}

export interface ExchangeConfig {
  deployment: string;
  links: readonly ExchangeLink[];
}

/** What the links are checked against: the departments registry (an inbound publisher must be a deployment). */
export interface ExchangeReferences {
  departments: ReadonlyMap<string, { kind?: string }>;
}

const validateFile = new Ajv2020({ allErrors: true, strict: false }).compile(EXCHANGE_CONFIG_SCHEMA);

/** Read, validate and check the exchange file; every problem named after EXCHANGE_FILE. */
export function loadExchangeConfig(file: string, references: ExchangeReferences): ExchangeConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw invalid(file, [`cannot read the exchange links: ${(error as Error).message}`]);
  }
  return checkExchangeConfig(parsed, references, file);
}

type ExchangeFile = { deployment: string; links: { peer: string; outbound?: OutboundLink; inbound?: Omit<InboundLink, 'topicPrefix'> & { topicPrefix?: string } }[] };

/** The links of a parsed file, or EXCHANGE.INVALID_CONFIG with every problem, each with its JSON path. */
export function checkExchangeConfig(content: unknown, references: ExchangeReferences, source: string): ExchangeConfig {
  if (!validateFile(content)) throw invalid(source, (validateFile.errors ?? []).map(schemaErrorText));
  const file = content as ExchangeFile;
  const problems: string[] = [];
  const peers = new Set<string>();
  const publishers = new Set<string>();
  file.links.forEach((link, i) => {
    const at = `$.links[${i}]`;
    if (link.peer === file.deployment) problems.push(`${at}.peer: "${link.peer}" is this deployment itself`);
    if (peers.has(link.peer)) problems.push(`${at}.peer: a second link to "${link.peer}" (one link a peer, both directions in it)`);
    peers.add(link.peer);
    if (link.outbound === undefined && link.inbound === undefined) problems.push(`${at}: neither outbound nor inbound: the link carries nothing`);
    if (link.inbound === undefined) return;
    const publisher = references.departments.get(link.inbound.publisher);
    if (!publisher) problems.push(`${at}.inbound.publisher: unknown publisher "${link.inbound.publisher}" (not in the departments registry)`);
    else if (publisher.kind !== 'deployment') problems.push(`${at}.inbound.publisher: "${link.inbound.publisher}" is not of kind "deployment": only a peer deployment relays events with their provenance`);
    if (publishers.has(link.inbound.publisher)) problems.push(`${at}.inbound.publisher: "${link.inbound.publisher}" already writes for another peer (one publisher a peer, so its topic and ACLs are that peer's)`);
    publishers.add(link.inbound.publisher);
  });
  if (problems.length > 0) throw invalid(source, problems);
  return {
    deployment: file.deployment,
    links: file.links.map((link) => ({
      peer: link.peer,
      ...(link.outbound ? { outbound: { ...link.outbound, memoranda: [...link.outbound.memoranda] } } : {}),
      ...(link.inbound ? { inbound: { ...link.inbound, brokers: [...link.inbound.brokers], topicPrefix: link.inbound.topicPrefix ?? '' } } : {}),
    })),
  };
}

/** The peers that the events of these memoranda go to. */
export function peersFor(config: ExchangeConfig, memoranda: Iterable<string>): string[] {
  const wanted = new Set(memoranda);
  return config.links.filter((link) => link.outbound?.memoranda.some((m) => wanted.has(m))).map((link) => link.peer);
}

function invalid(source: string, problems: string[]): ExchangeError {
  return new ExchangeError('EXCHANGE.INVALID_CONFIG', `EXCHANGE_FILE=${source}: ${problems.join('; ')}`, { file: source, problems });
}
