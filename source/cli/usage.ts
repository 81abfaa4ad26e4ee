/** A mistake on the command line: the message is printed as is and the exit code is 2. */
export class UsageError extends Error {}
