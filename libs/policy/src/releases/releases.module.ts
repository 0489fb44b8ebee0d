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
