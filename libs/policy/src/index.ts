export * from './releases/release.service';
export * from './releases/release-request';
export * from './releases/release-content-check';
export * from './releases/release-files';
export * from './releases/releases.module';
export { ReleaseDiffDto, ReleaseSummaryDto } from './releases/releases.dto';
export * from './what-if';
export { WhatIfEventDrillDownDto, WhatIfPeriodDto, WhatIfProgressDto } from './what-if/what-if.dto';
