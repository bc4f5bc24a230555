// The pool package's public API; filled in by issue 3 (transports, Connection, Pool).
export {};
