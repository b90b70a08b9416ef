import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { API_ERRORS, errorCodesOf, routes, splitRouteKey, type RouteSpec } from '../../protocol/index.js';
import { openApiDocument, openApiPath } from '../../signal-server/reference/openapi.js';

type Operation = {
  operationId: string;
  security: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { examples?: Record<string, unknown>; example?: unknown }> }>;
};
const document = openApiDocument() as unknown as {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string }> };
};

test('the OpenAPI document passes Redocly’s recommended rules', async () => {
  const config = await createConfig({
    extends: ['recommended'],
    rules: {
      // Peerwatch states no licence in its package.
      'info-license': 'off',
      // The reference routes (openapi.json, docs) answer no client error, only 500.
      'operation-4xx-response': 'off',
    },
  });
  const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
  assert.deepEqual(
    problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`),
    [],
  );
  assert.equal(document.openapi, '3.1.1');
});

test('every route of the table is an operation, with its callers as security and each error code under its status', () => {
  const schemes = document.components.securitySchemes;
  assert.deepEqual(Object.keys(schemes).sort(), ['deviceCredential', 'playbackToken', 'userJwt']);
  for (const [key, spec] of Object.entries(routes) as [string, RouteSpec][]) {
    const { method, path } = splitRouteKey(key);
    const operation = document.paths[openApiPath(path)]?.[method.toLowerCase()];
    assert.ok(operation, key);
    assert.equal(operation.operationId, spec.name);
    const callers = operation.security.flatMap((requirement) => Object.keys(requirement));
    assert.equal(callers.length, spec.who === 'anyone' ? 0 : spec.who.length, key);
    for (const code of errorCodesOf(spec)) {
      const media = operation.responses[String(API_ERRORS[code].status)]?.content?.['application/json'];
      const example = media?.examples?.[code] as { value: unknown } | undefined;
      assert.deepEqual(example?.value, { error: { code, message: API_ERRORS[code].description } }, `${key}: ${code}`);
    }
    if (spec.examples?.response !== undefined) {
      const success = Object.values(operation.responses)[0]?.content;
      assert.ok(Object.values(success ?? {}).some((media) => media.example !== undefined), `${key}: example`);
    }
  }
});
