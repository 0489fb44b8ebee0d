import { Module } from '@nestjs/common';
import { ReleaseService } from './release.service';
import { ReleasesController } from './releases.controller';

/** The release service alone, for a host with its own routes (the console); needs AppConfig and the persistence module (global). */
@Module({
  providers: [ReleaseService],
  exports: [ReleaseService],
})
export class ReleaseServiceModule {}

/** The release API on the management token (the query API) and its service. */
@Module({
  imports: [ReleaseServiceModule],
  controllers: [ReleasesController],
  exports: [ReleaseServiceModule],
})
export class ReleasesModule {}

/** A draft carries a whole rule set (≈ 170 KB today): its routes read bodies up to 4 MiB, the others keep the default. */
export const RELEASE_BODY_LIMIT = { path: '/v1/releases', bytes: 4 * 1024 * 1024 } as const;
