/** Injection token for the app's kafkajs client, authenticated as the principal of its role. */
export const KAFKA = Symbol('KAFKA');

/** Injection token for the outbox relay's client, authenticated as the relay (the engine process holds both). */
export const RELAY_KAFKA = Symbol('RELAY_KAFKA');

/** Injection token for this deployment's TopicNames. */
export const TOPIC_NAMES = Symbol('TOPIC_NAMES');
