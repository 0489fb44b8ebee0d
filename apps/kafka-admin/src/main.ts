import { readFileSync } from 'node:fs';
import { loadAppConfig } from '@app/config';
import { loadDepartmentRegistry, loadExchangeConfig } from '@app/engine';
import { createKafka, describeOnboarding, describeRule, kafkaDeployment, onboardExchangeReader, onboardKafkaDepartment, provisionDeployment, provisionExchange } from '@app/messaging';

const USAGE = [
  'usage: npm run kafka:department -- add <code> [--password-file <file>]',
  '         SCRAM credential, topics and ACLs of one department (as the admin principal)',
  '       npm run kafka:department -- setup',
  "         topics and ACLs of the deployment's services and every department in DEPARTMENTS_FILE,",
  '         and of the exchange links of EXCHANGE_FILE when it is set',
  '       npm run kafka:department -- exchange-reader <user> [--password-file <file>]',
  "         SCRAM credential of the user a peer's exchange bridge reads with (an outbound link's reader), and the exchange's topics and ACLs",
].join('\n');

async function main(): Promise<void> {
  const [command, code, ...rest] = process.argv.slice(2);
  const config = loadAppConfig();
  if (command === 'add' && code) {
    const passwordFile = rest[0] === '--password-file' ? rest[1] : undefined;
    if (rest.length > 0 && !passwordFile) throw new Error(USAGE);
    const password = passwordFile === undefined ? undefined : readFileSync(passwordFile, 'utf8').replace(/\r?\n$/, '');
    const registered = loadDepartmentRegistry(config.DEPARTMENTS_FILE, config.NODE_ENV).has(code);
    const result = await onboardKafkaDepartment(config, code, password);
    for (const line of describeOnboarding(result)) console.log(line);
    if (!registered) console.log(`note: "${code}" is not in ${config.DEPARTMENTS_FILE} yet: the engine subscribes to its topic once it is registered there and the engine restarts`);
    return;
  }
  if (command === 'exchange-reader' && code) {
    if (config.EXCHANGE_FILE === undefined) throw new Error('EXCHANGE_FILE is not set: no link names a reader');
    const passwordFile = rest[0] === '--password-file' ? rest[1] : undefined;
    if (rest.length > 0 && !passwordFile) throw new Error(USAGE);
    const password = passwordFile === undefined ? undefined : readFileSync(passwordFile, 'utf8').replace(/\r?\n$/, '');
    const registry = loadDepartmentRegistry(config.DEPARTMENTS_FILE, config.NODE_ENV);
    const exchange = loadExchangeConfig(config.EXCHANGE_FILE, { departments: new Map(registry.all().map((d) => [d.code, d])) });
    const result = await onboardExchangeReader(config, exchange, code, password);
    console.log(`SCRAM-SHA-512 credential set for User:${result.reader}, the bridge of ${result.peer}${result.generated ? ` — password (shown once, for ${result.peer}'s bridge password variable): ${result.password}` : ' (password from the file given)'}`);
    for (const topic of result.provisioned.createdTopics) console.log(`topic created: ${topic}`);
    for (const topic of result.provisioned.existingTopics) console.log(`topic kept (exists): ${topic}`);
    for (const rule of result.provisioned.granted) console.log(`ACL: ALLOW ${describeRule(rule)}`);
    return;
  }
  if (command === 'setup' && !code) {
    const registry = loadDepartmentRegistry(config.DEPARTMENTS_FILE, config.NODE_ENV);
    const options = { inboundPartitions: config.KAFKA_INBOUND_PARTITIONS, decisionPartitions: config.KAFKA_DECISION_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR };
    const admin = createKafka(config, 'provisioner', 'admin');
    const reports = [await provisionDeployment(admin, kafkaDeployment(config), registry.all().map((d) => d.code), options)];
    if (config.EXCHANGE_FILE !== undefined) {
      const exchange = loadExchangeConfig(config.EXCHANGE_FILE, { departments: new Map(registry.all().map((d) => [d.code, d])) });
      reports.push(await provisionExchange(admin, kafkaDeployment(config), exchange, options));
    }
    console.log(`topics: ${reports.flatMap((r) => r.createdTopics).length} created, ${reports.flatMap((r) => r.existingTopics).length} kept`);
    for (const rule of reports.flatMap((r) => r.granted)) console.log(`ACL: ALLOW ${describeRule(rule)}`);
    return;
  }
  console.error(USAGE);
  process.exit(2);
}

main().catch((error: unknown) => {
  console.error(`kafka-admin: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
