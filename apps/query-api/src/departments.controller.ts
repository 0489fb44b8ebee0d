import { Controller, Get } from '@nestjs/common';
import { CatalogueService } from '@app/engine';
import { ApiTags } from '@nestjs/swagger';

/** Who is who: departments, what they publish and which measures they implement (public facts). */
@ApiTags('departments')
@Controller('v1/departments')
export class DepartmentsController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  list() {
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
