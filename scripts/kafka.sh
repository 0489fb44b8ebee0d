#!/usr/bin/env bash
# Runs a real single-node Apache Kafka broker (KRaft, no ZooKeeper) for tests,
# without Docker: the broker's jars come from Maven Central through
# scripts/kafka/pom.xml, and everything it writes lives in .cache/kafka/.
#
# usage: bash scripts/kafka.sh start|stop|status|restart
#
#   start    resolve the jars (first run only), make the local CA and broker
#            certificate (first run only), format fresh storage with the
#            development principals' SCRAM credentials, start the broker in the
#            background and wait until it answers kafkajs as the admin.
#            Exits 0 at once if a broker started by this script already runs.
#   stop     SIGTERM, up to KAFKA_STOP_TIMEOUT s (30) for a clean shutdown, then SIGKILL.
#   status   exit 0 and say so if it runs, exit 3 if not (the LSB convention).
#   restart  stop + start, KEEPING the data unless KAFKA_KEEP_DATA=0: a
#            broker-restart test wants its topics and committed offsets back.
#
# Security (see "Kafka security" in the README): clients connect with
# SASL/SCRAM-SHA-512 over TLS; the StandardAuthorizer refuses what no ACL allows.
#   .cache/kafka/tls/ca.pem      the local CA clients trust (KAFKA_SSL_CA's default)
#   principals                   credit-admin (super user, provisioning only), credit-engine,
#                                credit-relay, credit-ingest, credit-bridge and department-<code> for every
#                                department in config/departments.json, each with the
#                                development password dev-<principal>-kafka (refused by the
#                                apps in production). ACLs are granted per deployment
#                                (topic prefix) by the provisioning command or the tests.
#   .cache/kafka/broker.password the broker's own super user `broker` (random, kept)
#
# Environment:
#   KAFKA_PORT=9092              client listener (SASL_SSL on 127.0.0.1)
#   KAFKA_CONTROLLER_PORT=9093   KRaft controller listener
#   KAFKA_KEEP_DATA=1            start on the previous run's data instead of a wiped one
#   KAFKA_START_TIMEOUT=90       seconds to wait for the broker to answer
#   KAFKA_STOP_TIMEOUT=30        seconds between SIGTERM and SIGKILL
#   KAFKA_HEAP_OPTS              JVM heap flags (default -Xmx512m -Xms256m)
#   JAVA_HOME                    which java to use (else java on PATH)
set -euo pipefail
# Without this, a failure inside $(...) is ignored and the script carries on
# with an empty value (e.g. a blank cluster id).
shopt -s inherit_errexit

# Resolve paths from this file, so the script behaves the same from any cwd
# (npm scripts, jest global setup, CI, a developer's shell in a subfolder).
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
KAFKA_DIR="$SCRIPT_DIR/kafka"
POM="$KAFKA_DIR/pom.xml"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}"

# .cache/ is git-ignored; the version is part of the libs path so that bumping
# it in the POM never mixes jars of two releases on one class path.
CACHE="$ROOT/.cache/kafka"
DATA_DIR="$CACHE/data"
CONF="$CACHE/server.properties"
PID_FILE="$CACHE/kafka.pid"
LOG_FILE="$CACHE/kafka.log"
CLUSTER_ID_FILE="$CACHE/cluster.id"
TLS_DIR="$CACHE/tls"
BROKER_PASSWORD_FILE="$CACHE/broker.password"
TLS_PASSWORD_FILE="$TLS_DIR/store.password"
DEPARTMENTS_FILE="$ROOT/config/departments.json"

# The services' principals (SERVICE_PRINCIPALS in libs/config/src/kafka-credentials.ts; a unit
# test keeps the two lists equal). Departments get department-<code>.
SERVICE_PRINCIPALS=(credit-admin credit-engine credit-relay credit-ingest credit-bridge)
ADMIN_PRINCIPAL=credit-admin

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
KEYTOOL="${JAVA_HOME:+$JAVA_HOME/bin/}keytool"
LOG4J_OPT="-Dlog4j.configuration=file:$KAFKA_DIR/log4j.properties"

