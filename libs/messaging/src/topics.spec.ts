import { TopicNames } from './topics';

describe('TopicNames', () => {
  const topics = new TopicNames('t.run-1.');

  it("names the publisher from an inbound topic, and nobody from the dead-letter topic or another deployment's", () => {
    expect(topics.publisherOf(topics.inboundFor('market-regulation'))).toBe('market-regulation');
    expect(topics.publisherOf(topics.deadLetters)).toBeUndefined();
    expect(topics.publisherOf(new TopicNames('other.').inboundFor('court'))).toBeUndefined();
    expect(topics.publisherOf(topics.decisionsFor('court'))).toBeUndefined();
  });

  it('refuses a department name that could not be a topic of its own', () => {
    expect(() => topics.inboundFor('dead-letter')).toThrow();
    expect(() => topics.inboundFor('Court.v2')).toThrow();
  });
});
