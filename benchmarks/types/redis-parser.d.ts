// redis-parser 3.0.0 ships no types; this declares only what the benchmark calls.
declare module 'redis-parser' {
  interface ParserOptions {
    returnReply(reply: unknown): void;
    returnError(err: Error): void;
    returnFatalError?(err: Error): void;
    /** @default false */
    returnBuffers?: boolean;
    /** @default false */
    stringNumbers?: boolean;
  }
  class Parser {
    constructor(options: ParserOptions);
    execute(buffer: Buffer): void;
    reset(): void;
  }
  export = Parser;
}
