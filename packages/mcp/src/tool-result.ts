import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import { toErrorPayload, type ErrorPayload } from '@loupe/shared';

/**
 * A tool's answer: `structuredContent` (checked against the tool's output schema by the SDK)
 * and, as the MCP spec asks of tools with structured output, the same JSON as text, after a
 * one-line summary for a reader.
 */
export function toolResult(
  summary: string,
  structured: Record<string, unknown>,
  extra: ContentBlock[] = [],
): CallToolResult {
  return {
    structuredContent: structured,
    content: [{ type: 'text', text: `${summary}\n${JSON.stringify(structured)}` }, ...extra],
  };
}

/** The error's code, message and every field at fault, so a model can see what to change. */
export function describeError(payload: ErrorPayload): string {
  const fields = payload.fields?.map((f) => `${f.path}: ${f.message}`) ?? [];
  return [`${payload.code}: ${payload.message}`, ...fields].join('\n  ');
}

export function errorResult(e: unknown): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: describeError(toErrorPayload(e)) }] };
}

/** Runs a tool's body; any failure (a LoupeApiError from the server included) is a tool error. */
export function guarded<A extends unknown[]>(
  run: (...args: A) => Promise<CallToolResult>,
): (...args: A) => Promise<CallToolResult> {
  return async (...args) => {
    try {
      return await run(...args);
    } catch (e) {
      return errorResult(e);
    }
  };
}