say() { echo "kafka: $*"; }
die() { echo "kafka: error: $*" >&2; exit 1; }

# The POM is the single place the version is pinned; read it rather than
# repeating it here, where the two would drift apart.
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\([^<]*\)</kafka.version>.*:\1:p' "$POM" | head -n 1)"
[[ -n "$KAFKA_VERSION" ]] || die "no <kafka.version> found in $POM"
LIBS="$CACHE/$KAFKA_VERSION/libs"
LIBS_MARKER="$LIBS/.resolved"

# The pid alone is not proof: after a reboot or a crash the pid may belong to
# an unrelated process. Only a java running kafka.Kafka with *our* config
# counts. (A zombie has an empty cmdline, so it counts as stopped too.)
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid cmdline
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  [[ "$cmdline" == *kafka.Kafka* && "$cmdline" == *"$CONF"* ]] || return 1
  echo "$pid"
}

port_in_use() {
  # A successful connect means someone listens; bash's /dev/tcp avoids
  # depending on ss/netstat/nc being installed.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

configured_bootstrap() {
  sed -n 's/^advertised.listeners=CLIENT:\/\/\(.*\)$/\1 SASL_SSL/p' "$CONF" 2>/dev/null || true
}

# The development password of a principal (developmentKafkaPassword in kafka-credentials.ts).
dev_password() { echo "dev-$1-kafka"; }

# Secrets only the broker uses: random, made once, kept with the data they protect.
random_secret() { head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32; }
ensure_secret() {
  local file="$1"
  if [[ ! -s "$file" ]]; then
    (umask 077 && random_secret >"$file.tmp" && mv "$file.tmp" "$file")
  fi
  cat "$file"
}

# A local CA and a broker certificate signed by it, with the loopback names as subject
# alternative names (Node checks the advertised 127.0.0.1 against them). Made once: clients
# keep trusting .cache/kafka/tls/ca.pem across restarts.
ensure_tls() {
  [[ -s "$TLS_DIR/ca.pem" && -s "$TLS_DIR/broker.p12" && -s "$TLS_DIR/truststore.p12" ]] && return 0
  command -v "$KEYTOOL" >/dev/null || die "keytool not found (it comes with the JDK; set JAVA_HOME)"
  say "making a local CA and broker certificate in ${TLS_DIR#"$ROOT"/}"
  local tmp="$TLS_DIR.tmp.$$" pw
  rm -rf "$tmp"
  mkdir -p "$tmp"
  chmod 700 "$tmp"
  pw="$(random_secret)"
  local kt=("$KEYTOOL" -noprompt -storetype PKCS12 -storepass "$pw" -keypass "$pw")
  {
    "${kt[@]}" -genkeypair -alias ca -keyalg RSA -keysize 2048 -validity 3650 \
      -dname "CN=credit-engine development CA" -ext bc:c -keystore "$tmp/ca.p12"
    "${kt[@]}" -exportcert -rfc -alias ca -keystore "$tmp/ca.p12" -file "$tmp/ca.pem"
    "${kt[@]}" -genkeypair -alias broker -keyalg RSA -keysize 2048 -validity 3650 \
      -dname "CN=localhost" -keystore "$tmp/broker.p12"
    "${kt[@]}" -certreq -alias broker -keystore "$tmp/broker.p12" -file "$tmp/broker.csr"
    "${kt[@]}" -gencert -rfc -alias ca -keystore "$tmp/ca.p12" -infile "$tmp/broker.csr" -outfile "$tmp/broker.pem" \
      -validity 3650 -ext SAN=IP:127.0.0.1,DNS:localhost -ext KU=digitalSignature,keyEncipherment -ext EKU=serverAuth
    "${kt[@]}" -importcert -alias ca -keystore "$tmp/broker.p12" -file "$tmp/ca.pem"
    "${kt[@]}" -importcert -alias broker -keystore "$tmp/broker.p12" -file "$tmp/broker.pem"
    "${kt[@]}" -importcert -alias ca -keystore "$tmp/truststore.p12" -file "$tmp/ca.pem"
  } >"$CACHE/keytool.log" 2>&1 || { rm -rf "$tmp"; cat "$CACHE/keytool.log" >&2; die "keytool could not make the certificates"; }
  # The CA's private key is only needed to sign; without it nobody can mint another broker certificate.
  rm -f "$tmp/ca.p12" "$tmp/broker.csr"
  (umask 077 && echo "$pw" >"$tmp/store.password")
  chmod 644 "$tmp/ca.pem"
  rm -rf "$TLS_DIR"
  mv "$tmp" "$TLS_DIR"
}

# The principals kafka.sh creates at format time: the services and one per registered department.
dev_principals() {
  printf '%s\n' "${SERVICE_PRINCIPALS[@]}"
  node -e 'for (const d of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).departments) console.log(`department-${d.code}`)' "$DEPARTMENTS_FILE"
}

# Serialise start/stop: two test runners starting the broker at once would
# otherwise both format the same data dir and fight over the port.
take_lock() {
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  flock -w 120 9 || die "another kafka.sh is still busy (lock $CACHE/.lock)"
}

resolve_libs() {
  # The marker holds the POM's hash: a complete libs dir for an unchanged POM
  # means nothing to do (a second start skips Maven entirely), while any edit
  # to the POM (an added dependency, say) triggers a fresh resolve.
  local pom_hash
  pom_hash="$(sha256sum "$POM" | cut -d' ' -f1)"
  if [[ -f "$LIBS_MARKER" && "$(cat "$LIBS_MARKER")" == "$pom_hash" ]]; then
    return 0
  fi

  command -v mvn >/dev/null || die "mvn not found (needed once, to fetch the Kafka jars)"
  say "resolving Kafka $KAFKA_VERSION from Maven Central (cached afterwards)..."
  # Copy into a scratch dir and swap it in at the end, so an interrupted or
  # failed resolve never leaves a half-filled libs dir that looks usable.
  local tmp="$LIBS.tmp.$$" mvn_log="$CACHE/mvn.log"
  rm -rf "$tmp"
  mkdir -p "$(dirname "$LIBS")"
  if ! mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" >"$mvn_log" 2>&1; then
    rm -rf "$tmp"
    echo "----- mvn output ($mvn_log) -----" >&2
    tail -n 60 "$mvn_log" >&2
    die "could not resolve Kafka $KAFKA_VERSION with Maven"
  fi
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ]] \
    || { rm -rf "$tmp"; die "Maven finished but kafka_2.13-$KAFKA_VERSION.jar is missing"; }
  rm -rf "$LIBS"
  mv "$tmp" "$LIBS"
  echo "$pom_hash" >"$LIBS_MARKER"
  say "cached $(find "$LIBS" -name '*.jar' | wc -l) jars in ${LIBS#"$ROOT"/}"
}

