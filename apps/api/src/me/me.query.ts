import { Injectable } from '@nestjs/common';
import { OrganisationRepository, type UserRow } from '@app/persistence';

/** The caller and its organisation. */
@Injectable()
export class MeQuery {
  constructor(private readonly organisations: OrganisationRepository) {}

  async execute(user: UserRow) {
    const organisation = user.organisationId ? await this.organisations.findById(user.organisationId) : null;
    return { ...user, organisation };
  }
}
