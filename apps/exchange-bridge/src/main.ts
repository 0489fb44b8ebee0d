import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadAppConfig } from '@app/config';
import { ExchangeBridge } from '@app/exchange';
import { createHttpApp, exitOnBootFailure, listen, managementOf, servingOf } from '@app/http';
import { ExchangeBridgeModule } from './exchange-bridge.module';

/**
 * The exchange bridge (市区失信信息互通): carries what peer deployments send this one into the
 * inbound topics of the publishers that stand for them. EXCHANGE_FILE names the links.
 */
async function bootstrap(): Promise<void> {
  const config = loadAppConfig();
  if (config.TRANSPORT !== 'kafka' || config.EXCHANGE_FILE === undefined) throw new Error('invalid configuration:\n  - the exchange bridge runs with TRANSPORT=kafka and an EXCHANGE_FILE');
  const app = await createHttpApp(ExchangeBridgeModule.forRoot(config), config.LOG_LEVEL, { app: 'exchange-bridge', logFormat: config.LOG_FORMAT, platform: config.HTTP_PLATFORM, serving: servingOf(config), management: managementOf(config) });
  const url = await listen(app, config.EXCHANGE_BRIDGE_PORT, config.HTTP_HOST);
  new Logger('ExchangeBridge').log(`exchange-bridge ready on ${url}: ${app.get(ExchangeBridge).routes.join('; ') || 'no inbound link'} (GET /health)`);
}

bootstrap().catch(exitOnBootFailure('exchange-bridge'));
