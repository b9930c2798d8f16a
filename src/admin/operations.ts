import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../data/db'
import {
  accessMode,
  affiliates,
  apiKeys,
  groups,
  partnershipStatus,
  programInvitations,
  programs,
  programStatus,
  teams,
  type AccessMode,
  type Affiliate,
  type Program,
  type ProgramStatus,
} from '../data/schema'
import { generateApiKey, type KeyEnvironment } from '../domain/api-keys'
import { newId } from '../domain/ids'
import { PERMISSIONS, type Permission } from '../domain/permissions'
import * as input from './inputs'
import { explainConstraint, OperatorError } from './operator-error'

// The operator's commands (docs/OPERATIONS.md), over the same Drizzle client the worker uses,
// so the CLI and the tests that seed tenants run them against Neon or the local endpoint alike.

// What a key gets when `key create` names no permissions: the contract's default.
export const DEFAULT_PERMISSIONS: readonly Permission[] = [
  PERMISSIONS.readAffiliates,
  PERMISSIONS.writeAffiliates,
]

// The defaults of the optional settings, also shown by the CLI's help.
export const PROGRAM_DEFAULTS = {
  access: 'public',
  status: 'active',
  referralParam: 'via',
} as const satisfies {
  access: AccessMode
  status: ProgramStatus
  referralParam: string
}
export const KEY_ENVIRONMENTS: readonly KeyEnvironment[] = ['live', 'dev']
export const DEFAULT_KEY_ENVIRONMENT: KeyEnvironment = 'live'

// An INSERT … RETURNING that succeeded returns its row; no row means the driver broke that.
function inserted<T>(row: T | undefined, what: string): T {
  if (row === undefined) throw new Error(`The database returned no row for the new ${what}.`)
  return row
}

export async function createTeam(db: Db, name: string | undefined) {
  const [team] = await db
    .insert(teams)
    .values({ id: newId('team'), name: input.requireText(name, 'name') })
    .returning({ id: teams.id })
  return inserted(team, 'team')
}

export interface ProgramInput {
  team?: string
  name?: string
  website?: string
  access?: string
  status?: string
  referralParam?: string
  embedOrigins?: string
  logoUrl?: string
  primaryColor?: string
  backgroundColor?: string
}

function referralParam(value: string): string {
  if (!/^[A-Za-z0-9_.~-]{1,32}$/.test(value)) {
    throw new OperatorError('--referral-param must be 1 to 32 letters, digits or _ . ~ -.')
  }
  return value
}

// A program and its default group reference each other; one statement creates both, and the
// foreign keys are checked at its end.
export async function createProgram(db: Db, p: ProgramInput) {
  const id = newId('prog')
  const defaultGroupId = newId('grp')
  const values = {
    teamId: input.requireText(p.team, 'team'),
    name: input.requireText(p.name, 'name'),
    websiteUrl: input.httpUrl(input.requireText(p.website, 'website', 2048), 'website'),
    accessMode: input.oneOf(p.access ?? PROGRAM_DEFAULTS.access, accessMode.enumValues, 'access'),
    status: input.oneOf(p.status ?? PROGRAM_DEFAULTS.status, programStatus.enumValues, 'status'),
    referralParam: referralParam(p.referralParam ?? PROGRAM_DEFAULTS.referralParam),
    allowedEmbedOrigins:
      p.embedOrigins === undefined ? [] : input.origins(p.embedOrigins, 'embed-origins'),
    logoUrl: p.logoUrl === undefined ? null : input.publicImageUrl(p.logoUrl, 'logo-url'),
    primaryColor:
      p.primaryColor === undefined ? null : input.hexColor(p.primaryColor, 'primary-color'),
    backgroundColor:
      p.backgroundColor === undefined
        ? null
        : input.hexColor(p.backgroundColor, 'background-color'),
  }
  try {
    await db.execute(sql`
      WITH program AS (
        INSERT INTO programs (id, team_id, name, website_url, access_mode, status, referral_param,
          default_group_id, allowed_embed_origins, logo_url, primary_color, background_color)
        VALUES (${id}, ${values.teamId}, ${values.name}, ${values.websiteUrl},
          ${values.accessMode}::access_mode, ${values.status}::program_status, ${values.referralParam},
          ${defaultGroupId}, ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(values.allowedEmbedOrigins)}::jsonb)), ${values.logoUrl}::text,
          ${values.primaryColor}::text, ${values.backgroundColor}::text)
        RETURNING id
      )
      INSERT INTO groups (id, program_id, name) SELECT ${defaultGroupId}, id, 'Default' FROM program
    `)
  } catch (error) {
    explainConstraint(error, { programs_team_id_teams_id_fk: `No team with id ${values.teamId}.` })
  }
  return { id, defaultGroupId }
}

// What `program update` can change: one list for its input, its refusal below and the CLI's help.
export const PROGRAM_UPDATE_FIELDS = [
  'name',
  'website',
  'access',
  'status',
  'embedOrigins',
  'logoUrl',
  'primaryColor',
  'backgroundColor',
] as const satisfies readonly (keyof ProgramInput)[]

export type ProgramUpdateField = (typeof PROGRAM_UPDATE_FIELDS)[number]

export interface ProgramUpdate extends Partial<Record<ProgramUpdateField, string>> {
  id?: string
}

