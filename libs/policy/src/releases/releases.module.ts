import { Module } from '@nestjs/common';
import { ReleaseService } from './release.service';
import { ReleasesController } from './releases.controller';

/** The release API and service; needs AppConfig and the persistence module (global) from its host app. */
@Module({
  controllers: [ReleasesController],
  providers: [ReleaseService],
  exports: [ReleaseService],
})
export class ReleasesModule {}

/** A draft carries a whole rule set (≈ 170 KB today): its routes read bodies up to 4 MiB, the others keep the default. */
export const RELEASE_BODY_LIMIT = { path: '/v1/releases', bytes: 4 * 1024 * 1024 } as const;
