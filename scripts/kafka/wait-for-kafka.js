#!/usr/bin/env node
// Waits until a Kafka broker answers a real admin request (not just an open
// port: the socket accepts connections before the broker has finished
// joining its KRaft quorum and can serve metadata).
//
// usage: node wait-for-kafka.js <host:port> [timeoutSeconds=90] [pidToWatch]
// The secured broker is asked over TLS as the admin: KAFKA_WAIT_CA (PEM file),
// KAFKA_WAIT_USERNAME and KAFKA_WAIT_PASSWORD (SCRAM-SHA-512), set by kafka.sh.
// exit 0: broker answered; 1: timed out; 2: bad usage;
//      3: the watched process died first (no point waiting out the timeout).
'use strict';

// Resolved from the repo's node_modules (this file lives in <repo>/scripts/kafka).
const { Kafka, logLevel } = require('kafkajs');

const [broker, timeoutArg = '90', pidArg] = process.argv.slice(2);
if (!broker || !/^[^:]+:\d+$/.test(broker)) {
  console.error('usage: node wait-for-kafka.js <host:port> [timeoutSeconds] [pid]');
  process.exit(2);
}
const deadline = Date.now() + Number(timeoutArg) * 1000;
const pid = pidArg ? Number(pidArg) : undefined;

const alive = (p) => {
  try {
    process.kill(p, 0);
    return true;
  } catch (err) {
    // EPERM means it exists but belongs to someone else: still alive.
    return err.code === 'EPERM';
  }
};
const security = process.env.KAFKA_WAIT_CA
  ? {
      ssl: { ca: [require('fs').readFileSync(process.env.KAFKA_WAIT_CA, 'utf8')] },
      sasl: { mechanism: 'scram-sha-512', username: process.env.KAFKA_WAIT_USERNAME, password: process.env.KAFKA_WAIT_PASSWORD },
    }
  : {};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function probe() {
  const kafka = new Kafka({
    clientId: 'wait-for-kafka',
    brokers: [broker],
    ...security,
    // We poll ourselves with short sleeps; kafkajs' own backoff would stretch
    // one attempt to many seconds and hide a dead broker.
    retry: { retries: 0 },
    connectionTimeout: 1000,
    requestTimeout: 5000,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    // describeCluster proves the broker serves metadata and knows itself;
    // listTopics proves it has caught up with the controller's metadata log.
    const cluster = await admin.describeCluster();
    if (!cluster.brokers.length) throw new Error('no brokers in metadata yet');
    await admin.listTopics();
    return cluster;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

(async () => {
  let lastError = 'no attempt made';
  for (;;) {
    if (pid !== undefined && !alive(pid)) {
      console.error(`process ${pid} exited before the broker answered`);
      process.exit(3);
    }
    try {
      const cluster = await probe();
      console.log(`broker ${broker} answers (cluster ${cluster.clusterId})`);
      process.exit(0);
    } catch (err) {
      lastError = err && err.message ? err.message : String(err);
    }
    if (Date.now() >= deadline) {
      console.error(`broker ${broker} did not answer within ${timeoutArg}s: ${lastError}`);
      process.exit(1);
    }
    await sleep(250);
  }
})();