# Kafka's tools log a few lines at INFO/WARN that only matter when they fail.
run_tool_quietly() {
  local out
  if ! out="$("$JAVA" -Xmx256m "$LOG4J_OPT" -cp "$LIBS/*" "$@" 2>&1)"; then
    echo "$out" >&2
    return 1
  fi
  printf '%s\n' "$out"
}

cluster_id() {
  # Generated once and kept: with KAFKA_KEEP_DATA=1 the stored meta.properties
  # must keep matching it, and a stable id makes logs comparable between runs.
  # Kafka's own generator is used because not every random base64 string is
  # accepted (e.g. one starting with '-' breaks the tool's argument parsing).
  if [[ ! -s "$CLUSTER_ID_FILE" ]]; then
    run_tool_quietly kafka.tools.StorageTool random-uuid | tail -n 1 >"$CLUSTER_ID_FILE.tmp"
    mv "$CLUSTER_ID_FILE.tmp" "$CLUSTER_ID_FILE"
  fi
  local id
  id="$(cat "$CLUSTER_ID_FILE")"
  [[ "$id" =~ ^[A-Za-z0-9_-]{22}$ ]] || die "bad cluster id in $CLUSTER_ID_FILE: '$id' (delete the file to regenerate)"
  echo "$id"
}

write_config() {
  local broker_password tls_password
  broker_password="$(ensure_secret "$BROKER_PASSWORD_FILE")"
  tls_password="$(cat "$TLS_PASSWORD_FILE")"
  # Holds the broker's secrets: readable by its owner only.
  (umask 077 && sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
      -e "s|@KAFKA_CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
      -e "s|@DATA_DIR@|$DATA_DIR|g" \
      -e "s|@TLS_DIR@|$TLS_DIR|g" \
      -e "s|@TLS_PASSWORD@|$tls_password|g" \
      -e "s|@BROKER_PASSWORD@|$broker_password|g" \
      "$KAFKA_DIR/server.properties.template" >"$CONF.tmp")
  mv "$CONF.tmp" "$CONF"
}

format_storage() {
  local keep="$1" id
  # Both dirs formatted means there is nothing to do; skipping the tool saves
  # a JVM start (~1 s) on every restart.
  if [[ "$keep" == 1 && -f "$DATA_DIR/metadata/meta.properties" && -f "$DATA_DIR/logs/meta.properties" ]]; then
    say "keeping data from the previous run (${DATA_DIR#"$ROOT"/})"
    return 0
  fi
  # Wiped by default so every test run starts from an empty cluster: no
  # topics, offsets or transactional state leak from one run into the next.
  [[ "$keep" == 1 ]] || rm -rf "$DATA_DIR"
  say "formatting fresh KRaft storage in ${DATA_DIR#"$ROOT"/}"
  id="$(cluster_id)"
  # KRaft takes SCRAM users at format time (later ones through the Admin API, as
  # `npm run kafka:department -- add` does). Users are never deleted on kept data: a deleted
  # user followed by a restart made every login fail, the super user's included.
  local scram=() principal
  scram+=(--add-scram "SCRAM-SHA-512=[name=broker,password=$(cat "$BROKER_PASSWORD_FILE")]")
  while read -r principal; do
    scram+=(--add-scram "SCRAM-SHA-512=[name=$principal,password=$(dev_password "$principal")]")
  done < <(dev_principals)
  # --ignore-formatted: with KAFKA_KEEP_DATA=1 and one dir already formatted,
  # format only the other instead of failing.
  run_tool_quietly kafka.tools.StorageTool format --ignore-formatted \
    --config "$CONF" --cluster-id "$id" "${scram[@]}" >/dev/null \
    || die "formatting KRaft storage failed"
}

start() {
  local keep="${KAFKA_KEEP_DATA:-0}" pid
  take_lock
  if pid="$(running_pid)"; then
    # Our broker on other ports is not the one asked for: saying "running" would send the
    # caller's clients to a port nobody serves (and its `stop` would take ours down).
    [[ "$(configured_bootstrap)" == "127.0.0.1:$KAFKA_PORT "* ]] \
      || die "this checkout's broker already runs on $(configured_bootstrap), not 127.0.0.1:$KAFKA_PORT (stop it, or set KAFKA_PORT)"
    say "already running (pid $pid, $(configured_bootstrap)); nothing to do"
    return 0
  fi
  rm -f "$PID_FILE"

  command -v "$JAVA" >/dev/null || die "java not found (set JAVA_HOME or put java on PATH)"
  command -v node >/dev/null || die "node not found (needed to check that the broker answers)"
  # Catch a foreign broker (another checkout, a leftover container) before we
  # start: otherwise ours would die on bind while the readiness check happily
  # talks to theirs, and tests would run against the wrong cluster.
  local port
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_in_use "$port"; then
      die "port $port on 127.0.0.1 is already in use by another process (set KAFKA_PORT / KAFKA_CONTROLLER_PORT)"
    fi
  done

  resolve_libs
  ensure_tls
  write_config
  format_storage "$keep"

  # Keep the previous run's log around: after a restart test the interesting
  # part (why the first broker went down) is otherwise lost.
  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"

  say "starting Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (log: ${LOG_FILE#"$ROOT"/})"
  # - setsid puts the broker in its own session, so Ctrl-C in the terminal or
  #   npm/jest killing their process group does not take it down mid-run;
  #   only `kafka.sh stop` does.
  # - The inner shell writes its own pid and then execs java, so the pid file
  #   holds java's pid whether or not setsid had to fork.
  # - 9>&- keeps the start/stop lock from being inherited (and held) by java.
  # - G1 with short pauses and the heap flags mirror Kafka's own start script,
  #   scaled down for a 2-core test machine.
  # shellcheck disable=SC2086,SC2016 # heap opts are meant to word-split; $$ and $@ belong to the inner shell.
  (cd "$CACHE" && exec setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' kafka-launch "$PID_FILE" \
    "$JAVA" $KAFKA_HEAP_OPTS \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    "$LOG4J_OPT" \
    -cp "$LIBS/*" kafka.Kafka "$CONF" \
    </dev/null >"$LOG_FILE" 2>&1 9>&-) &

  # The pid file appears a moment after the fork.
  local i
  for i in $(seq 1 50); do
    [[ -s "$PID_FILE" ]] && break
    sleep 0.1
  done
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || die "broker process did not start (see $LOG_FILE)"

  local rc=0
  KAFKA_WAIT_CA="$TLS_DIR/ca.pem" KAFKA_WAIT_USERNAME="$ADMIN_PRINCIPAL" KAFKA_WAIT_PASSWORD="$(dev_password "$ADMIN_PRINCIPAL")" \
    node "$KAFKA_DIR/wait-for-kafka.js" "127.0.0.1:$KAFKA_PORT" "$KAFKA_START_TIMEOUT" "$pid" || rc=$?
  if ((rc != 0)); then
    echo "----- last lines of $LOG_FILE -----" >&2
    tail -n 40 "$LOG_FILE" >&2
    # A broker that is up but not answering would make the next `start` report
    # "already running"; take it down so a retry starts from scratch.
    stop_broker >/dev/null 2>&1 || true
    ((rc == 3)) && die "broker exited during start-up (full log: $LOG_FILE)"
    die "broker did not become ready within ${KAFKA_START_TIMEOUT}s (full log: $LOG_FILE)"
  fi
  say "ready: 127.0.0.1:$KAFKA_PORT, SASL_SSL/SCRAM-SHA-512, CA ${TLS_DIR#"$ROOT"/}/ca.pem (pid $pid, ${SECONDS}s)"
}

stop_broker() {
  local pid i
  if ! pid="$(running_pid)"; then
    [[ -f "$PID_FILE" ]] && say "removing stale pid file"
    rm -f "$PID_FILE"
    say "not running"
    return 0
  fi
  say "stopping (pid $pid)..."
  # SIGTERM runs Kafka's shutdown hook: controlled shutdown, flushed logs and
  # a clean-shutdown marker, so KAFKA_KEEP_DATA=1 restarts skip log recovery.
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < KAFKA_STOP_TIMEOUT * 10; i++)); do
    running_pid >/dev/null || break
    sleep 0.1
  done
  if running_pid >/dev/null; then
    say "no clean shutdown after ${KAFKA_STOP_TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      running_pid >/dev/null || break
      sleep 0.1
    done
    running_pid >/dev/null && die "pid $pid survived SIGKILL"
  fi
  rm -f "$PID_FILE"
  say "stopped"
}

stop() {
  take_lock
  stop_broker
}

status() {
  local pid
  if pid="$(running_pid)"; then
    say "running (pid $pid, Kafka $KAFKA_VERSION, $(configured_bootstrap))"
    return 0
  fi
  say "not running"
  return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  restart)
    stop
    # Release the lock taken by stop before start takes it again.
    exec 9>&-
    KAFKA_KEEP_DATA="${KAFKA_KEEP_DATA:-1}" start
    ;;
  *)
    echo "usage: bash scripts/kafka.sh start|stop|status|restart" >&2
    exit 2
    ;;
esac
