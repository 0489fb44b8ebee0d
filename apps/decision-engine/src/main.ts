import 'reflect-metadata';
import { loadAppConfig } from '@app/config';
import { CatalogueService } from '@app/engine';
import { createHttpApp, exitOnBootFailure, listen } from '@app/http';
import { DecisionEngineModule } from './decision-engine.module';

async function bootstrap(): Promise<void> {
  const config = loadAppConfig();
  const app = await createHttpApp(DecisionEngineModule.forRoot(config), config.LOG_LEVEL);
  app.get(CatalogueService).watch();
  const url = await listen(app, config.ENGINE_PORT, config.HTTP_HOST);
  console.log(`decision-engine ready on ${url} (transport: ${config.TRANSPORT}; GET /health)`);
}

bootstrap().catch(exitOnBootFailure('decision-engine'));
