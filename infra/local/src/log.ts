export type Log = (msg: string) => void;

/** Progress goes to stderr by default, so it never mixes with a command's real output. */
export const defaultLog: Log = (msg) => {
  process.stderr.write(`[local-infra] ${msg}\n`);
};
