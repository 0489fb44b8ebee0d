/** Injection token for the shared kafkajs client. */
export const KAFKA = Symbol('KAFKA');

/** Injection token for this deployment's TopicNames. */
export const TOPIC_NAMES = Symbol('TOPIC_NAMES');
