import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Database } from './persistence/database.js';
import { apiDocumentationLink } from './http/api-documentation-link.js';
import { identifyCaller } from './http/authenticate.js';
import { cors } from './http/cors.js';
import { rateLimits, type RateLimits } from './http/rate-limit.js';
import { discoveryRouter } from './http/discovery.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { explorerRouter } from './http/explorer/serve-explorer.js';
import { healthRouter } from './http/health.js';
import { securityHeaders } from './http/security-headers.js';
import { loadInputValidator } from './http/input-validator.js';
import { mountResource, type MountOptions } from './http/mount-operations.js';
import { requestLogging } from './http/request-logging.js';
import { auditEventDescription } from './resources/audit/audit.description.js';
import { auditHandlers } from './resources/audit/audit.http.js';
import { integrationDescription } from './resources/integration/integration.description.js';
import { invitationDescription } from './resources/invitation/invitation.description.js';
import { integrationHandlers } from './resources/integration/integration.http.js';
import { invitationHandlers } from './resources/invitation/invitation.http.js';
import { joinableOrganizationDescription } from './resources/joinable/joinable.description.js';
import { joinableHandlers } from './resources/joinable/joinable.http.js';
import { memberDescription } from './resources/member/member.description.js';
import { memberHandlers } from './resources/member/member.http.js';
import { organizationDescription } from './resources/organization/organization.description.js';
import { organizationHandlers } from './resources/organization/organization.http.js';
import { meHandlers } from './resources/partner/me.http.js';
import { partnerDescription } from './resources/partner/partner.description.js';

export interface AppOptions {
  db: Database;
  logger: Logger;
  bodyLimit?: string;
  trustProxy?: string | boolean;
  corsOrigins?: '*' | string[];
  rateLimits?: RateLimits;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perCredential: 600, anonymous: 300 };

/** The whole API as an Express app, not listening: main.ts listens, tests drive it with supertest. */
export function buildApp({ db, logger, bodyLimit = '1mb', trustProxy = false, corsOrigins = '*', rateLimits: limits = DEFAULT_RATE_LIMITS }: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);
  app.use(securityHeaders(), requestLogging(logger), apiDocumentationLink, cors(corsOrigins));
  // Before the token is looked up: liveness must answer while the database is away, token or not.
  app.use(healthRouter(db));
  app.use(identifyCaller(db), rateLimits(limits));
  app.use(explorerRouter());

  const validator = loadInputValidator();
  const options: MountOptions = { db, validator, bodyLimit };
  app.use(discoveryRouter(options));

  const router = express.Router();
  mountResource(router, organizationDescription, organizationHandlers(validator), options);
  mountResource(router, memberDescription, memberHandlers, options);
  mountResource(router, invitationDescription, invitationHandlers, options);
  mountResource(router, integrationDescription, integrationHandlers, options);
  mountResource(router, auditEventDescription, auditHandlers, options);
  mountResource(router, partnerDescription, meHandlers, options);
  mountResource(router, joinableOrganizationDescription, joinableHandlers, options);
  app.use(router);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
