import { Controller, Get } from '@nestjs/common';
import { CatalogueService } from '@app/engine';
import { ApiProblems, OPEN_CALL_PROBLEMS } from '@app/http';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DepartmentDto } from './openapi/reports.dto';

/** Who is who: departments, what they publish and which measures they implement (public facts). */
@ApiTags('departments')
@Controller('v1/departments')
export class DepartmentsController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @ApiOperation({ security: [], summary: 'Departments, the event types each publishes and the measures each implements' })
  @ApiOkResponse({ type: [DepartmentDto] })
  @ApiProblems(...OPEN_CALL_PROBLEMS)
  list(): DepartmentDto[] {
    const { ruleSet } = this.catalogue.rules;
    return this.catalogue.departments.all().map((department) => ({
      code: department.code,
      name: department.name,
      publishes: department.publishes,
      implements: ruleSet.memoranda.flatMap((m) =>
        m.measures.filter((measure) => measure.implementingDepartment === department.code).map((measure) => ({ memorandum: m.id, code: measure.code, text: measure.text })),
      ),
    }));
  }
}
