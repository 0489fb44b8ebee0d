import { distance as levenshtein } from 'fastest-levenshtein';
/**
 * Environment variables that look like settings of ours but are none: a misspelling
 * (`KAFKA_BROKER` for `KAFKA_BROKERS`) would otherwise be ignored without a word and the default
 * used. A variable is ours if it starts with the first word of a setting (`KAFKA_`, `ENGINE_`,
 * `DATABASE_`…); other programs' variables under those words are listed below.
 */

/** First words too common to claim: NODE_ is Node.js's own, TRANSPORT and TRUSTED are single settings. */
const UNCLAIMED_WORDS = new Set(['NODE']);

/** Variables of other tools under our words: the project's broker script, its wait helper, proxies. */
const OTHER_TOOLS = new Set([
  'KAFKA_PORT',
  'KAFKA_CONTROLLER_PORT',
  'KAFKA_HEAP_OPTS',
  'KAFKA_OPTS',
  'KAFKA_JVM_PERFORMANCE_OPTS',
  'KAFKA_LOG4J_OPTS',
  'KAFKA_START_TIMEOUT',
  'KAFKA_VERSION',
  'KAFKA_DIR',
  'KAFKA_KEEP_DATA',
  'KAFKA_WAIT_USERNAME',
  'KAFKA_WAIT_PASSWORD',
  'KAFKA_WAIT_CA',
  'HTTP_PROXY',
  'HTTPS_PROXY',
]);

/** Kubernetes' service links (`KAFKA_SERVICE_HOST`, `KAFKA_PORT_9092_TCP_ADDR`…) for a service named like one of our words. */
const SERVICE_LINK = /_SERVICE_(HOST|PORT)(_[A-Z0-9_]+)?$|_PORT_\d+_(TCP|UDP|SCTP)(_[A-Z]+)?$/;

export interface UnknownSetting {
  name: string;
  /** The setting it most likely means, when one is close enough. */
  suggestion?: string;
}

export function unknownSettings(env: Readonly<Record<string, string | undefined>>, known: readonly string[]): UnknownSetting[] {
  const knownSet = new Set(known);
  const words = new Set(known.map((k) => k.split('_')[0]).filter((w) => !UNCLAIMED_WORDS.has(w) && known.some((k) => k !== w && k.startsWith(`${w}_`))));
  return Object.keys(env)
    .filter((name) => !knownSet.has(name) && !OTHER_TOOLS.has(name) && !SERVICE_LINK.test(name) && words.has(name.split('_')[0]) && name.includes('_'))
    .sort()
    .map((name) => {
      const suggestion = closest(name, known);
      return suggestion ? { name, suggestion } : { name };
    });
}

/** The known name at the smallest edit distance, if at most a third of the name's length (and ≤ 4) apart. */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = levenshtein(name, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  return best && best.distance <= Math.min(4, Math.ceil(name.length / 3)) ? best.name : undefined;
}


export function describeUnknownSetting({ name, suggestion }: UnknownSetting): string {
  return `config: ${name} is not a setting of this program and is ignored${suggestion ? ` — did you mean ${suggestion}?` : ''}`;
}
