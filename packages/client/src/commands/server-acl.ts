import type { CommandArg } from '@fusedis/resp';
import { defineCommand } from '../command-spec.js';
import { type ArgList, withArgList } from './arguments.js';
import { type AclLogEntry, type AclUser, toAclLog, toAclUser } from './server-replies.js';

/** ACL: users and permissions. SETUSER, DELUSER and LOG RESET change the server for every client. */
export const serverAclCommands = {
  /** ACL WHOAMI → the user this connection is authenticated as. */
  aclWhoAmI: defineCommand<[], string>({
    build: () => ({ args: ['ACL', 'WHOAMI'], idempotent: true }),
  }),
  /** ACL LIST → one ACL rule line per user (`user default on nopass ~* &* +@all`). */
  aclList: defineCommand<[], string[]>({
    build: () => ({ args: ['ACL', 'LIST'], idempotent: true }),
  }),
  /** ACL USERS → user names. */
  aclUsers: defineCommand<[], string[]>({
    build: () => ({ args: ['ACL', 'USERS'], idempotent: true }),
  }),
  /** ACL GETUSER name → `{ flags, passwords, commands, keys, channels, selectors }`, or null. */
  aclGetUser: defineCommand<[username: CommandArg], AclUser | null>({
    build: (username) => ({ args: ['ACL', 'GETUSER', username], idempotent: true }),
    transform: toAclUser,
  }),
  /** ACL SETUSER name rule … → 'OK'. Rules as Redis spells them: `on`, `>password`, `~key:*`, `+@read`. */
  aclSetUser: defineCommand<[username: CommandArg, ...rules: ArgList], 'OK'>({
    build: (username, ...rules) => ({ args: withArgList(['ACL', 'SETUSER', username], rules) }),
  }),
  /** ACL DELUSER name … → how many users were deleted. */
  aclDelUser: defineCommand<ArgList, number>({
    build: (...usernames) => ({ args: withArgList(['ACL', 'DELUSER'], usernames) }),
  }),
  /** ACL CAT [category] → category names, or the commands of one category. */
  aclCat: defineCommand<[category?: CommandArg], string[]>({
    build: (category) => ({
      args: category === undefined ? ['ACL', 'CAT'] : ['ACL', 'CAT', category],
      idempotent: true,
    }),
  }),
  /** ACL LOG [count] → recent security events, newest first (`{ reason, username, ageSeconds, … }`). */
  aclLog: defineCommand<[count?: number], AclLogEntry[]>({
    build: (count) => ({
      args: count === undefined ? ['ACL', 'LOG'] : ['ACL', 'LOG', count],
      idempotent: true,
    }),
    transform: toAclLog,
  }),
  /** ACL LOG RESET → 'OK'. */
  aclLogReset: defineCommand<[], 'OK'>({
    build: () => ({ args: ['ACL', 'LOG', 'RESET'] }),
  }),
  /** ACL GENPASS [bits] → a random password, hex (`bits` / 4 characters). @default 256 bits */
  aclGenPass: defineCommand<[bits?: number], string>({
    build: (bits) => ({
      args: bits === undefined ? ['ACL', 'GENPASS'] : ['ACL', 'GENPASS', bits],
      idempotent: true,
    }),
  }),
  /** ACL DRYRUN user command arg … → 'OK' when the user may run it, else the reason (a string). */
  aclDryRun: defineCommand<[username: CommandArg, ...command: ArgList], string>({
    build: (username, ...command) => ({
      args: withArgList(['ACL', 'DRYRUN', username], command),
      idempotent: true,
    }),
  }),
  /** ACL LOAD → 'OK'; an error unless the server runs with an `aclfile`. */
  aclLoad: defineCommand<[], 'OK'>({
    build: () => ({ args: ['ACL', 'LOAD'] }),
  }),
  /** ACL SAVE → 'OK'; an error unless the server runs with an `aclfile`. */
  aclSave: defineCommand<[], 'OK'>({
    build: () => ({ args: ['ACL', 'SAVE'] }),
  }),
};
