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

  it('names one exchange topic a direction, with the one group the peer bridge reads it with, and lays it out for each peer sent to', () => {
    expect(topics.exchangeBetween('lizhou', 'guangyuan')).toBe('t.run-1.credit.exchange.lizhou.guangyuan.v1');
    expect(topics.exchangeBridgeGroup('lizhou', 'guangyuan')).toBe('t.run-1.credit.exchange.lizhou.guangyuan.v1.bridge');
    expect(topics.publisherOf(topics.exchangeBetween('lizhou', 'guangyuan'))).toBeUndefined();
    const layout = topics.layout({ departments: ['court'], inboundPartitions: 2, decisionPartitions: 1, exchange: { deployment: 'lizhou', peers: ['guangyuan'] } });
    expect(layout.filter((spec) => spec.kind === 'exchange')).toEqual([expect.objectContaining({ peer: 'guangyuan', topic: 't.run-1.credit.exchange.lizhou.guangyuan.v1', numPartitions: 1 })]);
    expect(topics.layout({ departments: ['court'], inboundPartitions: 2, decisionPartitions: 1 }).some((spec) => spec.kind === 'exchange')).toBe(false);
    expect(() => topics.exchangeBetween('Lizhou', 'guangyuan')).toThrow();
  });
});
