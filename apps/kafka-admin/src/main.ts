import { readFileSync } from 'node:fs';
import { loadAppConfig } from '@app/config';
import { loadDepartmentRegistry } from '@app/engine';
import { createKafka, describeOnboarding, describeRule, kafkaDeployment, onboardKafkaDepartment, provisionDeployment } from '@app/messaging';

const USAGE = [
  'usage: npm run kafka:department -- add <code> [--password-file <file>]',
  '         SCRAM credential, topics and ACLs of one department (as the admin principal)',
  '       npm run kafka:department -- setup',
  "         topics and ACLs of the deployment's services and every department in DEPARTMENTS_FILE",
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
  if (command === 'setup' && !code) {
    const departments = loadDepartmentRegistry(config.DEPARTMENTS_FILE, config.NODE_ENV).all().map((d) => d.code);
    const report = await provisionDeployment(createKafka(config, 'provisioner', 'admin'), kafkaDeployment(config), departments, {
      inboundPartitions: config.KAFKA_INBOUND_PARTITIONS,
      decisionPartitions: config.KAFKA_DECISION_PARTITIONS,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    });
    console.log(`topics: ${report.createdTopics.length} created, ${report.existingTopics.length} kept`);
    for (const rule of report.granted) console.log(`ACL: ALLOW ${describeRule(rule)}`);
    return;
  }
  console.error(USAGE);
  process.exit(2);
}

main().catch((error: unknown) => {
  console.error(`kafka-admin: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
