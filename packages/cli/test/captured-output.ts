/** What the CLI writes to stdout and stderr during a test (restored by jest.restoreAllMocks). */
export interface CapturedOutput {
  stdout: string;
  stderr: string;
}

export function captureOutput(): CapturedOutput {
  const out: CapturedOutput = { stdout: '', stderr: '' };
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.stdout += chunk.toString();
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.stderr += chunk.toString();
    return true;
  });
  return out;
}
