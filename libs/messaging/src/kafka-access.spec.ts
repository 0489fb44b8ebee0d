import { departmentAccess, departmentGroupPrefix, deploymentAccess, exchangeAccess, kafkaDeployment } from './kafka-access';

const deployment = kafkaDeployment({ KAFKA_TOPIC_PREFIX: 'd1.', KAFKA_CONSUMER_GROUP: 'credit-engine', KAFKA_CLIENT_ID: 'credit-engine' });

describe('Kafka access rules', () => {
  it('lets a department write only its inbound topic and read only its decision topic, with groups of its own prefix', () => {
    const own = departmentAccess(deployment, 'tax').filter((r) => r.principal === 'department-tax');
    expect(own).toEqual([
      { principal: 'department-tax', resource: 'topic', name: 'd1.credit.events.tax.v1', pattern: 'literal', operation: 'write' },
      { principal: 'department-tax', resource: 'topic', name: 'd1.credit.decisions.tax.v1', pattern: 'literal', operation: 'read' },
      { principal: 'department-tax', resource: 'group', name: 'd1.tax.', pattern: 'prefixed', operation: 'read' },
    ]);
  });

  it('gives reading inbound topics and the engine group to the engine only, writing decisions and the transaction to the relay only', () => {
    const rules = deploymentAccess(deployment, ['court', 'tax']);
    const who = (match: (r: (typeof rules)[number]) => boolean) => [...new Set(rules.filter(match).map((r) => r.principal))];
    expect(who((r) => r.resource === 'topic' && r.name.includes('.credit.events.') && !r.name.includes('dead-letter') && r.operation === 'read')).toEqual(['credit-engine']);
    expect(who((r) => r.resource === 'group' && r.name === 'credit-engine')).toEqual(['credit-engine']);
    expect(who((r) => r.resource === 'topic' && r.name.includes('.credit.decisions.') && r.operation === 'write')).toEqual(['credit-relay']);
    expect(who((r) => r.resource === 'transactional-id')).toEqual(['credit-relay']);
    expect(rules.filter((r) => r.pattern === 'prefixed').every((r) => r.resource === 'group')).toBe(true);
  });

  it('keeps department group prefixes apart even when one code starts another', () => {
    const a = departmentGroupPrefix(deployment, 'tax');
    const b = departmentGroupPrefix(deployment, 'tax-office');
    expect(b.startsWith(a)).toBe(false);
    expect(a.startsWith(b)).toBe(false);
  });

  it("lets the relay write each exchange topic in its own transaction, the peer bridge's reader only read its one topic and group, and the local bridge write only the peer publishers' inbound topics", () => {
    const rules = exchangeAccess(deployment, {
      deployment: 'lizhou',
      links: [
        { peer: 'guangyuan', outbound: { reader: 'bridge-guangyuan' }, inbound: { publisher: 'guangyuan-city' } },
        { peer: 'zhaohua', inbound: { publisher: 'zhaohua-district' } },
      ],
    });
    expect(rules).toEqual([
      { principal: 'credit-relay', resource: 'transactional-id', name: 'credit-engine-exchange-relay', pattern: 'literal', operation: 'write' },
      { principal: 'credit-relay', resource: 'group', name: 'credit-engine-exchange-relay', pattern: 'literal', operation: 'read' },
      { principal: 'credit-relay', resource: 'topic', name: 'd1.credit.exchange.lizhou.guangyuan.v1', pattern: 'literal', operation: 'write' },
      { principal: 'bridge-guangyuan', resource: 'topic', name: 'd1.credit.exchange.lizhou.guangyuan.v1', pattern: 'literal', operation: 'read' },
      { principal: 'bridge-guangyuan', resource: 'group', name: 'd1.credit.exchange.lizhou.guangyuan.v1.bridge', pattern: 'literal', operation: 'read' },
      { principal: 'credit-bridge', resource: 'topic', name: 'd1.credit.events.guangyuan-city.v1', pattern: 'literal', operation: 'write' },
      { principal: 'credit-bridge', resource: 'topic', name: 'd1.credit.events.zhaohua-district.v1', pattern: 'literal', operation: 'write' },
    ]);
    // A deployment that sends nothing grants the relay nothing for the exchange.
    expect(exchangeAccess(deployment, { deployment: 'lizhou', links: [{ peer: 'zhaohua', inbound: { publisher: 'zhaohua-district' } }] }).map((r) => r.principal)).toEqual(['credit-bridge']);
  });
});
