// Staff roles on the floor routes, declared once per route as `config: { role }` ('public', 'viewer' or
// 'supervisor'): one onRequest hook authorises the request's token for that role before anything is parsed
// (a refusal is StaffAuth's error, mapped to 401/403) and leaves the user on `request.staff`. The role and
// the security schemes are written into the route's OpenAPI operation, so the document cannot drift from it.
import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import { StaffTokenQuerySchema } from '../../shared/schemas/floor-staff.ts';
import { STAFF_SECURITY } from '../http/openapi.ts';
import { SignInRequiredError, type StaffAuth, type StaffRole, type StaffUser } from './staff-auth.ts';

export type RouteRole = StaffRole | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; every floor route must say. */
    role?: RouteRole;
  }
  interface FastifyRequest {
    /** The signed-in user, on a floor route that needs a role. */
    staff: StaffUser | null;
  }
}

/** `Authorization: Bearer <token>`, or `?token=` where a browser cannot send a header (<img>, WebSocket). */
function staffToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7);
  const query = request.query as { token?: unknown } | undefined;
  return typeof query?.token === 'string' ? query.token : undefined;
}

/** Adds the hook to `app` (an encapsulated floor context): routes registered after it need a declared role. */
export function installStaffRoles(app: FastifyInstance, auth: StaffAuth): void {
  app.decorateRequest('staff', null);
  app.addHook('onRoute', (route) => {
    const role = route.config?.role;
    if (role === undefined) {
      throw new Error(`${route.method} ${route.url} declares no staff role: add config: { role }`);
    }
    if (role === 'public') return;
    const documented: FastifySchema & { 'x-staff-role': StaffRole } = {
      ...route.schema,
      querystring: route.schema?.querystring ?? StaffTokenQuerySchema,
      security: STAFF_SECURITY,
      'x-staff-role': role,
    };
    route.schema = documented;
  });
  app.addHook('onRequest', async (request) => {
    const role = request.routeOptions.config.role;
    if (role === undefined || role === 'public') return;
    request.staff = auth.authorize(staffToken(request), role);
  });
}

/** The user the role hook let in; only on a route with a staff role. */
export function signedIn(request: FastifyRequest): StaffUser {
  if (request.staff === null) throw new SignInRequiredError('no-token');
  return request.staff;
}