export async function updateProgram(db: Db, u: ProgramUpdate): Promise<Program> {
  const id = input.requireText(u.id, 'id')
  const changes: Partial<typeof programs.$inferInsert> = {}
  if (u.name !== undefined) changes.name = input.requireText(u.name, 'name')
  if (u.website !== undefined) changes.websiteUrl = input.httpUrl(u.website, 'website')
  if (u.access !== undefined)
    changes.accessMode = input.oneOf(u.access, accessMode.enumValues, 'access')
  if (u.status !== undefined)
    changes.status = input.oneOf(u.status, programStatus.enumValues, 'status')
  if (u.embedOrigins !== undefined)
    changes.allowedEmbedOrigins = input.origins(u.embedOrigins, 'embed-origins')
  if (u.logoUrl !== undefined) changes.logoUrl = input.publicImageUrl(u.logoUrl, 'logo-url')
  if (u.primaryColor !== undefined)
    changes.primaryColor = input.hexColor(u.primaryColor, 'primary-color')
  if (u.backgroundColor !== undefined) {
    changes.backgroundColor = input.hexColor(u.backgroundColor, 'background-color')
  }
  if (Object.keys(changes).length === 0) {
    const flags = PROGRAM_UPDATE_FIELDS.map(input.flagName).join(', ')
    throw new OperatorError(`Nothing to update: give at least one of ${flags}.`)
  }
  const [program] = await db.update(programs).set(changes).where(eq(programs.id, id)).returning()
  if (program === undefined) throw new OperatorError(`No program with id ${id}.`)
  return program
}

export async function createGroup(db: Db, program: string | undefined, name: string | undefined) {
  const programId = input.requireText(program, 'program')
  try {
    const [group] = await db
      .insert(groups)
      .values({ id: newId('grp'), programId, name: input.requireText(name, 'name') })
      .returning({ id: groups.id })
    return inserted(group, 'group')
  } catch (error) {
    explainConstraint(error, {
      groups_program_id_programs_id_fk: `No program with id ${programId}.`,
    })
  }
}

export interface KeyInput {
  team?: string
  name?: string
  permissions?: string
  expires?: string
  env?: string
}

export async function createApiKey(db: Db, k: KeyInput) {
  const teamId = input.requireText(k.team, 'team')
  const environment = input.oneOf(k.env ?? DEFAULT_KEY_ENVIRONMENT, KEY_ENVIRONMENTS, 'env')
  const permissions =
    k.permissions === undefined ? [...DEFAULT_PERMISSIONS] : input.list(k.permissions)
  if (permissions.length === 0)
    throw new OperatorError('--permissions needs at least one permission.')
  const expiresAt = k.expires === undefined ? null : input.isoDate(k.expires, 'expires')
  const generated = await generateApiKey(environment)
  const id = newId('key')
  try {
    await db.insert(apiKeys).values({
      id,
      teamId,
      name: k.name === undefined ? null : input.requireText(k.name, 'name'),
      digest: generated.digest,
      displayPrefix: generated.displayPrefix,
      permissions,
      expiresAt,
    })
  } catch (error) {
    explainConstraint(error, { api_keys_team_id_teams_id_fk: `No team with id ${teamId}.` })
  }
  return { id, key: generated.key }
}

export async function disableApiKey(db: Db, id: string | undefined) {
  const keyId = input.requireText(id, 'id')
  const [key] = await db
    .update(apiKeys)
    .set({ disabled: true })
    .where(eq(apiKeys.id, keyId))
    .returning({ id: apiKeys.id, disabled: apiKeys.disabled })
  if (key === undefined) throw new OperatorError(`No API key with id ${keyId}.`)
  return key
}

export async function createInvitation(
  db: Db,
  program: string | undefined,
  address: string | undefined
) {
  const programId = input.requireText(program, 'program')
  const emailAddress = input.email(address)
  try {
    const [invitation] = await db
      .insert(programInvitations)
      .values({ id: newId('inv'), programId, email: emailAddress })
      .returning({ id: programInvitations.id })
    return inserted(invitation, 'invitation')
  } catch (error) {
    explainConstraint(error, {
      program_invitations_program_id_programs_id_fk: `No program with id ${programId}.`,
      program_invitations_program_email_unique: `${emailAddress} is already invited to ${programId}.`,
    })
  }
}

export async function setAffiliateStatus(
  db: Db,
  a: { program?: string; email?: string; status?: string }
): Promise<Affiliate> {
  const programId = input.requireText(a.program, 'program')
  const emailAddress = input.email(a.email)
  const status = input.oneOf(
    input.requireText(a.status, 'status'),
    partnershipStatus.enumValues,
    'status'
  )
  const [affiliate] = await db
    .update(affiliates)
    .set({ status, updatedAt: new Date() })
    .where(
      and(
        eq(affiliates.programId, programId),
        eq(affiliates.userId, sql`(SELECT id FROM users WHERE email = ${emailAddress})`)
      )
    )
    .returning()
  if (affiliate === undefined) {
    throw new OperatorError(`No affiliate with email ${emailAddress} in program ${programId}.`)
  }
  return affiliate
}

// A demo tenant: a team, an active public program with its default group, and a live key.
export async function seed(db: Db, options: { website?: string; embedOrigins?: string } = {}) {
  const team = await createTeam(db, 'Demo team')
  const program = await createProgram(db, {
    team: team.id,
    name: 'Demo program',
    website: options.website ?? 'https://example.com',
    ...(options.embedOrigins === undefined ? {} : { embedOrigins: options.embedOrigins }),
  })
  const key = await createApiKey(db, { team: team.id, name: 'Demo key', env: 'dev' })
  return {
    teamId: team.id,
    programId: program.id,
    groupId: program.defaultGroupId,
    apiKey: key.key,
  }
}
