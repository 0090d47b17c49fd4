import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from '../lib/zod.js';

/**
 * The OpenAPI registry. Endpoints register themselves through `endpoint()` (src/http/endpoint.ts)
 * from the same zod schemas that validate their input, so the document served at
 * /api/openapi.json is what the server does.
 */
export const registry = new OpenAPIRegistry();

registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });

export const Problem = registry.register(
  'Problem',
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })),
    instance: z.string().optional(),
  }).openapi({ description: 'RFC 9457 problem details' }),
);

let cached: object | undefined;

export function openApiDocument(): object {
  cached ??= new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Loopin public API',
      version: '1.0.0',
      description: 'The JSON API that Loopin mobile and web apps use. Errors are RFC 9457 problem+json.',
    },
    servers: [{ url: '/api' }],
  });
  return cached;
}
