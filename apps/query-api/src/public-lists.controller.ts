import { Controller, Get, Query } from '@nestjs/common';
import { PublicDisclosureService, PublicListPage } from '@app/query';
import { single } from './query-params';
import { ApiTags } from '@nestjs/swagger';

/** Public disclosure (信用公示) of the blacklists and red lists in force; no credentials. */
@ApiTags('public disclosure')
@Controller('v1/public/lists')
export class PublicListsController {
  constructor(private readonly disclosure: PublicDisclosureService) {}

  @Get()
  list(@Query('type') type?: unknown, @Query('list') list?: unknown, @Query('after') after?: unknown, @Query('limit') limit?: unknown): Promise<PublicListPage> {
    const pageSize = single('limit', limit);
    return this.disclosure.list({
      type: single('type', type),
      list: single('list', list),
      after: single('after', after),
      limit: pageSize === undefined ? undefined : Number(pageSize),
    });
  }
}
