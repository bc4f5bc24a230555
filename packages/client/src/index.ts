export {
  type AnyCommandSpec,
  type CommandSpec,
  type CommandTable,
  defineCommand,
  type ReplyContext,
  type SpecArgs,
  type SpecReply,
} from './command-spec.js';
export { COMMANDS, type Commands } from './commands/index.js';
