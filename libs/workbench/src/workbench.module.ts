import { Module } from '@nestjs/common';
import { ConsoleAuditRepository, ConsoleSessionRepository, ConsoleUserRepository, DistrictActivityRepository } from '@app/persistence';
import { QueryModule } from '@app/query';
import { ConsoleAuditService } from './console-audit.service';
import { ConsoleSessionService } from './console-session.service';
import { DraftCheckService } from './draft-check.service';
import { DevelopmentUsersService } from './development-users.service';
import { DistrictOverviewService } from './district-overview.service';
import { IDENTITY_PROVIDER } from './identity-provider';
import { MemorandumViewService } from './memorandum-view.service';
import { PasswordIdentityService } from './password-identity.service';

const SERVICES = [ConsoleSessionService, ConsoleAuditService, MemorandumViewService, DistrictOverviewService, DraftCheckService];

/**
 * The policy workbench's services (the console app's logic). The identity provider is bound here: the government's OIDC
 * provider replaces PasswordIdentityService in this one line (README, "Policy console").
 */
@Module({
  imports: [QueryModule],
  providers: [...SERVICES, DevelopmentUsersService, PasswordIdentityService, { provide: IDENTITY_PROVIDER, useExisting: PasswordIdentityService }, ConsoleUserRepository, ConsoleSessionRepository, ConsoleAuditRepository, DistrictActivityRepository],
  exports: [...SERVICES, QueryModule],
})
export class WorkbenchModule {}
