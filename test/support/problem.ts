/** An error answer as every app gives it: RFC 9457 Problem Details with the stable code (libs/http/src/problem-details.ts). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  violations?: { path: string; message: string }[];
  context?: Record<string, unknown>;
  instance?: string;
}

/** Asserts the Problem Details shape of a fetch response and returns its body. */
export async function expectProblem(response: Response, status: number, code: string): Promise<Problem> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json(;|$)/);
  const body = (await response.json()) as Problem;
  expect(body).toMatchObject({ type: `/problems/${code}`, title: expect.any(String), status, detail: expect.any(String), code });
  return body;
}
