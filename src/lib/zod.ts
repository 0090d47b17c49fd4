import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Every schema file imports `z` from here so `.openapi()` is available and the OpenAPI document is
// generated from the very schemas that validate requests.
extendZodWithOpenApi(z);

export { z };
