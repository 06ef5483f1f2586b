/**
 * The readable text of a failure, whatever shape it came in: a thrown Error,
 * a string, a wire error (`{message, code}`), or any other value (as JSON,
 * never "[object Object]").
 */
export function errorMessage(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  if (error === undefined) return 'failed';
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    // A BigInt or a cycle: the plain string form still says something.
    return String(error);
  }
}
