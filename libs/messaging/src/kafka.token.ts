/** Injection token for the shared kafkajs client. */
export const KAFKA = Symbol('KAFKA');
