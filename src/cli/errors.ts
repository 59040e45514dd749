/** How the `decisions` command says no: each is printed as one line. */

/** A bad command line: exit code 2. */
export class UsageError extends Error {}

/** Refused, in plain words, with nothing done (a file that is not a case, a case that would be overwritten): exit code 1. */
export class Refused extends Error {}
